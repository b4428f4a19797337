//! Bulk import of validated records in one transaction: every row is inserted or updated by its
//! `key`, or — if any row is wrong — nothing is written and the error names the row and column.

use duijie_domain::{AchievementInput, OrgInput, ScenarioInput};
use sqlx::AnyConnection;

use crate::achievement::{self as ach, AchievementRow};
use crate::audit::diff;
use crate::organisation::{self as org, OrgRow};
use crate::scenario::{self as scn, ScenarioRow};
use crate::{Audit, Result, Store, StoreError};

/// One validated record of a file, with the row it came from (1-based, header is row 1).
#[derive(Debug, Clone)]
pub struct ImportRow<T> {
    pub row: usize,
    /// The owner organisation's key (scenarios and achievements only).
    pub org_key: Option<String>,
    pub input: T,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Ids of records inserted or updated (for the search index).
    pub changed_ids: Vec<i64>,
}

fn import_err(row: usize, column: &str, message: impl Into<String>) -> StoreError {
    StoreError::Import {
        row,
        column: column.to_string(),
        message: message.into(),
    }
}

/// The key of each row, checked present and unique within the file.
fn keys<T: Importable>(rows: &[ImportRow<T>]) -> Result<Vec<String>> {
    let mut seen = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let k = r.input.key().ok_or_else(|| {
            import_err(r.row, "key", "a key is required for import, so that importing the file again updates instead of duplicating")
        })?;
        if let Some(first) = seen.insert(k.clone(), r.row) {
            return Err(import_err(
                r.row,
                "key",
                format!("key \"{k}\" already used in row {first}"),
            ));
        }
        out.push(k.clone());
    }
    Ok(out)
}

async fn org_by_key<T>(conn: &mut AnyConnection, r: &ImportRow<T>) -> Result<i64> {
    let k = r
        .org_key
        .as_deref()
        .ok_or_else(|| import_err(r.row, "org_key", "the owner organisation's key is required"))?;
    let id: Option<(i64,)> = sqlx::query_as("SELECT id FROM organisation WHERE key = $1")
        .bind(k)
        .fetch_optional(&mut *conn)
        .await?;
    id.map(|i| i.0)
        .ok_or_else(|| import_err(r.row, "org_key", format!("no organisation has key \"{k}\"")))
}

/// What differs between the kinds of record an import can write.
pub(crate) trait Importable: Sized {
    const TABLE: &'static str;
    /// Whether each row names its owner organisation (`org_key`).
    const OWNED: bool;
    fn key(&self) -> Option<&String>;
    /// The record as JSON, the same shape as `stored` gives, for change detection and audit.
    fn json(&self, org: i64) -> serde_json::Value;
    async fn stored(conn: &mut AnyConnection, id: i64) -> Result<serde_json::Value>;
    async fn insert(&self, conn: &mut AnyConnection, org: i64) -> Result<i64>;
    async fn update(&self, conn: &mut AnyConnection, id: i64, org: i64) -> Result<()>;
}

impl Importable for OrgInput {
    const TABLE: &'static str = "organisation";
    const OWNED: bool = false;
    fn key(&self) -> Option<&String> {
        self.key.as_ref()
    }
    fn json(&self, _: i64) -> serde_json::Value {
        org::org_json(self)
    }
    async fn stored(conn: &mut AnyConnection, id: i64) -> Result<serde_json::Value> {
        let r: OrgRow = sqlx::query_as(&format!(
            "SELECT {} FROM organisation WHERE id = $1",
            org::COLS
        ))
        .bind(id)
        .fetch_one(conn)
        .await?;
        Ok(org::row_json(&r))
    }
    async fn insert(&self, conn: &mut AnyConnection, _: i64) -> Result<i64> {
        org::insert_org(conn, self).await
    }
    async fn update(&self, conn: &mut AnyConnection, id: i64, _: i64) -> Result<()> {
        org::update_org(conn, id, self).await
    }
}

impl Importable for ScenarioInput {
    const TABLE: &'static str = "scenario";
    const OWNED: bool = true;
    fn key(&self) -> Option<&String> {
        self.key.as_ref()
    }
    fn json(&self, org: i64) -> serde_json::Value {
        scn::scenario_json(org, self)
    }
    async fn stored(conn: &mut AnyConnection, id: i64) -> Result<serde_json::Value> {
        let r: ScenarioRow = sqlx::query_as(&format!("{} WHERE r.id = $1", scn::SELECT))
            .bind(id)
            .fetch_one(conn)
            .await?;
        Ok(scn::row_json(&r))
    }
    async fn insert(&self, conn: &mut AnyConnection, org: i64) -> Result<i64> {
        scn::insert_scenario(conn, org, self).await
    }
    async fn update(&self, conn: &mut AnyConnection, id: i64, org: i64) -> Result<()> {
        scn::update_scenario(conn, id, org, self).await
    }
}

