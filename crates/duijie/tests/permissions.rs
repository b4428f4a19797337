//! The permission matrix: every route × every role (visitor, member of organisation A, member
//! of organisation B, expert, programme officer, admin), with the status each must get and,
//! where a page or record shows protected fields, whether each role sees them — in HTML and
//! JSON. A route the application serves without a row here fails the test.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{id_from, scenario_form, App, Browser, DEMO_PASSWORD};
use serde_json::{json, Value};

const ROLES: [&str; 8] = [
    "visitor",
    "member A",
    "member B",
    "expert",
    "officer",
    "admin",
    "registrar",
    "broker",
];
const LOGINS: [Option<&str>; 8] = [
    None,
    Some("port@duijie.demo"),
    Some("lab@duijie.demo"),
    Some("expert@duijie.demo"),
    Some("officer@duijie.demo"),
    Some("admin@duijie.demo"),
    Some("registrar@duijie.demo"),
    Some("broker@duijie.demo"),
];
const SECRET_S: &str = "机密-场景-7f3a";
const SECRET_A: &str = "机密-成果-9c1d";
/// Organisation A's phone number in the demo data: shown only to its own members, staff, and
/// members of organisations with an accepted docking with it (B: the demo's brokered
/// introduction of the lab to the port was accepted by both).
const CONTACT_A: &str = "0315-8800 6006";
const CONTACT_SEERS: [bool; 8] = [F, T, T, F, T, T, F, F];

/// What a row sends.
#[derive(Clone, Copy)]
enum Req {
    /// GET as a browser.
    Page,
    /// POST a form (with the session's CSRF token) as a browser.
    Form(fn(&Ctx) -> Vec<(String, String)>),
    /// A JSON request with the role's API token (the visitor has none).
    Api(&'static str, fn(&Ctx) -> Option<Value>),
    /// Upload a file (multipart, with the session's CSRF token) as a browser: name and content.
    Upload(&'static str, &'static str),
}

struct Row {
    /// The route as the router names it.
    route: &'static str,
    /// The concrete path; `{s}`, `{d}`, `{a}`, `{oa}`, `{ob}`, `{t}`, `{u}` are filled per cell.
    path: &'static str,
    send: Req,
    expect: [u16; 8],
    /// A marker of protected text and which roles must see it.
    reveals: Option<(&'static str, [bool; 8])>,
    /// Sign in afresh for this cell (for sign-out, which ends the session).
    fresh_session: bool,
}

/// What a cell's request may refer to.
struct Ctx {
    org_a: i64,
    org_b: i64,
}

const T: bool = true;
const F: bool = false;

fn scenario_fields(c: &Ctx) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = scenario_form("矩阵测试场景", "权限矩阵", SECRET_S)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    f.push(("org_id".into(), c.org_a.to_string()));
    f
}

fn achievement_fields(c: &Ctx) -> Vec<(String, String)> {
    [
        ("title_zh", "矩阵测试成果"),
        ("chain", "robotics"),
        ("trl", "6"),
        ("status", "published"),
        ("confidential", SECRET_A),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([("org_id".to_string(), c.org_b.to_string())])
    .collect()
}

fn org_a_fields(_: &Ctx) -> Vec<(String, String)> {
    [
        ("name_zh", "唐山曹妃甸港口集团有限公司"),
        ("name_en", "Tangshan Caofeidian Port Group Co., Ltd."),
        ("kind", "enterprise"),
        ("region", "hebei.tangshan.caofeidian"),
        ("chain", "robotics"),
        ("contact_name", "智慧港口部 李工"),
        ("contact_phone", CONTACT_A),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn new_org_fields(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("name_zh".into(), "矩阵测试机构".into()),
        ("kind".into(), "enterprise".into()),
        ("region".into(), "beijing".into()),
    ]
}

fn nothing(_: &Ctx) -> Vec<(String, String)> {
    Vec::new()
}

fn share_with_b(c: &Ctx) -> Vec<(String, String)> {
    vec![("org_id".into(), c.org_b.to_string())]
}

fn share_with_a(c: &Ctx) -> Vec<(String, String)> {
    vec![("org_id".into(), c.org_a.to_string())]
}

fn bad_login(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("email".into(), "port@duijie.demo".into()),
        ("password".into(), "not-the-password".into()),
    ]
}

fn member_role(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("role".into(), "member".into()),
        ("org_id".into(), String::new()),
    ]
}

fn new_gathering_fields(_: &Ctx) -> Vec<(String, String)> {
    [
        ("title_zh", "矩阵测试场景汇"),
        ("date", "2026-12-30"),
        ("first_start", "09:00"),
        ("slot_count", "3"),
        ("tables", "2"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// A new participant with an e-mail nobody registered before (staff register for A).
fn participant_fields(c: &Ctx) -> Vec<(String, String)> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    vec![
        ("name".into(), format!("矩阵参会人{n}")),
        ("email".into(), format!("matrix-{n}@example.cn")),
        ("side".into(), "demand".into()),
        ("org_id".into(), c.org_a.to_string()),
    ]
}

/// `{pa}` and `{pb}` are replaced like the path's placeholders.
fn request_fields(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("from".into(), "{pa}".into()),
        ("to".into(), "{pb}".into()),
        ("priority".into(), "4".into()),
    ]
}

fn accept(_: &Ctx) -> Vec<(String, String)> {
    vec![("action".into(), "accept".into())]
}

fn reopen(_: &Ctx) -> Vec<(String, String)> {
    vec![("status".into(), "open".into())]
}

fn lock_it(_: &Ctx) -> Vec<(String, String)> {
    vec![("locked".into(), "1".into())]
}

fn requester_outcome(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("side".into(), "from".into()),
        ("outcome".into(), "nda".into()),
    ]
}

/// The demo enterprise's figures, unchanged.
fn rnd_figures(_: &Ctx) -> Vec<(String, String)> {
    [
        ("kind", "general"),
        ("total_income", "2360000000"),
        ("non_taxable_income", "12000000"),
        ("investment_income", "45000000"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn rnd_resource(_: &Ctx) -> Vec<(String, String)> {
    [
        ("name", "矩阵设备"),
        ("kind", "equipment"),
        ("category", "depreciation"),
        ("amount", "1000"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// A new project with a code of its own; `{ry}` is the year.
fn rnd_project(_: &Ctx) -> Vec<(String, String)> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    vec![
        ("code".into(), format!("MATRIX-{n}")),
        ("name".into(), "矩阵研发项目".into()),
        ("personnel".into(), "1000".into()),
    ]
}

/// The demo's second project, edited but keeping its code.
fn rnd_project_two(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("code".into(), "TS-RD-{ry}-02".into()),
        ("name".into(), "散货堆场无人化作业调度系统".into()),
        ("goal".into(), "堆取料机无人化作业的调度与防碰撞。".into()),
        ("innovation".into(), "多机协同调度算法。".into()),
        (
            "uncertainty".into(),
            "多台堆取料机同时作业时调度能否实时收敛。".into(),
        ),
        ("personnel".into(), "860000".into()),
    ]
}

fn open_review(_: &Ctx) -> Vec<(String, String)> {
    vec![("open".into(), "1".into())]
}

fn rnd_opinion(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("verdict".into(), "doubtful".into()),
        ("opinion".into(), "请补充量化指标和试验记录。".into()),
    ]
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn platform_fields(c: &Ctx) -> Vec<(String, String)> {
    let mut f = pairs(&[
        ("kind", "pilot"),
        ("name_zh", "矩阵平台"),
        ("region", "hebei.tangshan"),
        ("chain", "robotics"),
        ("capacity", "1"),
    ]);
    f.push(("org_id".into(), c.org_a.to_string()));
    f
}

fn service_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[
        ("kind", "inspection"),
        ("name_zh", "矩阵服务"),
        ("lead_days", "3"),
    ])
}

fn day_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("day", "2099-12-01"), ("capacity", "3")])
}

/// `{sv}` is the demo platform's first service.
fn request_service_fields(c: &Ctx) -> Vec<(String, String)> {
    let mut f = pairs(&[
        ("service_id", "{sv}"),
        ("wanted_from", "2099-03-01"),
        ("days", "1"),
        ("units", "1"),
    ]);
    f.push(("org_id".into(), c.org_a.to_string()));
    f
}

fn cancel(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("action", "cancel")])
}

fn case_fields(c: &Ctx) -> Vec<(String, String)> {
    let mut f = pairs(&[("title", "矩阵案例"), ("manager", "王处长")]);
    f.push(("org_id".into(), c.org_a.to_string()));
    f
}

fn stage(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("stage", "pilot")])
}

fn step_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[
        ("kind", "fund"),
        ("title", "矩阵事项"),
        ("due_day", "2099-01-01"),
    ])
}

fn step_status(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("status", "doing")])
}

fn fund_fields(c: &Ctx) -> Vec<(String, String)> {
    let mut f = pairs(&[("name_zh", "矩阵基金"), ("kind", "venture")]);
    f.push(("org_id".into(), c.org_a.to_string()));
    f
}

fn finance_fields(c: &Ctx) -> Vec<(String, String)> {
    let mut f = pairs(&[
        ("title", "矩阵融资"),
        ("chain", "robotics"),
        ("stage", "early"),
        ("region", "hebei.tangshan"),
        ("amount_wan", "100"),
    ]);
    f.push(("org_id".into(), c.org_a.to_string()));
    f
}

