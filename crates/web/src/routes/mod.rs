//! Server-rendered pages, grouped by resource.

mod account;
mod admin;
mod chain;
mod challenge;
mod claim;
mod contract;
mod docking;
mod fund;
mod gathering;
mod home;
mod matching;
mod outcome;
mod pilot;
mod reference;
mod rnd;
mod voucher;
pub(crate) use matching::{checked_text, MatchParams};
pub(crate) mod organisation;
pub(crate) mod record;

use axum::extract::{Path, Query};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::ctx::{cookie, Ctx, LANG_COOKIE};
use crate::error::{AppError, PageError};
use crate::form::FormData;
use crate::resource::{Achievements, Scenarios};
use crate::table::Routes;
use crate::AppState;

pub fn router() -> Routes {
    Routes::new()
        .at("/", "GET", get(home::home))
        .at("/search", "GET", get(home::search))
        .at("/match", "GET", get(matching::page))
        .at("/inbox", "GET", get(matching::inbox))
        .at("/workbench", "GET", get(workbench))
        .at("/inbox/read", "POST", post(matching::mark_read))
        .at(
            "/challenges",
            "GET,POST",
            get(challenge::list).post(challenge::create),
        )
        .at("/challenges/new", "GET", get(challenge::new))
        .at("/challenges/{id}", "GET", get(challenge::detail))
        .at("/challenges/{id}/status", "POST", post(challenge::status))
        .at("/challenges/{id}/terms", "POST", post(challenge::terms))
        .at(
            "/challenges/{id}/applications",
            "POST",
            post(challenge::apply),
        )
        .at("/challenges/{id}/assign", "POST", post(challenge::assign))
        .at(
            "/challenges/{id}/reviews/{rid}",
            "POST",
            post(challenge::review),
        )
        .at(
            "/challenges/{id}/applications/{aid}/conflict",
            "POST",
            post(challenge::declare),
        )
        .at("/challenges/{id}/decide", "POST", post(challenge::decide))
        .at(
            "/challenges/{id}/milestone",
            "POST",
            post(challenge::milestone),
        )
        .at(
            "/challenges/{id}/export.xlsx",
            "GET",
            get(challenge::export),
        )
        .at("/experts", "GET", get(challenge::experts))
        .at("/experts/me", "POST", post(challenge::profile))
        .at(
            "/gatherings",
            "GET,POST",
            get(gathering::list).post(gathering::create),
        )
        .at("/gatherings/new", "GET", get(gathering::new))
        .at("/gatherings/{id}", "GET", get(gathering::detail))
        .at(
            "/gatherings/{id}/participants",
            "POST",
            post(gathering::register),
        )
        .at(
            "/gatherings/{id}/participants/{pid}/availability",
            "POST",
            post(gathering::availability),
        )
        .at(
            "/gatherings/{id}/requests",
            "POST",
            post(gathering::request),
        )
        .at(
            "/gatherings/{id}/requests/{rid}",
            "POST",
            post(gathering::answer),
        )
        .at(
            "/gatherings/{id}/schedule",
            "POST",
            post(gathering::schedule),
        )
        .at("/gatherings/{id}/status", "POST", post(gathering::status))
        .at(
            "/gatherings/{id}/meetings/{mid}/lock",
            "POST",
            post(gathering::lock),
        )
        .at(
            "/gatherings/{id}/meetings/{mid}/outcome",
            "POST",
            post(gathering::outcome),
        )
        .at("/gatherings/{id}/grid", "GET", get(gathering::grid))
        .at(
            "/gatherings/{id}/agenda/{pid}",
            "GET",
            get(gathering::agenda),
        )
        .at(
            "/gatherings/{id}/agenda/{pid}/ics",
            "GET",
            get(gathering::agenda_ics),
        )
        .at(
            "/gatherings/{id}/export.xlsx",
            "GET",
            get(gathering::export),
        )
        .at(
            "/platforms",
            "GET,POST",
            get(pilot::list).post(pilot::create),
        )
        .at("/platforms/new", "GET", get(pilot::new))
        .at("/platforms/{id}", "GET", get(pilot::detail))
        .at("/platforms/{id}/services", "POST", post(pilot::add_service))
        .at("/platforms/{id}/days", "POST", post(pilot::set_day))
        .at("/platforms/{id}/requests", "POST", post(pilot::request))
        .at(
            "/platforms/{id}/requests/{rid}",
            "POST",
            post(pilot::answer),
        )
        .at(
            "/cases",
            "GET,POST",
            get(pilot::cases).post(pilot::create_case),
        )
        .at("/cases/{id}", "GET", get(pilot::case))
        .at("/cases/{id}/stage", "POST", post(pilot::set_stage))
        .at("/cases/{id}/steps", "POST", post(pilot::add_step))
        .at("/cases/{id}/steps/{sid}", "POST", post(pilot::set_step))
        .at(
            "/funds",
            "GET,POST",
            get(fund::list).post(fund::create_fund),
        )
        .at("/vouchers", "GET", get(voucher::list))
        .at("/vouchers", "POST", post(voucher::open))
        .at("/vouchers/{id}", "GET", get(voucher::detail))
        .at("/vouchers/{id}/apply", "POST", post(voucher::apply))
        .at(
            "/vouchers/applications/{vid}",
            "POST",
            post(voucher::decide),
        )
        .at(
            "/vouchers/applications/{vid}/uses",
            "POST",
            post(voucher::use_on),
        )
        .at("/vouchers/uses/{uid}/redeem", "POST", post(voucher::redeem))
        .at(
            "/vouchers/uses/{uid}/reconcile",
            "POST",
            post(voucher::reconcile),
        )
        .at("/policies", "GET", get(claim::start))
        .at("/policies/gap.xlsx", "GET", get(claim::export))
        .at("/policies/{org}", "GET", get(claim::profile))
        .at("/policies/{org}", "POST", post(claim::save))
        .at("/funds/{id}", "GET", get(fund::fund))
        .at("/funds/{id}/deals", "POST", post(fund::decide))
        .at("/funds/projects", "POST", post(fund::create_project))
        .at("/funds/projects/{id}", "GET", get(fund::project))
        .at(
            "/dockings",
            "GET,POST",
            get(docking::list).post(docking::create),
        )
        .at(
            "/dockings/introduce",
            "GET,POST",
            get(docking::introduce_form).post(docking::introduce),
        )
        .at("/brokers", "GET", get(docking::brokers))
        .at("/brokers/{id}", "GET", get(docking::broker))
        .at("/dockings/{id}", "GET", get(docking::detail))
        .at("/dockings/{id}/answer", "POST", post(docking::answer))
        .at("/dockings/{id}/stage", "POST", post(docking::stage))
        .at("/dockings/{id}/messages", "POST", post(docking::message))
        .at(
            "/dockings/{id}/invite-staff",
            "POST",
            post(docking::invite_staff),
        )
        .at(
            "/contracts",
            "GET,POST",
            get(contract::list).post(contract::create),
        )
        .at("/contracts/new", "GET", get(contract::new))
        .at(
            "/contracts/import",
            "POST",
            post(contract::import).layer(rnd::upload_limit()),
        )
        .at("/contracts/export.xlsx", "GET", get(contract::export))
        .at("/contracts/{id}", "GET", get(contract::detail))
        .at("/contracts/{id}/register", "POST", post(contract::register))
        .at("/contracts/{id}/refuse", "POST", post(contract::refuse))
        .at("/developers", "GET", get(reference::page))
        .at("/chains", "GET", get(chain::list))
        .at("/chains/{code}", "GET", get(chain::detail))
        .at("/chains/{code}/links", "POST", post(chain::add_link))
        .at("/chains/{code}/places", "POST", post(chain::place))
        .at(
            "/outcomes",
            "GET,POST",
            get(outcome::page).post(outcome::record),
        )
        .at("/outcomes/export.xlsx", "GET", get(outcome::export))
        .at("/rnd", "GET", get(rnd::home))
        .at("/rnd/policies", "GET", get(rnd::policies))
        .at("/rnd/reviews", "GET", get(rnd::reviews))
        .at("/rnd/hours-template.csv", "GET", get(rnd::hours_template))
        .at("/rnd/{org}/{year}", "GET", get(rnd::year))
        .at("/rnd/{org}/{year}/figures", "POST", post(rnd::save_year))
        .at(
            "/rnd/{org}/{year}/resources",
            "POST",
            post(rnd::save_resource),
        )
        .at(
            "/rnd/{org}/{year}/resources/{id}/delete",
            "POST",
            post(rnd::delete_resource),
        )
        .at(
            "/rnd/{org}/{year}/hours",
            "POST",
            post(rnd::import_hours).layer(rnd::upload_limit()),
        )
        .at(
            "/rnd/{org}/{year}/imports/{id}/delete",
            "POST",
            post(rnd::delete_import),
        )
        .at(
            "/rnd/{org}/{year}/projects/new",
            "GET",
            get(rnd::new_project),
        )
        .at(
            "/rnd/{org}/{year}/projects",
            "POST",
            post(rnd::create_project),
        )
        .at("/rnd/{org}/{year}/ledger", "GET", get(rnd::ledger))
        .at(
            "/rnd/{org}/{year}/ledger.xlsx",
            "GET",
            get(rnd::ledger_xlsx),
        )
        .at(
            "/rnd/projects/{id}",
            "GET,POST",
            get(rnd::project).post(rnd::update_project),
        )
        .at("/rnd/projects/{id}/edit", "GET", get(rnd::edit_project))
        .at(
            "/rnd/projects/{id}/review",
            "POST",
            post(rnd::request_review),
        )
        .at("/rnd/projects/{id}/opinions", "POST", post(rnd::opinion))
        .at("/lang/{code}", "GET", get(switch_language))
        .at("/static/{file}", "GET", get(static_file))
        .at("/healthz", "GET", get(|| async { "ok" }))
        .merge(record::routes::<Scenarios>())
        .merge(record::routes::<Achievements>())
        .at(
            "/organisations",
            "GET,POST",
            get(organisation::list).post(organisation::create),
        )
        .at("/organisations/new", "GET", get(organisation::new))
        .at(
            "/organisations/{id}",
            "GET,POST",
            get(organisation::detail).post(organisation::update),
        )
        .at("/organisations/{id}/edit", "GET", get(organisation::edit))
        .at(
            "/organisations/{id}/credit-code",
            "POST",
            post(organisation::credit_code),
        )
        .at(
            "/organisations/{id}/verification",
            "POST",
            post(organisation::verification),
        )
        .at(
            "/login",
            "GET,POST",
            get(account::login_page).post(account::login),
        )
        .at("/logout", "POST", post(account::logout))
        .at(
            "/register",
            "GET,POST",
            get(account::register_page).post(account::register),
        )
        .at("/account", "GET", get(account::account))
        .at("/account/tokens", "POST", post(account::create_token))
        .at("/account/password", "POST", post(account::change_password))
        .at(
            "/account/tokens/{id}/revoke",
            "POST",
            post(account::revoke_token),
        )
        .at("/admin/audit", "GET", get(admin::audit))
        .at("/admin/users", "GET", get(admin::users))
        .at("/admin/users/{id}", "POST", post(admin::update_user))
        .at(
            "/admin/users/{id}/password",
            "POST",
            post(admin::reset_password),
        )
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// A local path to go back to: never another site. `next` must be a path on this site as a
/// browser would resolve it (browsers drop tabs and line breaks inside a URL and read `\\` as
/// `/`, so `/\t/evil.example` would leave the site): anything with a control character or a
/// backslash, or that resolves to another origin, gives `/`. The answer is the resolved path
/// and query, percent-encoded, so it is always a valid `Location` header.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    const BASE: &str = "http://duijie.invalid/";
    let Some(n) = next else {
        return "/".into();
    };
    if !n.starts_with('/') || n.chars().any(|c| c.is_control() || c == '\\') {
        return "/".into();
    }
    let Ok(base) = url::Url::parse(BASE) else {
        return "/".into();
    };
    match base.join(n) {
        Ok(u) if u.origin() == base.origin() => {
            let mut path = u.path().to_string();
            if let Some(q) = u.query() {
                path.push('?');
                path.push_str(q);
            }
            path
        }
        _ => "/".into(),
    }
}

