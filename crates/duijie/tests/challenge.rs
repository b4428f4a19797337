//! A whole horse-racing challenge over HTTP on the demo data: posted by an enterprise,
//! published by the officer, two teams apply (terms first), reviewers are assigned with every
//! conflict excluded, experts score, the officer awards both, a milestone drops one team, the
//! challenge is accepted. Who sees what is checked along the way.

mod common;

use common::{org_id, signed_in, App};

const EXPERTS: [&str; 5] = [
    "expert@duijie.demo",
    "expert2@duijie.demo",
    "expert3@duijie.demo",
    "expert4@duijie.demo",
    "expert5@duijie.demo",
];

/// Every expert submits scores for each of their open reviews in the current round.
async fn everyone_reviews(app: &App, id: i64, round: i64) -> usize {
    let mut done = 0;
    for email in EXPERTS {
        let b = signed_in(app, email).await;
        let (_, json) = b.json(&format!("/api/v1/challenges/{id}")).await;
        for r in json["reviews"].as_array().expect("reviews") {
            if r["round"] != round || !r["submitted_at"].is_null() {
                continue;
            }
            let path = format!("/challenges/{id}/reviews/{}", r["id"]);
            // Scores differ by expert so that the ranking is not a tie.
            let s = (5 + done % 4).to_string();
            let form = [
                ("score_0", s.as_str()),
                ("score_1", "7"),
                ("score_2", "8"),
                ("score_3", "6"),
                ("comment", "方案可行"),
            ];
            assert_eq!(b.submit(&path, &form).await.0, 303, "{email} submits");
            done += 1;
        }
    }
    done
}

