//! Challenge lists in JSON: the visible list, one challenge with what the caller may see —
//! confidential details for the entitled, applications for staff, the poser (titles) and the
//! applicants (their own), reviews for staff (reviewers hidden where the officer is conflicted)
//! and for each expert their own — and the work on a challenge through the pages' use cases:
//! posting, life-cycle steps, terms, applying, assigning reviewers, reviews, conflicts, the
//! decision and milestone rounds. JSON bodies carry the pages' field names (see `form_of`);
//! each write answers with the challenge as the caller now sees it.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::{body, form_of, optional_body, require_token};
use crate::challenge::{self as ch, read};
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::AppState;

type Body = Result<Json<Value>, JsonRejection>;

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Json<Value>, ApiError> {
    let items = read::list(&st, &ctx, &read::ListFilter::default()).await?;
    Ok(Json(json!({ "items": items })))
}

pub async fn get(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(read::api_detail(&st, &ctx, id).await?))
}

/// The challenge as the caller sees it after a write.
async fn after(st: &AppState, ctx: &Ctx, id: i64) -> Result<Json<Value>, ApiError> {
    Ok(Json(read::api_detail(st, ctx, id).await?))
}

/// Post a challenge as a draft for the caller's organisation (staff: `org_id`).
pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    b: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    crate::service::may_publish(&ctx)?;
    let requested = form.get("org_id").and_then(|o| o.parse().ok());
    let org = crate::service::owner_for_new(&ctx, requested)?;
    let id = ch::create(&st, &ctx, org, &form).await?;
    Ok((StatusCode::CREATED, after(&st, &ctx, id).await?))
}

/// A life-cycle step: `{"action": "submit"|"publish"|"return"|"close"|"execute"|…}`.
pub async fn status(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    ch::take_step(&st, &ctx, id, form.get("action")).await?;
    after(&st, &ctx, id).await
}

/// Accept the challenge's terms for the caller's organisation: `{"agree": true}`.
pub async fn terms(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    ch::accept_terms(&st, &ctx, id, &form).await?;
    after(&st, &ctx, id).await
}

/// Apply (a member, once the terms are accepted): the page's fields, team members and
/// milestones as its repeated `member_*` and `ms_*` fields (lists).
pub async fn apply(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    ch::apply(&st, &ctx, id, &form).await?;
    Ok((StatusCode::CREATED, after(&st, &ctx, id).await?))
}

/// Assign reviewers (staff): `{"objective": "sum"|"fair"}` (the most expertise in total, or
/// the fairest spread; sum when not given). Conflicts of interest are excluded.
pub async fn assign(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = form_of(&optional_body(b)?)?;
    let objective = match form.get("objective") {
        None | Some("" | "sum") => duijie_assign::Objective::Sum,
        Some("fair") => duijie_assign::Objective::Fair,
        Some(_) => {
            return Err(ApiError(duijie_app::service::field_err(
                "objective",
                "is sum or fair",
                "须为 sum（总体最优）或 fair（最公平）",
            )))
        }
    };
    ch::assign_reviewers(&st, &ctx, id, objective).await?;
    after(&st, &ctx, id).await
}

/// An expert's own review: `{"score_0": 7, …, "comment"}` (0–10 per criterion, in order).
pub async fn review(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, rid)): Path<(i64, i64)>,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    ch::submit_review(&st, &ctx, id, rid, &form).await?;
    after(&st, &ctx, id).await
}

/// Declare a conflict of interest with an application: `{"reason"}`.
pub async fn conflict(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, aid)): Path<(i64, i64)>,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    ch::declare_conflict(&st, &ctx, id, aid, &form).await?;
    after(&st, &ctx, id).await
}

/// The decision (staff): `{"award": application id or a list of them (racing)}`.
pub async fn decide(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    ch::decide(&st, &ctx, id, &form).await?;
    after(&st, &ctx, id).await
}

/// A milestone round's result per racing team (staff), as the page's fields.
pub async fn milestone(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Body,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    ch::milestone(&st, &ctx, id, &form).await?;
    after(&st, &ctx, id).await
}
