//! Industrial chains as trees of links: the chain map (where Hebei has many enterprises, where it
//! has few, and which Beijing/Tianjin achievements could fill each gap), and the officers'
//! forms to add links and place records on them.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_app::chain;
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;

use super::{checked, pe};

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let with = chain::link_counts(&st).await.map_err(pe(&ctx))?;
    let chains: Vec<_> = duijie_domain::Chain::ALL
        .iter()
        .map(|c| {
            let links = with.iter().find(|(k, _)| k == c.code()).map_or(0, |x| x.1);
            context! { code => c.code(), zh => c.label().zh, en => c.label().en, links => links }
        })
        .collect();
    render(
        &st,
        &ctx,
        "/chains",
        "chain_list.html",
        context! { chains => chains },
    )
}

fn known(code: &str) -> Result<duijie_domain::Chain, AppError> {
    duijie_domain::Chain::from_code(code).ok_or(AppError::NotFound)
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(code): Path<String>,
) -> Result<Html<String>, PageError> {
    let chain = known(&code).map_err(pe(&ctx))?;
    let (rows, links) = chain::chain_map(&st, &code).await.map_err(pe(&ctx))?;
    let orgs = super::staff_orgs(&st, &ctx).await?;
    let extra = context! {
        code => code, zh => chain.label().zh, en => chain.label().en, rows => rows, positions => <duijie_domain::ChainPosition as duijie_domain::Vocabulary>::table(),
        threshold => chain::GAP_THRESHOLD, links => links, orgs => orgs,
    };
    render(&st, &ctx, "/chains", "chain_detail.html", extra)
}

pub async fn add_link(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    chain::add_link(&st, &ctx, &code, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(&format!("/chains/{code}"), "chain_saved")).into_response())
}

pub async fn place(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let link = chain::place(&st, &ctx, &code, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&crate::flash::to(
        &format!("/chains/{code}#link-{link}"),
        "chain_saved",
    ))
    .into_response())
}
