//! Industrial chains as trees of links: the chain map (where Hebei has many enterprises, where it
//! has few, and which Beijing/Tianjin achievements could fill each gap), and the officers'
//! forms to add links and place records on them.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_pipeline::chain::{map, Counts, Link};
use duijie_pipeline::fit::{region_in, words_in};
use duijie_store::listing::ListFilter;
use duijie_store::Viewer;
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;

use super::{checked, db, pe};

/// A link is a gap when fewer Hebei enterprises than this are placed on it (with its sub-links).
pub const GAP_THRESHOLD: u32 = 2;

fn from_bjtj(region: &str) -> bool {
    region_in(region, "beijing") || region_in(region, "tianjin")
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let with = st.store.chains_with_links().await.map_err(db(&ctx))?;
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
    let links = st.store.chain_links(&code).await.map_err(db(&ctx))?;
    let places = st.store.chain_places(&code).await.map_err(db(&ctx))?;
    let own = |id: i64| {
        let mut c = Counts::default();
        for p in places.iter().filter(|p| p.link_id == id) {
            match p.entity.as_str() {
                "organisation" if region_in(&p.region, "hebei") => c.hebei_orgs += 1,
                "organisation" => c.other_orgs += 1,
                "achievement" if from_bjtj(&p.region) => c.bjtj_achievements += 1,
                "scenario" => c.scenarios += 1,
                _ => {}
            }
        }
        c
    };
    let tree: Vec<Link> = links
        .iter()
        .map(|l| Link {
            id: l.id,
            parent: l.parent_id,
            position: l.position.code().to_string(),
            name_zh: l.name_zh.clone(),
            name_en: l.name_en.clone(),
        })
        .collect();
    let view = map(&tree, &own, GAP_THRESHOLD);
    // Candidates for gaps: Beijing/Tianjin achievements of the chain whose text names one of
    // the link's keywords, besides those already placed there.
    let mut f = ListFilter::new(Viewer::Public);
    f.chain = Some(code.clone());
    let achievements = st.store.achievements(&f, None).await.map_err(db(&ctx))?.0;
    let rows: Vec<_> = view
        .iter()
        .map(|v| {
            let l = links.iter().find(|l| l.id == v.link.id);
            let placed: Vec<_> = places.iter().filter(|p| p.link_id == v.link.id).collect();
            let suggested: Vec<_> = if v.level == "gap" {
                achievements
                    .iter()
                    .filter(|a| from_bjtj(&a.org_region))
                    .filter(|a| !placed.iter().any(|p| p.entity == "achievement" && p.entity_id == a.id))
                    .filter_map(|a| {
                        let text = format!("{} {} {} {}", a.title_zh, a.summary_zh, a.title_en, a.field);
                        let hits = words_in(l.map_or("", |l| l.keywords.as_str()), &text);
                        (!hits.is_empty()).then(|| context! { a => a, hits => hits })
                    })
                    .take(5)
                    .collect()
            } else {
                Vec::new()
            };
            context! { v => v, keywords => l.map(|l| l.keywords.clone()), placed => placed, suggested => suggested }
        })
        .collect();
    let orgs = super::staff_orgs(&st, &ctx).await?;
    let extra = context! {
        code => code, zh => chain.label().zh, en => chain.label().en, rows => rows, positions => <duijie_domain::ChainPosition as duijie_domain::Vocabulary>::table(),
        threshold => GAP_THRESHOLD, links => links, orgs => orgs,
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
    duijie_app::chain::add_link(&st, &ctx, &code, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/chains/{code}")).into_response())
}

pub async fn place(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let link = duijie_app::chain::place(&st, &ctx, &code, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/chains/{code}#link-{link}")).into_response())
}
