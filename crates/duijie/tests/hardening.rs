//! What an attacker or a careless upload tried, and the defences: redirects that stay on the
//! site, hostile and oversized files refused with the limit named, at most 24 hours a day,
//! writes that wait for a long import instead of failing, and CSV exports without live
//! formulas.

mod common;

use common::{cli, org_id, signed_in, App, Browser};
use serde_json::json;

fn this_year() -> i64 {
    i64::from(chrono::Datelike::year(&chrono::Utc::now()))
}

#[tokio::test]
async fn next_never_leads_to_another_site_and_never_fails() {
    let app = App::spawn();
    let b = app.browser();
    for (next, want) in [
        ("/%09/evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/%5Cevil.example", "/"),
        ("/%0d%0aSet-Cookie:%20x=1", "/"),
        ("/%7F", "/"),
        ("https://evil.example/", "/"),
        ("/scenarios?page=2", "/scenarios?page=2"),
    ] {
        let r = b
            .client
            .get(app.url(&format!("/lang/en?next={next}")))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status().as_u16(), 303, "{next}");
        assert_eq!(
            r.headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or(""),
            want,
            "{next}"
        );
    }
    let token = b.csrf("/login").await;
    let (s, loc, _) = b
        .post(
            "/login",
            &[
                ("email", "port@duijie.demo"),
                ("password", common::DEMO_PASSWORD),
                ("csrf", &token),
                ("next", "/\t/evil.example/"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(
        loc.as_deref(),
        Some("/workbench"),
        "refused: the workbench instead"
    );
}

/// A year with figures and one shared staff member, 张工, for time-sheet imports.
async fn year_with_staff(app: &App) -> (Browser, String) {
    let port = signed_in(app, "port@duijie.demo").await;
    let org = org_id(app, "tangshan-port").await;
    let base = format!("/rnd/{org}/{}", this_year() - 2);
    let figures = [
        ("kind", "general"),
        ("total_income", "10000000"),
        ("negative_list_income", "0"),
        ("non_taxable_income", "0"),
        ("investment_income", "0"),
    ];
    assert_eq!(
        port.submit(&format!("{base}/figures"), &figures).await.0,
        303
    );
    let staff = [
        ("name", "张工"),
        ("kind", "staff"),
        ("category", "personnel"),
        ("amount", "60000"),
    ];
    assert_eq!(
        port.submit(&format!("{base}/resources"), &staff).await.0,
        303
    );
    (port, base)
}

fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, c, v) in cells {
        ws.write_string(*r, *c, *v).expect("cell");
    }
    wb.save_to_buffer().expect("xlsx")
}

#[tokio::test]
async fn a_hostile_or_oversized_time_sheet_is_refused_with_its_limit_and_the_server_stays_up() {
    let app = App::spawn();
    let (port, base) = year_with_staff(&app).await;
    let hours = format!("{base}/hours");

    // 1.6 KB that once made the reader ask for 512 GB: cells at A1 and XFD1048576.
    let bomb = xlsx(&[(0, 0, "人员/设备"), (1_048_575, 16_383, "x")]);
    assert!(bomb.len() < 10_000);
    let (s, html) = port.upload(&hours, "hours.xlsx", bomb).await;
    assert_eq!(s, 200);
    assert!(html.contains("hours.xlsx: "), "the file is named");
    assert!(
        html.contains("本导入最多读取 200,000 行"),
        "the limit is named"
    );
    // A1:AD1048576, which cost 600 MB and 8 s.
    let tall = xlsx(&[(0, 0, "人员/设备"), (1_048_575, 29, "x")]);
    let (s, html) = port.upload(&hours, "tall.xlsx", tall).await;
    assert_eq!(s, 200);
    assert!(html.contains("tall.xlsx: "), "the file is named");
    // One row more than the limit, as CSV.
    let mut csv = String::from("人员/设备,项目,工时\n");
    csv.push_str(&"张工,非研发,1\n".repeat(200_001));
    let (s, html) = port.upload(&hours, "big.csv", csv.into_bytes()).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("big.csv: "),
        "{}",
        &html[..200.min(html.len())]
    );
    assert!(html.contains("200,000"), "the limit is named");
    assert!(!html.contains("id=\"rnd-imports\""), "nothing imported");

    let r = reqwest::get(app.url("/healthz")).await.expect("alive");
    assert_eq!(r.text().await.expect("body"), "ok");
}

