//! Funds and projects seeking finance: both lists, a fund's page with the projects that fit it
//! and a project's page with the funds that fit it (score and reasons, duijie-pipeline), and
//! the fund manager's decisions (interest → due diligence → invested, or declined).

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_pipeline::fit::{fund_fit, Fit, FundProfile, ProjectProfile};
use duijie_store::fund::{DealInput, FinanceRow, FundFields, FundRow, ProjectFields};
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::form::FormData;
use crate::service::{field_err, may_publish, owner_for_new};
use crate::templates::render;
use crate::AppState;

use duijie_domain::pipeline::{DealStatus, FundKind, FundStage};
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

fn parse_fund(form: &FormData) -> Result<FundFields, AppError> {
    let v = form.values();
    let list = |name: &str| {
        v.get(name)
            .and_then(|s| s.as_str())
            .unwrap_or("")
            .to_string()
    };
    let f = FundFields {
        name_zh: form.text("name_zh", 200, true)?,
        name_en: form.text("name_en", 200, false)?,
        kind: form.one_of("kind")?,
        chains: list("chains"),
        fields: form.text("fields", 500, false)?,
        stages: list("stages"),
        regions: form.text("regions", 200, false)?,
        ticket_min_fen: form.wan("ticket_min_wan")?,
        ticket_max_fen: form.wan("ticket_max_wan")?,
        size_fen: form.wan("size_wan")?,
        intro: form.text("intro", 4000, false)?,
    };
    for c in f.chains.split(',').filter(|c| !c.is_empty()) {
        if duijie_domain::Chain::from_code(c).is_none() {
            return Err(field_err("chains", "has an unknown chain", "含未知产业链"));
        }
    }
    for s in f.stages.split(',').filter(|c| !c.is_empty()) {
        if FundStage::from_code(s).is_none() {
            return Err(field_err("stages", "has an unknown stage", "含未知阶段"));
        }
    }
    for r in f
        .regions
        .split([',', '，'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        duijie_domain::Region::parse("regions", r)
            .map_err(|e| AppError::Invalid(duijie_domain::Invalid::one(e)))?;
    }
    if f.ticket_max_fen < f.ticket_min_fen {
        return Err(field_err(
            "ticket_max_wan",
            "is below the minimum",
            "低于下限",
        ));
    }
    Ok(f)
}

pub async fn create_fund(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    may_publish(&ctx).map_err(pe(&ctx))?;
    let org =
        owner_for_new(&ctx, form.get("org_id").and_then(|o| o.parse().ok())).map_err(pe(&ctx))?;
    let f = parse_fund(&form).map_err(pe(&ctx))?;
    let audit = ctx.audit().map_err(pe(&ctx))?;
    let id = st
        .store
        .create_fund(&audit, org, &f)
        .await
        .map_err(db(&ctx))?;
    Ok(Redirect::to(&format!("/funds/{id}")).into_response())
}

pub async fn create_project(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    may_publish(&ctx).map_err(pe(&ctx))?;
    let org =
        owner_for_new(&ctx, form.get("org_id").and_then(|o| o.parse().ok())).map_err(pe(&ctx))?;
    // The achievement the finance is for, if any: the organisation's own.
    let achievement_id = crate::service::org_achievement(&st, &form, org)
        .await
        .map_err(pe(&ctx))?;
    let p = (|| -> Result<ProjectFields, AppError> {
        Ok(ProjectFields {
            achievement_id,
            title: form.text("title", 200, true)?,
            chain: form.chain()?,
            field: form.text("field", 100, false)?,
            stage: form.one_of("stage")?,
            region: form.region()?,
            amount_fen: form.wan("amount_wan")?,
            summary: form.text("summary", 4000, false)?,
        })
    })()
    .map_err(pe(&ctx))?;
    let audit = ctx.audit().map_err(pe(&ctx))?;
    let id = st
        .store
        .create_finance_project(&audit, org, &p)
        .await
        .map_err(db(&ctx))?;
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
    let f = st.store.fund(id).await.map_err(db(&ctx))?;
    if !ctx.acts_for(f.org_id) {
        return Err(pe(&ctx)(AppError::Forbidden));
    }
    let project: i64 = form
        .get("project_id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    st.store.finance_project(project).await.map_err(db(&ctx))?;
    let d = (|| -> Result<DealInput, AppError> {
        let Some(status) = DealStatus::from_code(form.get("status").unwrap_or("")) else {
            return Err(field_err("status", "is not a decision", "不是可选的决定"));
        };
        let (amount_fen, invested_on) = if status == DealStatus::Invested {
            let amount = form.wan("amount_wan")?;
            if amount <= 0 {
                return Err(field_err(
                    "amount_wan",
                    "give the amount invested",
                    "请填写投资金额",
                ));
            }
            (amount, form.day("invested_on")?.to_string())
        } else {
            (0, String::new())
        };
        let reason = form.text("reason", 1000, status == DealStatus::Declined)?;
        Ok(DealInput {
            status,
            amount_fen,
            invested_on,
            reason,
        })
    })()
    .map_err(pe(&ctx))?;
    let audit = ctx.audit().map_err(pe(&ctx))?;
    st.store
        .set_deal(&audit, id, project, &d)
        .await
        .map_err(db(&ctx))?;
    Ok(Redirect::to(&format!("/funds/{id}#matches")).into_response())
}
