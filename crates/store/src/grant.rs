//! Access grants: organisations an owner approved to read a record's confidential fields.

use serde::Serialize;
use sqlx::FromRow;

use crate::{now, Audit, Result, Store};

/// An organisation allowed to read a record's confidential fields.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct GrantRow {
    pub org_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub created_at: String,
}

impl Store {
    /// Organisations allowed to read `entity` `id` (`entity` is `scenario` or `achievement`).
    pub async fn grants(&self, entity: &str, id: i64) -> Result<Vec<GrantRow>> {
        Ok(sqlx::query_as(
            "SELECT g.org_id, o.name_zh, o.name_en, g.created_at FROM access_grant g \
             JOIN organisation o ON o.id = g.org_id WHERE g.entity = $1 AND g.entity_id = $2 ORDER BY g.id",
        )
        .bind(entity)
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Allow `org_id` to read the record's confidential fields (idempotent).
    pub async fn grant(&self, audit: &Audit, entity: &str, id: i64, org_id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let exists: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM access_grant WHERE entity = $1 AND entity_id = $2 AND org_id = $3",
        )
        .bind(entity)
        .bind(id)
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            sqlx::query(
                "INSERT INTO access_grant (entity, entity_id, org_id, granted_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(entity)
            .bind(id)
            .bind(org_id)
            .bind(audit.user_id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit
                .record(
                    &mut tx,
                    "grant",
                    entity,
                    Some(id),
                    serde_json::json!({"org_id": org_id}),
                )
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Withdraw an organisation's access.
    pub async fn revoke_grant(
        &self,
        audit: &Audit,
        entity: &str,
        id: i64,
        org_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM access_grant WHERE entity = $1 AND entity_id = $2 AND org_id = $3",
        )
        .bind(entity)
        .bind(id)
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
        audit
            .record(
                &mut tx,
                "revoke",
                entity,
                Some(id),
                serde_json::json!({"org_id": org_id}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
