//! Scenario Gathering pages: the list, a new event (staff), the event page where organisations
//! register people, mark the slots they cannot attend, request and answer meetings, and the
//! organiser schedules; printable grid and agendas, Excel and iCalendar exports.

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use minijinja::context;

use crate::ctx::Ctx;
use crate::error::HttpStatus;
use crate::error::{AppError, PageError};
use crate::gathering::{self as g, read, require_staff, slot_label};
use crate::templates::render;
use crate::AppState;

use super::{checked, pe};

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Html<String>, PageError> {
    let items = read::list(&st).await.map_err(pe(&ctx))?;
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
        Ok(id) => Ok(Redirect::to(&crate::flash::to(
            &format!("/gatherings/{id}"),
            "gathering_created",
        ))
        .into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::BadRequest(_))) => {
            let page = form_page(&st, &ctx, form.values(), Some(&e)).await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(pe(&ctx)(e)),
    }
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let d = read::detail(&st, &ctx, id).await.map_err(pe(&ctx))?;
    render(
        &st,
        &ctx,
        &format!("/gatherings/{id}"),
        "gathering_detail.html",
        minijinja::Value::from_serialize(&d),
    )
}

fn back(id: i64, anchor: &str, ok: &str) -> Response {
    Redirect::to(&crate::flash::to(&format!("/gatherings/{id}#{anchor}"), ok)).into_response()
}

pub async fn register(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&ctx, pairs)?;
    g::register(&st, &ctx, id, &form).await.map_err(pe(&ctx))?;
    Ok(back(id, "mine", "registered"))
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
    Ok(back(id, "mine", "availability_saved"))
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
    Ok(back(id, "requests", "meeting_requested"))
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
    Ok(back(id, "requests", "request_answered"))
}

pub async fn schedule(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&ctx, pairs)?;
    g::run_schedule(&st, &ctx, id).await.map_err(pe(&ctx))?;
    Ok(back(id, "schedule", "scheduled"))
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
    Ok(back(id, "top", "gathering_status"))
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
    Ok(back(id, "schedule", "lock_changed"))
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
    Ok(back(id, "schedule", "outcome_saved"))
}

/// Slots × tables, for the organiser (printable).
pub async fn grid(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let (gathering, rows, labels) = read::grid(&st, &ctx, id).await.map_err(pe(&ctx))?;
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
        duijie_store::gathering::ParticipantRow,
        Vec<duijie_store::gathering::MeetingRow>,
    ),
    PageError,
> {
    read::agenda(st, ctx, id, pid).await.map_err(pe(ctx))
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
    let bytes = read::workbook(&st, &ctx, id).await.map_err(pe(&ctx))?;
    Ok(super::xlsx(&format!("gathering-{id}.xlsx"), bytes))
}
