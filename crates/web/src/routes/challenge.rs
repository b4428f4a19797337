//! Challenge-list pages: the searchable list, posting a challenge, its page (terms, applying,
//! reviewing, the officer's assignment, ranked summary, decisions, milestones), the expert pool
//! and the Excel export.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_domain::Role;
use duijie_search::DocKind;
use duijie_store::challenge::{ApplicationRow, ChallengeRow};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::challenge::{self as ch, may_see};
use crate::ctx::Ctx;
use crate::error::HttpStatus;
use crate::error::{AppError, PageError};
use crate::templates::render;
use crate::AppState;
use duijie_domain::challenge::ChallengeStatus;

use super::{checked, db, pe};

fn staff(ctx: &Ctx) -> Result<(), PageError> {
    if ctx.is_staff() {
        Ok(())
    } else {
        Err(pe(ctx)(AppError::Forbidden))
    }
}

async fn visible(st: &AppState, ctx: &Ctx, id: i64) -> Result<ChallengeRow, PageError> {
    ch::visible(st, ctx, id).await.map_err(pe(ctx))
}

fn back(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/challenges/{id}#{anchor}")).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    q: Option<String>,
    status: Option<String>,
    mode: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(p): Query<ListParams>,
) -> Result<Html<String>, PageError> {
    let q = p.q.clone().unwrap_or_default().trim().to_lowercase();
    let pick = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let (status, mode) = (pick(&p.status), pick(&p.mode));
    let items: Vec<ChallengeRow> = st
        .store
        .challenges()
        .await
        .map_err(db(&ctx))?
        .into_iter()
        .filter(|c| may_see(&ctx, c))
        .filter(|c| status.as_ref().is_none_or(|s| c.status.code() == s))
        .filter(|c| mode.as_ref().is_none_or(|m| c.mode.code() == m))
        .filter(|c| {
            q.is_empty()
                || [
                    &c.title_zh,
                    &c.title_en,
                    &c.problem,
                    &c.targets,
                    &c.org_name_zh,
                ]
                .iter()
                .any(|t| t.to_lowercase().contains(&q))
        })
        .collect();
    let may_post = ctx.is_staff() || ctx.member_org().is_some();
    let extra =
        context! { items => items, q => p.q, status => status, mode => mode, may_post => may_post };
    render(&st, &ctx, "/challenges", "challenge_list.html", extra)
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    v: serde_json::Value,
    err: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let orgs = super::staff_orgs(st, ctx).await?;
    let extra = context! { v => v, orgs => orgs, message => err.map(|e| e.message(ctx.lang)) };
    render(st, ctx, "/challenges", "challenge_form.html", extra)
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    crate::service::may_publish(&ctx).map_err(pe(&ctx))?;
    form_page(
        &st,
        &ctx,
        serde_json::json!({ "mode": "unveil", "reviewers": 3 }),
        None,
    )
    .await
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    crate::service::may_publish(&ctx).map_err(pe(&ctx))?;
    let requested = form.get("org_id").and_then(|o| o.parse().ok());
    let org = crate::service::owner_for_new(&ctx, requested).map_err(pe(&ctx))?;
    match ch::create(&st, &ctx, org, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/challenges/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::BadRequest(_))) => {
            let page = form_page(&st, &ctx, form.values(), Some(&e)).await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

/// One application as the viewer may see it.
#[derive(Serialize)]
struct AppView<'a> {
    #[serde(flatten)]
    a: &'a ApplicationRow,
    partner_names: Vec<String>,
    /// The plan and members are shown.
    full: bool,
    summary: Option<duijie_assign::review::Summary>,
    /// (reviewer, submitted, affinity) — empty when the officer is conflicted.
    reviewers: Vec<(String, bool, f64)>,
    hidden: bool,
}

