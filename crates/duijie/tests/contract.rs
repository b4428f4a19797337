//! Technology contracts over HTTP: a contract recorded from a docking, registered by a
//! registrar under a number, counted in the flow statistics and the headline figure by its
//! technology transaction amount; a refused or pending contract never counts; a party's
//! registrar may not register it; two registrations at once leave one; bad amounts and bad
//! rows in an import store nothing.

mod common;

use common::{created, org_id, signed_in, App};
use serde_json::{json, Value};

/// The Beijing → Tianjin-Hebei headline's transaction amount (fen) and count for `year`.
async fn headline(app: &App, year: i32) -> (i64, i64) {
    let (s, v) = app
        .browser()
        .json(&format!("/api/v1/statistics/contracts?year={year}"))
        .await;
    assert_eq!(s, 200);
    let h = v["headlines"]
        .as_array()
        .and_then(|a| a.iter().find(|h| h["code"] == "beijing_to_tianjin_hebei"))
        .cloned()
        .expect("headline");
    (
        h["transaction_fen"].as_i64().expect("fen"),
        h["count"].as_i64().expect("count"),
    )
}

fn this_year() -> i32 {
    use chrono::Datelike;
    (chrono::Utc::now() + chrono::Duration::hours(8)).year()
}

fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

#[tokio::test]
async fn a_contract_from_a_docking_counts_once_registered() {
    let app = App::spawn();
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let registrar = signed_in(&app, "registrar@duijie.demo").await;
    let expert = signed_in(&app, "expert@duijie.demo").await;
    let (lab_token, port_token) = (lab.api_token().await, port.api_token().await);
    let reg_token = registrar.api_token().await;
    let (lab_org, port_org) = (
        org_id(&app, "buaa-robotics").await,
        org_id(&app, "tangshan-port").await,
    );
    // A docking on the port's scenario, accepted.
    let (_, list) = app
        .browser()
        .json("/api/v1/scenarios?q=曹妃甸港区皮带机巡检机器人&per_page=5")
        .await;
    let scenario = list["items"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["key"] == "scn-demo-001"))
        .and_then(|s| s["id"].as_i64())
        .expect("scenario");
    let ask = json!({"to_kind": "scenario", "to_id": scenario, "message": "联合开发巡检机器人"});
    let docking = created(&app, &lab_token, "/api/v1/dockings", &ask).await["d"]["id"]
        .as_i64()
        .expect("docking");
    let http = reqwest::Client::new();
    let accepted = http
        .post(app.url(&format!("/api/v1/dockings/{docking}/accept")))
        .bearer_auth(&port_token)
        .send()
        .await
        .expect("accept");
    assert_eq!(accepted.status().as_u16(), 200);

    // The docking page offers the contract form, prefilled: the lab sells, the port buys.
    let page = lab.get(&format!("/dockings/{docking}")).await.1;
    assert!(page.contains(&format!("/contracts/new?docking={docking}")));
    let (status, form) = lab.get(&format!("/contracts/new?docking={docking}")).await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!("<option value=\"{lab_org}\" selected>")));
    assert!(form.contains(&format!("<option value=\"{port_org}\" selected>")));

    let (before, count_before) = headline(&app, this_year()).await;
    let contracts_before = lab.json("/api/v1/contracts").await.1["total"]
        .as_i64()
        .expect("total");
    let (lab_s, port_s, d_s) = (
        lab_org.to_string(),
        port_org.to_string(),
        docking.to_string(),
    );
    let today = today();
    let mut fields = vec![
        ("title", "皮带机巡检机器人合作开发合同"),
        ("kind", "development_cooperative"),
        ("seller", lab_s.as_str()),
        ("buyer", port_s.as_str()),
        ("total_amount", "1,200,000.50"),
        ("transaction_amount", "1,300,000"),
        ("signed_on", today.as_str()),
        ("term_from", today.as_str()),
        ("term_to", "2030-12-31"),
        ("docking_id", d_s.as_str()),
    ];
    // More transaction than total: the form comes back with the error beside the field.
    let (status, _, html) = lab.submit("/contracts", &fields).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-field=\"transaction_amount\""), "{html}");
    assert!(html.contains("不能超过合同总额"));
    assert!(
        html.contains("皮带机巡检机器人合作开发合同"),
        "the values stay"
    );
    assert_eq!(
        lab.json("/api/v1/contracts").await.1["total"],
        json!(contracts_before),
        "nothing stored"
    );

    fields[5] = ("transaction_amount", "1,000,000.25");
    let (status, loc, _) = lab.submit("/contracts", &fields).await;
    assert_eq!(status, 303, "recorded");
    let at = loc.expect("location");
    let id: i64 = at
        .trim_start_matches("/contracts/")
        .split('?')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("contract id");
    let view = lab.get(&at).await.1;
    assert!(
        view.contains("等待技术合同登记机构审核登记"),
        "the action says what it did"
    );
    assert!(view.contains("¥1,200,000.50") && view.contains("¥1,000,000.25"));
    assert!(
        view.contains(&format!("/scenarios/{scenario}")),
        "the docking's scenario is linked"
    );
    assert!(
        !view.contains("id=\"register\""),
        "a party does not register"
    );

    // Pending: it does not count yet. The port sees it; an expert does not.
    assert_eq!(headline(&app, this_year()).await, (before, count_before));
    assert!(port
        .get("/contracts")
        .await
        .1
        .contains(&format!("/contracts/{id}")));
    assert_eq!(expert.get(&format!("/contracts/{id}")).await.0, 404);
    assert_eq!(
        app.browser().get("/contracts").await.0,
        303,
        "to the sign-in page"
    );

    // The lab cannot register; the registrar can, once.
    let register = |token: String| {
        let http = http.clone();
        let url = app.url(&format!("/api/v1/contracts/{id}/register"));
        async move {
            http.post(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("register")
        }
    };
    assert_eq!(register(lab_token.clone()).await.status().as_u16(), 403);
    let (a, b) = tokio::join!(register(reg_token.clone()), register(reg_token.clone()));
    let mut codes = [a.status().as_u16(), b.status().as_u16()];
    codes.sort();
    assert_eq!(codes, [200, 409], "one registration, one conflict");
    let (_, v) = lab.json(&format!("/api/v1/contracts/{id}")).await;
    assert_eq!(v["c"]["status"], "registered");
    let no = v["c"]["registration_no"]
        .as_str()
        .expect("number")
        .to_string();
    assert!(
        no.starts_with(&format!("{}11", this_year())),
        "{no}: the year, Beijing's code"
    );
    assert_eq!(no.len(), 13);

    // Counted: the headline grows by exactly its transaction amount, in the matrix too.
    assert_eq!(
        headline(&app, this_year()).await,
        (before + 100_000_025, count_before + 1)
    );
    let (_, s) = app
        .browser()
        .json(&format!(
            "/api/v1/statistics/contracts?year={}",
            this_year()
        ))
        .await;
    let cell = s["flows"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|c| c["seller_region"] == "beijing" && c["buyer_region"] == "hebei.tangshan")
        })
        .cloned()
        .expect("Beijing → Tangshan (Caofeidian rolled up into its city)");
    assert!(cell["transaction_fen"].as_i64().expect("fen") >= 100_000_025);
    let outcomes = app
        .browser()
        .get(&format!("/outcomes?year={}", this_year()))
        .await
        .1;
    assert!(outcomes.contains("id=\"flow-matrix\""));
    assert!(outcomes.contains("北京流向津冀"));

    // Refusing a registered contract is a conflict; the audit log holds both steps.
    let refuse = http
        .post(app.url(&format!("/api/v1/contracts/{id}/refuse")))
        .bearer_auth(&reg_token)
        .json(&json!({"reason": "迟到的拒绝"}))
        .send()
        .await
        .expect("refuse");
    assert_eq!(refuse.status().as_u16(), 409);
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let audit = officer.get("/admin/audit").await.1;
    assert!(audit.contains("tech_contract"));
}

