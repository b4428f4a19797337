//! What organisers and participants take away: iCalendar files and the Excel workbook.

use super::*;

/// Escape a text value for iCalendar (RFC 5545 §3.3.11).
pub(super) fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Fold content lines at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character.
pub(super) fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// A participant's meetings as an iCalendar file.
pub fn ics(
    g: &GatheringRow,
    me: &ParticipantRow,
    meetings: &[MeetingRow],
    host: &str,
    en: bool,
) -> String {
    let utc = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .map(|t| {
                t.with_timezone(&chrono::Utc)
                    .format("%Y%m%dT%H%M%SZ")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//duijie//Scenario Gathering//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        out.push_str(&fold(line));
    }
    let title = if en { &g.title_en } else { &g.title_zh };
    for m in meetings
        .iter()
        .filter(|m| m.from_id == me.id || m.to_id == me.id)
    {
        let (other, other_org) = if m.from_id == me.id {
            (&m.to_name, if en { &m.to_org_en } else { &m.to_org_zh })
        } else {
            (
                &m.from_name,
                if en { &m.from_org_en } else { &m.from_org_zh },
            )
        };
        let end = DateTime::parse_from_rfc3339(&m.starts_at)
            .map(|t| (t + Duration::minutes(m.minutes)).to_rfc3339())
            .unwrap_or_default();
        let summary = if en {
            format!("Meeting: {other} ({other_org})")
        } else {
            format!("对接洽谈：{other}（{other_org}）")
        };
        let where_ = table_label(&g.rooms, m.table_no, en);
        let table = if en {
            format!("{title}, {}, {where_}", g.venue)
        } else {
            format!("{title}，{}，{where_}", g.venue)
        };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:meeting-{}-{}@{}", m.id, me.id, ics_text(host)),
            format!(
                "DTSTAMP:{}",
                utc(g.scheduled_at.as_deref().unwrap_or(&g.created_at))
            ),
            format!("DTSTART:{}", utc(&m.starts_at)),
            format!("DTEND:{}", utc(&end)),
            format!("SUMMARY:{}", ics_text(&summary)),
            format!("LOCATION:{}", ics_text(&table)),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

/// The schedule, the requests and the outcomes as a workbook.
pub fn workbook(
    rooms: &str,
    slots: &[SlotRow],
    meetings: &[MeetingRow],
    requests: &[RequestRow],
    en: bool,
) -> Result<Vec<u8>, AppError> {
    use duijie_tabular::Table;
    let pick = |zh: &str, e: &str| if en { e.to_string() } else { zh.to_string() };
    let headers =
        |cols: &[(&str, &str)]| cols.iter().map(|(zh, e)| pick(zh, e)).collect::<Vec<_>>();
    let schedule = Table {
        headers: headers(&[
            ("时段", "Slot"),
            ("桌号", "Table"),
            ("发起方", "Requester"),
            ("发起机构", "Requester organisation"),
            ("受邀方", "Invitee"),
            ("受邀机构", "Invitee organisation"),
            ("优先级", "Priority"),
            ("锁定", "Locked"),
            ("发起方结果", "Outcome (requester)"),
            ("受邀方结果", "Outcome (invitee)"),
        ]),
        rows: meetings
            .iter()
            .map(|m| {
                vec![
                    slot_label(&m.starts_at, m.minutes),
                    table_label(rooms, m.table_no, en),
                    m.from_name.clone(),
                    pick(&m.from_org_zh, &m.from_org_en),
                    m.to_name.clone(),
                    pick(&m.to_org_zh, &m.to_org_en),
                    m.priority.to_string(),
                    if m.locked != 0 {
                        "✓".into()
                    } else {
                        String::new()
                    },
                    m.outcome_from.clone().unwrap_or_default(),
                    m.outcome_to.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    };
    // The organiser's grid: one row per slot, one column per table.
    let most = slots.iter().map(|s| s.tables).max().unwrap_or(0);
    let mut grid_headers = vec![pick("时段", "Slot")];
    grid_headers.extend((1..=most).map(|t| table_label(rooms, t, en)));
    let grid = Table {
        headers: grid_headers,
        rows: slots
            .iter()
            .map(|s| {
                let mut row = vec![slot_label(&s.starts_at, s.minutes)];
                row.extend((1..=most).map(|t| {
                    meetings
                        .iter()
                        .find(|m| m.slot_id == s.id && m.table_no == t)
                        .map(|m| format!("{} × {}", m.from_name, m.to_name))
                        .unwrap_or_default()
                }));
                row
            })
            .collect(),
    };
    let requests = Table {
        headers: headers(&[
            ("发起方", "Requester"),
            ("发起机构", "Requester organisation"),
            ("受邀方", "Invitee"),
            ("受邀机构", "Invitee organisation"),
            ("优先级", "Priority"),
            ("状态", "Status"),
            ("未排原因", "Why not scheduled"),
            ("留言", "Message"),
        ]),
        rows: requests
            .iter()
            .map(|r| {
                vec![
                    r.from_name.clone(),
                    pick(&r.from_org_zh, &r.from_org_en),
                    r.to_name.clone(),
                    pick(&r.to_org_zh, &r.to_org_en),
                    r.priority.to_string(),
                    r.status.label().zh.to_string(),
                    r.reason.clone().unwrap_or_default(),
                    r.message.clone(),
                ]
            })
            .collect(),
    };
    duijie_tabular::xlsx_bytes(&[
        (&pick("日程", "Schedule"), &schedule),
        (&pick("桌位总表", "Grid"), &grid),
        (&pick("洽谈申请", "Requests"), &requests),
    ])
    .map_err(|e| AppError::Internal(e.to_string()))
}
