//! Achievements: rows, lists and writes (each write audited in its transaction).

use duijie_domain::AchievementInput;
use serde::Serialize;
use sqlx::{AnyConnection, FromRow};

use crate::audit::{delete_shared_record, diff};
use crate::listing::ListFilter;
use crate::sql::{Arg, Sql};
use crate::{assign_key, conflict_on, now, Audit, Page, Result, Store, StoreError};

/// An achievement as stored, with its owner's names and region.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Eq)]
pub struct AchievementRow {
    pub id: i64,
    pub key: Option<String>,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub org_region: String,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub chain: String,
    pub field: String,
    pub trl: i64,
    pub ip: String,
    pub team: String,
    pub coop_modes: String,
    #[sqlx(try_from = "String")]
    pub status: duijie_domain::Status,
    pub confidential: String,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) const SELECT: &str = "SELECT r.id, r.key, r.org_id, o.name_zh AS org_name_zh, o.name_en AS org_name_en, \
    o.region AS org_region, r.title_zh, r.title_en, r.summary_zh, r.summary_en, r.chain, r.field, r.trl, r.ip, \
    r.team, r.coop_modes, r.status, r.confidential, r.created_at, r.updated_at \
    FROM achievement r JOIN organisation o ON o.id = r.org_id";

/// The JSON form of an input, for the audit log and change detection.
pub(crate) fn achievement_json(org_id: i64, i: &AchievementInput) -> serde_json::Value {
    serde_json::json!({
        "org_id": org_id, "title_zh": i.title_zh, "title_en": i.title_en,
        "summary_zh": i.summary_zh, "summary_en": i.summary_en, "chain": i.chain.code(),
        "field": i.field, "trl": i.trl.get(), "ip": i.ip, "team": i.team,
        "coop_modes": i.coop_codes(), "status": i.status.code(), "confidential": i.confidential,
    })
}

pub(crate) fn row_json(r: &AchievementRow) -> serde_json::Value {
    serde_json::json!({
        "org_id": r.org_id, "title_zh": r.title_zh, "title_en": r.title_en,
        "summary_zh": r.summary_zh, "summary_en": r.summary_en, "chain": r.chain,
        "field": r.field, "trl": r.trl, "ip": r.ip, "team": r.team,
        "coop_modes": r.coop_modes, "status": r.status, "confidential": r.confidential,
    })
}

impl Store {
    pub async fn achievement(&self, id: i64) -> Result<AchievementRow> {
        sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A page of achievements matching `f`, newest first, and how many match in all. The region
    /// filter applies to the owner's region. With `page = None` every match is returned.
    pub async fn achievements(
        &self,
        f: &ListFilter,
        page: Option<Page>,
    ) -> Result<(Vec<AchievementRow>, i64)> {
        let w = f.where_clause("o.region", "r.trl");
        let count = Sql::prefixed(
            "SELECT COUNT(*) FROM achievement r JOIN organisation o ON o.id = r.org_id",
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

    pub async fn create_achievement(
        &self,
        audit: &Audit,
        org_id: i64,
        i: &AchievementInput,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_achievement(&mut tx, org_id, i).await?;
        let detail = diff(&serde_json::json!({}), &achievement_json(org_id, i));
        audit
            .record(&mut tx, "create", "achievement", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_achievement(
        &self,
        audit: &Audit,
        id: i64,
        org_id: i64,
        i: &AchievementInput,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: AchievementRow = sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        update_achievement(&mut tx, id, org_id, i).await?;
        let detail = diff(&row_json(&old), &achievement_json(org_id, i));
        audit
            .record(&mut tx, "update", "achievement", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_achievement(&self, audit: &Audit, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: AchievementRow = sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        delete_shared_record(&mut tx, audit, "achievement", id, row_json(&old)).await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) async fn insert_achievement(
    conn: &mut AnyConnection,
    org_id: i64,
    i: &AchievementInput,
) -> Result<i64> {
    let t = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO achievement (key, org_id, title_zh, title_en, summary_zh, summary_en, chain, field, trl, ip, \
         team, coop_modes, status, confidential, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    )
    .bind(i.key.as_deref())
    .bind(org_id)
    .bind(i.title_zh.as_str())
    .bind(i.title_en.as_str())
    .bind(i.summary_zh.as_str())
    .bind(i.summary_en.as_str())
    .bind(i.chain.code())
    .bind(i.field.as_str())
    .bind(i64::from(i.trl.get()))
    .bind(i.ip.as_str())
    .bind(i.team.as_str())
    .bind(i.coop_codes())
    .bind(i.status.code())
    .bind(i.confidential.as_str())
    .bind(t)
    .fetch_one(&mut *conn)
    .await
    .map_err(conflict_on("key"))?;
    assign_key(conn, "achievement", "ach", id).await?;
    Ok(id)
}

pub(crate) async fn update_achievement(
    conn: &mut AnyConnection,
    id: i64,
    org_id: i64,
    i: &AchievementInput,
) -> Result<()> {
    sqlx::query(
        "UPDATE achievement SET key = COALESCE($1, key), org_id = $2, title_zh = $3, title_en = $4, summary_zh = $5, \
         summary_en = $6, chain = $7, field = $8, trl = $9, ip = $10, team = $11, coop_modes = $12, status = $13, \
         confidential = $14, updated_at = $15 WHERE id = $16",
    )
    .bind(i.key.as_deref())
    .bind(org_id)
    .bind(i.title_zh.as_str())
    .bind(i.title_en.as_str())
    .bind(i.summary_zh.as_str())
    .bind(i.summary_en.as_str())
    .bind(i.chain.code())
    .bind(i.field.as_str())
    .bind(i64::from(i.trl.get()))
    .bind(i.ip.as_str())
    .bind(i.team.as_str())
    .bind(i.coop_codes())
    .bind(i.status.code())
    .bind(i.confidential.as_str())
    .bind(now())
    .bind(id)
    .execute(conn)
    .await
    .map_err(conflict_on("key"))?;
    Ok(())
}
