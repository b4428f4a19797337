//! Pilot platforms, funds and the outcome statistics in JSON, through the same use cases as
//! their pages: the same visibility (a platform's service requests for its operator and the
//! requesting organisation; a fund's decisions for the fund, the project's organisation and
//! staff) and the same figures.

use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use duijie_app::outcome;
use duijie_app::pilot::read;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::page_json;
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQ {
    kind: Option<String>,
    achievement: Option<i64>,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// `items` of one page of `all`.
fn paged<T: Serialize>(all: Vec<T>, q: &ListQ) -> Json<Value> {
    let page = duijie_store::Page::new(q.page, q.per_page);
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.per_page as usize)
        .map(|x| serde_json::to_value(x).unwrap_or_default())
        .collect();
    page_json(items, total, page)
}

/// Pilot and concept-verification platforms, of one `kind` if given; ranked by fit for
/// `achievement` when it is one of the caller's own (with `score` 0–100 and the reasons).
pub async fn platforms(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<ListQ>,
) -> Result<Json<Value>, ApiError> {
    let kind = q.kind.as_deref().filter(|k| !k.is_empty());
    if let Some(k) = kind {
        <duijie_domain::pipeline::PlatformKind as duijie_domain::Vocabulary>::from_code(k)
            .ok_or_else(|| {
                duijie_app::service::field_err("kind", "is not a platform kind", "不是平台类型")
            })?;
    }
    let (items, _) = read::platforms(&st, &ctx, kind, q.achievement).await?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|i| {
            let mut v = serde_json::to_value(&i.p).unwrap_or_default();
            v["score"] = json!(i.score);
            v["fit"] = json!(i.fit);
            v
        })
        .collect();
    Ok(paged(items, &q))
}

/// One platform: its services, its calendar for six weeks, and the service requests the
/// caller may see.
pub async fn platform(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let p = read::platform(&st, &ctx, id).await?;
    Ok(Json(json!({
        "platform": p.p,
        "services": p.services,
        "days": p.days,
        "requests": p.requests,
        "operator": p.operator,
        "may_request": p.may_request,
    })))
}

/// Every fund (public).
pub async fn funds(
    State(st): State<AppState>,
    Query(q): Query<ListQ>,
) -> Result<Json<Value>, ApiError> {
    let (funds, _) = duijie_app::fund::lists(&st).await?;
    Ok(paged(funds, &q))
}

/// One fund with every project seeking finance ranked by fit; a project's decision only for
/// those who may see it.
pub async fn fund(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (f, projects, manager) = duijie_app::fund::fund_page(&st, &ctx, id).await?;
    Ok(Json(
        json!({"fund": f, "projects": projects, "manager": manager}),
    ))
}

/// Every project seeking finance (public).
pub async fn finance_projects(
    State(st): State<AppState>,
    Query(q): Query<ListQ>,
) -> Result<Json<Value>, ApiError> {
    let (_, projects) = duijie_app::fund::lists(&st).await?;
    Ok(paged(projects, &q))
}

/// One project seeking finance with every fund ranked by fit.
pub async fn finance_project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (p, funds, owner) = duijie_app::fund::project_page(&st, &ctx, id).await?;
    Ok(Json(json!({"project": p, "funds": funds, "owner": owner})))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQ {
    year: Option<String>,
}

/// What the platform achieved in `year` (all years when not given), as the outcomes page
/// shows it: the totals and each breakdown's groups (key, count, amount in fen).
pub async fn outcomes(
    State(st): State<AppState>,
    Query(q): Query<YearQ>,
) -> Result<Json<Value>, ApiError> {
    let year = outcome::year(q.year.as_deref())?;
    let s = outcome::statistics(&st, &year).await?;
    let mut totals = serde_json::to_value(&s.totals).unwrap_or_default();
    totals["money_invested_fen"] = json!(s.totals.money_invested_fen());
    let breakdowns: Vec<Value> = s
        .groups
        .iter()
        .map(|(metric, dim, groups)| json!({"metric": metric, "dimension": dim, "groups": groups}))
        .collect();
    Ok(Json(json!({
        "year": (!year.is_empty()).then_some(year),
        "totals": totals,
        "breakdowns": breakdowns,
    })))
}

/// The industrial chains with how many links each has.
pub async fn chains(State(st): State<AppState>) -> Result<Json<Value>, ApiError> {
    let with = duijie_app::chain::link_counts(&st).await?;
    let items: Vec<Value> = duijie_domain::Chain::ALL
        .iter()
        .map(|c| {
            let links = with.iter().find(|(k, _)| k == c.code()).map_or(0, |x| x.1);
            json!({"code": c.code(), "name_zh": c.label().zh, "name_en": c.label().en, "links": links})
        })
        .collect();
    let total = items.len() as i64;
    Ok(page_json(
        items,
        total,
        duijie_store::Page::new(Some(1), Some(100)),
    ))
}

/// A chain's map: every link (upstream to downstream, parents first) with its counts over its
/// sub-links, its level (`strong`, `present` or `gap`), what is placed on it and, for a gap,
/// the Beijing and Tianjin achievements that could fill it (their public facts only).
pub async fn chain(
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (rows, _) = duijie_app::chain::chain_map(&st, &code).await?;
    let links: Vec<Value> = rows
        .iter()
        .map(|r| {
            let suggested: Vec<Value> = r
                .suggested
                .iter()
                .map(|s| {
                    json!({
                        "id": s.a.id, "title_zh": s.a.title_zh, "title_en": s.a.title_en,
                        "org_id": s.a.org_id, "org_name_zh": s.a.org_name_zh,
                        "org_name_en": s.a.org_name_en, "hits": s.hits,
                    })
                })
                .collect();
            json!({
                "id": r.v.link.id, "parent_id": r.v.link.parent, "position": r.v.link.position,
                "name_zh": r.v.link.name_zh, "name_en": r.v.link.name_en, "depth": r.v.depth,
                "counts": r.v.counts, "level": r.v.level, "fillable": r.v.fillable,
                "placed": r.placed, "suggested": suggested,
            })
        })
        .collect();
    Ok(Json(json!({
        "code": code,
        "gap_threshold": duijie_app::chain::GAP_THRESHOLD,
        "links": links,
    })))
}

/// Every recorded outcome (companies rooted, industrial projects catalysed), latest first
/// (public).
pub async fn recorded(
    State(st): State<AppState>,
    Query(q): Query<ListQ>,
) -> Result<Json<Value>, ApiError> {
    Ok(paged(outcome::recorded(&st).await?, &q))
}

/// Record an outcome (staff): the outcomes page's fields (`kind`, `title`, `region`, `chain`,
/// `source_region`, `amount_wan`, `occurred_on`, links by id, `note`).
pub async fn record(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    b: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<Value>), ApiError> {
    super::require_token(&ctx)?;
    let form = super::form_of(&super::body(b)?)?;
    let id = outcome::record(&st, &ctx, &form).await?;
    let row = outcome::recorded(&st)
        .await?
        .into_iter()
        .find(|o| o.id == id);
    Ok((axum::http::StatusCode::CREATED, Json(json!(row))))
}