#[tokio::test]
async fn nobody_works_more_than_24_hours_a_day_across_imports() {
    let app = App::spawn();
    let (port, base) = year_with_staff(&app).await;
    let hours = format!("{base}/hours");
    let day = format!("{}-03-02", this_year() - 2);
    let file = |rows: &[&str]| {
        let mut s = String::from("日期,人员/设备,项目,工时\n");
        for h in rows {
            s.push_str(&format!("{day},张工,非研发,{h}\n"));
        }
        s.into_bytes()
    };
    // Three rows of 24 h on one day in one file: refused at the second row.
    let (s, html) = port
        .upload(&hours, "three.csv", file(&["24", "24", "24"]))
        .await;
    assert_eq!(s, 200);
    assert!(
        html.contains("three.csv: 第 3 行，“工时”列：张工"),
        "row and column named"
    );
    assert!(html.contains("48 小时"), "the day's total is said");
    assert!(!html.contains("id=\"rnd-imports\""), "nothing imported");

    // 10 + 10 h is a long day, but one.
    let (s, _) = port.upload(&hours, "monday.csv", file(&["10", "10"])).await;
    assert_eq!(s, 303);
    // A second file adding 5 h to that day passes 24 with what is stored.
    let (s, html) = port.upload(&hours, "again.csv", file(&["5"])).await;
    assert_eq!(s, 200);
    assert!(html.contains("again.csv: 第 2 行"), "the row is named");
    assert!(
        html.contains("其中 20 小时已在此前导入"),
        "the stored hours are said"
    );
    // 4 h more fits exactly.
    let (s, _) = port.upload(&hours, "late.csv", file(&["4"])).await;
    assert_eq!(s, 303);
}

