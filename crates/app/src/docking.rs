//! Docking (对接): a member asks the organisation behind a published scenario or achievement to
//! work together; the receiver accepts (洽谈) or declines with a reason; the parties talk in the
//! docking's conversation and move it on (中试, 签约, 落地) or end it (终止, with a reason).
//! A technology broker (技术经纪人) may instead introduce an achievement's holder to a
//! scenario's owner: each side sees only the other's public record until both accept, then it
//! is 洽谈 like an accepted request, and the broker is a party to the conversation and credited
//! with what comes of it. Only the parties (and the broker) read and write the messages;
//! programme officers see that a docking exists and where it stands, never what was said. The
//! other side's contact person is shown to a party only once the request is accepted. Every
//! step tells the others concerned (inbox, and e-mail when configured).

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset};
use duijie_domain::docking::{DockingStage, DockingWant, NoticeKind, STALLED_DAYS};
use duijie_domain::Role;
use duijie_store::docking::{DockingInput, DockingRow, EventRow, MessageRow};
use duijie_store::notice::{NoticeInput, Recipient};
use duijie_store::organisation::OrgRow;
use serde::Serialize;

use crate::notice::{deliver, notice};
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

/// A record a docking is about, as the caller may see it.
struct About {
    org: i64,
    public: bool,
    title: (String, String),
}

/// The owner of a record the caller may see; "not found" otherwise.
async fn owner_of(st: &App, ctx: &Caller, kind: &str, id: i64) -> Result<About, AppError> {
    Ok(match kind {
        "scenario" => {
            let (row, _, _) = service::read::<Scenarios>(st, ctx, id).await?;
            About {
                org: Scenarios::org_id(&row),
                public: Scenarios::status(&row).is_public(),
                title: (row.title_zh, row.title_en),
            }
        }
        _ => {
            let (row, _, _) = service::read::<Achievements>(st, ctx, id).await?;
            About {
                org: Achievements::org_id(&row),
                public: Achievements::status(&row).is_public(),
                title: (row.title_zh, row.title_en),
            }
        }
    })
}

/// The docking's notice title: the record it is about.
fn title(d: &DockingRow) -> (&str, &str) {
    (d.about_zh.as_str(), d.about_en.as_str())
}

/// A notice of docking `d` to each of `to`.
fn tell(
    to: &[Recipient],
    kind: NoticeKind,
    d: &DockingRow,
    reason: &str,
    actor: i64,
) -> Vec<NoticeInput> {
    to.iter()
        .map(|r| notice(*r, kind, "docking", d.id, title(d), reason, Some(actor)))
        .collect()
}

/// Everyone concerned by docking `d` except the actor's own side: the other organisation(s)
/// and the broker.
fn others(d: &DockingRow, actor_org: Option<i64>, actor: i64) -> Vec<Recipient> {
    let mut to: Vec<Recipient> = [d.from_org_id, d.to_org_id]
        .into_iter()
        .filter(|o| Some(*o) != actor_org)
        .map(Recipient::Org)
        .collect();
    if let Some(b) = d.broker_user_id.filter(|b| *b != actor) {
        to.push(Recipient::User(b));
    }
    to
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
    let about = owner_of(st, ctx, about_kind, about_id).await?;
    let (to_org, public) = (about.org, about.public);
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
            let owner = owner_of(st, ctx, kind, id)
                .await
                .map_err(|_| field_err("own_id", "names no record of yours", "不是本单位的记录"))?
                .org;
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
        broker_user_id: None,
    };
    let (user, _) = ctx.require_user()?;
    let (t_zh, t_en) = &about.title;
    let told = |id| {
        vec![notice(
            Recipient::Org(to_org),
            NoticeKind::DockingRequested,
            "docking",
            id,
            (t_zh, t_en),
            "",
            Some(user.id),
        )]
    };
    match st
        .store
        .create_docking(&ctx.audit()?, user.id, &input, told)
        .await
    {
        Err(duijie_store::StoreError::Conflict { .. }) => Err(field_err(
            "to_id",
            "already has an open docking request from your organisation",
            "本单位已就该记录发起对接，尚未结束",
        )),
        Ok(id) => {
            deliver(st, &told(id)).await;
            Ok(id)
        }
        Err(e) => Err(e.into()),
    }
}