impl Importable for AchievementInput {
    const TABLE: &'static str = "achievement";
    const OWNED: bool = true;
    fn key(&self) -> Option<&String> {
        self.key.as_ref()
    }
    fn json(&self, org: i64) -> serde_json::Value {
        ach::achievement_json(org, self)
    }
    async fn stored(conn: &mut AnyConnection, id: i64) -> Result<serde_json::Value> {
        let r: AchievementRow = sqlx::query_as(&format!("{} WHERE r.id = $1", ach::SELECT))
            .bind(id)
            .fetch_one(conn)
            .await?;
        Ok(ach::row_json(&r))
    }
    async fn insert(&self, conn: &mut AnyConnection, org: i64) -> Result<i64> {
        ach::insert_achievement(conn, org, self).await
    }
    async fn update(&self, conn: &mut AnyConnection, id: i64, org: i64) -> Result<()> {
        ach::update_achievement(conn, id, org, self).await
    }
}

impl Store {
    /// Import organisations; `progress` is told how many rows are done.
    pub async fn import_organisations(
        &self,
        audit: &Audit,
        rows: &[ImportRow<OrgInput>],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        self.import(audit, rows, progress).await
    }

    /// Import scenarios; each row names its owner by `org_key`.
    pub async fn import_scenarios(
        &self,
        audit: &Audit,
        rows: &[ImportRow<ScenarioInput>],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        self.import(audit, rows, progress).await
    }

    /// Import achievements; each row names its owner by `org_key`.
    pub async fn import_achievements(
        &self,
        audit: &Audit,
        rows: &[ImportRow<AchievementInput>],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        self.import(audit, rows, progress).await
    }

    /// Insert new keys, update changed records, leave unchanged ones alone; all in one
    /// transaction that the first bad row rolls back.
    async fn import<T: Importable>(
        &self,
        audit: &Audit,
        rows: &[ImportRow<T>],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        let keys = keys(rows)?;
        let mut tx = self.begin_write().await?;
        let mut rep = ImportReport::default();
        for (n, (r, key)) in rows.iter().zip(&keys).enumerate() {
            let owner = if T::OWNED {
                org_by_key(&mut tx, r).await?
            } else {
                0
            };
            let new = r.input.json(owner);
            let found: Option<(i64,)> =
                sqlx::query_as(&format!("SELECT id FROM {} WHERE key = $1", T::TABLE))
                    .bind(key.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            match found {
                None => {
                    let id = r.input.insert(&mut tx, owner).await?;
                    let detail = diff(&serde_json::json!({}), &new);
                    audit
                        .record(&mut tx, "import", T::TABLE, Some(id), detail)
                        .await?;
                    rep.inserted += 1;
                    rep.changed_ids.push(id);
                }
                Some((id,)) => {
                    let d = diff(&T::stored(&mut tx, id).await?, &new);
                    if d.as_object().is_some_and(|o| o.is_empty()) {
                        rep.unchanged += 1;
                    } else {
                        r.input.update(&mut tx, id, owner).await?;
                        audit
                            .record(&mut tx, "import_update", T::TABLE, Some(id), d)
                            .await?;
                        rep.updated += 1;
                        rep.changed_ids.push(id);
                    }
                }
            }
            progress(n + 1);
        }
        tx.commit().await?;
        Ok(rep)
    }
}

impl Store {
    /// The keys of every record in `table` (`organisation`, `scenario` or `achievement`).
    pub async fn record_keys(
        &self,
        table: RecordTable,
    ) -> Result<std::collections::HashSet<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(&format!(
            "SELECT key FROM {} WHERE key IS NOT NULL",
            table.name()
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(k,)| k).collect())
    }
}

/// The tables of importable records (a closed list: the name goes into SQL).
#[derive(Clone, Copy, Debug)]
pub enum RecordTable {
    Organisations,
    Scenarios,
    Achievements,
}

impl RecordTable {
    fn name(self) -> &'static str {
        match self {
            RecordTable::Organisations => "organisation",
            RecordTable::Scenarios => "scenario",
            RecordTable::Achievements => "achievement",
        }
    }
}
