//! Application scenarios: rows, lists and writes (each write audited in its transaction).

use duijie_domain::ScenarioInput;
use serde::Serialize;
use sqlx::{AnyConnection, FromRow};

use crate::audit::{delete_shared_record, diff};
use crate::listing::ListFilter;
use crate::sql::{Arg, Sql};
use crate::{assign_key, conflict_on, now, Audit, Page, Result, Store, StoreError};

/// A scenario as stored, with its owner's names.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Eq)]
pub struct ScenarioRow {
    pub id: i64,
    pub key: Option<String>,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub chain: String,
    pub field: String,
    pub trl_required: i64,
    pub budget_min_fen: Option<i64>,
    pub budget_max_fen: Option<i64>,
    pub region: String,
    pub deadline: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: duijie_domain::Status,
    pub confidential: String,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) const SELECT: &str = "SELECT r.id, r.key, r.org_id, o.name_zh AS org_name_zh, o.name_en AS org_name_en, \
    r.title_zh, r.title_en, r.description_zh, r.description_en, r.chain, r.field, r.trl_required, \
    r.budget_min_fen, r.budget_max_fen, r.region, r.deadline, r.status, r.confidential, r.created_at, r.updated_at \
    FROM scenario r JOIN organisation o ON o.id = r.org_id";

/// The JSON form of an input, for the audit log and change detection.
pub(crate) fn scenario_json(org_id: i64, i: &ScenarioInput) -> serde_json::Value {
    serde_json::json!({
        "org_id": org_id, "title_zh": i.title_zh, "title_en": i.title_en,
        "description_zh": i.description_zh, "description_en": i.description_en,
        "chain": i.chain.code(), "field": i.field, "trl_required": i.trl_required.get(),
        "budget_min_fen": i.budget.min.map(|m| m.fen()), "budget_max_fen": i.budget.max.map(|m| m.fen()),
        "region": i.region.code, "deadline": i.deadline, "status": i.status.code(),
        "confidential": i.confidential,
    })
}

pub(crate) fn row_json(r: &ScenarioRow) -> serde_json::Value {
    serde_json::json!({
        "org_id": r.org_id, "title_zh": r.title_zh, "title_en": r.title_en,
        "description_zh": r.description_zh, "description_en": r.description_en,
        "chain": r.chain, "field": r.field, "trl_required": r.trl_required,
        "budget_min_fen": r.budget_min_fen, "budget_max_fen": r.budget_max_fen,
        "region": r.region, "deadline": r.deadline, "status": r.status, "confidential": r.confidential,
    })
}

impl Store {
    pub async fn scenario(&self, id: i64) -> Result<ScenarioRow> {
        sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A page of scenarios matching `f`, newest first, and how many match in all. With
    /// `page = None` every match is returned (to be ordered by search rank by the caller).
    pub async fn scenarios(
        &self,
        f: &ListFilter,
        page: Option<Page>,
    ) -> Result<(Vec<ScenarioRow>, i64)> {
        let w = f.where_clause("r.region", "r.trl_required");
        let count = Sql::prefixed(
            "SELECT COUNT(*) FROM scenario r JOIN organisation o ON o.id = r.org_id",
            &w,
        );
        let mut list = Sql::prefixed(SELECT, &w);
        list.push(" ORDER BY r.id DESC");
        if let Some(p) = page {
            list.push(" LIMIT ")
                .bind(Arg::Int(p.per_page))
                .push(" OFFSET ")
                .bind(Arg::Int(p.offset()));
        }
        let total: (i64,) = count.query_as().fetch_one(&self.pool).await?;
        Ok((list.query_as().fetch_all(&self.pool).await?, total.0))
    }

    pub async fn create_scenario(
        &self,
        audit: &Audit,
        org_id: i64,
        i: &ScenarioInput,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_scenario(&mut tx, org_id, i).await?;
        audit
            .record(
                &mut tx,
                "create",
                "scenario",
                Some(id),
                diff(&serde_json::json!({}), &scenario_json(org_id, i)),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_scenario(
        &self,
        audit: &Audit,
        id: i64,
        org_id: i64,
        i: &ScenarioInput,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: ScenarioRow = sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        update_scenario(&mut tx, id, org_id, i).await?;
        audit
            .record(
                &mut tx,
                "update",
                "scenario",
                Some(id),
                diff(&row_json(&old), &scenario_json(org_id, i)),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_scenario(&self, audit: &Audit, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: ScenarioRow = sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        delete_shared_record(&mut tx, audit, "scenario", id, row_json(&old)).await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) async fn insert_scenario(
    conn: &mut AnyConnection,
    org_id: i64,
    i: &ScenarioInput,
) -> Result<i64> {
    let t = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO scenario (key, org_id, title_zh, title_en, description_zh, description_en, chain, field, \
         trl_required, budget_min_fen, budget_max_fen, region, deadline, status, confidential, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
    )
    .bind(i.key.as_deref())
    .bind(org_id)
    .bind(i.title_zh.as_str())
    .bind(i.title_en.as_str())
    .bind(i.description_zh.as_str())
    .bind(i.description_en.as_str())
    .bind(i.chain.code())
    .bind(i.field.as_str())
    .bind(i64::from(i.trl_required.get()))
    .bind(i.budget.min.map(|m| m.fen()))
    .bind(i.budget.max.map(|m| m.fen()))
    .bind(i.region.code)
    .bind(i.deadline.as_deref())
    .bind(i.status.code())
    .bind(i.confidential.as_str())
    .bind(t)
    .fetch_one(&mut *conn)
    .await
    .map_err(conflict_on("key"))?;
    assign_key(conn, "scenario", "scn", id).await?;
    Ok(id)
}

pub(crate) async fn update_scenario(
    conn: &mut AnyConnection,
    id: i64,
    org_id: i64,
    i: &ScenarioInput,
) -> Result<()> {
    sqlx::query(
        "UPDATE scenario SET key = COALESCE($1, key), org_id = $2, title_zh = $3, title_en = $4, description_zh = $5, \
         description_en = $6, chain = $7, field = $8, trl_required = $9, budget_min_fen = $10, budget_max_fen = $11, \
         region = $12, deadline = $13, status = $14, confidential = $15, updated_at = $16 WHERE id = $17",
    )
    .bind(i.key.as_deref())
    .bind(org_id)
    .bind(i.title_zh.as_str())
    .bind(i.title_en.as_str())
    .bind(i.description_zh.as_str())
    .bind(i.description_en.as_str())
    .bind(i.chain.code())
    .bind(i.field.as_str())
    .bind(i64::from(i.trl_required.get()))
    .bind(i.budget.min.map(|m| m.fen()))
    .bind(i.budget.max.map(|m| m.fen()))
    .bind(i.region.code)
    .bind(i.deadline.as_deref())
    .bind(i.status.code())
    .bind(i.confidential.as_str())
    .bind(now())
    .bind(id)
    .execute(conn)
    .await
    .map_err(conflict_on("key"))?;
    Ok(())
}