fn deal_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("project_id", "1"), ("status", "interest")])
}

fn link_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("position", "upstream"), ("name_zh", "矩阵环节")])
}

fn place_fields(c: &Ctx) -> Vec<(String, String)> {
    let mut f = pairs(&[("link_id", "1"), ("entity", "organisation")]);
    f.push(("entity_id".into(), c.org_a.to_string()));
    f
}

fn outcome_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[
        ("kind", "company"),
        ("title", "矩阵落户"),
        ("region", "hebei.tangshan"),
        ("chain", "robotics"),
        ("source_region", "beijing"),
        ("occurred_on", "2026-01-01"),
    ])
}

fn outcome_json(c: &Ctx) -> Option<Value> {
    Some(Value::Object(
        outcome_fields(c)
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    ))
}

fn no_body(_: &Ctx) -> Option<Value> {
    None
}

fn participant_json(c: &Ctx) -> Option<Value> {
    Some(Value::Object(
        participant_fields(c)
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    ))
}

/// `{pa}` and `{pb}` are filled like the path's placeholders.
fn request_json(_: &Ctx) -> Option<Value> {
    Some(json!({"from": "{pa}", "to": "{pb}", "priority": 4}))
}

fn accept_json(_: &Ctx) -> Option<Value> {
    Some(json!({"action": "accept"}))
}

fn scenario_json(c: &Ctx) -> Option<Value> {
    Some(
        json!({"org_id": c.org_a, "title_zh": "矩阵 API 场景", "chain": "ai", "trl_required": 5, "region": "beijing", "status": "published", "confidential": SECRET_S}),
    )
}

fn achievement_json(c: &Ctx) -> Option<Value> {
    Some(
        json!({"org_id": c.org_b, "title_zh": "矩阵 API 成果", "chain": "ai", "trl": 5, "status": "published", "confidential": SECRET_A}),
    )
}

fn org_json(_: &Ctx) -> Option<Value> {
    Some(json!({"name_zh": "矩阵 API 机构", "kind": "fund", "region": "tianjin"}))
}

fn org_a_json(c: &Ctx) -> Option<Value> {
    let f: serde_json::Map<String, Value> = org_a_fields(c)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    Some(Value::Object(f))
}

/// A voucher scheme open all this year and the next, for Hebei enterprises.
fn scheme_fields(_: &Ctx) -> Vec<(String, String)> {
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let (from, until) = (format!("{year}-01-01"), format!("{}-12-31", year + 1));
    pairs(&[
        ("name_zh", "矩阵创新券"),
        ("source", "矩阵测试"),
        ("budget", "100"),
        ("per_enterprise", "10"),
        ("share_pct", "50"),
        ("service_kinds", "inspection"),
        ("service_kinds", "scale_up"),
        ("service_kinds", "concept"),
        ("service_kinds", "certification"),
        ("provider_regions", "hebei"),
        ("enterprise_regions", "hebei"),
        ("valid_from", &from),
        ("valid_until", &until),
    ])
}

/// Fresh per cell, as the path needs: a scheme (`{vs}`), A's application to it (`{vv}`),
/// approved (`{va}`) with a scheduled service request of A's (`{vr}`), used on it (`{vu}`).
#[derive(Default)]
struct VoucherFixture {
    scheme: i64,
    voucher: i64,
    request: i64,
    used: i64,
}

async fn voucher_fixture(
    officer: &Browser,
    port: &Browser,
    admin: &Browser,
    ctx: &Ctx,
    path: &str,
) -> VoucherFixture {
    let mut f = VoucherFixture::default();
    if !["{vs}", "{vv}", "{va}", "{vu}"]
        .iter()
        .any(|m| path.contains(m))
    {
        return f;
    }
    let form: Vec<(String, String)> = scheme_fields(ctx);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (s, loc, _) = officer.submit("/vouchers", &form).await;
    assert_eq!(s, 303, "scheme fixture");
    f.scheme = id_from(&loc);
    if path.contains("{vs}") {
        return f;
    }
    let page = format!("/vouchers/{}", f.scheme);
    assert_eq!(port.submit(&format!("{page}/apply"), &[]).await.0, 303);
    f.voucher = id_after(
        &officer.get(&page).await.1,
        "id=\"applications\"",
        "data-voucher=\"",
    );
    if path.contains("{vv}") {
        return f;
    }
    let decide = format!("/vouchers/applications/{}", f.voucher);
    assert_eq!(
        officer.submit(&decide, &[("decision", "approve")]).await.0,
        303
    );
    let org = ctx.org_a.to_string();
    let (_, html) = admin.get("/platforms/1").await;
    let service = id_after(&html, "id=\"f-service\"", "<option value=\"").to_string();
    let ask = [
        ("org_id", org.as_str()),
        ("service_id", service.as_str()),
        ("wanted_from", "2099-03-01"),
        ("days", "1"),
        ("units", "1"),
    ];
    assert_eq!(admin.submit("/platforms/1/requests", &ask).await.0, 303);
    let (_, html) = admin.get("/platforms/1").await;
    f.request = id_after(&html, "<tr class=\"request\"", "/platforms/1/requests/");
    static DAY: AtomicUsize = AtomicUsize::new(0);
    let start = chrono::NaiveDate::from_ymd_opt(2099, 3, 1).expect("day")
        + chrono::Duration::days(2 * DAY.fetch_add(1, Ordering::SeqCst) as i64);
    let start = start.to_string();
    let (s, _, _) = admin
        .submit(
            &format!("/platforms/1/requests/{}", f.request),
            &[("action", "schedule"), ("start_day", start.as_str())],
        )
        .await;
    assert_eq!(s, 303, "scheduled");
    if path.contains("{va}") {
        return f;
    }
    let rid = f.request.to_string();
    let (s, _, _) = port
        .submit(
            &format!("/vouchers/applications/{}/uses", f.voucher),
            &[("request_id", rid.as_str()), ("price", "1")],
        )
        .await;
    assert_eq!(s, 303, "used");
    f.used = id_after(&officer.get(&page).await.1, "id=\"uses\"", "data-use=\"");
    f
}

