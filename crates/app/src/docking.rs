//! Docking (对接): a member asks the organisation behind a published scenario or achievement to
//! work together; the receiver accepts (洽谈) or declines with a reason; the parties talk in the
//! docking's conversation and move it on (中试, 签约, 落地) or end it (终止, with a reason).
//! Only the two parties read and write the messages; programme officers see that a docking
//! exists and where it stands, never what was said. The other side's contact person is shown
//! to a party only once the request is accepted.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset};
use duijie_domain::docking::{DockingStage, DockingWant, STALLED_DAYS};
use duijie_store::docking::{DockingInput, DockingRow, EventRow, MessageRow};
use duijie_store::organisation::OrgRow;
use serde::Serialize;

use crate::resource::{Achievements, Resource, Scenarios};
use crate::service::{self, field_err};
use crate::{App, AppError, Caller, FormData};

/// Longest message (and request text), in characters.
pub const MESSAGE_MAX: usize = 2000;

/// The organisation a member acts for in dockings; staff and experts have none.
fn party_org(ctx: &Caller) -> Result<i64, AppError> {
    ctx.require_user()?;
    ctx.member_org().ok_or(AppError::Forbidden)
}

/// Which record a form or request names: ("scenario" | "achievement", id).
fn kind_of(text: &str) -> Result<&'static str, AppError> {
    match text {
        "scenario" => Ok("scenario"),
        "achievement" => Ok("achievement"),
        _ => Err(field_err(
            "to_kind",
            "is scenario or achievement",
            "须为场景或成果",
        )),
    }
}

/// The owner of a record the caller may see; "not found" otherwise.
async fn owner_of(st: &App, ctx: &Caller, kind: &str, id: i64) -> Result<(i64, bool), AppError> {
    Ok(match kind {
        "scenario" => {
            let (row, _, _) = service::read::<Scenarios>(st, ctx, id).await?;
            (Scenarios::org_id(&row), Scenarios::status(&row).is_public())
        }
        _ => {
            let (row, _, _) = service::read::<Achievements>(st, ctx, id).await?;
            (
                Achievements::org_id(&row),
                Achievements::status(&row).is_public(),
            )
        }
    })
}

/// Send a docking request about another organisation's published record: `to_kind`, `to_id`,
/// `want`, `message`, and optionally one of the caller's own records (`own_kind`, `own_id`).
/// Returns the new docking.
pub async fn request(st: &App, ctx: &Caller, form: &FormData) -> Result<i64, AppError> {
    let org = party_org(ctx)?;
    crate::organisation::require_verified(st, ctx).await?;
    let about_kind = kind_of(form.get("to_kind").unwrap_or(""))?;
    let about_id: i64 = form
        .get("to_id")
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| field_err("to_id", "names no record", "未指明记录"))?;
    let (to_org, public) = owner_of(st, ctx, about_kind, about_id).await?;
    if to_org == org {
        return Err(field_err(
            "to_id",
            "is your own organisation's record",
            "是本单位自己的记录",
        ));
    }
    if !public {
        return Err(AppError::NotFound);
    }
    let own = match form.get("own_id").map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => {
            let kind = match form.get("own_kind").unwrap_or("") {
                "scenario" => "scenario",
                _ => "achievement",
            };
            let id: i64 = text
                .parse()
                .map_err(|_| field_err("own_id", "names no record", "未指明记录"))?;
            let (owner, _) = owner_of(st, ctx, kind, id)
                .await
                .map_err(|_| field_err("own_id", "names no record of yours", "不是本单位的记录"))?;
            if owner != org {
                return Err(field_err(
                    "own_id",
                    "names no record of yours",
                    "不是本单位的记录",
                ));
            }
            Some((kind, id))
        }
    };
    let want = form.one_of::<DockingWant>("want")?;
    let message = form.text("message", MESSAGE_MAX, true)?;
    let input = DockingInput {
        from_org_id: org,
        to_org_id: to_org,
        about_kind,
        about_id,
        own,
        want,
        message,
    };
    let (user, _) = ctx.require_user()?;
    match st
        .store
        .create_docking(&ctx.audit()?, user.id, &input)
        .await
    {
        Err(duijie_store::StoreError::Conflict { .. }) => Err(field_err(
            "to_id",
            "already has an open docking request from your organisation",
            "本单位已就该记录发起对接，尚未结束",
        )),
        other => Ok(other?),
    }
}

