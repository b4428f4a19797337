//! Pilot-testing platforms: what an operator and a requester may do with a service request.

use duijie_domain::pipeline::{CaseStage, RequestStatus, StepStatus};
use duijie_store::pilot::{
    CaseRow, PlatformFields, PlatformRow, RequestInput, ServiceInput, StepInput,
};

use crate::service::field_err;

pub mod read;
use crate::{App, AppError, Caller, FormData};

/// The operator schedules, declines or closes a request with its result; the requester
/// cancels it. Anyone else is refused; a party asking for the other party's step is told it is
/// not theirs to take (a conflict on `action`).
pub async fn answer_request(
    st: &App,
    ctx: &Caller,
    id: i64,
    rid: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let p = st.store.platform(id).await?;
    let req = st.store.service_request(rid).await?;
    if req.platform_id != id {
        return Err(AppError::NotFound);
    }
    let operator = ctx.acts_for(p.org_id);
    let requester = ctx.acts_for(req.org_id);
    let action = form.get("action").unwrap_or("");
    let allowed = match action {
        "cancel" => requester,
        "schedule" | "decline" | "done" => operator,
        _ => false,
    };
    if !allowed {
        return Err(if operator || requester {
            AppError::Conflict("action")
        } else {
            AppError::Forbidden
        });
    }
    let audit = ctx.audit()?;
    match action {
        "schedule" => {
            st.store
                .schedule_request(&audit, rid, form.day("start_day")?)
                .await?
        }
        "decline" => {
            let reason = form.text("reason", 1000, true)?;
            st.store
                .close_request(
                    &audit,
                    rid,
                    &[RequestStatus::Requested, RequestStatus::Scheduled],
                    RequestStatus::Declined,
                    "",
                    "",
                    "",
                    &reason,
                )
                .await?
        }
        "cancel" => {
            st.store
                .close_request(
                    &audit,
                    rid,
                    &[RequestStatus::Requested, RequestStatus::Scheduled],
                    RequestStatus::Cancelled,
                    "",
                    "",
                    "",
                    "",
                )
                .await?
        }
        _ => {
            let result = form.get("result").unwrap_or("");
            if !matches!(result, "pass" | "fail") {
                return Err(field_err(
                    "result",
                    "choose pass or fail",
                    "请选择通过或未通过",
                ));
            }
            let report = form.text("report", 4000, true)?;
            let next = form.text("next_step", 1000, false)?;
            st.store
                .close_request(
                    &audit,
                    rid,
                    &[RequestStatus::Scheduled],
                    RequestStatus::Done,
                    result,
                    &report,
                    &next,
                    "",
                )
                .await?
        }
    }
    Ok(())
}

