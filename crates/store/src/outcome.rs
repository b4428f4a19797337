//! Outcomes officers record (a company registered in a Hebei city, an industrial project with
//! its investment), linked to the scenario, achievement, event or challenge that led to it; and
//! the platform's statistics, every figure counted from the records by one query each.

use duijie_domain::pipeline::OutcomeKind;
use serde::Serialize;
use sqlx::FromRow;

use crate::{now, Audit, Result, Store};

#[derive(Debug, Clone, Default, Serialize)]
pub struct OutcomeInput {
    pub kind: OutcomeKind,
    pub title: String,
    pub org_id: Option<i64>,
    pub city: String,
    pub chain: String,
    pub source_region: String,
    pub amount_fen: i64,
    pub occurred_on: String,
    pub scenario_id: Option<i64>,
    pub achievement_id: Option<i64>,
    pub gathering_id: Option<i64>,
    pub challenge_id: Option<i64>,
    pub note: String,
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct OutcomeRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: OutcomeKind,
    pub title: String,
    pub org_id: Option<i64>,
    pub city: String,
    pub chain: String,
    pub source_region: String,
    pub amount_fen: i64,
    pub occurred_on: String,
    pub scenario_id: Option<i64>,
    pub achievement_id: Option<i64>,
    pub gathering_id: Option<i64>,
    pub challenge_id: Option<i64>,
    pub note: String,
}

/// The platform's figures for a year (or all time).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    pub scenarios_released: i64,
    pub achievements_published: i64,
    /// Meeting requests both sides accepted.
    pub matches: i64,
    /// Scheduled meetings whose slot has begun.
    pub meetings_held: i64,
    /// Applications awarded (including racing and completed teams).
    pub challenges_awarded: i64,
    pub services_delivered: i64,
    pub achievements_served: i64,
    pub companies_rooted: i64,
    pub projects_catalysed: i64,
    pub project_investment_fen: i64,
    pub fund_investments: i64,
    pub fund_invested_fen: i64,
}

impl Totals {
    /// Money invested: fund investments recorded on the platform and the investment of the
    /// industrial projects it catalysed.
    pub fn money_invested_fen(&self) -> i64 {
        self.fund_invested_fen + self.project_investment_fen
    }
}

/// A figure broken down by a dimension: key, count and amount (fen; 0 where none applies).
#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    pub count: i64,
    pub amount: i64,
}

/// Region codes to their province-level source: beijing, tianjin, hebei or other.
const SOURCE: &str =
    "CASE WHEN o.region LIKE 'beijing%' THEN 'beijing' WHEN o.region LIKE 'tianjin%' \
    THEN 'tianjin' WHEN o.region LIKE 'hebei%' THEN 'hebei' ELSE 'other' END";

