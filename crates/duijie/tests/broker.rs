//! Brokered introductions and notices over HTTP: a technology broker introduces the lab's
//! achievement to the port's scenario; each side is told, accepts in turn (the second
//! acceptance opens negotiation and the contacts), and the broker takes part in the
//! conversation; the broker's page credits it; every step reaches the inbox, and — with an
//! SMTP relay configured — the mailbox of each member concerned (a sink on loopback here).

mod common;

use std::sync::{Arc, Mutex};

use common::{org_id, signed_in, App, Browser};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// The first of `/api/v1/{kind}` (any page) for which `pick` holds.
async fn find(app: &App, kind: &str, pick: impl Fn(&serde_json::Value) -> bool) -> i64 {
    for page in 1..=10 {
        let (_, list) = app
            .browser()
            .json(&format!("/api/v1/{kind}?per_page=50&page={page}"))
            .await;
        let items = list["items"].as_array().cloned().unwrap_or_default();
        if let Some(id) = items
            .iter()
            .find(|s| pick(s))
            .and_then(|s| s["id"].as_i64())
        {
            return id;
        }
        if items.is_empty() {
            break;
        }
    }
    panic!("nothing found in {kind}")
}

/// The id of the demo record `key`.
async fn record(app: &App, kind: &str, key: &str) -> i64 {
    find(app, kind, |s| s["key"] == key).await
}

/// A published achievement of organisation `org`.
async fn achievement_of(app: &App, org: i64) -> i64 {
    find(app, "achievements", |s| s["org_id"] == org).await
}

async fn kinds_in_inbox(b: &Browser) -> String {
    b.get("/inbox").await.1
}

