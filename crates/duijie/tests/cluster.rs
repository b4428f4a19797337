//! Several `duijie serve` processes on one database behave as one platform: sessions work on
//! every server, and what one server writes is searchable through the others within seconds,
//! because every server's index follows the database's audit log.

mod common;

use std::time::{Duration, Instant};

use common::{id_from, scenario_form, App, DEMO_PASSWORD};

/// Ask `url` until `ok` holds for its JSON, for at most 10 seconds.
async fn eventually(
    client: &reqwest::Client,
    url: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let v: serde_json::Value = client
            .get(url)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        if ok(&v) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

fn ids(v: &serde_json::Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn two_servers_on_one_database_share_sessions_and_search() {
    let a = App::spawn_with(&["--index-poll-ms", "100"]);
    let b = a.peer(&["--index-poll-ms", "100"]);
    let browser = a.browser();
    browser.login("port@duijie.demo", DEMO_PASSWORD).await;
    // Cookies are not tied to a port, so the same browser now talks to server B signed in.
    let r = browser
        .client
        .get(b.url("/account"))
        .send()
        .await
        .expect("get");
    assert_eq!(
        r.status().as_u16(),
        200,
        "a session made on A is valid on B"
    );

    let (_, loc, _) = browser
        .submit(
            "/scenarios",
            &scenario_form("氢能重卡换电示范线路", "需要在港区建设换电示范线路。", ""),
        )
        .await;
    let id = id_from(&loc);
    let client = reqwest::Client::new();
    let on_b = b.url("/api/v1/scenarios?q=%E6%8D%A2%E7%94%B5%E7%A4%BA%E8%8C%83%E7%BA%BF%E8%B7%AF");
    assert!(
        eventually(&client, &on_b, |v| ids(v).contains(&id)).await,
        "B finds what A created"
    );

    // An edit through B is searchable on A; a deletion through B disappears from A's search.
    let token = browser
        .client
        .get(b.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let csrf = token
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .expect("token")
        .to_string();
    let mut form = scenario_form("氢能重卡换电示范线路（二期）", "二期增加光伏车棚。", "");
    form.push(("csrf", &csrf));
    let r = browser
        .client
        .post(b.url(&format!("/scenarios/{id}")))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 303);
    let on_a = a.url("/api/v1/scenarios?q=%E5%85%89%E4%BC%8F%E8%BD%A6%E6%A3%9A");
    assert!(
        eventually(&client, &on_a, |v| ids(v).contains(&id)).await,
        "A finds B's edit"
    );
    let r = browser
        .client
        .post(b.url(&format!("/scenarios/{id}/delete")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 303);
    assert!(
        eventually(&client, &on_a, |v| !ids(v).contains(&id)).await,
        "A forgets what B deleted"
    );
}
