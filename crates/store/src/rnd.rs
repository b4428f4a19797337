//! R&D expense super-deduction records: an enterprise's income figures per tax year, its R&D
//! projects (facts for pre-identification and the year's costs), opinions on a project, shared
//! staff and equipment, and the hours imported from time sheets and equipment logs. Every write
//! is one audited transaction; an import is all or nothing.

use duijie_domain::rnd::{CostCategory, EnterpriseKind, ResourceKind, ReviewStatus, Verdict};
use serde::Serialize;
use sqlx::FromRow;

use crate::{conflict_on, now, Audit, Result, Store, StoreError};

#[derive(Debug, Clone, Default, FromRow, Serialize)]
pub struct YearRow {
    #[sqlx(try_from = "String")]
    pub kind: EnterpriseKind,
    pub total_income_fen: i64,
    pub negative_list_income_fen: i64,
    pub non_taxable_income_fen: i64,
    pub investment_income_fen: i64,
    /// 2022 only: the fourth quarter's expensed R&D cost, when the enterprise knows it.
    pub q4_2022_fen: Option<i64>,
}

/// What a user enters for a project. Lists (targets, team) are one item per line; evidence and
/// activities are comma-separated codes; flags are 0 or 1.
#[derive(Debug, Clone, Default, FromRow, Serialize)]
pub struct ProjectFields {
    pub code: String,
    pub name: String,
    pub goal: String,
    pub targets: String,
    pub innovation: String,
    pub uncertainty: String,
    pub approved: i64,
    pub approval_date: String,
    pub start_date: String,
    pub end_date: String,
    pub team: String,
    pub has_plan: i64,
    pub has_milestones: i64,
    pub test_records: i64,
    pub evidence: String,
    pub activities: String,
    pub capitalised: i64,
    pub amort_years: i64,
    pub amort_months: i64,
    pub personnel_fen: i64,
    pub direct_inputs_fen: i64,
    pub depreciation_fen: i64,
    pub intangible_fen: i64,
    pub design_fen: i64,
    pub other_fen: i64,
    pub sold_material_fen: i64,
    pub subsidy_fen: i64,
    pub special_income_fen: i64,
    pub domestic_fen: i64,
    pub overseas_fen: i64,
}

enum Val<'a> {
    Text(&'a str),
    Int(i64),
}

