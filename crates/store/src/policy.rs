//! Enterprise profiles for policy matching: what an enterprise says of itself and its figures
//! by year (`enterprise_profile`, `enterprise_year`). A NULL is a fact not given yet.

use serde::Serialize;
use sqlx::FromRow;

use crate::audit::Audit;
use crate::{now, Result, Store};

/// What an enterprise says of itself. Booleans are 0/1; days are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, FromRow, Serialize, PartialEq, Eq)]
pub struct ProfileRow {
    pub founded_on: Option<String>,
    pub industry: Option<String>,
    pub hightech_field: Option<i64>,
    pub clean_record: Option<i64>,
    pub hightech_certificate_until: Option<String>,
    pub national_award: Option<i64>,
    pub provincial_rnd_institution: Option<i64>,
    pub led_standard: Option<i64>,
    pub ip_class1: Option<i64>,
    pub ip_class2: Option<i64>,
    pub innovation_score: Option<i64>,
    pub audited_accounts: Option<i64>,
}

/// An enterprise's figures for one year. Money in fen.
#[derive(Debug, Clone, Default, FromRow, Serialize, PartialEq, Eq)]
pub struct FiguresRow {
    pub year: i64,
    pub staff: Option<i64>,
    pub tech_staff: Option<i64>,
    pub revenue_fen: Option<i64>,
    pub total_income_fen: Option<i64>,
    pub assets_fen: Option<i64>,
    pub total_cost_fen: Option<i64>,
    pub rnd_fen: Option<i64>,
    pub rnd_domestic_fen: Option<i64>,
    pub hightech_revenue_fen: Option<i64>,
}

/// An enterprise with its profile (if it has kept one) and its figures, for the officers' list.
#[derive(Debug, Clone, Serialize)]
pub struct Enterprise {
    pub org_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub region: String,
    pub profile: Option<ProfileRow>,
    pub years: Vec<FiguresRow>,
}

const PROFILE_COLUMNS: &str = "founded_on, industry, hightech_field, clean_record, \
    hightech_certificate_until, national_award, provincial_rnd_institution, led_standard, \
    ip_class1, ip_class2, innovation_score, audited_accounts";
const YEAR_COLUMNS: &str = "year, staff, tech_staff, revenue_fen, total_income_fen, assets_fen, \
    total_cost_fen, rnd_fen, rnd_domestic_fen, hightech_revenue_fen";

impl Store {
    /// The organisation's profile (none when never kept) and its figures, oldest year first.
    pub async fn enterprise_profile(
        &self,
        org_id: i64,
    ) -> Result<(Option<ProfileRow>, Vec<FiguresRow>)> {
        let profile = sqlx::query_as(&format!(
            "SELECT {PROFILE_COLUMNS} FROM enterprise_profile WHERE org_id = $1"
        ))
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        let years = sqlx::query_as(&format!(
            "SELECT {YEAR_COLUMNS} FROM enterprise_year WHERE org_id = $1 ORDER BY year"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok((profile, years))
    }

    /// Keep the organisation's profile and replace its figures with `years`, in one
    /// transaction with its audit entry (the whole profile, as saved).
    pub async fn save_enterprise_profile(
        &self,
        audit: &Audit,
        org_id: i64,
        p: &ProfileRow,
        years: &[FiguresRow],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM enterprise_profile WHERE org_id = $1")
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!(
            "INSERT INTO enterprise_profile (org_id, {PROFILE_COLUMNS}, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(org_id)
        .bind(&p.founded_on)
        .bind(&p.industry)
        .bind(p.hightech_field)
        .bind(p.clean_record)
        .bind(&p.hightech_certificate_until)
        .bind(p.national_award)
        .bind(p.provincial_rnd_institution)
        .bind(p.led_standard)
        .bind(p.ip_class1)
        .bind(p.ip_class2)
        .bind(p.innovation_score)
        .bind(p.audited_accounts)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM enterprise_year WHERE org_id = $1")
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        for y in years {
            sqlx::query(&format!(
                "INSERT INTO enterprise_year (org_id, {YEAR_COLUMNS}, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
            ))
            .bind(org_id)
            .bind(y.year)
            .bind(y.staff)
            .bind(y.tech_staff)
            .bind(y.revenue_fen)
            .bind(y.total_income_fen)
            .bind(y.assets_fen)
            .bind(y.total_cost_fen)
            .bind(y.rnd_fen)
            .bind(y.rnd_domestic_fen)
            .bind(y.hightech_revenue_fen)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        let detail = serde_json::json!({ "org_id": org_id, "profile": p, "years": years });
        audit
            .record(
                &mut tx,
                "update",
                "enterprise_profile",
                Some(org_id),
                detail,
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Enterprises whose region is `region` or lies within it (`hebei` holds `hebei.tangshan`),
    /// or all with `None`, with their profiles and figures, by id (three queries, however many).
    pub async fn enterprises(&self, region: Option<&str>) -> Result<Vec<Enterprise>> {
        const IN_AREA: &str =
            "o.kind = 'enterprise' AND ($1 IS NULL OR o.region = $1 OR o.region LIKE $2)";
        let within = region.map(|r| format!("{r}.%"));
        let orgs: Vec<(i64, String, String, String)> = sqlx::query_as(&format!(
            "SELECT o.id, o.name_zh, o.name_en, o.region FROM organisation o WHERE {IN_AREA} ORDER BY o.id"
        ))
        .bind(region)
        .bind(&within)
        .fetch_all(&self.pool)
        .await?;
        #[derive(FromRow)]
        struct Kept {
            org_id: i64,
            #[sqlx(flatten)]
            p: ProfileRow,
        }
        let profiles: Vec<Kept> = sqlx::query_as(&format!(
            "SELECT p.org_id, {} FROM enterprise_profile p JOIN organisation o ON o.id = p.org_id \
             WHERE {IN_AREA}",
            prefixed("p", PROFILE_COLUMNS)
        ))
        .bind(region)
        .bind(&within)
        .fetch_all(&self.pool)
        .await?;
        #[derive(FromRow)]
        struct Figures {
            org_id: i64,
            #[sqlx(flatten)]
            y: FiguresRow,
        }
        let years: Vec<Figures> = sqlx::query_as(&format!(
            "SELECT y.org_id, {} FROM enterprise_year y JOIN organisation o ON o.id = y.org_id \
             WHERE {IN_AREA} ORDER BY y.year",
            prefixed("y", YEAR_COLUMNS)
        ))
        .bind(region)
        .bind(&within)
        .fetch_all(&self.pool)
        .await?;
        let mut profiles: std::collections::HashMap<i64, ProfileRow> =
            profiles.into_iter().map(|k| (k.org_id, k.p)).collect();
        let mut by_org: std::collections::HashMap<i64, Vec<FiguresRow>> = Default::default();
        for f in years {
            by_org.entry(f.org_id).or_default().push(f.y);
        }
        Ok(orgs
            .into_iter()
            .map(|(org_id, name_zh, name_en, region)| Enterprise {
                profile: profiles.remove(&org_id),
                years: by_org.remove(&org_id).unwrap_or_default(),
                org_id,
                name_zh,
                name_en,
                region,
            })
            .collect())
    }
}

/// `columns` ("a, b") each prefixed with `table.` ("p.a, p.b").
fn prefixed(table: &str, columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}
