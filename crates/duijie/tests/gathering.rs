//! A whole Scenario Gathering over HTTP on the demo data: the organiser creates an event,
//! organisations register people and block slots, send and answer requests; the organiser
//! schedules (checked by the scheduler's independent checker), locks a meeting, re-schedules
//! after a cancellation; agendas, iCalendar and Excel exports; outcomes.

mod common;

use common::{signed_in, App, Browser};
use serde_json::Value;

/// The demo event's instance and current schedule, rebuilt from the API, checked independently.
fn check_schedule(event: &Value) -> Vec<String> {
    use duijie_schedule::{Input, Meeting, Output, Participant, Request, Slot, Unscheduled};
    let s = |v: &Value| v.as_i64().expect("id").to_string();
    let input = Input {
        slots: event["slots"]
            .as_array()
            .expect("slots")
            .iter()
            .map(|x| Slot {
                id: s(&x["id"]),
                start: x["starts_at"].as_str().expect("start").into(),
                minutes: x["minutes"].as_u64().expect("minutes") as u32,
            })
            .collect(),
        tables: None,
        tables_per_slot: event["slots"]
            .as_array()
            .expect("slots")
            .iter()
            .map(|x| (s(&x["id"]), x["tables"].as_u64().expect("tables") as u32))
            .collect(),
        participants: event["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .map(|p| Participant {
                id: s(&p["id"]),
                side: None,
                unavailable: p["unavailable"]
                    .as_array()
                    .expect("list")
                    .iter()
                    .map(s)
                    .collect(),
            })
            .collect(),
        requests: event["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .filter(|r| r["status"] == "accepted")
            .map(|r| Request {
                id: s(&r["id"]),
                from: s(&r["from_id"]),
                to: s(&r["to_id"]),
                weight: r["priority"].as_u64().expect("priority") as u32,
            })
            .collect(),
        locked: Vec::new(),
        previous: Vec::new(),
    };
    let meetings: Vec<Meeting> = event["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .map(|m| Meeting {
            request: s(&m["request_id"]),
            slot: s(&m["slot_id"]),
            table: m["table_no"].as_u64().expect("table") as u32,
        })
        .collect();
    let unscheduled = input
        .requests
        .iter()
        .filter(|r| !meetings.iter().any(|m| m.request == r.id))
        .map(|r| Unscheduled {
            request: r.id.clone(),
            reason: String::new(),
        })
        .collect();
    let value = input
        .requests
        .iter()
        .filter(|r| meetings.iter().any(|m| m.request == r.id))
        .map(|r| u64::from(r.weight))
        .sum();
    let output = Output {
        meetings,
        unscheduled,
        value,
        upper_bound: event["report"]["upper_bound"].as_f64().expect("bound"),
        gap: 0.0,
        unconstrained_bound: 0.0,
        optimal: false,
        idle_gaps: 0,
        without_meeting: Vec::new(),
        moved: 0,
        seconds: 0.0,
    };
    duijie_schedule::check(&input, &output)
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .expect("list")
        .iter()
        .find(|x| x[key].as_str() == Some(value))
        .unwrap_or_else(|| panic!("no {key} = {value}"))
}

