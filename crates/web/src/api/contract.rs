//! Technology contracts in JSON: the caller's contracts, one contract, a new contract (amounts
//! in yuan as decimal strings, the payment schedule as `[{"due_on", "amount"}]`), the
//! registrar's register and refuse, and the contract statistics — through the same use cases
//! as the pages.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use duijie_app::contract;
use duijie_domain::contract::ContractRaw;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{body, require_token, typed};
use crate::ctx::Ctx;
use crate::error::{ApiError, AppError};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQ {
    status: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<ListQ>,
) -> Result<Json<Value>, ApiError> {
    let items = contract::list(&st, &ctx, q.status.as_deref()).await?;
    let total = items.len();
    Ok(Json(json!({ "items": items, "total": total })))
}

pub async fn get(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let d = contract::detail(&st, &ctx, id).await?;
    Ok(Json(serde_json::to_value(d).unwrap_or_default()))
}

/// `payments` as an array of `{"due_on": "2026-03-31", "amount": "500000.00"}` becomes the
/// schedule's lines; anything else of the wrong shape is refused naming the field.
fn schedule(v: &mut Value) -> Result<(), ApiError> {
    let Some(p) = v.get("payments").cloned() else {
        return Ok(());
    };
    let bad = || {
        ApiError(AppError::Invalid(duijie_domain::Invalid::one(
            duijie_domain::FieldError::new(
                "payments",
                "type",
                "wrong type: expected [{\"due_on\": \"2026-03-31\", \"amount\": \"500000.00\"}]",
                "类型不对：须为 [{\"due_on\": \"2026-03-31\", \"amount\": \"500000.00\"}]",
            ),
        )))
    };
    if let Value::Array(items) = p {
        let mut lines = Vec::new();
        for i in items {
            let due = i.get("due_on").and_then(Value::as_str).ok_or_else(bad)?;
            let amount = match i.get("amount") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Err(bad()),
            };
            lines.push(format!("{due} {amount}"));
        }
        v["payments"] = Value::String(lines.join("\n"));
    }
    Ok(())
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    require_token(&ctx)?;
    let mut v = body(b)?;
    schedule(&mut v)?;
    let raw: ContractRaw = typed(v)?;
    let id = contract::record(&st, &ctx, &raw).await?;
    let d = contract::detail(&st, &ctx, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(d).unwrap_or_default()),
    ))
}

pub async fn register(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    contract::register(&st, &ctx, id).await?;
    let d = contract::detail(&st, &ctx, id).await?;
    Ok(Json(serde_json::to_value(d).unwrap_or_default()))
}

pub async fn refuse(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    b: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    require_token(&ctx)?;
    let v = body(b)?;
    let reason = match v.get("reason") {
        None | Some(Value::Null) => "",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => {
            return Err(ApiError(AppError::Invalid(duijie_domain::Invalid::one(
                duijie_domain::FieldError::new(
                    "reason",
                    "type",
                    "wrong type: expected a string",
                    "类型不对：须为文本",
                ),
            ))))
        }
    };
    contract::refuse(&st, &ctx, id, reason).await?;
    let d = contract::detail(&st, &ctx, id).await?;
    Ok(Json(serde_json::to_value(d).unwrap_or_default()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatsQ {
    year: Option<String>,
    quarter: Option<String>,
}

/// The flow matrix and headline figures of registered contracts (public).
pub async fn statistics(
    State(st): State<AppState>,
    Query(q): Query<StatsQ>,
) -> Result<Json<Value>, ApiError> {
    let year = duijie_app::outcome::year(q.year.as_deref())?;
    let quarter = contract::quarter(q.quarter.as_deref())?;
    let s = contract::statistics(&st, &year, quarter).await?;
    Ok(Json(serde_json::to_value(s).unwrap_or_default()))
}
