//! The platform through its web pages, as browsers use it: real server, real database.

mod common;

use common::{id_from, scenario_form, App, DEMO_PASSWORD};

#[tokio::test]
async fn the_home_page_shows_the_demo_figures_in_chinese_and_switches_to_english() {
    let app = App::spawn();
    let b = app.browser();
    let (s, html) = b.get("/").await;
    assert_eq!(s, 200);
    assert!(html.contains("lang=\"zh-CN\""));
    assert!(html.contains("京津研发"));
    let scenarios: u32 = html
        .split("id=\"fig-scenarios\">")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .and_then(|n| n.parse().ok())
        .expect("figure");
    assert!(scenarios >= 100, "demo scenarios published: {scenarios}");
    let (s, _) = b.get("/lang/en?next=/scenarios").await;
    assert_eq!(s, 303);
    let (_, html) = b.get("/scenarios").await;
    assert!(html.contains("lang=\"en\""));
    assert!(html.contains("Application scenarios"));
    // Amounts read as English: millions of yuan, never 万元.
    assert!(html.contains("CNY ") && html.contains(" million"), "{html}");
    assert!(
        !html.contains("万元") && !html.contains("10k CNY"),
        "{html}"
    );
    let (_, html) = b.get("/lang/zh?next=https://evil.example/").await;
    assert!(!html.contains("evil"), "the redirect stays on this site");
}

