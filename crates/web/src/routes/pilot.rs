//! Pilot-testing and concept-verification platforms (services, capacity calendar, requests
//! booked against capacity, results) and one-stop support cases (steps with owners and dates;
//! what is stuck).

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::{Duration, NaiveDate};
use duijie_domain::pipeline::{CaseStage, PlatformKind, ServiceKind, StepKind, StepStatus};
use duijie_domain::Vocabulary;
use duijie_pipeline::fit::{platform_fit, NeedProfile, PlatformProfile};
use duijie_store::achievement::AchievementRow;
use duijie_store::listing::ListFilter;
use duijie_store::pilot::PlatformRow;
use duijie_store::Viewer;
use minijinja::context;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::service::{may_publish, owner_for_new};
use crate::templates::render;
use crate::AppState;

use super::{checked, db, pe};

/// The signed-in member's own achievements (none for staff and experts).
pub(super) async fn my_achievements(
    st: &AppState,
    ctx: &Ctx,
) -> Result<Vec<AchievementRow>, PageError> {
    match ctx.member_org() {
        Some(org) => {
            let mut f = ListFilter::new(Viewer::Org(org));
            f.org_id = Some(org);
            Ok(st.store.achievements(&f, None).await.map_err(db(ctx))?.0)
        }
        None => Ok(Vec::new()),
    }
}

/// (id, Chinese title, English title) of the member's achievements, for a select.
pub(super) fn titles(a: Vec<AchievementRow>) -> Vec<(i64, String, String)> {
    a.into_iter()
        .map(|a| (a.id, a.title_zh, a.title_en))
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQ {
    kind: Option<String>,
    achievement: Option<i64>,
}

/// Free units in the next 30 days and the most there could be.
async fn free_next_month(st: &AppState, p: &PlatformRow) -> Result<(u64, u64), AppError> {
    let cal = st.store.calendar(p.id).await?;
    let (from, to) = (st.clock.today(), st.clock.today() + Duration::days(29));
    let full: u64 = cal
        .days(from, to)
        .iter()
        .map(|d| u64::from(d.capacity))
        .sum();
    Ok((cal.free_units(from, to), full))
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<ListQ>,
) -> Result<Html<String>, PageError> {
    let all = st.store.platforms().await.map_err(db(&ctx))?;
    let kind = q.kind.clone().filter(|k| !k.is_empty());
    let mut items = Vec::new();
    // Suggestions for one of the member's achievements: ranked by fit, with reasons.
    let mine = my_achievements(&st, &ctx).await?;
    let target = q
        .achievement
        .and_then(|id| mine.iter().find(|a| a.id == id).cloned());
    for p in all
        .iter()
        .filter(|p| kind.as_ref().is_none_or(|k| p.f.kind.code() == k))
    {
        let fit = match &target {
            Some(a) => {
                let (free, full) = free_next_month(&st, p).await.map_err(pe(&ctx))?;
                let profile = PlatformProfile {
                    chain: p.f.chain.clone(),
                    fields: p.f.fields.clone(),
                    equipment: p.f.equipment.clone(),
                    region: p.f.region.clone(),
                    kinds: p.kinds.clone(),
                    free_units: free,
                    full_units: full,
                };
                let need = NeedProfile {
                    chain: a.chain.clone(),
                    text: format!("{} {} {} {}", a.title_zh, a.summary_zh, a.title_en, a.field),
                    kind: String::new(),
                };
                Some(platform_fit(&profile, &need))
            }
            None => None,
        };
        items.push((p, fit));
    }
    if target.is_some() {
        items.sort_by(|a, b| {
            let s = |x: &Option<duijie_pipeline::fit::Fit>| x.as_ref().map_or(0.0, |f| f.score);
            s(&b.1).total_cmp(&s(&a.1))
        });
    }
    let rows: Vec<_> = items
        .iter()
        .map(|(p, fit)| context! { p => p, fit => fit, score => fit.as_ref().map(|f| (f.score * 100.0).round() as i64) })
        .collect();
    let extra = context! {
        items => rows, kinds => PlatformKind::table(), kind => kind, mine => mine.iter().map(|a| (a.id, a.title_zh.clone(), a.title_en.clone())).collect::<Vec<_>>(),
        achievement => q.achievement, may_add => may_publish(&ctx).is_ok(),
    };
    render(&st, &ctx, "/platforms", "platform_list.html", extra)
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    v: serde_json::Value,
    err: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let orgs = super::staff_orgs(st, ctx).await?;
    let extra = context! { v => v, orgs => orgs, kinds => PlatformKind::table(), message => err.map(|e| e.message(ctx.lang)) };
    render(st, ctx, "/platforms", "platform_form.html", extra)
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    may_publish(&ctx).map_err(pe(&ctx))?;
    form_page(
        &st,
        &ctx,
        serde_json::json!({ "kind": "pilot", "capacity": 2 }),
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
    may_publish(&ctx).map_err(pe(&ctx))?;
    let org =
        owner_for_new(&ctx, form.get("org_id").and_then(|o| o.parse().ok())).map_err(pe(&ctx))?;
    match duijie_app::pilot::create_platform(&st, &ctx, org, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/platforms/{id}")).into_response()),
        Err(e @ AppError::Invalid(_)) => Ok(form_page(&st, &ctx, form.values(), Some(&e))
            .await?
            .into_response()),
        Err(e) => Err(pe(&ctx)(e)),
    }
}

async fn detail_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    message: Option<String>,
) -> Result<Html<String>, PageError> {
    let p = st.store.platform(id).await.map_err(db(ctx))?;
    let services = st.store.services(id).await.map_err(db(ctx))?;
    let operator = ctx.acts_for(p.org_id);
    let cal = st.store.calendar(id).await.map_err(db(ctx))?;
    let days = cal.days(st.clock.today(), st.clock.today() + Duration::days(41));
    let requests: Vec<_> = st
        .store
        .service_requests(Some(id))
        .await
        .map_err(db(ctx))?
        .into_iter()
        .filter(|r| operator || ctx.acts_for(r.org_id))
        .map(|r| {
            let earliest = NaiveDate::parse_from_str(&r.wanted_from, "%Y-%m-%d")
                .ok()
                .map(|from| from.max(st.clock.today()))
                .and_then(|from| {
                    cal.earliest(from, r.days.max(1) as u32, r.units.max(0) as u32, 365)
                })
                .map(|d| d.to_string());
            let mine = ctx.acts_for(r.org_id);
            context! { r => r, earliest => earliest, mine => mine }
        })
        .collect();
    let mine = titles(my_achievements(st, ctx).await?);
    let extra = context! {
        p => p, services => services, operator => operator, days => days, requests => requests,
        mine => mine, may_request => ctx.member_org().is_some() || ctx.is_staff(),
        service_kinds => ServiceKind::table(), kinds => PlatformKind::table(), today => st.clock.today().to_string(), message => message,
    };
    render(st, ctx, "/platforms", "platform_detail.html", extra)
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    detail_page(&st, &ctx, id, None).await
}

/// A form error shown on the platform page; other errors as an error page.
async fn or_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    r: Result<(), AppError>,
    anchor: &str,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/platforms/{id}#{anchor}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            Ok(detail_page(st, ctx, id, Some(e.message(ctx.lang)))
                .await?
                .into_response())
        }
        Err(e) => Err(pe(ctx)(e)),
    }
}