#[tokio::test]
async fn refused_and_own_contracts_never_count_and_imports_are_all_or_nothing() {
    let app = App::spawn();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let registrar = signed_in(&app, "registrar@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let (officer_token, reg_token, lab_token) = (
        officer.api_token().await,
        registrar.api_token().await,
        lab.api_token().await,
    );
    let http = reqwest::Client::new();
    let today = today();
    let body = |seller: &str, buyer: &str, tx: &str| {
        json!({
            "title": "技术服务合同", "kind": "service", "seller": seller, "buyer": buyer,
            "total_amount": "500000.00", "transaction_amount": tx,
            "signed_on": today, "term_from": today, "term_to": "2030-01-01",
            "payments": [{"due_on": today, "amount": "200000"}, {"due_on": "2029-01-01", "amount": "300000.00"}],
        })
    };
    let (before, n) = headline(&app, this_year()).await;

    // A contract the registrar's own organisation (the S&T department) is party to.
    let own = created(
        &app,
        &officer_token,
        "/api/v1/contracts",
        &body("buaa-robotics", "hebei-std", "500000"),
    )
    .await;
    let own_id = own["c"]["id"].as_i64().expect("id");
    assert_eq!(own["payments"].as_array().map(Vec::len), Some(2));
    let r = http
        .post(app.url(&format!("/api/v1/contracts/{own_id}/register")))
        .bearer_auth(&reg_token)
        .send()
        .await
        .expect("register");
    assert_eq!(
        r.status().as_u16(),
        403,
        "a party cannot register its own contract"
    );

    // A refused contract never counts.
    let other = created(
        &app,
        &officer_token,
        "/api/v1/contracts",
        &body("buaa-robotics", "tangshan-port", "400000"),
    )
    .await;
    let other_id = other["c"]["id"].as_i64().expect("id");
    let no_reason = http
        .post(app.url(&format!("/api/v1/contracts/{other_id}/refuse")))
        .bearer_auth(&reg_token)
        .json(&json!({"reason": ""}))
        .send()
        .await
        .expect("refuse");
    assert_eq!(no_reason.status().as_u16(), 422, "a refusal says why");
    let refused = http
        .post(app.url(&format!("/api/v1/contracts/{other_id}/refuse")))
        .bearer_auth(&reg_token)
        .json(&json!({"reason": "属于设备买卖，不是技术合同"}))
        .send()
        .await
        .expect("refuse");
    assert_eq!(refused.status().as_u16(), 200);
    assert_eq!(headline(&app, this_year()).await, (before, n));

    // Bad JSON: payments that do not add up, a wrong type, a member for strangers.
    let mut bad = body("buaa-robotics", "tangshan-port", "400000");
    bad["payments"] = json!([{"due_on": today, "amount": "1"}]);
    let r = http
        .post(app.url("/api/v1/contracts"))
        .bearer_auth(&lab_token)
        .json(&bad)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 422);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["error"]["field"], "payments");
    let strangers = http
        .post(app.url("/api/v1/contracts"))
        .bearer_auth(&lab_token)
        .json(&body("tj-robot", "tangshan-port", "400000"))
        .send()
        .await
        .expect("post");
    assert_eq!(strangers.status().as_u16(), 422, "the lab is neither party");

    // An import with a bad second row stores nothing and names the row and column.
    let csv = format!(
        "title,kind,seller,buyer,total_amount,transaction_amount,signed_on,term_from,term_to\n\
         巡检算法许可,licence_patent,buaa-robotics,tangshan-port,300000,300000,{today},{today},2028-01-01\n\
         坏行,consulting,buaa-robotics,tangshan-port,100,200,{today},{today},2028-01-01\n"
    );
    let (status, html) = lab
        .upload(
            "/contracts/import",
            "contracts.csv",
            csv.clone().into_bytes(),
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"import-error\""), "{html}");
    assert!(
        html.contains("第 3 行") && html.contains("transaction_amount"),
        "{html}"
    );
    let (_, mine) = lab.json("/api/v1/contracts").await;
    let before_import = mine["total"].as_i64().expect("total");
    let good = csv.replace(",100,200,", ",100,100,");
    let (status, _) = lab
        .upload("/contracts/import", "contracts.csv", good.into_bytes())
        .await;
    assert_eq!(status, 303, "stored, back to the list");
    assert!(lab
        .get("/contracts?imported=2")
        .await
        .1
        .contains("已导入 2 份合同"));
    let (_, mine) = lab.json("/api/v1/contracts").await;
    assert_eq!(mine["total"].as_i64(), Some(before_import + 2));
    // The export holds them and opens as Excel.
    let (status, _) = lab.get("/contracts/export.xlsx").await;
    assert_eq!(status, 200);
}
