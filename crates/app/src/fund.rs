//! Funds and finance projects: who may post them, what a fund records about a project.

use duijie_domain::pipeline::{DealStatus, FundStage};
use duijie_pipeline::fit::{fund_fit, Fit, FundProfile, ProjectProfile};
use duijie_store::fund::{DealInput, DealRow, FinanceRow, FundFields, FundRow, ProjectFields};
use serde::Serialize;

use crate::service::{field_err, may_publish, org_achievement, owner_for_new};
use crate::{App, AppError, Caller, FormData};

pub fn parse_fund(form: &FormData) -> Result<FundFields, AppError> {
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
        regions: list("regions"),
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

/// A fund posted by a member for their organisation (staff name the organisation).
pub async fn create_fund(st: &App, ctx: &Caller, form: &FormData) -> Result<i64, AppError> {
    may_publish(ctx)?;
    let org = owner_for_new(ctx, form.get("org_id").and_then(|o| o.parse().ok()))?;
    let f = parse_fund(form)?;
    Ok(st.store.create_fund(&ctx.audit()?, org, &f).await?)
}

/// A project looking for finance, for the organisation's own achievement if it names one.
pub async fn create_project(st: &App, ctx: &Caller, form: &FormData) -> Result<i64, AppError> {
    may_publish(ctx)?;
    let org = owner_for_new(ctx, form.get("org_id").and_then(|o| o.parse().ok()))?;
    let achievement_id = org_achievement(st, form, org).await?;
    let p = ProjectFields {
        achievement_id,
        title: form.text("title", 200, true)?,
        chain: form.chain()?,
        field: form.text("field", 100, false)?,
        stage: form.one_of("stage")?,
        region: form.region()?,
        amount_fen: form.wan("amount_wan")?,
        summary: form.text("summary", 4000, false)?,
    };
    Ok(st
        .store
        .create_finance_project(&ctx.audit()?, org, &p)
        .await?)
}

/// The fund's decision on a project (its managers only): interest, due diligence, invested
/// (with the amount and date) or declined (with the reason).
pub async fn decide(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    let f = st.store.fund(id).await?;
    if !ctx.acts_for(f.org_id) {
        return Err(AppError::Forbidden);
    }
    let project: i64 = form
        .get("project_id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    st.store.finance_project(project).await?;
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
    let d = DealInput {
        status,
        amount_fen,
        invested_on,
        reason,
    };
    st.store.set_deal(&ctx.audit()?, id, project, &d).await?;
    Ok(())
}

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

/// Every fund and every project seeking finance (both public).
pub async fn lists(st: &App) -> Result<(Vec<FundRow>, Vec<FinanceRow>), AppError> {
    Ok((st.store.funds().await?, st.store.finance_projects().await?))
}

/// A project ranked for a fund: the fit (score 0–100 and reasons) and the decision, shown only
/// to the fund, the project's organisation and staff.
#[derive(Serialize)]
pub struct ProjectMatch {
    pub p: FinanceRow,
    pub fit: Fit,
    pub score: i64,
    pub deal: Option<DealRow>,
}

/// A fund ranked for a project, the same way.
#[derive(Serialize)]
pub struct FundMatch {
    pub f: FundRow,
    pub fit: Fit,
    pub score: i64,
    pub deal: Option<DealRow>,
}

fn percent(fit: &Fit) -> i64 {
    (fit.score * 100.0).round() as i64
}

/// A fund with every project ranked by fit, best first; whether the caller manages the fund.
pub async fn fund_page(
    st: &App,
    ctx: &Caller,
    id: i64,
) -> Result<(FundRow, Vec<ProjectMatch>, bool), AppError> {
    let f = st.store.fund(id).await?;
    let projects = st.store.finance_projects().await?;
    let manager = ctx.acts_for(f.org_id);
    let deals = st.store.deals(Some(id), None).await?;
    let fp = profile(&f);
    let mut matches: Vec<ProjectMatch> = projects
        .into_iter()
        .map(|p| {
            let fit = fund_fit(&fp, &need(&p));
            let deal = deals
                .iter()
                .find(|d| d.project_id == p.id)
                .filter(|_| manager || ctx.acts_for(p.org_id))
                .cloned();
            ProjectMatch {
                score: percent(&fit),
                p,
                fit,
                deal,
            }
        })
        .collect();
    matches.sort_by(|a, b| b.fit.score.total_cmp(&a.fit.score));
    Ok((f, matches, manager))
}

/// A project with every fund ranked by fit, best first; whether the caller owns the project.
pub async fn project_page(
    st: &App,
    ctx: &Caller,
    id: i64,
) -> Result<(FinanceRow, Vec<FundMatch>, bool), AppError> {
    let p = st.store.finance_project(id).await?;
    let funds = st.store.funds().await?;
    let owner = ctx.acts_for(p.org_id);
    let deals = st.store.deals(None, Some(id)).await?;
    let n = need(&p);
    let mut matches: Vec<FundMatch> = funds
        .into_iter()
        .map(|f| {
            let fit = fund_fit(&profile(&f), &n);
            let deal = deals
                .iter()
                .find(|d| d.fund_id == f.id)
                .filter(|_| owner || ctx.acts_for(f.org_id))
                .cloned();
            FundMatch {
                score: percent(&fit),
                f,
                fit,
                deal,
            }
        })
        .collect();
    matches.sort_by(|a, b| b.fit.score.total_cmp(&a.fit.score));
    Ok((p, matches, owner))
}