#[tokio::test]
async fn writes_wait_for_a_large_import_instead_of_failing() {
    let app = App::spawn();
    let (port, base) = year_with_staff(&app).await;
    let token = port.api_token().await;
    let year = this_year() - 2;
    // The largest time sheet accepted: 200,000 dated rows of 0.01 h.
    let mut csv = String::from("日期,人员/设备,项目,工时\n");
    let start = chrono::NaiveDate::from_ymd_opt(year as i32, 1, 1).expect("date");
    for i in 0..200_000u32 {
        let d = start + chrono::Days::new(u64::from(i % 365));
        csv.push_str(&format!("{d},张工,非研发,0.01\n"));
    }
    let import = {
        let hours = format!("{base}/hours");
        async move { port.upload(&hours, "year.csv", csv.into_bytes()).await }
    };
    let writes = async {
        let client = reqwest::Client::new();
        let mut statuses = Vec::new();
        for i in 0..30 {
            let r = client
                .post(app.url("/api/v1/scenarios"))
                .bearer_auth(&token)
                .json(
                    &json!({"title_zh": format!("导入期间的写入 {i}"), "chain": "ai",
                    "trl_required": 5, "region": "hebei.xiongan", "status": "published"}),
                )
                .send()
                .await
                .expect("post");
            statuses.push(r.status().as_u16());
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        statuses
    };
    let ((s, _), statuses) = tokio::join!(import, writes);
    assert_eq!(s, 303, "the import is stored");
    assert!(
        statuses.iter().all(|&s| s == 201),
        "every write during the import is kept: {statuses:?}"
    );
}

#[tokio::test]
async fn csv_exports_carry_no_live_formulas_and_read_back_exactly() {
    let app = App::spawn();
    let b = signed_in(&app, "port@duijie.demo").await;
    let token = b.api_token().await;
    let title = "=cmd|' /C calc'!A0";
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/scenarios"))
        .bearer_auth(&token)
        .json(
            &json!({"key": "formula-1", "title_zh": title, "description_zh": "+SUM(1,2)",
            "chain": "ai", "trl_required": 5, "region": "hebei.xiongan", "status": "published"}),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 201);
    let out = app.db.path().join("scenarios.csv");
    let o = cli(
        &app.db,
        &["export", "scenarios", out.to_str().expect("path")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).expect("export");
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = r.headers().expect("headers").clone();
    for rec in r.records() {
        for (h, cell) in headers.iter().zip(rec.expect("record").iter()) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula in column {h}: {cell:?}"
            );
        }
    }
    assert!(text.contains("'=cmd|"), "the title is kept, made inert");
    // Read back through the importer: the same title, not a quoted one.
    let o = cli(
        &app.db,
        &["import", "scenarios", out.to_str().expect("path")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, list) = b.json("/api/v1/scenarios?q=cmd&per_page=50").await;
    let found = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|s| s["title_zh"] == title);
    assert!(found, "{list}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_pages_no_inline_script() {
    let app = App::spawn();
    let visitor = app.browser();
    let r = visitor.client.get(app.url("/")).send().await.expect("get");
    let h = r.headers();
    let csp = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert!(
        h.get("cache-control").is_none(),
        "a public page may be cached"
    );
    assert!(
        h.get("strict-transport-security").is_none(),
        "no HSTS over HTTP"
    );

    let member = signed_in(&app, "port@duijie.demo").await;
    for path in ["/", "/account", "/scenarios/1", "/api/v1/me", "/inbox"] {
        let r = member.client.get(app.url(path)).send().await.expect("get");
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
        let body = r.text().await.expect("body");
        for inline in [
            "<script>",
            " onclick=",
            " onsubmit=",
            " onchange=",
            " style=\"",
        ] {
            assert!(!body.contains(inline), "{path} has {inline}");
        }
    }
    let r = member
        .client
        .get(app.url("/static/app.css"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.headers()["cache-control"], "public, max-age=3600");

    let https = App::spawn_with(&["--secure-cookies"]);
    let r = reqwest::get(https.url("/")).await.expect("get");
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn every_api_error_is_the_json_envelope_and_wrong_json_types_are_refused() {
    let app = App::spawn();
    let client = reqwest::Client::new();
    for (method, path, status, code) in [
        ("GET", "/api/v1/scenarios/abc", 400, "bad_request"),
        ("GET", "/api/v1/scenarios?per_page=abc", 422, "invalid"),
        ("GET", "/api/v1/scenarios?page=1&page=2", 400, "bad_request"),
        (
            "GET",
            "/api/v1/achievements/1/matches?limit=-1",
            400,
            "bad_request",
        ),
        ("PATCH", "/api/v1/scenarios/1", 405, "method_not_allowed"),
        ("GET", "/api/v1/nowhere", 404, "not_found"),
    ] {
        let r = client
            .request(method.parse().expect("method"), app.url(path))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status().as_u16(), status, "{method} {path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("application/json")),
            "{method} {path}"
        );
        let v: serde_json::Value = r.json().await.expect("json");
        assert_eq!(v["error"]["code"], code, "{method} {path}: {v}");
        assert!(v["error"]["message"].is_string(), "{method} {path}");
    }

    let b = signed_in(&app, "port@duijie.demo").await;
    let token = b.api_token().await;
    let before = b.json("/api/v1/scenarios?per_page=1").await.1["total"].clone();
    for bad in [
        json!({"title_zh": 123, "chain": "ai", "trl_required": 5, "region": "hebei.xiongan"}),
        json!({"title_zh": [], "chain": "ai", "trl_required": 5, "region": "hebei.xiongan"}),
        json!({"title_zh": "x", "chain": true, "trl_required": 5, "region": "hebei.xiongan"}),
        json!({"title_zh": "x", "chain": "ai", "trl_required": [5], "region": "hebei.xiongan"}),
    ] {
        let r = client
            .post(app.url("/api/v1/scenarios"))
            .bearer_auth(&token)
            .json(&bad)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status().as_u16(), 422, "{bad}");
        let v: serde_json::Value = r.json().await.expect("json");
        assert_eq!(v["error"]["code"], "invalid", "{v}");
        let field = v["error"]["field"].as_str().unwrap_or("");
        assert!(
            bad[field].is_array() || bad[field].is_number() || bad[field].is_boolean(),
            "{v}"
        );
    }
    assert_eq!(
        b.json("/api/v1/scenarios?per_page=1").await.1["total"],
        before,
        "nothing was stored"
    );

    // Pages answer the same mistakes with the error page, in the visitor's language.
    let r = client
        .get(app.url("/scenarios/abc"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 400);
    let body = r.text().await.expect("body");
    assert!(
        body.contains("出错了") && body.contains("格式不对"),
        "{body}"
    );
    assert!(
        !body.contains("Cannot parse"),
        "no English on a Chinese page"
    );
}

#[tokio::test]
async fn a_record_in_use_is_not_deleted_and_the_answer_says_what_uses_it() {
    let app = App::spawn();
    let robot = signed_in(&app, "robot@duijie.demo").await;
    let (_, html) = robot.get("/platforms/1").await;
    let (service, achievement) = common::request_choices(&html);
    let ask = [
        ("service_id", service.as_str()),
        ("achievement_id", achievement.as_str()),
        ("wanted_from", "2099-01-05"),
        ("days", "2"),
        ("units", "1"),
    ];
    assert_eq!(robot.submit("/platforms/1/requests", &ask).await.0, 303);

    // The page: 409 with what refers to it, in Chinese; the achievement stays.
    let (s, _, body) = robot
        .submit(&format!("/achievements/{achievement}/delete"), &[])
        .await;
    assert_eq!(s, 409);
    assert!(
        body.contains("仍被中试服务申请 1 项引用，不能删除"),
        "{body}"
    );
    assert_eq!(
        robot.get(&format!("/achievements/{achievement}")).await.0,
        200
    );

    // The API: the envelope says the same, with the referring kinds counted.
    let token = robot.api_token().await;
    let r = reqwest::Client::new()
        .delete(app.url(&format!("/api/v1/achievements/{achievement}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status().as_u16(), 409);
    let v: serde_json::Value = r.json().await.expect("json");
    assert_eq!(v["error"]["code"], "in_use");
    assert_eq!(
        v["error"]["used_by"],
        json!([{"kind": "service_request", "count": 1}])
    );
    assert_eq!(
        robot.get(&format!("/achievements/{achievement}")).await.0,
        200
    );

    // A scenario a technology contract names is in use too (it was a foreign-key failure: a
    // 500): the demo's contract signed from a docking names its scenario.
    let admin = signed_in(&app, "admin@duijie.demo").await;
    let (_, contracts) = admin.json("/api/v1/contracts?per_page=50").await;
    let scenario = contracts["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|c| c["scenario_id"].as_i64())
        .expect("a demo contract names a scenario");
    let (s, _, body) = admin
        .submit(&format!("/scenarios/{scenario}/delete"), &[])
        .await;
    assert_eq!(s, 409, "{body}");
    assert!(body.contains("仍被技术合同 1 项引用，不能删除"), "{body}");
}

async fn login_status(b: &Browser, email: &str, password: &str) -> (u16, Option<String>) {
    let token = b.csrf("/login").await;
    let r = b
        .client
        .post(format!("{}/login", b.base))
        .form(&[("email", email), ("password", password), ("csrf", &token)])
        .send()
        .await
        .expect("POST");
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (r.status().as_u16(), retry)
}

#[tokio::test]
async fn wrong_passwords_are_throttled_by_account_and_by_address_and_audited() {
    let app = App::spawn();
    let b = app.browser();
    for _ in 0..10 {
        assert_eq!(
            login_status(&b, "port@duijie.demo", "guess-1234").await.0,
            401
        );
    }
    let (s, retry) = login_status(&b, "port@duijie.demo", "guess-1234").await;
    assert_eq!((s, retry.as_deref()), (429, Some("1")));
    // Throttled, even the right password does not get in.
    let (s, _) = login_status(&b, "port@duijie.demo", common::DEMO_PASSWORD).await;
    assert_eq!(s, 429);
    let token = b.csrf("/login").await;
    let (_, _, html) = b
        .post(
            "/login",
            &[
                ("email", "port@duijie.demo"),
                ("password", "x"),
                ("csrf", &token),
            ],
        )
        .await;
    assert!(html.contains("id=\"login-throttled\"") && html.contains("秒后再试"));
    assert!(
        html.contains("id=\"login-form\""),
        "the form is still there"
    );
    assert_eq!(b.get("/account").await.0, 303, "not signed in");
    let (_, html) = b.get("/").await;
    assert!(!html.contains("id=\"logout\""));
    // After the wait, the right password works and the account starts afresh.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (s, _) = login_status(&b, "port@duijie.demo", common::DEMO_PASSWORD).await;
    assert_eq!(s, 303);

    // Every wrong password is in the audit log, with the address it came from.
    let officer = signed_in(&app, "officer@duijie.demo").await;
    let (_, audit) = officer.get("/admin/audit").await;
    assert!(
        audit.matches("login_failed").count() >= 10,
        "failed sign-ins are audited"
    );
    assert!(audit.contains("127.0.0.1"), "with the client's address");

    // One address trying many accounts is throttled too (30 failures, then it waits).
    let app = App::spawn();
    let b = app.browser();
    for i in 0..30 {
        let email = format!("nobody{i}@example.cn");
        assert_eq!(
            login_status(&b, &email, "guess-1234").await.0,
            401,
            "{email}"
        );
    }
    let (s, retry) = login_status(&b, "admin@duijie.demo", "guess-1234").await;
    assert_eq!((s, retry.as_deref()), (429, Some("1")));
}

#[tokio::test]
async fn weak_passwords_are_refused_and_users_change_theirs_and_admins_reset_them() {
    let app = App::spawn();
    let visitor = app.browser();
    for weak in ["password", "12345678", "        "] {
        let token = visitor.csrf("/register").await;
        let (s, _, html) = visitor
            .post(
                "/register",
                &[
                    ("email", "weak@example.cn"),
                    ("password", weak),
                    ("display_name", "弱密码"),
                    ("csrf", &token),
                ],
            )
            .await;
        assert_eq!(s, 422, "{weak:?}");
        assert!(html.contains("过于常见或容易猜到"), "{weak:?}");
    }

    // Two sessions of the same member; the password is changed in one.
    let here = signed_in(&app, "lab@duijie.demo").await;
    let elsewhere = signed_in(&app, "lab@duijie.demo").await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        vec![("current", current), ("new", new), ("confirm", confirm)]
    };
    let pw = common::DEMO_PASSWORD;
    for (form, what) in [
        (
            change(
                "wrong-password-1",
                "新的长密码-巡检-2027",
                "新的长密码-巡检-2027",
            ),
            "当前密码不正确",
        ),
        (change(pw, "12345678", "12345678"), "过于常见或容易猜到"),
        (
            change(pw, "新的长密码-巡检-2027", "新的长密码-巡检-2028"),
            "与新密码不一致",
        ),
    ] {
        let (s, _, html) = here.submit("/account/password", &form).await;
        assert_eq!(s, 422, "{what}");
        assert!(html.contains(what), "{what}");
    }
    assert_eq!(
        elsewhere.get("/account").await.0,
        200,
        "nothing changed yet"
    );
    let (s, loc, _) = here
        .submit(
            "/account/password",
            &change(pw, "新的长密码-巡检-2027", "新的长密码-巡检-2027"),
        )
        .await;
    assert_eq!(
        (s, loc.as_deref()),
        (303, Some("/account?password=changed"))
    );
    let (s, html) = here.get("/account?password=changed").await;
    assert_eq!(s, 200, "this session goes on");
    assert!(html.contains("密码已修改"));
    assert!(
        html.contains("<title>我的账号 · "),
        "the page's title is its title"
    );
    assert_eq!(
        elsewhere.get("/account").await.0,
        303,
        "the other session ended"
    );
    let fresh = app.browser();
    assert_eq!(fresh.login("lab@duijie.demo", pw).await, 401);
    assert_eq!(
        fresh.login("lab@duijie.demo", "新的长密码-巡检-2027").await,
        303
    );

    // An admin resets it: a temporary password shown once, every session of the user ended.
    let admin = signed_in(&app, "admin@duijie.demo").await;
    let (_, me) = here.json("/api/v1/me").await;
    let id = me["id"].as_i64().expect("id");
    let (s, _, html) = admin
        .submit(&format!("/admin/users/{id}/password"), &[])
        .await;
    assert_eq!(s, 200);
    let marker = "id=\"temporary-password\">";
    let at = html.find(marker).expect("the temporary password is shown") + marker.len();
    let temporary = html[at..].split('<').next().expect("password").to_string();
    assert_eq!(temporary.len(), 24, "{temporary}");
    assert_eq!(here.get("/account").await.0, 303, "signed out everywhere");
    assert_eq!(fresh.get("/account").await.0, 303, "signed out everywhere");
    assert_eq!(
        app.browser().login("lab@duijie.demo", &temporary).await,
        303
    );
    let (_, audit) = admin.get("/admin/audit").await;
    assert!(audit.contains("password_reset") && audit.contains("password_change"));
    assert!(!audit.contains("$argon2"), "no hash in the log");
}
