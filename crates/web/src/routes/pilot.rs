//! Pilot-testing and concept-verification platforms (services, capacity calendar, requests
//! booked against capacity, results) and one-stop support cases (steps with owners and dates;
//! what is stuck).

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_domain::pipeline::{CaseStage, PlatformKind, ServiceKind, StepKind};
use duijie_domain::Vocabulary;
use minijinja::context;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::service::{may_publish, owner_for_new};
use crate::templates::render;
use crate::AppState;
use duijie_app::pilot::read;

use super::{checked, pe};

#[derive(Debug, Default, Deserialize)]
pub struct ListQ {
    kind: Option<String>,
    achievement: Option<i64>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<ListQ>,
) -> Result<Html<String>, PageError> {
    let kind = q.kind.clone().filter(|k| !k.is_empty());
    let (rows, mine) = read::platforms(&st, &ctx, kind.as_deref(), q.achievement)
        .await
        .map_err(pe(&ctx))?;
    let extra = context! {
        items => rows, kinds => PlatformKind::table(), kind => kind, mine => mine,
        achievement => q.achievement, may_add => may_publish(&ctx).is_ok(),
    };
    render(&st, &ctx, "/platforms", "platform_list.html", extra)
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    v: serde_json::Value,
    err: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let orgs = super::staff_orgs(st, ctx).await?;
    let extra = context! { v => v, orgs => orgs, kinds => PlatformKind::table(), message => err.map(|e| e.message(ctx.lang)) };
    render(st, ctx, "/platforms", "platform_form.html", extra)
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    may_publish(&ctx).map_err(pe(&ctx))?;
    form_page(
        &st,
        &ctx,
        serde_json::json!({ "kind": "pilot", "capacity": 2 }),
        None,
    )
    .await
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    may_publish(&ctx).map_err(pe(&ctx))?;
    let org =
        owner_for_new(&ctx, form.get("org_id").and_then(|o| o.parse().ok())).map_err(pe(&ctx))?;
    match duijie_app::pilot::create_platform(&st, &ctx, org, &form).await {
        Ok(id) => Ok(Redirect::to(&crate::flash::to(
            &format!("/platforms/{id}"),
            "platform_created",
        ))
        .into_response()),
        Err(e @ AppError::Invalid(_)) => Ok(form_page(&st, &ctx, form.values(), Some(&e))
            .await?
            .into_response()),
        Err(e) => Err(pe(&ctx)(e)),
    }
}

async fn detail_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    message: Option<String>,
) -> Result<Html<String>, PageError> {
    let page = read::platform(st, ctx, id).await.map_err(pe(ctx))?;
    let extra = context! {
        service_kinds => ServiceKind::table(), kinds => PlatformKind::table(),
        today => st.clock.today().to_string(), message => message,
        ..minijinja::Value::from_serialize(&page)
    };
    render(st, ctx, "/platforms", "platform_detail.html", extra)
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    detail_page(&st, &ctx, id, None).await
}

/// A form error shown on the platform page; other errors as an error page.
async fn or_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    r: Result<(), AppError>,
    anchor: &str,
    ok: &str,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(
            Redirect::to(&crate::flash::to(&format!("/platforms/{id}#{anchor}"), ok))
                .into_response(),
        ),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            Ok(detail_page(st, ctx, id, Some(e.message(ctx.lang)))
                .await?
                .into_response())
        }
        Err(e) => Err(pe(ctx)(e)),
    }
}

pub async fn add_service(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let r = duijie_app::pilot::add_service(&st, &ctx, id, &form).await;
    or_page(&st, &ctx, id, r, "services", "service_added").await
}

pub async fn set_day(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let r = duijie_app::pilot::set_day(&st, &ctx, id, &form).await;
    or_page(&st, &ctx, id, r, "calendar", "capacity_set").await
}

pub async fn request(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    may_publish(&ctx).map_err(pe(&ctx))?;
    let org =
        owner_for_new(&ctx, form.get("org_id").and_then(|o| o.parse().ok())).map_err(pe(&ctx))?;
    let r = duijie_app::pilot::request_service(&st, &ctx, id, org, &form).await;
    or_page(&st, &ctx, id, r, "requests", "service_requested").await
}

/// The operator schedules, declines or records the result; the requester may cancel.
pub async fn answer(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, rid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let ok = match form.get("action") {
        Some("schedule") => "service_scheduled",
        Some("decline") => "service_declined",
        Some("done") => "service_done",
        Some("cancel") => "service_cancelled",
        _ => "platform_saved",
    };
    match duijie_app::pilot::answer_request(&st, &ctx, id, rid, &form).await {
        // Not this party's step: an error page, not the form again.
        Err(e @ AppError::Conflict("action")) => Err(pe(&ctx)(e)),
        r => or_page(&st, &ctx, id, r, "requests", ok).await,
    }
}

// ---- One-stop support cases ----

pub async fn cases(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let (rows, stuck) = read::cases(&st, &ctx).await.map_err(pe(&ctx))?;
    let mine = read::my_titles(&st, &ctx).await.map_err(pe(&ctx))?;
    let orgs = super::staff_orgs(&st, &ctx).await?;
    let extra = context! { cases => rows, stuck => stuck, stages => CaseStage::table(), mine => mine, orgs => orgs, may_open => may_publish(&ctx).is_ok() };
    render(&st, &ctx, "/cases", "case_list.html", extra)
}

pub async fn create_case(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    may_publish(&ctx).map_err(pe(&ctx))?;
    let org =
        owner_for_new(&ctx, form.get("org_id").and_then(|o| o.parse().ok())).map_err(pe(&ctx))?;
    let id = duijie_app::pilot::create_case(&st, &ctx, org, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(&format!("/cases/{id}"), "case_created")).into_response())
}

pub async fn case(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let (c, steps) = read::case(&st, &ctx, id).await.map_err(pe(&ctx))?;
    let extra = context! { c => c, steps => steps, kinds => StepKind::table(), stages => CaseStage::table(), today => st.clock.today().to_string() };
    render(&st, &ctx, "/cases", "case_detail.html", extra)
}

pub async fn add_step(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    duijie_app::pilot::add_step(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(
        &format!("/cases/{id}#steps"),
        "case_saved",
    ))
    .into_response())
}

pub async fn set_step(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, sid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    duijie_app::pilot::set_step(&st, &ctx, id, sid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(
        &format!("/cases/{id}#steps"),
        "case_saved",
    ))
    .into_response())
}

pub async fn set_stage(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    duijie_app::pilot::set_stage(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(&format!("/cases/{id}"), "case_saved")).into_response())
}
