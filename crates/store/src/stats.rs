//! Key figures for the home page.

use serde::Serialize;

use crate::{Result, Store};

/// Counts of what is on the platform.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Figures {
    pub scenarios: i64,
    pub achievements: i64,
    pub organisations: i64,
    /// Organisations located in Hebei (including Xiong'an).
    pub hebei_organisations: i64,
    /// Published scenarios by chain code, largest first.
    pub scenarios_by_chain: Vec<(String, i64)>,
    /// Published achievements by chain code, largest first.
    pub achievements_by_chain: Vec<(String, i64)>,
}

impl Store {
    /// Public figures: only published (non-draft) records count.
    /// Scenarios and achievements in any status: the records the search index holds.
    pub async fn record_count(&self) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM scenario) + (SELECT COUNT(*) FROM achievement)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub async fn figures(&self) -> Result<Figures> {
        let one = |sql: &'static str| async move {
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&self.pool).await?;
            Ok::<i64, crate::StoreError>(n)
        };
        Ok(Figures {
            scenarios: one("SELECT COUNT(*) FROM scenario WHERE status <> 'draft'").await?,
            achievements: one("SELECT COUNT(*) FROM achievement WHERE status <> 'draft'").await?,
            organisations: one("SELECT COUNT(*) FROM organisation").await?,
            hebei_organisations: one("SELECT COUNT(*) FROM organisation WHERE region LIKE 'hebei%'").await?,
            scenarios_by_chain: sqlx::query_as(
                "SELECT chain, COUNT(*) AS n FROM scenario WHERE status <> 'draft' GROUP BY chain ORDER BY n DESC, chain",
            )
            .fetch_all(&self.pool)
            .await?,
            achievements_by_chain: sqlx::query_as(
                "SELECT chain, COUNT(*) AS n FROM achievement WHERE status <> 'draft' GROUP BY chain ORDER BY n DESC, chain",
            )
            .fetch_all(&self.pool)
            .await?,
        })
    }
}
