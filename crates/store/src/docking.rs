//! Dockings: requests between organisations about a record, their stage moves (each an
//! event), messages and read positions.

use duijie_domain::docking::{DockingStage, DockingWant};
use serde::Serialize;
use sqlx::FromRow;

use crate::notice::NoticeInput;
use crate::{conflict_on, now, Audit, Result, Store, StoreError};

/// A docking with both organisations' names and the title of the record it is about.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct DockingRow {
    pub id: i64,
    pub from_org_id: i64,
    pub from_org_zh: String,
    pub from_org_en: String,
    pub to_org_id: i64,
    pub to_org_zh: String,
    pub to_org_en: String,
    /// "scenario" or "achievement".
    pub about_kind: String,
    pub about_id: i64,
    pub about_zh: String,
    pub about_en: String,
    pub own_kind: Option<String>,
    pub own_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub want: DockingWant,
    pub message: String,
    #[sqlx(try_from = "String")]
    pub stage: DockingStage,
    pub reason: String,
    pub created_by: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The technology broker who introduced the two sides, if one did.
    pub broker_user_id: Option<i64>,
    pub broker_name: Option<String>,
    /// When each side accepted a broker's introduction.
    pub from_accepted_at: Option<String>,
    pub to_accepted_at: Option<String>,
    /// When a party invited the programme officers to read the conversation.
    pub staff_invited_at: Option<String>,
}

impl DockingRow {
    /// Whether `org` is one of the two parties.
    pub fn party(&self, org: i64) -> bool {
        self.from_org_id == org || self.to_org_id == org
    }

    /// Whether `user` is the broker who introduced the two sides.
    pub fn brokered_by(&self, user: i64) -> bool {
        self.broker_user_id == Some(user)
    }
}

/// A stage move: to which stage, why, by whom and when.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct EventRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub stage: DockingStage,
    pub reason: String,
    pub user_id: i64,
    pub user_name: String,
    pub at: String,
}

/// A message; `org_id` is empty (and the names blank) when the broker wrote it.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct MessageRow {
    pub id: i64,
    pub org_id: Option<i64>,
    pub org_zh: String,
    pub org_en: String,
    pub user_id: i64,
    pub user_name: String,
    pub body: String,
    pub created_at: String,
}

