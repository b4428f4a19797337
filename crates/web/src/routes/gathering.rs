//! Scenario Gathering pages: the list, a new event (staff), the event page where organisations
//! register people, mark the slots they cannot attend, request and answer meetings, and the
//! organiser schedules; printable grid and agendas, Excel and iCalendar exports.

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use duijie_domain::gathering::{MeetingOutcome, MeetingRequestStatus as Rs, Side};
use duijie_search::DocKind;
use duijie_store::gathering::{MeetingRow, ParticipantRow};
use minijinja::context;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::error::HttpStatus;
use crate::error::{AppError, PageError};
use crate::gathering::{self as g, require_staff, slot_label};
use crate::matching::{matches, Source};
use crate::templates::render;
use crate::AppState;

use super::{checked, db, pe};

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let items = st.store.gatherings().await.map_err(db(&ctx))?;
    render(
        &st,
        &ctx,
        "/gatherings",
        "gathering_list.html",
        context! { items => items },
    )
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    v: serde_json::Value,
    err: Option<&AppError>,
) -> Result<Html<String>, PageError> {
    let filter = crate::service::ListParams {
        per_page: Some("100".into()),
        status: Some("published".into()),
        ..Default::default()
    };
    let (scenarios, _, _) = crate::service::list::<crate::resource::Scenarios>(st, ctx, &filter)
        .await
        .map_err(pe(ctx))?;
    let scenarios: Vec<_> = scenarios
        .iter()
        .map(|s| context! { id => s.id, title_zh => s.title_zh, title_en => s.title_en })
        .collect();
    let field = match err {
        Some(AppError::Invalid(inv)) => inv.0.first().map(|e| e.field.clone()),
        _ => None,
    };
    let extra = context! { v => v, scenarios => scenarios, message => err.map(|e| e.message(ctx.lang)), field => field };
    render(st, ctx, "/gatherings", "gathering_form.html", extra)
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    require_staff(&ctx).map_err(pe(&ctx))?;
    let v = serde_json::json!({ "first_start": "09:00", "slot_minutes": 20, "slot_count": 12, "break_every": 3, "break_minutes": 10, "tables": 20 });
    form_page(&st, &ctx, v, None).await
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    match g::create(&st, &ctx, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/gatherings/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::BadRequest(_))) => {
            let page = form_page(&st, &ctx, form.values(), Some(&e)).await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

/// A suggested partner for one of my participants, from the matching engine.
#[derive(Serialize)]
struct Suggestion {
    from: i64,
    from_name: String,
    to: i64,
    to_name: String,
    org_zh: String,
    org_en: String,
    score: u32,
    scenario_zh: String,
    scenario_en: String,
    achievement_zh: String,
    achievement_en: String,
}

/// For each scenario on offer, its best achievements; a demand participant is pointed to the
/// supply participants of organisations holding achievements that fit its organisation's
/// scenarios, and the other way round.
async fn suggestions(
    st: &AppState,
    gathering: i64,
    mine: &[&ParticipantRow],
    people: &[ParticipantRow],
    requested: &HashSet<(i64, i64)>,
) -> Vec<Suggestion> {
    if mine.is_empty() {
        return Vec::new();
    }
    let Ok(offered) = st.store.gathering_scenarios(gathering).await else {
        return Vec::new();
    };
    let mut pairs: HashMap<(i64, i64), Suggestion> = HashMap::new();
    for s in offered {
        let Ok(row) = st.store.scenario(s.id).await else {
            continue;
        };
        let Ok(found) = matches(
            st.engine(),
            &Source::Scenario(&row),
            DocKind::Achievement,
            20,
        )
        .await
        else {
            continue;
        };
        for m in found {
            for me in mine {
                let (my_org, their_org, their_side) =
                    if me.side == Side::Demand && me.org_id == s.org_id {
                        (me.org_id, m.org_id, Side::Supply)
                    } else if me.side == Side::Supply && me.org_id == m.org_id {
                        (me.org_id, s.org_id, Side::Demand)
                    } else {
                        continue;
                    };
                for other in people
                    .iter()
                    .filter(|p| p.org_id == their_org && p.side == their_side && p.org_id != my_org)
                {
                    let key = (me.id.min(other.id), me.id.max(other.id));
                    if requested.contains(&key) {
                        continue;
                    }
                    let better = pairs
                        .get(&(me.id, other.id))
                        .is_none_or(|old| old.score < m.score);
                    if better {
                        pairs.insert(
                            (me.id, other.id),
                            Suggestion {
                                from: me.id,
                                from_name: me.name.clone(),
                                to: other.id,
                                to_name: other.name.clone(),
                                org_zh: other.org_name_zh.clone(),
                                org_en: other.org_name_en.clone(),
                                score: m.score,
                                scenario_zh: s.title_zh.clone(),
                                scenario_en: s.title_en.clone(),
                                achievement_zh: m.title_zh.clone(),
                                achievement_en: m.title_en.clone(),
                            },
                        );
                    }
                }
            }
        }
    }
    let mut list: Vec<Suggestion> = pairs.into_values().collect();
    list.sort_by(|a, b| b.score.cmp(&a.score).then(a.to.cmp(&b.to)));
    list.truncate(12);
    list
}

#[derive(Serialize)]
struct MeetingView<'a> {
    #[serde(flatten)]
    m: &'a MeetingRow,
    time: String,
    table: String,
    /// Which side the viewer may record: "from", "to", "both" or "".
    mine: &'static str,
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let gathering = st.store.gathering(id).await.map_err(db(&ctx))?;
    let slots = st.store.gathering_slots(id).await.map_err(db(&ctx))?;
    let offered = st.store.gathering_scenarios(id).await.map_err(db(&ctx))?;
    let people = st.store.participants(id).await.map_err(db(&ctx))?;
    let staff = ctx.is_staff();
    let my_org = ctx.member_org();
    let mine: Vec<&ParticipantRow> = people.iter().filter(|p| Some(p.org_id) == my_org).collect();
    let all_meetings = st.store.meetings(id).await.map_err(db(&ctx))?;
    // Outcome counts are public: they are the event's result. A meeting counts once, at the
    // furthest step either side reported (OUTCOMES is in pipeline order).
    let mut outcomes: Vec<(&str, i64)> =
        MeetingOutcome::ALL.iter().map(|o| (o.code(), 0)).collect();
    for m in &all_meetings {
        let step = |o: &Option<String>| {
            o.as_deref()
                .and_then(|o| MeetingOutcome::ALL.iter().position(|x| x.code() == o))
        };
        if let Some(best) = step(&m.outcome_from).max(step(&m.outcome_to)) {
            outcomes[best].1 += 1;
        }
    }
    let all_requests = if ctx.user.is_some() {
        st.store.requests(id).await.map_err(db(&ctx))?
    } else {
        Vec::new()
    };
    let (requests, meetings) = g::visible(&ctx, all_requests, all_meetings);
    let meeting_views: Vec<MeetingView> = meetings
        .iter()
        .map(|m| {
            let (a, b) = (ctx.acts_for(m.from_org_id), ctx.acts_for(m.to_org_id));
            let mine = match (a, b) {
                (true, true) => "both",
                (true, false) => "from",
                (false, true) => "to",
                _ => "",
            };
            MeetingView {
                m,
                table: g::table_label(&gathering.rooms, m.table_no, ctx.lang == "en"),
                time: slot_label(&m.starts_at, m.minutes),
                mine,
            }
        })
        .collect();
    let requested: HashSet<(i64, i64)> = requests
        .iter()
        .filter(|r| r.status != Rs::Cancelled)
        .map(|r| (r.from_id.min(r.to_id), r.from_id.max(r.to_id)))
        .collect();
    let suggested = suggestions(&st, id, &mine, &people, &requested).await;
    let report: Option<serde_json::Value> = gathering
        .schedule_report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    let slot_views: Vec<_> = slots.iter().map(|s| context! { id => s.id, time => slot_label(&s.starts_at, s.minutes), tables => s.tables }).collect();
    let orgs = if staff {
        let (rows, _) = st
            .store
            .organisations(
                &Default::default(),
                duijie_store::Page::new(None, Some(100)),
            )
            .await
            .map_err(db(&ctx))?;
        rows.into_iter()
            .map(|o| context! { id => o.id, name_zh => o.name_zh, name_en => o.name_en })
            .collect()
    } else {
        Vec::new()
    };
    let day = slots.first().map(|s| s.starts_at[..10].to_string());
    let extra = context! {
        g => gathering, day => day, slots => slot_views, offered => offered, people => people,
        mine => mine, requests => requests, meetings => meeting_views, suggestions => suggested,
        outcomes => outcomes, report => report, orgs => orgs, my_org => my_org,
        may_register => staff || my_org.is_some(),
    };
    render(
        &st,
        &ctx,
        &format!("/gatherings/{id}"),
        "gathering_detail.html",
        extra,
    )
}

