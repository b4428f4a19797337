//! The JSON API under /api/v1: envelopes, tokens, permissions, and the OpenAPI document.

mod common;

use common::{created, App, DEMO_PASSWORD};
use serde_json::json;

/// Sign in as `email` and create an API token on the account page.
async fn token_for(app: &App, email: &str) -> String {
    let b = app.browser();
    assert_eq!(b.login(email, DEMO_PASSWORD).await, 303);
    b.api_token().await
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn lists_answer_items_total_page_and_per_page() {
    let app = App::spawn();
    for path in [
        "/api/v1/scenarios",
        "/api/v1/achievements",
        "/api/v1/organisations",
    ] {
        let v: serde_json::Value = client()
            .get(app.url(&format!("{path}?per_page=3&page=2")))
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        assert_eq!(v["page"], 2, "{path}");
        assert_eq!(v["per_page"], 3, "{path}");
        assert_eq!(v["items"].as_array().expect("items").len(), 3, "{path}");
        assert!(v["total"].as_i64().expect("total") >= 40, "{path}");
    }
    let v: serde_json::Value = client()
        .get(app.url("/api/v1/achievements?q=膜&per_page=50"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(v["total"].as_i64().expect("total") > 0);
    assert!(
        v["items"][0].get("confidential").is_none(),
        "lists never carry confidential fields"
    );
}

#[tokio::test]
async fn writing_needs_a_token_and_errors_share_one_envelope() {
    let app = App::spawn();
    let body = json!({"title_zh": "API 发布的场景", "chain": "ai", "trl_required": 5, "region": "hebei.xiongan", "status": "published"});
    let r = client()
        .post(app.url("/api/v1/scenarios"))
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 401);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(e["error"]["code"], "unauthorized");

    let bad = client()
        .get(app.url("/api/v1/scenarios/1"))
        .bearer_auth("dj_forged")
        .send()
        .await
        .expect("get");
    assert_eq!(
        bad.status().as_u16(),
        401,
        "a wrong token is refused, not ignored"
    );

    let token = token_for(&app, "port@duijie.demo").await;
    let created = created(&app, &token, "/api/v1/scenarios", &body).await;
    let id = created["id"].as_i64().expect("id");
    assert_eq!(created["trl_required"], 5);
    assert_eq!(created["org_name_zh"], "唐山曹妃甸港口集团有限公司");

    let r = client()
        .put(app.url(&format!("/api/v1/scenarios/{id}")))
        .bearer_auth(&token)
        .json(
            &json!({"title_zh": "x", "chain": "ai", "trl_required": 12, "region": "hebei.xiongan"}),
        )
        .send()
        .await
        .expect("put");
    assert_eq!(r.status().as_u16(), 422);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(e["error"]["code"], "invalid");
    assert_eq!(e["error"]["field"], "trl_required");

    let r = client()
        .post(app.url("/api/v1/scenarios"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(e["error"]["code"], "bad_request");

    let other = token_for(&app, "lab@duijie.demo").await;
    let r = client()
        .delete(app.url(&format!("/api/v1/scenarios/{id}")))
        .bearer_auth(&other)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status().as_u16(), 403);
    let r = client()
        .delete(app.url(&format!("/api/v1/scenarios/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status().as_u16(), 204);
    let r = client()
        .get(app.url(&format!("/api/v1/scenarios/{id}")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 404);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(e["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_browser_session_alone_cannot_write_through_the_api() {
    let app = App::spawn();
    let b = app.browser();
    b.login("port@duijie.demo", DEMO_PASSWORD).await;
    let r = b
        .client
        .post(app.url("/api/v1/scenarios"))
        .json(&json!({"title_zh": "会话写入", "chain": "ai", "trl_required": 5, "region": "hebei.xiongan"}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn organisations_are_created_by_staff_only_and_contacts_need_an_accepted_docking() {
    let app = App::spawn();
    let body = json!({"name_zh": "雄安某数字科技公司", "kind": "enterprise", "region": "雄安新区", "contact_phone": "0312-1234567"});
    let member = token_for(&app, "port@duijie.demo").await;
    let r = client()
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&member)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 403);
    let admin = token_for(&app, "admin@duijie.demo").await;
    let org = created(&app, &admin, "/api/v1/organisations", &body).await;
    assert_eq!(org["region"], "hebei.xiongan");
    let id = org["id"].as_i64().expect("id");
    let public: serde_json::Value = client()
        .get(app.url(&format!("/api/v1/organisations/{id}")))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(public.get("contact_phone").is_none());
    let signed: serde_json::Value = client()
        .get(app.url(&format!("/api/v1/organisations/{id}")))
        .bearer_auth(&member)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    // A member of another organisation sees it only after a docking with it is accepted.
    assert!(signed.get("contact_phone").is_none());
    let staff: serde_json::Value = client()
        .get(app.url(&format!("/api/v1/organisations/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(staff["contact_phone"], "0312-1234567");
}

#[tokio::test]
async fn the_openapi_document_describes_every_served_path() {
    let app = App::spawn();
    let doc = common::openapi(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 8);
    for (p, ops) in paths {
        let concrete = p.replace("{id}", "1").replace("{code}", "robotics");
        let methods: Vec<&str> = ["get", "post", "put", "delete"]
            .into_iter()
            .filter(|m| ops.get(*m).is_some())
            .collect();
        assert!(!methods.is_empty(), "{p} documents no operation");
        // Every documented operation is served: a visitor may be refused (401), never routed away
        // (the fallback's 404) or told the method is not there (405).
        for m in methods {
            let r = client()
                .request(
                    m.to_uppercase().parse().expect("method"),
                    app.url(&format!("/api/v1{concrete}")),
                )
                .send()
                .await
                .expect("request");
            assert_ne!(
                r.status().as_u16(),
                405,
                "{m} {p} is documented but not served"
            );
            assert_ne!(
                r.status().as_u16(),
                404,
                "{m} {p} is documented but not served"
            );
        }
    }
    let r = client()
        .get(app.url("/api/v1/nonexistent"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 404);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(e["error"]["code"], "not_found");
}

/// An organisation's names are indexed with each record it publishes: renaming it re-indexes
/// them, so search finds its records by the new name at once and no longer by the old one.
#[tokio::test]
async fn renaming_an_organisation_reindexes_its_records() {
    let app = App::spawn();
    let token = token_for(&app, "officer@duijie.demo").await;
    let org = json!({"name_zh": "重命名测试港务", "name_en": "Zorblax Harbour Group", "kind": "enterprise", "region": "hebei.tangshan"});
    let org_id = created(&app, &token, "/api/v1/organisations", &org).await["id"]
        .as_i64()
        .expect("id");
    let scenario = json!({"org_id": org_id, "title_zh": "码头系缆桩巡检", "chain": "robotics", "trl_required": 5, "region": "hebei.tangshan", "status": "published"});
    let id = created(&app, &token, "/api/v1/scenarios", &scenario).await["id"]
        .as_i64()
        .expect("id");
    let found = |q: &'static str| {
        let url = app.url(&format!("/api/v1/scenarios?q={q}"));
        async move {
            let v: serde_json::Value = client()
                .get(url)
                .send()
                .await
                .expect("get")
                .json()
                .await
                .expect("json");
            v["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|i| i["id"] == id)
        }
    };
    assert!(found("zorblax").await, "found by the organisation's name");

    let mut renamed = org.clone();
    renamed["name_en"] = json!("Quuxtron Harbour Group");
    let r = client()
        .put(app.url(&format!("/api/v1/organisations/{org_id}")))
        .bearer_auth(&token)
        .json(&renamed)
        .send()
        .await
        .expect("put");
    assert_eq!(r.status().as_u16(), 200);
    assert!(found("quuxtron").await, "found by the new name at once");
    assert!(!found("zorblax").await, "no longer by the old one");
}

/// Every route the API serves has a documented operation (the reverse of the test above): a
/// route added without its description fails here.
#[tokio::test]
async fn every_served_api_route_has_a_documented_operation() {
    let app = App::spawn();
    let doc = common::openapi(&app).await;
    let mut missing = Vec::new();
    for (methods, path) in duijie_web::route_table() {
        let Some(rest) = path.strip_prefix("/api/v1") else {
            continue;
        };
        for m in methods.split(',') {
            let op = &doc["paths"][rest][m.to_lowercase()];
            if !op.is_object() {
                missing.push(format!("{m} {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "served but not documented: {missing:?}");
}

/// The token shown once after creating one on the account page with `form`.
async fn made_token(b: &common::Browser, form: &[(&str, &str)]) -> String {
    let (s, _, html) = b.submit("/account/tokens", form).await;
    assert_eq!(s, 200, "token created: {html}");
    let marker = "id=\"new-token\">";
    let start = html.find(marker).expect("token shown once") + marker.len();
    html[start..].split('<').next().expect("token").to_string()
}

#[tokio::test]
async fn tokens_have_a_scope_and_an_expiry_are_named_in_the_audit_log_and_the_admin_revokes_any() {
    let app = App::spawn();
    let port = common::signed_in(&app, "port@duijie.demo").await;
    let read = made_token(
        &port,
        &[("name", "统计同步"), ("scope", "read"), ("days", "30")],
    )
    .await;
    let me = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&read)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status().as_u16(), 200, "a read token reads");
    let total = |v: serde_json::Value| v["total"].as_i64().expect("total");
    let count = || async {
        total(
            client()
                .get(app.url("/api/v1/scenarios?status=published"))
                .send()
                .await
                .expect("list")
                .json()
                .await
                .expect("json"),
        )
    };
    let before = count().await;
    let body = json!({"title_zh": "令牌权限测试场景", "chain": "ai", "trl_required": 5, "region": "hebei.xiongan", "status": "published"});
    let r = client()
        .post(app.url("/api/v1/scenarios"))
        .bearer_auth(&read)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 403);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(e["error"]["code"], "token_read_only");
    assert_eq!(count().await, before, "nothing written");

    // The account page shows the scope and the expiry, 30 days on (in Beijing time).
    let account = port.get("/account").await.1;
    let expiry = (chrono::Utc::now() + chrono::Duration::days(30))
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset"))
        .format("%Y-%m-%d")
        .to_string();
    assert!(
        account.contains("只读") && account.contains(&expiry),
        "{account}"
    );
    // A validity beyond a year is refused, naming the field.
    let (s, _, html) = port
        .submit("/account/tokens", &[("name", "x"), ("days", "400")])
        .await;
    assert_eq!(s, 422);
    assert!(
        html.contains("id=\"token-error\">有效期：须为 1 到 365 的整数"),
        "{html}"
    );

    // A write token writes, and the audit log names it.
    let write = made_token(&port, &[("name", "数据对接"), ("scope", "write")]).await;
    let r = client()
        .post(app.url("/api/v1/scenarios"))
        .bearer_auth(&write)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 201);
    let admin = common::signed_in(&app, "admin@duijie.demo").await;
    let audit = admin.get("/admin/audit").await.1;
    assert!(
        audit.contains("经 API 令牌 #"),
        "the audit log names the token"
    );

    // The admin sees every user's tokens and revokes one; it no longer works.
    let users = admin.get("/admin/users").await.1;
    let main = users.split("<main").nth(1).expect("the page's main part");
    assert!(
        main.contains("统计同步") && main.contains("数据对接") && main.contains("port@duijie.demo")
    );
    assert!(!users
        .split("</title>")
        .next()
        .unwrap_or("")
        .contains("data-token"));
    let id = users
        .split("data-token=\"")
        .skip(1)
        .find(|row| row.contains("统计同步"))
        .and_then(|row| row.split('"').next())
        .expect("the read token's row")
        .to_string();
    // Nobody else may: a member of another organisation is told it is not theirs.
    let lab = common::signed_in(&app, "lab@duijie.demo").await;
    let (s, _, _) = lab
        .submit(&format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(s, 404);
    let (s, loc, _) = admin
        .submit(
            &format!("/account/tokens/{id}/revoke"),
            &[("from", "users")],
        )
        .await;
    assert_eq!(s, 303);
    assert!(loc
        .as_deref()
        .is_some_and(|l| l.starts_with("/admin/users")));
    let me = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&read)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status().as_u16(), 401, "a revoked token is refused");
}

/// Platforms, funds and the outcome figures through the API: the same records, filters and
/// figures as their pages, lists in the one list shape, bad filters named.
#[tokio::test]
async fn platforms_funds_and_outcome_figures_read_as_json() {
    let app = App::spawn();
    let get = |path: &str| {
        let url = app.url(path);
        async move {
            let r = client().get(url).send().await.expect("get");
            let s = r.status().as_u16();
            (s, r.json::<serde_json::Value>().await.expect("json"))
        }
    };
    let (s, all) = get("/api/v1/platforms?per_page=100").await;
    assert_eq!(s, 200);
    let total = all["total"].as_i64().expect("total");
    assert!(total >= 2 && all["items"].as_array().expect("items").len() as i64 == total);
    let (_, concept) = get("/api/v1/platforms?kind=concept").await;
    let items = concept["items"].as_array().expect("items");
    assert!(!items.is_empty() && (items.len() as i64) < total);
    assert!(items.iter().all(|p| p["kind"] == "concept"));
    let (s, bad) = get("/api/v1/platforms?kind=lab").await;
    assert_eq!(s, 422);
    assert_eq!(bad["error"]["field"], "kind");
    let (_, one) = get("/api/v1/platforms?per_page=1&page=2").await;
    assert_eq!(one["items"].as_array().expect("items").len(), 1);
    assert_eq!(
        (one["page"].as_i64(), one["per_page"].as_i64()),
        (Some(2), Some(1))
    );

    // One platform: its services and calendar; a visitor sees no one's requests.
    let id = all["items"][0]["id"].as_i64().expect("id");
    let (s, p) = get(&format!("/api/v1/platforms/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(p["platform"]["id"].as_i64(), Some(id));
    assert!(!p["services"].as_array().expect("services").is_empty());
    assert!(p["days"].as_array().expect("days").len() > 27);
    assert!(p["requests"].as_array().expect("requests").is_empty());
    assert_eq!(get("/api/v1/platforms/99999").await.0, 404);

    // Funds and projects, each with the other side ranked.
    let (_, funds) = get("/api/v1/funds").await;
    let fund = funds["items"][0]["id"].as_i64().expect("a fund");
    let (_, f) = get(&format!("/api/v1/funds/{fund}")).await;
    let ranked: Vec<i64> = f["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|m| m["score"].as_i64().expect("score"))
        .collect();
    assert!(
        !ranked.is_empty() && ranked.windows(2).all(|w| w[0] >= w[1]),
        "best first"
    );
    let (_, projects) = get("/api/v1/finance-projects").await;
    let project = projects["items"][0]["id"].as_i64().expect("a project");
    let (s, pr) = get(&format!("/api/v1/finance-projects/{project}")).await;
    assert_eq!(s, 200);
    assert!(!pr["funds"].as_array().expect("funds").is_empty());

    // The outcome figures: the same as the outcomes page's headline.
    let (s, o) = get("/api/v1/statistics/outcomes").await;
    assert_eq!(s, 200);
    let released = o["totals"]["scenarios_released"].as_i64().expect("figure");
    let page = app.browser().get("/outcomes").await.1;
    assert!(
        page.contains(&format!(">{released}<")),
        "the page shows {released}"
    );
    assert!(!o["breakdowns"].as_array().expect("breakdowns").is_empty());
    // An officer records an outcome through the API; it counts at once, and is listed.
    let officer = token_for(&app, "officer@duijie.demo").await;
    let record = |body: serde_json::Value| {
        let req = client()
            .post(app.url("/api/v1/outcomes"))
            .bearer_auth(&officer)
            .json(&body);
        async move {
            let r = req.send().await.expect("post");
            let s = r.status().as_u16();
            (s, r.json::<serde_json::Value>().await.expect("json"))
        }
    };
    let companies = o["totals"]["companies_rooted"].as_i64().expect("figure");
    let (s, made) = record(json!({"kind": "company", "title": "API 落户企业", "region": "hebei.tangshan",
        "chain": "robotics", "source_region": "beijing", "amount_wan": "1200", "occurred_on": "2026-06-01"}))
    .await;
    assert_eq!(s, 201, "{made}");
    assert_eq!(made["amount_fen"], 1_200_000_000i64);
    let (_, after) = get("/api/v1/statistics/outcomes").await;
    assert_eq!(
        after["totals"]["companies_rooted"].as_i64(),
        Some(companies + 1)
    );
    let (_, list) = get("/api/v1/outcomes?per_page=100").await;
    assert!(list["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|x| x["id"] == made["id"]));
    let (s, bad) = record(
        json!({"kind": "company", "title": "x", "region": "hebei.tangshan",
        "chain": "robotics", "source_region": "mars", "occurred_on": "2026-06-01"}),
    )
    .await;
    assert_eq!(
        (s, bad["error"]["field"].as_str()),
        (422, Some("source_region"))
    );

    let (s, bad) = get("/api/v1/statistics/outcomes?year=20x6").await;
    assert_eq!(s, 422);
    assert_eq!(bad["error"]["field"], "year");

    // Chains and a chain's map; a gap's suggestions carry public facts only.
    let (_, chains) = get("/api/v1/chains").await;
    let robotics = chains["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["code"] == "robotics")
        .expect("robotics");
    assert!(robotics["links"].as_i64().expect("links") > 0);
    let (s, map) = get("/api/v1/chains/robotics").await;
    assert_eq!(s, 200);
    let links = map["links"].as_array().expect("links");
    assert_eq!(
        links.len() as i64,
        robotics["links"].as_i64().expect("links")
    );
    assert!(links.iter().any(|l| l["level"] == "gap"));
    let text = map.to_string();
    assert!(!text.contains("confidential") && !text.contains("summary_zh"));
    assert_eq!(get("/api/v1/chains/nonsense").await.0, 404);
}

/// The reference page lists every operation of the document, in both languages, and the
/// footer of every page leads to it.
#[tokio::test]
async fn the_reference_page_lists_every_documented_operation() {
    let app = App::spawn();
    let doc = common::openapi(&app).await;
    let b = app.browser();
    let (s, page) = b.get("/developers").await;
    assert_eq!(s, 200);
    assert!(page.contains("API 参考") && page.contains("token_read_only"));
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in ["get", "post", "put", "delete"] {
            if item.get(m).is_some() {
                let id = format!("id=\"{m}-{}\"", path.replace(['/', '{', '}'], "-"));
                assert!(page.contains(&id), "{m} {path} is not on the page");
            }
        }
    }
    // Summaries' `code` reads as code, never as backticks.
    assert!(page.contains("<code>platform</code>") && !page.contains("`platform`"));
    assert!(b.get("/").await.1.contains("href=\"/developers\""));
    b.get("/lang/en").await;
    assert!(b.get("/developers").await.1.contains("API reference"));
}
