//! Challenge-list pages: the searchable list, posting a challenge, its page (terms, applying,
//! reviewing, the officer's assignment, ranked summary, decisions, milestones), the expert pool
//! and the Excel export.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use minijinja::context;
use serde::Deserialize;

use crate::challenge::{self as ch, read};
use crate::ctx::Ctx;
use crate::error::HttpStatus;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;

use super::{checked, pe};

fn back(id: i64, anchor: &str, ok: &str) -> Response {
    Redirect::to(&crate::flash::to(&format!("/challenges/{id}#{anchor}"), ok)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    q: Option<String>,
    status: Option<String>,
    mode: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<ListParams>,
) -> Result<Html<String>, PageError> {
    let pick = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let filter = read::ListFilter {
        q: p.q.clone().unwrap_or_default(),
        status: pick(&p.status),
        mode: pick(&p.mode),
    };
    let items = read::list(&st, &ctx, &filter).await.map_err(pe(&ctx))?;
    let (status, mode) = (filter.status, filter.mode);
    let may_post = ctx.is_staff() || ctx.member_org().is_some();
    let extra =
        context! { items => items, q => p.q, status => status, mode => mode, may_post => may_post };
    render(&st, &ctx, "/challenges", "challenge_list.html", extra)
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    v: serde_json::Value,
    err: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let orgs = super::staff_orgs(st, ctx).await?;
    let extra = context! { v => v, orgs => orgs, message => err.map(|e| e.message(ctx.lang)) };
    render(st, ctx, "/challenges", "challenge_form.html", extra)
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    crate::service::may_publish(&ctx).map_err(pe(&ctx))?;
    form_page(
        &st,
        &ctx,
        serde_json::json!({ "mode": "unveil", "reviewers": 3 }),
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
    crate::service::may_publish(&ctx).map_err(pe(&ctx))?;
    let requested = form.get("org_id").and_then(|o| o.parse().ok());
    let org = crate::service::owner_for_new(&ctx, requested).map_err(pe(&ctx))?;
    match ch::create(&st, &ctx, org, &form).await {
        Ok(id) => Ok(Redirect::to(&crate::flash::to(
            &format!("/challenges/{id}"),
            "challenge_posted",
        ))
        .into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::BadRequest(_))) => {
            let page = form_page(&st, &ctx, form.values(), Some(&e)).await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let d = read::detail(&st, &ctx, id).await.map_err(pe(&ctx))?;
    render(
        &st,
        &ctx,
        &format!("/challenges/{id}"),
        "challenge_detail.html",
        minijinja::Value::from_serialize(&d),
    )
}

/// Status moves by button: (action, from, to, who) — the poser submits; staff do the rest.
pub async fn status(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let done = match form.get("action") {
        Some("submit") => "challenge_submitted",
        Some("publish") => "challenge_published",
        Some("return") => "challenge_returned",
        Some("close") => "challenge_closed",
        Some("execute") => "challenge_executing",
        _ => "challenge_status",
    };
    ch::take_step(&st, &ctx, id, form.get("action"))
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "top", done))
}

pub async fn terms(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::accept_terms(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "terms", "terms_accepted"))
}

pub async fn apply(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::apply(&st, &ctx, id, &form).await.map_err(pe(&ctx))?;
    Ok(back(id, "applications", "applied"))
}

/// Assign reviewers: the selection round when applications are closed, the next milestone
/// round for the racing teams during execution.
pub async fn assign(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let objective = match form.get("objective") {
        Some("fair") => duijie_assign::Objective::Fair,
        _ => duijie_assign::Objective::Sum,
    };
    ch::assign_reviewers(&st, &ctx, id, objective)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "applications", "assigned"))
}

pub async fn review(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, rid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::submit_review(&st, &ctx, id, rid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "tasks", "reviewed"))
}

/// An expert (or officer) declares a conflict with an application.
pub async fn declare(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, aid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::declare_conflict(&st, &ctx, id, aid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "top", "conflict_declared"))
}

/// The selection decision: `award` (one, or several in horse racing) and a reason per team.
pub async fn decide(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::decide(&st, &ctx, id, &form).await.map_err(pe(&ctx))?;
    Ok(back(id, "applications", "decided"))
}

/// A milestone round's decisions: each team reviewed in the round passes (with a tranche) or is
/// dropped (with a reason).
pub async fn milestone(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::milestone(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "applications", "milestone_recorded"))
}

pub async fn experts(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let (list, me) = read::experts(&st, &ctx).await.map_err(pe(&ctx))?;
    render(
        &st,
        &ctx,
        "/experts",
        "experts.html",
        context! { pool => list, me => me },
    )
}

pub async fn profile(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::save_expert_profile(&st, &ctx, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to("/experts").into_response())
}

pub async fn export(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let bytes = read::workbook(&st, &ctx, id).await.map_err(pe(&ctx))?;
    Ok(super::xlsx(&format!("challenge-{id}.xlsx"), bytes))
}
