//! The audit log: who changed what, when, written inside the transaction of the change.

use serde::Serialize;
use sqlx::{AnyConnection, FromRow};

use crate::{now, Page, Result, Store, StoreError};

/// Who is making a change, for the audit log.
#[derive(Debug, Clone)]
pub struct Audit {
    pub user_id: Option<i64>,
    /// How the actor is shown: an e-mail address, or `cli` / `demo` for command-line work.
    pub actor: String,
    /// The API token the change was made with, if any.
    pub token_id: Option<i64>,
}

impl Audit {
    pub fn user(id: i64, email: &str) -> Audit {
        Audit {
            user_id: Some(id),
            actor: email.to_string(),
            token_id: None,
        }
    }

    pub fn system(name: &str) -> Audit {
        Audit {
            user_id: None,
            actor: name.to_string(),
            token_id: None,
        }
    }

    /// The same actor, acting through API token `id`.
    pub fn through_token(mut self, id: Option<i64>) -> Audit {
        self.token_id = id;
        self
    }

    /// Record one change; `detail` is a JSON description of it.
    pub(crate) async fn record(
        &self,
        conn: &mut AnyConnection,
        action: &str,
        entity: &str,
        entity_id: Option<i64>,
        detail: serde_json::Value,
    ) -> Result<()> {
        // The token column is named only when there is a token: a change without one writes
        // what every schema since the first has, so the migration tests can still fill a
        // database of an older version through this code.
        let sql = if self.token_id.is_some() {
            "INSERT INTO audit_log (at, user_id, actor, action, entity, entity_id, detail, token_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        } else {
            "INSERT INTO audit_log (at, user_id, actor, action, entity, entity_id, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        };
        let mut q = sqlx::query(sql)
            .bind(now())
            .bind(self.user_id)
            .bind(self.actor.as_str())
            .bind(action)
            .bind(entity)
            .bind(entity_id)
            .bind(detail.to_string());
        if let Some(t) = self.token_id {
            q = q.bind(t);
        }
        q.execute(conn).await?;
        Ok(())
    }
}

/// Delete a scenario or achievement (`table` is also its entity name) with its access grants,
/// and log what was removed — without its confidential text.
/// The records that keep a scenario or an achievement in use: (table referred to, referring
/// table, its column). A record named by a service request, a one-stop case, a finance project
/// or a recorded outcome is part of that history and cannot be deleted; what merely points at
/// it (grants, inbox notices, a gathering's list of scenarios) goes with it.
const IN_USE_BY: &[(&str, &str, &str)] = &[
    ("achievement", "service_request", "achievement_id"),
    ("achievement", "support_case", "achievement_id"),
    ("achievement", "finance_project", "achievement_id"),
    ("achievement", "outcome", "achievement_id"),
    ("achievement", "tech_contract", "achievement_id"),
    ("scenario", "outcome", "scenario_id"),
    ("scenario", "tech_contract", "scenario_id"),
];

/// Which records use `table`'s record `id`, with how many of each; empty when none does.
async fn uses(conn: &mut AnyConnection, table: &str, id: i64) -> Result<Vec<(&'static str, i64)>> {
    let mut found = Vec::new();
    for (_, by, column) in IN_USE_BY.iter().filter(|(t, ..)| *t == table) {
        let (n,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM {by} WHERE {column} = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        if n > 0 {
            found.push((*by, n));
        }
    }
    Ok(found)
}

pub(crate) async fn delete_shared_record(
    conn: &mut AnyConnection,
    audit: &Audit,
    table: &'static str,
    id: i64,
    mut gone: serde_json::Value,
) -> Result<()> {
    let by = uses(conn, table, id).await?;
    if !by.is_empty() {
        return Err(StoreError::InUse { by });
    }
    sqlx::query("DELETE FROM access_grant WHERE entity = $1 AND entity_id = $2")
        .bind(table)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    // So does its place on Scenario Gatherings' lists of scenarios on offer.
    if table == "scenario" {
        sqlx::query("DELETE FROM gathering_scenario WHERE scenario_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    // So do its confidentiality terms and who accepted them.
    for t in ["terms_acceptance", "record_terms"] {
        sqlx::query(&format!(
            "DELETE FROM {t} WHERE entity = $1 AND entity_id = $2"
        ))
        .bind(table)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    // Inbox notices about the record go with it.
    sqlx::query(&format!("DELETE FROM notification WHERE {table}_id = $1"))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Some(o) = gone.as_object_mut() {
        o.remove("confidential");
    }
    audit.record(conn, "delete", table, Some(id), gone).await
}

/// One line of the audit log.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub detail: String,
    /// The API token the change was made with, if any.
    pub token_id: Option<i64>,
}

/// The fields that differ between two JSON objects, as `{field: [old, new]}`; confidential
/// text is never copied into the log, only the fact that it changed.
pub(crate) fn diff(old: &serde_json::Value, new: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let (Some(o), Some(n)) = (old.as_object(), new.as_object()) {
        for (k, nv) in n {
            let ov = o.get(k).unwrap_or(&serde_json::Value::Null);
            if ov != nv {
                let v = if k == "confidential" {
                    serde_json::json!("(changed)")
                } else {
                    serde_json::json!([ov, nv])
                };
                out.insert(k.clone(), v);
            }
        }
    }
    serde_json::Value::Object(out)
}

impl Store {
    /// The newest entries first, optionally only those about one record.
    pub async fn audit_log(
        &self,
        entity: Option<(&str, i64)>,
        page: Page,
    ) -> Result<(Vec<AuditRow>, i64)> {
        let (rows, total) = match entity {
            Some((e, id)) => {
                let rows = sqlx::query_as(
                    "SELECT id, at, user_id, actor, action, entity, entity_id, detail, token_id FROM audit_log \
                     WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3 OFFSET $4",
                )
                .bind(e)
                .bind(id)
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(&self.pool)
                .await?;
                let total: (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND entity_id = $2",
                )
                .bind(e)
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
                (rows, total.0)
            }
            None => {
                let rows = sqlx::query_as(
                    "SELECT id, at, user_id, actor, action, entity, entity_id, detail, token_id FROM audit_log \
                     ORDER BY id DESC LIMIT $1 OFFSET $2",
                )
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(&self.pool)
                .await?;
                let total: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
                    .fetch_one(&self.pool)
                    .await?;
                (rows, total.0)
            }
        };
        Ok((rows, total))
    }
}

impl Store {
    /// Changes to scenarios, achievements and organisations (whose names are indexed with
    /// their records) recorded after audit entry `after`, oldest first:
    /// `(audit id, entity, record id)`. The audit log doubles as the outbox that every server's
    /// search index follows, since each write records its entry in the write's own transaction.
    pub async fn record_changes_since(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT id, entity, entity_id FROM audit_log \
             WHERE id > $1 AND entity IN ('scenario', 'achievement', 'organisation') \
             AND entity_id IS NOT NULL \
             ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The scenarios and achievements an organisation publishes, as `(entity, id)`: what an
    /// edit of the organisation (its names are indexed with each record) must re-index.
    pub async fn records_of_organisation(&self, org_id: i64) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT CAST('scenario' AS TEXT), id FROM scenario WHERE org_id = $1 \
             UNION ALL SELECT CAST('achievement' AS TEXT), id FROM achievement WHERE org_id = $1",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whether this database takes writes: a write transaction is begun (a delete that matches
    /// nothing) and rolled back. A read-only SQLite file or folder, or a PostgreSQL standby or
    /// read-only role, fails here with the database's own reason instead of at the first sign-in.
    pub async fn check_writable(&self) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM session WHERE 1 = 0")
            .execute(&mut *tx)
            .await?;
        tx.rollback().await?;
        Ok(())
    }

    /// The newest audit entry's id (0 for an empty log).
    pub async fn last_audit_id(&self) -> Result<i64> {
        let (n,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.unwrap_or(0))
    }
}