fn officer_conflicted(ctx: &Ctx, a: &ApplicationRow, declared: &[(i64, i64)]) -> bool {
    let Some(user) = &ctx.user else { return false };
    user.org_id.is_some_and(|o| a.org_ids().contains(&o)) || declared.contains(&(user.id, a.id))
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let c = visible(&st, &ctx, id).await?;
    let confidential = ch::sees_confidential(&st, &ctx, &c)
        .await
        .map_err(pe(&ctx))?;
    let my_org = ctx.member_org();
    let is_staff = ctx.is_staff();
    let owner = ctx.acts_for(c.org_id);
    let apps = st.store.applications(id).await.map_err(db(&ctx))?;
    let reviews = st.store.reviews(id).await.map_err(db(&ctx))?;
    let declared: Vec<(i64, i64)> = st
        .store
        .declared_conflicts(id)
        .await
        .map_err(db(&ctx))?
        .into_iter()
        .map(|d| (d.user_id, d.application_id))
        .collect();
    let summary = ch::summary(&c, &reviews, c.round);
    let names: HashMap<i64, (String, String)> = st
        .store
        .all_organisations()
        .await
        .map_err(db(&ctx))?
        .into_iter()
        .map(|o| (o.id, (o.name_zh, o.name_en)))
        .collect();
    let en = ctx.lang == "en";
    let views: Vec<AppView> = apps
        .iter()
        .filter(|a| is_staff || owner || my_org.is_some_and(|o| a.org_ids().contains(&o)))
        .map(|a| {
            let mine = my_org.is_some_and(|o| a.org_ids().contains(&o));
            let hidden = is_staff && officer_conflicted(&ctx, a, &declared);
            let reviewers = if is_staff && !hidden {
                reviews
                    .iter()
                    .filter(|r| r.application_id == a.id && r.round == c.round)
                    .map(|r| {
                        (
                            r.reviewer.clone(),
                            r.submitted_at.is_some(),
                            r.affinity_milli as f64 / 1000.0,
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            AppView {
                a,
                partner_names: a
                    .partner_ids()
                    .iter()
                    .filter_map(|p| {
                        names
                            .get(p)
                            .map(|n| if en { n.1.clone() } else { n.0.clone() })
                    })
                    .collect(),
                full: is_staff || mine,
                summary: if is_staff {
                    summary.iter().find(|s| s.application == a.id).cloned()
                } else {
                    None
                },
                reviewers,
                hidden,
            }
        })
        .collect();
    // An expert's own review tasks in this challenge.
    let me = ctx.user.as_ref().map(|u| u.id);
    let expert = ctx.role() == Some(Role::Expert);
    let tasks: Vec<_> = reviews
        .iter()
        .filter(|r| Some(r.user_id) == me)
        .filter_map(|r| {
            apps.iter()
                .find(|a| a.id == r.application_id)
                .map(|a| context! { r => r, a => a })
        })
        .collect();
    let terms = match my_org {
        Some(org) => st.store.terms_accepted(id, org).await.map_err(db(&ctx))?,
        None => false,
    };
    let applied = my_org.is_some_and(|o| apps.iter().any(|a| a.org_id == o));
    let suggestions = if c.status != ChallengeStatus::Draft {
        let need = duijie_match::fit::Need {
            chain: c.chain.as_deref().and_then(crate::matching::chain),
            field: None,
            region: None,
            trl_required: None,
            budget_wan: None,
        };
        let text = format!("{}\n{}\n{}", c.title_zh, c.problem, c.targets);
        crate::matching::matches(
            st.engine(),
            &crate::matching::Source::Text {
                text: &text,
                need: Box::new(need),
            },
            DocKind::Achievement,
            5,
        )
        .await
        .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut orgs: Vec<_> = names
        .iter()
        .map(|(id, n)| (*id, n.0.clone(), n.1.clone()))
        .collect();
    orgs.sort();
    let milestones = st.store.milestones(id).await.map_err(db(&ctx))?;
    let extra = context! {
        c => c, confidential => confidential, secret => if confidential { Some(c.confidential.clone()) } else { None },
        owner => owner, my_org => my_org, apps => views, tasks => tasks, expert => expert, terms => terms,
        applied => applied, criteria => ch::criteria(&c.criteria), suggestions => suggestions, orgs => orgs,
        milestones => milestones, funding => duijie_domain::Money::from_fen(c.funding_fen).wan_text(),
    };
    render(
        &st,
        &ctx,
        &format!("/challenges/{id}"),
        "challenge_detail.html",
        extra,
    )
}

/// Status moves by button: (action, from, to, who) — the poser submits; staff do the rest.
pub async fn status(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::take_step(&st, &ctx, id, form.get("action"))
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "top"))
}

pub async fn terms(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::accept_terms(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "terms"))
}

pub async fn apply(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::apply(&st, &ctx, id, &form).await.map_err(pe(&ctx))?;
    Ok(back(id, "applications"))
}

/// Assign reviewers: the selection round when applications are closed, the next milestone
/// round for the racing teams during execution.
pub async fn assign(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let objective = match form.get("objective") {
        Some("fair") => duijie_assign::Objective::Fair,
        _ => duijie_assign::Objective::Sum,
    };
    ch::assign_reviewers(&st, &ctx, id, objective)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "applications"))
}