/// A new docking request, checked by the application layer.
#[derive(Debug, Clone)]
pub struct DockingInput {
    pub from_org_id: i64,
    pub to_org_id: i64,
    pub about_kind: &'static str,
    pub about_id: i64,
    pub own: Option<(&'static str, i64)>,
    pub want: DockingWant,
    pub message: String,
    /// The broker introducing the two sides (the docking starts as 引荐, not 意向).
    pub broker_user_id: Option<i64>,
}

/// The stages `pick` holds for, as an SQL list (`('requested', 'introduced', …)`), so that
/// queries follow the life cycle in the domain instead of spelling it again.
pub(crate) fn stages_sql(pick: fn(DockingStage) -> bool) -> String {
    let codes: Vec<String> = DockingStage::ALL
        .iter()
        .filter(|s| pick(**s))
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!("({})", codes.join(", "))
}

/// The messages of `$1`'s dockings written by the other side (or the broker) after `$1` last
/// read them.
pub(crate) const UNREAD_FOR_ORG: &str =
    "FROM docking_message m JOIN docking d ON d.id = m.docking_id \
     LEFT JOIN docking_read r ON r.docking_id = m.docking_id AND r.org_id = $1 \
     WHERE (d.from_org_id = $1 OR d.to_org_id = $1) AND (m.org_id IS NULL OR m.org_id <> $1) \
     AND m.id > COALESCE(r.last_message_id, 0)";

/// The messages of broker `$1`'s dockings written by either side after the broker last read
/// them.
pub(crate) const UNREAD_FOR_BROKER: &str =
    "FROM docking_message m JOIN docking d ON d.id = m.docking_id \
     WHERE d.broker_user_id = $1 AND m.org_id IS NOT NULL AND m.id > d.broker_read";

/// Introductions waiting for `$1`'s acceptance, and requests waiting for its answer.
pub(crate) const WAITING_FOR_ORG: &str =
    "FROM docking WHERE (to_org_id = $1 AND stage = 'requested') \
     OR (stage = 'introduced' AND ((from_org_id = $1 AND from_accepted_at IS NULL) \
     OR (to_org_id = $1 AND to_accepted_at IS NULL)))";

const SELECT: &str = "SELECT d.id, d.from_org_id, f.name_zh AS from_org_zh, f.name_en AS from_org_en, \
     d.to_org_id, t.name_zh AS to_org_zh, t.name_en AS to_org_en, d.about_kind, d.about_id, \
     COALESCE(s.title_zh, a.title_zh, '') AS about_zh, COALESCE(s.title_en, a.title_en, '') AS about_en, \
     d.own_kind, d.own_id, d.want, d.message, d.stage, d.reason, d.created_by, d.created_at, d.updated_at, \
     d.broker_user_id, bu.display_name AS broker_name, d.from_accepted_at, d.to_accepted_at, \
     d.staff_invited_at \
     FROM docking d JOIN organisation f ON f.id = d.from_org_id JOIN organisation t ON t.id = d.to_org_id \
     LEFT JOIN app_user bu ON bu.id = d.broker_user_id \
     LEFT JOIN scenario s ON d.about_kind = 'scenario' AND s.id = d.about_id \
     LEFT JOIN achievement a ON d.about_kind = 'achievement' AND a.id = d.about_id";

impl Store {
    /// Store a request (stage 意向), or a broker's introduction (引荐), with its first event
    /// and its notices. A second open request of the same organisation about the same record
    /// is a `Conflict` on `about`.
    pub async fn create_docking(
        &self,
        audit: &Audit,
        user_id: i64,
        d: &DockingInput,
        notices: impl Fn(i64) -> Vec<NoticeInput>,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let stage = match d.broker_user_id {
            Some(_) => DockingStage::Introduced,
            None => DockingStage::Requested,
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO docking (from_org_id, to_org_id, about_kind, about_id, own_kind, own_id, want, \
             message, stage, reason, created_by, created_at, updated_at, broker_user_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $11, '', $9, $10, $10, $12) RETURNING id",
        )
        .bind(d.from_org_id)
        .bind(d.to_org_id)
        .bind(d.about_kind)
        .bind(d.about_id)
        .bind(d.own.map(|o| o.0))
        .bind(d.own.map(|o| o.1))
        .bind(d.want.code())
        .bind(d.message.as_str())
        .bind(user_id)
        .bind(t.as_str())
        .bind(stage.code())
        .bind(d.broker_user_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_on("about"))?;
        sqlx::query(
            "INSERT INTO docking_event (docking_id, stage, reason, user_id, at) \
             VALUES ($1, $2, '', $3, $4)",
        )
        .bind(id)
        .bind(stage.code())
        .bind(user_id)
        .bind(t.as_str())
        .execute(&mut *tx)
        .await?;
        Store::add_notices(&mut tx, &notices(id)).await?;
        let detail = serde_json::json!({
            "from_org_id": d.from_org_id, "to_org_id": d.to_org_id, "about_kind": d.about_kind,
            "about_id": d.about_id, "want": d.want.code(), "broker_user_id": d.broker_user_id,
        });
        audit
            .record(&mut tx, "create", "docking", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn docking(&self, id: i64) -> Result<DockingRow> {
        let sql = format!("{SELECT} WHERE d.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The dockings `org` is a party to (every docking for `None`), last touched first.
    pub async fn dockings(&self, org: Option<i64>) -> Result<Vec<DockingRow>> {
        match org {
            Some(o) => {
                let sql = format!(
                    "{SELECT} WHERE d.from_org_id = $1 OR d.to_org_id = $1 ORDER BY d.updated_at DESC, d.id DESC"
                );
                Ok(sqlx::query_as(&sql).bind(o).fetch_all(&self.pool).await?)
            }
            None => {
                let sql = format!("{SELECT} ORDER BY d.updated_at DESC, d.id DESC");
                Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
            }
        }
    }

    /// The open dockings of `org` about one record, for "already requested" on its page.
    pub async fn open_dockings_about(
        &self,
        org: i64,
        kind: &str,
        id: i64,
    ) -> Result<Vec<DockingRow>> {
        let open = stages_sql(DockingStage::is_open);
        let sql = format!(
            "{SELECT} WHERE (d.from_org_id = $1 OR d.to_org_id = $1) AND d.about_kind = $2 \
             AND d.about_id = $3 AND d.stage IN {open} \
             ORDER BY d.id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(org)
            .bind(kind)
            .bind(id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Move a docking from `from` to `to` with its event, in one transaction. When another
    /// move got there first (the stage is no longer `from`), nothing changes: `Conflict` on
    /// `stage` — so two accepts of one request leave one acceptance.
    #[allow(clippy::too_many_arguments)]
    pub async fn move_docking(
        &self,
        audit: &Audit,
        user_id: i64,
        id: i64,
        from: DockingStage,
        to: DockingStage,
        reason: &str,
        notices: &[NoticeInput],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let moved = sqlx::query(
            "UPDATE docking SET stage = $1, reason = $2, updated_at = $3 WHERE id = $4 AND stage = $5",
        )
        .bind(to.code())
        .bind(reason)
        .bind(t.as_str())
        .bind(id)
        .bind(from.code())
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Err(StoreError::Conflict { field: "stage" });
        }
        sqlx::query(
            "INSERT INTO docking_event (docking_id, stage, reason, user_id, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(to.code())
        .bind(reason)
        .bind(user_id)
        .bind(t.as_str())
        .execute(&mut *tx)
        .await?;
        Store::add_notices(&mut tx, notices).await?;
        let detail = serde_json::json!({ "from": from.code(), "to": to.code(), "reason": reason });
        audit
            .record(&mut tx, "stage", "docking", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One side (`from_side`: the achievement's holder, else the scenario's owner) accepts a
    /// broker's introduction. When the other side had accepted already, the docking moves to
    /// 洽谈 in the same transaction (with its event and `both`'s notices); otherwise `one`'s
    /// notices go out. Accepting twice, or after the introduction ended, is a `Conflict` on
    /// `stage`. Returns whether both sides have now accepted.
    #[allow(clippy::too_many_arguments)]
    pub async fn accept_introduction(
        &self,
        audit: &Audit,
        user_id: i64,
        id: i64,
        from_side: bool,
        one: &[NoticeInput],
        both: &[NoticeInput],
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let column = if from_side {
            "from_accepted_at"
        } else {
            "to_accepted_at"
        };
        let done = sqlx::query(&format!(
            "UPDATE docking SET {column} = $1, updated_at = $1 WHERE id = $2 \
             AND stage = 'introduced' AND {column} IS NULL"
        ))
        .bind(t.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { field: "stage" });
        }
        let (a, b): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT from_accepted_at, to_accepted_at FROM docking WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let both_now = a.is_some() && b.is_some();
        if both_now {
            sqlx::query("UPDATE docking SET stage = 'negotiating' WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO docking_event (docking_id, stage, reason, user_id, at) \
                 VALUES ($1, 'negotiating', '', $2, $3)",
            )
            .bind(id)
            .bind(user_id)
            .bind(t.as_str())
            .execute(&mut *tx)
            .await?;
        }
        Store::add_notices(&mut tx, if both_now { both } else { one }).await?;
        let detail = serde_json::json!({ "accepted": column, "both": both_now });
        audit
            .record(&mut tx, "accept", "docking", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(both_now)
    }

    /// The organisations `org` has an accepted docking with (negotiating or further, even
    /// landed): those whose contact persons its members see.
    pub async fn docking_partners(&self, org: i64) -> Result<Vec<i64>> {
        let accepted = stages_sql(DockingStage::accepted);
        let sql = format!(
            "SELECT to_org_id FROM docking WHERE from_org_id = $1 AND stage IN {accepted} \
             UNION SELECT from_org_id FROM docking WHERE to_org_id = $1 AND stage IN {accepted}"
        );
        let rows: Vec<(i64,)> = sqlx::query_as(&sql).bind(org).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|(o,)| o).collect())
    }

    /// A party invites the programme officers to read the conversation (once: a second
    /// invitation is a `Conflict` on `staff_invited_at`), telling them with `notices`.
    pub async fn invite_staff(
        &self,
        audit: &Audit,
        id: i64,
        user_id: i64,
        notices: &[NoticeInput],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE docking SET staff_invited_at = $1, staff_invited_by = $2 \
             WHERE id = $3 AND staff_invited_at IS NULL",
        )
        .bind(now())
        .bind(user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                field: "staff_invited_at",
            });
        }
        Store::add_notices(&mut tx, notices).await?;
        audit
            .record(
                &mut tx,
                "invite_staff",
                "docking",
                Some(id),
                serde_json::json!({}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The dockings broker `user` introduced, last touched first.
    pub async fn brokered_dockings(&self, user: i64) -> Result<Vec<DockingRow>> {
        let sql =
            format!("{SELECT} WHERE d.broker_user_id = $1 ORDER BY d.updated_at DESC, d.id DESC");
        Ok(sqlx::query_as(&sql)
            .bind(user)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Unread messages for broker `user` per docking it introduced: `(docking id, unread)`.
    pub async fn broker_unread(&self, user: i64) -> Result<Vec<(i64, i64)>> {
        let sql =
            format!("SELECT m.docking_id, COUNT(*) {UNREAD_FOR_BROKER} GROUP BY m.docking_id");
        Ok(sqlx::query_as(&sql)
            .bind(user)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The broker has read every message of docking `id` so far.
    pub async fn mark_broker_read(&self, id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE docking SET broker_read = (SELECT COALESCE(MAX(id), 0) FROM docking_message \
             WHERE docking_id = $1) WHERE id = $1",
        )
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn docking_events(&self, id: i64) -> Result<Vec<EventRow>> {
        Ok(sqlx::query_as(
            "SELECT e.id, e.stage, e.reason, e.user_id, u.display_name AS user_name, e.at \
             FROM docking_event e JOIN app_user u ON u.id = e.user_id WHERE e.docking_id = $1 ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A message from `org` (one of the parties; `None` for the broker); it also counts as
    /// read by its sender. The audit entry records that a message was written, not what it
    /// says.
    pub async fn add_docking_message(
        &self,
        audit: &Audit,
        id: i64,
        org: Option<i64>,
        user_id: i64,
        body: &str,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (mid,): (i64,) = sqlx::query_as(
            "INSERT INTO docking_message (docking_id, org_id, user_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(org)
        .bind(user_id)
        .bind(body)
        .bind(t.as_str())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE docking SET updated_at = $1 WHERE id = $2")
            .bind(t.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        match org {
            Some(org) => self.mark_read_in(&mut tx, id, org, mid).await?,
            None => {
                sqlx::query("UPDATE docking SET broker_read = $1 WHERE id = $2")
                    .bind(mid)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let detail =
            serde_json::json!({ "org_id": org, "message_id": mid, "chars": body.chars().count() });
        audit
            .record(&mut tx, "message", "docking", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(mid)
    }

    async fn mark_read_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        id: i64,
        org: i64,
        last: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO docking_read (docking_id, org_id, last_message_id) VALUES ($1, $2, $3) \
             ON CONFLICT (docking_id, org_id) DO UPDATE SET last_message_id = excluded.last_message_id \
             WHERE docking_read.last_message_id < excluded.last_message_id",
        )
        .bind(id)
        .bind(org)
        .bind(last)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// `org` has read every message of docking `id` so far.
    pub async fn mark_docking_read(&self, id: i64, org: i64) -> Result<()> {
        // The SELECT's WHERE lets SQLite tell the upsert's ON CONFLICT from a join's ON.
        sqlx::query(
            "INSERT INTO docking_read (docking_id, org_id, last_message_id) \
             SELECT $1, $2, COALESCE(MAX(id), 0) FROM docking_message WHERE docking_id = $1 \
             ON CONFLICT (docking_id, org_id) DO UPDATE SET last_message_id = excluded.last_message_id \
             WHERE docking_read.last_message_id < excluded.last_message_id",
        )
        .bind(id)
        .bind(org)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn docking_messages(&self, id: i64) -> Result<Vec<MessageRow>> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.org_id, COALESCE(o.name_zh, '') AS org_zh, COALESCE(o.name_en, '') AS org_en, \
             m.user_id, u.display_name AS user_name, m.body, m.created_at FROM docking_message m \
             LEFT JOIN organisation o ON o.id = m.org_id JOIN app_user u ON u.id = m.user_id \
             WHERE m.docking_id = $1 ORDER BY m.id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Unread messages for `org` per docking it is a party to: `(docking id, unread)`, only
    /// dockings with some.
    pub async fn docking_unread(&self, org: i64) -> Result<Vec<(i64, i64)>> {
        let sql = format!("SELECT m.docking_id, COUNT(*) {UNREAD_FOR_ORG} GROUP BY m.docking_id");
        Ok(sqlx::query_as(&sql).bind(org).fetch_all(&self.pool).await?)
    }
}
