//! From prototype to product over HTTP: pilot capacity can never be overbooked, even by
//! concurrent bookings; a service request runs to its result; fund matching is explained both
//! ways and only the fund decides; chain maps show gaps and fill suggestions; cases show what is
//! stuck; outcomes recorded by an officer move the statistics and the Excel export.

mod common;

use common::{id_after, id_from, signed_in, App};

/// The first ranked match of a fund or project page, up to the next.
fn first_match(html: &str) -> &str {
    let start = html.find("<li class=\"match\">").expect("a match");
    let rest = &html[start + 1..];
    let end = rest
        .find("<li class=\"match\">")
        .map_or(html.len(), |e| start + 1 + e);
    &html[start..end]
}

fn text_of<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[at..];
    let start = rest.find('>').expect("tag end") + 1;
    rest[start..].split('<').next().expect("text")
}

#[tokio::test]
async fn concurrent_bookings_never_overbook_a_platform() {
    let app = App::spawn();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let (_, list) = app
        .browser()
        .json("/api/v1/organisations?per_page=100")
        .await;
    let pilot = list["items"]
        .as_array()
        .expect("orgs")
        .iter()
        .find(|o| o["key"] == "hb-pilot")
        .and_then(|o| o["id"].as_i64())
        .expect("hb-pilot");
    let pilot = pilot.to_string();
    let form = [
        ("org_id", pilot.as_str()),
        ("kind", "pilot"),
        ("name_zh", "并发测试平台"),
        ("region", "hebei.tangshan"),
        ("chain", "robotics"),
        ("capacity", "2"),
    ];
    let (s, loc, _) = officer.submit("/platforms", &form).await;
    assert_eq!(s, 303);
    let platform = id_from(&loc).to_string();
    let base = format!("/platforms/{platform}");
    let service = [
        ("kind", "inspection"),
        ("name_zh", "检测"),
        ("lead_days", "1"),
    ];
    assert_eq!(
        officer
            .submit(&format!("{base}/services"), &service)
            .await
            .0,
        303
    );
    let (_, html) = officer.get(&base).await;
    let service_id = id_after(&html, "id=\"f-service\"><option value=\"").to_string();
    // Eight requests by the port for the same three days, one unit each.
    let start = "2099-06-01";
    for _ in 0..8 {
        let ask = [
            ("service_id", service_id.as_str()),
            ("wanted_from", start),
            ("days", "3"),
            ("units", "1"),
        ];
        assert_eq!(port.submit(&format!("{base}/requests"), &ask).await.0, 303);
    }
    let (_, html) = officer.get(&base).await;
    let mut ids = Vec::new();
    let mut rest = html.as_str();
    let marker = format!("{base}/requests/");
    while let Some(at) = rest.find(&marker) {
        let id = id_after(rest, &marker);
        if !ids.contains(&id) {
            ids.push(id);
        }
        rest = &rest[at + marker.len()..];
    }
    assert_eq!(ids.len(), 8);
    // All eight scheduled at once, overlapping by a day each way: only two fit.
    let token = officer.csrf("/").await;
    let tasks: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let client = officer.client.clone();
            let url = app.url(&format!("{base}/requests/{id}"));
            let token = token.clone();
            let day = format!("2099-06-0{}", 1 + i % 2);
            tokio::spawn(async move {
                let form = [
                    ("csrf", token.as_str()),
                    ("action", "schedule"),
                    ("start_day", day.as_str()),
                ];
                client
                    .post(url)
                    .form(&form)
                    .send()
                    .await
                    .expect("POST")
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        2,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 200),
        "{statuses:?}"
    );
    let (_, html) = officer.get(&base).await;
    assert_eq!(html.matches("data-status=\"scheduled\"").count(), 2);
    assert_eq!(html.matches("data-status=\"requested\"").count(), 6);
    // One more on a full day is refused with the day named, and changes nothing; a free week
    // later it fits.
    let waiting: Vec<i64> = html
        .split("<tr class=\"request\"")
        .skip(1)
        .filter(|row| row.starts_with(" data-status=\"requested\""))
        .map(|row| id_after(row, &marker))
        .collect();
    assert_eq!(waiting.len(), 6);
    let mut refused = 0;
    for id in &waiting {
        let path = format!("{base}/requests/{id}");
        let (s, _, body) = officer
            .submit(
                &path,
                &[("action", "schedule"), ("start_day", "2099-06-03")],
            )
            .await;
        if s == 200 {
            assert!(
                body.contains("平台 2099-06-03 已满"),
                "the full day is named"
            );
            refused += 1;
        }
    }
    assert_eq!(
        refused, 6,
        "every waiting request is refused on the full day"
    );
    let (_, html) = officer.get(&base).await;
    assert_eq!(
        html.matches("data-status=\"scheduled\"").count(),
        2,
        "nothing changed"
    );
}