impl ProjectFields {
    const COLUMNS: &'static [&'static str] = &[
        "code",
        "name",
        "goal",
        "targets",
        "innovation",
        "uncertainty",
        "approved",
        "approval_date",
        "start_date",
        "end_date",
        "team",
        "has_plan",
        "has_milestones",
        "test_records",
        "evidence",
        "activities",
        "capitalised",
        "amort_years",
        "amort_months",
        "personnel_fen",
        "direct_inputs_fen",
        "depreciation_fen",
        "intangible_fen",
        "design_fen",
        "other_fen",
        "sold_material_fen",
        "subsidy_fen",
        "special_income_fen",
        "domestic_fen",
        "overseas_fen",
    ];

    /// The values in the order of `COLUMNS`.
    fn values(&self) -> Vec<Val<'_>> {
        use Val::{Int, Text};
        vec![
            Text(&self.code),
            Text(&self.name),
            Text(&self.goal),
            Text(&self.targets),
            Text(&self.innovation),
            Text(&self.uncertainty),
            Int(self.approved),
            Text(&self.approval_date),
            Text(&self.start_date),
            Text(&self.end_date),
            Text(&self.team),
            Int(self.has_plan),
            Int(self.has_milestones),
            Int(self.test_records),
            Text(&self.evidence),
            Text(&self.activities),
            Int(self.capitalised),
            Int(self.amort_years),
            Int(self.amort_months),
            Int(self.personnel_fen),
            Int(self.direct_inputs_fen),
            Int(self.depreciation_fen),
            Int(self.intangible_fen),
            Int(self.design_fen),
            Int(self.other_fen),
            Int(self.sold_material_fen),
            Int(self.subsidy_fen),
            Int(self.special_income_fen),
            Int(self.domestic_fen),
            Int(self.overseas_fen),
        ]
    }

    /// The audit log's copy: names and flags, not the figures' history.
    fn audit(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ProjectRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    pub year: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub fields: ProjectFields,
    /// `draft`, or `requested` when open to officers and experts for an opinion.
    #[sqlx(try_from = "String")]
    pub review_status: ReviewStatus,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct OpinionRow {
    pub id: i64,
    pub project_id: i64,
    pub user_id: i64,
    pub reviewer: String,
    #[sqlx(try_from = "String")]
    pub role: duijie_domain::Role,
    #[sqlx(try_from = "String")]
    pub verdict: Verdict,
    pub opinion: String,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ResourceRow {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: ResourceKind,
    #[sqlx(try_from = "String")]
    pub category: CostCategory,
    pub amount_fen: i64,
}

#[derive(Debug, Clone)]
pub struct ResourceInput {
    pub name: String,
    pub kind: ResourceKind,
    pub category: CostCategory,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ImportRow {
    pub id: i64,
    pub file_name: String,
    pub row_count: i64,
    pub uploaded_by: Option<String>,
    pub created_at: String,
}

/// One row of a time sheet or equipment log.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Eq)]
pub struct HoursRow {
    pub row_no: i64,
    pub resource: String,
    /// Empty for work that is not R&D.
    pub project_code: String,
    pub work_date: String,
    /// An exact decimal, e.g. "7.5".
    pub hours: String,
}

const PROJECT_SELECT: &str = "SELECT p.*, o.name_zh AS org_name_zh, o.name_en AS org_name_en \
    FROM rnd_project p JOIN organisation o ON o.id = p.org_id";

impl Store {
    pub async fn rnd_year(&self, org_id: i64, year: i64) -> Result<Option<YearRow>> {
        Ok(sqlx::query_as(
            "SELECT kind, total_income_fen, negative_list_income_fen, non_taxable_income_fen, \
             investment_income_fen, q4_2022_fen FROM rnd_year WHERE org_id = $1 AND year = $2",
        )
        .bind(org_id)
        .bind(year)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Set an enterprise's figures for a year (created or replaced).
    pub async fn save_rnd_year(
        &self,
        audit: &Audit,
        org_id: i64,
        year: i64,
        y: &YearRow,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM rnd_year WHERE org_id = $1 AND year = $2")
            .bind(org_id)
            .bind(year)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO rnd_year (org_id, year, kind, total_income_fen, negative_list_income_fen, \
             non_taxable_income_fen, investment_income_fen, q4_2022_fen, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(org_id)
        .bind(year)
        .bind(y.kind.code())
        .bind(y.total_income_fen)
        .bind(y.negative_list_income_fen)
        .bind(y.non_taxable_income_fen)
        .bind(y.investment_income_fen)
        .bind(y.q4_2022_fen)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "org_id": org_id, "year": year, "figures": y });
        audit
            .record(&mut tx, "update", "rnd_year", None, detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every (organisation, year) with an enterprise's figures on the R&D ledger.
    pub async fn rnd_year_keys(&self) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as("SELECT org_id, year FROM rnd_year")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Years in which the organisation has R&D records, newest first.
    pub async fn rnd_years(&self, org_id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT year FROM rnd_year WHERE org_id = $1 UNION \
             SELECT year FROM rnd_project WHERE org_id = $1 ORDER BY 1 DESC",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Organisations with R&D records, for staff: (id, name_zh, name_en).
    pub async fn rnd_organisations(&self) -> Result<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT o.id, o.name_zh, o.name_en FROM organisation o \
             JOIN rnd_project p ON p.org_id = o.id ORDER BY o.id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn rnd_projects(&self, org_id: i64, year: i64) -> Result<Vec<ProjectRow>> {
        let sql = format!("{PROJECT_SELECT} WHERE p.org_id = $1 AND p.year = $2 ORDER BY p.code");
        Ok(sqlx::query_as(&sql)
            .bind(org_id)
            .bind(year)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Projects whose owners asked for an opinion, newest first.
    pub async fn rnd_review_queue(&self) -> Result<Vec<ProjectRow>> {
        let sql = format!(
            "{PROJECT_SELECT} WHERE p.review_status = 'requested' ORDER BY p.updated_at DESC"
        );
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    pub async fn rnd_project(&self, id: i64) -> Result<ProjectRow> {
        let sql = format!("{PROJECT_SELECT} WHERE p.id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_rnd_project(
        &self,
        audit: &Audit,
        org_id: i64,
        year: i64,
        f: &ProjectFields,
    ) -> Result<i64> {
        let cols = ProjectFields::COLUMNS;
        let n = cols.len();
        let marks: Vec<String> = (1..=n + 5).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO rnd_project ({}, org_id, year, review_status, created_at, updated_at) \
             VALUES ({}) RETURNING id",
            cols.join(", "),
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for v in f.values() {
            q = match v {
                Val::Text(s) => q.bind(s),
                Val::Int(i) => q.bind(i),
            };
        }
        let t = now();
        let mut tx = self.begin_write().await?;
        let (id,) = q
            .bind(org_id)
            .bind(year)
            .bind("draft")
            .bind(t.as_str())
            .bind(t.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(conflict_on("code"))?;
        audit
            .record(&mut tx, "create", "rnd_project", Some(id), f.audit())
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_rnd_project(
        &self,
        audit: &Audit,
        id: i64,
        f: &ProjectFields,
    ) -> Result<()> {
        let old = self.rnd_project(id).await?;
        let cols = ProjectFields::COLUMNS;
        let sets: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        let sql = format!(
            "UPDATE rnd_project SET {}, updated_at = ${} WHERE id = ${}",
            sets.join(", "),
            cols.len() + 1,
            cols.len() + 2
        );
        let mut q = sqlx::query(&sql);
        for v in f.values() {
            q = match v {
                Val::Text(s) => q.bind(s),
                Val::Int(i) => q.bind(i),
            };
        }
        let mut tx = self.begin_write().await?;
        q.bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(conflict_on("code"))?;
        let change = crate::audit::diff(&old.fields.audit(), &f.audit());
        audit
            .record(&mut tx, "update", "rnd_project", Some(id), change)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Open a project to officers and experts for an opinion (or close it again).
    pub async fn set_rnd_review_status(
        &self,
        audit: &Audit,
        id: i64,
        status: ReviewStatus,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE rnd_project SET review_status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.code())
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit
            .record(
                &mut tx,
                "review_status",
                "rnd_project",
                Some(id),
                serde_json::json!({ "review_status": status }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_rnd_opinion(
        &self,
        audit: &Audit,
        project_id: i64,
        user_id: i64,
        verdict: Verdict,
        opinion: &str,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO rnd_opinion (project_id, user_id, verdict, opinion, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(project_id)
        .bind(user_id)
        .bind(verdict.code())
        .bind(opinion)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        audit
            .record(
                &mut tx,
                "opinion",
                "rnd_project",
                Some(project_id),
                serde_json::json!({ "opinion_id": id, "verdict": verdict }),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn rnd_opinions(&self, project_id: i64) -> Result<Vec<OpinionRow>> {
        Ok(sqlx::query_as(
            "SELECT r.id, r.project_id, r.user_id, u.display_name AS reviewer, u.role, r.verdict, \
             r.opinion, r.created_at FROM rnd_opinion r JOIN app_user u ON u.id = r.user_id \
             WHERE r.project_id = $1 ORDER BY r.id",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn rnd_resources(&self, org_id: i64, year: i64) -> Result<Vec<ResourceRow>> {
        Ok(sqlx::query_as(
            "SELECT id, name, kind, category, amount_fen FROM rnd_resource \
             WHERE org_id = $1 AND year = $2 ORDER BY kind DESC, name",
        )
        .bind(org_id)
        .bind(year)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Add a shared staff member or piece of equipment, or replace the one with that name.
    pub async fn save_rnd_resource(
        &self,
        audit: &Audit,
        org_id: i64,
        year: i64,
        r: &ResourceInput,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM rnd_resource WHERE org_id = $1 AND year = $2 AND name = $3")
            .bind(org_id)
            .bind(year)
            .bind(r.name.as_str())
            .execute(&mut *tx)
            .await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO rnd_resource (org_id, year, name, kind, category, amount_fen) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org_id)
        .bind(year)
        .bind(r.name.as_str())
        .bind(r.kind.code())
        .bind(r.category.code())
        .bind(r.amount_fen)
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({
            "org_id": org_id, "year": year, "name": r.name, "kind": r.kind,
            "category": r.category, "amount_fen": r.amount_fen,
        });
        audit
            .record(&mut tx, "save", "rnd_resource", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_rnd_resource(&self, audit: &Audit, org_id: i64, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let gone = sqlx::query("DELETE FROM rnd_resource WHERE id = $1 AND org_id = $2")
            .bind(id)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit
            .record(
                &mut tx,
                "delete",
                "rnd_resource",
                Some(id),
                serde_json::json!({}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Store one imported file's rows as a batch: all of them or, on any error, none.
    /// Store an imported file's rows, all or none. `check` sees the year's rows already stored
    /// (read inside the import's transaction, so a concurrent import cannot slip past it) and
    /// may refuse the file. Rows go in 500 to a statement: the write lock is held for the
    /// inserts alone, not for a round trip per row.
    pub async fn import_rnd_hours<E: From<StoreError>>(
        &self,
        audit: &Audit,
        org_id: i64,
        year: i64,
        file_name: &str,
        rows: &[HoursRow],
        check: impl FnOnce(&[HoursRow]) -> Result<(), E>,
    ) -> Result<i64, E> {
        let mut tx = self.begin_write().await?;
        let stored = hours_of(&mut tx, org_id, year).await?;
        check(&stored)?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO rnd_import (org_id, year, file_name, row_count, user_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org_id)
        .bind(year)
        .bind(file_name)
        .bind(rows.len() as i64)
        .bind(audit.user_id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        for chunk in rows.chunks(500) {
            let values = (0..chunk.len())
                .map(|i| {
                    let p = i * 6;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${})",
                        p + 1,
                        p + 2,
                        p + 3,
                        p + 4,
                        p + 5,
                        p + 6
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO rnd_hours (import_id, row_no, resource, project_code, work_date, hours) \
                 VALUES {values}"
            );
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(id)
                    .bind(r.row_no)
                    .bind(r.resource.as_str())
                    .bind(r.project_code.as_str())
                    .bind(r.work_date.as_str())
                    .bind(r.hours.as_str());
            }
            q.execute(&mut *tx).await.map_err(StoreError::from)?;
        }
        let detail = serde_json::json!({
            "org_id": org_id, "year": year, "file": file_name, "rows": rows.len(),
        });
        audit
            .record(&mut tx, "import", "rnd_hours", Some(id), detail)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    pub async fn rnd_imports(&self, org_id: i64, year: i64) -> Result<Vec<ImportRow>> {
        Ok(sqlx::query_as(
            "SELECT i.id, i.file_name, i.row_count, u.display_name AS uploaded_by, \
             i.created_at FROM rnd_import i LEFT JOIN app_user u ON u.id = i.user_id \
             WHERE i.org_id = $1 AND i.year = $2 ORDER BY i.id",
        )
        .bind(org_id)
        .bind(year)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Remove an imported file's rows.
    pub async fn delete_rnd_import(&self, audit: &Audit, org_id: i64, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM rnd_import WHERE id = $1 AND org_id = $2")
                .bind(id)
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await?;
        if found.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM rnd_hours WHERE import_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM rnd_import WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit
            .record(
                &mut tx,
                "delete",
                "rnd_import",
                Some(id),
                serde_json::json!({}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every hour recorded for the organisation's year, in import and row order.
    pub async fn rnd_hours(&self, org_id: i64, year: i64) -> Result<Vec<HoursRow>> {
        let mut conn = self.pool.acquire().await?;
        hours_of(&mut conn, org_id, year).await
    }
}

/// Every imported row of an organisation's year, file by file in row order.
async fn hours_of(conn: &mut sqlx::AnyConnection, org_id: i64, year: i64) -> Result<Vec<HoursRow>> {
    Ok(sqlx::query_as(
        "SELECT h.row_no, h.resource, h.project_code, h.work_date, h.hours FROM rnd_hours h \
         JOIN rnd_import i ON i.id = h.import_id WHERE i.org_id = $1 AND i.year = $2 \
         ORDER BY h.import_id, h.row_no",
    )
    .bind(org_id)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?)
}