#[tokio::test]
async fn a_broker_introduces_two_sides_who_both_accept_and_talk_with_the_broker() {
    let app = App::spawn();
    let scenario = record(&app, "scenarios", "scn-demo-001").await;
    let lab_org = org_id(&app, "buaa-robotics").await;
    let achievement = achievement_of(&app, lab_org).await;
    let broker = signed_in(&app, "broker@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let robot = signed_in(&app, "robot@duijie.demo").await;

    // The form names both sides; only brokers may open it.
    let form = format!("/dockings/introduce?scenario={scenario}&achievement={achievement}");
    let (s, html) = broker.get(&form).await;
    assert_eq!(s, 200);
    assert!(html.contains("id=\"scenario-named\"") && html.contains("id=\"achievement-named\""));
    assert_eq!(lab.get(&form).await.0, 403);
    // The scenario page offers brokers "introduce" on each match.
    let page = broker.get(&format!("/scenarios/{scenario}")).await.1;
    assert!(page.contains("class=\"introduce-link\"") && page.contains("id=\"introduce-link\""));

    // Without a message nothing is stored.
    let (sid, aid) = (scenario.to_string(), achievement.to_string());
    let mut fields = vec![
        ("scenario_id", sid.as_str()),
        ("achievement_id", aid.as_str()),
        ("want", "pilot"),
        ("message", " "),
    ];
    let cards = |html: &str| html.matches("class=\"card docking\"").count();
    let before = cards(&broker.get("/dockings").await.1);
    let (s, _, body) = broker.submit("/dockings/introduce", &fields).await;
    assert_eq!(s, 422);
    assert!(body.contains("data-field=\"message\""));
    assert_eq!(
        cards(&broker.get("/dockings").await.1),
        before,
        "nothing stored"
    );
    // A member cannot introduce; a broker cannot introduce a scenario to its own holder.
    assert_eq!(lab.submit("/dockings/introduce", &fields).await.0, 403);

    fields[3] = ("message", "北航的巡检机器人与贵港需求高度契合，建议洽谈。");
    let (s, loc, _) = broker.submit("/dockings/introduce", &fields).await;
    assert_eq!(s, 303);
    let id = common::id_from(&loc);
    let at = format!("/dockings/{id}");
    let shown = broker.get(loc.as_deref().expect("location")).await.1;
    assert!(shown.contains("引荐已发出"), "the action says what it did");
    assert!(shown.contains("id=\"stage\"") && shown.contains("经纪人引荐"));

    // Both sides are told, and see the introduction waiting for them.
    for side in [&lab, &port] {
        let inbox = kinds_in_inbox(side).await;
        assert!(
            inbox.contains("data-kind=\"docking_introduced\""),
            "{inbox}"
        );
        let view = side.get(&at).await.1;
        assert!(view.contains("id=\"accept\""));
        assert!(view.contains("双方都接受引荐后显示联系人"));
        assert!(!view.contains("id=\"contact-person\""));
    }
    // Nobody else sees it.
    assert_eq!(robot.get(&at).await.0, 404);

    // The lab accepts first: the port and the broker are told; it waits for the port.
    let answer = format!("{at}/answer");
    let (s, loc, _) = lab.submit(&answer, &[("action", "accept")]).await;
    assert_eq!(s, 303);
    assert!(loc.as_deref().is_some_and(|l| l.ends_with("done=accepted")));
    let view = lab.get(&at).await.1;
    assert!(view.contains("id=\"waiting-other\"") && !view.contains("id=\"accept\""));
    assert_eq!(
        lab.submit(&answer, &[("action", "accept")]).await.0,
        409,
        "a side accepts once"
    );
    assert!(kinds_in_inbox(&port)
        .await
        .contains("data-kind=\"docking_side_accepted\""));
    assert!(kinds_in_inbox(&broker)
        .await
        .contains("data-kind=\"docking_side_accepted\""));

    // The port accepts: negotiating, and both see the other's contact.
    assert_eq!(port.submit(&answer, &[("action", "accept")]).await.0, 303);
    let view = lab.get(&at).await.1;
    assert!(view.contains("dk-negotiating") && view.contains("id=\"contact-person\""));
    assert!(port.get(&at).await.1.contains("id=\"contact-person\""));
    assert!(kinds_in_inbox(&lab)
        .await
        .contains("data-kind=\"docking_accepted\""));

    // The broker is a party to the conversation; its message is unread for both sides.
    let msgs = format!("{at}/messages");
    assert_eq!(
        broker
            .submit(&msgs, &[("body", "两位好，资料已互相转达")])
            .await
            .0,
        303
    );
    let lab_list = lab.get("/dockings").await.1;
    assert!(lab_list.contains("id=\"docking-count\""));
    let view = lab.get(&at).await.1;
    assert!(view.contains("两位好，资料已互相转达") && view.contains("技术经纪人"));
    assert_eq!(
        port.submit(&msgs, &[("body", "收到，下周踏勘")]).await.0,
        303
    );
    // The broker's top bar counts the port's message until it reads the docking.
    assert!(broker
        .get("/dockings")
        .await
        .1
        .contains("id=\"docking-count\""));
    assert!(broker.get(&at).await.1.contains("收到，下周踏勘"));
    assert!(!broker
        .get("/dockings")
        .await
        .1
        .contains("id=\"docking-count\""));
    // An outsider cannot write.
    assert_eq!(robot.submit(&msgs, &[("body", "x")]).await.0, 404);

    // The broker's page: its own view lists the docking; the lab sees the figures only.
    let (_, me) = broker.json("/api/v1/me").await;
    let broker_id = me["id"].as_i64().expect("broker id");
    let own = broker.get(&format!("/brokers/{broker_id}")).await.1;
    assert!(own.contains(&format!("/dockings/{id}")) && own.contains("id=\"b-introduced\""));
    let (s, other) = lab.get(&format!("/brokers/{broker_id}")).await;
    assert_eq!(s, 200);
    assert!(other.contains("id=\"b-accepted\"") && !other.contains(&format!("/dockings/{id}\"")));
    assert!(lab
        .get("/brokers")
        .await
        .1
        .contains(&format!("/brokers/{broker_id}")));
    // A page for someone who is not a broker does not exist.
    let (_, lab_me) = lab.json("/api/v1/me").await;
    let lab_user = lab_me["id"].as_i64().expect("lab user id");
    assert_eq!(lab.get(&format!("/brokers/{lab_user}")).await.0, 404);

    // The API: a broker's token introduces; a member's is refused.
    let http = reqwest::Client::new();
    let token = broker.api_token().await;
    let other_scenario = record(&app, "scenarios", "scn-demo-010").await;
    let r = http
        .post(app.url("/api/v1/introductions"))
        .bearer_auth(&token)
        .json(&json!({"scenario_id": other_scenario, "achievement_id": achievement, "message": "可洽谈"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status().as_u16(), 201);
    let d: serde_json::Value = r.json().await.expect("json");
    assert_eq!(d["d"]["stage"], "introduced");
    let lab_token = lab.api_token().await;
    let r = http
        .post(app.url("/api/v1/introductions"))
        .bearer_auth(&lab_token)
        .json(
            &json!({"scenario_id": other_scenario, "achievement_id": achievement, "message": "x"}),
        )
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status().as_u16(), 403);
    let r = http
        .get(app.url(&format!("/api/v1/dockings/{id}/messages")))
        .bearer_auth(&lab_token)
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status().as_u16(), 200);
    let m: serde_json::Value = r.json().await.expect("json");
    assert_eq!(m["items"].as_array().map(Vec::len), Some(2));
}

/// What a loopback SMTP sink received: each mail's recipients and its data.
type Received = Arc<Mutex<Vec<(Vec<String>, String)>>>;

/// A minimal SMTP server on loopback that accepts every mail and keeps it.
async fn smtp_sink() -> (u16, Received) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got: Received = Arc::default();
    let keep = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let mut rcpt = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let up = line.to_ascii_uppercase();
                    let reply: &[u8] = if up.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if up.starts_with("RCPT TO:") {
                        rcpt.push(line[8..].trim().to_string());
                        b"250 ok\r\n"
                    } else if up == "DATA" {
                        let _ = w.write_all(b"354 go on\r\n").await;
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        keep.lock()
                            .expect("lock")
                            .push((std::mem::take(&mut rcpt), data));
                        b"250 queued\r\n"
                    } else if up == "QUIT" {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, got)
}

