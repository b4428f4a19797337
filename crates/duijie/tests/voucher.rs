//! Issue 24, innovation vouchers: the demo's Hebei scheme shows on the port's policy page; the
//! port applies, the officer approves within the budget, the port uses its voucher on the
//! testing service it had done (the scheme's share, within the balance, never twice for one
//! service), the provider asks for redemption, the officer reconciles, and the statistics count
//! it by province. Each refusal says why and changes nothing.

mod common;

use common::{id_after, org_id, signed_in, App};

#[tokio::test]
async fn a_voucher_goes_from_the_policy_page_to_a_reconciled_use() {
    let app = App::spawn();
    let port = signed_in(&app, "port@duijie.demo").await;
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let pilot = signed_in(&app, "pilot@duijie.demo").await;
    let org = org_id(&app, "tangshan-port").await;

    // The policy page lists the scheme as a policy the port can claim.
    let (_, html) = port.get(&format!("/policies/{org}")).await;
    let scheme = id_after(&html, "id=\"voucher-");
    assert!(html.contains("河北省科技创新券"));
    assert!(
        html.contains("企业所在地曹妃甸区"),
        "the place is named, not coded"
    );
    let page = format!("/vouchers/{scheme}");

    // A Beijing enterprise's member is told why it cannot apply.
    let lab = signed_in(&app, "lab@duijie.demo").await;
    assert_eq!(lab.submit(&format!("{page}/apply"), &[]).await.0, 422);

    let (s, loc, _) = port.submit(&format!("{page}/apply"), &[]).await;
    assert_eq!(s, 303, "applied");
    assert!(loc.expect("back").contains("ok=voucher_applied"));
    let (s, _, html) = port.submit(&format!("{page}/apply"), &[]).await;
    assert_eq!(s, 422);
    assert!(
        html.contains("本单位已申领过"),
        "a second application is refused"
    );

    // The officer approves more than a voucher may hold: refused; then the scheme's amount.
    let (_, html) = officer.get(&page).await;
    let voucher = id_after(&html, "data-voucher=\"");
    let decide = format!("/vouchers/applications/{voucher}");
    let (s, _, html) = officer
        .submit(&decide, &[("decision", "approve"), ("amount", "30")])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("不超过方案规定的每家企业额度"));
    assert_eq!(
        officer.submit(&decide, &[("decision", "approve")]).await.0,
        303
    );
    assert_eq!(
        officer
            .submit(&decide, &[("decision", "refuse"), ("reason", "重复")])
            .await
            .0,
        422,
        "decided once"
    );
    let (_, html) = port.get(&page).await;
    assert!(
        html.contains("id=\"voucher-balance\">20 万元"),
        "approved for 20 万元"
    );

    // The port uses it on its testing service of 6 万元: half, 3 万元.
    let request = id_after(
        &html,
        "name=\"request_id\" id=\"f-request_id\"><option value=\"",
    );
    let uses = format!("/vouchers/applications/{voucher}/uses");
    let rid = request.to_string();
    let (s, loc, _) = port
        .submit(&uses, &[("request_id", &rid), ("price", "6")])
        .await;
    assert_eq!(s, 303);
    let (_, html) = port.get(&loc.expect("back")).await;
    assert!(html.contains("创新券已抵用"));
    assert!(html.contains("id=\"voucher-balance\">17 万元"), "20 − 3");
    // Twice for one service: refused, the balance unchanged.
    let (s, _, html) = port
        .submit(&uses, &[("request_id", &rid), ("price", "6")])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("该服务已使用过创新券"));
    assert!(port
        .get(&page)
        .await
        .1
        .contains("id=\"voucher-balance\">17 万元"));
    // Another organisation cannot use the port's voucher.
    assert_eq!(
        lab.submit(&uses, &[("request_id", &rid), ("price", "6")])
            .await
            .0,
        403
    );

    // The provider asks for redemption; the enterprise cannot; the officer reconciles.
    let (_, html) = pilot.get(&page).await;
    let use_id = id_after(&html, "data-use=\"");
    assert!(html.contains("申请兑付"));
    let redeem = format!("/vouchers/uses/{use_id}/redeem");
    assert_eq!(port.submit(&redeem, &[]).await.0, 403);
    assert_eq!(pilot.submit(&redeem, &[]).await.0, 303);
    assert_eq!(pilot.submit(&redeem, &[]).await.0, 422, "once");
    let reconcile = format!("/vouchers/uses/{use_id}/reconcile");
    assert_eq!(pilot.submit(&reconcile, &[]).await.0, 403);
    assert_eq!(officer.submit(&reconcile, &[]).await.0, 303);

    // The statistics: one use of 3 万元 by a Hebei enterprise at a Hebei provider, reconciled.
    let (_, html) = officer.get(&page).await;
    let row = html
        .split("data-from=\"hebei\" data-to=\"hebei\"")
        .nth(1)
        .expect("the Hebei → Hebei row")
        .split("</tr>")
        .next()
        .expect("its end");
    for (class, value) in [
        ("uses", "1"),
        ("used", "3 万元"),
        ("redeemed", "3 万元"),
        ("reconciled", "3 万元"),
    ] {
        assert!(
            row.contains(&format!("class=\"{class}\">{value}<")),
            "{class}: {row}"
        );
    }
    assert!(html.contains("id=\"budget\">2,000 万元 / 20 万元"));
}