/// A docking the caller may see: its parties, and staff (who see its stage, not its messages).
async fn visible(st: &App, ctx: &Caller, id: i64) -> Result<DockingRow, AppError> {
    ctx.require_user()?;
    let d = st.store.docking(id).await?;
    if ctx.is_staff() || ctx.member_org().is_some_and(|o| d.party(o)) {
        Ok(d)
    } else {
        Err(AppError::NotFound)
    }
}

/// The receiver answers a request: `accept`, or `decline` with a `reason`. Two answers at once
/// leave one: the second is a conflict.
pub async fn answer(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    let org = party_org(ctx)?;
    let d = visible(st, ctx, id).await?;
    if d.to_org_id != org {
        return Err(AppError::Forbidden);
    }
    let (to, reason) = match form.get("action").unwrap_or("") {
        "accept" => (DockingStage::Negotiating, String::new()),
        "decline" => (DockingStage::Declined, form.text("reason", 500, true)?),
        _ => {
            return Err(field_err(
                "action",
                "is accept or decline",
                "须为接受或婉拒",
            ))
        }
    };
    step(st, ctx, &d, to, &reason).await
}

async fn step(
    st: &App,
    ctx: &Caller,
    d: &DockingRow,
    to: DockingStage,
    reason: &str,
) -> Result<(), AppError> {
    if !d.stage.can_become(to) {
        return Err(AppError::Conflict("stage"));
    }
    let (user, _) = ctx.require_user()?;
    Ok(st
        .store
        .move_docking(&ctx.audit()?, user.id, d.id, d.stage, to, reason)
        .await?)
}

/// Either party moves an accepted docking on (`stage`: pilot, signed, landed, terminated — the
/// last with a `reason`); the requester may also withdraw a request not yet answered.
pub async fn move_on(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    let org = party_org(ctx)?;
    let d = visible(st, ctx, id).await?;
    if !d.party(org) {
        return Err(AppError::Forbidden);
    }
    let to = form.one_of::<DockingStage>("stage")?;
    let withdraw = d.stage == DockingStage::Requested && to == DockingStage::Terminated;
    if d.stage == DockingStage::Requested && !(withdraw && d.from_org_id == org) {
        return Err(AppError::Forbidden);
    }
    let reason = form.text("reason", 500, to.needs_reason())?;
    step(st, ctx, &d, to, &reason).await
}

/// A message in the docking's conversation, from one of the parties, while it is open.
pub async fn write(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<i64, AppError> {
    let org = party_org(ctx)?;
    let d = visible(st, ctx, id).await?;
    if !d.party(org) {
        return Err(AppError::Forbidden);
    }
    if !d.stage.is_open() {
        return Err(AppError::Conflict("stage"));
    }
    let body = form.text("body", MESSAGE_MAX, true)?;
    let (user, _) = ctx.require_user()?;
    Ok(st
        .store
        .add_docking_message(&ctx.audit()?, id, org, user.id, &body)
        .await?)
}

/// Whether a docking nobody moved or wrote in for [`STALLED_DAYS`] is still open.
pub fn stalled(d: &DockingRow, now: DateTime<FixedOffset>) -> bool {
    d.stage.is_open()
        && DateTime::parse_from_rfc3339(&d.updated_at)
            .is_ok_and(|t| now - t > Duration::days(STALLED_DAYS))
}

/// A docking in a list: the row, unread messages for the caller, whether it is stalled and
/// which side the caller is on ("from", "to" or "" for staff).
#[derive(Serialize)]
pub struct Item {
    pub d: DockingRow,
    pub unread: i64,
    pub stalled: bool,
    pub side: &'static str,
}

fn side(ctx: &Caller, d: &DockingRow) -> &'static str {
    match ctx.member_org() {
        Some(o) if o == d.from_org_id => "from",
        Some(o) if o == d.to_org_id => "to",
        _ => "",
    }
}