#[tokio::test]
async fn a_member_creates_reads_updates_and_deletes_a_scenario() {
    let app = App::spawn();
    let b = app.browser();
    assert_eq!(b.login("port@duijie.demo", DEMO_PASSWORD).await, 303);
    let form = scenario_form(
        "矿石码头皮带机托辊异响监测",
        "需要对托辊进行声学监测，发现异响后自动报警。",
        "预算来源：2027 年技改资金",
    );
    let (s, loc, _) = b.submit("/scenarios", &form).await;
    assert_eq!(s, 303, "created and redirected");
    let id = id_from(&loc);
    let (s, html) = b.get(&format!("/scenarios/{id}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("矿石码头皮带机托辊异响监测"));
    assert!(html.contains("80–150 万元"));
    assert!(
        html.contains("预算来源"),
        "the owner sees the confidential details"
    );

    let mut changed = scenario_form("矿石码头皮带机托辊异响在线监测", "更新后的描述", "");
    changed.retain(|(k, _)| *k != "trl_required");
    changed.push(("trl_required", "8"));
    let (s, _, _) = b.submit(&format!("/scenarios/{id}"), &changed).await;
    assert_eq!(s, 303);
    let (_, html) = b.get(&format!("/scenarios/{id}")).await;
    assert!(html.contains("托辊异响在线监测"));
    assert!(html.contains("TRL ≥ 8"));

    let (s, _, _) = b.submit(&format!("/scenarios/{id}/delete"), &[]).await;
    assert_eq!(s, 303);
    assert_eq!(b.get(&format!("/scenarios/{id}")).await.0, 404);
}

#[tokio::test]
async fn an_invalid_form_is_shown_again_with_the_problem_beside_the_field() {
    let app = App::spawn();
    let b = app.browser();
    b.login("port@duijie.demo", DEMO_PASSWORD).await;
    let mut form = scenario_form("有问题的场景", "", "");
    form.retain(|(k, _)| *k != "budget_max_wan");
    form.push(("budget_max_wan", "10"));
    let (s, _, html) = b.submit("/scenarios", &form).await;
    assert_eq!(s, 422);
    assert!(html.contains("data-field=\"budget_max_wan\""), "{html}");
    assert!(html.contains("有问题的场景"), "what the user typed is kept");
}

#[tokio::test]
async fn a_visitor_cannot_create_edit_or_delete() {
    let app = App::spawn();
    let visitor = app.browser();
    assert_eq!(visitor.get("/scenarios/new").await.0, 303);
    assert_eq!(visitor.get("/scenarios/1/edit").await.0, 303);
    let (s, loc, _) = visitor
        .submit("/scenarios", &scenario_form("访客场景", "", ""))
        .await;
    assert_eq!((s, loc.as_deref()), (303, Some("/login")));
    let (s, _, _) = visitor
        .submit("/scenarios/1", &scenario_form("篡改", "", ""))
        .await;
    assert_eq!(s, 303);
    let (s, _, _) = visitor.submit("/scenarios/1/delete", &[]).await;
    assert_eq!(s, 303);
    let (s, html) = visitor.get("/scenarios/1").await;
    assert_eq!(s, 200, "the scenario is still there");
    assert!(!html.contains("篡改"));
    let (_, json) = visitor.json("/api/v1/scenarios?q=访客场景").await;
    assert_eq!(json["total"], 0);
}

#[tokio::test]
async fn one_organisation_cannot_edit_or_read_the_confidential_fields_of_another_until_allowed() {
    let app = App::spawn();
    let port = app.browser();
    port.login("port@duijie.demo", DEMO_PASSWORD).await;
    let (_, loc, _) = port
        .submit(
            "/scenarios",
            &scenario_form(
                "堆场喷淋抑尘改造",
                "需要智能喷淋系统。",
                "机密：堆场平面图编号 DC-7",
            ),
        )
        .await;
    let id = id_from(&loc);

    let lab = app.browser();
    lab.login("lab@duijie.demo", DEMO_PASSWORD).await;
    let (s, html) = lab.get(&format!("/scenarios/{id}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("堆场喷淋抑尘改造"));
    assert!(
        !html.contains("DC-7"),
        "confidential text hidden from another organisation"
    );
    let (_, json) = lab.json(&format!("/api/v1/scenarios/{id}")).await;
    assert!(json.get("confidential").is_none(), "{json}");
    assert_eq!(lab.get(&format!("/scenarios/{id}/edit")).await.0, 403);
    let (s, _, _) = lab
        .submit(
            &format!("/scenarios/{id}"),
            &scenario_form("被改了", "", ""),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _, _) = lab.submit(&format!("/scenarios/{id}/delete"), &[]).await;
    assert_eq!(s, 403);

    // The owner allows the lab's organisation; now it can read the details.
    let (_, json) = lab.json("/api/v1/me").await;
    let lab_org = json["org_id"]
        .as_i64()
        .expect("lab has an organisation")
        .to_string();
    let (s, _, _) = port
        .submit(&format!("/scenarios/{id}/share"), &[("org_id", &lab_org)])
        .await;
    assert_eq!(s, 303);
    assert!(lab
        .get(&format!("/scenarios/{id}"))
        .await
        .1
        .contains("DC-7"));
    let (_, json) = lab.json(&format!("/api/v1/scenarios/{id}")).await;
    assert_eq!(json["confidential"], "机密：堆场平面图编号 DC-7");
    port.submit(
        &format!("/scenarios/{id}/share"),
        &[("org_id", &lab_org), ("allow", "false")],
    )
    .await;
    assert!(
        !lab.get(&format!("/scenarios/{id}"))
            .await
            .1
            .contains("DC-7"),
        "revoked"
    );

    // Visitors and experts never see it; programme officers do.
    assert!(!app
        .browser()
        .get(&format!("/scenarios/{id}"))
        .await
        .1
        .contains("DC-7"));
    let officer = app.browser();
    officer.login("officer@duijie.demo", DEMO_PASSWORD).await;
    assert!(officer
        .get(&format!("/scenarios/{id}"))
        .await
        .1
        .contains("DC-7"));
}

#[tokio::test]
async fn drafts_are_hidden_from_everyone_but_the_owner_and_staff() {
    let app = App::spawn();
    let port = app.browser();
    port.login("port@duijie.demo", DEMO_PASSWORD).await;
    let mut form = scenario_form("尚未发布的草稿场景", "", "");
    form.retain(|(k, _)| *k != "status");
    form.push(("status", "draft"));
    let (_, loc, _) = port.submit("/scenarios", &form).await;
    let id = id_from(&loc);
    assert_eq!(port.get(&format!("/scenarios/{id}")).await.0, 200);
    assert_eq!(app.browser().get(&format!("/scenarios/{id}")).await.0, 404);
    let (_, json) = app.browser().json("/api/v1/scenarios?q=草稿场景").await;
    assert_eq!(json["total"], 0);
}

#[tokio::test]
async fn a_form_without_the_right_csrf_token_is_rejected_and_changes_nothing() {
    let app = App::spawn();
    let b = app.browser();
    b.login("port@duijie.demo", DEMO_PASSWORD).await;
    let form = scenario_form("跨站伪造的场景", "", "");
    let (s, _, html) = b.post("/scenarios", &form).await;
    assert_eq!(s, 403);
    assert!(html.contains("csrf_failed"));
    let mut forged = form.clone();
    forged.push((
        "csrf",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    assert_eq!(b.post("/scenarios", &forged).await.0, 403);
    assert_eq!(
        b.post("/logout", &[]).await.0,
        403,
        "even signing out needs the token"
    );
    let (_, json) = b.json("/api/v1/scenarios?q=跨站伪造").await;
    assert_eq!(json["total"], 0);
    // The login form of an anonymous visitor is protected too.
    let anon = app.browser();
    anon.get("/login").await;
    let (s, _, _) = anon
        .post(
            "/login",
            &[("email", "port@duijie.demo"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn chinese_search_finds_a_word_inside_longer_text() {
    let app = App::spawn();
    let b = app.browser();
    b.login("port@duijie.demo", DEMO_PASSWORD).await;
    let text = "我港三号堆场新建皮带廊道约两公里，需要一种能够全天候自主运行的巡检机器人系统，替代夜班人工。";
    let (_, loc, _) = b
        .submit(
            "/scenarios",
            &scenario_form("三号堆场夜班替代方案", text, ""),
        )
        .await;
    let id = id_from(&loc);
    let (_, json) = app
        .browser()
        .json("/api/v1/scenarios?q=巡检机器人&per_page=100")
        .await;
    let ids: Vec<i64> = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect();
    assert!(ids.contains(&id), "{ids:?}");
    let (_, html) = app
        .browser()
        .get("/search?q=%E5%B7%A1%E6%A3%80%E6%9C%BA%E5%99%A8%E4%BA%BA")
        .await;
    assert!(html.contains("巡检机器人"));
    // English queries are stemmed: "robots" finds "robot".
    let (_, json) = app
        .browser()
        .json("/api/v1/achievements?q=inspection%20robots")
        .await;
    assert!(json["total"].as_i64().expect("total") > 0);
}

#[tokio::test]
async fn list_filters_and_pagination_work_together() {
    let app = App::spawn();
    let b = app.browser();
    let (_, all) = b.json("/api/v1/scenarios?per_page=5").await;
    assert_eq!(all["items"].as_array().expect("items").len(), 5);
    assert_eq!(all["per_page"], 5);
    let (_, page2) = b.json("/api/v1/scenarios?per_page=5&page=2").await;
    assert_ne!(all["items"][0]["id"], page2["items"][0]["id"]);
    let (_, robots) = b
        .json("/api/v1/scenarios?chain=robotics&per_page=100")
        .await;
    assert!(robots["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["chain"] == "robotics"));
    let (_, tangshan) = b
        .json("/api/v1/scenarios?region=hebei.tangshan&trl_min=7&per_page=100")
        .await;
    assert!(tangshan["total"].as_i64().expect("total") > 0);
    for i in tangshan["items"].as_array().expect("items") {
        assert!(i["region"]
            .as_str()
            .expect("region")
            .starts_with("hebei.tangshan"));
        assert!(i["trl_required"].as_i64().expect("trl") >= 7);
    }
    let (s, html) = b.get("/scenarios?chain=steel&page=1").await;
    assert_eq!(s, 200);
    assert!(html.contains("精品钢铁"));
    let (s, err) = b.json("/api/v1/scenarios?trl_min=high").await;
    assert_eq!(s, 422);
    assert_eq!(err["error"]["field"], "trl_min");
}

#[tokio::test]
async fn registering_signing_in_and_out_and_wrong_passwords() {
    let app = App::spawn();
    let b = app.browser();
    let token = b.csrf("/register").await;
    let (s, loc, _) = b
        .post(
            "/register",
            &[
                ("email", "Chen@HBUT.example.cn"),
                ("password", "河北工大2026!"),
                ("display_name", "陈工"),
                ("name_zh", "河北某智能装备公司"),
                ("kind", "enterprise"),
                ("region", "hebei.shijiazhuang"),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!((s, loc.as_deref()), (303, Some("/login?registered=1")));
    let (_, html) = b.get("/login?registered=1").await;
    assert!(
        html.contains("id=\"registered\""),
        "the visitor is told to sign in"
    );
    assert_eq!(b.login("chen@hbut.example.cn", "河北工大2026!").await, 303);
    let (_, html) = b.get("/account").await;
    assert!(html.contains("chen@hbut.example.cn") && html.contains("河北某智能装备公司"));
    let (s, _, _) = b.submit("/logout", &[]).await;
    assert_eq!(s, 303);
    assert_eq!(b.get("/account").await.0, 303, "signed out");
    assert_eq!(b.login("chen@hbut.example.cn", "wrong-password").await, 401);
    assert_eq!(
        b.login("nobody@hbut.example.cn", "wrong-password").await,
        401
    );
    assert_eq!(b.login("chen@hbut.example.cn", "河北工大2026!").await, 303);
    // The same e-mail cannot register twice, and the answer does not tell: it is the answer
    // to a new e-mail, and nothing changes (the first password still signs in, the second not).
    let other = app.browser();
    let token = other.csrf("/register").await;
    let (s, loc, _) = other
        .post(
            "/register",
            &[
                ("email", "chen@hbut.example.cn"),
                ("password", "another-password"),
                ("display_name", "x"),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!((s, loc.as_deref()), (303, Some("/login?registered=1")));
    assert_eq!(
        other
            .login("chen@hbut.example.cn", "another-password")
            .await,
        401
    );
    assert_eq!(
        other.login("chen@hbut.example.cn", "河北工大2026!").await,
        303
    );
}

#[tokio::test]
async fn every_change_is_in_the_audit_log_and_only_staff_can_read_it() {
    let app = App::spawn();
    let port = app.browser();
    port.login("port@duijie.demo", DEMO_PASSWORD).await;
    let (_, loc, _) = port
        .submit(
            "/scenarios",
            &scenario_form("审计测试场景", "", "不应出现在日志里的秘密"),
        )
        .await;
    let id = id_from(&loc);
    port.submit(
        &format!("/scenarios/{id}"),
        &scenario_form("审计测试场景（修订）", "", ""),
    )
    .await;
    assert_eq!(port.get("/admin/audit").await.0, 403);
    let admin = app.browser();
    admin.login("admin@duijie.demo", DEMO_PASSWORD).await;
    let (s, html) = admin
        .get(&format!("/admin/audit?entity=scenario&id={id}"))
        .await;
    assert_eq!(s, 200);
    assert!(html.contains("port@duijie.demo"));
    assert!(html.contains("create") && html.contains("update"));
    assert!(html.contains("审计测试场景（修订）"));
    assert!(!html.contains("不应出现在日志里的秘密"));
}

#[tokio::test]
async fn page_text_is_escaped() {
    let app = App::spawn();
    let b = app.browser();
    b.login("port@duijie.demo", DEMO_PASSWORD).await;
    let (_, loc, _) = b
        .submit(
            "/scenarios",
            &scenario_form(
                "<script>alert(1)</script>港口",
                "<img src=x onerror=alert(2)>",
                "",
            ),
        )
        .await;
    let (_, html) = app
        .browser()
        .get(&format!("/scenarios/{}", id_from(&loc)))
        .await;
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)"));
    assert!(!html.contains("<img src=x"));
}

fn with(
    form: &[(&'static str, &'static str)],
    key: &'static str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut f: Vec<_> = form.iter().filter(|(k, _)| *k != key).copied().collect();
    f.push((key, value));
    f
}

#[tokio::test]
async fn a_scenario_moves_through_its_life_cycle_in_order() {
    let app = App::spawn();
    let b = app.browser();
    b.login("port@duijie.demo", DEMO_PASSWORD).await;
    let base = scenario_form("岸桥远程操控改造", "远程操控中心建设。", "");
    let (s, _, html) = b
        .submit("/scenarios", &with(&base, "status", "matched"))
        .await;
    assert_eq!(s, 422, "a new scenario cannot start as matched");
    assert!(html.contains("data-field=\"status\""));
    let (_, loc, _) = b
        .submit("/scenarios", &with(&base, "status", "draft"))
        .await;
    let path = format!("/scenarios/{}", id_from(&loc));
    assert_eq!(
        b.submit(&path, &with(&base, "status", "matched")).await.0,
        422,
        "draft → matched skips publishing"
    );
    for step in ["published", "matched", "closed"] {
        assert_eq!(
            b.submit(&path, &with(&base, "status", step)).await.0,
            303,
            "→ {step}"
        );
    }
    assert_eq!(
        b.submit(&path, &with(&base, "status", "matched")).await.0,
        422,
        "closed → matched"
    );
    assert!(b.get(&path).await.1.contains("已关闭"));
}

#[tokio::test]
async fn members_edit_their_own_organisation_and_staff_create_new_ones() {
    let app = App::spawn();
    let port = app.browser();
    port.login("port@duijie.demo", DEMO_PASSWORD).await;
    let (_, me) = port.json("/api/v1/me").await;
    let org = me["org_id"].as_i64().expect("org");
    let form = [
        ("name_zh", "唐山曹妃甸港口集团有限公司"),
        ("name_en", "Tangshan Caofeidian Port Group"),
        ("kind", "enterprise"),
        ("region", "hebei.tangshan.caofeidian"),
        ("chain", "robotics"),
        ("intro_zh", "更新后的简介：智慧港口建设走在前列。"),
        ("contact_name", "李工"),
        ("contact_phone", "0315-8800 6006"),
    ];
    assert_eq!(port.get(&format!("/organisations/{org}/edit")).await.0, 200);
    assert_eq!(
        port.submit(&format!("/organisations/{org}"), &form).await.0,
        303
    );
    let (_, html) = app.browser().get(&format!("/organisations/{org}")).await;
    assert!(html.contains("智慧港口建设走在前列"));
    assert!(
        !html.contains("0315-8800 6006"),
        "contacts are for signed-in users"
    );
    assert!(port
        .get(&format!("/organisations/{org}"))
        .await
        .1
        .contains("0315-8800 6006"));

    let lab = app.browser();
    lab.login("lab@duijie.demo", DEMO_PASSWORD).await;
    assert_eq!(
        lab.submit(&format!("/organisations/{org}"), &form).await.0,
        403
    );
    assert_eq!(lab.get("/organisations/new").await.0, 403);
    assert_eq!(lab.submit("/organisations", &form).await.0, 403);

    let officer = app.browser();
    officer.login("officer@duijie.demo", DEMO_PASSWORD).await;
    let new = [
        ("name_zh", "沧州渤海新区某新材料公司"),
        ("kind", "enterprise"),
        ("region", "沧州"),
    ];
    let (s, loc, _) = officer.submit("/organisations", &new).await;
    assert_eq!(s, 303);
    assert!(officer
        .get(loc.as_deref().expect("location"))
        .await
        .1
        .contains("沧州渤海新区某新材料公司"));
    let (s, _, html) = officer
        .submit(
            "/organisations",
            &[("name_zh", "无地区机构"), ("kind", "enterprise")],
        )
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("data-field=\"region\""));
}

#[tokio::test]
async fn an_admin_attaches_a_new_user_to_an_organisation() {
    let app = App::spawn();
    let newcomer = app.browser();
    let token = newcomer.csrf("/register").await;
    newcomer
        .post(
            "/register",
            &[
                ("email", "new@example.cn"),
                ("password", "a-good-password"),
                ("display_name", "新人"),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(
        newcomer.login("new@example.cn", "a-good-password").await,
        303
    );
    assert_eq!(
        newcomer.get("/scenarios/new").await.0,
        403,
        "no organisation yet, nothing to publish for"
    );
    let (_, me) = newcomer.json("/api/v1/me").await;
    let uid = me["id"].as_i64().expect("id");

    let port = app.browser();
    port.login("port@duijie.demo", DEMO_PASSWORD).await;
    let (_, pm) = port.json("/api/v1/me").await;
    let org = pm["org_id"].as_i64().expect("org").to_string();
    assert_eq!(
        port.submit(
            &format!("/admin/users/{uid}"),
            &[("role", "admin"), ("org_id", "")]
        )
        .await
        .0,
        403
    );

    let admin = app.browser();
    admin.login("admin@duijie.demo", DEMO_PASSWORD).await;
    assert_eq!(admin.get("/admin/users").await.0, 200);
    assert_eq!(
        admin
            .submit(
                &format!("/admin/users/{uid}"),
                &[("role", "member"), ("org_id", &org)]
            )
            .await
            .0,
        303
    );
    assert_eq!(newcomer.get("/scenarios/new").await.0, 200);
}

#[tokio::test]
async fn a_lab_publishes_an_achievement_with_several_cooperation_modes() {
    let app = App::spawn();
    let lab = app.browser();
    lab.login("lab@duijie.demo", DEMO_PASSWORD).await;
    let (s, html) = lab.get("/achievements/new").await;
    assert_eq!(s, 200);
    assert!(html.contains("name=\"coop_modes\""));
    let form = [
        ("title_zh", "仿生攀爬检测机器人"),
        ("title_en", "Bio-inspired climbing inspection robot"),
        ("summary_zh", "可在钢结构表面攀爬并进行焊缝检测。"),
        ("chain", "robotics"),
        ("field", "特种机器人"),
        ("trl", "5"),
        ("ip", "发明专利 2 项"),
        ("coop_modes", "licence"),
        ("coop_modes", "joint_development"),
        ("status", "published"),
        ("confidential", "样机参数表 V3"),
    ];
    let (s, loc, _) = lab.submit("/achievements", &form).await;
    assert_eq!(s, 303);
    let path = loc.expect("location");
    let (_, html) = app.browser().get(&path).await;
    assert!(
        html.contains("仿生攀爬检测机器人") && html.contains("许可") && html.contains("合作开发")
    );
    assert!(!html.contains("样机参数表"));
    let (_, json) = app.browser().json(&format!("/api/v1{path}")).await;
    assert_eq!(
        json["coop_modes"],
        serde_json::json!(["licence", "joint_development"])
    );
    let (_, edit) = lab.get(&format!("{path}/edit")).await;
    assert_eq!(
        edit.matches("checked").count(),
        2,
        "the edit form shows both modes ticked"
    );
    let (_, en) = app
        .browser()
        .json("/api/v1/achievements?q=bio-inspired%20climbing")
        .await;
    assert_eq!(en["total"], 1, "found by its English title: {en}");
    assert_eq!(en["items"][0]["id"], json["id"]);
}

/// Times people read are Beijing time to the minute, never the stored UTC text: the audit log
/// and the account's token list show the instant of a write just made as UTC+8.
#[tokio::test]
async fn times_are_shown_in_beijing_time() {
    let app = App::spawn();
    let admin = app.browser();
    assert_eq!(admin.login("admin@duijie.demo", DEMO_PASSWORD).await, 303);
    admin.api_token().await;
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("offset");
    let now = chrono::Utc::now().with_timezone(&beijing);
    let shown = [
        now.format("%Y-%m-%d %H:%M").to_string(),
        (now - chrono::Duration::minutes(1))
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    ];
    for page in ["/account", "/admin/audit"] {
        let (s, html) = admin.get(page).await;
        assert_eq!(s, 200, "{page}");
        assert!(
            shown.iter().any(|t| html.contains(t.as_str())),
            "{page} shows the token's creation in Beijing time ({shown:?})"
        );
        let utc = chrono::Utc::now().format("%Y-%m-%dT%H:").to_string();
        assert!(!html.contains(&utc), "{page} shows no raw UTC text");
        assert!(
            !html.contains("UTC"),
            "{page} does not call Beijing time UTC"
        );
    }
}

#[tokio::test]
async fn error_pages_sit_in_the_layout_in_the_readers_language() {
    let app = App::spawn();
    let visitor = app.browser();
    let (s, html) = visitor.get("/no-such-page").await;
    assert_eq!(s, 404);
    assert!(
        html.contains("id=\"error-page\"") && html.contains("<nav"),
        "inside the layout"
    );
    assert!(html.contains("页面或记录不存在") && html.contains("href=\"/search\""));
    // A signed-in member refused: the menu with its name, a way on, in English when chosen.
    let lab = common::signed_in(&app, "lab@duijie.demo").await;
    lab.get("/lang/en?next=/").await;
    let (s, html) = lab.get("/workbench/../admin/users").await;
    assert_eq!(s, 403);
    assert!(html.contains("Not allowed") && html.contains("id=\"workbench-link\""));
    assert!(html.contains("lang=\"en\""));
}

#[tokio::test]
async fn a_page_past_the_end_shows_the_last_page() {
    let app = App::spawn();
    let b = app.browser();
    let (_, html) = b.get("/scenarios").await;
    let pages: String = html
        .split("<span>1 / ")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("a pager")
        .to_string();
    let (s, html) = b.get("/scenarios?page=99").await;
    assert_eq!(s, 200);
    assert!(
        html.contains(&format!("<span>{pages} / {pages}</span>")),
        "the last page, not 99"
    );
    assert!(html.contains("class=\"card\""), "with its records");
}

#[tokio::test]
async fn a_scenario_is_not_published_with_a_deadline_already_past() {
    let app = App::spawn();
    let port = common::signed_in(&app, "port@duijie.demo").await;
    let mut form = scenario_form("过期截止测试场景", "截止日期早已过去", "");
    for f in form.iter_mut() {
        if f.0 == "deadline" {
            f.1 = "1999-12-31";
        }
    }
    let (s, _, html) = port.submit("/scenarios", &form).await;
    assert_eq!(s, 422);
    assert!(
        html.contains("已过") && html.contains("data-field=\"deadline\""),
        "said beside the field"
    );
    // As a draft it may be kept, to be fixed before publishing.
    for f in form.iter_mut() {
        if f.0 == "status" {
            f.1 = "draft";
        }
    }
    assert_eq!(port.submit("/scenarios", &form).await.0, 303);
}

/// Visitors' pages are kept between changes (`pages`): each visitor still gets their own CSRF
/// token, a change shows at the very next view, each language is kept apart, and a signed-in
/// user never gets a visitor's page.
#[tokio::test]
async fn visitors_pages_are_kept_per_change_each_with_the_visitors_own_token() {
    let app = App::spawn();
    let (a, b) = (app.browser(), app.browser());
    let ta = a.csrf("/scenarios").await;
    let tb = b.csrf("/scenarios").await;
    assert_ne!(ta, tb, "two visitors, two tokens");
    for _ in 0..2 {
        let (_, pa) = a.get("/scenarios").await;
        let (_, pb) = b.get("/scenarios").await;
        assert!(pa.contains(&ta) && !pa.contains(&tb));
        assert!(pb.contains(&tb) && !pb.contains(&ta));
        assert!(!pa.contains('\0'), "no stand-in is ever shown");
    }
    // The kept login page's token is the visitor's: signing in with it works.
    let (_, login) = a.get("/login").await;
    assert_eq!(common::csrf_in(&login), ta);

    // A change shows at the next view: the list, the search page and the home page.
    let title = "曹妃甸港区门机远程操控改造（页面缓存测试）";
    let (_, home_before) = b.get("/").await;
    let port = common::signed_in(&app, "port@duijie.demo").await;
    let (s, loc, _) = port
        .submit(
            "/scenarios",
            &scenario_form(title, "门座起重机远程操控改造，司机室移至中控室。", ""),
        )
        .await;
    assert_eq!(s, 303);
    let id = id_from(&loc);
    assert!(b.get("/scenarios").await.1.contains(title));
    let q = "/search?q=%E9%97%A8%E6%9C%BA%E8%BF%9C%E7%A8%8B%E6%93%8D%E6%8E%A7";
    assert!(b.get(q).await.1.contains(&format!("/scenarios/{id}")));
    assert_ne!(b.get("/").await.1, home_before, "the home page counts it");
    // Set back to draft: gone at the next view.
    let mut draft = scenario_form(title, "门座起重机远程操控改造，司机室移至中控室。", "");
    for (k, v) in &mut draft {
        if *k == "status" {
            *v = "draft";
        }
    }
    assert_eq!(
        port.submit(&format!("/scenarios/{id}"), &draft).await.0,
        303
    );
    assert!(!b.get("/scenarios").await.1.contains(title));
    assert_eq!(b.get(&format!("/scenarios/{id}")).await.0, 404);

    // Each language is kept apart.
    let en = app.browser();
    en.get("/lang/en").await;
    let (_, english) = en.get("/scenarios").await;
    assert!(english.contains("lang=\"en\""), "the English page");
    assert!(b.get("/scenarios").await.1.contains("lang=\"zh-CN\""));

    // The signed-in user gets their own page, never a visitor's.
    let (_, own) = port.get("/scenarios").await;
    assert!(own.contains("id=\"logout\""));
}

/// Issue 22: a signed-in user's pages are kept per change too, each for that user alone with
/// their own session's token; a change shows at the next view; the top bar's counts are part
/// of what a kept page is for; a page showing what changes unaudited (the account page's
/// token use) is rendered on every view.
#[tokio::test]
async fn members_pages_are_kept_per_change_for_each_member_alone() {
    let app = App::spawn();
    let port = common::signed_in(&app, "port@duijie.demo").await;
    let lab = common::signed_in(&app, "lab@duijie.demo").await;
    let (tp, tl) = (port.csrf("/scenarios").await, lab.csrf("/scenarios").await);
    assert_ne!(tp, tl);
    for _ in 0..2 {
        let (_, p) = port.get("/scenarios").await;
        let (_, l) = lab.get("/scenarios").await;
        assert!(
            p.contains(&tp) && !p.contains(&tl),
            "each session its own token"
        );
        assert!(l.contains(&tl) && !l.contains(&tp));
        assert!(
            p.contains("唐山港集团 李工") && !l.contains("唐山港集团 李工"),
            "each their own name"
        );
        assert!(!p.contains('\0'));
    }
    // A change shows at the next view of another member's kept page.
    let title = "曹妃甸港区堆场无人集卡调度（会员页面缓存测试）";
    let (s, loc, _) = port
        .submit(
            "/scenarios",
            &scenario_form(title, "堆场无人集卡调度系统。", ""),
        )
        .await;
    assert_eq!(s, 303);
    assert!(lab.get("/scenarios").await.1.contains(title));
    let id = id_from(&loc);
    assert!(port
        .get(&format!("/scenarios/{id}"))
        .await
        .1
        .contains(title));
    // Signed out, the kept page is not shown: the session is checked on every view.
    let token = port.csrf("/").await;
    port.post("/logout", &[("csrf", &token)]).await;
    let (_, after) = port.get("/scenarios").await;
    assert!(!after.contains("唐山港集团 李工"));
    // The account page shows when each token was last used: never kept.
    let api = lab.api_token().await;
    let (_, before) = lab.get("/account").await;
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&api)
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status().as_u16(), 200);
    let (_, used) = lab.get("/account").await;
    assert_ne!(before, used, "the use shows on the next view");
}
