//! Dockings in JSON: the caller's list, one docking (messages only for its parties), a new
//! request (`{"to_kind": "scenario"|"achievement", "to_id": N, "message": "…", "want"?}`) and
//! accepting one — through the same use cases as the pages.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use duijie_app::docking;
use duijie_app::FormData;
use serde_json::{json, Value};

use super::{body, require_token};
use crate::ctx::Ctx;
use crate::error::{ApiError, AppError};
use crate::AppState;

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Json<Value>, ApiError> {
    let items = docking::list(&st, &ctx).await?;
    Ok(Json(json!({ "items": items })))
}

pub async fn get(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let d = docking::detail(&st, &ctx, id).await?;
    Ok(Json(serde_json::to_value(d).unwrap_or_default()))
}

/// A JSON object's fields as a form: strings as they are, numbers as their text; any other
/// type is refused naming the field.
fn as_form(v: &Value, fields: &[&str]) -> Result<FormData, ApiError> {
    let mut pairs = Vec::new();
    for f in fields {
        match v.get(*f) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => pairs.push((f.to_string(), s.clone())),
            Some(Value::Number(n)) => pairs.push((f.to_string(), n.to_string())),
            Some(_) => {
                return Err(ApiError(AppError::Invalid(duijie_domain::Invalid::one(
                    duijie_domain::FieldError::new(
                        f,
                        "type",
                        "wrong type: expected a string or a number",
                        "类型不对：须为文本或数字",
                    ),
                ))))
            }
        }
    }
    Ok(FormData(pairs))
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let v = body(b)?;
    let form = wanting(as_form(
        &v,
        &["to_kind", "to_id", "message", "want", "own_kind", "own_id"],
    )?);
    let id = docking::request(&st, &ctx, &form).await?;
    created(&st, &ctx, id).await
}

/// A request's fields, wanting joint development when the body says nothing.
fn wanting(mut form: FormData) -> FormData {
    if form.get("want").is_none() {
        form.0.push(("want".into(), "joint_development".into()));
    }
    form
}

/// 201 with the new docking as its page shows it.
async fn created(st: &AppState, ctx: &Ctx, id: i64) -> Result<(StatusCode, Json<Value>), ApiError> {
    let d = docking::detail(st, ctx, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(d).unwrap_or_default()),
    ))
}

pub async fn accept(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let form = FormData(vec![("action".into(), "accept".into())]);
    docking::answer(&st, &ctx, id, &form).await?;
    let d = docking::detail(&st, &ctx, id).await?;
    Ok(Json(serde_json::to_value(d).unwrap_or_default()))
}

/// A broker's introduction: `{"scenario_id": N, "achievement_id": M, "message": "…",
/// "want"?}`. Answers the new docking (stage `introduced`).
pub async fn introduce(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let v = body(b)?;
    let form = wanting(as_form(
        &v,
        &["scenario_id", "achievement_id", "message", "want"],
    )?);
    let id = docking::introduce(&st, &ctx, &form).await?;
    created(&st, &ctx, id).await
}

/// The docking's conversation, newest first (its parties and broker only).
pub async fn messages(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let d = docking::detail(&st, &ctx, id).await?;
    if !d.party && !d.broker {
        return Err(ApiError(AppError::Forbidden));
    }
    Ok(Json(json!({ "items": d.messages })))
}

/// A message in the conversation: `{"body": "…"}` (at most 2,000 characters).
pub async fn write(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let v = body(b)?;
    let form = as_form(&v, &["body"])?;
    let mid = docking::write(&st, &ctx, id, &form).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": mid }))))
}