/// Switch the interface language and go back where the user was.
async fn switch_language(
    axum::extract::State(st): axum::extract::State<AppState>,
    Path(code): Path<String>,
    Query(n): Query<Next>,
) -> Response {
    let lang = if code == "en" { "en" } else { "zh" };
    let c = cookie(LANG_COOKIE, lang.to_string(), st.secure_cookies, false);
    (
        [(SET_COOKIE, c.to_string())],
        Redirect::to(&safe_next(n.next.as_deref())),
    )
        .into_response()
}

/// Assets embedded in the binary.
async fn static_file(Path(file): Path<String>) -> Response {
    let (body, ty): (&'static [u8], &str) = match file.as_str() {
        "app.css" => (
            include_bytes!("../../static/app.css"),
            "text/css; charset=utf-8",
        ),
        "app.js" => (
            include_bytes!("../../static/app.js"),
            "text/javascript; charset=utf-8",
        ),
        "favicon.svg" => (include_bytes!("../../static/favicon.svg"), "image/svg+xml"),
        _ => return axum::http::StatusCode::NOT_FOUND.into_response(),
    };
    (
        [(CONTENT_TYPE, ty), (CACHE_CONTROL, "public, max-age=3600")],
        body,
    )
        .into_response()
}

/// Shows a handler error as a page in the caller's language.
pub(crate) fn pe(ctx: &Ctx) -> impl Fn(AppError) -> PageError + '_ {
    move |err| PageError {
        err,
        lang: ctx.lang,
    }
}