/// An enterprise profile: a fact and one year's figures.
fn policy_profile(_: &Ctx) -> Vec<(String, String)> {
    [
        ("industry", "manufacturing"),
        ("ip_class1", "1"),
        ("years", "2025"),
        ("staff_2025", "120"),
        ("rnd_2025", "300"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn rows() -> Vec<Row> {
    use Req::*;
    let r = |route, path, send, expect| Row {
        route,
        path,
        send,
        expect,
        reveals: None,
        fresh_session: false,
    };
    let shows = |route, path, send, expect, marker, who| Row {
        route,
        path,
        send,
        expect,
        reveals: Some((marker, who)),
        fresh_session: false,
    };
    let (ok, see_a, see_b) = ([200; 8], [F, T, F, F, T, T, F, F], [F, F, T, F, T, T, F, F]);
    vec![
        r("GET /", "/", Page, ok),
        r("GET /search", "/search?q=%E5%B7%A1%E6%A3%80", Page, ok),
        r("GET /lang/{code}", "/lang/en?next=/", Page, [303; 8]),
        r("GET /static/{file}", "/static/app.css", Page, ok),
        r("GET /healthz", "/healthz", Page, ok),
        r("GET /scenarios", "/scenarios", Page, ok),
        r(
            "POST /scenarios",
            "/scenarios",
            Form(scenario_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /scenarios/new",
            "/scenarios/new",
            Page,
            [303, 200, 200, 403, 200, 200, 403, 403],
        ),
        shows(
            "GET /scenarios/{id}",
            "/scenarios/{s}",
            Page,
            ok,
            SECRET_S,
            see_a,
        ),
        r(
            "GET /scenarios/{id}",
            "/scenarios/{d}",
            Page,
            [404, 200, 404, 404, 200, 200, 404, 404],
        ),
        r(
            "POST /scenarios/{id}",
            "/scenarios/{s}",
            Form(scenario_fields),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /scenarios/{id}/edit",
            "/scenarios/{s}/edit",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /scenarios/{id}/delete",
            "/scenarios/{s}/delete",
            Form(nothing),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /scenarios/{id}/share",
            "/scenarios/{s}/share",
            Form(share_with_b),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        // Confidentiality terms: the owner (and staff) set them; another organisation's
        // member accepts them — here there are none yet, a conflict.
        r(
            "POST /scenarios/{id}/terms",
            "/scenarios/{s}/terms",
            Form(terms_fields),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /scenarios/{id}/terms/accept",
            "/scenarios/{s}/terms/accept",
            Form(|_| Vec::new()),
            [303, 403, 409, 403, 403, 403, 403, 403],
        ),
        r("GET /achievements", "/achievements", Page, ok),
        r(
            "POST /achievements",
            "/achievements",
            Form(achievement_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /achievements/new",
            "/achievements/new",
            Page,
            [303, 200, 200, 403, 200, 200, 403, 403],
        ),
        shows(
            "GET /achievements/{id}",
            "/achievements/{a}",
            Page,
            ok,
            SECRET_A,
            see_b,
        ),
        r(
            "POST /achievements/{id}",
            "/achievements/{a}",
            Form(achievement_fields),
            [303, 403, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /achievements/{id}/edit",
            "/achievements/{a}/edit",
            Page,
            [303, 403, 200, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /achievements/{id}/delete",
            "/achievements/{a}/delete",
            Form(nothing),
            [303, 403, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /achievements/{id}/share",
            "/achievements/{a}/share",
            Form(share_with_a),
            [303, 403, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /achievements/{id}/terms",
            "/achievements/{a}/terms",
            Form(terms_fields),
            [303, 403, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /achievements/{id}/terms/accept",
            "/achievements/{a}/terms/accept",
            Form(|_| Vec::new()),
            [303, 409, 403, 403, 403, 403, 403, 403],
        ),
        r("GET /organisations", "/organisations", Page, ok),
        r(
            "POST /organisations",
            "/organisations",
            Form(new_org_fields),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /organisations/new",
            "/organisations/new",
            Page,
            [303, 403, 403, 403, 200, 200, 403, 403],
        ),
        shows(
            "GET /organisations/{id}",
            "/organisations/{oa}",
            Page,
            ok,
            CONTACT_A,
            CONTACT_SEERS,
        ),
        r(
            "POST /organisations/{id}",
            "/organisations/{oa}",
            Form(org_a_fields),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /organisations/{id}/edit",
            "/organisations/{oa}/edit",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        r("GET /login", "/login", Page, ok),
        r("POST /login", "/login", Form(bad_login), [401; 8]),
        Row {
            fresh_session: true,
            ..r("POST /logout", "/logout", Form(nothing), [303; 8])
        },
        r("GET /register", "/register", Page, ok),
        r("POST /register", "/register", Form(nothing), [422; 8]),
        r(
            "GET /account",
            "/account",
            Page,
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        r(
            "POST /account/tokens",
            "/account/tokens",
            Form(nothing),
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        r(
            "POST /account/password",
            "/account/password",
            Form(nothing),
            [303, 422, 422, 422, 422, 422, 422, 422],
        ),
        r(
            "POST /account/tokens/{id}/revoke",
            "/account/tokens/{t}/revoke",
            Form(nothing),
            [303; 8],
        ),
        r(
            "GET /admin/audit",
            "/admin/audit",
            Page,
            [303, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /admin/users",
            "/admin/users",
            Page,
            [303, 403, 403, 403, 403, 200, 403, 403],
        ),
        r(
            "POST /admin/users/{id}",
            "/admin/users/{u}",
            Form(member_role),
            [303, 403, 403, 403, 403, 303, 403, 403],
        ),
        r(
            "POST /admin/users/{id}/password",
            "/admin/users/{u}/password",
            Form(nothing),
            [303, 403, 403, 403, 403, 200, 403, 403],
        ),
        r(
            "GET /api/v1/openapi.json",
            "/api/v1/openapi.json",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/me",
            "/api/v1/me",
            Api("GET", no_body),
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        r("GET /match", "/match?q=%E5%B7%A1%E6%A3%80", Page, ok),
        r(
            "GET /inbox",
            "/inbox",
            Page,
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        r("POST /inbox/read", "/inbox/read", Form(nothing), [303; 8]),
        r(
            "GET /challenges",
            "/challenges?q=%E6%89%98%E8%BE%8A",
            Page,
            ok,
        ),
        r(
            "GET /challenges/new",
            "/challenges/new",
            Page,
            [303, 200, 200, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /challenges",
            "/challenges",
            Form(new_challenge_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r("GET /challenges/{id}", "/challenges/{c}", Page, ok),
        r(
            "GET /challenges/{id}",
            "/challenges/{cr}",
            Page,
            [404, 200, 404, 404, 200, 200, 404, 404],
        ),
        r(
            "POST /challenges/{id}/status",
            "/challenges/{cr}/status",
            Form(publish),
            [303, 403, 404, 404, 303, 303, 404, 404],
        ),
        r(
            "POST /challenges/{id}/terms",
            "/challenges/{c}/terms",
            Form(agree),
            [303, 403, 303, 403, 403, 403, 403, 403],
        ),
        r(
            "POST /challenges/{id}/applications",
            "/challenges/{c}/applications",
            Form(application_fields),
            [303, 400, 303, 403, 403, 403, 403, 403],
        ),
        r(
            "POST /challenges/{id}/assign",
            "/challenges/{cc}/assign",
            Form(nothing),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /challenges/{id}/reviews/{rid}",
            "/challenges/{cv}/reviews/{rv}",
            Form(scores),
            [303, 403, 403, 303, 403, 403, 403, 403],
        ),
        r(
            "POST /challenges/{id}/applications/{aid}/conflict",
            "/challenges/{cv}/applications/{ca}/conflict",
            Form(reason),
            [303, 403, 403, 303, 303, 303, 403, 403],
        ),
        r(
            "POST /challenges/{id}/decide",
            "/challenges/{cv}/decide",
            Form(award),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /challenges/{id}/milestone",
            "/challenges/{cx}/milestone",
            Form(pass),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        // The same work through the API: a page's 303 is the API's 200 (201 for what it
        // creates), a visitor's sign-in redirect its 401.
        r(
            "POST /api/v1/challenges",
            "/api/v1/challenges",
            Api("POST", new_challenge_json),
            [401, 201, 201, 403, 201, 201, 403, 403],
        ),
        r(
            "POST /api/v1/challenges/{id}/status",
            "/api/v1/challenges/{cr}/status",
            Api("POST", publish_json),
            [401, 403, 404, 404, 200, 200, 404, 404],
        ),
        r(
            "POST /api/v1/challenges/{id}/terms",
            "/api/v1/challenges/{c}/terms",
            Api("POST", agree_json),
            [401, 403, 200, 403, 403, 403, 403, 403],
        ),
        r(
            "POST /api/v1/challenges/{id}/applications",
            "/api/v1/challenges/{c}/applications",
            Api("POST", application_json),
            // B applied on its page above: one application per organisation.
            [401, 400, 409, 403, 403, 403, 403, 403],
        ),
        r(
            "POST /api/v1/challenges/{id}/assign",
            "/api/v1/challenges/{cc}/assign",
            Api("POST", no_body),
            [401, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /api/v1/challenges/{id}/reviews/{rid}",
            "/api/v1/challenges/{cv}/reviews/{rv}",
            Api("POST", scores_json),
            [401, 403, 403, 200, 403, 403, 403, 403],
        ),
        r(
            "POST /api/v1/challenges/{id}/applications/{aid}/conflict",
            "/api/v1/challenges/{cv}/applications/{ca}/conflict",
            Api("POST", reason_json),
            [401, 403, 403, 200, 200, 200, 403, 403],
        ),
        r(
            "POST /api/v1/challenges/{id}/decide",
            "/api/v1/challenges/{cv}/decide",
            Api("POST", award_json),
            [401, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /api/v1/challenges/{id}/milestone",
            "/api/v1/challenges/{cx}/milestone",
            Api("POST", pass_json),
            [401, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /challenges/{id}/export.xlsx",
            "/challenges/{c}/export.xlsx",
            Page,
            [303, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /experts",
            "/experts",
            Page,
            [303, 403, 403, 200, 200, 200, 403, 403],
        ),
        r("GET /platforms", "/platforms", Page, ok),
        r(
            "POST /platforms",
            "/platforms",
            Form(platform_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /platforms/new",
            "/platforms/new",
            Page,
            [303, 200, 200, 403, 200, 200, 403, 403],
        ),
        // B's demo request is seen by B, the operator (staff) and no one else.
        shows(
            "GET /platforms/{id}",
            "/platforms/1",
            Page,
            ok,
            "矿用防爆认证前摸底",
            see_b,
        ),
        r(
            "POST /platforms/{id}/services",
            "/platforms/1/services",
            Form(service_fields),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /platforms/{id}/days",
            "/platforms/1/days",
            Form(day_fields),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /platforms/{id}/requests",
            "/platforms/1/requests",
            Form(request_service_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /platforms/{id}/requests/{rid}",
            "/platforms/1/requests/{sr}",
            Form(cancel),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /cases",
            "/cases",
            Page,
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        r(
            "POST /cases",
            "/cases",
            Form(case_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /cases/{id}",
            "/cases/{cs}",
            Page,
            [303, 200, 404, 404, 200, 200, 404, 404],
        ),
        r(
            "POST /cases/{id}/stage",
            "/cases/{cs}/stage",
            Form(stage),
            [303, 303, 404, 404, 303, 303, 404, 404],
        ),
        r(
            "POST /cases/{id}/steps",
            "/cases/{cs}/steps",
            Form(step_fields),
            [303, 303, 404, 404, 303, 303, 404, 404],
        ),
        r(
            "POST /cases/{id}/steps/{sid}",
            "/cases/{cs}/steps/{cst}",
            Form(step_status),
            [303, 303, 404, 404, 303, 303, 404, 404],
        ),
        r("GET /funds", "/funds", Page, ok),
        r(
            "POST /funds",
            "/funds",
            Form(fund_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        // A decision is seen by the fund (staff act for it), the project's organisation
        // (neither A nor B here) and staff.
        shows(
            "GET /funds/{id}",
            "/funds/2",
            Page,
            ok,
            "deal-due_diligence",
            [F, F, F, F, T, T, F, F],
        ),
        r(
            "POST /funds/{id}/deals",
            "/funds/1/deals",
            Form(deal_fields),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /funds/projects",
            "/funds/projects",
            Form(finance_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r("GET /funds/projects/{id}", "/funds/projects/1", Page, ok),
        r("GET /developers", "/developers", Page, ok),
        r("GET /chains", "/chains", Page, ok),
        r("GET /chains/{code}", "/chains/robotics", Page, ok),
        r(
            "POST /chains/{code}/links",
            "/chains/robotics/links",
            Form(link_fields),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /chains/{code}/places",
            "/chains/robotics/places",
            Form(place_fields),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r("GET /outcomes", "/outcomes", Page, ok),
        r(
            "POST /outcomes",
            "/outcomes",
            Form(outcome_fields),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /outcomes/export.xlsx",
            "/outcomes/export.xlsx",
            Page,
            ok,
        ),
        r(
            "GET /policies",
            "/policies",
            Page,
            [303, 303, 303, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /policies/gap.xlsx",
            "/policies/gap.xlsx",
            Page,
            [303, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /policies/{org}",
            "/policies/{oa}",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /policies/{org}",
            "/policies/{oa}",
            Form(policy_profile),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r("GET /vouchers", "/vouchers", Page, ok),
        r(
            "POST /vouchers",
            "/vouchers",
            Form(scheme_fields),
            [303, 403, 403, 403, 303, 422, 403, 403],
        ),
        r("GET /vouchers/{id}", "/vouchers/1", Page, ok),
        r(
            "POST /vouchers/{id}/apply",
            "/vouchers/{vs}/apply",
            Form(|_| Vec::new()),
            [303, 303, 422, 403, 403, 403, 403, 403],
        ),
        r(
            "POST /vouchers/applications/{vid}",
            "/vouchers/applications/{vv}",
            Form(|_| pairs(&[("decision", "approve")])),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /vouchers/applications/{vid}/uses",
            "/vouchers/applications/{va}/uses",
            Form(|_| pairs(&[("request_id", "{vr}"), ("price", "1")])),
            [303, 303, 403, 403, 403, 403, 403, 403],
        ),
        r(
            "POST /vouchers/uses/{uid}/redeem",
            "/vouchers/uses/{vu}/redeem",
            Form(|_| Vec::new()),
            [303, 403, 403, 403, 403, 403, 403, 403],
        ),
        r(
            "POST /vouchers/uses/{uid}/reconcile",
            "/vouchers/uses/{vu}/reconcile",
            Form(|_| Vec::new()),
            [303, 403, 403, 403, 422, 422, 403, 403],
        ),
        r("GET /rnd", "/rnd", Page, ok),
        r(
            "GET /rnd/policies",
            "/rnd/policies?q=%E5%A7%94%E6%89%98",
            Page,
            ok,
        ),
        r(
            "GET /rnd/reviews",
            "/rnd/reviews",
            Page,
            [303, 403, 403, 200, 200, 200, 403, 403],
        ),
        r(
            "GET /rnd/hours-template.csv",
            "/rnd/hours-template.csv",
            Page,
            ok,
        ),
        r(
            "GET /rnd/{org}/{year}",
            "/rnd/{oa}/{ry}",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /rnd/{org}/{year}/figures",
            "/rnd/{oa}/{ry}/figures",
            Form(rnd_figures),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /rnd/{org}/{year}/resources",
            "/rnd/{oa}/{ry}/resources",
            Form(rnd_resource),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /rnd/{org}/{year}/resources/{id}/delete",
            "/rnd/{oa}/{ry}/resources/{rr}/delete",
            Form(|_| Vec::new()),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /rnd/{org}/{year}/hours",
            "/rnd/{oa}/{ry}/hours",
            Upload("hours.csv", "resource,project,hours\n张工,,1\n"),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /rnd/{org}/{year}/imports/{id}/delete",
            "/rnd/{oa}/{ry}/imports/{ri}/delete",
            Form(|_| Vec::new()),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /rnd/{org}/{year}/projects/new",
            "/rnd/{oa}/{ry}/projects/new",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /rnd/{org}/{year}/projects",
            "/rnd/{oa}/{ry}/projects",
            Form(rnd_project),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /rnd/{org}/{year}/ledger",
            "/rnd/{oa}/{ry}/ledger",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /rnd/{org}/{year}/ledger.xlsx",
            "/rnd/{oa}/{ry}/ledger.xlsx",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        // The second demo project is open for opinions: experts see its facts, not its money.
        shows(
            "GET /rnd/projects/{id}",
            "/rnd/projects/{rp}",
            Page,
            [303, 200, 404, 200, 200, 200, 404, 404],
            "860000.00",
            see_a,
        ),
        r(
            "GET /rnd/projects/{id}",
            "/rnd/projects/{rq}",
            Page,
            [303, 200, 404, 404, 200, 200, 404, 404],
        ),
        r(
            "POST /rnd/projects/{id}",
            "/rnd/projects/{rp}",
            Form(rnd_project_two),
            [303, 303, 404, 403, 303, 303, 404, 404],
        ),
        r(
            "GET /rnd/projects/{id}/edit",
            "/rnd/projects/{rp}/edit",
            Page,
            [303, 200, 404, 403, 200, 200, 404, 404],
        ),
        r(
            "POST /rnd/projects/{id}/review",
            "/rnd/projects/{rp}/review",
            Form(open_review),
            [303, 303, 404, 403, 303, 303, 404, 404],
        ),
        r(
            "POST /rnd/projects/{id}/opinions",
            "/rnd/projects/{rp}/opinions",
            Form(rnd_opinion),
            [303, 403, 404, 303, 303, 303, 404, 404],
        ),
        r(
            "POST /experts/me",
            "/experts/me",
            Form(profile),
            [303, 403, 403, 303, 403, 403, 403, 403],
        ),
        r(
            "GET /api/v1/challenges",
            "/api/v1/challenges",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/challenges/{id}",
            "/api/v1/challenges/{c}",
            Api("GET", no_body),
            ok,
        ),
        r("GET /gatherings", "/gatherings", Page, ok),
        r(
            "GET /gatherings/new",
            "/gatherings/new",
            Page,
            [303, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /gatherings",
            "/gatherings",
            Form(new_gathering_fields),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r("GET /gatherings/{id}", "/gatherings/{g}", Page, ok),
        r(
            "POST /gatherings/{id}/participants",
            "/gatherings/{g}/participants",
            Form(participant_fields),
            [303, 303, 303, 422, 303, 303, 403, 422],
        ),
        // The same through the API, before the event is scheduled (which closes registration
        // for members): a page's 303 is the API's 201, a visitor's sign-in redirect its 401.
        r(
            "POST /api/v1/gatherings/{id}/participants",
            "/api/v1/gatherings/{g}/participants",
            Api("POST", participant_json),
            [401, 201, 201, 422, 201, 201, 403, 422],
        ),
        r(
            "POST /gatherings/{id}/participants/{pid}/availability",
            "/gatherings/{g}/participants/{pa}/availability",
            Form(nothing),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /gatherings/{id}/requests",
            "/gatherings/{g}/requests",
            Form(request_fields),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /gatherings/{id}/requests/{rid}",
            "/gatherings/{g}/requests/{r}",
            Form(accept),
            [303, 403, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /gatherings/{id}/schedule",
            "/gatherings/{g}/schedule",
            Form(nothing),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        // The rest of the gathering work through the API, as on its pages.
        r(
            "POST /api/v1/gatherings/{id}/requests",
            "/api/v1/gatherings/{g}/requests",
            Api("POST", request_json),
            [401, 201, 403, 403, 201, 201, 403, 403],
        ),
        r(
            "POST /api/v1/gatherings/{id}/requests/{rid}",
            "/api/v1/gatherings/{g}/requests/{r}",
            Api("POST", accept_json),
            [401, 403, 200, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /api/v1/gatherings/{id}/schedule",
            "/api/v1/gatherings/{g}/schedule",
            Api("POST", no_body),
            [401, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /gatherings/{id}/status",
            "/gatherings/{g}/status",
            Form(reopen),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /gatherings/{id}/meetings/{mid}/lock",
            "/gatherings/{g}/meetings/{m}/lock",
            Form(lock_it),
            [303, 403, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "POST /gatherings/{id}/meetings/{mid}/outcome",
            "/gatherings/{g}/meetings/{m}/outcome",
            Form(requester_outcome),
            [303, 303, 403, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /gatherings/{id}/grid",
            "/gatherings/{g}/grid",
            Page,
            [303, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /gatherings/{id}/agenda/{pid}",
            "/gatherings/{g}/agenda/{pa}",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /gatherings/{id}/agenda/{pid}/ics",
            "/gatherings/{g}/agenda/{pa}/ics",
            Page,
            [303, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /gatherings/{id}/export.xlsx",
            "/gatherings/{g}/export.xlsx",
            Page,
            [303, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /api/v1/gatherings",
            "/api/v1/gatherings",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/gatherings/{id}",
            "/api/v1/gatherings/{g}",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/match",
            "/api/v1/match?q=%E5%B7%A1%E6%A3%80",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/scenarios/{id}/matches",
            "/api/v1/scenarios/{s}/matches",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/scenarios/{id}/matches",
            "/api/v1/scenarios/{d}/matches",
            Api("GET", no_body),
            [404, 200, 404, 404, 200, 200, 404, 404],
        ),
        r(
            "GET /api/v1/achievements/{id}/matches",
            "/api/v1/achievements/{a}/matches",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/scenarios",
            "/api/v1/scenarios",
            Api("GET", no_body),
            ok,
        ),
        r(
            "POST /api/v1/scenarios",
            "/api/v1/scenarios",
            Api("POST", scenario_json),
            [401, 201, 201, 403, 201, 201, 403, 403],
        ),
        shows(
            "GET /api/v1/scenarios/{id}",
            "/api/v1/scenarios/{s}",
            Api("GET", no_body),
            ok,
            SECRET_S,
            see_a,
        ),
        r(
            "GET /api/v1/scenarios/{id}",
            "/api/v1/scenarios/{d}",
            Api("GET", no_body),
            [404, 200, 404, 404, 200, 200, 404, 404],
        ),
        r(
            "PUT /api/v1/scenarios/{id}",
            "/api/v1/scenarios/{s}",
            Api("PUT", scenario_json),
            [401, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "DELETE /api/v1/scenarios/{id}",
            "/api/v1/scenarios/{s}",
            Api("DELETE", no_body),
            [401, 204, 403, 403, 204, 204, 403, 403],
        ),
        r(
            "GET /api/v1/achievements",
            "/api/v1/achievements",
            Api("GET", no_body),
            ok,
        ),
        r(
            "POST /api/v1/achievements",
            "/api/v1/achievements",
            Api("POST", achievement_json),
            [401, 201, 201, 403, 201, 201, 403, 403],
        ),
        shows(
            "GET /api/v1/achievements/{id}",
            "/api/v1/achievements/{a}",
            Api("GET", no_body),
            ok,
            SECRET_A,
            see_b,
        ),
        r(
            "PUT /api/v1/achievements/{id}",
            "/api/v1/achievements/{a}",
            Api("PUT", achievement_json),
            [401, 403, 200, 403, 200, 200, 403, 403],
        ),
        r(
            "DELETE /api/v1/achievements/{id}",
            "/api/v1/achievements/{a}",
            Api("DELETE", no_body),
            [401, 403, 204, 403, 204, 204, 403, 403],
        ),
        r(
            "GET /api/v1/organisations",
            "/api/v1/organisations",
            Api("GET", no_body),
            ok,
        ),
        r(
            "POST /api/v1/organisations",
            "/api/v1/organisations",
            Api("POST", org_json),
            [401, 403, 403, 403, 201, 201, 403, 403],
        ),
        shows(
            "GET /api/v1/organisations/{id}",
            "/api/v1/organisations/{oa}",
            Api("GET", no_body),
            ok,
            CONTACT_A,
            CONTACT_SEERS,
        ),
        r(
            "PUT /api/v1/organisations/{id}",
            "/api/v1/organisations/{oa}",
            Api("PUT", org_a_json),
            [401, 200, 403, 403, 200, 200, 403, 403],
        ),
        // Dockings: `{dk}` is a fresh request from B about A's fresh scenario `{s}`. Only
        // members of an organisation take part; staff see it (stage, not messages); B's
        // own-record request and the expert are refused; to those who may not see a docking
        // (the expert, the registrar, a broker who did not introduce it) it does not exist.
        // A broker's list holds the dockings it introduced.
        r(
            "GET /dockings",
            "/dockings",
            Page,
            [303, 200, 200, 403, 200, 200, 403, 200],
        ),
        r(
            "POST /dockings",
            "/dockings",
            Form(docking_fields),
            [303, 422, 303, 403, 403, 403, 403, 403],
        ),
        shows(
            "GET /dockings/{id}",
            "/dockings/{dk}",
            Page,
            [303, 200, 200, 404, 200, 200, 404, 404],
            DOCKING_TEXT,
            [F, T, T, F, F, F, F, F],
        ),
        r(
            "POST /dockings/{id}/answer",
            "/dockings/{dk}/answer",
            Form(accept_docking),
            [303, 303, 403, 403, 403, 403, 403, 403],
        ),
        r(
            "POST /dockings/{id}/stage",
            "/dockings/{dk}/stage",
            Form(withdraw_docking),
            [303, 403, 303, 404, 403, 403, 404, 404],
        ),
        r(
            "POST /dockings/{id}/messages",
            "/dockings/{dk}/messages",
            Form(docking_message),
            [303, 303, 303, 404, 403, 403, 404, 404],
        ),
        r(
            "POST /dockings/{id}/invite-staff",
            "/dockings/{dk}/invite-staff",
            Form(|_| Vec::new()),
            [303, 303, 303, 404, 403, 403, 404, 404],
        ),
        r(
            "GET /api/v1/dockings",
            "/api/v1/dockings",
            Api("GET", no_body),
            [401, 200, 200, 403, 200, 200, 403, 200],
        ),
        r(
            "POST /api/v1/dockings",
            "/api/v1/dockings",
            Api("POST", docking_json),
            [401, 422, 201, 403, 403, 403, 403, 403],
        ),
        r(
            "GET /api/v1/dockings/{id}",
            "/api/v1/dockings/{dk}",
            Api("GET", no_body),
            [401, 200, 200, 404, 200, 200, 404, 404],
        ),
        r(
            "POST /api/v1/dockings/{id}/accept",
            "/api/v1/dockings/{dk}/accept",
            Api("POST", no_body),
            [401, 200, 403, 403, 403, 403, 403, 403],
        ),
        r(
            "GET /api/v1/dockings/{id}/messages",
            "/api/v1/dockings/{dk}/messages",
            Api("GET", no_body),
            [401, 200, 200, 404, 403, 403, 404, 404],
        ),
        r(
            "POST /api/v1/dockings/{id}/messages",
            "/api/v1/dockings/{dk}/messages",
            Api("POST", message_json),
            [401, 201, 201, 404, 403, 403, 404, 404],
        ),
        // Brokers' introductions: only a broker opens the form; `{s}` and `{a}` are both A's,
        // so the broker's submission is refused (one organisation) and stores nothing.
        r(
            "GET /dockings/introduce",
            "/dockings/introduce?scenario={s}&achievement={a}",
            Page,
            [303, 403, 403, 403, 403, 403, 403, 200],
        ),
        r(
            "POST /dockings/introduce",
            "/dockings/introduce",
            Form(introduction_fields),
            [303, 403, 403, 403, 403, 403, 403, 422],
        ),
        r(
            "POST /api/v1/introductions",
            "/api/v1/introductions",
            Api("POST", introduction_json),
            [401, 403, 403, 403, 403, 403, 403, 422],
        ),
        r(
            "GET /workbench",
            "/workbench",
            Page,
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        r(
            "GET /brokers",
            "/brokers",
            Page,
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        // A broker's page: figures for all signed in; its contracts one by one for itself and
        // staff.
        shows(
            "GET /brokers/{id}",
            "/brokers/{br}",
            Page,
            [303, 200, 200, 200, 200, 200, 200, 200],
            "id=\"broker-contracts\"",
            [F, F, F, F, T, T, F, T],
        ),
        // Verification, without changing A's state: a mistyped code (422 where allowed) and
        // a decision on an organisation already verified (409 where allowed).
        r(
            "POST /organisations/{id}/credit-code",
            "/organisations/{oa}/credit-code",
            Form(bad_credit_code),
            [303, 422, 403, 403, 422, 422, 403, 403],
        ),
        r(
            "POST /organisations/{id}/verification",
            "/organisations/{oa}/verification",
            Form(verify_org),
            [303, 403, 403, 403, 409, 409, 403, 403],
        ),
        // Contracts: `{ct}` is a fresh pending contract, B (the lab) selling to A (the port),
        // recorded by the admin. Parties, staff and registrars read it; only a registrar (or
        // the admin) of neither party registers or refuses it.
        r(
            "GET /contracts",
            "/contracts",
            Page,
            [303, 200, 200, 403, 200, 200, 200, 200],
        ),
        r(
            "POST /contracts",
            "/contracts",
            Form(contract_fields),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /contracts/new",
            "/contracts/new",
            Page,
            [303, 200, 200, 403, 200, 200, 403, 403],
        ),
        r(
            "POST /contracts/import",
            "/contracts/import",
            Upload("contracts.csv", CONTRACT_CSV),
            [303, 303, 303, 403, 303, 303, 403, 403],
        ),
        r(
            "GET /contracts/export.xlsx",
            "/contracts/export.xlsx",
            Page,
            [303, 200, 200, 403, 200, 200, 200, 200],
        ),
        shows(
            "GET /contracts/{id}",
            "/contracts/{ct}",
            Page,
            [303, 200, 200, 404, 200, 200, 200, 404],
            CONTRACT_TEXT,
            [F, T, T, F, T, T, T, F],
        ),
        r(
            "POST /contracts/{id}/register",
            "/contracts/{ct}/register",
            Form(nothing),
            [303, 403, 403, 403, 403, 303, 303, 403],
        ),
        r(
            "POST /contracts/{id}/refuse",
            "/contracts/{ct}/refuse",
            Form(refusal),
            [303, 403, 403, 403, 403, 303, 303, 403],
        ),
        r(
            "GET /api/v1/contracts",
            "/api/v1/contracts",
            Api("GET", no_body),
            [401, 200, 200, 403, 200, 200, 200, 200],
        ),
        r(
            "POST /api/v1/contracts",
            "/api/v1/contracts",
            Api("POST", contract_json),
            [401, 201, 201, 403, 201, 201, 403, 403],
        ),
        shows(
            "GET /api/v1/contracts/{id}",
            "/api/v1/contracts/{ct}",
            Api("GET", no_body),
            [401, 200, 200, 404, 200, 200, 200, 404],
            CONTRACT_TEXT,
            [F, T, T, F, T, T, T, F],
        ),
        r(
            "POST /api/v1/contracts/{id}/register",
            "/api/v1/contracts/{ct}/register",
            Api("POST", no_body),
            [401, 403, 403, 403, 403, 200, 200, 403],
        ),
        r(
            "POST /api/v1/contracts/{id}/refuse",
            "/api/v1/contracts/{ct}/refuse",
            Api("POST", refusal_json),
            [401, 403, 403, 403, 403, 200, 200, 403],
        ),
        r(
            "GET /api/v1/statistics/contracts",
            "/api/v1/statistics/contracts?year=2026",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/outcomes",
            "/api/v1/outcomes",
            Api("GET", no_body),
            ok,
        ),
        r(
            "POST /api/v1/outcomes",
            "/api/v1/outcomes",
            Api("POST", outcome_json),
            [401, 403, 403, 403, 201, 201, 403, 403],
        ),
        r(
            "GET /api/v1/statistics/outcomes",
            "/api/v1/statistics/outcomes?year=2026",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/platforms",
            "/api/v1/platforms",
            Api("GET", no_body),
            ok,
        ),
        // As on the page: B's demo request is seen by B and the operator (staff) only.
        shows(
            "GET /api/v1/platforms/{id}",
            "/api/v1/platforms/1",
            Api("GET", no_body),
            ok,
            "矿用防爆认证前摸底",
            see_b,
        ),
        r(
            "GET /api/v1/funds",
            "/api/v1/funds",
            Api("GET", no_body),
            ok,
        ),
        // As on the page: a decision only for the fund (staff act for it) and the project's
        // organisation (neither A nor B).
        shows(
            "GET /api/v1/funds/{id}",
            "/api/v1/funds/2",
            Api("GET", no_body),
            ok,
            "\"due_diligence\"",
            [F, F, F, F, T, T, F, F],
        ),
        r(
            "GET /api/v1/finance-projects",
            "/api/v1/finance-projects",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/policies",
            "/api/v1/policies?open=true",
            Api("GET", no_body),
            [401, 403, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /api/v1/policies/{org}",
            "/api/v1/policies/{oa}",
            Api("GET", no_body),
            [401, 200, 403, 403, 200, 200, 403, 403],
        ),
        r(
            "GET /api/v1/vouchers",
            "/api/v1/vouchers",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/vouchers/{id}",
            "/api/v1/vouchers/1",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/chains",
            "/api/v1/chains",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/chains/{code}",
            "/api/v1/chains/robotics",
            Api("GET", no_body),
            ok,
        ),
        r(
            "GET /api/v1/finance-projects/{id}",
            "/api/v1/finance-projects/1",
            Api("GET", no_body),
            ok,
        ),
    ]
}

/// The title of every fixture contract: only those who may read the contract see it.
const CONTRACT_TEXT: &str = "矩阵技术合同-3d7c";

/// Two contracts between the lab (B) and the port (A), by organisation key.
const CONTRACT_CSV: &str = "title,kind,seller,buyer,total_amount,transaction_amount,signed_on,term_from,term_to\n\
     矩阵导入合同,consulting,buaa-robotics,tangshan-port,10000,8000,2026-01-15,2026-01-15,2027-12-31\n";

fn contract_fields(c: &Ctx) -> Vec<(String, String)> {
    let (a, b) = (c.org_a.to_string(), c.org_b.to_string());
    pairs(&[
        ("title", CONTRACT_TEXT),
        ("kind", "development_commissioned"),
        ("seller", b.as_str()),
        ("buyer", a.as_str()),
        ("total_amount", "200000"),
        ("transaction_amount", "150000.50"),
        ("signed_on", "2026-02-01"),
        ("term_from", "2026-02-01"),
        ("term_to", "2027-01-31"),
    ])
}

fn contract_json(c: &Ctx) -> Option<Value> {
    Some(json!({
        "title": CONTRACT_TEXT, "kind": "development_commissioned", "seller": c.org_b,
        "buyer": c.org_a, "total_amount": "200000", "transaction_amount": "150000.50",
        "signed_on": "2026-02-01", "term_from": "2026-02-01", "term_to": "2027-01-31",
    }))
}

fn bad_credit_code(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("credit_code", "91350100M000100Y44")])
}

fn verify_org(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("action", "verify")])
}

fn refusal(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("reason", "矩阵不予登记")])
}

fn refusal_json(_: &Ctx) -> Option<Value> {
    Some(json!({"reason": "矩阵不予登记"}))
}

/// The text of every fixture docking request: only its two parties read it.
const DOCKING_TEXT: &str = "矩阵对接请求-5e2b";

fn docking_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[
        ("to_kind", "scenario"),
        ("to_id", "{s}"),
        ("want", "pilot"),
        ("message", DOCKING_TEXT),
    ])
}

fn accept_docking(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("action", "accept")])
}

fn withdraw_docking(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("stage", "terminated"), ("reason", "矩阵撤回")])
}

fn docking_message(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("body", "矩阵消息")])
}

fn terms_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[("terms", "矩阵保密条款")])
}

fn message_json(_: &Ctx) -> Option<Value> {
    Some(json!({"body": "矩阵消息"}))
}

fn introduction_fields(_: &Ctx) -> Vec<(String, String)> {
    pairs(&[
        ("scenario_id", "{s}"),
        ("achievement_id", "{a}"),
        ("want", "pilot"),
        ("message", "矩阵引荐"),
    ])
}

/// An introduction naming no achievement: a broker's is refused as invalid.
fn introduction_json(_: &Ctx) -> Option<Value> {
    Some(json!({"scenario_id": 1, "achievement_id": 999_999, "message": "矩阵引荐"}))
}

/// A request about demo scenario 1 (the port's, A's): B may send it once; A owns it.
fn docking_json(_: &Ctx) -> Option<Value> {
    Some(json!({"to_kind": "scenario", "to_id": 1, "message": DOCKING_TEXT}))
}

/// A fresh docking request from B (`member`, a browser signed in as B) about scenario `s`.
async fn docking_fixture(member: &Browser, s: i64) -> i64 {
    let to = s.to_string();
    let (status, loc, _) = member
        .submit(
            "/dockings",
            &[
                ("to_kind", "scenario"),
                ("to_id", to.as_str()),
                ("want", "joint_development"),
                ("message", DOCKING_TEXT),
            ],
        )
        .await;
    assert_eq!(status, 303, "docking fixture");
    common::id_from(&loc)
}

/// Fresh challenges posed for A by the admin, in the state the path needs: `{cr}` under review;
/// `{cc}` closed with B's application `{ca}`; `{cv}` under expert review (four reviewers, so
/// the matrix's expert has review `{rv}`); `{cx}` executing, milestone 1 assigned.
#[derive(Default)]
struct ChallengeFixture {
    review: i64,
    closed: i64,
    reviewing: i64,
    executing: i64,
    application: i64,
    review_id: i64,
}

async fn challenge_fixture(
    admin: &Browser,
    member_b: &Browser,
    ctx: &Ctx,
    path: &str,
) -> ChallengeFixture {
    let mut f = ChallengeFixture::default();
    let wanted = ["{cr}", "{cc}", "{cv}", "{cx}", "{ca}", "{rv}"];
    if !wanted.iter().any(|w| path.contains(w)) {
        return f;
    }
    let org = ctx.org_a.to_string();
    let form = [
        ("org_id", org.as_str()),
        ("title_zh", "矩阵测试榜单"),
        ("problem", "机器人 巡检 定位"),
        ("targets", "定位误差 ≤ 2 cm"),
        ("deadline", "2099-01-31"),
        ("mode", "unveil"),
        ("reviewers", "4"),
    ];
    let (s, loc, _) = admin.submit("/challenges", &form).await;
    assert_eq!(s, 303, "fixture challenge");
    let id = common::id_from(&loc);
    let page = format!("/challenges/{id}");
    let step = |action: &'static str| {
        let path = format!("{page}/status");
        async move {
            assert_eq!(
                admin.submit(&path, &[("action", action)]).await.0,
                303,
                "{action}"
            )
        }
    };
    step("submit").await;
    f.review = id;
    if path.contains("{cr}") {
        return f;
    }
    step("publish").await;
    assert_eq!(
        member_b
            .submit(&format!("{page}/terms"), &[("agree", "1")])
            .await
            .0,
        303
    );
    let apply = [("title", "矩阵申报"), ("plan", "机器人 巡检 定位 方案")];
    assert_eq!(
        member_b
            .submit(&format!("{page}/applications"), &apply)
            .await
            .0,
        303
    );
    f.application = member_b.json(&format!("/api/v1{page}")).await.1["applications"][0]["id"]
        .as_i64()
        .expect("fixture application");
    step("close").await;
    f.closed = id;
    if path.contains("{cc}") {
        return f;
    }
    assert_eq!(
        admin.submit(&format!("{page}/assign"), &[]).await.0,
        303,
        "assign"
    );
    f.reviewing = id;
    let (_, json) = admin.json(&format!("/api/v1{page}")).await;
    f.review_id = json["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .find(|r| r["reviewer"] == "赵专家")
        .and_then(|r| r["id"].as_i64())
        .expect("the matrix's expert reviews");
    if !path.contains("{cx}") {
        return f;
    }
    let award = f.application.to_string();
    assert_eq!(
        admin
            .submit(&format!("{page}/decide"), &[("award", award.as_str())])
            .await
            .0,
        303
    );
    step("execute").await;
    assert_eq!(
        admin.submit(&format!("{page}/assign"), &[]).await.0,
        303,
        "milestone 1"
    );
    f.executing = id;
    f
}

fn new_challenge_fields(c: &Ctx) -> Vec<(String, String)> {
    [
        ("title_zh", "矩阵新榜单"),
        ("problem", "难题"),
        ("targets", "指标"),
        ("deadline", "2099-06-30"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([("org_id".to_string(), c.org_a.to_string())])
    .collect()
}

/// A page's form fields as the API's JSON body (the API reads the same field names).
fn json_of(fields: Vec<(String, String)>) -> Option<Value> {
    Some(Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    ))
}

fn new_challenge_json(c: &Ctx) -> Option<Value> {
    json_of(new_challenge_fields(c))
}

fn publish_json(c: &Ctx) -> Option<Value> {
    json_of(publish(c))
}

fn agree_json(c: &Ctx) -> Option<Value> {
    json_of(agree(c))
}

fn application_json(c: &Ctx) -> Option<Value> {
    json_of(application_fields(c))
}

fn scores_json(c: &Ctx) -> Option<Value> {
    json_of(scores(c))
}

fn reason_json(c: &Ctx) -> Option<Value> {
    json_of(reason(c))
}

fn award_json(c: &Ctx) -> Option<Value> {
    json_of(award(c))
}

fn pass_json(c: &Ctx) -> Option<Value> {
    json_of(pass(c))
}

fn publish(_: &Ctx) -> Vec<(String, String)> {
    vec![("action".into(), "publish".into())]
}

fn agree(_: &Ctx) -> Vec<(String, String)> {
    vec![("agree".into(), "1".into())]
}

fn application_fields(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("title".into(), "矩阵揭榜".into()),
        ("plan".into(), "方案".into()),
    ]
}

fn scores(_: &Ctx) -> Vec<(String, String)> {
    (0..4)
        .map(|i| (format!("score_{i}"), "7".to_string()))
        .collect()
}

fn award(_: &Ctx) -> Vec<(String, String)> {
    vec![("award".into(), "{ca}".into())]
}

fn pass(_: &Ctx) -> Vec<(String, String)> {
    vec![("pass_{ca}".into(), "1".into())]
}

fn reason(_: &Ctx) -> Vec<(String, String)> {
    vec![("reason".into(), "former colleague".into())]
}

fn profile(_: &Ctx) -> Vec<(String, String)> {
    vec![
        ("fields".into(), "机器人".into()),
        ("collaborators".into(), String::new()),
        ("max_load".into(), "6".into()),
    ]
}

/// The demo platform's first service (`{sv}`), and — made by the admin when the path needs
/// them — a fresh service request of A (`{sr}`), a fresh case of A (`{cs}`) with a step (`{cst}`).
#[derive(Default)]
struct PipelineFixture {
    service: i64,
    request: i64,
    case: i64,
    step: i64,
}

async fn pipeline_fixture(admin: &Browser, ctx: &Ctx, path: &str, send: &Req) -> PipelineFixture {
    let mut f = PipelineFixture::default();
    let needs_service = path.contains("{sr}")
        || matches!(send, Req::Form(g) if g(ctx).iter().any(|(_, v)| v.contains("{sv}")));
    if needs_service {
        let (_, html) = admin.get("/platforms/1").await;
        f.service = id_after(&html, "id=\"f-service\"", "<option value=\"");
    }
    if path.contains("{sr}") {
        let org = ctx.org_a.to_string();
        let service = f.service.to_string();
        let ask = [
            ("org_id", org.as_str()),
            ("service_id", service.as_str()),
            ("wanted_from", "2099-02-01"),
            ("days", "1"),
            ("units", "1"),
        ];
        assert_eq!(admin.submit("/platforms/1/requests", &ask).await.0, 303);
        let (_, html) = admin.get("/platforms/1").await;
        // Newest first.
        f.request = id_after(&html, "<tr class=\"request\"", "/platforms/1/requests/");
    }
    if path.contains("{cs}") {
        let org = ctx.org_a.to_string();
        let (s, loc, _) = admin
            .submit(
                "/cases",
                &[("org_id", org.as_str()), ("title", "矩阵夹具案例")],
            )
            .await;
        assert_eq!(s, 303);
        f.case = id_from(&loc);
        let step = [
            ("kind", "pilot"),
            ("title", "夹具事项"),
            ("due_day", "2099-01-01"),
        ];
        assert_eq!(
            admin
                .submit(&format!("/cases/{}/steps", f.case), &step)
                .await
                .0,
            303
        );
        let (_, html) = admin.get(&format!("/cases/{}", f.case)).await;
        f.step = id_after(&html, "夹具事项", &format!("/cases/{}/steps/", f.case));
    }
    f
}

/// The demo year of A's R&D records (last year), its projects open (`{rp}`) and not open
/// (`{rq}`) for opinions, and — made by the admin when the path needs them — a fresh shared
/// resource (`{rr}`) and a fresh import (`{ri}`).
#[derive(Default)]
struct RndFixture {
    year: i64,
    open: i64,
    draft: i64,
    resource: i64,
    import: i64,
}

/// The number after `marker` in `html`, searching from `after`.
fn id_after(html: &str, after: &str, marker: &str) -> i64 {
    let from = html
        .find(after)
        .unwrap_or_else(|| panic!("{after} on the page"));
    let at = html[from..].find(marker).expect(marker) + from + marker.len();
    html[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

async fn upload(b: &Browser, path: &str, name: &str, content: &str) -> (u16, String) {
    let token = b.csrf("/").await;
    let form = reqwest::multipart::Form::new().text("csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(content.as_bytes().to_vec()).file_name(name.to_string()),
    );
    let r = b
        .client
        .post(format!("{}{path}", b.base))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    (r.status().as_u16(), r.text().await.expect("body"))
}

async fn rnd_fixture(admin: &Browser, ctx: &Ctx, path: &str) -> RndFixture {
    let mut f = RndFixture {
        year: i64::from(chrono::Datelike::year(&chrono::Utc::now())) - 1,
        ..Default::default()
    };
    if !path.starts_with("/rnd/") {
        return f;
    }
    let page = format!("/rnd/{}/{}", ctx.org_a, f.year);
    if path.contains("{rr}") {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!("矩阵共用设备{}", N.fetch_add(1, Ordering::SeqCst));
        let form = [
            ("name", name.as_str()),
            ("kind", "equipment"),
            ("category", "depreciation"),
            ("amount", "10"),
        ];
        assert_eq!(
            admin.submit(&format!("{page}/resources"), &form).await.0,
            303
        );
        f.resource = id_after(&admin.get(&page).await.1, &name, "/resources/");
    }
    if path.contains("{ri}") {
        let (s, _) = upload(
            admin,
            &format!("{page}/hours"),
            "matrix.csv",
            "resource,hours\n张工,1\n",
        )
        .await;
        assert_eq!(s, 303);
        f.import = id_after(&admin.get(&page).await.1, "matrix.csv", "/imports/");
    }
    let (_, html) = admin.get(&page).await;
    // The projects table's rows start with the code in a cell of its own.
    f.open = id_after(
        &html,
        &format!("<td>TS-RD-{}-02</td>", f.year),
        "/rnd/projects/",
    );
    f.draft = id_after(
        &html,
        &format!("<td>TS-RD-{}-01</td>", f.year),
        "/rnd/projects/",
    );
    f
}

/// Fresh participants of A and B in the demo gathering, a pending request between them and,
/// if the path needs one, a meeting (the request accepted and the event scheduled) — made by
/// the admin, only for the placeholders the path uses.
#[derive(Default)]
struct Fixture {
    pa: i64,
    pb: i64,
    r: i64,
    m: i64,
}

async fn gathering_fixture(admin: &Browser, g: i64, ctx: &Ctx, path: &str) -> Fixture {
    let mut f = Fixture::default();
    if !["{pa}", "{pb}", "{r}", "{m}", "/requests"]
        .iter()
        .any(|p| path.contains(p))
    {
        return f;
    }
    let event = format!("/gatherings/{g}");
    let mut ids = Vec::new();
    for (org, side) in [(ctx.org_a, "demand"), (ctx.org_b, "supply")] {
        let mut fields = participant_fields(ctx);
        fields.retain(|(k, _)| k != "org_id" && k != "side");
        fields.push(("org_id".into(), org.to_string()));
        fields.push(("side".into(), side.into()));
        let email = fields[1].1.clone();
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            admin
                .submit(&format!("{event}/participants"), &pairs)
                .await
                .0,
            303
        );
        let (_, json) = admin.json(&format!("/api/v1{event}")).await;
        let id = json["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .find(|p| p["email"] == email.as_str())
            .and_then(|p| p["id"].as_i64())
            .expect("new participant");
        ids.push(id);
    }
    (f.pa, f.pb) = (ids[0], ids[1]);
    if path.contains("{r}") || path.contains("{m}") {
        let (pa, pb) = (f.pa.to_string(), f.pb.to_string());
        let ask = [
            ("from", pa.as_str()),
            ("to", pb.as_str()),
            ("priority", "5"),
        ];
        assert_eq!(
            admin.submit(&format!("{event}/requests"), &ask).await.0,
            303
        );
        let (_, json) = admin.json(&format!("/api/v1{event}")).await;
        f.r = json["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .find(|r| r["from_id"] == f.pa)
            .and_then(|r| r["id"].as_i64())
            .expect("new request");
    }
    if path.contains("{m}") {
        let answer = format!("{event}/requests/{}", f.r);
        assert_eq!(admin.submit(&answer, &[("action", "accept")]).await.0, 303);
        assert_eq!(admin.submit(&format!("{event}/schedule"), &[]).await.0, 303);
        let (_, json) = admin.json(&format!("/api/v1{event}")).await;
        f.m = json["meetings"]
            .as_array()
            .expect("meetings")
            .iter()
            .find(|m| m["request_id"] == f.r)
            .and_then(|m| m["id"].as_i64())
            .expect("the new request is scheduled");
    }
    f
}

async fn signed_in(app: &App, who: Option<&str>) -> Browser {
    let b = app.browser();
    if let Some(email) = who {
        assert_eq!(b.login(email, DEMO_PASSWORD).await, 303, "{email} signs in");
    }
    b
}

/// The id in the last `/account/tokens/{id}/revoke` form of an account page.
fn newest_token_id(html: &str) -> String {
    html.match_indices("/account/tokens/")
        .filter_map(|(i, m)| html[i + m.len()..].split('/').next())
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
        .last()
        .expect("a token on the account page")
        .to_string()
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = App::spawn();
    let http = reqwest::Client::new();
    let mut browsers = Vec::new();
    let mut tokens = Vec::new();
    for who in LOGINS {
        let b = signed_in(&app, who).await;
        tokens.push(if who.is_some() {
            Some(b.api_token().await)
        } else {
            None
        });
        browsers.push(b);
    }
    let admin = tokens[5].clone().expect("admin token");
    let me = |i: usize| {
        let b = &browsers[i];
        async move { b.json("/api/v1/me").await.1 }
    };
    let org_a = me(1).await["org_id"].as_i64().expect("A's organisation");
    let org_b = me(2).await["org_id"].as_i64().expect("B's organisation");
    // A user for the role-change row to act on.
    let spare = app.browser();
    let t = spare.csrf("/register").await;
    spare
        .post(
            "/register",
            &[
                ("email", "spare@example.cn"),
                ("password", "spare-password"),
                ("display_name", "备用"),
                ("csrf", &t),
            ],
        )
        .await;
    assert_eq!(spare.login("spare@example.cn", "spare-password").await, 303);
    let user = spare.json("/api/v1/me").await.1["id"]
        .as_i64()
        .expect("spare user");
    let broker_id = me(7).await["id"].as_i64().expect("the broker");
    let ctx = Ctx { org_a, org_b };
    let challenge = browsers[0].json("/api/v1/challenges").await.1["items"][0]["id"]
        .as_i64()
        .expect("the demo challenge");
    let gathering = browsers[0].json("/api/v1/gatherings").await.1["items"][0]["id"]
        .as_i64()
        .expect("the demo gathering");

    let create = |path: &'static str, body: Value| {
        let (http, admin) = (http.clone(), admin.clone());
        let url = app.url(path);
        async move {
            let r = http
                .post(url)
                .bearer_auth(admin)
                .json(&body)
                .send()
                .await
                .expect("create");
            assert_eq!(r.status().as_u16(), 201);
            r.json::<Value>().await.expect("json")["id"]
                .as_i64()
                .expect("id")
        }
    };

    let table: BTreeSet<String> = duijie_web::route_table()
        .into_iter()
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let rows = rows();
    let covered: BTreeSet<String> = rows.iter().map(|r| r.route.to_string()).collect();
    let missing: Vec<_> = table.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the permission matrix: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&table).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for routes that are not served: {stale:?}"
    );

    let mut failures = Vec::new();
    for row in &rows {
        for (i, role) in ROLES.iter().enumerate() {
            // Fresh records for every cell, so that one role's edit or deletion cannot affect the next.
            let s = create("/api/v1/scenarios", scenario_json(&ctx).expect("body")).await;
            let mut draft = scenario_json(&ctx).expect("body");
            draft["status"] = json!("draft");
            let d = create("/api/v1/scenarios", draft).await;
            let a = create(
                "/api/v1/achievements",
                achievement_json(&ctx).expect("body"),
            )
            .await;
            let fresh;
            let b = if row.fresh_session {
                fresh = signed_in(&app, LOGINS[i]).await;
                &fresh
            } else {
                &browsers[i]
            };
            let t = if row.path.contains("{t}") && LOGINS[i].is_some() {
                b.api_token().await;
                let (_, html) = b.get("/account").await;
                newest_token_id(&html)
            } else {
                "0".to_string()
            };
            let fixture = gathering_fixture(&browsers[5], gathering, &ctx, row.path).await;
            let cf = challenge_fixture(&browsers[5], &browsers[2], &ctx, row.path).await;
            let rf = rnd_fixture(&browsers[5], &ctx, row.path).await;
            let pf = pipeline_fixture(&browsers[5], &ctx, row.path, &row.send).await;
            let vf =
                voucher_fixture(&browsers[4], &browsers[1], &browsers[5], &ctx, row.path).await;
            let dk = if row.path.contains("{dk}") {
                docking_fixture(&browsers[2], s).await
            } else {
                0
            };
            let ct = if row.path.contains("{ct}") {
                let r = http
                    .post(app.url("/api/v1/contracts"))
                    .bearer_auth(&admin)
                    .json(&contract_json(&ctx).expect("body"))
                    .send()
                    .await
                    .expect("contract fixture");
                assert_eq!(r.status().as_u16(), 201, "contract fixture");
                r.json::<Value>().await.expect("json")["c"]["id"]
                    .as_i64()
                    .expect("contract id")
            } else {
                0
            };
            let fill = |text: &str| {
                text.replace("{c}", &challenge.to_string())
                    .replace("{ry}", &rf.year.to_string())
                    .replace("{sv}", &pf.service.to_string())
                    .replace("{sr}", &pf.request.to_string())
                    .replace("{cs}", &pf.case.to_string())
                    .replace("{cst}", &pf.step.to_string())
                    .replace("{rp}", &rf.open.to_string())
                    .replace("{rq}", &rf.draft.to_string())
                    .replace("{rr}", &rf.resource.to_string())
                    .replace("{vs}", &vf.scheme.to_string())
                    .replace("{vv}", &vf.voucher.to_string())
                    .replace("{va}", &vf.voucher.to_string())
                    .replace("{vr}", &vf.request.to_string())
                    .replace("{vu}", &vf.used.to_string())
                    .replace("{ri}", &rf.import.to_string())
                    .replace("{cr}", &cf.review.to_string())
                    .replace("{cc}", &cf.closed.to_string())
                    .replace("{cv}", &cf.reviewing.to_string())
                    .replace("{cx}", &cf.executing.to_string())
                    .replace("{ca}", &cf.application.to_string())
                    .replace("{rv}", &cf.review_id.to_string())
                    .replace("{g}", &gathering.to_string())
                    .replace("{pa}", &fixture.pa.to_string())
                    .replace("{pb}", &fixture.pb.to_string())
                    .replace("{r}", &fixture.r.to_string())
                    .replace("{m}", &fixture.m.to_string())
                    .replace("{dk}", &dk.to_string())
                    .replace("{ct}", &ct.to_string())
                    .replace("{s}", &s.to_string())
            };
            let path = fill(row.path)
                .replace("{s}", &s.to_string())
                .replace("{d}", &d.to_string())
                .replace("{a}", &a.to_string())
                .replace("{oa}", &org_a.to_string())
                .replace("{ob}", &org_b.to_string())
                .replace("{t}", &t)
                .replace("{br}", &broker_id.to_string())
                .replace("{u}", &user.to_string());
            let (status, body) = match row.send {
                Req::Page => b.get(&path).await,
                Req::Form(f) => {
                    let fields: Vec<(String, String)> = f(&ctx)
                        .into_iter()
                        .map(|(k, v)| (fill(&k), fill(&v)))
                        .collect();
                    let pairs: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    let (s, _, body) = b.submit(&path, &pairs).await;
                    (s, body)
                }
                Req::Upload(name, content) => upload(b, &path, name, content).await,
                Req::Api(method, f) => {
                    let mut req = http.request(method.parse().expect("method"), app.url(&path));
                    if let Some(tok) = &tokens[i] {
                        req = req.bearer_auth(tok);
                    }
                    if let Some(body) = f(&ctx) {
                        // Placeholders in the body are filled like the path's.
                        let body: Value =
                            serde_json::from_str(&fill(&body.to_string())).expect("json");
                        req = req.json(&body);
                    }
                    let r = req.send().await.expect("request");
                    (r.status().as_u16(), r.text().await.expect("body"))
                }
            };
            if status != row.expect[i] {
                failures.push(format!(
                    "{} as {role}: got {status}, expected {}{}",
                    row.route,
                    row.expect[i],
                    // An API answer says why.
                    if matches!(row.send, Req::Api(..)) {
                        format!(": {}", body.chars().take(200).collect::<String>())
                    } else {
                        String::new()
                    }
                ));
            }
            if let Some((marker, who)) = row.reveals {
                if body.contains(marker) != who[i] {
                    let verb = if who[i] { "should see" } else { "must not see" };
                    failures.push(format!(
                        "{} as {role}: {verb} the protected text",
                        row.route
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "permission matrix violations:\n{}",
        failures.join("\n")
    );
}
