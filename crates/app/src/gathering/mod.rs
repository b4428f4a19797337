//! Scenario Gatherings, between the pages and the store: who may do what, checking forms,
//! calling the scheduler, and the exports (Excel workbook, iCalendar).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use std::collections::HashSet;

use duijie_domain::gathering::{
    GatheringStatus, MeetingOutcome, MeetingRequestStatus, MeetingRequestStatus as Rs, Side,
};
use duijie_schedule as sched;
use duijie_store::gathering::{
    GatheringInput, GatheringRow, MeetingRow, ParticipantInput, ParticipantRow, RequestRow,
    ScheduleResult, SlotRow,
};

use crate::error::AppError;
use crate::form::FormData;
use crate::service::field_err;
use crate::App;
use crate::Caller;

/// Events are held in China Standard Time.
use duijie_domain::clock::beijing as cst;

mod actions;
mod export;
pub mod read;

pub use actions::*;
pub use export::*;

pub fn require_staff(ctx: &Caller) -> Result<(), AppError> {
    ctx.require_user()?;
    if ctx.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The new-event form: title, venue, the day, and a slot pattern (first start, length, count,
/// a break after every n slots, tables).
pub fn parse_gathering(form: &FormData) -> Result<GatheringInput, AppError> {
    let title_zh = form.text("title_zh", 200, true)?;
    let title_en = form.text("title_en", 200, false)?;
    let day = NaiveDate::parse_from_str(form.get("date").unwrap_or("").trim(), "%Y-%m-%d")
        .map_err(|_| {
            field_err(
                "date",
                "must be a date like 2026-05-20",
                "须为日期，如 2026-05-20",
            )
        })?;
    let first = NaiveTime::parse_from_str(form.get("first_start").unwrap_or("").trim(), "%H:%M")
        .map_err(|_| {
            field_err(
                "first_start",
                "must be a time like 09:00",
                "须为时间，如 09:00",
            )
        })?;
    let closes = match form
        .get("registration_closes")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            field_err(
                "registration_closes",
                "must be a date like 2026-05-18",
                "须为日期，如 2026-05-18",
            )
        })?,
        None => day,
    };
    if closes > day {
        return Err(field_err(
            "registration_closes",
            "must not be after the event day",
            "不得晚于活动日期",
        ));
    }
    let minutes = form.number("slot_minutes", 5..=240, Some(20))?;
    let count = form.number("slot_count", 1..=48, Some(12))?;
    let break_every = form.number("break_every", 0..=48, Some(0))?;
    let break_minutes = form.number("break_minutes", 0..=240, Some(0))?;
    let rooms = parse_rooms(form.get("rooms").unwrap_or(""))?;
    let tables = if rooms.is_empty() {
        form.number("tables", 1..=2000, Some(20))?
    } else {
        rooms.iter().map(|(_, n)| n).sum()
    };
    let start = cst()
        .from_local_datetime(&day.and_time(first))
        .single()
        .ok_or_else(|| field_err("first_start", "is not a valid time", "时间无效"))?;
    let mut slots = Vec::new();
    let mut at = start;
    for i in 0..count {
        slots.push((at.to_rfc3339(), minutes, tables));
        at += Duration::minutes(minutes);
        if break_every > 0 && (i + 1) % break_every == 0 {
            at += Duration::minutes(break_minutes);
        }
    }
    if at.date_naive() != day {
        return Err(field_err(
            "slot_count",
            "the slots run past midnight",
            "时段超出当天",
        ));
    }
    let scenario_ids = form
        .0
        .iter()
        .filter(|(k, _)| k == "scenario")
        .map(|(_, v)| {
            v.parse::<i64>()
                .map_err(|_| field_err("scenario", "not a scenario id", "不是场景编号"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(GatheringInput {
        title_en: if title_en.is_empty() {
            title_zh.clone()
        } else {
            title_en
        },
        title_zh,
        venue: form.text("venue", 200, false)?,
        rooms: rooms
            .iter()
            .map(|(name, n)| format!("{name}:{n}"))
            .collect::<Vec<_>>()
            .join(","),
        intro_zh: form.text("intro_zh", 5000, false)?,
        intro_en: form.text("intro_en", 5000, false)?,
        registration_closes: closes.format("%Y-%m-%d").to_string(),
        slots,
        scenario_ids,
    })
}

/// `一号厅:12, 二号厅:8` (full-width punctuation too): rooms in order with their tables.
pub fn parse_rooms(text: &str) -> Result<Vec<(String, i64)>, AppError> {
    let bad = |part: &str| {
        field_err(
            "rooms",
            &format!("\"{part}\" is not room:tables, e.g. Hall A:10"),
            &format!("“{part}”不是“会场:桌数”的形式，如 一号厅:10"),
        )
    };
    let mut rooms = Vec::new();
    for part in text
        .split([',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (name, count) = part.rsplit_once([':', '：']).ok_or_else(|| bad(part))?;
        let count: i64 = count.trim().parse().map_err(|_| bad(part))?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 50 || !(1..=500).contains(&count) {
            return Err(bad(part));
        }
        rooms.push((name.to_string(), count));
    }
    if rooms.iter().map(|(_, n)| n).sum::<i64>() > 2000 {
        return Err(field_err(
            "rooms",
            "at most 2000 tables in all",
            "总桌数不超过 2000",
        ));
    }
    Ok(rooms)
}

/// Where table `n` (numbered across the rooms in order) is: `一号厅 3 号桌` / `Hall A, table 3`.
pub fn table_label(rooms: &str, n: i64, en: bool) -> String {
    let mut first = 1;
    for room in rooms.split(',').filter(|r| !r.is_empty()) {
        let Some((name, count)) = room.rsplit_once(':') else {
            continue;
        };
        let count: i64 = count.parse().unwrap_or(0);
        if n < first + count {
            let local = n - first + 1;
            return if en {
                format!("{name}, table {local}")
            } else {
                format!("{name} {local} 号桌")
            };
        }
        first += count;
    }
    if en {
        format!("Table {n}")
    } else {
        format!("{n} 号桌")
    }
}

pub fn parse_participant(form: &FormData) -> Result<(String, String, String, Side), AppError> {
    let name = form.text("name", 100, true)?;
    let title = form.text("title", 100, false)?;
    let email = form.text("email", 200, true)?.to_lowercase();
    if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return Err(field_err(
            "email",
            "is not an e-mail address",
            "不是有效的邮箱地址",
        ));
    }
    let Some(side) = Side::from_code(form.get("side").unwrap_or("")) else {
        return Err(field_err(
            "side",
            "must be demand or supply",
            "须为需求方或供给方",
        ));
    };
    Ok((name, title, email, side))
}

pub fn parse_priority(form: &FormData) -> Result<i64, AppError> {
    form.number("priority", 1..=5, Some(3))
}

pub fn parse_message(form: &FormData) -> Result<String, AppError> {
    form.text("message", 1000, false)
}

/// Of an event's requests and meetings, those the caller may see: staff all, a member those of
/// their organisation, visitors none.
pub fn visible(
    ctx: &Caller,
    requests: Vec<RequestRow>,
    meetings: Vec<MeetingRow>,
) -> (Vec<RequestRow>, Vec<MeetingRow>) {
    if ctx.user.is_none() {
        return (Vec::new(), Vec::new());
    }
    let staff = ctx.is_staff();
    let org = ctx.member_org();
    let involved = |a: i64, b: i64| staff || org == Some(a) || org == Some(b);
    (
        requests
            .into_iter()
            .filter(|r| involved(r.from_org_id, r.to_org_id))
            .collect(),
        meetings
            .into_iter()
            .filter(|m| involved(m.from_org_id, m.to_org_id))
            .collect(),
    )
}

/// The scheduler's instance: accepted requests, with locked meetings and the current schedule.
pub fn instance(
    slots: &[SlotRow],
    people: &[ParticipantRow],
    requests: &[RequestRow],
    meetings: &[MeetingRow],
) -> sched::Input {
    sched::Input {
        slots: slots
            .iter()
            .map(|s| sched::Slot {
                id: s.id.to_string(),
                start: s.starts_at.clone(),
                minutes: s.minutes.max(1) as u32,
            })
            .collect(),
        tables: None,
        tables_per_slot: slots
            .iter()
            .map(|s| (s.id.to_string(), s.tables.max(0) as u32))
            .collect(),
        participants: people
            .iter()
            .map(|p| sched::Participant {
                id: p.id.to_string(),
                side: Some(p.side.code().to_string()),
                unavailable: p.unavailable_ids().iter().map(i64::to_string).collect(),
            })
            .collect(),
        requests: requests
            .iter()
            .filter(|r| r.status == MeetingRequestStatus::Accepted)
            .map(|r| sched::Request {
                id: r.id.to_string(),
                from: r.from_id.to_string(),
                to: r.to_id.to_string(),
                weight: r.priority.clamp(1, 5) as u32,
            })
            .collect(),
        locked: meetings
            .iter()
            .filter(|m| m.locked != 0)
            .map(placement)
            .collect(),
        previous: meetings
            .iter()
            .filter(|m| m.locked == 0)
            .map(placement)
            .collect(),
    }
}

fn placement(m: &MeetingRow) -> sched::Placement {
    sched::Placement {
        request: m.request_id.to_string(),
        slot: m.slot_id.to_string(),
        table: Some(m.table_no as u32),
    }
}

/// Schedule (or re-schedule) an event and store the result. Returns the scheduler's output.
pub async fn run_schedule(st: &App, ctx: &Caller, id: i64) -> Result<sched::Output, AppError> {
    st.store.gathering(id).await?;
    require_staff(ctx)?;
    let slots = st.store.gathering_slots(id).await?;
    let people = st.store.participants(id).await?;
    let requests = st.store.requests(id).await?;
    let meetings = st.store.meetings(id).await?;
    let input = instance(&slots, &people, &requests, &meetings);
    let output = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let mut out = sched::schedule(&input, &sched::Options::default())?;
        out.seconds = started.elapsed().as_secs_f64();
        let wrong = sched::check(&input, &out);
        Ok::<_, sched::InputError>((out, wrong))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let (output, wrong) =
        output.map_err(|e| AppError::BadRequest(format!("The schedule cannot be made: {e}")))?;
    if !wrong.is_empty() {
        return Err(AppError::Internal(format!(
            "scheduler broke rules: {}",
            wrong.join("; ")
        )));
    }
    let id_of = |s: &str| s.parse::<i64>().unwrap_or_default();
    let result = ScheduleResult {
        meetings: output
            .meetings
            .iter()
            .map(|m| (id_of(&m.request), id_of(&m.slot), i64::from(m.table)))
            .collect(),
        unscheduled: output
            .unscheduled
            .iter()
            .map(|u| (id_of(&u.request), u.reason.clone()))
            .collect(),
        report: serde_json::json!({
            "value": output.value, "upper_bound": output.upper_bound, "gap": output.gap,
            "optimal": output.optimal, "seconds": output.seconds, "idle_gaps": output.idle_gaps,
            "without_meeting": output.without_meeting.len(), "moved": output.moved,
            "meetings": output.meetings.len(), "unscheduled": output.unscheduled.len(),
        })
        .to_string(),
    };
    st.store.save_schedule(&ctx.audit()?, id, &result).await?;
    Ok(output)
}

fn local(rfc3339: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.with_timezone(&cst()))
}

/// `HH:MM–HH:MM` of a slot in event time.
pub fn slot_label(starts_at: &str, minutes: i64) -> String {
    match local(starts_at) {
        Some(t) => format!(
            "{}–{}",
            t.format("%H:%M"),
            (t + Duration::minutes(minutes)).format("%H:%M")
        ),
        None => starts_at.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::export::{fold, ics_text};
    use super::*;

    #[test]
    fn ics_lines_are_escaped_and_folded_within_75_octets() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "对接洽谈".repeat(20));
        let folded = fold(&long);
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }

    #[test]
    fn rooms_number_tables_in_order_and_bad_rooms_are_named() {
        let rooms = parse_rooms("一号厅：2， Hall B:3").expect("valid");
        assert_eq!(
            rooms,
            [("一号厅".to_string(), 2), ("Hall B".to_string(), 3)]
        );
        let text = "一号厅:2,Hall B:3";
        assert_eq!(table_label(text, 2, false), "一号厅 2 号桌");
        assert_eq!(table_label(text, 3, true), "Hall B, table 1");
        assert_eq!(table_label("", 7, true), "Table 7");
        for bad in ["大厅", "大厅:0", ":3", "大厅:x"] {
            let err = parse_rooms(bad).expect_err(bad).message("en");
            assert!(err.starts_with("rooms:"), "{err}");
        }
    }

    #[test]
    fn the_slot_pattern_makes_slots_with_breaks() {
        let form = FormData(
            [
                ("title_zh", "场景汇"),
                ("date", "2026-05-20"),
                ("first_start", "09:00"),
                ("slot_minutes", "20"),
                ("slot_count", "4"),
                ("break_every", "2"),
                ("break_minutes", "10"),
                ("tables", "8"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        );
        let g = parse_gathering(&form).expect("valid");
        let starts: Vec<String> = g.slots.iter().map(|s| slot_label(&s.0, s.1)).collect();
        assert_eq!(
            starts,
            ["09:00–09:20", "09:20–09:40", "09:50–10:10", "10:10–10:30"]
        );
        assert_eq!(g.title_en, "场景汇");
        let mut bad = form.clone();
        bad.0
            .push(("registration_closes".into(), "2026-06-01".into()));
        assert!(parse_gathering(&bad).is_err());
    }
}
