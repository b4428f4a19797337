//! `/api/v1/scenarios` and `/api/v1/achievements`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Extension, Json};
use serde_json::Value;

use super::{body, page_json, require_token};
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::resource::Resource;
use crate::service::{self, ListParams};
use crate::table::Routes;
use crate::AppState;

pub fn routes<R: Resource>() -> Routes {
    Routes::new()
        .at(
            &format!("/{}", R::PATH),
            "GET,POST",
            get(list::<R>).post(create::<R>),
        )
        .at(
            &format!("/{}/{{id}}", R::PATH),
            "GET,PUT,DELETE",
            get(read::<R>).put(update::<R>).delete(delete::<R>),
        )
        .at(
            &format!("/{}/{{id}}/matches", R::PATH),
            "GET",
            get(matches::<R>),
        )
}

/// The best-matching records of the other kind, explained.
async fn matches<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Query(p): Query<LimitParam>,
) -> Result<Json<Value>, ApiError> {
    let (row, _, _) = service::read::<R>(&st, &ctx, id).await?;
    let limit = p.limit.unwrap_or(10).clamp(1, 50);
    let found =
        crate::matching::record_matches(&st, &R::source(&row), R::MATCH_KIND, limit).await?;
    Ok(Json(serde_json::json!({
        "items": found,
        "semantic": st.semantic.is_some(),
    })))
}

#[derive(serde::Deserialize)]
struct LimitParam {
    limit: Option<usize>,
}

async fn list<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let (rows, total, page) = service::list::<R>(&st, &ctx, &p).await?;
    // Lists never carry confidential fields; read one record to see them.
    Ok(page_json(
        rows.iter().map(|r| R::api(r, false)).collect(),
        total,
        page,
    ))
}

async fn read<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (row, confidential, _) = service::read::<R>(&st, &ctx, id).await?;
    Ok(Json(R::api(&row, confidential)))
}

fn org_of(v: &Value) -> Result<Option<i64>, ApiError> {
    match v.get("org_id") {
        None | Some(Value::Null) => Ok(None),
        Some(o) => o.as_i64().map(Some).ok_or_else(|| {
            ApiError(service::field_err(
                "org_id",
                "must be an organisation id",
                "须为机构编号",
            ))
        }),
    }
}

fn raw<R: Resource>(v: Value) -> Result<R::Raw, ApiError> {
    super::typed(v)
}

async fn create<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let v = body(b)?;
    let org = org_of(&v)?;
    let id = service::create::<R>(&st, &ctx, org, &raw::<R>(v)?).await?;
    let (row, c, _) = service::read::<R>(&st, &ctx, id).await?;
    Ok((StatusCode::CREATED, Json(R::api(&row, c))))
}

async fn update<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let v = body(b)?;
    let org = org_of(&v)?;
    service::update::<R>(&st, &ctx, id, org, &raw::<R>(v)?).await?;
    let (row, c, _) = service::read::<R>(&st, &ctx, id).await?;
    Ok(Json(R::api(&row, c)))
}

async fn delete<R: Resource>(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require_token(&ctx)?;
    service::delete::<R>(&st, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
