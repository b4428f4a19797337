//! The use cases of a Scenario Gathering: creating it, registering, availability, meeting
//! requests and answers, registration status, locks and outcomes.

use super::*;

/// A participant of `gathering` (not found when it belongs to another event).
pub async fn participant_of(
    st: &App,
    gathering: i64,
    pid: i64,
) -> Result<ParticipantRow, AppError> {
    let p = st.store.participant(pid).await?;
    if p.gathering_id != gathering {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

/// A meeting of `gathering` (not found when it belongs to another event).
pub async fn meeting_of(st: &App, gathering: i64, mid: i64) -> Result<MeetingRow, AppError> {
    let m = st.store.meeting(mid).await?;
    if m.gathering_id != gathering {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

/// A participant registered for organisation `org_id` (members for their own, staff for any);
/// after registration closes only staff may add people.
pub async fn register(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    let gathering = st.store.gathering(id).await?;
    let (_, actor) = ctx.require_user()?;
    let org_id = match (
        ctx.is_staff(),
        form.get("org_id").and_then(|o| o.parse::<i64>().ok()),
        actor.org_id,
    ) {
        (true, Some(o), _) => o,
        (_, _, Some(o)) => o,
        _ => return Err(field_err("org_id", "choose an organisation", "请选择机构")),
    };
    if !ctx.acts_for(org_id) {
        return Err(AppError::Forbidden);
    }
    let today = st.clock.today().to_string();
    let closed = gathering.status != GatheringStatus::Open || today > gathering.registration_closes;
    if closed && !ctx.is_staff() {
        return Err(AppError::BadRequest(
            if ctx.lang == "en" {
                "Registration is closed."
            } else {
                "报名已截止。"
            }
            .into(),
        ));
    }
    let (name, title, email, side) = parse_participant(form)?;
    let input = ParticipantInput {
        org_id,
        name,
        title,
        email,
        side,
    };
    st.store.add_participant(&ctx.audit()?, id, &input).await?;
    Ok(())
}

/// The slots a participant cannot attend (their organisation or staff).
pub async fn set_availability(
    st: &App,
    ctx: &Caller,
    id: i64,
    pid: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let p = participant_of(st, id, pid).await?;
    if !ctx.acts_for(p.org_id) {
        return Err(AppError::Forbidden);
    }
    let slots: HashSet<i64> = st
        .store
        .gathering_slots(id)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    let mut blocked = Vec::new();
    for (k, v) in &form.0 {
        if k == "unavailable" {
            match v.parse::<i64>() {
                Ok(s) if slots.contains(&s) => blocked.push(s),
                _ => {
                    return Err(field_err(
                        "unavailable",
                        "not a slot of this event",
                        "不是本活动的时段",
                    ))
                }
            }
        }
    }
    st.store
        .set_unavailable(&ctx.audit()?, pid, &blocked)
        .await?;
    Ok(())
}

/// A meeting request from one of the caller's participants to someone of another organisation.
pub async fn request_meeting(
    st: &App,
    ctx: &Caller,
    id: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let parse = |f: &str| form.get(f).and_then(|v| v.parse::<i64>().ok());
    let (Some(from), Some(to)) = (parse("from"), parse("to")) else {
        return Err(field_err("to", "choose who meets whom", "请选择洽谈双方"));
    };
    let a = participant_of(st, id, from).await?;
    let b = participant_of(st, id, to).await?;
    if !ctx.acts_for(a.org_id) {
        return Err(AppError::Forbidden);
    }
    if a.id == b.id || a.org_id == b.org_id {
        return Err(field_err(
            "to",
            "choose someone from another organisation",
            "请选择其他机构的参会人",
        ));
    }
    let priority = parse_priority(form)?;
    let message = parse_message(form)?;
    st.store
        .create_request(&ctx.audit()?, id, from, to, priority, &message)
        .await?;
    Ok(())
}

/// Accept or decline (the invitee's organisation), or cancel (either side).
pub async fn answer_request(
    st: &App,
    ctx: &Caller,
    id: i64,
    rid: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let r = st.store.request(rid).await?;
    if r.gathering_id != id {
        return Err(AppError::NotFound);
    }
    let status = match form.get("action") {
        Some("accept") if ctx.acts_for(r.to_org_id) && r.status == Rs::Pending => Rs::Accepted,
        Some("decline") if ctx.acts_for(r.to_org_id) && r.status == Rs::Pending => Rs::Declined,
        Some("cancel")
            if (ctx.acts_for(r.from_org_id) || ctx.acts_for(r.to_org_id))
                && r.status != Rs::Cancelled =>
        {
            Rs::Cancelled
        }
        Some("accept" | "decline" | "cancel") => return Err(AppError::Forbidden),
        _ => {
            return Err(field_err(
                "action",
                "must be accept, decline or cancel",
                "须为接受、拒绝或取消",
            ))
        }
    };
    st.store
        .set_request_status(&ctx.audit()?, rid, status)
        .await?;
    Ok(())
}

/// Registration opened or closed (staff).
pub async fn set_status(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    require_staff(ctx)?;
    let status = match GatheringStatus::from_code(form.get("status").unwrap_or("")) {
        Some(s @ (GatheringStatus::Open | GatheringStatus::Closed)) => s,
        _ => {
            return Err(field_err(
                "status",
                "must be open or closed",
                "须为开放或截止",
            ))
        }
    };
    st.store
        .set_gathering_status(&ctx.audit()?, id, status)
        .await?;
    Ok(())
}

/// A meeting locked in place (or freed) before rescheduling (staff).
pub async fn lock_meeting(
    st: &App,
    ctx: &Caller,
    id: i64,
    mid: i64,
    form: &FormData,
) -> Result<(), AppError> {
    require_staff(ctx)?;
    meeting_of(st, id, mid).await?;
    let locked = form.get("locked") == Some("1");
    st.store
        .set_meeting_locked(&ctx.audit()?, mid, locked)
        .await?;
    Ok(())
}

/// What came of a meeting, as one side records it.
pub async fn record_outcome(
    st: &App,
    ctx: &Caller,
    id: i64,
    mid: i64,
    form: &FormData,
) -> Result<(), AppError> {
    let m = meeting_of(st, id, mid).await?;
    let outcome = form.get("outcome").unwrap_or("");
    if MeetingOutcome::from_code(outcome).is_none() {
        return Err(field_err("outcome", "unknown outcome", "未知的结果"));
    }
    let requester = match form.get("side") {
        Some("from") if ctx.acts_for(m.from_org_id) => true,
        Some("to") if ctx.acts_for(m.to_org_id) => false,
        _ => return Err(AppError::Forbidden),
    };
    st.store
        .set_meeting_outcome(&ctx.audit()?, mid, requester, outcome)
        .await?;
    Ok(())
}

/// A Scenario Gathering with its slots and rooms (staff).
pub async fn create(st: &App, ctx: &Caller, form: &FormData) -> Result<i64, AppError> {
    require_staff(ctx)?;
    let input = parse_gathering(form)?;
    Ok(st.store.create_gathering(&ctx.audit()?, &input).await?)
}