#[tokio::test]
async fn a_horse_race_runs_from_posting_to_acceptance_without_a_conflicted_reviewer() {
    let app = App::spawn();
    let port = signed_in(&app, "port@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let robot = signed_in(&app, "robot@duijie.demo").await;
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let admin = signed_in(&app, "admin@duijie.demo").await;
    let visitor = app.browser();

    // Post: a bad deadline is refused with the field named; then a draft.
    let mut form = vec![
        ("title_zh", "矿用巡检机器人定位精度攻关"),
        ("problem", "井下巷道无 GPS，现有巡检机器人定位漂移大。"),
        ("targets", "定位误差 ≤ 2 cm（1 m/s）"),
        ("funding_wan", "300"),
        ("deadline", "2099-02-30"),
        ("mode", "race"),
        ("reviewers", "2"),
        ("confidential", "巷道三维点云数据另行提供"),
    ];
    let (s, _, html) = port.submit("/challenges", &form).await;
    assert_eq!(s, 422);
    assert!(html.contains("deadline"), "{html}");
    form[4] = ("deadline", "2099-03-31");
    let (s, loc, _) = port.submit("/challenges", &form).await;
    assert_eq!(s, 303);
    let id = common::id_from(&loc);
    let page = format!("/challenges/{id}");
    assert_eq!(visitor.get(&page).await.0, 404, "drafts are the poser's");
    assert_eq!(
        lab.submit(&format!("{page}/status"), &[("action", "submit")])
            .await
            .0,
        404,
        "others do not even see the draft"
    );
    assert_eq!(
        port.submit(&format!("{page}/status"), &[("action", "submit")])
            .await
            .0,
        303
    );
    assert_eq!(
        port.submit(&format!("{page}/status"), &[("action", "publish")])
            .await
            .0,
        403
    );
    assert_eq!(
        officer
            .submit(&format!("{page}/status"), &[("action", "publish")])
            .await
            .0,
        303
    );
    assert_eq!(visitor.get(&page).await.0, 200);

    // Confidential details only after accepting the terms; applying needs the terms.
    let (_, html) = lab.get(&page).await;
    assert!(!html.contains("巷道三维点云数据"));
    let apply = |title: &'static str, plan: &'static str, partner: String| {
        vec![
            ("title".to_string(), title.to_string()),
            ("plan".to_string(), plan.to_string()),
            ("budget_wan".to_string(), "280".to_string()),
            // Team and milestones as repeated rows; blank rows are skipped.
            ("member_name".to_string(), "张老师".to_string()),
            (
                "member_affiliation".to_string(),
                "北京航空航天大学".to_string(),
            ),
            ("member_name".to_string(), String::new()),
            ("member_affiliation".to_string(), String::new()),
            ("ms_name".to_string(), "样机交付".to_string()),
            ("ms_date".to_string(), "2027-03-31".to_string()),
            ("ms_tranche".to_string(), "100".to_string()),
            ("ms_name".to_string(), String::new()),
            ("ms_date".to_string(), String::new()),
            ("ms_tranche".to_string(), String::new()),
            ("partner".to_string(), partner),
        ]
    };
    let bit = org_id(&app, "bit-ai").await;
    let std = org_id(&app, "hebei-std").await;
    let lab_form = apply(
        "激光 SLAM 与 UWB 融合定位",
        "机器人 巡检 激光雷达 定位 导航 融合 SLAM",
        bit.to_string(),
    );
    let lab_pairs = lab_form.clone();
    let refs: Vec<(&str, &str)> = lab_pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        lab.submit(&format!("{page}/applications"), &refs).await.0,
        422
    );
    assert_eq!(
        lab.submit(&format!("{page}/terms"), &[("agree", "1")])
            .await
            .0,
        303
    );
    let (_, html) = lab.get(&page).await;
    assert!(
        html.contains("巷道三维点云数据"),
        "terms accepted: confidential shown"
    );
    // A milestone without its date is refused, naming the field.
    let mut half: Vec<(&str, &str)> = refs.clone();
    half.retain(|(k, _)| *k != "ms_date");
    let (s, _, body) = lab.submit(&format!("{page}/applications"), &half).await;
    assert_eq!(s, 422, "{body}");
    assert!(
        body.contains("里程碑须填写形如 2027-06-30 的日期"),
        "{body}"
    );
    let (s, loc, _) = lab.submit(&format!("{page}/applications"), &refs).await;
    assert_eq!(s, 303);
    // The next page says what the action did.
    let next = loc.clone().unwrap_or_default();
    assert!(next.contains("?ok=applied#applications"), "{next}");
    let (_, html) = lab.get(&next).await;
    assert!(
        html.contains("id=\"flash\"") && html.contains("申报已提交"),
        "{html}"
    );
    // Only known codes speak.
    let (_, html) = lab.get(&format!("{page}?ok=%3Cb%3Ehi")).await;
    assert!(!html.contains("id=\"flash\""));
    assert_eq!(
        lab.submit(&format!("{page}/applications"), &refs).await.0,
        409,
        "one application per organisation"
    );
    // The robot firm partners with the provincial department (so the officer is conflicted).
    let robot_form = apply(
        "视觉里程计与惯导组合定位",
        "视觉 定位 机器人 巡检 惯导",
        std.to_string(),
    );
    let robot_pairs = robot_form.clone();
    let refs: Vec<(&str, &str)> = robot_pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        robot
            .submit(&format!("{page}/terms"), &[("agree", "1")])
            .await
            .0,
        303
    );
    assert_eq!(
        robot.submit(&format!("{page}/applications"), &refs).await.0,
        303
    );
    assert_eq!(
        port.submit(&format!("{page}/applications"), &refs).await.0,
        400,
        "the poser cannot apply"
    );

    // Applicants see only their own application.
    let (_, html) = lab.get(&page).await;
    assert!(html.contains("激光 SLAM") && !html.contains("视觉里程计"));
    let (_, json) = robot.json(&format!("/api/v1{page}")).await;
    assert_eq!(json["applications"].as_array().map(Vec::len), Some(1));

    // Close and assign: two reviewers each, no conflicted expert.
    assert_eq!(
        officer.submit(&format!("{page}/assign"), &[]).await.0,
        409,
        "still open"
    );
    assert_eq!(
        officer
            .submit(&format!("{page}/status"), &[("action", "close")])
            .await
            .0,
        303
    );
    assert_eq!(port.submit(&format!("{page}/assign"), &[]).await.0, 403);
    assert_eq!(officer.submit(&format!("{page}/assign"), &[]).await.0, 303);
    let (_, json) = admin.json(&format!("/api/v1{page}")).await;
    let apps = json["applications"].as_array().expect("apps").clone();
    let app_of = |title: &str| {
        apps.iter()
            .find(|a| a["title"] == title)
            .expect("application")["id"]
            .as_i64()
            .expect("id")
    };
    let (lab_app, robot_app) = (
        app_of("激光 SLAM 与 UWB 融合定位"),
        app_of("视觉里程计与惯导组合定位"),
    );
    let reviews = json["reviews"].as_array().expect("reviews").clone();
    assert_eq!(reviews.len(), 4);
    let reviewers_of = |app: i64| -> Vec<String> {
        reviews
            .iter()
            .filter(|r| r["application_id"] == app)
            .map(|r| r["reviewer"].as_str().expect("name").to_string())
            .collect()
    };
    // 钱专家 works at BIT (a partner of the lab's team); 孙专家 lists the lab as a collaborator.
    for name in ["钱专家", "孙专家"] {
        assert!(
            !reviewers_of(lab_app).contains(&name.to_string()),
            "{name} is conflicted: {:?}",
            reviewers_of(lab_app)
        );
    }
    // The officer's department partners the robot team: the officer does not see its reviewers.
    let (_, as_officer) = officer.json(&format!("/api/v1{page}")).await;
    assert!(as_officer["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .all(|r| r["application_id"] != robot_app));
    let (_, html) = officer.get(&page).await;
    assert!(html.contains("hidden-reviewers"));
    // Each assigned expert is told, and sees what they score: budget, team and milestones.
    let mut told = 0;
    for email in EXPERTS {
        let b = signed_in(&app, email).await;
        let (_, mine) = b.json(&format!("/api/v1{page}")).await;
        let has = mine["reviews"].as_array().is_some_and(|r| !r.is_empty());
        let inbox = b.get("/inbox").await.1;
        assert_eq!(
            inbox.contains("data-kind=\"review_assigned\""),
            has,
            "{email}: {inbox}"
        );
        if has {
            told += 1;
            let html = b.get(&page).await.1;
            assert!(
                html.contains("揭榜评审") && !html.contains("第0"),
                "{email}"
            );
            assert!(
                html.contains("申请经费") && html.contains("每项 0–10 分"),
                "{email}"
            );
            assert!(
                html.contains("class=\"list milestones\"") || html.contains("class=\"team\""),
                "{email}"
            );
        }
    }
    assert!(told >= 2, "{told} experts told");

    // Experts score; the officer awards both teams (horse racing); rejected would need reasons.
    assert_eq!(everyone_reviews(&app, id, 0).await, 4);
    let (_, json) = admin.json(&format!("/api/v1{page}")).await;
    assert_eq!(json["summary"].as_array().map(Vec::len), Some(2));
    // The officer sees what the ranking is made of: each criterion's score and the comments.
    let html = admin.get(&page).await.1;
    assert!(
        html.contains("criteria-scores") && html.contains("方案可行"),
        "{html}"
    );
    assert!(
        html.contains("校正后") && html.contains("专长匹配度"),
        "{html}"
    );
    let award = [
        ("award", lab_app.to_string()),
        ("award", robot_app.to_string()),
    ];
    let refs: Vec<(&str, &str)> = award.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        officer.submit(&format!("{page}/decide"), &refs).await.0,
        303
    );
    assert_eq!(
        officer
            .submit(&format!("{page}/status"), &[("action", "execute")])
            .await
            .0,
        303
    );

    // Milestone 1: reviewed again, the robot team is dropped with a reason, the lab passes.
    assert_eq!(officer.submit(&format!("{page}/assign"), &[]).await.0, 303);
    assert_eq!(everyone_reviews(&app, id, 1).await, 4);
    let drop = [
        (format!("pass_{lab_app}"), "1".to_string()),
        (format!("tranche_{lab_app}"), "100".to_string()),
        (format!("reason_{lab_app}"), "指标达成".to_string()),
        (format!("pass_{robot_app}"), "0".to_string()),
        (format!("reason_{robot_app}"), String::new()),
    ];
    let refs: Vec<(&str, &str)> = drop.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        officer.submit(&format!("{page}/milestone"), &refs).await.0,
        422,
        "a dropped team is told why"
    );
    let mut drop = drop.clone();
    drop[4].1 = "定位误差 4.8 cm，未达 2 cm 指标".into();
    let refs: Vec<(&str, &str)> = drop.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        officer.submit(&format!("{page}/milestone"), &refs).await.0,
        303
    );
    let (_, json) = robot.json(&format!("/api/v1{page}")).await;
    let mine = &json["applications"][0];
    assert_eq!(
        (mine["status"].as_str(), mine["reason"].as_str()),
        (Some("dropped"), Some("定位误差 4.8 cm，未达 2 cm 指标"))
    );
    let (_, json) = lab.json(&format!("/api/v1{page}")).await;
    assert_eq!(json["applications"][0]["status"], "racing");
    assert_eq!(json["applications"][0]["funded_fen"], 100 * 1_000_000);
    assert_eq!(
        officer
            .submit(&format!("{page}/status"), &[("action", "accept")])
            .await
            .0,
        303
    );
    let (_, json) = visitor.json(&format!("/api/v1{page}")).await;
    assert_eq!(json["challenge"]["status"], "accepted");
    assert!(
        json["confidential"].is_null() && json["applications"].as_array().map(Vec::len) == Some(0)
    );

    // The Excel export is for staff.
    assert_eq!(lab.get(&format!("{page}/export.xlsx")).await.0, 403);
    assert_eq!(officer.get(&format!("{page}/export.xlsx")).await.0, 200);
}

