//! What each caller may read of a Scenario Gathering: the list, the event page (participants,
//! the requests and meetings the caller may see, public outcome counts, suggested partners from
//! the matching engine), the organiser's grid, a participant's agenda and the workbook.

use std::collections::{HashMap, HashSet};

use duijie_domain::gathering::{MeetingOutcome, MeetingRequestStatus as Rs, Side};
use duijie_search::DocKind;
use duijie_store::gathering::{
    GatheringRow, MeetingRow, OfferedScenario, ParticipantRow, RequestRow,
};
use serde::Serialize;
use serde_json::{json, Value};

use super::{participant_of, require_staff, slot_label, table_label, visible};
use crate::matching::{matches, Source};
use crate::{App, AppError, Caller};

pub async fn list(st: &App) -> Result<Vec<GatheringRow>, AppError> {
    Ok(st.store.gatherings().await?)
}

/// A suggested partner for one of my participants, from the matching engine.
#[derive(Serialize)]
pub struct Suggestion {
    pub from: i64,
    pub from_name: String,
    pub to: i64,
    pub to_name: String,
    pub org_zh: String,
    pub org_en: String,
    pub score: u32,
    pub scenario_zh: String,
    pub scenario_en: String,
    pub achievement_zh: String,
    pub achievement_en: String,
}

