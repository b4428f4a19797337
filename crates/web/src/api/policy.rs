//! Policies enterprises can claim and innovation vouchers in JSON, through the pages' use
//! cases (the same permissions and figures): an enterprise's profile with every policy
//! assessed, the officers' gap list of their area, the voucher schemes and a scheme's page
//! (with its statistics by province).

use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use duijie_app::{claim, voucher};
use serde::Deserialize;
use serde_json::{json, Value};

use super::page_json;
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::AppState;

/// The enterprise's profile, its figures, every policy assessed and the open voucher schemes.
pub async fn profile(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(org): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let v = claim::view(&st, &ctx, org).await?;
    Ok(Json(json!({
        "org_id": v.org.id,
        "name_zh": v.org.name_zh,
        "name_en": v.org.name_en,
        "enterprise": v.enterprise,
        "kept": v.kept,
        "profile": v.profile,
        "years": v.years,
        "assessments": v.assessments,
        "vouchers": v.vouchers.iter().map(|(id, a)| json!({"scheme_id": id, "assessment": a})).collect::<Vec<_>>(),
    })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GapQ {
    /// Only those with a policy they could claim and are not known to enjoy.
    open: Option<bool>,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQ {
    page: Option<i64>,
    per_page: Option<i64>,
}

/// One page of `all` in the list envelope.
fn paged<T: serde::Serialize>(
    all: Vec<T>,
    page: Option<i64>,
    per_page: Option<i64>,
) -> Json<Value> {
    let page = duijie_store::Page::new(page, per_page);
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.per_page).unwrap_or(0))
        .map(|x| serde_json::to_value(x).unwrap_or_default())
        .collect();
    page_json(items, total, page)
}

/// The policy enjoyment gap of the caller's area (staff).
pub async fn gap(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<GapQ>,
) -> Result<Json<Value>, ApiError> {
    let rows = claim::gap(&st, &ctx, q.open.unwrap_or(false)).await?;
    Ok(paged(rows, q.page, q.per_page))
}

/// Every voucher scheme, newest first.
pub async fn schemes(
    State(st): State<AppState>,
    Query(q): Query<PageQ>,
) -> Result<Json<Value>, ApiError> {
    Ok(paged(voucher::list(&st).await?, q.page, q.per_page))
}

/// A scheme as the caller may see it: its terms, the caller's voucher and what it may still
/// pay, the applications (staff), the uses the caller may see, and the statistics by province.
pub async fn scheme(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let p = voucher::page(&st, &ctx, id).await?;
    Ok(Json(serde_json::to_value(p).unwrap_or_default()))
}