/// A broker introduces an achievement's holder to a scenario's owner (`scenario_id`,
/// `achievement_id`, `want`, `message`): both published, of two organisations, neither the
/// broker's own. The docking waits (引荐) until both sides accept. Returns the new docking.
pub async fn introduce(st: &App, ctx: &Caller, form: &FormData) -> Result<i64, AppError> {
    let (user, actor) = ctx.require_user()?;
    if actor.role != Role::Broker {
        return Err(AppError::Forbidden);
    }
    let id_of = |field: &'static str| {
        form.get(field)
            .and_then(|s| s.trim().parse::<i64>().ok())
            .ok_or_else(|| field_err(field, "names no record", "未指明记录"))
    };
    let (scenario_id, achievement_id) = (id_of("scenario_id")?, id_of("achievement_id")?);
    let found = |field: &'static str| {
        move |e: AppError| match e {
            AppError::NotFound => {
                field_err(field, "names no published record", "未找到已发布的记录")
            }
            e => e,
        }
    };
    let s = owner_of(st, ctx, "scenario", scenario_id)
        .await
        .map_err(found("scenario_id"))?;
    let a = owner_of(st, ctx, "achievement", achievement_id)
        .await
        .map_err(found("achievement_id"))?;
    if !s.public {
        return Err(field_err(
            "scenario_id",
            "names no published record",
            "未找到已发布的记录",
        ));
    }
    if !a.public {
        return Err(field_err(
            "achievement_id",
            "names no published record",
            "未找到已发布的记录",
        ));
    }
    if s.org == a.org {
        return Err(field_err(
            "achievement_id",
            "is held by the scenario's own organisation",
            "与场景属于同一单位",
        ));
    }
    if actor.org_id.is_some_and(|o| o == s.org || o == a.org) {
        return Err(field_err(
            "scenario_id",
            "involves your own organisation: a broker introduces others",
            "涉及您本人所在单位：经纪人只为他方引荐",
        ));
    }
    let input = DockingInput {
        from_org_id: a.org,
        to_org_id: s.org,
        about_kind: "scenario",
        about_id: scenario_id,
        own: Some(("achievement", achievement_id)),
        want: form.one_of::<DockingWant>("want")?,
        message: form.text("message", MESSAGE_MAX, true)?,
        broker_user_id: Some(user.id),
    };
    let (t_zh, t_en) = &s.title;
    let told = |id| {
        [a.org, s.org]
            .into_iter()
            .map(|o| {
                notice(
                    Recipient::Org(o),
                    NoticeKind::DockingIntroduced,
                    "docking",
                    id,
                    (t_zh, t_en),
                    "",
                    Some(user.id),
                )
            })
            .collect::<Vec<_>>()
    };
    match st
        .store
        .create_docking(&ctx.audit()?, user.id, &input, told)
        .await
    {
        Err(duijie_store::StoreError::Conflict { .. }) => Err(field_err(
            "scenario_id",
            "already has an open docking with this achievement's holder",
            "该成果单位已就此场景在对接中，尚未结束",
        )),
        Ok(id) => {
            deliver(st, &told(id)).await;
            Ok(id)
        }
        Err(e) => Err(e.into()),
    }
}

/// A docking the caller may see: its parties and broker, and staff (who see its stage, not its
/// messages).
async fn visible(st: &App, ctx: &Caller, id: i64) -> Result<DockingRow, AppError> {
    let (user, _) = ctx.require_user()?;
    let d = st.store.docking(id).await?;
    if ctx.is_staff() || d.brokered_by(user.id) || ctx.member_org().is_some_and(|o| d.party(o)) {
        Ok(d)
    } else {
        Err(AppError::NotFound)
    }
}

/// The receiver answers a request: `accept`, or `decline` with a `reason`; either side answers
/// a broker's introduction the same way (it becomes 洽谈 once both have accepted). Two answers
/// at once leave one: the second is a conflict. Returns the docking's stage afterwards.
pub async fn answer(
    st: &App,
    ctx: &Caller,
    id: i64,
    form: &FormData,
) -> Result<DockingStage, AppError> {
    let org = party_org(ctx)?;
    let d = visible(st, ctx, id).await?;
    let introduced = d.stage == DockingStage::Introduced;
    if !(d.to_org_id == org || (introduced && d.from_org_id == org)) {
        return Err(AppError::Forbidden);
    }
    let (user, _) = ctx.require_user()?;
    match form.get("action").unwrap_or("") {
        "accept" if introduced => {
            crate::organisation::require_verified(st, ctx).await?;
            let one = tell(
                &others(&d, Some(org), user.id),
                NoticeKind::DockingSideAccepted,
                &d,
                "",
                user.id,
            );
            let both = tell(
                &others(&d, None, user.id),
                NoticeKind::DockingAccepted,
                &d,
                "",
                user.id,
            );
            let both_now = st
                .store
                .accept_introduction(
                    &ctx.audit()?,
                    user.id,
                    id,
                    d.from_org_id == org,
                    &one,
                    &both,
                )
                .await?;
            deliver(st, if both_now { &both } else { &one }).await;
            Ok(if both_now {
                DockingStage::Negotiating
            } else {
                DockingStage::Introduced
            })
        }
        "accept" => step(st, ctx, &d, DockingStage::Negotiating, "")
            .await
            .map(|()| DockingStage::Negotiating),
        "decline" => {
            let reason = form.text("reason", 500, true)?;
            step(st, ctx, &d, DockingStage::Declined, &reason)
                .await
                .map(|()| DockingStage::Declined)
        }
        _ => Err(field_err(
            "action",
            "is accept or decline",
            "须为接受或婉拒",
        )),
    }
}

