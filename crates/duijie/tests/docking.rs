//! Docking over HTTP: a member requests docking on another organisation's published scenario,
//! the receiver sees it waiting and accepts, both then see the other's contact and talk in a
//! conversation nobody else reads (staff see the stage only), the stage moves on with its
//! history; two accepts at once leave one acceptance; bad requests lose nothing.

mod common;

use common::{created, signed_in, App};
use serde_json::json;

/// The scenario id of the port's demo scenario `scn-demo-001` (organisation A).
async fn port_scenario(app: &App) -> i64 {
    let (_, list) = app
        .browser()
        .json("/api/v1/scenarios?q=曹妃甸港区皮带机巡检机器人&per_page=5")
        .await;
    list["items"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["key"] == "scn-demo-001"))
        .and_then(|s| s["id"].as_i64())
        .expect("the port's demo scenario")
}

#[tokio::test]
async fn a_docking_runs_from_request_to_signing_and_only_its_parties_read_it() {
    let app = App::spawn();
    let scenario = port_scenario(&app).await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let expert = signed_in(&app, "expert@duijie.demo").await;

    // The record page offers the request to the lab, not to the port (its own record).
    let page = format!("/scenarios/{scenario}");
    let (status, html) = lab.get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"docking-form\""));
    let (status, html) = port.get(&page).await;
    assert_eq!(status, 200);
    assert!(!html.contains("id=\"docking-form\"") && html.contains("这是本单位的记录"));

    // A request without a message is refused and stores nothing.
    let to = scenario.to_string();
    let mut ask = vec![
        ("to_kind", "scenario"),
        ("to_id", to.as_str()),
        ("want", "pilot"),
        ("message", ""),
    ];
    let cards = |html: &str| html.matches("class=\"card docking\"").count();
    let before = cards(&lab.get("/dockings").await.1);
    let (status, _, _) = lab.submit("/dockings", &ask).await;
    assert_eq!(status, 422);
    assert_eq!(
        cards(&lab.get("/dockings").await.1),
        before,
        "nothing stored"
    );

    ask[3] = (
        "message",
        "我所轨道巡检机器人可在曹妃甸中试 <script>alert(1)</script>",
    );
    let (status, loc, _) = lab.submit("/dockings", &ask).await;
    assert_eq!(status, 303);
    let at = loc.expect("location");
    let id: i64 = at
        .trim_end_matches("?sent=1")
        .rsplit('/')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("docking id");
    let sent = lab.get(&at).await.1;
    assert!(
        sent.contains("对接请求已发送"),
        "the action says what it did"
    );
    assert!(sent.contains("&lt;script&gt;") && !sent.contains("<script>alert"));
    assert!(
        sent.contains("对方接受对接请求后显示联系人"),
        "no contact before acceptance"
    );
    // A second open request about the same record is refused.
    let (status, _, body) = lab.submit("/dockings", &ask).await;
    assert_eq!(status, 422);
    assert!(body.contains("已就该记录发起对接"));

    // The port sees it waiting, in the top bar and the list.
    let (_, own) = port.get(&page).await;
    assert!(
        own.contains(&format!("/dockings/{id}")),
        "the owner's record page lists it"
    );
    let (_, again) = lab.get(&page).await;
    assert!(again.contains("id=\"docking-open\"") && !again.contains("id=\"docking-form\""));
    let list = port.get("/dockings").await.1;
    assert!(list.contains("id=\"docking-count\""));
    assert!(list.contains(&format!("/dockings/{id}")));
    let waiting = port.get(&format!("/dockings/{id}")).await.1;
    assert!(waiting.contains("id=\"accept\""));
    // The lab cannot accept its own request; the expert cannot see it at all.
    let answer = format!("/dockings/{id}/answer");
    assert_eq!(lab.submit(&answer, &[("action", "accept")]).await.0, 403);
    assert_eq!(expert.get(&format!("/dockings/{id}")).await.0, 404);

    assert_eq!(port.submit(&answer, &[("action", "accept")]).await.0, 303);
    // Accepted: each side sees the other's contact person.
    let lab_view = lab.get(&format!("/dockings/{id}")).await.1;
    assert!(lab_view.contains("id=\"contact-person\""));
    assert!(lab_view.contains("0315-8800 6006"), "the port's phone");
    let port_view = port.get(&format!("/dockings/{id}")).await.1;
    assert!(port_view.contains("id=\"contact-person\""));

    // The conversation: both write; the officer sees the stage, not the words.
    let msgs = format!("/dockings/{id}/messages");
    assert_eq!(
        port.submit(&msgs, &[("body", "欢迎，下周三现场踏勘")])
            .await
            .0,
        303
    );
    // The lab has one unread message (top bar and list) until it opens the docking.
    let unread = lab.get("/dockings").await.1;
    assert!(
        unread.contains("id=\"docking-count\">1<"),
        "one unread message"
    );
    assert!(unread.contains("title=\"未读消息\">1<"));
    lab.get(&format!("/dockings/{id}")).await;
    assert!(!lab
        .get("/dockings")
        .await
        .1
        .contains("id=\"docking-count\""));
    assert_eq!(lab.submit(&msgs, &[("body", "好的，周三见")]).await.0, 303);
    assert_eq!(lab.submit(&msgs, &[("body", "")]).await.0, 422);
    let long = "长".repeat(2001);
    assert_eq!(lab.submit(&msgs, &[("body", long.as_str())]).await.0, 422);
    let port_view = port.get(&format!("/dockings/{id}")).await.1;
    let newest = port_view.find("好的，周三见").expect("lab's message");
    let older = port_view
        .find("欢迎，下周三现场踏勘")
        .expect("port's message");
    assert!(newest < older, "newest first");
    assert_eq!(officer.submit(&msgs, &[("body", "旁听")]).await.0, 403);
    let staff_view = officer.get(&format!("/dockings/{id}")).await.1;
    assert!(staff_view.contains("洽谈"));
    assert!(
        !staff_view.contains("周三"),
        "staff never read the messages"
    );
    assert!(officer
        .get("/dockings")
        .await
        .1
        .contains(&format!("/dockings/{id}")));

    // Moving on: ending needs a reason; signing is recorded in the history with who did it.
    let stage = format!("/dockings/{id}/stage");
    assert_eq!(
        lab.submit(&stage, &[("stage", "terminated"), ("reason", "")])
            .await
            .0,
        422
    );
    assert_eq!(
        lab.submit(&stage, &[("stage", "landed")]).await.0,
        409,
        "signed first"
    );
    assert_eq!(port.submit(&stage, &[("stage", "signed")]).await.0, 303);
    let signed = lab.get(&format!("/dockings/{id}")).await.1;
    assert!(signed.contains("id=\"stage\">签约"));
    assert!(signed.contains("唐山港集团 李工"), "who moved it");

    // JSON: the parties read the messages, the officer does not.
    let (_, v) = lab.json(&format!("/api/v1/dockings/{id}")).await;
    assert_eq!(v["d"]["stage"], "signed");
    assert_eq!(v["messages"].as_array().map(Vec::len), Some(2));
    let (_, v) = officer.json(&format!("/api/v1/dockings/{id}")).await;
    assert_eq!(v["messages"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn two_accepts_at_once_leave_one_acceptance() {
    let app = App::spawn();
    let scenario = port_scenario(&app).await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let (lab_token, port_token) = (lab.api_token().await, port.api_token().await);
    let http = reqwest::Client::new();
    let ask = json!({"to_kind": "scenario", "to_id": scenario, "message": "联合开发"});
    let id = created(&app, &lab_token, "/api/v1/dockings", &ask).await["d"]["id"]
        .as_i64()
        .expect("id");
    // A wrong JSON type names the field.
    let bad = http
        .post(app.url("/api/v1/dockings"))
        .bearer_auth(&lab_token)
        .json(&json!({"to_kind": "scenario", "to_id": [1], "message": "x"}))
        .send()
        .await
        .expect("request");
    assert_eq!(bad.status().as_u16(), 422);

    let accept = || {
        http.post(app.url(&format!("/api/v1/dockings/{id}/accept")))
            .bearer_auth(&port_token)
            .send()
    };
    let (a, b) = tokio::join!(accept(), accept());
    let mut codes = [
        a.expect("a").status().as_u16(),
        b.expect("b").status().as_u16(),
    ];
    codes.sort();
    assert_eq!(codes, [200, 409], "one acceptance, one conflict");
    let (_, v) = port.json(&format!("/api/v1/dockings/{id}")).await;
    let accepted = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["stage"] == "negotiating")
        .count();
    assert_eq!(accepted, 1);
}

#[tokio::test]
async fn only_members_of_verified_organisations_dock() {
    let app = App::spawn();
    let scenario = port_scenario(&app).await;
    let admin = signed_in(&app, "admin@duijie.demo").await;
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let token = admin.api_token().await;
    let org = created(
        &app,
        &token,
        "/api/v1/organisations",
        &json!({"name_zh": "新注册科技公司", "kind": "enterprise", "region": "beijing"}),
    )
    .await["id"]
        .as_i64()
        .expect("org");
    // A new user joins it as a member.
    let newcomer = app.browser();
    let t = newcomer.csrf("/register").await;
    newcomer
        .post(
            "/register",
            &[
                ("email", "new@example.cn"),
                ("password", "new-member-password"),
                ("display_name", "新成员"),
                ("csrf", &t),
            ],
        )
        .await;
    assert_eq!(
        newcomer
            .login("new@example.cn", "new-member-password")
            .await,
        303
    );
    let me = newcomer.json("/api/v1/me").await.1["id"]
        .as_i64()
        .expect("me");
    let o = org.to_string();
    let (s, _, _) = admin
        .submit(
            &format!("/admin/users/{me}"),
            &[("role", "member"), ("org_id", o.as_str())],
        )
        .await;
    assert_eq!(s, 303);

    let to = scenario.to_string();
    let ask = [
        ("to_kind", "scenario"),
        ("to_id", to.as_str()),
        ("want", "pilot"),
        ("message", "想对接"),
    ];
    let (status, _, body) = newcomer.submit("/dockings", &ask).await;
    assert_eq!(status, 422);
    assert!(body.contains("本单位尚未认证"), "{body}");

    // A mistyped code is refused, naming the check character.
    let page = format!("/organisations/{org}");
    let code = format!("{page}/credit-code");
    let (status, _, body) = newcomer
        .submit(&code, &[("credit_code", "91350100M000100Y44")])
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("第 18 位（校验位）"), "{body}");
    // A code another organisation holds is refused too (demo organisations have codes).
    let (_, port) = officer
        .get(&format!(
            "/organisations/{}",
            common::org_id(&app, "tangshan-port").await
        ))
        .await;
    let taken = port
        .split("id=\"credit-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("the port's code on its page for staff")
        .to_string();
    assert_eq!(
        newcomer
            .submit(&code, &[("credit_code", taken.as_str())])
            .await
            .0,
        422
    );
    assert_eq!(
        newcomer
            .submit(&code, &[("credit_code", "91350100M000100Y43")])
            .await
            .0,
        303
    );
    assert!(newcomer.get(&page).await.1.contains("待审核"));
    // Still waiting: no docking yet; members cannot verify themselves.
    assert_eq!(newcomer.submit("/dockings", &ask).await.0, 422);
    let decide = format!("{page}/verification");
    assert_eq!(
        newcomer.submit(&decide, &[("action", "verify")]).await.0,
        403
    );
    assert_eq!(
        officer.submit(&decide, &[("action", "verify")]).await.0,
        303
    );
    assert_eq!(
        officer.submit(&decide, &[("action", "verify")]).await.0,
        409,
        "decided once"
    );
    assert!(officer.get(&page).await.1.contains("id=\"verified-mark\""));
    assert_eq!(newcomer.submit("/dockings", &ask).await.0, 303);
}

#[tokio::test]
async fn confidentiality_terms_come_before_confidential_details_and_the_contact() {
    let app = App::spawn();
    let port = signed_in(&app, "port@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let lab_org = common::org_id(&app, "buaa-robotics").await;
    let secret = "保密-码头图纸-51c7";
    let form = common::scenario_form("条款测试场景：堆场巡检", "堆场巡检需求", secret);
    let (s, loc, _) = port.submit("/scenarios", &form).await;
    assert_eq!(s, 303);
    let id = common::id_from(&loc);
    let page = format!("/scenarios/{id}");
    // The port lets the lab see the confidential details.
    let lab_id = lab_org.to_string();
    assert_eq!(
        port.submit(&format!("{page}/share"), &[("org_id", lab_id.as_str())])
            .await
            .0,
        303
    );
    assert!(lab.get(&page).await.1.contains(secret));
    // Terms set: the lab sees them, not the details, until it accepts.
    let terms = "未经书面同意不得向第三方披露本场景的图纸与数据 <b>x</b>";
    let (s, loc, _) = port
        .submit(&format!("{page}/terms"), &[("terms", terms)])
        .await;
    assert_eq!(s, 303);
    assert!(port
        .get(loc.as_deref().expect("location"))
        .await
        .1
        .contains("保密条款已保存"));
    let view = lab.get(&page).await.1;
    assert!(!view.contains(secret), "details wait for the terms");
    assert!(view.contains("id=\"accept-terms\"") && view.contains("&lt;b&gt;x&lt;&#x2f;b&gt;"));
    // A docking accepted before the terms: no contact for the lab yet, a link to the terms.
    let to = id.to_string();
    let (s, loc, _) = lab
        .submit(
            "/dockings",
            &[
                ("to_kind", "scenario"),
                ("to_id", to.as_str()),
                ("want", "pilot"),
                ("message", "愿意合作"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let dk = common::id_from(&loc);
    let at = format!("/dockings/{dk}");
    assert_eq!(
        port.submit(&format!("{at}/answer"), &[("action", "accept")])
            .await
            .0,
        303
    );
    let d = lab.get(&at).await.1;
    assert!(d.contains("id=\"terms-first\"") && !d.contains("id=\"contact-person\""));
    // The port (whose record it is) sees the lab's contact at once.
    assert!(port.get(&at).await.1.contains("id=\"contact-person\""));
    // The lab accepts: details and contact are shown; the port sees who accepted.
    let (s, loc, _) = lab.submit(&format!("{page}/terms/accept"), &[]).await;
    assert_eq!(s, 303);
    let view = lab.get(loc.as_deref().expect("location")).await.1;
    assert!(view.contains(secret) && view.contains("id=\"terms-accepted\""));
    assert!(lab.get(&at).await.1.contains("id=\"contact-person\""));
    assert!(port.get(&page).await.1.contains("北航机器人研究所"));
    // The owner cannot accept its own terms; changed terms must be accepted anew.
    assert_eq!(
        port.submit(&format!("{page}/terms/accept"), &[]).await.0,
        403
    );
    port.submit(
        &format!("{page}/terms"),
        &[("terms", "新条款：仅限本项目使用")],
    )
    .await;
    assert!(!lab.get(&page).await.1.contains(secret));
    // Removing the terms lifts them.
    port.submit(&format!("{page}/terms"), &[("terms", "")])
        .await;
    assert!(lab.get(&page).await.1.contains(secret));
}

#[tokio::test]
async fn an_organisations_contact_shows_only_after_an_accepted_docking() {
    let app = App::spawn();
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let expert = signed_in(&app, "expert@duijie.demo").await;
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let port_org = common::org_id(&app, "tangshan-port").await;
    let huanghua = common::org_id(&app, "huanghua-port").await;
    // The lab's docking with the port (a broker's introduction) was accepted; with Huanghua
    // port it only asked.
    let port_page = lab.get(&format!("/organisations/{port_org}")).await.1;
    assert!(port_page.contains("0315-8800 6006"));
    let hh = lab.get(&format!("/organisations/{huanghua}")).await.1;
    assert!(!hh.contains("0317-5300 7007") && hh.contains("id=\"contact-hidden\""));
    assert!(!expert
        .get(&format!("/organisations/{port_org}"))
        .await
        .1
        .contains("0315-8800 6006"));
    assert!(officer
        .get(&format!("/organisations/{huanghua}"))
        .await
        .1
        .contains("0317-5300 7007"));
    // The same in JSON.
    let (_, j) = lab.json(&format!("/api/v1/organisations/{huanghua}")).await;
    assert!(j.get("contact_phone").is_none());
    let (_, j) = lab.json(&format!("/api/v1/organisations/{port_org}")).await;
    assert_eq!(j["contact_phone"], "0315-8800 6006");
    // Verified organisations carry the mark on records and matches.
    let (_, list) = lab
        .json("/api/v1/scenarios?q=曹妃甸港区皮带机巡检机器人&per_page=5")
        .await;
    let sid = list["items"][0]["id"].as_i64().expect("a scenario");
    let html = lab.get(&format!("/scenarios/{sid}")).await.1;
    assert!(
        html.matches("class=\"verified\"").count() >= 2,
        "the publisher and its matches"
    );
}

#[tokio::test]
async fn a_party_may_invite_the_programme_officers_to_read_the_conversation() {
    let app = App::spawn();
    let scenario = port_scenario(&app).await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let to = scenario.to_string();
    let (_, loc, _) = lab
        .submit(
            "/dockings",
            &[
                ("to_kind", "scenario"),
                ("to_id", to.as_str()),
                ("want", "pilot"),
                ("message", "请求对接"),
            ],
        )
        .await;
    let at = loc
        .as_deref()
        .map(|l| l.trim_end_matches("?sent=1").to_string())
        .expect("location");
    port.submit(&format!("{at}/answer"), &[("action", "accept")])
        .await;
    port.submit(&format!("{at}/messages"), &[("body", "价格须再议-7d1e")])
        .await;
    let view = officer.get(&at).await.1;
    assert!(!view.contains("价格须再议-7d1e") && view.contains("id=\"staff-note\""));
    // The officer cannot invite itself; a party can, once.
    assert_eq!(
        officer.submit(&format!("{at}/invite-staff"), &[]).await.0,
        403
    );
    let (s, loc, _) = lab.submit(&format!("{at}/invite-staff"), &[]).await;
    assert_eq!(s, 303);
    assert!(lab
        .get(loc.as_deref().expect("location"))
        .await
        .1
        .contains("已邀请项目主管查看双方沟通"));
    assert_eq!(port.submit(&format!("{at}/invite-staff"), &[]).await.0, 409);
    let view = officer.get(&at).await.1;
    assert!(view.contains("价格须再议-7d1e") && !view.contains("id=\"message-form\""));
    assert!(officer
        .get("/inbox")
        .await
        .1
        .contains("data-kind=\"docking_staff_invited\""));
}
