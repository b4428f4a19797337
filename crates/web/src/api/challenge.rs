//! Challenge lists in JSON: the visible list, and one challenge with what the caller may see —
//! confidential details for the entitled, applications for staff, the poser (titles) and the
//! applicants (their own), reviews for staff (reviewers hidden where the officer is conflicted)
//! and for each expert their own.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{json, Value};

use crate::challenge::read;
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::AppState;

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
