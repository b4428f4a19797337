//! The home page with key figures, and the search page over both scenarios and achievements.

use axum::extract::{Query, State};
use axum::response::Html;
use axum::Extension;
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::PageError;
use crate::resource::{Achievements, Resource, Scenarios};
use crate::service::{self, ListParams};
use crate::templates::render;
use crate::views::chain_label;
use crate::AppState;

pub async fn home(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let pe = |e: crate::error::AppError| PageError {
        err: e,
        lang: ctx.lang,
    };
    let figures = service::figures(&st).await.map_err(pe)?;
    let latest = ListParams {
        per_page: Some("6".into()),
        ..Default::default()
    };
    let public = duijie_app::Caller::visitor(ctx.lang);
    let (scn, _, _) = service::list::<Scenarios>(&st, &public, &latest)
        .await
        .map_err(pe)?;
    let (ach, _, _) = service::list::<Achievements>(&st, &public, &latest)
        .await
        .map_err(pe)?;
    let max = figures
        .scenarios_by_chain
        .iter()
        .chain(&figures.achievements_by_chain)
        .map(|c| c.1)
        .max()
        .unwrap_or(1);
    let chains: Vec<_> = duijie_domain::Chain::ALL
        .iter()
        .map(|c| {
            let count = |v: &[(String, i64)]| v.iter().find(|x| x.0 == c.code()).map_or(0, |x| x.1);
            let (s, a) = (count(&figures.scenarios_by_chain), count(&figures.achievements_by_chain));
            context! { code => c.code(), label => chain_label(ctx.lang, c.code()), scenarios => s, achievements => a,
                       s_pct => s * 100 / max, a_pct => a * 100 / max }
        })
        .collect();
    let extra = context! {
        figures => figures, chains => chains,
        scenarios => scn.iter().map(|r| Scenarios::view(ctx.lang, r, false, false)).collect::<Vec<_>>(),
        achievements => ach.iter().map(|r| Achievements::view(ctx.lang, r, false, false)).collect::<Vec<_>>(),
    };
    render(&st, &ctx, "/", "home.html", extra)
}

pub async fn search(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<ListParams>,
) -> Result<Html<String>, PageError> {
    let pe = |e: crate::error::AppError| PageError {
        err: e,
        lang: ctx.lang,
    };
    let q = p.q().unwrap_or_default();
    let (scenarios, achievements, st_total, ach_total) = if q.is_empty() {
        (Vec::new(), Vec::new(), 0, 0)
    } else {
        let p = ListParams {
            q: Some(q.clone()),
            per_page: Some("10".into()),
            ..Default::default()
        };
        let (s, st_total, _) = service::list::<Scenarios>(&st, &ctx, &p)
            .await
            .map_err(pe)?;
        let (a, at, _) = service::list::<Achievements>(&st, &ctx, &p)
            .await
            .map_err(pe)?;
        (
            s.iter()
                .map(|r| Scenarios::view(ctx.lang, r, false, false))
                .collect(),
            a.iter()
                .map(|r| Achievements::view(ctx.lang, r, false, false))
                .collect::<Vec<_>>(),
            st_total,
            at,
        )
    };
    let extra = context! {
        q => q, scenarios => scenarios, achievements => achievements,
        scenario_total => st_total, achievement_total => ach_total,
        qenc => crate::routes::record::urlencode(&p.q().unwrap_or_default()),
    };
    render(&st, &ctx, "/search", "search.html", extra)
}