pub async fn add_service(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let r = duijie_app::pilot::add_service(&st, &ctx, id, &form).await;
    or_page(&st, &ctx, id, r, "services").await
}

pub async fn set_day(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    let r = duijie_app::pilot::set_day(&st, &ctx, id, &form).await;
    or_page(&st, &ctx, id, r, "calendar").await
}

pub async fn request(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    may_publish(&ctx).map_err(pe(&ctx))?;
    let org =
        owner_for_new(&ctx, form.get("org_id").and_then(|o| o.parse().ok())).map_err(pe(&ctx))?;
    let r = duijie_app::pilot::request_service(&st, &ctx, id, org, &form).await;
    or_page(&st, &ctx, id, r, "requests").await
}

/// The operator schedules, declines or records the result; the requester may cancel.
pub async fn answer(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, rid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    match duijie_app::pilot::answer_request(&st, &ctx, id, rid, &form).await {
        // Not this party's step: an error page, not the form again.
        Err(e @ AppError::Conflict("action")) => Err(pe(&ctx)(e)),
        r => or_page(&st, &ctx, id, r, "requests").await,
    }
}

// ---- One-stop support cases ----

pub async fn cases(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    ctx.require_user().map_err(pe(&ctx))?;
    let all = st.store.cases().await.map_err(db(&ctx))?;
    let steps = st.store.steps(None).await.map_err(db(&ctx))?;
    let today = st.clock.today().to_string();
    let visible: Vec<_> = all.iter().filter(|c| ctx.acts_for(c.org_id)).collect();
    // Stuck: blocked, or past its date and not done.
    let stuck: Vec<_> = steps
        .iter()
        .filter(|s| visible.iter().any(|c| c.id == s.case_id))
        .filter(|s| {
            s.status == StepStatus::Blocked
                || (s.status != StepStatus::Done && !s.due_day.is_empty() && s.due_day < today)
        })
        .map(|s| {
            let case = visible.iter().find(|c| c.id == s.case_id);
            context! { s => s, case => case }
        })
        .collect();
    let rows: Vec<_> = visible
        .iter()
        .map(|c| {
            let mine: Vec<_> = steps.iter().filter(|s| s.case_id == c.id).collect();
            let done = mine.iter().filter(|s| s.status == StepStatus::Done).count();
            context! { c => c, steps => mine.len(), done => done }
        })
        .collect();
    let mine = titles(my_achievements(&st, &ctx).await?);
    let orgs = super::staff_orgs(&st, &ctx).await?;
    let extra = context! { cases => rows, stuck => stuck, stages => CaseStage::table(), mine => mine, orgs => orgs, may_open => may_publish(&ctx).is_ok() };
    render(&st, &ctx, "/cases", "case_list.html", extra)
}

pub async fn create_case(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    may_publish(&ctx).map_err(pe(&ctx))?;
    let org =
        owner_for_new(&ctx, form.get("org_id").and_then(|o| o.parse().ok())).map_err(pe(&ctx))?;
    let id = duijie_app::pilot::create_case(&st, &ctx, org, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

async fn own_case(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<duijie_store::pilot::CaseRow, PageError> {
    duijie_app::pilot::own_case(st, ctx, id)
        .await
        .map_err(pe(ctx))
}

pub async fn case(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let c = own_case(&st, &ctx, id).await?;
    let steps = st.store.steps(Some(id)).await.map_err(db(&ctx))?;
    let extra = context! { c => c, steps => steps, kinds => StepKind::table(), stages => CaseStage::table(), today => st.clock.today().to_string() };
    render(&st, &ctx, "/cases", "case_detail.html", extra)
}

pub async fn add_step(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    duijie_app::pilot::add_step(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/cases/{id}#steps")).into_response())
}

pub async fn set_step(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, sid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    duijie_app::pilot::set_step(&st, &ctx, id, sid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/cases/{id}#steps")).into_response())
}

pub async fn set_stage(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    duijie_app::pilot::set_stage(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}
