//! Scenario Gatherings in JSON: the list, one event with its slots, participants and the
//! requests and meetings the caller may see, and the work on it through the pages' use cases:
//! registering, requesting meetings, answering them, and scheduling (staff). Each write
//! answers with the event as the caller now sees it.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::{body, form_of, require_token};
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::gathering::{self as g, read};
use crate::AppState;

pub async fn list(State(st): State<AppState>) -> Result<Json<Value>, ApiError> {
    let items = read::list(&st).await?;
    Ok(Json(json!({ "items": items })))
}

pub async fn get(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(read::api_detail(&st, &ctx, id).await?))
}

/// The event as the caller sees it after a write.
async fn after(st: &AppState, ctx: &Ctx, id: i64) -> Result<Json<Value>, ApiError> {
    Ok(Json(read::api_detail(st, ctx, id).await?))
}

/// Register a participant: `{"name", "title"?, "email", "side": "demand"|"supply", "org_id"?}`
/// (`org_id` for staff; members register for their own organisation).
pub async fn register(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    g::register(&st, &ctx, id, &form).await?;
    Ok((StatusCode::CREATED, after(&st, &ctx, id).await?))
}

/// Request a meeting: `{"from", "to", "priority"? (1–5), "message"?}`, participant ids.
pub async fn request(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    g::request_meeting(&st, &ctx, id, &form).await?;
    Ok((StatusCode::CREATED, after(&st, &ctx, id).await?))
}

/// Answer a request: `{"action": "accept"|"decline"|"cancel"}`.
pub async fn answer(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, rid)): Path<(i64, i64)>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = form_of(&body(b)?)?;
    g::answer_request(&st, &ctx, id, rid, &form).await?;
    after(&st, &ctx, id).await
}

/// Compute the schedule afresh (staff): locked meetings stay, the rest is optimised.
pub async fn schedule(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    g::run_schedule(&st, &ctx, id).await?;
    after(&st, &ctx, id).await
}