#[tokio::test]
async fn a_declared_conflict_removes_the_review_and_the_list_filters() {
    let app = App::spawn();
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let lab = signed_in(&app, "lab@duijie.demo").await;
    let (_, list) = lab.json("/api/v1/challenges").await;
    let id = list["items"][0]["id"].as_i64().expect("the demo challenge");
    let page = format!("/challenges/{id}");
    assert_eq!(
        lab.submit(&format!("{page}/terms"), &[("agree", "1")])
            .await
            .0,
        303
    );
    let form = [
        ("title", "托辊声纹诊断"),
        ("plan", "机器人 巡检 故障诊断 声纹 视觉"),
        ("budget_wan", "200"),
    ];
    assert_eq!(
        lab.submit(&format!("{page}/applications"), &form).await.0,
        303
    );
    assert_eq!(
        officer
            .submit(&format!("{page}/status"), &[("action", "close")])
            .await
            .0,
        303
    );
    assert_eq!(
        officer
            .submit(&format!("{page}/assign"), &[("objective", "fair")])
            .await
            .0,
        303
    );
    let (_, json) = officer.json(&format!("/api/v1{page}")).await;
    let review = json["reviews"][0].clone();
    let app_id = review["application_id"].as_i64().expect("application");
    let expert = EXPERTS
        .iter()
        .copied()
        .find(|e| {
            let n = review["reviewer"].as_str().unwrap_or("");
            (n == "赵专家" && *e == "expert@duijie.demo")
                || (n == "钱专家" && *e == "expert2@duijie.demo")
                || (n == "孙专家" && *e == "expert3@duijie.demo")
                || (n == "李专家" && *e == "expert4@duijie.demo")
                || (n == "周专家" && *e == "expert5@duijie.demo")
        })
        .expect("a demo expert");
    let b = signed_in(&app, expert).await;
    let path = format!("{page}/applications/{app_id}/conflict");
    assert_eq!(
        lab.submit(&path, &[("reason", "x")]).await.0,
        403,
        "members cannot declare for experts"
    );
    assert_eq!(
        b.submit(&path, &[("reason", "former student")]).await.0,
        303
    );
    let (_, json) = b.json(&format!("/api/v1{page}")).await;
    assert_eq!(
        json["reviews"].as_array().map(Vec::len),
        Some(0),
        "the assignment is withdrawn"
    );

    // The list filters by text and mode.
    let (_, html) = app
        .browser()
        .get("/challenges?q=%E6%89%98%E8%BE%8A&mode=race")
        .await;
    assert!(html.contains("托辊故障智能诊断"));
    let (_, html) = app.browser().get("/challenges?mode=unveil").await;
    assert!(!html.contains("托辊故障智能诊断"));
}