pub async fn review(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, rid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::submit_review(&st, &ctx, id, rid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "tasks"))
}

/// An expert (or officer) declares a conflict with an application.
pub async fn declare(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, aid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::declare_conflict(&st, &ctx, id, aid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "top"))
}

/// The selection decision: `award` (one, or several in horse racing) and a reason per team.
pub async fn decide(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::decide(&st, &ctx, id, &form).await.map_err(pe(&ctx))?;
    Ok(back(id, "applications"))
}

/// A milestone round's decisions: each team reviewed in the round passes (with a tranche) or is
/// dropped (with a reason).
pub async fn milestone(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::milestone(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "applications"))
}

pub async fn experts(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let (user, actor) = ctx.require_user().map_err(pe(&ctx))?;
    if !(actor.role == Role::Expert || actor.role.is_staff()) {
        return Err(pe(&ctx)(AppError::Forbidden));
    }
    let pool = st.store.experts().await.map_err(db(&ctx))?;
    let me = pool.iter().find(|e| e.user_id == user.id).cloned();
    let list = if ctx.is_staff() { pool } else { Vec::new() };
    render(
        &st,
        &ctx,
        "/experts",
        "experts.html",
        context! { pool => list, me => me },
    )
}

pub async fn profile(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    ch::save_expert_profile(&st, &ctx, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to("/experts").into_response())
}

pub async fn export(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    ctx.require_user().map_err(pe(&ctx))?;
    staff(&ctx)?;
    let c = visible(&st, &ctx, id).await?;
    let apps = st.store.applications(id).await.map_err(db(&ctx))?;
    let reviews = st.store.reviews(id).await.map_err(db(&ctx))?;
    let summary = ch::summary(&c, &reviews, 0);
    let row = |a: &ApplicationRow| {
        let s = summary.iter().find(|s| s.application == a.id);
        vec![
            a.id.to_string(),
            a.org_name_zh.clone(),
            a.title.clone(),
            duijie_domain::Money::from_fen(a.budget_fen).wan_text(),
            a.status.label().zh.to_string(),
            a.reason.clone(),
            s.map(|s| format!("{:.1}", s.score)).unwrap_or_default(),
            s.map(|s| s.rank.to_string()).unwrap_or_default(),
            duijie_domain::Money::from_fen(a.funded_fen).wan_text(),
        ]
    };
    let applications = duijie_tabular::Table {
        headers: [
            "编号 id",
            "牵头单位 lead",
            "方案 title",
            "预算（万元） budget",
            "状态 status",
            "理由 reason",
            "评审得分 score",
            "排名 rank",
            "已拨付（万元） funded",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: apps.iter().map(row).collect(),
    };
    let review_rows = duijie_tabular::Table {
        headers: [
            "申请 application",
            "轮次 round",
            "专家 expert",
            "匹配度 affinity",
            "评分 scores",
            "意见 comment",
            "提交 submitted",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: reviews
            .iter()
            .map(|r| {
                vec![
                    r.application_id.to_string(),
                    r.round.to_string(),
                    r.reviewer.clone(),
                    format!("{:.3}", r.affinity_milli as f64 / 1000.0),
                    r.scores.clone().unwrap_or_default(),
                    r.comment.clone(),
                    r.submitted_at.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let decisions = st.store.milestones(id).await.map_err(db(&ctx))?;
    let milestone_rows = duijie_tabular::Table {
        headers: [
            "申请 application",
            "里程碑 round",
            "通过 passed",
            "理由 reason",
            "拨付（万元） tranche",
            "时间 decided",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: decisions
            .iter()
            .map(|m| {
                vec![
                    m.application_id.to_string(),
                    m.round.to_string(),
                    if m.passed != 0 {
                        "✓".into()
                    } else {
                        "✗".into()
                    },
                    m.reason.clone(),
                    duijie_domain::Money::from_fen(m.tranche_fen).wan_text(),
                    m.decided_at.clone(),
                ]
            })
            .collect(),
    };
    let bytes = duijie_tabular::xlsx_bytes(&[
        ("申请 Applications", &applications),
        ("评审 Reviews", &review_rows),
        ("里程碑 Milestones", &milestone_rows),
    ])
    .map_err(|e| pe(&ctx)(AppError::Internal(e.to_string())))?;
    Ok(super::xlsx(&format!("challenge-{id}.xlsx"), bytes))
}
