//! Funds and projects seeking finance: both lists, a fund's page with the projects that fit it
//! and a project's page with the funds that fit it (score and reasons, duijie-pipeline), and
//! the fund manager's decisions (interest → due diligence → invested, or declined).

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_pipeline::fit::{fund_fit, Fit, FundProfile, ProjectProfile};
use duijie_store::fund::{FinanceRow, FundRow};
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::PageError;
use crate::service::may_publish;
use crate::templates::render;
use crate::AppState;

use duijie_domain::pipeline::{FundKind, FundStage};
use duijie_domain::Vocabulary;

use super::{checked, db, pe};

fn profile(f: &FundRow) -> FundProfile {
    FundProfile {
        chains: f.f.chains.clone(),
        fields: f.f.fields.clone(),
        stages: f.f.stages.clone(),
        regions: f.f.regions.clone(),
        ticket_min_fen: f.f.ticket_min_fen,
        ticket_max_fen: f.f.ticket_max_fen,
    }
}

fn need(p: &FinanceRow) -> ProjectProfile {
    ProjectProfile {
        chain: p.f.chain.clone(),
        text: format!("{} {} {}", p.f.title, p.f.field, p.f.summary),
        stage: p.f.stage.code().to_string(),
        region: p.f.region.clone(),
        amount_fen: p.f.amount_fen,
    }
}

fn ranked<T>(items: &[T], fit: impl Fn(&T) -> Fit) -> Vec<(&T, Fit)> {
    let mut out: Vec<(&T, Fit)> = items.iter().map(|x| (x, fit(x))).collect();
    out.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    out
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let funds = st.store.funds().await.map_err(db(&ctx))?;
    let projects = st.store.finance_projects().await.map_err(db(&ctx))?;
    let orgs = super::staff_orgs(&st, &ctx).await?;
    let mine = super::pilot::titles(super::pilot::my_achievements(&st, &ctx).await?);
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
    let id = duijie_app::fund::create_fund(&st, &ctx, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/funds/{id}")).into_response())
}

pub async fn create_project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let id = duijie_app::fund::create_project(&st, &ctx, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/funds/projects/{id}")).into_response())
}

pub async fn fund(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let f = st.store.fund(id).await.map_err(db(&ctx))?;
    let projects = st.store.finance_projects().await.map_err(db(&ctx))?;
    let manager = ctx.acts_for(f.org_id);
    let deals = st.store.deals(Some(id), None).await.map_err(db(&ctx))?;
    let fp = profile(&f);
    let matches: Vec<_> = ranked(&projects, |p| fund_fit(&fp, &need(p)))
        .into_iter()
        .map(|(p, fit)| {
            let deal = deals.iter().find(|d| d.project_id == p.id);
            // A decision is shown to the fund, the project's organisation and staff.
            let deal = deal.filter(|_| manager || ctx.acts_for(p.org_id));
            context! { p => p, fit => fit, score => (fit.score * 100.0).round() as i64, deal => deal }
        })
        .collect();
    let extra = context! { f => f, matches => matches, manager => manager, today => st.clock.today().to_string() };
    render(&st, &ctx, "/funds", "fund_detail.html", extra)
}

pub async fn project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let p = st.store.finance_project(id).await.map_err(db(&ctx))?;
    let funds = st.store.funds().await.map_err(db(&ctx))?;
    let owner = ctx.acts_for(p.org_id);
    let deals = st.store.deals(None, Some(id)).await.map_err(db(&ctx))?;
    let n = need(&p);
    let matches: Vec<_> = ranked(&funds, |f| fund_fit(&profile(f), &n))
        .into_iter()
        .map(|(f, fit)| {
            let deal = deals.iter().find(|d| d.fund_id == f.id).filter(|_| owner || ctx.acts_for(f.org_id));
            context! { f => f, fit => fit, score => (fit.score * 100.0).round() as i64, deal => deal }
        })
        .collect();
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
    duijie_app::fund::decide(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/funds/{id}#matches")).into_response())
}
