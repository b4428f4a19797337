//! Scenario Gatherings in JSON: the list, and one event with its slots, participants and the
//! requests and meetings the caller may see.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::gathering::read;
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
