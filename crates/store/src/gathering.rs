//! Scenario Gatherings: events, their slots, participants, meeting requests, the meeting
//! schedule and the outcomes of meetings. The schedule itself is computed by the pure
//! `duijie-schedule` crate; this module stores what it decided, in one transaction.

use duijie_domain::gathering::{GatheringStatus, MeetingRequestStatus, Side};
use serde::Serialize;
use sqlx::{AnyConnection, FromRow};

use crate::{conflict_on, now, Audit, Result, Store, StoreError};

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct GatheringRow {
    pub id: i64,
    pub title_zh: String,
    pub title_en: String,
    pub venue: String,
    /// Rooms and their tables, `name:count` separated by commas (tables are numbered across
    /// rooms in this order); empty for one unnamed room.
    pub rooms: String,
    pub intro_zh: String,
    pub intro_en: String,
    pub registration_closes: String,
    #[sqlx(try_from = "String")]
    pub status: GatheringStatus,
    pub schedule_report: Option<String>,
    pub scheduled_at: Option<String>,
    pub created_at: String,
    pub participants: i64,
    pub slots: i64,
    pub meetings: i64,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct SlotRow {
    pub id: i64,
    pub starts_at: String,
    pub minutes: i64,
    pub tables: i64,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct OfferedScenario {
    pub id: i64,
    pub title_zh: String,
    pub title_en: String,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ParticipantRow {
    pub id: i64,
    pub gathering_id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub name: String,
    pub title: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub side: Side,
    /// The slots the participant cannot attend (table `participant_unavailable`).
    #[sqlx(skip)]
    pub unavailable: Vec<i64>,
}

impl ParticipantRow {
    pub fn unavailable_ids(&self) -> Vec<i64> {
        self.unavailable.clone()
    }
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct RequestRow {
    pub id: i64,
    pub gathering_id: i64,
    pub from_id: i64,
    pub from_name: String,
    pub from_org_id: i64,
    pub from_org_zh: String,
    pub from_org_en: String,
    pub to_id: i64,
    pub to_name: String,
    pub to_org_id: i64,
    pub to_org_zh: String,
    pub to_org_en: String,
    pub priority: i64,
    pub message: String,
    #[sqlx(try_from = "String")]
    pub status: MeetingRequestStatus,
    /// Why the scheduler could not place an accepted request.
    pub reason: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct MeetingRow {
    pub id: i64,
    pub gathering_id: i64,
    pub request_id: i64,
    pub slot_id: i64,
    pub starts_at: String,
    pub minutes: i64,
    pub table_no: i64,
    pub locked: i64,
    pub priority: i64,
    pub from_id: i64,
    pub from_name: String,
    pub from_org_id: i64,
    pub from_org_zh: String,
    pub from_org_en: String,
    pub to_id: i64,
    pub to_name: String,
    pub to_org_id: i64,
    pub to_org_zh: String,
    pub to_org_en: String,
    pub outcome_from: Option<String>,
    pub outcome_to: Option<String>,
}

/// A new event with its slots.
#[derive(Debug, Clone)]
pub struct GatheringInput {
    pub title_zh: String,
    pub title_en: String,
    pub venue: String,
    pub rooms: String,
    pub intro_zh: String,
    pub intro_en: String,
    /// `YYYY-MM-DD`.
    pub registration_closes: String,
    /// (RFC 3339 start, minutes, tables).
    pub slots: Vec<(String, i64, i64)>,
    pub scenario_ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct ParticipantInput {
    pub org_id: i64,
    pub name: String,
    pub title: String,
    pub email: String,
    pub side: Side,
}

/// What the scheduler decided, to be stored.
#[derive(Debug, Clone, Default)]
pub struct ScheduleResult {
    /// (request id, slot id, table).
    pub meetings: Vec<(i64, i64, i64)>,
    /// (request id, reason).
    pub unscheduled: Vec<(i64, String)>,
    /// JSON: value, bound, gap, seconds, …
    pub report: String,
}

const GATHERING_COLS: &str =
    "g.id, g.title_zh, g.title_en, g.venue, g.rooms, g.intro_zh, g.intro_en, \
    g.registration_closes, g.status, g.schedule_report, g.scheduled_at, g.created_at, \
    (SELECT COUNT(*) FROM participant p WHERE p.gathering_id = g.id) AS participants, \
    (SELECT COUNT(*) FROM gathering_slot s WHERE s.gathering_id = g.id) AS slots, \
    (SELECT COUNT(*) FROM meeting m WHERE m.gathering_id = g.id) AS meetings";

const PARTICIPANT_COLS: &str = "p.id, p.gathering_id, p.org_id, o.name_zh AS org_name_zh, \
    o.name_en AS org_name_en, p.name, p.title, p.email, p.side";

const REQUEST_SELECT: &str = "SELECT r.id, r.gathering_id, r.from_id, f.name AS from_name, \
    f.org_id AS from_org_id, fo.name_zh AS from_org_zh, fo.name_en AS from_org_en, \
    r.to_id, t.name AS to_name, t.org_id AS to_org_id, tor.name_zh AS to_org_zh, \
    tor.name_en AS to_org_en, r.priority, r.message, r.status, r.reason, r.created_at \
    FROM meeting_request r JOIN participant f ON f.id = r.from_id \
    JOIN organisation fo ON fo.id = f.org_id JOIN participant t ON t.id = r.to_id \
    JOIN organisation tor ON tor.id = t.org_id";

const MEETING_SELECT: &str =
    "SELECT m.id, m.gathering_id, m.request_id, m.slot_id, s.starts_at, s.minutes, \
    m.table_no, m.locked, r.priority, r.from_id, f.name AS from_name, f.org_id AS from_org_id, \
    fo.name_zh AS from_org_zh, fo.name_en AS from_org_en, r.to_id, t.name AS to_name, \
    t.org_id AS to_org_id, tor.name_zh AS to_org_zh, tor.name_en AS to_org_en, \
    m.outcome_from, m.outcome_to \
    FROM meeting m JOIN gathering_slot s ON s.id = m.slot_id \
    JOIN meeting_request r ON r.id = m.request_id \
    JOIN participant f ON f.id = r.from_id JOIN organisation fo ON fo.id = f.org_id \
    JOIN participant t ON t.id = r.to_id JOIN organisation tor ON tor.id = t.org_id";

fn pair_key(a: i64, b: i64) -> String {
    format!("{}-{}", a.min(b), a.max(b))
}

impl Store {
    pub async fn create_gathering(&self, audit: &Audit, i: &GatheringInput) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO gathering (title_zh, title_en, venue, intro_zh, intro_en, \
             registration_closes, status, created_by, created_at, updated_at, rooms) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8, $9) RETURNING id",
        )
        .bind(i.title_zh.as_str())
        .bind(i.title_en.as_str())
        .bind(i.venue.as_str())
        .bind(i.intro_zh.as_str())
        .bind(i.intro_en.as_str())
        .bind(i.registration_closes.as_str())
        .bind(audit.user_id)
        .bind(t.as_str())
        .bind(i.rooms.as_str())
        .fetch_one(&mut *tx)
        .await?;
        for (start, minutes, tables) in &i.slots {
            sqlx::query(
                "INSERT INTO gathering_slot (gathering_id, starts_at, minutes, tables) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(start.as_str())
            .bind(*minutes)
            .bind(*tables)
            .execute(&mut *tx)
            .await?;
        }
        for scenario in &i.scenario_ids {
            sqlx::query(
                "INSERT INTO gathering_scenario (gathering_id, scenario_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*scenario)
            .execute(&mut *tx)
            .await
            .map_err(conflict_on("scenario_ids"))?;
        }
        let detail = serde_json::json!({
            "title_zh": i.title_zh, "title_en": i.title_en, "venue": i.venue,
            "registration_closes": i.registration_closes, "slots": i.slots.len(),
            "scenario_ids": i.scenario_ids,
        });
        audit
            .record(&mut tx, "create", "gathering", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn gatherings(&self) -> Result<Vec<GatheringRow>> {
        let sql = format!("SELECT {GATHERING_COLS} FROM gathering g ORDER BY g.id DESC");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    pub async fn gathering(&self, id: i64) -> Result<GatheringRow> {
        let sql = format!("SELECT {GATHERING_COLS} FROM gathering g WHERE g.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn gathering_slots(&self, gathering_id: i64) -> Result<Vec<SlotRow>> {
        Ok(sqlx::query_as(
            "SELECT id, starts_at, minutes, tables FROM gathering_slot WHERE gathering_id = $1 ORDER BY starts_at, id",
        )
        .bind(gathering_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Published scenarios on offer at the event.
    pub async fn gathering_scenarios(&self, gathering_id: i64) -> Result<Vec<OfferedScenario>> {
        Ok(sqlx::query_as(
            "SELECT s.id, s.title_zh, s.title_en, s.org_id, o.name_zh AS org_name_zh, o.name_en AS org_name_en \
             FROM gathering_scenario gs JOIN scenario s ON s.id = gs.scenario_id \
             JOIN organisation o ON o.id = s.org_id WHERE gs.gathering_id = $1 AND s.status <> 'draft' ORDER BY s.id",
        )
        .bind(gathering_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn set_gathering_status(
        &self,
        audit: &Audit,
        id: i64,
        status: GatheringStatus,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old = gathering_status(&mut tx, id).await?;
        sqlx::query("UPDATE gathering SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.code())
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "status": [old, status] });
        audit
            .record(&mut tx, "update", "gathering", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_participant(
        &self,
        audit: &Audit,
        gathering_id: i64,
        i: &ParticipantInput,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        gathering_status(&mut tx, gathering_id).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO participant (gathering_id, org_id, name, title, email, side, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(gathering_id)
        .bind(i.org_id)
        .bind(i.name.as_str())
        .bind(i.title.as_str())
        .bind(i.email.as_str())
        .bind(i.side.code())
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_on("email"))?;
        let detail = serde_json::json!({
            "gathering_id": gathering_id, "org_id": i.org_id, "name": i.name, "side": i.side,
        });
        audit
            .record(&mut tx, "create", "participant", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn participants(&self, gathering_id: i64) -> Result<Vec<ParticipantRow>> {
        let sql = format!(
            "SELECT {PARTICIPANT_COLS} FROM participant p JOIN organisation o ON o.id = p.org_id \
             WHERE p.gathering_id = $1 ORDER BY p.side, o.name_zh, p.id"
        );
        let mut rows: Vec<ParticipantRow> = sqlx::query_as(&sql)
            .bind(gathering_id)
            .fetch_all(&self.pool)
            .await?;
        let mut blocked = self
            .linked_ids(
                "SELECT u.participant_id, u.slot_id FROM participant_unavailable u \
                 JOIN participant p ON p.id = u.participant_id WHERE p.gathering_id = $1 \
                 ORDER BY u.participant_id, u.slot_id",
                gathering_id,
            )
            .await?;
        for r in &mut rows {
            r.unavailable = blocked.remove(&r.id).unwrap_or_default();
        }
        Ok(rows)
    }

    pub async fn participant(&self, id: i64) -> Result<ParticipantRow> {
        let sql = format!(
            "SELECT {PARTICIPANT_COLS} FROM participant p JOIN organisation o ON o.id = p.org_id WHERE p.id = $1"
        );
        let mut row: ParticipantRow = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let slots: Vec<(i64,)> = sqlx::query_as(
            "SELECT slot_id FROM participant_unavailable WHERE participant_id = $1 ORDER BY slot_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        row.unavailable = slots.into_iter().map(|(s,)| s).collect();
        Ok(row)
    }

    /// Replace the slots a participant cannot attend.
    pub async fn set_unavailable(
        &self,
        audit: &Audit,
        participant_id: i64,
        slots: &[i64],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT gathering_id FROM participant WHERE id = $1")
                .bind(participant_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((gathering_id,)) = found else {
            return Err(StoreError::NotFound);
        };
        sqlx::query("DELETE FROM participant_unavailable WHERE participant_id = $1")
            .bind(participant_id)
            .execute(&mut *tx)
            .await?;
        let mut slots = slots.to_vec();
        slots.sort_unstable();
        slots.dedup();
        for s in &slots {
            let known: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM gathering_slot WHERE id = $1 AND gathering_id = $2")
                    .bind(*s)
                    .bind(gathering_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if known.is_none() {
                return Err(StoreError::Unknown {
                    field: "unavailable",
                });
            }
            sqlx::query(
                "INSERT INTO participant_unavailable (participant_id, slot_id) VALUES ($1, $2)",
            )
            .bind(participant_id)
            .bind(*s)
            .execute(&mut *tx)
            .await?;
        }
        let detail = serde_json::json!({ "unavailable": slots });
        audit
            .record(
                &mut tx,
                "update",
                "participant",
                Some(participant_id),
                detail,
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A meeting request; at most one per pair of participants (either direction).
    pub async fn create_request(
        &self,
        audit: &Audit,
        gathering_id: i64,
        from_id: i64,
        to_id: i64,
        priority: i64,
        message: &str,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO meeting_request (gathering_id, from_id, to_id, pair_key, priority, message, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id",
        )
        .bind(gathering_id)
        .bind(from_id)
        .bind(to_id)
        .bind(pair_key(from_id, to_id))
        .bind(priority)
        .bind(message)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_on("to"))?;
        let detail = serde_json::json!({ "from": from_id, "to": to_id, "priority": priority });
        audit
            .record(&mut tx, "create", "meeting_request", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn requests(&self, gathering_id: i64) -> Result<Vec<RequestRow>> {
        let sql = format!("{REQUEST_SELECT} WHERE r.gathering_id = $1 ORDER BY r.id");
        Ok(sqlx::query_as(&sql)
            .bind(gathering_id)
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn request(&self, id: i64) -> Result<RequestRow> {
        let sql = format!("{REQUEST_SELECT} WHERE r.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Accept, decline or cancel a request. Declining or cancelling drops its meeting.
    pub async fn set_request_status(
        &self,
        audit: &Audit,
        id: i64,
        status: MeetingRequestStatus,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: Option<(String,)> =
            sqlx::query_as("SELECT status FROM meeting_request WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let (old,) = old.ok_or(StoreError::NotFound)?;
        sqlx::query(
            "UPDATE meeting_request SET status = $1, decided_at = $2, reason = NULL WHERE id = $3",
        )
        .bind(status.code())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if status != MeetingRequestStatus::Accepted {
            sqlx::query("DELETE FROM meeting WHERE request_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({ "status": [old, status] });
        audit
            .record(&mut tx, "update", "meeting_request", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn meetings(&self, gathering_id: i64) -> Result<Vec<MeetingRow>> {
        let sql =
            format!("{MEETING_SELECT} WHERE m.gathering_id = $1 ORDER BY s.starts_at, m.table_no");
        Ok(sqlx::query_as(&sql)
            .bind(gathering_id)
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn meeting(&self, id: i64) -> Result<MeetingRow> {
        let sql = format!("{MEETING_SELECT} WHERE m.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Store a new schedule: meetings of requests no longer scheduled go, the others move (and
    /// keep their outcomes and locks), new ones are added; unscheduled requests get the reason.
    pub async fn save_schedule(
        &self,
        audit: &Audit,
        gathering_id: i64,
        s: &ScheduleResult,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        gathering_status(&mut tx, gathering_id).await?;
        let t = now();
        let existing: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, request_id, slot_id, table_no FROM meeting WHERE gathering_id = $1",
        )
        .bind(gathering_id)
        .fetch_all(&mut *tx)
        .await?;
        let (mut moved, mut added, mut dropped) = (0, 0, 0);
        for &(id, request, slot, table) in &existing {
            match s.meetings.iter().find(|m| m.0 == request) {
                Some(&(_, new_slot, new_table)) if (new_slot, new_table) != (slot, table) => {
                    moved += 1;
                    sqlx::query("UPDATE meeting SET slot_id = $1, table_no = $2, updated_at = $3 WHERE id = $4")
                        .bind(new_slot)
                        .bind(new_table)
                        .bind(t.as_str())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                Some(_) => {}
                None => {
                    dropped += 1;
                    sqlx::query("DELETE FROM meeting WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        for &(request, slot, table) in &s.meetings {
            if existing.iter().any(|e| e.1 == request) {
                continue;
            }
            added += 1;
            sqlx::query(
                "INSERT INTO meeting (gathering_id, request_id, slot_id, table_no, locked, updated_at) \
                 VALUES ($1, $2, $3, $4, 0, $5)",
            )
            .bind(gathering_id)
            .bind(request)
            .bind(slot)
            .bind(table)
            .bind(t.as_str())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE meeting_request SET reason = NULL WHERE gathering_id = $1")
            .bind(gathering_id)
            .execute(&mut *tx)
            .await?;
        for (request, reason) in &s.unscheduled {
            sqlx::query(
                "UPDATE meeting_request SET reason = $1 WHERE id = $2 AND gathering_id = $3",
            )
            .bind(reason.as_str())
            .bind(*request)
            .bind(gathering_id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE gathering SET status = 'scheduled', schedule_report = $1, scheduled_at = $2, updated_at = $2 WHERE id = $3",
        )
        .bind(s.report.as_str())
        .bind(t.as_str())
        .bind(gathering_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({
            "meetings": s.meetings.len(), "added": added, "moved": moved, "dropped": dropped,
            "unscheduled": s.unscheduled.len(),
        });
        audit
            .record(&mut tx, "schedule", "gathering", Some(gathering_id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_meeting_locked(&self, audit: &Audit, id: i64, locked: bool) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE meeting SET locked = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(locked))
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit
            .record(
                &mut tx,
                "update",
                "meeting",
                Some(id),
                serde_json::json!({ "locked": locked }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One side's outcome of a meeting (`requester`: the side that asked for it).
    pub async fn set_meeting_outcome(
        &self,
        audit: &Audit,
        id: i64,
        requester: bool,
        outcome: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let column = if requester {
            "outcome_from"
        } else {
            "outcome_to"
        };
        let done = sqlx::query(&format!(
            "UPDATE meeting SET {column} = $1, updated_at = $2 WHERE id = $3"
        ))
        .bind(outcome)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = serde_json::json!({ column: outcome });
        audit
            .record(&mut tx, "update", "meeting", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn gathering_status(conn: &mut AnyConnection, id: i64) -> Result<String> {
    let row: Option<(String,)> = sqlx::query_as("SELECT status FROM gathering WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| r.0).ok_or(StoreError::NotFound)
}