/// For each scenario on offer, its best achievements; a demand participant is pointed to the
/// supply participants of organisations holding achievements that fit its organisation's
/// scenarios, and the other way round.
async fn suggestions(
    st: &App,
    offered: &[OfferedScenario],
    mine: &[&ParticipantRow],
    people: &[ParticipantRow],
    requested: &HashSet<(i64, i64)>,
) -> Vec<Suggestion> {
    if mine.is_empty() {
        return Vec::new();
    }
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
pub struct MeetingView {
    #[serde(flatten)]
    pub m: MeetingRow,
    pub time: String,
    pub table: String,
    /// Which side the viewer may record: "from", "to", "both" or "".
    pub mine: &'static str,
}

#[derive(Serialize)]
pub struct SlotView {
    pub id: i64,
    pub time: String,
    pub tables: i64,
}

#[derive(Serialize)]
pub struct OrgChoice {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
}

/// Everything the event page shows the caller.
#[derive(Serialize)]
pub struct Detail {
    pub g: GatheringRow,
    /// The event's day (from its first slot).
    pub day: Option<String>,
    pub slots: Vec<SlotView>,
    pub offered: Vec<OfferedScenario>,
    pub people: Vec<ParticipantRow>,
    /// The caller's organisation's participants.
    pub mine: Vec<ParticipantRow>,
    pub requests: Vec<RequestRow>,
    pub meetings: Vec<MeetingView>,
    pub suggestions: Vec<Suggestion>,
    /// (outcome code, meetings that reached it), in pipeline order.
    pub outcomes: Vec<(&'static str, i64)>,
    pub report: Option<Value>,
    /// Organisations staff may register people for.
    pub orgs: Vec<OrgChoice>,
    pub my_org: Option<i64>,
    pub may_register: bool,
}

pub async fn detail(st: &App, ctx: &Caller, id: i64) -> Result<Detail, AppError> {
    let gathering = st.store.gathering(id).await?;
    let slots = st.store.gathering_slots(id).await?;
    let offered = st.store.gathering_scenarios(id).await?;
    let people = st.store.participants(id).await?;
    let staff = ctx.is_staff();
    let my_org = ctx.member_org();
    let mine: Vec<&ParticipantRow> = people.iter().filter(|p| Some(p.org_id) == my_org).collect();
    let all_meetings = st.store.meetings(id).await?;
    // Outcome counts are public: they are the event's result. A meeting counts once, at the
    // furthest step either side reported (ALL is in pipeline order).
    let mut outcomes: Vec<(&'static str, i64)> =
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
        st.store.requests(id).await?
    } else {
        Vec::new()
    };
    let (requests, meetings) = visible(ctx, all_requests, all_meetings);
    let en = ctx.lang == "en";
    let meeting_views: Vec<MeetingView> = meetings
        .into_iter()
        .map(|m| {
            let (a, b) = (ctx.acts_for(m.from_org_id), ctx.acts_for(m.to_org_id));
            let mine = match (a, b) {
                (true, true) => "both",
                (true, false) => "from",
                (false, true) => "to",
                _ => "",
            };
            MeetingView {
                table: table_label(&gathering.rooms, m.table_no, en),
                time: slot_label(&m.starts_at, m.minutes),
                mine,
                m,
            }
        })
        .collect();
    let requested: HashSet<(i64, i64)> = requests
        .iter()
        .filter(|r| r.status != Rs::Cancelled)
        .map(|r| (r.from_id.min(r.to_id), r.from_id.max(r.to_id)))
        .collect();
    let suggested = suggestions(st, &offered, &mine, &people, &requested).await;
    let report: Option<Value> = gathering
        .schedule_report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    let slot_views = slots
        .iter()
        .map(|s| SlotView {
            id: s.id,
            time: slot_label(&s.starts_at, s.minutes),
            tables: s.tables,
        })
        .collect();
    let orgs = if staff {
        let (rows, _) = st
            .store
            .organisations(
                &Default::default(),
                duijie_store::Page::new(None, Some(100)),
            )
            .await?;
        rows.into_iter()
            .map(|o| OrgChoice {
                id: o.id,
                name_zh: o.name_zh,
                name_en: o.name_en,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mine: Vec<ParticipantRow> = mine.into_iter().cloned().collect();
    Ok(Detail {
        day: slots.first().map(|s| s.starts_at[..10].to_string()),
        g: gathering,
        slots: slot_views,
        offered,
        people,
        mine,
        requests,
        meetings: meeting_views,
        suggestions: suggested,
        outcomes,
        report,
        orgs,
        my_org,
        may_register: staff || my_org.is_some(),
    })
}

/// One event as JSON: slots, participants (contact e-mails only for the organisers and the
/// participant's own organisation), the requests and meetings the caller may see, the report.
pub async fn api_detail(st: &App, ctx: &Caller, id: i64) -> Result<Value, AppError> {
    let gathering = st.store.gathering(id).await?;
    let slots = st.store.gathering_slots(id).await?;
    let people: Vec<Value> = st
        .store
        .participants(id)
        .await?
        .into_iter()
        .map(|p| {
            let email = ctx.acts_for(p.org_id).then(|| p.email.clone());
            json!({
                "id": p.id, "name": p.name, "title": p.title, "side": p.side, "org_id": p.org_id,
                "org_name_zh": p.org_name_zh, "org_name_en": p.org_name_en,
                "unavailable": p.unavailable_ids(), "email": email,
            })
        })
        .collect();
    let (requests, meetings) = visible(
        ctx,
        st.store.requests(id).await?,
        st.store.meetings(id).await?,
    );
    let report: Option<Value> = gathering
        .schedule_report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    Ok(json!({
        "gathering": gathering, "slots": slots, "participants": people,
        "requests": requests, "meetings": meetings, "report": report,
    }))
}

#[derive(Serialize)]
pub struct GridRow {
    pub time: String,
    /// Per table number from 1, the meeting there (if any).
    pub cells: Vec<Option<MeetingRow>>,
    pub tables: i64,
}

/// Slots × tables, for the organiser: the event, its rows and the table labels.
pub async fn grid(
    st: &App,
    ctx: &Caller,
    id: i64,
) -> Result<(GatheringRow, Vec<GridRow>, Vec<String>), AppError> {
    require_staff(ctx)?;
    let gathering = st.store.gathering(id).await?;
    let slots = st.store.gathering_slots(id).await?;
    let meetings = st.store.meetings(id).await?;
    let most = slots.iter().map(|s| s.tables).max().unwrap_or(0);
    let rows = slots
        .iter()
        .map(|s| GridRow {
            time: slot_label(&s.starts_at, s.minutes),
            cells: (1..=most)
                .map(|t| {
                    meetings
                        .iter()
                        .find(|m| m.slot_id == s.id && m.table_no == t)
                        .cloned()
                })
                .collect(),
            tables: s.tables,
        })
        .collect();
    let labels = (1..=most)
        .map(|t| table_label(&gathering.rooms, t, ctx.lang == "en"))
        .collect();
    Ok((gathering, rows, labels))
}

/// One participant's day: the event, the participant and their meetings (the participant's
/// organisation and staff).
pub async fn agenda(
    st: &App,
    ctx: &Caller,
    id: i64,
    pid: i64,
) -> Result<(GatheringRow, ParticipantRow, Vec<MeetingRow>), AppError> {
    ctx.require_user()?;
    let p = participant_of(st, id, pid).await?;
    if !ctx.acts_for(p.org_id) {
        return Err(AppError::Forbidden);
    }
    let gathering = st.store.gathering(id).await?;
    let meetings = st
        .store
        .meetings(id)
        .await?
        .into_iter()
        .filter(|m| m.from_id == pid || m.to_id == pid)
        .collect();
    Ok((gathering, p, meetings))
}

/// The organiser's workbook of the event.
pub async fn workbook(st: &App, ctx: &Caller, id: i64) -> Result<Vec<u8>, AppError> {
    require_staff(ctx)?;
    let slots = st.store.gathering_slots(id).await?;
    let meetings = st.store.meetings(id).await?;
    let requests = st.store.requests(id).await?;
    let gathering = st.store.gathering(id).await?;
    super::workbook(
        &gathering.rooms,
        &slots,
        &meetings,
        &requests,
        ctx.lang == "en",
    )
}
