//! Pilot-testing and concept-verification platforms, their services and capacity calendar,
//! service requests booked against the capacity, and one-stop support cases. A booking is
//! checked against the calendar inside its own write transaction, with the platform row locked
//! (PostgreSQL) or the database reserved for writing (SQLite), so concurrent bookings can never
//! overbook a day.

use chrono::NaiveDate;
use duijie_domain::pipeline::{
    CaseStage, PlatformKind, RequestStatus, ServiceKind, StepKind, StepStatus,
};
use duijie_pipeline::calendar::{Booking, Calendar};
use serde::Serialize;
use sqlx::FromRow;

use crate::{now, Audit, Backend, Result, Store, StoreError};

#[derive(Debug, Clone, Default, FromRow, Serialize)]
pub struct PlatformFields {
    #[sqlx(try_from = "String")]
    pub kind: PlatformKind,
    pub name_zh: String,
    pub name_en: String,
    pub region: String,
    pub chain: String,
    pub fields: String,
    pub equipment: String,
    pub certifications: String,
    pub intro: String,
    pub capacity: i64,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct PlatformRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub f: PlatformFields,
    /// Comma-separated kinds of the services offered.
    pub kinds: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ServiceRow {
    pub id: i64,
    pub platform_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ServiceKind,
    pub name_zh: String,
    pub name_en: String,
    pub price_min_fen: i64,
    pub price_max_fen: i64,
    pub lead_days: i64,
}

#[derive(Debug, Clone)]
pub struct ServiceInput {
    pub kind: ServiceKind,
    pub name_zh: String,
    pub name_en: String,
    pub price_min_fen: i64,
    pub price_max_fen: i64,
    pub lead_days: i64,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct RequestRow {
    pub id: i64,
    pub service_id: i64,
    pub service_zh: String,
    pub service_en: String,
    pub platform_id: i64,
    pub platform_zh: String,
    pub platform_org_id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub achievement_id: Option<i64>,
    pub days: i64,
    pub units: i64,
    pub wanted_from: String,
    pub note: String,
    #[sqlx(try_from = "String")]
    pub status: RequestStatus,
    pub start_day: String,
    pub end_day: String,
    pub result: String,
    pub report: String,
    pub next_step: String,
    pub reason: String,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct RequestInput {
    pub service_id: i64,
    pub achievement_id: Option<i64>,
    pub days: i64,
    pub units: i64,
    pub wanted_from: String,
    pub note: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub achievement_id: Option<i64>,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub stage: CaseStage,
    pub manager: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct StepRow {
    pub id: i64,
    pub case_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: StepKind,
    pub title: String,
    pub owner: String,
    pub due_day: String,
    #[sqlx(try_from = "String")]
    pub status: StepStatus,
    pub note: String,
    pub updated_at: String,
}

#[derive(Debug, Clone)]
pub struct StepInput {
    pub kind: StepKind,
    pub title: String,
    pub owner: String,
    pub due_day: String,
}

/// Statuses whose days are taken on the calendar.
const BOOKED: &str = "('scheduled', 'done')";

const PLATFORM_SELECT: &str = "SELECT p.id, p.org_id, o.name_zh AS org_name_zh, o.name_en AS org_name_en, \
    p.kind, p.name_zh, p.name_en, p.region, p.chain, p.fields, p.equipment, p.certifications, p.intro, \
    p.capacity, COALESCE((SELECT STRING_AGG(DISTINCT s.kind, ',') FROM platform_service s WHERE s.platform_id = p.id), '') AS kinds \
    FROM platform p JOIN organisation o ON o.id = p.org_id";

pub(crate) const REQUEST_SELECT: &str = "SELECT r.id, r.service_id, s.name_zh AS service_zh, s.name_en AS service_en, \
    r.platform_id, p.name_zh AS platform_zh, p.org_id AS platform_org_id, r.org_id, o.name_zh AS org_name_zh, \
    o.name_en AS org_name_en, r.achievement_id, r.days, r.units, r.wanted_from, r.note, r.status, \
    r.start_day, r.end_day, r.result, r.report, r.next_step, r.reason, r.created_at \
    FROM service_request r JOIN platform_service s ON s.id = r.service_id \
    JOIN platform p ON p.id = r.platform_id JOIN organisation o ON o.id = r.org_id";

const CASE_SELECT: &str =
    "SELECT c.id, c.org_id, o.name_zh AS org_name_zh, o.name_en AS org_name_en, \
    c.achievement_id, c.title, c.stage, c.manager, c.created_at, c.updated_at \
    FROM support_case c JOIN organisation o ON o.id = c.org_id";

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl Store {
    /// SQLite has no STRING_AGG(DISTINCT …); it has GROUP_CONCAT.
    fn platform_select(&self) -> String {
        match self.backend {
            Backend::Sqlite => PLATFORM_SELECT.replace(
                "STRING_AGG(DISTINCT s.kind, ',')",
                "GROUP_CONCAT(DISTINCT s.kind)",
            ),
            Backend::Postgres => PLATFORM_SELECT.to_string(),
        }
    }

    pub async fn platforms(&self) -> Result<Vec<PlatformRow>> {
        let sql = format!("{} ORDER BY p.id", self.platform_select());
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    pub async fn platform(&self, id: i64) -> Result<PlatformRow> {
        let sql = format!("{} WHERE p.id = $1", self.platform_select());
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_platform(
        &self,
        audit: &Audit,
        org_id: i64,
        f: &PlatformFields,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO platform (org_id, kind, name_zh, name_en, region, chain, fields, equipment, \
             certifications, intro, capacity, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(org_id)
        .bind(f.kind.code())
        .bind(f.name_zh.as_str())
        .bind(f.name_en.as_str())
        .bind(f.region.as_str())
        .bind(f.chain.as_str())
        .bind(f.fields.as_str())
        .bind(f.equipment.as_str())
        .bind(f.certifications.as_str())
        .bind(f.intro.as_str())
        .bind(f.capacity)
        .bind(t.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::to_value(f).unwrap_or_default();
        audit
            .record(&mut tx, "create", "platform", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn add_service(
        &self,
        audit: &Audit,
        platform_id: i64,
        s: &ServiceInput,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO platform_service (platform_id, kind, name_zh, name_en, price_min_fen, \
             price_max_fen, lead_days) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(platform_id)
        .bind(s.kind.code())
        .bind(s.name_zh.as_str())
        .bind(s.name_en.as_str())
        .bind(s.price_min_fen)
        .bind(s.price_max_fen)
        .bind(s.lead_days)
        .fetch_one(&mut *tx)
        .await?;
        let detail =
            serde_json::json!({ "platform_id": platform_id, "name_zh": s.name_zh, "kind": s.kind });
        audit
            .record(&mut tx, "create", "platform_service", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn services(&self, platform_id: i64) -> Result<Vec<ServiceRow>> {
        Ok(sqlx::query_as(
            "SELECT id, platform_id, kind, name_zh, name_en, price_min_fen, price_max_fen, lead_days \
             FROM platform_service WHERE platform_id = $1 ORDER BY id",
        )
        .bind(platform_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn service(&self, id: i64) -> Result<ServiceRow> {
        sqlx::query_as(
            "SELECT id, platform_id, kind, name_zh, name_en, price_min_fen, price_max_fen, lead_days \
             FROM platform_service WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    /// Set the capacity of one day (0 closes it). Refused when it would overbook the day.
    pub async fn set_platform_day(
        &self,
        audit: &Audit,
        platform_id: i64,
        on: NaiveDate,
        capacity: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let mut cal = self.calendar_in(&mut tx, platform_id, None, true).await?;
        let used = i64::from(cal.used(on));
        if used > capacity {
            return Err(StoreError::Full {
                day: on.to_string(),
                free: capacity,
                wanted: used,
            });
        }
        cal.set_day(on, capacity as u32);
        sqlx::query("DELETE FROM platform_day WHERE platform_id = $1 AND day = $2")
            .bind(platform_id)
            .bind(on.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO platform_day (platform_id, day, capacity) VALUES ($1, $2, $3)")
            .bind(platform_id)
            .bind(on.to_string())
            .bind(capacity)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "day": on.to_string(), "capacity": capacity });
        audit
            .record(&mut tx, "capacity", "platform", Some(platform_id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The platform's calendar as stored, without booking `except` (the request being moved).
    /// With `lock`, locks the platform row on PostgreSQL so that concurrent bookings wait their
    /// turn (SQLite's write transactions are already one at a time).
    async fn calendar_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        platform_id: i64,
        except: Option<i64>,
        lock: bool,
    ) -> Result<Calendar> {
        let lock = match self.backend {
            Backend::Postgres if lock => " FOR UPDATE",
            _ => "",
        };
        let (capacity,): (i64,) = sqlx::query_as(&format!(
            "SELECT capacity FROM platform WHERE id = $1{lock}"
        ))
        .bind(platform_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut cal = Calendar::new(capacity.max(0) as u32);
        let days: Vec<(String, i64)> =
            sqlx::query_as("SELECT day, capacity FROM platform_day WHERE platform_id = $1")
                .bind(platform_id)
                .fetch_all(&mut *conn)
                .await?;
        for (d, c) in days {
            if let Some(d) = day(&d) {
                cal.set_day(d, c.max(0) as u32);
            }
        }
        let booked: Vec<(i64, String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT id, start_day, days, units FROM service_request \
             WHERE platform_id = $1 AND status IN {BOOKED}"
        ))
        .bind(platform_id)
        .fetch_all(&mut *conn)
        .await?;
        for (id, start, days, units) in booked {
            if Some(id) == except {
                continue;
            }
            if let Some(start) = day(&start) {
                cal.book(Booking {
                    start,
                    days: days.max(1) as u32,
                    units: units.max(0) as u32,
                });
            }
        }
        Ok(cal)
    }

    /// The platform's calendar (capacity, closures, bookings).
    pub async fn calendar(&self, platform_id: i64) -> Result<Calendar> {
        let mut conn = self.pool.acquire().await?;
        self.calendar_in(&mut conn, platform_id, None, false).await
    }

    pub async fn request_service(
        &self,
        audit: &Audit,
        org_id: i64,
        r: &RequestInput,
    ) -> Result<i64> {
        let service = self.service(r.service_id).await?;
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO service_request (service_id, platform_id, org_id, achievement_id, days, units, \
             wanted_from, note, status, start_day, end_day, result, report, next_step, reason, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', '', '', '', \
             '', '', '', $9, $9) RETURNING id",
        )
        .bind(r.service_id)
        .bind(service.platform_id)
        .bind(org_id)
        .bind(r.achievement_id)
        .bind(r.days)
        .bind(r.units)
        .bind(r.wanted_from.as_str())
        .bind(r.note.as_str())
        .bind(t.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({
            "service_id": r.service_id, "org_id": org_id, "days": r.days, "units": r.units,
            "wanted_from": r.wanted_from,
        });
        audit
            .record(&mut tx, "create", "service_request", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn service_requests(&self, platform_id: Option<i64>) -> Result<Vec<RequestRow>> {
        match platform_id {
            Some(p) => {
                let sql = format!("{REQUEST_SELECT} WHERE r.platform_id = $1 ORDER BY r.id DESC");
                Ok(sqlx::query_as(&sql).bind(p).fetch_all(&self.pool).await?)
            }
            None => {
                let sql = format!("{REQUEST_SELECT} ORDER BY r.id DESC");
                Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
            }
        }
    }

    pub async fn service_request(&self, id: i64) -> Result<RequestRow> {
        let sql = format!("{REQUEST_SELECT} WHERE r.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Book a request from `start`: checked against the calendar in the same transaction;
    /// `StoreError::Full` names the first day without room, and nothing changes.
    pub async fn schedule_request(&self, audit: &Audit, id: i64, start: NaiveDate) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (platform_id, days, units, status): (i64, i64, i64, String) = sqlx::query_as(
            "SELECT platform_id, days, units, status FROM service_request WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if !matches!(
            RequestStatus::from_code(&status),
            Some(RequestStatus::Requested | RequestStatus::Scheduled)
        ) {
            return Err(StoreError::Conflict { field: "status" });
        }
        let cal = self
            .calendar_in(&mut tx, platform_id, Some(id), true)
            .await?;
        let booking = Booking {
            start,
            days: days.max(1) as u32,
            units: units.max(0) as u32,
        };
        if let Err(full) = cal.fits(booking) {
            return Err(StoreError::Full {
                day: full.day.to_string(),
                free: i64::from(full.free),
                wanted: i64::from(full.wanted),
            });
        }
        sqlx::query(
            "UPDATE service_request SET status = 'scheduled', start_day = $1, end_day = $2, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(start.to_string())
        .bind(booking.end().to_string())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "start_day": start.to_string(), "end_day": booking.end().to_string() });
        audit
            .record(&mut tx, "schedule", "service_request", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Move a request to `status` from one of `from`, with the result fields when done.
    #[allow(clippy::too_many_arguments)]
    pub async fn close_request(
        &self,
        audit: &Audit,
        id: i64,
        from: &[RequestStatus],
        status: RequestStatus,
        result: &str,
        report: &str,
        next_step: &str,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (current,): (String,) =
            sqlx::query_as("SELECT status FROM service_request WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        if !RequestStatus::from_code(&current).is_some_and(|c| from.contains(&c)) {
            return Err(StoreError::Conflict { field: "status" });
        }
        sqlx::query(
            "UPDATE service_request SET status = $1, result = $2, report = $3, next_step = $4, \
             reason = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(status.code())
        .bind(result)
        .bind(report)
        .bind(next_step)
        .bind(reason)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "from": current, "status": status, "result": result });
        audit
            .record(&mut tx, "status", "service_request", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn cases(&self) -> Result<Vec<CaseRow>> {
        let sql = format!("{CASE_SELECT} ORDER BY c.id DESC");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    pub async fn case(&self, id: i64) -> Result<CaseRow> {
        let sql = format!("{CASE_SELECT} WHERE c.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_case(
        &self,
        audit: &Audit,
        org_id: i64,
        achievement_id: Option<i64>,
        title: &str,
        manager: &str,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO support_case (org_id, achievement_id, title, stage, manager, created_at, \
             updated_at) VALUES ($1, $2, $3, 'prototype', $4, $5, $5) RETURNING id",
        )
        .bind(org_id)
        .bind(achievement_id)
        .bind(title)
        .bind(manager)
        .bind(t.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "org_id": org_id, "title": title, "achievement_id": achievement_id });
        audit
            .record(&mut tx, "create", "support_case", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_case_stage(&self, audit: &Audit, id: i64, stage: CaseStage) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE support_case SET stage = $1, updated_at = $2 WHERE id = $3")
            .bind(stage.code())
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
                "stage",
                "support_case",
                Some(id),
                serde_json::json!({ "stage": stage }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn steps(&self, case_id: Option<i64>) -> Result<Vec<StepRow>> {
        let base = "SELECT id, case_id, kind, title, owner, due_day, status, note, updated_at FROM case_step";
        Ok(match case_id {
            Some(c) => {
                sqlx::query_as(&format!("{base} WHERE case_id = $1 ORDER BY due_day, id"))
                    .bind(c)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query_as(&format!("{base} ORDER BY case_id, due_day, id"))
                    .fetch_all(&self.pool)
                    .await?
            }
        })
    }

    pub async fn add_step(&self, audit: &Audit, case_id: i64, s: &StepInput) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO case_step (case_id, kind, title, owner, due_day, status, note, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'todo', '', $6) RETURNING id",
        )
        .bind(case_id)
        .bind(s.kind.code())
        .bind(s.title.as_str())
        .bind(s.owner.as_str())
        .bind(s.due_day.as_str())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "case_id": case_id, "kind": s.kind, "title": s.title, "due_day": s.due_day });
        audit
            .record(&mut tx, "create", "case_step", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_step(
        &self,
        audit: &Audit,
        case_id: i64,
        id: i64,
        status: StepStatus,
        note: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE case_step SET status = $1, note = $2, updated_at = $3 WHERE id = $4 AND case_id = $5",
        )
        .bind(status.code())
        .bind(note)
        .bind(now())
        .bind(id)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit
            .record(
                &mut tx,
                "status",
                "case_step",
                Some(id),
                serde_json::json!({ "status": status }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