fn back(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/gatherings/{id}#{anchor}")).into_response()
}

pub async fn register(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    g::register(&st, &ctx, id, &form).await.map_err(pe(&ctx))?;
    Ok(back(id, "mine"))
}

async fn participant_of(
    st: &AppState,
    ctx: &Ctx,
    gathering: i64,
    pid: i64,
) -> Result<ParticipantRow, PageError> {
    g::participant_of(st, gathering, pid).await.map_err(pe(ctx))
}

pub async fn availability(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, pid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    g::set_availability(&st, &ctx, id, pid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "mine"))
}

pub async fn request(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    g::request_meeting(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "requests"))
}

/// Accept or decline (the invitee's organisation), or cancel (either side).
pub async fn answer(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, rid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    g::answer_request(&st, &ctx, id, rid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "requests"))
}

pub async fn schedule(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&ctx, pairs)?;
    st.store.gathering(id).await.map_err(db(&ctx))?;
    g::run_schedule(&st, &ctx, id).await.map_err(pe(&ctx))?;
    Ok(back(id, "schedule"))
}

pub async fn status(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    g::set_status(&st, &ctx, id, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "top"))
}

pub async fn lock(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, mid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    g::lock_meeting(&st, &ctx, id, mid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "schedule"))
}

pub async fn outcome(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, mid)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    g::record_outcome(&st, &ctx, id, mid, &form)
        .await
        .map_err(pe(&ctx))?;
    Ok(back(id, "schedule"))
}