/// Move docking `d` to `to`, telling everyone concerned but the actor's side.
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
    let kind = match to {
        DockingStage::Negotiating => NoticeKind::DockingAccepted,
        DockingStage::Declined => NoticeKind::DockingDeclined,
        _ => NoticeKind::DockingMoved,
    };
    let told = tell(
        &others(d, ctx.member_org(), user.id),
        kind,
        d,
        reason,
        user.id,
    );
    st.store
        .move_docking(&ctx.audit()?, user.id, d.id, d.stage, to, reason, &told)
        .await?;
    deliver(st, &told).await;
    Ok(())
}

/// Either party moves an accepted docking on (`stage`: pilot, signed, landed, terminated — the
/// last with a `reason`); the requester may also withdraw a request not yet answered, and the
/// broker an introduction not yet accepted by both.
pub async fn move_on(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<(), AppError> {
    let (user, _) = ctx.require_user()?;
    let d = visible(st, ctx, id).await?;
    let org = ctx.member_org().filter(|o| d.party(*o));
    let broker = d.brokered_by(user.id);
    if org.is_none() && !broker {
        return Err(AppError::Forbidden);
    }
    let to = form.one_of::<DockingStage>("stage")?;
    let withdraw = to == DockingStage::Terminated;
    let allowed = match d.stage {
        DockingStage::Requested => withdraw && org == Some(d.from_org_id),
        DockingStage::Introduced => withdraw && broker,
        _ => org.is_some(),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let reason = form.text("reason", 500, to.needs_reason())?;
    step(st, ctx, &d, to, &reason).await
}

/// A message in the docking's conversation, from one of the parties or the broker, while it
/// is open.
pub async fn write(st: &App, ctx: &Caller, id: i64, form: &FormData) -> Result<i64, AppError> {
    let (user, _) = ctx.require_user()?;
    let d = visible(st, ctx, id).await?;
    let org = ctx.member_org().filter(|o| d.party(*o));
    if org.is_none() && !d.brokered_by(user.id) {
        return Err(AppError::Forbidden);
    }
    if !d.stage.is_open() {
        return Err(AppError::Conflict("stage"));
    }
    let body = form.text("body", MESSAGE_MAX, true)?;
    Ok(st
        .store
        .add_docking_message(&ctx.audit()?, id, org, user.id, &body)
        .await?)
}

/// A party invites the programme officers to read the docking's conversation (they see its
/// stage anyway); every officer is told. Once per docking.
pub async fn invite_staff(st: &App, ctx: &Caller, id: i64) -> Result<(), AppError> {
    let (user, _) = ctx.require_user()?;
    let d = visible(st, ctx, id).await?;
    if !ctx.member_org().is_some_and(|o| d.party(o)) {
        return Err(AppError::Forbidden);
    }
    let officers = st.store.users_with_roles(&[Role::Officer.code()]).await?;
    let told: Vec<_> = officers
        .iter()
        .map(|(officer, _)| {
            notice(
                Recipient::User(*officer),
                NoticeKind::DockingStaffInvited,
                "docking",
                id,
                title(&d),
                "",
                Some(user.id),
            )
        })
        .collect();
    st.store
        .invite_staff(&ctx.audit()?, id, user.id, &told)
        .await?;
    deliver(st, &told).await;
    Ok(())
}

/// Whether a docking nobody moved or wrote in for [`STALLED_DAYS`] is still open.
pub fn stalled(d: &DockingRow, now: DateTime<FixedOffset>) -> bool {
    d.stage.is_open()
        && DateTime::parse_from_rfc3339(&d.updated_at)
            .is_ok_and(|t| now - t > Duration::days(STALLED_DAYS))
}

/// A docking in a list: the row, unread messages for the caller, whether it is stalled and
/// which side the caller is on ("from", "to", "broker" or "" for staff).
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
        _ if ctx.user.as_ref().is_some_and(|u| d.brokered_by(u.id)) => "broker",
        _ => "",
    }
}

