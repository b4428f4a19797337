//! Policies enterprises can claim (政策匹配): an enterprise's profile with every policy assessed
//! (met, unmet by how much, unknown), the form that keeps it, and the officers' list of the
//! enterprises in their area that could claim a policy and are not known to (with its export).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_app::claim;
use minijinja::context;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;

use super::{checked, pe, xlsx};

/// `/policies`: a member's enterprise page, or for programme staff the gap list.
pub async fn start(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<GapQuery>,
) -> Result<Response, PageError> {
    ctx.require_user().map_err(pe(&ctx))?;
    if !ctx.is_staff() {
        return match ctx.member_org() {
            Some(org) => Ok(Redirect::to(&format!("/policies/{org}")).into_response()),
            None => Err(pe(&ctx)(AppError::Forbidden)),
        };
    }
    let open_only = q.open.as_deref() == Some("1");
    let rows = claim::gap(&st, &ctx, open_only).await.map_err(pe(&ctx))?;
    let extra = context! { rows => rows, policies => claim::POLICIES, open_only => open_only };
    Ok(render(&st, &ctx, "/policies", "policy_gap.html", extra)?.into_response())
}

#[derive(Deserialize)]
pub struct GapQuery {
    open: Option<String>,
}

/// An enterprise's profile and its policies.
pub async fn profile(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(org): Path<i64>,
) -> Result<Html<String>, PageError> {
    page_of(&st, &ctx, org, None, None).await
}

async fn page_of(
    st: &AppState,
    ctx: &Ctx,
    org: i64,
    message: Option<String>,
    values: Option<serde_json::Value>,
) -> Result<Html<String>, PageError> {
    let view = claim::view(st, ctx, org).await.map_err(pe(ctx))?;
    let extra = context! {
        view => view, message => message, v => values, industries => claim::industries(),
        money => claim::MONEY, flags => claim::FLAGS,
    };
    render(st, ctx, "/policies", "policy_profile.html", extra)
}

/// Save the profile; a bad field is said above the form, which keeps what was typed.
pub async fn save(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(org): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    match claim::save(&st, &ctx, org, &form).await {
        Ok(()) => Ok(Redirect::to(&crate::flash::to(
            &format!("/policies/{org}"),
            "profile_saved",
        ))
        .into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let message = Some(e.message(ctx.lang));
            let html = page_of(&st, &ctx, org, message, Some(form.values())).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

/// The gap list as an Excel workbook.
pub async fn export(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<GapQuery>,
) -> Result<Response, PageError> {
    let open_only = q.open.as_deref() == Some("1");
    let bytes = claim::gap_workbook(&st, &ctx, open_only)
        .await
        .map_err(pe(&ctx))?;
    Ok(xlsx("policy-gap.xlsx", bytes))
}