#[tokio::test]
async fn each_step_is_mailed_to_the_members_it_concerns_through_the_relay() {
    let (smtp, got) = smtp_sink().await;
    let url = format!("smtp://127.0.0.1:{smtp}");
    let app = App::spawn_with(&[
        "--smtp-url",
        &url,
        "--public-url",
        "https://duijie.example.cn",
    ]);
    let scenario = record(&app, "scenarios", "scn-demo-001").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let to = scenario.to_string();
    let (s, loc, _) = lab
        .submit(
            "/dockings",
            &[
                ("to_kind", "scenario"),
                ("to_id", to.as_str()),
                ("want", "pilot"),
                ("message", "我所可在现场中试"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let id = common::id_from(&loc);
    // The port's member gets a mail with the link; the lab (who acted) gets none.
    let link = format!("https://duijie.example.cn/dockings/{id}");
    let mut mail = None;
    for _ in 0..100 {
        mail = got
            .lock()
            .expect("lock")
            .iter()
            .find(|(to, _)| to.iter().any(|t| t.contains("port@duijie.demo")))
            .cloned();
        if mail.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (_, data) = mail.expect("a mail to the port's member");
    let text = data.replace("=\n", "");
    assert!(text.contains(&link), "{text}");
    assert!(
        !got.lock()
            .expect("lock")
            .iter()
            .any(|(to, _)| to.iter().any(|t| t.contains("lab@duijie.demo"))),
        "the actor is not mailed"
    );
    // And the same notice is in the port's inbox.
    let port = signed_in(&app, "port@duijie.demo").await;
    let inbox = port.get("/inbox").await.1.replace("&#x2f;", "/");
    assert!(
        inbox.contains("data-kind=\"docking_requested\"")
            && inbox.contains(&format!("/dockings/{id}")),
        "{}",
        &inbox[inbox.find("<main").unwrap_or(0)..]
    );
    // Reading it all clears the count.
    assert_eq!(port.submit("/inbox/read", &[]).await.0, 303);
    assert!(!port
        .get("/inbox")
        .await
        .1
        .contains("class=\"notice unread\""));
}