/// The caller's organisation's dockings (a broker's: those it introduced; every docking for
/// staff), last touched first.
pub async fn list(st: &App, ctx: &Caller) -> Result<Vec<Item>, AppError> {
    let (user, actor) = ctx.require_user()?;
    let now = st.clock.now();
    let (rows, unread) = if actor.role == Role::Broker {
        let unread: HashMap<i64, i64> =
            st.store.broker_unread(user.id).await?.into_iter().collect();
        (st.store.brokered_dockings(user.id).await?, unread)
    } else if ctx.is_staff() {
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
    /// The caller is the broker who introduced the two sides.
    pub broker: bool,
    /// The caller is staff invited by a party to read the conversation.
    pub staff_reads: bool,
    /// The caller's side has accepted the introduction (and waits for the other).
    pub accepted_mine: bool,
    pub stalled: bool,
    pub contact: Option<Contact>,
    /// Where the other side's confidentiality terms are, when they must be accepted before its
    /// contact is shown.
    pub terms_first: Option<String>,
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
    let broker = ctx.user.as_ref().is_some_and(|u| d.brokered_by(u.id));
    // Staff read the conversation only when a party invited them.
    let staff_reads = ctx.is_staff() && d.staff_invited_at.is_some();
    if !party && !broker && !staff_reads {
        // The request's words are the conversation's first message: for the parties only.
        d.message.clear();
    }
    let events = st.store.docking_events(id).await?;
    let messages = if party || broker || staff_reads {
        st.store.docking_messages(id).await?
    } else {
        Vec::new()
    };
    let verified = match my_org {
        Some(o) => st.store.organisation(o).await?.verified(),
        None => false,
    };
    // The other side's record in this docking (the one it owns), whose confidentiality terms
    // must be accepted before its contact is shown.
    let mut terms_first = None;
    let contact = match my_org {
        Some(o) if d.stage.accepted() && verified => {
            let (other, theirs) = if o == d.from_org_id {
                (d.to_org_id, Some((d.about_kind.clone(), d.about_id)))
            } else {
                (d.from_org_id, d.own_kind.clone().zip(d.own_id))
            };
            let met = match &theirs {
                Some((kind, rid)) => service::terms_met(st, ctx, kind, *rid).await?,
                None => true,
            };
            if met {
                Some(contact(&st.store.organisation(other).await?))
            } else {
                terms_first = theirs.map(|(kind, rid)| format!("/{kind}s/{rid}#terms"));
                None
            }
        }
        _ => None,
    };
    if let Some(o) = my_org {
        st.store.mark_docking_read(id, o).await?;
    } else if broker {
        st.store.mark_broker_read(id).await?;
    }
    let side = side(ctx, &d);
    let accepted_mine = match side {
        "from" => d.from_accepted_at.is_some(),
        "to" => d.to_accepted_at.is_some(),
        _ => false,
    };
    let may_answer = match d.stage {
        DockingStage::Requested => side == "to",
        DockingStage::Introduced => party && !accepted_mine,
        _ => false,
    };
    Ok(Detail {
        may_answer,
        may_withdraw: (side == "from" && d.stage == DockingStage::Requested)
            || (broker && d.stage == DockingStage::Introduced),
        next: if party {
            d.stage.next().into_iter().map(|s| s.code()).collect()
        } else {
            Vec::new()
        },
        may_write: (party || broker) && d.stage.is_open(),
        stalled: stalled(&d, st.clock.now()),
        side,
        party,
        broker,
        staff_reads,
        accepted_mine,
        contact,
        terms_first,
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

/// What a broker brought about: its introductions by stage, and the contracts it is credited
/// on. Every signed-in user sees the figures (counts, and the amounts of registered contracts);
/// the broker itself and staff also see the dockings and contracts one by one.
#[derive(Serialize)]
pub struct BrokerPage {
    pub id: i64,
    pub name: String,
    /// `(stage code, dockings)`, in the life cycle's order, stages with none left out.
    pub by_stage: Vec<(&'static str, i64)>,
    pub introduced: i64,
    /// Introductions both sides accepted (negotiating or further).
    pub accepted: i64,
    pub registered: i64,
    pub total_fen: i64,
    pub transaction_fen: i64,
    /// The caller sees the dockings and contracts one by one.
    pub full: bool,
    pub dockings: Vec<Item>,
    pub contracts: Vec<duijie_store::contract::ContractRow>,
}

pub async fn broker_page(st: &App, ctx: &Caller, id: i64) -> Result<BrokerPage, AppError> {
    broker(st, ctx, id, true).await
}

/// A broker's figures, and — with `lists`, when the caller may see them — its dockings and
/// contracts one by one.
async fn broker(st: &App, ctx: &Caller, id: i64, lists: bool) -> Result<BrokerPage, AppError> {
    let (me, _) = ctx.require_user()?;
    let b = st.store.user(id).await?;
    if b.role != Role::Broker {
        return Err(AppError::NotFound);
    }
    let full = lists && (me.id == id || ctx.is_staff());
    let now = st.clock.now();
    let rows = st.store.brokered_dockings(id).await?;
    let by_stage = DockingStage::ALL
        .iter()
        .map(|s| {
            (
                s.code(),
                rows.iter().filter(|d| d.stage == *s).count() as i64,
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let contracts = st
        .store
        .contracts(&duijie_store::contract::ContractFilter {
            broker: Some(id),
            ..Default::default()
        })
        .await?;
    let registered: Vec<_> = contracts
        .iter()
        .filter(|c| c.status == duijie_domain::contract::ContractStatus::Registered)
        .collect();
    Ok(BrokerPage {
        id,
        name: b.display_name,
        by_stage,
        introduced: rows.len() as i64,
        accepted: rows.iter().filter(|d| d.stage.accepted()).count() as i64,
        registered: registered.len() as i64,
        total_fen: registered.iter().map(|c| c.total_fen).sum(),
        transaction_fen: registered.iter().map(|c| c.transaction_fen).sum(),
        dockings: if full {
            let unread: HashMap<i64, i64> = if me.id == id {
                st.store.broker_unread(id).await?.into_iter().collect()
            } else {
                HashMap::new()
            };
            rows.into_iter()
                .map(|mut d| {
                    if me.id != id {
                        d.message.clear();
                    }
                    Item {
                        unread: unread.get(&d.id).copied().unwrap_or(0),
                        stalled: stalled(&d, now),
                        side: if me.id == id { "broker" } else { "" },
                        d,
                    }
                })
                .collect()
        } else {
            Vec::new()
        },
        contracts: if full { contracts } else { Vec::new() },
        full,
    })
}

/// The platform's brokers, each with its figures, most registered transaction amount first.
pub async fn brokers(st: &App, ctx: &Caller) -> Result<Vec<BrokerPage>, AppError> {
    let mut out = Vec::new();
    for (id, _) in st.store.users_with_roles(&[Role::Broker.code()]).await? {
        out.push(broker(st, ctx, id, false).await?);
    }
    out.sort_by(|a, b| {
        b.transaction_fen
            .cmp(&a.transaction_fen)
            .then(a.id.cmp(&b.id))
    });
    Ok(out)
}

/// What the introduction form shows: the scenario and achievement it names, when they exist
/// and are published (titles and organisations), so the broker sees whom it introduces.
#[derive(Serialize, Default)]
pub struct IntroductionDraft {
    pub scenario: Option<(i64, String, String, String, String)>,
    pub achievement: Option<(i64, String, String, String, String)>,
}

pub async fn introduction_draft(
    st: &App,
    ctx: &Caller,
    scenario: Option<i64>,
    achievement: Option<i64>,
) -> Result<IntroductionDraft, AppError> {
    let (_, actor) = ctx.require_user()?;
    if actor.role != Role::Broker {
        return Err(AppError::Forbidden);
    }
    let mut d = IntroductionDraft::default();
    if let Some(id) = scenario {
        if let Ok((r, _, _)) = service::read::<Scenarios>(st, ctx, id).await {
            if r.status.is_public() {
                let o = st.store.organisation(r.org_id).await?;
                d.scenario = Some((id, r.title_zh, r.title_en, o.name_zh, o.name_en));
            }
        }
    }
    if let Some(id) = achievement {
        if let Ok((r, _, _)) = service::read::<Achievements>(st, ctx, id).await {
            if r.status.is_public() {
                let o = st.store.organisation(r.org_id).await?;
                d.achievement = Some((id, r.title_zh, r.title_en, o.name_zh, o.name_en));
            }
        }
    }
    Ok(d)
}