#[tokio::test]
async fn a_service_runs_to_its_result_and_only_the_right_people_act() {
    let app = App::spawn();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let robot = signed_in(&app, "robot@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    // The demo's robotics platform: tj-robot asks for an inspection of its achievement.
    // A visitor sees six whole weeks of capacity and is asked to sign in to request.
    let visitor = app.browser();
    let (_, page) = visitor.get("/platforms/1").await;
    assert!(page.contains("id=\"request-login\""), "{page}");
    let weeks = page.split("id=\"capacity\"").nth(1).unwrap_or("");
    let weeks = weeks.split("</table>").next().unwrap_or("");
    assert_eq!(
        weeks.matches("<tr>").count(),
        1 + 6,
        "a header and six weeks"
    );
    let (_, html) = robot.get("/platforms/1").await;
    assert!(html.contains("防爆与环境适应性检测"));
    let (service, achievement) = common::request_choices(&html);
    let ask = [
        ("service_id", service.as_str()),
        ("achievement_id", achievement.as_str()),
        ("wanted_from", "2099-01-05"),
        ("days", "2"),
        ("units", "1"),
        ("note", "智巡内部说明"),
    ];
    // More units a day than the platform has, or a start already past, is refused.
    let mut too_many = ask;
    too_many[4] = ("units", "999");
    let (s, _, body) = robot.submit("/platforms/1/requests", &too_many).await;
    assert_eq!(s, 200);
    assert!(
        body.contains("不能超过平台的日产能"),
        "the capacity is named"
    );
    let mut past = ask;
    past[2] = ("wanted_from", "2020-01-06");
    let (s, _, body) = robot.submit("/platforms/1/requests", &past).await;
    assert_eq!(s, 200);
    assert!(body.contains("2020-01-06 已过"));
    assert_eq!(robot.submit("/platforms/1/requests", &ask).await.0, 303);
    // Another organisation's achievement is refused.
    let (_, lab_page) = lab.get("/platforms/1").await;
    let theirs = [
        ("achievement_id", achievement.as_str()),
        ("service_id", service.as_str()),
        ("wanted_from", "2099-01-05"),
        ("days", "1"),
        ("units", "1"),
    ];
    let (s, _, body) = lab.submit("/platforms/1/requests", &theirs).await;
    assert_eq!(s, 200);
    assert!(body.contains("不是本单位的成果"));
    assert!(
        !lab_page.contains("智巡内部说明"),
        "others do not see the request"
    );
    let (_, html) = officer.get("/platforms/1").await;
    let row = html
        .split("<tr class=\"request\"")
        .find(|r| r.contains("2099-01-05"))
        .expect("the request");
    let id = id_after(row, "/platforms/1/requests/").to_string();
    let path = format!("/platforms/1/requests/{id}");
    // The requester cannot schedule; the operator (staff here) can.
    assert_eq!(
        robot
            .submit(
                &path,
                &[("action", "schedule"), ("start_day", "2099-01-05")]
            )
            .await
            .0,
        409
    );
    assert_eq!(lab.submit(&path, &[("action", "cancel")]).await.0, 403);
    assert_eq!(
        officer
            .submit(
                &path,
                &[("action", "schedule"), ("start_day", "2099-01-05")]
            )
            .await
            .0,
        303
    );
    let done = [
        ("action", "done"),
        ("result", "pass"),
        ("report", "报告 HBP-2099-001"),
        ("next_step", "小批量"),
    ];
    assert_eq!(officer.submit(&path, &done).await.0, 303);
    let (_, html) = robot.get("/platforms/1").await;
    assert!(
        html.contains("报告 HBP-2099-001"),
        "the requester sees the result"
    );
    // Delivered services count on the statistics page (the demo has two already: the robot
    // firm's and the port's voucher-paid testing).
    let (_, stats) = app.browser().get("/outcomes").await;
    assert_eq!(text_of(&stats, "t-services"), "3");
    // Charts are HTML bars with their figures behind a toggle, coloured in turn, one bar per
    // stage; amounts carry thousands separators.
    assert!(!stats.contains("<svg"), "no fixed-size drawings");
    assert!(stats.matches("class=\"hbar c").count() >= 6);
    assert!(stats.contains("<details class=\"data\"><summary>查看数据表</summary>"));
    let stages = stats.split("id=\"stage-figures\"").nth(1).unwrap_or("");
    let stages = stages.split("</div></div>").next().unwrap_or("");
    assert!(stages.contains("data-step=\"demand\"") && stages.contains("data-step=\"rooted\""));
}

#[tokio::test]
async fn funds_and_projects_are_matched_both_ways_with_reasons_and_only_the_fund_decides() {
    let app = App::spawn();
    let visitor = app.browser();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    // The membrane fund: the Hengshui membrane line fits it best, with the reasons said.
    let (s, html) = visitor.get("/funds/2").await;
    assert_eq!(s, 200);
    let first = first_match(&html);
    assert!(first.contains("中空纤维超滤膜衡水中试线"), "best fit first");
    assert!(first.contains("产业链在基金投资方向内"));
    assert!(first.contains("领域相符"));
    assert!(
        !html.contains("尽职调查"),
        "a visitor does not see the decision"
    );
    // The vehicle project: a fund outside its chain says so.
    let (_, html) = visitor.get("/funds/projects/3").await;
    assert!(html.contains("产业链不在基金投资方向内"));
    // Deciding is the fund's (staff act for it); another member is refused.
    let decide = [("project_id", "3"), ("status", "interest")];
    assert_eq!(lab.submit("/funds/2/deals", &decide).await.0, 403);
    let invest = [
        ("project_id", "3"),
        ("status", "invested"),
        ("amount_wan", "0"),
    ];
    let (s, _, _) = officer.submit("/funds/2/deals", &invest).await;
    assert_ne!(s, 303, "an investment needs its amount");
    let invest = [
        ("project_id", "3"),
        ("status", "invested"),
        ("amount_wan", "800"),
        ("invested_on", "2026-06-01"),
    ];
    assert_eq!(officer.submit("/funds/2/deals", &invest).await.0, 303);
    let (_, html) = officer.get("/funds/projects/3").await;
    assert!(html.contains("已投资"));
    let (_, stats) = visitor.get("/outcomes").await;
    // 1 500 (demo) + 800 fund money and 15 500 of project investment.
    assert_eq!(text_of(&stats, "t-invested"), "17800");

    // An enterprise seeks finance for one of its achievements; the fund that fits every
    // criterion comes first. Another organisation's achievement is refused.
    let robot = signed_in(&app, "robot@duijie.demo").await;
    let (_, page) = robot.get("/funds").await;
    let ach = id_after(
        &page,
        "id=\"f-fp-achievement\"><option value=\"\">—</option><option value=\"",
    )
    .to_string();
    let fp = [
        ("title", "巡检机器人二期"),
        ("chain", "robotics"),
        ("field", "巡检机器人"),
        ("stage", "early"),
        ("region", "hebei.tangshan"),
        ("amount_wan", "1000"),
        ("achievement_id", ach.as_str()),
    ];
    assert_ne!(
        lab.submit("/funds/projects", &fp).await.0,
        303,
        "not B's achievement"
    );
    let (s, loc, _) = robot.submit("/funds/projects", &fp).await;
    assert_eq!(s, 303);
    let (_, html) = visitor.get(&loc.expect("location")).await;
    assert!(html.contains(&format!("/achievements/{ach}")));
    let best = first_match(&html);
    assert!(best.contains("<span class=\"score\">100</span>"));
    assert!(
        !best.contains("fit-gap") && !best.contains("fit-partial"),
        "everything fits"
    );
    assert!(
        html.contains("领域相符：机器人、巡检"),
        "the field words found are named"
    );
}

#[tokio::test]
async fn chain_maps_show_gaps_and_cases_show_what_is_stuck() {
    let app = App::spawn();
    let visitor = app.browser();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let robot = signed_in(&app, "robot@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let (_, html) = visitor.get("/chains/robotics").await;
    let level = |html: &str, name: &str| -> String {
        let at = html
            .find(&format!("<h3>{name} "))
            .unwrap_or_else(|| panic!("{name}"));
        let row = &html[..at];
        let start = row.rfind("data-level=\"").expect("level") + "data-level=\"".len();
        row[start..].split('"').next().expect("level").to_string()
    };
    assert_eq!(level(&html, "港口应用"), "strong", "four Hebei enterprises");
    assert_eq!(level(&html, "矿山应用"), "present");
    assert_eq!(level(&html, "电力巡检"), "gap");
    // A police bureau is no enterprise: placed on public safety, it does not count.
    assert_eq!(level(&html, "公共安全应用"), "gap");
    let machines = &html[html.find("<h3>整机制造 ").expect("card")..];
    let machines = machines.split("</article>").next().unwrap_or("");
    assert!(!machines.contains("公安局"), "{machines}");
    assert!(
        html.contains("可补链"),
        "Beijing/Tianjin achievements suggested for gaps"
    );
    // The officer places a second grid company: the gap closes.
    let (_, orgs) = visitor.json("/api/v1/organisations?per_page=100").await;
    let grid_link = id_after(
        &html[html[..html.find("<h3>电力巡检 ").expect("card")]
            .rfind("<article")
            .expect("card start")..],
        "id=\"link-",
    );
    let other = orgs["items"]
        .as_array()
        .expect("orgs")
        .iter()
        .find(|o| o["key"] == "handan-steel")
        .and_then(|o| o["id"].as_i64())
        .expect("org")
        .to_string();
    let link = grid_link.to_string();
    let place = [
        ("link_id", link.as_str()),
        ("entity", "organisation"),
        ("entity_id", other.as_str()),
    ];
    assert_eq!(
        robot.submit("/chains/robotics/places", &place).await.0,
        403,
        "officers only"
    );
    assert_eq!(
        officer.submit("/chains/robotics/places", &place).await.0,
        303
    );
    let (_, html) = visitor.get("/chains/robotics").await;
    assert_eq!(level(&html, "电力巡检"), "present");

    // The demo case: its overdue and blocked steps are listed as stuck for its organisation.
    let (_, html) = robot.get("/cases").await;
    let stuck = &html[html.find("id=\"stuck\"").expect("stuck list")..];
    assert!(stuck.contains("首台（套）保险投保") && stuck.contains("已逾期"));
    assert!(stuck.contains("唐山孵化器入驻") && stuck.contains("受阻"));
    let case = id_after(&html, "<a href=\"/cases/");
    assert_eq!(
        lab.get(&format!("/cases/{case}")).await.0,
        404,
        "another organisation"
    );
    let (_, page) = robot.get(&format!("/cases/{case}")).await;
    let step = id_after(
        &page[page.find("首台（套）保险投保").expect("step")..],
        &format!("/cases/{case}/steps/"),
    );
    let (s, _, _) = robot
        .submit(
            &format!("/cases/{case}/steps/{step}"),
            &[("status", "done"), ("note", "已投保")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = robot.get("/cases").await;
    assert!(
        !html.contains("首台（套）保险投保"),
        "done is no longer stuck"
    );
}

#[tokio::test]
async fn an_outcome_an_officer_records_moves_the_statistics_and_the_export() {
    let app = App::spawn();
    let visitor = app.browser();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let port = signed_in(&app, "port@duijie.demo").await;
    let (_, before) = visitor.get("/outcomes").await;
    assert_eq!(text_of(&before, "t-companies"), "2");
    let form = [
        ("kind", "company"),
        ("title", "北京某机器人公司唐山子公司"),
        ("region", "hebei.tangshan"),
        ("chain", "robotics"),
        ("source_region", "beijing"),
        ("occurred_on", "2026-03-15"),
        ("achievement_id", "2"),
    ];
    assert_eq!(
        port.submit("/outcomes", &form).await.0,
        403,
        "officers record outcomes"
    );
    let bad = [
        ("kind", "company"),
        ("title", "x"),
        ("region", "hebei.tangshan"),
        ("chain", "robotics"),
        ("source_region", "beijing"),
        ("occurred_on", "2026-02-30"),
    ];
    assert_ne!(
        officer.submit("/outcomes", &bad).await.0,
        303,
        "an impossible date is refused"
    );
    let mut dangling = form.to_vec();
    dangling.retain(|(k, _)| *k != "achievement_id");
    dangling.push(("achievement_id", "999999"));
    let (s, _, body) = officer.submit("/outcomes", &dangling).await;
    assert_ne!(s, 303, "a link to nothing is refused");
    assert!(
        body.contains("成果编号"),
        "the link is named, as the form names it"
    );
    assert_eq!(officer.submit("/outcomes", &form).await.0, 303);
    let (_, after) = visitor.get("/outcomes").await;
    assert_eq!(text_of(&after, "t-companies"), "3");
    let (_, y) = visitor.get("/outcomes?year=2026").await;
    assert!(y.contains("data-key=\"hebei.tangshan\""));
    let r = visitor
        .client
        .get(app.url("/outcomes/export.xlsx"))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.expect("body");
    let t = duijie_tabular::read_bytes("outcomes.xlsx", &bytes, &common::READ_LIMITS)
        .expect("workbook");
    let rooted = t
        .rows
        .iter()
        .find(|r| r[1] == "Companies rooted")
        .expect("row");
    assert_eq!(rooted[2], "3");
}