/// Slots × tables, for the organiser (printable).
pub async fn grid(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    require_staff(&ctx).map_err(pe(&ctx))?;
    let gathering = st.store.gathering(id).await.map_err(db(&ctx))?;
    let slots = st.store.gathering_slots(id).await.map_err(db(&ctx))?;
    let meetings = st.store.meetings(id).await.map_err(db(&ctx))?;
    let most = slots.iter().map(|s| s.tables).max().unwrap_or(0);
    let rows: Vec<_> = slots
        .iter()
        .map(|s| {
            let cells: Vec<Option<&MeetingRow>> =
                (1..=most).map(|t| meetings.iter().find(|m| m.slot_id == s.id && m.table_no == t)).collect();
            context! { time => slot_label(&s.starts_at, s.minutes), cells => cells, tables => s.tables }
        })
        .collect();
    let labels: Vec<String> = (1..=most)
        .map(|t| g::table_label(&gathering.rooms, t, ctx.lang == "en"))
        .collect();
    let extra = context! { g => gathering, rows => rows, tables => labels };
    render(
        &st,
        &ctx,
        &format!("/gatherings/{id}/grid"),
        "gathering_grid.html",
        extra,
    )
}

async fn agenda_parts(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    pid: i64,
) -> Result<
    (
        duijie_store::gathering::GatheringRow,
        ParticipantRow,
        Vec<MeetingRow>,
    ),
    PageError,
> {
    ctx.require_user().map_err(pe(ctx))?;
    let p = participant_of(st, ctx, id, pid).await?;
    if !ctx.acts_for(p.org_id) {
        return Err(pe(ctx)(AppError::Forbidden));
    }
    let gathering = st.store.gathering(id).await.map_err(db(ctx))?;
    let meetings = st
        .store
        .meetings(id)
        .await
        .map_err(db(ctx))?
        .into_iter()
        .filter(|m| m.from_id == pid || m.to_id == pid)
        .collect();
    Ok((gathering, p, meetings))
}

/// One participant's day (printable).
pub async fn agenda(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, pid)): Path<(i64, i64)>,
) -> Result<Html<String>, PageError> {
    let (gathering, me, meetings) = agenda_parts(&st, &ctx, id, pid).await?;
    let items: Vec<_> = meetings
        .iter()
        .map(|m| {
            let (name, zh, en) = if m.from_id == pid { (&m.to_name, &m.to_org_zh, &m.to_org_en) } else { (&m.from_name, &m.from_org_zh, &m.from_org_en) };
            context! { time => slot_label(&m.starts_at, m.minutes), table => g::table_label(&gathering.rooms, m.table_no, ctx.lang == "en"), name => name, org_zh => zh, org_en => en }
        })
        .collect();
    let extra = context! { g => gathering, me => me, items => items };
    render(
        &st,
        &ctx,
        &format!("/gatherings/{id}/agenda/{pid}"),
        "gathering_agenda.html",
        extra,
    )
}

pub async fn agenda_ics(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((id, pid)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let (gathering, me, meetings) = agenda_parts(&st, &ctx, id, pid).await?;
    let body = g::ics(&gathering, &me, &meetings, "duijie", ctx.lang == "en");
    Ok((
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"gathering-{id}-agenda-{pid}.ics\""),
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn export(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    require_staff(&ctx).map_err(pe(&ctx))?;
    let slots = st.store.gathering_slots(id).await.map_err(db(&ctx))?;
    let meetings = st.store.meetings(id).await.map_err(db(&ctx))?;
    let requests = st.store.requests(id).await.map_err(db(&ctx))?;
    let gathering = st.store.gathering(id).await.map_err(db(&ctx))?;
    let bytes = g::workbook(
        &gathering.rooms,
        &slots,
        &meetings,
        &requests,
        ctx.lang == "en",
    )
    .map_err(pe(&ctx))?;
    Ok(super::xlsx(&format!("gathering-{id}.xlsx"), bytes))
}