/// The caller's organisation's dockings (every docking for staff), last touched first.
pub async fn list(st: &App, ctx: &Caller) -> Result<Vec<Item>, AppError> {
    ctx.require_user()?;
    let now = st.clock.now();
    let (rows, unread) = if ctx.is_staff() {
        let mut rows = st.store.dockings(None).await?;
        for d in &mut rows {
            d.message.clear();
        }
        (rows, HashMap::new())
    } else {
        let org = party_org(ctx)?;
        let unread: HashMap<i64, i64> = st.store.docking_unread(org).await?.into_iter().collect();
        (st.store.dockings(Some(org)).await?, unread)
    };
    Ok(rows
        .into_iter()
        .map(|d| Item {
            unread: unread.get(&d.id).copied().unwrap_or(0),
            stalled: stalled(&d, now),
            side: side(ctx, &d),
            d,
        })
        .collect())
}

/// The other side's contact person, shown to a party once the request is accepted.
#[derive(Serialize)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

fn contact(o: &OrgRow) -> Contact {
    Contact {
        name: o.contact_name.clone(),
        phone: o.contact_phone.clone(),
        email: o.contact_email.clone(),
    }
}

/// One docking as the caller sees it.
#[derive(Serialize)]
pub struct Detail {
    pub d: DockingRow,
    pub events: Vec<EventRow>,
    /// Newest first; empty for staff (they see the stage, not the conversation).
    pub messages: Vec<MessageRow>,
    pub side: &'static str,
    /// The caller is a party.
    pub party: bool,
    pub stalled: bool,
    pub contact: Option<Contact>,
    /// The receiver may accept or decline.
    pub may_answer: bool,
    /// The requester may withdraw.
    pub may_withdraw: bool,
    /// Stage codes either party may move to.
    pub next: Vec<&'static str>,
    pub may_write: bool,
}

/// A docking the caller may see; reading it marks its messages read for the caller's side.
pub async fn detail(st: &App, ctx: &Caller, id: i64) -> Result<Detail, AppError> {
    let mut d = visible(st, ctx, id).await?;
    let my_org = ctx.member_org().filter(|o| d.party(*o));
    let party = my_org.is_some();
    if !party {
        // The request's words are the conversation's first message: for the parties only.
        d.message.clear();
    }
    let events = st.store.docking_events(id).await?;
    let messages = if party {
        st.store.docking_messages(id).await?
    } else {
        Vec::new()
    };
    let verified = match my_org {
        Some(o) => st.store.organisation(o).await?.verified(),
        None => false,
    };
    let contact = match my_org {
        Some(o) if d.stage.accepted() && verified => {
            let other = if o == d.from_org_id {
                d.to_org_id
            } else {
                d.from_org_id
            };
            Some(contact(&st.store.organisation(other).await?))
        }
        _ => None,
    };
    if let Some(o) = my_org {
        st.store.mark_docking_read(id, o).await?;
    }
    let side = side(ctx, &d);
    Ok(Detail {
        may_answer: side == "to" && d.stage == DockingStage::Requested,
        may_withdraw: side == "from" && d.stage == DockingStage::Requested,
        next: if party {
            d.stage.next().into_iter().map(|s| s.code()).collect()
        } else {
            Vec::new()
        },
        may_write: party && d.stage.is_open(),
        stalled: stalled(&d, st.clock.now()),
        side,
        party,
        contact,
        events,
        messages,
        d,
    })
}

/// The caller's open dockings about one record (to show "已发起对接" instead of the button).
pub async fn open_about(
    st: &App,
    ctx: &Caller,
    kind: &str,
    id: i64,
) -> Result<Vec<DockingRow>, AppError> {
    match ctx.member_org() {
        Some(org) => Ok(st.store.open_dockings_about(org, kind, id).await?),
        None => Ok(Vec::new()),
    }
}
