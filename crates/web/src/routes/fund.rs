//! Funds and projects seeking finance: both lists, a fund's page with the projects that fit it
//! and a project's page with the funds that fit it (score and reasons, duijie-pipeline), and
//! the fund manager's decisions (interest → due diligence → invested, or declined).

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_app::fund;
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::PageError;
use crate::service::may_publish;
use crate::templates::render;
use crate::AppState;

use duijie_domain::pipeline::{FundKind, FundStage};
use duijie_domain::Vocabulary;

use super::{checked, pe};

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let (funds, projects) = fund::lists(&st).await.map_err(pe(&ctx))?;
    let orgs = super::staff_orgs(&st, &ctx).await?;
    let mine = duijie_app::pilot::read::my_titles(&st, &ctx)
        .await
        .map_err(pe(&ctx))?;
    let extra = context! {
        funds => funds, projects => projects, kinds => FundKind::table(), stages => FundStage::table(), orgs => orgs,
        mine => mine, may_add => may_publish(&ctx).is_ok(),
    };
    render(&st, &ctx, "/funds", "fund_list.html", extra)
}

pub async fn create_fund(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let id = fund::create_fund(&st, &ctx, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(&format!("/funds/{id}"), "fund_saved")).into_response())
}

pub async fn create_project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let id = fund::create_project(&st, &ctx, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(
        &format!("/funds/projects/{id}"),
        "fund_saved",
    ))
    .into_response())
}

pub async fn fund(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let (f, matches, manager) = fund::fund_page(&st, &ctx, id).await.map_err(pe(&ctx))?;
    let extra = context! { f => f, matches => matches, manager => manager, today => st.clock.today().to_string() };
    render(&st, &ctx, "/funds", "fund_detail.html", extra)
}

pub async fn project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let (p, matches, owner) = fund::project_page(&st, &ctx, id).await.map_err(pe(&ctx))?;
    let extra = context! { p => p, matches => matches, owner => owner };
    render(&st, &ctx, "/funds", "finance_project.html", extra)
}

pub async fn decide(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    fund::decide(&st, &ctx, id, &form).await.map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(
        &format!("/funds/{id}#matches"),
        "fund_saved",
    ))
    .into_response())
}
