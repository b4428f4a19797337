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

/// A TCP relay in front of PostgreSQL that the test can cut and restore, as a network fault or
/// a database restart would: cutting drops every open connection and refuses new ones.
struct Relay {
    addr: std::net::SocketAddr,
    cut: std::sync::Arc<std::sync::atomic::AtomicBool>,
    links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn to(target: String) -> Relay {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let relay = Relay {
            addr,
            cut: Default::default(),
            links: Default::default(),
        };
        let (cut, links) = (relay.cut.clone(), relay.links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if cut.load(Ordering::SeqCst) {
                    continue; // dropped at once: "connection reset"
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                links.lock().expect("links").push(link);
            }
        });
        relay
    }

    fn cut(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.cut.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// PostgreSQL going away while the server runs: requests fail fast with the 503 page (the API
/// with its `unavailable` code), a signed-in user keeps their session, and everything works
/// again when the database is back, without a restart. PostgreSQL only (the test command runs
/// every test on it as well): an embedded SQLite file cannot be cut off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_answers_503_keeps_sessions_and_heals() {
    let db = common::TestDb::new();
    let Some(url) = db.url.clone() else {
        eprintln!("skipped on SQLite: needs PostgreSQL (DUIJIE_TEST_PG_URL)");
        return;
    };
    let mut u = reqwest::Url::parse(&url).expect("url");
    let target = format!(
        "{}:{}",
        u.host_str().expect("host"),
        u.port().unwrap_or(5432)
    );
    let relay = Relay::to(target).await;
    u.set_port(Some(relay.addr.port())).expect("port");
    let _ = u.set_host(Some("127.0.0.1"));
    let db = common::TestDb {
        dir: db.dir,
        url: Some(u.to_string()),
    };
    let app = App::spawn_in(db, &["--db-timeout-ms", "1000", "--db-pool-size", "4"]);
    let b = app.browser();
    assert_eq!(b.login("port@duijie.demo", DEMO_PASSWORD).await, 303);
    assert_eq!(b.get("/account").await.0, 200);

    relay.cut();
    let started = Instant::now();
    let r = b.client.get(app.url("/account")).send().await.expect("get");
    assert_eq!(r.status().as_u16(), 503, "a page during the outage");
    assert!(
        r.headers().get("set-cookie").is_none(),
        "the session cookie is left alone"
    );
    assert!(r.text().await.expect("body").contains("暂时"), "says so");
    let r = b
        .client
        .get(app.url("/api/v1/scenarios"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 503);
    let v: serde_json::Value = r.json().await.expect("json");
    assert_eq!(v["error"]["code"], "unavailable", "{v}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "fails fast: {:?}",
        started.elapsed()
    );

    relay.restore();
    let deadline = Instant::now() + Duration::from_secs(15);
    let healed = loop {
        let s = b.get("/account").await.0;
        if s == 200 || Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(healed, 200, "signed in as before, no restart, no new login");
}
