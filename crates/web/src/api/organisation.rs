//! `/api/v1/organisations`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use duijie_app::organisation;
use serde_json::Value;

use super::{body, page_json, require_token};
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::routes::organisation::OrgParams;
use crate::views::organisation_api;
use crate::AppState;

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<OrgParams>,
) -> Result<Json<Value>, ApiError> {
    let page = p.page()?;
    let (rows, total) = organisation::list(&st, &p.filter(), page).await?;
    let scope = organisation::contact_scope(&st, &ctx).await?;
    Ok(page_json(
        rows.iter()
            .map(|r| organisation_api(r, scope.sees(r.id)))
            .collect(),
        total,
        page,
    ))
}

pub async fn get(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let row = organisation::get(&st, id).await?;
    let scope = organisation::contact_scope(&st, &ctx).await?;
    Ok(Json(organisation_api(&row, scope.sees(id))))
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let permit = organisation::begin_create(&ctx)?;
    let id = permit.save(&st, &super::typed(body(b)?)?).await?;
    Ok((
        StatusCode::CREATED,
        Json(organisation_api(&organisation::get(&st, id).await?, true)),
    ))
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let permit = organisation::begin_update(&st, &ctx, id).await?;
    permit.save(&st, &super::typed(body(b)?)?).await?;
    Ok(Json(organisation_api(
        &organisation::get(&st, id).await?,
        true,
    )))
}