#[tokio::test]
async fn only_programme_staff_open_a_scheme_and_a_bad_one_is_refused_naming_the_field() {
    let app = App::spawn();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let form = |per: &'static str| {
        vec![
            ("name_zh", "天津科技创新券"),
            ("source", "测试通知"),
            ("budget", "100"),
            ("per_enterprise", per),
            ("share_pct", "40"),
            ("service_kinds", "inspection"),
            ("provider_regions", "beijing"),
            ("provider_regions", "hebei"),
            ("enterprise_regions", "tianjin"),
            ("valid_from", "2026-01-01"),
            ("valid_until", "2026-12-31"),
        ]
    };
    let (s, _, html) = officer.submit("/vouchers", &form("200")).await;
    assert_eq!(s, 422);
    assert!(html.contains("超过方案总额度"));
    assert!(
        html.contains("value=\"天津科技创新券\""),
        "what was typed is kept"
    );
    let (s, loc, _) = officer.submit("/vouchers", &form("10")).await;
    assert_eq!(s, 303);
    let (_, html) = officer.get(&loc.expect("the scheme")).await;
    assert!(html.contains("北京、河北"), "providers named");
    let port = signed_in(&app, "port@duijie.demo").await;
    assert_eq!(port.submit("/vouchers", &form("10")).await.0, 403);
}

/// The offices' figures as JSON too: the gap list and a scheme's statistics, with a token.
#[tokio::test]
async fn the_gap_list_and_a_schemes_statistics_read_as_json() {
    let app = App::spawn();
    let officer = common::token_of(&app, "officer@duijie.demo").await;
    let get = |path: &'static str, token: String| {
        let url = app.url(path);
        async move {
            let r = reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("GET");
            let s = r.status().as_u16();
            (s, r.json::<serde_json::Value>().await.expect("json"))
        }
    };
    let (s, gap) = get("/api/v1/policies?per_page=100", officer.clone()).await;
    assert_eq!(s, 200);
    let org = org_id(&app, "tangshan-port").await;
    let port = gap["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["org_id"] == org)
        .expect("the port");
    assert_eq!(port["policies"].as_array().expect("policies").len(), 3);
    let (s, v) = get("/api/v1/vouchers/1", officer.clone()).await;
    assert_eq!(s, 200);
    assert_eq!(v["scheme"]["share_pct"], 50);
    assert!(v["stats"].is_array());
    let member = common::token_of(&app, "port@duijie.demo").await;
    assert_eq!(get("/api/v1/policies", member.clone()).await.0, 403);
    let (s, mine) = get("/api/v1/vouchers/1", member).await;
    assert_eq!(s, 200);
    assert_eq!(
        mine["mine"]["verdict"], "likely",
        "the port's enterprise as the scheme judges it"
    );
}
