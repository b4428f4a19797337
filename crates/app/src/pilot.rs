//! Pilot-testing platforms: what an operator and a requester may do with a service request.

use duijie_domain::pipeline::{CaseStage, RequestStatus, StepStatus};
use duijie_store::pilot::{CaseRow, StepInput};

use crate::service::field_err;
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