#[tokio::test]
async fn an_organiser_runs_a_whole_gathering() {
    let app = App::spawn();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let visitor = app.browser();

    // A bad slot pattern is refused with the field named, and nothing is created.
    let (s, _, html) = officer
        .submit(
            "/gatherings",
            &[
                ("title_zh", "坏的场景汇"),
                ("date", "2026-13-40"),
                ("first_start", "09:00"),
            ],
        )
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("date"), "{html}");
    assert_eq!(
        visitor.json("/api/v1/gatherings").await.1["items"]
            .as_array()
            .expect("items")
            .len(),
        1
    );
    // Members cannot create events.
    let (s, _, _) = port
        .submit(
            "/gatherings",
            &[
                ("title_zh", "x"),
                ("date", "2026-12-01"),
                ("first_start", "09:00"),
            ],
        )
        .await;
    assert_eq!(s, 403);

    // A new event: four 30-minute slots with a break after two, three tables.
    let (s, loc, _) = officer
        .submit(
            "/gatherings",
            &[
                ("title_zh", "保定智能制造场景汇"),
                ("title_en", "Baoding Smart Manufacturing Gathering"),
                ("venue", "保定国家高新区"),
                ("date", "2099-12-20"),
                ("registration_closes", "2099-12-18"),
                ("first_start", "14:00"),
                ("slot_minutes", "30"),
                ("slot_count", "4"),
                ("break_every", "2"),
                ("break_minutes", "15"),
                ("tables", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let id = common::id_from(&loc);
    let (_, event) = visitor.json(&format!("/api/v1/gatherings/{id}")).await;
    let starts: Vec<&str> = event["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .map(|s| &s["starts_at"].as_str().expect("start")[11..16])
        .collect();
    assert_eq!(starts, ["14:00", "14:30", "15:15", "15:45"]);

    // Registration: each member for their own organisation; a bad e-mail is refused.
    async fn register(b: &Browser, id: i64, name: &str, email: &str, side: &str) -> u16 {
        let path = format!("/gatherings/{id}/participants");
        let form = [
            ("name", name),
            ("email", email),
            ("side", side),
            ("title", "工程师"),
        ];
        b.submit(&path, &form).await.0
    }
    assert_eq!(
        register(&port, id, "李工", "li@port.example", "demand").await,
        303
    );
    assert_eq!(
        register(&lab, id, "张老师", "zhang@buaa.example", "supply").await,
        303
    );
    assert_eq!(
        register(&lab, id, "坏邮箱", "not-an-email", "supply").await,
        422
    );
    assert_eq!(
        register(&visitor, id, "路人", "x@y.example", "supply").await,
        303,
        "visitors are sent to sign in"
    );
    let (_, event) = port.json(&format!("/api/v1/gatherings/{id}")).await;
    let li = find(&event["participants"], "name", "李工")["id"]
        .as_i64()
        .expect("id");
    let zhang = find(&event["participants"], "name", "张老师")["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        find(&event["participants"], "name", "李工")["email"],
        "li@port.example"
    );
    assert!(
        find(&event["participants"], "name", "张老师")["email"].is_null(),
        "other organisations' e-mails are hidden"
    );

    // Li cannot attend the first slot; Zhang's organisation cannot edit Li's availability.
    let first = event["slots"][0]["id"].as_i64().expect("slot").to_string();
    let path = format!("/gatherings/{id}/participants/{li}/availability");
    assert_eq!(lab.submit(&path, &[("unavailable", &first)]).await.0, 403);
    assert_eq!(port.submit(&path, &[("unavailable", &first)]).await.0, 303);
    assert_eq!(
        port.submit(&path, &[("unavailable", "999999")]).await.0,
        422
    );

    // Li asks to meet Zhang; only Zhang's side may accept; a second request for the pair is refused.
    let ask = [
        ("from", li.to_string()),
        ("to", zhang.to_string()),
        ("priority", "5".into()),
        ("message", "想了解巡检机器人".into()),
    ];
    let ask: Vec<(&str, &str)> = ask.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        lab.submit(&format!("/gatherings/{id}/requests"), &ask)
            .await
            .0,
        403,
        "B cannot send in A's name"
    );
    assert_eq!(
        port.submit(&format!("/gatherings/{id}/requests"), &ask)
            .await
            .0,
        303
    );
    assert_eq!(
        port.submit(&format!("/gatherings/{id}/requests"), &ask)
            .await
            .0,
        409
    );
    let (_, event) = port.json(&format!("/api/v1/gatherings/{id}")).await;
    let rid = event["requests"][0]["id"].as_i64().expect("request");
    assert_eq!(
        visitor.json(&format!("/api/v1/gatherings/{id}")).await.1["requests"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    let answer = format!("/gatherings/{id}/requests/{rid}");
    assert_eq!(port.submit(&answer, &[("action", "accept")]).await.0, 403);
    assert_eq!(lab.submit(&answer, &[("action", "accept")]).await.0, 303);

    // Schedule: the meeting avoids Li's blocked slot.
    assert_eq!(
        port.submit(&format!("/gatherings/{id}/schedule"), &[])
            .await
            .0,
        403
    );
    assert_eq!(
        officer
            .submit(&format!("/gatherings/{id}/schedule"), &[])
            .await
            .0,
        303
    );
    let (_, event) = officer.json(&format!("/api/v1/gatherings/{id}")).await;
    assert_eq!(event["meetings"].as_array().map(Vec::len), Some(1));
    assert_ne!(
        event["meetings"][0]["slot_id"]
            .as_i64()
            .map(|s| s.to_string()),
        Some(first.clone())
    );
    assert_eq!(event["report"]["value"], 5);
    assert!(check_schedule(&event).is_empty());

    // Agenda, iCalendar, grid, Excel.
    let (s, html) = port.get(&format!("/gatherings/{id}/agenda/{li}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("张老师"));
    assert_eq!(
        lab.get(&format!("/gatherings/{id}/agenda/{li}")).await.0,
        403
    );
    let (s, ics) = port.get(&format!("/gatherings/{id}/agenda/{li}/ics")).await;
    assert_eq!(s, 200);
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n")
            && ics.contains("BEGIN:VEVENT")
            && ics.contains("DTSTART:20991220T"),
        "{ics}"
    );
    assert_eq!(port.get(&format!("/gatherings/{id}/grid")).await.0, 403);
    let (s, grid) = officer.get(&format!("/gatherings/{id}/grid")).await;
    assert_eq!(s, 200);
    assert!(grid.contains("李工") && grid.contains("张老师"));
    let xlsx = reqwest_bytes(&officer, &app.url(&format!("/gatherings/{id}/export.xlsx"))).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("schedule.xlsx");
    std::fs::write(&file, &xlsx).expect("write");
    let table = duijie_tabular::read(&file, &common::READ_LIMITS).expect("a valid workbook");
    assert_eq!(table.rows.len(), 1);
    assert!(table.rows[0].contains(&"李工".to_string()));

    // Outcomes: each side records its own.
    let mid = event["meetings"][0]["id"].as_i64().expect("meeting");
    let outcome = format!("/gatherings/{id}/meetings/{mid}/outcome");
    assert_eq!(
        lab.submit(&outcome, &[("side", "from"), ("outcome", "pilot")])
            .await
            .0,
        403
    );
    assert_eq!(
        port.submit(&outcome, &[("side", "from"), ("outcome", "pilot")])
            .await
            .0,
        303
    );
    assert_eq!(
        lab.submit(&outcome, &[("side", "to"), ("outcome", "nda")])
            .await
            .0,
        303
    );
    assert_eq!(
        port.submit(&outcome, &[("side", "from"), ("outcome", "bribe")])
            .await
            .0,
        422
    );
    let (_, html) = visitor.get(&format!("/gatherings/{id}")).await;
    assert!(
        html.contains("id=\"outcome-pilot\">1<") && html.contains("id=\"outcome-nda\">0<"),
        "{html}"
    );
}

async fn reqwest_bytes(b: &Browser, url: &str) -> Vec<u8> {
    let r = b.client.get(url).send().await.expect("GET");
    assert_eq!(r.status().as_u16(), 200);
    r.bytes().await.expect("body").to_vec()
}

#[tokio::test]
async fn rescheduling_keeps_locked_meetings_and_moves_few_others() {
    let app = App::spawn();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let (_, list) = officer.json("/api/v1/gatherings").await;
    let id = list["items"][0]["id"].as_i64().expect("demo gathering");
    assert_eq!(
        officer
            .submit(&format!("/gatherings/{id}/schedule"), &[])
            .await
            .0,
        303
    );
    let (_, first) = officer.json(&format!("/api/v1/gatherings/{id}")).await;
    assert!(
        check_schedule(&first).is_empty(),
        "{:?}",
        check_schedule(&first)
    );
    assert_eq!(first["report"]["gap"], 0.0);
    let meetings = first["meetings"].as_array().expect("meetings").clone();
    assert!(meetings.len() >= 10);
    // The optimiser's figures are for the organisers; nobody answers others' requests; each
    // outcome control says whose record it is.
    let page = format!("/gatherings/{id}");
    let visitor = app.browser();
    assert!(!visitor.get(&page).await.1.contains("id=\"report\""));
    let html = officer.get(&page).await.1;
    assert!(html.contains("id=\"report-gap\""));
    assert!(
        !html.contains("class=\"accept\""),
        "the officer answers no one's requests"
    );
    let html = port.get(&page).await.1;
    assert!(!html.contains("id=\"report\""));
    assert!(
        html.contains("发起方记录") || html.contains("受邀方记录"),
        "{html}"
    );

    // Lock one meeting; the port cancels one of its own accepted meetings.
    let locked = &meetings[meetings.len() - 1];
    let lock = format!("/gatherings/{id}/meetings/{}/lock", locked["id"]);
    assert_eq!(port.submit(&lock, &[("locked", "1")]).await.0, 403);
    assert_eq!(officer.submit(&lock, &[("locked", "1")]).await.0, 303);
    let port_org = port.json("/api/v1/me").await.1["org_id"]
        .as_i64()
        .expect("org");
    let cancelled = meetings
        .iter()
        .find(|m| m["from_org_id"] == port_org && m["id"] != locked["id"])
        .expect("a port meeting");
    let path = format!("/gatherings/{id}/requests/{}", cancelled["request_id"]);
    assert_eq!(port.submit(&path, &[("action", "cancel")]).await.0, 303);

    assert_eq!(
        officer
            .submit(&format!("/gatherings/{id}/schedule"), &[])
            .await
            .0,
        303
    );
    let (_, second) = officer.json(&format!("/api/v1/gatherings/{id}")).await;
    assert!(
        check_schedule(&second).is_empty(),
        "{:?}",
        check_schedule(&second)
    );
    let again = find_meeting(&second, locked["request_id"].as_i64().expect("id"));
    assert_eq!(
        (&again["slot_id"], &again["table_no"], &again["locked"]),
        (&locked["slot_id"], &locked["table_no"], &Value::from(1))
    );
    assert!(second["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .all(|m| m["request_id"] != cancelled["request_id"]));
    assert!(
        second["report"]["moved"].as_u64().expect("moved") <= 2,
        "{}",
        second["report"]
    );
}

fn find_meeting(event: &Value, request: i64) -> &Value {
    event["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .find(|m| m["request_id"] == request)
        .expect("meeting")
}

/// The gathering work through the API, with API tokens: register, request, accept, schedule;
/// each answer is the event as the caller now sees it, and bad bodies are named.
#[tokio::test]
async fn a_gathering_is_worked_through_the_api_with_tokens() {
    let app = App::spawn();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let (s, loc, _) = officer
        .submit(
            "/gatherings",
            &[
                ("title_zh", "API 场景汇"),
                ("date", "2099-11-20"),
                ("registration_closes", "2099-11-18"),
                ("first_start", "09:00"),
                ("slot_minutes", "30"),
                ("slot_count", "3"),
                ("tables", "2"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let id = common::id_from(&loc);
    let token = |email: &'static str| common::token_of(&app, email);
    let (port, lab, staff) = (
        token("port@duijie.demo").await,
        token("lab@duijie.demo").await,
        token("officer@duijie.demo").await,
    );
    let post = |path: String, tok: &str, body: Value| {
        let (app, tok) = (&app, tok.to_string());
        async move { common::posted(app, &tok, &format!("/api/v1/gatherings/{id}{path}"), &body).await }
    };
    let (s, event) = post(
        "/participants".into(),
        &port,
        serde_json::json!({"name": "李工", "email": "li@port.example", "side": "demand"}),
    )
    .await;
    assert_eq!(s, 201, "{event}");
    let li = find(&event["participants"], "name", "李工")["id"]
        .as_i64()
        .expect("id");
    let (s, event) = post(
        "/participants".into(),
        &lab,
        serde_json::json!({"name": "张老师", "email": "zhang@buaa.example", "side": "supply"}),
    )
    .await;
    assert_eq!(s, 201);
    let zhang = find(&event["participants"], "name", "张老师")["id"]
        .as_i64()
        .expect("id");
    // Bad bodies: a field of the wrong JSON type, and a bad e-mail, each named.
    let (s, e) = post(
        "/participants".into(),
        &lab,
        serde_json::json!({"name": {"zh": "x"}, "email": "a@b.example", "side": "supply"}),
    )
    .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("name")));
    let (s, e) = post(
        "/participants".into(),
        &lab,
        serde_json::json!({"name": "坏邮箱", "email": "not-an-email", "side": "supply"}),
    )
    .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("email")));

    // The port asks the lab for a meeting; only the lab may accept it.
    let (s, event) = post(
        "/requests".into(),
        &port,
        serde_json::json!({"from": li, "to": zhang, "priority": 5, "message": "巡检机器人"}),
    )
    .await;
    assert_eq!(s, 201, "{event}");
    let rid = event["requests"][0]["id"].as_i64().expect("request");
    let accept = serde_json::json!({"action": "accept"});
    assert_eq!(
        post(format!("/requests/{rid}"), &port, accept.clone())
            .await
            .0,
        403
    );
    let (s, event) = post(format!("/requests/{rid}"), &lab, accept).await;
    assert_eq!(s, 200);
    assert_eq!(event["requests"][0]["status"], "accepted");

    // Only staff schedule; the accepted request becomes a meeting.
    assert_eq!(post("/schedule".into(), &port, Value::Null).await.0, 403);
    let (s, event) = post("/schedule".into(), &staff, Value::Null).await;
    assert_eq!(s, 200, "{event}");
    let meetings = event["meetings"].as_array().expect("meetings");
    assert_eq!(meetings.len(), 1);
    assert!(
        check_schedule(&event).is_empty(),
        "{:?}",
        check_schedule(&event)
    );
}