/// Every organisation (id, Chinese and English name) for staff, who choose whom a form is for;
/// nothing for others, who act for their own.
pub(crate) async fn staff_orgs(
    st: &AppState,
    ctx: &Ctx,
) -> Result<Vec<(i64, String, String)>, PageError> {
    duijie_app::organisation::choices(st, ctx)
        .await
        .map_err(pe(ctx))
}

/// The messages of an invalid submission by field, in `lang`, for a form shown again.
pub(crate) fn field_errors(
    err: Option<&AppError>,
    lang: &str,
) -> serde_json::Map<String, serde_json::Value> {
    match err {
        Some(AppError::Invalid(inv)) => inv
            .0
            .iter()
            .map(|e| (e.field.clone(), serde_json::json!(e.message_in(lang))))
            .collect(),
        _ => Default::default(),
    }
}

/// The caller's workbench: what waits for them today (sign-in lands here).
async fn workbench(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    axum::Extension(ctx): axum::Extension<Ctx>,
) -> Result<axum::response::Html<String>, PageError> {
    let w = duijie_app::workbench::workbench(&st, &ctx)
        .await
        .map_err(pe(&ctx))?;
    crate::templates::render(
        &st,
        &ctx,
        "/workbench",
        "workbench.html",
        minijinja::context! { w => w },
    )
}

/// A submitted form whose CSRF token matches, from a signed-in user.
pub(crate) fn checked(ctx: &Ctx, pairs: Vec<(String, String)>) -> Result<FormData, PageError> {
    let form = FormData(pairs);
    ctx.check_csrf(form.get("csrf")).map_err(pe(ctx))?;
    ctx.require_user().map_err(pe(ctx))?;
    Ok(form)
}

/// An Excel workbook as a download named `filename`.
pub(crate) fn xlsx(filename: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        for (given, want) in [
            (Some("/scenarios/4"), "/scenarios/4"),
            (
                Some("/search?q=机器人"),
                "/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA",
            ),
            (Some("/a/../b"), "/b"),
            (None, "/"),
            (Some(""), "/"),
            (Some("scenarios"), "/"),
            (Some("//evil.example/"), "/"),
            (Some("/\t/evil.example/"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("/\r\nSet-Cookie: x=1"), "/"),
            (Some("/\u{7f}"), "/"),
            (Some("https://evil.example/"), "/"),
        ] {
            assert_eq!(safe_next(given), want, "{given:?}");
        }
    }
}