/// A one-stop case its organisation (or staff) works on; "not found" for anyone else.
pub async fn own_case(st: &App, ctx: &Caller, id: i64) -> Result<CaseRow, AppError> {
    ctx.require_user()?;
    let c = st.store.case(id).await?;
    if ctx.acts_for(c.org_id) {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// A step added to a case: a kind, a title, an owner and a date.
pub async fn add_step(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    own_case(st, ctx, id).await?;
    let s = StepInput {
        kind: form.one_of("kind")?,
        title: form.text("title", 200, true)?,
        owner: form.text("owner", 100, false)?,
        due_day: form.day("due_day")?.to_string(),
    };
    st.store.add_step(&ctx.audit()?, id, &s).await?;
    Ok(())
}

/// A step's progress and note.
pub async fn set_step(
    st: &App,
    ctx: &Caller,
    id: i64,
    step: i64,
    form: &FormData,
) -> Result<(), AppError> {
    own_case(st, ctx, id).await?;
    let Some(status) = StepStatus::from_code(form.get("status").unwrap_or("")) else {
        return Err(field_err("status", "is not a step status", "不是步骤状态"));
    };
    let note = form.text("note", 1000, false)?;
    st.store
        .set_step(&ctx.audit()?, id, step, status, &note)
        .await?;
    Ok(())
}

/// Where the case stands, prototype to product.
pub async fn set_stage(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    own_case(st, ctx, id).await?;
    let stage: CaseStage = form.one_of("stage")?;
    st.store.set_case_stage(&ctx.audit()?, id, stage).await?;
    Ok(())
}

pub fn parse_platform(form: &FormData) -> Result<PlatformFields, AppError> {
    Ok(PlatformFields {
        kind: form.one_of("kind")?,
        name_zh: form.text("name_zh", 200, true)?,
        name_en: form.text("name_en", 200, false)?,
        region: form.region()?,
        chain: form.chain()?,
        fields: form.text("fields", 500, false)?,
        equipment: form.text("equipment", 2000, false)?,
        certifications: form.text("certifications", 500, false)?,
        intro: form.text("intro", 4000, false)?,
        capacity: form.number("capacity", 0..=1000, None)?,
    })
}

/// A platform its organisation runs (or staff): "forbidden" for anyone else.
pub async fn operated(st: &App, ctx: &Caller, id: i64) -> Result<PlatformRow, AppError> {
    let p = st.store.platform(id).await?;
    if ctx.acts_for(p.org_id) {
        Ok(p)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A platform for organisation `org` (the caller may publish for it: see `owner_for_new`).
pub async fn create_platform(
    st: &App,
    ctx: &Caller,
    org: i64,
    form: &FormData,
) -> Result<i64, AppError> {
    let f = parse_platform(form)?;
    Ok(st.store.create_platform(&ctx.audit()?, org, &f).await?)
}

/// A service of platform `id`, priced as a range in 万元.
pub async fn add_service(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    operated(st, ctx, id).await?;
    let s = ServiceInput {
        kind: form.one_of("kind")?,
        name_zh: form.text("name_zh", 200, true)?,
        name_en: form.text("name_en", 200, false)?,
        price_min_fen: form.wan("price_min_wan")?,
        price_max_fen: form.wan("price_max_wan")?,
        lead_days: form.number("lead_days", 0..=365, None)?,
    };
    if s.price_max_fen < s.price_min_fen {
        return Err(field_err(
            "price_max_wan",
            "is below the minimum",
            "低于下限",
        ));
    }
    st.store.add_service(&ctx.audit()?, id, &s).await?;
    Ok(())
}

/// The capacity of platform `id` on one day (closed days have 0).
pub async fn set_day(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    operated(st, ctx, id).await?;
    let on = form.day("day")?;
    let capacity = form.number("capacity", 0..=1000, None)?;
    st.store
        .set_platform_day(&ctx.audit()?, id, on, capacity)
        .await?;
    Ok(())
}

/// Organisation `org` asks platform `id` for one of its services, for its own achievement if it
/// names one.
pub async fn request_service(
    st: &App,
    ctx: &Caller,
    id: i64,
    org: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let service_id: i64 = form
        .get("service_id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let service = st.store.service(service_id).await.map_err(|_| {
        field_err(
            "service_id",
            "choose a service of this platform",
            "请选择本平台的服务",
        )
    })?;
    if service.platform_id != id {
        return Err(field_err(
            "service_id",
            "choose a service of this platform",
            "请选择本平台的服务",
        ));
    }
    let achievement_id = crate::service::org_achievement(st, form, org).await?;
    let platform = st.store.platform(id).await?;
    let units = form.number("units", 1..=1000, None)?;
    if units > platform.f.capacity {
        return Err(field_err(
            "units",
            &format!(
                "at most {} a day: the platform's daily capacity",
                platform.f.capacity
            ),
            &format!("不能超过平台的日产能 {}", platform.f.capacity),
        ));
    }
    let wanted_from = form.day("wanted_from")?;
    let today = st.clock.today();
    if wanted_from < today {
        return Err(field_err(
            "wanted_from",
            &format!("{wanted_from} has passed: from today ({today}) on"),
            &format!("{wanted_from} 已过：请选择今天（{today}）或以后的日期"),
        ));
    }
    let input = RequestInput {
        service_id,
        achievement_id,
        days: form.number("days", 1..=365, None)?,
        units,
        wanted_from: wanted_from.to_string(),
        note: form.text("note", 2000, false)?,
    };
    st.store.request_service(&ctx.audit()?, org, &input).await?;
    Ok(())
}

/// A one-stop case for organisation `org`.
pub async fn create_case(
    st: &App,
    ctx: &Caller,
    org: i64,
    form: &FormData,
) -> Result<i64, AppError> {
    let title = form.text("title", 200, true)?;
    let manager = form.text("manager", 100, false)?;
    let achievement = crate::service::org_achievement(st, form, org).await?;
    Ok(st
        .store
        .create_case(&ctx.audit()?, org, achievement, &title, &manager)
        .await?)
}
