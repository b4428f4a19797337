//! Confidentiality terms (保密条款) an owner sets on a record, and the organisations that
//! accepted them (when, and who).

use serde::Serialize;
use sqlx::FromRow;

use crate::{now, Audit, Result, Store};

/// A record's terms.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct TermsRow {
    pub body: String,
    pub updated_at: String,
}

/// One acceptance, with the organisation's and the user's names.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct AcceptanceRow {
    pub org_id: i64,
    pub org_zh: String,
    pub org_en: String,
    pub user_name: String,
    pub accepted_at: String,
}

impl Store {
    /// The terms of `entity` `id`, if its owner set any.
    pub async fn record_terms(&self, entity: &str, id: i64) -> Result<Option<TermsRow>> {
        Ok(sqlx::query_as(
            "SELECT body, updated_at FROM record_terms WHERE entity = $1 AND entity_id = $2",
        )
        .bind(entity)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Set the terms (an empty `body` removes them). Acceptances of earlier terms are kept
    /// only while the text is unchanged: new terms must be accepted anew.
    pub async fn set_record_terms(
        &self,
        audit: &Audit,
        entity: &'static str,
        id: i64,
        body: &str,
        user_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: Option<(String,)> =
            sqlx::query_as("SELECT body FROM record_terms WHERE entity = $1 AND entity_id = $2")
                .bind(entity)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if old.as_ref().map(|(b,)| b.as_str()) == Some(body) {
            return Ok(());
        }
        sqlx::query("DELETE FROM record_terms WHERE entity = $1 AND entity_id = $2")
            .bind(entity)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM terms_acceptance WHERE entity = $1 AND entity_id = $2")
            .bind(entity)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !body.is_empty() {
            sqlx::query(
                "INSERT INTO record_terms (entity, entity_id, body, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(entity)
            .bind(id)
            .bind(body)
            .bind(user_id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        audit
            .record(
                &mut tx,
                "terms",
                entity,
                Some(id),
                serde_json::json!({ "chars": body.chars().count() }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// When `org` accepted the record's terms, if it did.
    pub async fn record_terms_accepted(
        &self,
        entity: &str,
        id: i64,
        org: i64,
    ) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT accepted_at FROM terms_acceptance WHERE entity = $1 AND entity_id = $2 AND org_id = $3",
        )
        .bind(entity)
        .bind(id)
        .bind(org)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(at,)| at))
    }

    /// `user` accepts the record's terms for `org` (once; a second acceptance changes nothing).
    pub async fn accept_record_terms(
        &self,
        audit: &Audit,
        entity: &'static str,
        id: i64,
        org: i64,
        user_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO terms_acceptance (entity, entity_id, org_id, user_id, accepted_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (entity, entity_id, org_id) DO NOTHING",
        )
        .bind(entity)
        .bind(id)
        .bind(org)
        .bind(user_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            audit
                .record(
                    &mut tx,
                    "accept_terms",
                    entity,
                    Some(id),
                    serde_json::json!({ "org_id": org }),
                )
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Who accepted the record's terms, first first.
    pub async fn record_terms_acceptances(
        &self,
        entity: &str,
        id: i64,
    ) -> Result<Vec<AcceptanceRow>> {
        Ok(sqlx::query_as(
            "SELECT t.org_id, o.name_zh AS org_zh, o.name_en AS org_en, u.display_name AS user_name, \
             t.accepted_at FROM terms_acceptance t JOIN organisation o ON o.id = t.org_id \
             JOIN app_user u ON u.id = t.user_id WHERE t.entity = $1 AND t.entity_id = $2 ORDER BY t.id",
        )
        .bind(entity)
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }
}