impl Store {
    pub async fn record_outcome(&self, audit: &Audit, o: &OutcomeInput) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO outcome (kind, title, org_id, city, chain, source_region, amount_fen, \
             occurred_on, scenario_id, achievement_id, gathering_id, challenge_id, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(o.kind.code())
        .bind(o.title.as_str())
        .bind(o.org_id)
        .bind(o.city.as_str())
        .bind(o.chain.as_str())
        .bind(o.source_region.as_str())
        .bind(o.amount_fen)
        .bind(o.occurred_on.as_str())
        .bind(o.scenario_id)
        .bind(o.achievement_id)
        .bind(o.gathering_id)
        .bind(o.challenge_id)
        .bind(o.note.as_str())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::to_value(o).unwrap_or_default();
        audit
            .record(&mut tx, "create", "outcome", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn outcomes(&self) -> Result<Vec<OutcomeRow>> {
        Ok(sqlx::query_as(
            "SELECT id, kind, title, org_id, city, chain, source_region, amount_fen, occurred_on, \
             scenario_id, achievement_id, gathering_id, challenge_id, note FROM outcome \
             ORDER BY occurred_on DESC, id DESC",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn one(&self, sql: &str, year: &str) -> Result<(i64, i64)> {
        let (n, amount): (i64, Option<i64>) =
            sqlx::query_as(sql).bind(year).fetch_one(&self.pool).await?;
        Ok((n, amount.unwrap_or(0)))
    }

    /// The totals for `year` ("2026") or all time (""). Each record counts in the year of its
    /// own date: publication, decision, meeting slot, completion, registration, investment.
    pub async fn totals(&self, year: &str) -> Result<Totals> {
        let y = |col: &str| format!("($1 = '' OR substr({col}, 1, 4) = $1)");
        let q = |table: &str, cond: &str, col: &str| {
            format!(
                "SELECT COUNT(*), CAST(0 AS BIGINT) FROM {table} WHERE {cond} AND {}",
                y(col)
            )
        };
        let s = self
            .one(&q("scenario", "status <> 'draft'", "created_at"), year)
            .await?;
        let a = self
            .one(&q("achievement", "status <> 'draft'", "created_at"), year)
            .await?;
        let m = self
            .one(
                &q(
                    "meeting_request",
                    "status = 'accepted'",
                    "COALESCE(decided_at, created_at)",
                ),
                year,
            )
            .await?;
        // A meeting is held once its slot has begun (slot times carry their offset).
        let starts: Vec<(String,)> = sqlx::query_as(&format!(
            "SELECT s.starts_at FROM meeting m JOIN gathering_slot s ON s.id = m.slot_id WHERE {}",
            y("s.starts_at")
        ))
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        let at = chrono::Utc::now();
        let held = starts
            .iter()
            .filter(|(s,)| chrono::DateTime::parse_from_rfc3339(s).is_ok_and(|t| t <= at))
            .count() as i64;
        let c = self
            .one(
                &q(
                    "application",
                    "status IN ('awarded', 'racing', 'completed')",
                    "updated_at",
                ),
                year,
            )
            .await?;
        let sv = self
            .one(
                &format!(
                    "SELECT COUNT(*), COUNT(DISTINCT achievement_id) FROM service_request \
                     WHERE status = 'done' AND {}",
                    y("end_day")
                ),
                year,
            )
            .await?;
        let rooted = self
            .one(&q("outcome", "kind = 'company'", "occurred_on"), year)
            .await?;
        let projects = self
            .one(
                &format!(
                    "SELECT COUNT(*), CAST(SUM(amount_fen) AS BIGINT) FROM outcome WHERE kind = 'project' AND {}",
                    y("occurred_on")
                ),
                year,
            )
            .await?;
        let funds = self
            .one(
                &format!(
                    "SELECT COUNT(*), CAST(SUM(amount_fen) AS BIGINT) FROM fund_deal WHERE status = 'invested' AND {}",
                    y("invested_on")
                ),
                year,
            )
            .await?;
        Ok(Totals {
            scenarios_released: s.0,
            achievements_published: a.0,
            matches: m.0,
            meetings_held: held,
            challenges_awarded: c.0,
            services_delivered: sv.0,
            achievements_served: sv.1,
            companies_rooted: rooted.0,
            projects_catalysed: projects.0,
            project_investment_fen: projects.1,
            fund_investments: funds.0,
            fund_invested_fen: funds.1,
        })
    }

    async fn groups(&self, sql: &str, year: &str) -> Result<Vec<Group>> {
        let rows: Vec<(String, i64, Option<i64>)> =
            sqlx::query_as(sql).bind(year).fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(key, count, amount)| Group {
                key,
                count,
                amount: amount.unwrap_or(0),
            })
            .collect())
    }

    /// Breakdowns for `year` (or all time): `dimension` is one of `chain`, `city`, `source`,
    /// `year`; `metric` one of `scenarios`, `achievements`, `companies`, `projects`,
    /// `investments`. Unknown pairs give nothing.
    pub async fn breakdown(&self, metric: &str, dimension: &str, year: &str) -> Result<Vec<Group>> {
        let y = |col: &str| format!("($1 = '' OR substr({col}, 1, 4) = $1)");
        let sql = match (metric, dimension) {
            ("scenarios" | "achievements", dim) => {
                let table = if metric == "scenarios" {
                    "scenario"
                } else {
                    "achievement"
                };
                let key = match dim {
                    "chain" => "r.chain".to_string(),
                    "source" => SOURCE.to_string(),
                    "year" => "substr(r.created_at, 1, 4)".to_string(),
                    _ => return Ok(Vec::new()),
                };
                format!(
                    "SELECT {key} AS k, COUNT(*), CAST(0 AS BIGINT) FROM {table} r JOIN organisation o ON o.id = r.org_id \
                     WHERE r.status <> 'draft' AND {} GROUP BY {key} ORDER BY 1",
                    y("r.created_at")
                )
            }
            ("companies" | "projects", dim) => {
                let kind = if metric == "companies" {
                    OutcomeKind::Company
                } else {
                    OutcomeKind::Project
                }
                .code();
                let key = match dim {
                    "chain" => "chain",
                    "city" => "city",
                    "source" => "source_region",
                    "year" => "substr(occurred_on, 1, 4)",
                    _ => return Ok(Vec::new()),
                };
                format!(
                    "SELECT {key} AS k, COUNT(*), CAST(SUM(amount_fen) AS BIGINT) FROM outcome WHERE kind = '{kind}' AND {} \
                     GROUP BY {key} ORDER BY 1",
                    y("occurred_on")
                )
            }
            ("investments", dim) => {
                let key = match dim {
                    "chain" => "p.chain",
                    "city" => "p.region",
                    "year" => "substr(d.invested_on, 1, 4)",
                    _ => return Ok(Vec::new()),
                };
                format!(
                    "SELECT {key} AS k, COUNT(*), CAST(SUM(d.amount_fen) AS BIGINT) FROM fund_deal d \
                     JOIN finance_project p ON p.id = d.project_id WHERE d.status = 'invested' AND {} \
                     GROUP BY {key} ORDER BY 1",
                    y("d.invested_on")
                )
            }
            _ => return Ok(Vec::new()),
        };
        self.groups(&sql, year).await
    }
}