/// Statuses read as words in the page's language, from the domain's one vocabulary: the list's
/// filter and badges show no raw codes.
#[tokio::test]
async fn challenge_statuses_read_as_words_in_each_language() {
    let app = App::spawn();
    let b = app.browser();
    let (s, html) = b.get("/challenges").await;
    assert_eq!(s, 200);
    assert!(
        html.contains("<option value=\"published\">揭榜中</option>"),
        "{html}"
    );
    assert!(!html.contains(">published<") && !html.contains(">reviewing<"));
    assert!(html.contains("class=\"status cs-published\">揭榜中</span>"));
    let (s, _) = b.get("/lang/en?next=/challenges").await;
    assert_eq!(s, 303);
    let (_, html) = b.get("/challenges").await;
    assert!(html.contains("<option value=\"published\">Open for applications</option>"));
}

/// The challenge work through the API with tokens, from posting to the decision: each answer
/// is the challenge as the caller now sees it; repeated rows go as lists; the rules are the
/// pages' (terms before applying, one application per organisation, staff assign and decide).
#[tokio::test]
async fn a_challenge_is_worked_through_the_api_with_tokens() {
    use serde_json::{json, Value};
    let app = App::spawn();
    let token = |email: &'static str| common::token_of(&app, email);
    let (port, lab, officer) = (
        token("port@duijie.demo").await,
        token("lab@duijie.demo").await,
        token("officer@duijie.demo").await,
    );
    let post = |path: String, tok: &str, body: Value| {
        let (app, tok) = (&app, tok.to_string());
        async move { common::posted(app, &tok, &format!("/api/v1/challenges{path}"), &body).await }
    };
    let (s, c) = post(
        String::new(),
        &port,
        json!({"title_zh": "API 揭榜：港口门机远程操控", "problem": "司机室高空作业风险大。",
               "targets": "远程操控时延 ≤ 100 ms", "funding_wan": "200", "deadline": "2099-05-31",
               "reviewers": 2}),
    )
    .await;
    assert_eq!(s, 201, "{c}");
    let id = c["challenge"]["id"]
        .as_i64()
        .or_else(|| c["id"].as_i64())
        .expect("id");
    assert_eq!(
        post(format!("/{id}/status"), &port, json!({"action": "submit"}))
            .await
            .0,
        200
    );
    assert_eq!(
        post(format!("/{id}/status"), &port, json!({"action": "publish"}))
            .await
            .0,
        403
    );
    assert_eq!(
        post(
            format!("/{id}/status"),
            &officer,
            json!({"action": "publish"})
        )
        .await
        .0,
        200
    );

    // Applying needs the terms; the team and milestones go as lists of the page's rows.
    let application = json!({"title": "5G 远程操控改造", "plan": "门机 远程 操控 5G 视频",
        "budget_wan": "180", "member_name": ["张老师"], "member_affiliation": ["北京航空航天大学"],
        "ms_name": ["样机交付"], "ms_date": ["2027-03-31"], "ms_tranche": ["100"]});
    let (s, e) = post(format!("/{id}/applications"), &lab, application.clone()).await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("agree")));
    assert_eq!(
        post(format!("/{id}/terms"), &lab, json!({"agree": true}))
            .await
            .0,
        200
    );
    let (s, c) = post(format!("/{id}/applications"), &lab, application.clone()).await;
    assert_eq!(s, 201, "{c}");
    let (s, e) = post(format!("/{id}/applications"), &lab, application).await;
    assert_eq!(s, 409);
    assert!(
        e["error"]["message"]
            .as_str()
            .expect("message")
            .contains("already submitted"),
        "{e}"
    );

    // Staff close, assign (an unknown objective is named) and decide.
    assert_eq!(
        post(
            format!("/{id}/status"),
            &officer,
            json!({"action": "close"})
        )
        .await
        .0,
        200
    );
    let (s, e) = post(
        format!("/{id}/assign"),
        &officer,
        json!({"objective": "max"}),
    )
    .await;
    assert_eq!((s, e["error"]["field"].as_str()), (422, Some("objective")));
    assert_eq!(post(format!("/{id}/assign"), &port, json!({})).await.0, 403);
    let (s, c) = post(
        format!("/{id}/assign"),
        &officer,
        json!({"objective": "fair"}),
    )
    .await;
    assert_eq!(s, 200, "{c}");
    let reviews = c["reviews"].as_array().expect("reviews").len();
    assert_eq!(reviews, 2, "two reviewers for the one application");
    assert_eq!(everyone_reviews(&app, id, 0).await, 2);
    let (_, c) = signed_in(&app, "officer@duijie.demo")
        .await
        .json(&format!("/api/v1/challenges/{id}"))
        .await;
    let award = c["applications"][0]["id"].as_i64().expect("application");
    let (s, c) = post(format!("/{id}/decide"), &officer, json!({"award": award})).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["applications"][0]["status"], "awarded", "{c}");
}
