//! The workbench (我的工作台): signing in lands there, and each role sees what waits for it,
//! counted from the records — a request the lab sends shows up as waiting for the port, a
//! registrar sees the contracts to register, an officer the organisations to verify.

mod common;

use common::{signed_in, App, DEMO_PASSWORD};

/// The number on tile `id` of a workbench page.
fn tile(html: &str, id: &str) -> i64 {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no tile {id}"));
    let rest = &html[at..];
    let n = rest.find("class=\"n\">").expect("count") + "class=\"n\">".len();
    rest[n..]
        .split('<')
        .next()
        .and_then(|t| t.replace(',', "").trim().parse().ok())
        .expect("a number")
}

#[tokio::test]
async fn each_role_lands_on_a_workbench_of_what_waits_for_it() {
    let app = App::spawn();
    // Signing in lands on the workbench.
    let b = app.browser();
    let token = b.csrf("/login").await;
    let (s, loc, _) = b
        .post(
            "/login",
            &[
                ("email", "port@duijie.demo"),
                ("password", DEMO_PASSWORD),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!((s, loc.as_deref()), (303, Some("/workbench")));
    let port = b;
    let (s, html) = port.get("/workbench").await;
    assert_eq!(s, 200);
    let waiting = tile(&html, "t-dockings-waiting");
    assert!(html.contains("id=\"t-scenarios\"") && html.contains("id=\"workbench-link\""));

    // The lab asks the port to dock: one more waits for the port.
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let (_, list) = lab
        .json("/api/v1/scenarios?q=曹妃甸港区皮带机巡检机器人&per_page=5")
        .await;
    let scenario = list["items"][0]["id"]
        .as_i64()
        .expect("scenario")
        .to_string();
    let (s, _, _) = lab
        .submit(
            "/dockings",
            &[
                ("to_kind", "scenario"),
                ("to_id", scenario.as_str()),
                ("want", "pilot"),
                ("message", "工作台测试"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let html = port.get("/workbench").await.1;
    assert_eq!(tile(&html, "t-dockings-waiting"), waiting + 1);
    assert!(html.contains("id=\"wb-dockings\""), "the docking is listed");
    assert!(tile(&html, "t-notices") >= 1);

    // The registrar: contracts to register, as many as the pending list shows it.
    let reg = signed_in(&app, "registrar@duijie.demo").await;
    let html = reg.get("/workbench").await.1;
    let pending = tile(&html, "t-contracts-register");
    let list = reg.get("/contracts?status=pending").await.1;
    assert!(pending >= 1);
    assert_eq!(
        list.matches("class=\"status ct-pending\"").count() as i64,
        pending,
        "the tile counts what the list shows"
    );

    // The officer: approvals, attention and the month's figures.
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let html = officer.get("/workbench").await.1;
    assert!(html.contains("id=\"t-verify-orgs\"") && html.contains("id=\"wb-month\""));
    assert!(
        tile(&html, "m-dockings") >= 1,
        "the lab's request this month"
    );

    // The expert and the broker have their own.
    let expert = signed_in(&app, "expert@duijie.demo").await;
    assert!(expert
        .get("/workbench")
        .await
        .1
        .contains("id=\"t-reviews\""));
    let broker = signed_in(&app, "broker@duijie.demo").await;
    let html = broker.get("/workbench").await.1;
    assert_eq!(
        tile(&html, "t-intro-waiting"),
        1,
        "the demo introduction waits"
    );

    // Visitors are sent to sign in.
    let (s, _) = app.browser().get("/workbench").await;
    assert_eq!(s, 303);
}
