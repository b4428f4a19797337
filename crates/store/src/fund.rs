//! Funds (government guidance funds, venture funds), projects seeking finance and each fund's
//! decision on a project: interest → due diligence → invested (amount, date), or declined with
//! a reason.

use duijie_domain::pipeline::{DealStatus, FundKind, FundStage};
use serde::Serialize;
use sqlx::FromRow;

use crate::{now, Audit, Result, Store, StoreError};

#[derive(Debug, Clone, Default, FromRow, Serialize)]
pub struct FundFields {
    pub name_zh: String,
    pub name_en: String,
    #[sqlx(try_from = "String")]
    pub kind: FundKind,
    pub chains: String,
    pub fields: String,
    pub stages: String,
    pub regions: String,
    pub ticket_min_fen: i64,
    pub ticket_max_fen: i64,
    pub size_fen: i64,
    pub intro: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct FundRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub f: FundFields,
}

#[derive(Debug, Clone, Default, FromRow, Serialize)]
pub struct ProjectFields {
    pub achievement_id: Option<i64>,
    pub title: String,
    pub chain: String,
    pub field: String,
    #[sqlx(try_from = "String")]
    pub stage: FundStage,
    pub region: String,
    pub amount_fen: i64,
    pub summary: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct FinanceRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub f: ProjectFields,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct DealRow {
    pub id: i64,
    pub fund_id: i64,
    pub fund_zh: String,
    pub fund_en: String,
    pub fund_org_id: i64,
    pub project_id: i64,
    pub project_title: String,
    pub project_org_id: i64,
    #[sqlx(try_from = "String")]
    pub status: DealStatus,
    pub amount_fen: i64,
    pub invested_on: String,
    pub reason: String,
    pub updated_at: String,
}

/// A fund's decision on a project.
#[derive(Debug, Clone, Default)]
pub struct DealInput {
    pub status: DealStatus,
    pub amount_fen: i64,
    pub invested_on: String,
    pub reason: String,
}

const FUND_SELECT: &str =
    "SELECT f.id, f.org_id, o.name_zh AS org_name_zh, o.name_en AS org_name_en, \
    f.name_zh, f.name_en, f.kind, f.chains, f.fields, f.stages, f.regions, f.ticket_min_fen, \
    f.ticket_max_fen, f.size_fen, f.intro FROM fund f JOIN organisation o ON o.id = f.org_id";

const PROJECT_SELECT: &str = "SELECT p.id, p.org_id, o.name_zh AS org_name_zh, o.name_en AS org_name_en, \
    p.achievement_id, p.title, p.chain, p.field, p.stage, p.region, p.amount_fen, p.summary, p.created_at \
    FROM finance_project p JOIN organisation o ON o.id = p.org_id";

const DEAL_SELECT: &str = "SELECT d.id, d.fund_id, f.name_zh AS fund_zh, f.name_en AS fund_en, \
    f.org_id AS fund_org_id, d.project_id, p.title AS project_title, p.org_id AS project_org_id, \
    d.status, d.amount_fen, d.invested_on, d.reason, d.updated_at \
    FROM fund_deal d JOIN fund f ON f.id = d.fund_id JOIN finance_project p ON p.id = d.project_id";

impl Store {
    pub async fn funds(&self) -> Result<Vec<FundRow>> {
        let sql = format!("{FUND_SELECT} ORDER BY f.id");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    pub async fn fund(&self, id: i64) -> Result<FundRow> {
        let sql = format!("{FUND_SELECT} WHERE f.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_fund(&self, audit: &Audit, org_id: i64, f: &FundFields) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO fund (org_id, name_zh, name_en, kind, chains, fields, stages, regions, \
             ticket_min_fen, ticket_max_fen, size_fen, intro, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(org_id)
        .bind(f.name_zh.as_str())
        .bind(f.name_en.as_str())
        .bind(f.kind.code())
        .bind(f.chains.as_str())
        .bind(f.fields.as_str())
        .bind(f.stages.as_str())
        .bind(f.regions.as_str())
        .bind(f.ticket_min_fen)
        .bind(f.ticket_max_fen)
        .bind(f.size_fen)
        .bind(f.intro.as_str())
        .bind(t.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::to_value(f).unwrap_or_default();
        audit
            .record(&mut tx, "create", "fund", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn finance_projects(&self) -> Result<Vec<FinanceRow>> {
        let sql = format!("{PROJECT_SELECT} ORDER BY p.id DESC");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    pub async fn finance_project(&self, id: i64) -> Result<FinanceRow> {
        let sql = format!("{PROJECT_SELECT} WHERE p.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_finance_project(
        &self,
        audit: &Audit,
        org_id: i64,
        p: &ProjectFields,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO finance_project (org_id, achievement_id, title, chain, field, stage, region, \
             amount_fen, summary, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(org_id)
        .bind(p.achievement_id)
        .bind(p.title.as_str())
        .bind(p.chain.as_str())
        .bind(p.field.as_str())
        .bind(p.stage.code())
        .bind(p.region.as_str())
        .bind(p.amount_fen)
        .bind(p.summary.as_str())
        .bind(t.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::to_value(p).unwrap_or_default();
        audit
            .record(&mut tx, "create", "finance_project", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every deal, or those of one fund or one project.
    pub async fn deals(
        &self,
        fund_id: Option<i64>,
        project_id: Option<i64>,
    ) -> Result<Vec<DealRow>> {
        let sql = format!(
            "{DEAL_SELECT} WHERE ($1 = 0 OR d.fund_id = $1) AND ($2 = 0 OR d.project_id = $2) ORDER BY d.id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(fund_id.unwrap_or(0))
            .bind(project_id.unwrap_or(0))
            .fetch_all(&self.pool)
            .await?)
    }

    /// Record a fund's decision on a project (created on first interest, then moved on).
    pub async fn set_deal(
        &self,
        audit: &Audit,
        fund_id: i64,
        project_id: i64,
        d: &DealInput,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: Option<(String,)> =
            sqlx::query_as("SELECT status FROM fund_deal WHERE fund_id = $1 AND project_id = $2")
                .bind(fund_id)
                .bind(project_id)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM fund_deal WHERE fund_id = $1 AND project_id = $2")
            .bind(fund_id)
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO fund_deal (fund_id, project_id, status, amount_fen, invested_on, reason, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(fund_id)
        .bind(project_id)
        .bind(d.status.code())
        .bind(d.amount_fen)
        .bind(d.invested_on.as_str())
        .bind(d.reason.as_str())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({
            "fund_id": fund_id, "project_id": project_id, "from": old.map(|o| o.0), "status": d.status,
            "amount_fen": d.amount_fen, "invested_on": d.invested_on,
        });
        audit
            .record(&mut tx, "decide", "fund_deal", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
