//! Bulk import of validated records in one transaction: every row is inserted or updated by its
//! `key`, or — if any row is wrong — nothing is written and the error names the row and column.

use duijie_domain::{AchievementInput, OrgInput, ScenarioInput};
use sqlx::AnyConnection;

use crate::achievement::{self as ach, achievement_json, insert_achievement, update_achievement};
use crate::audit::diff;
use crate::organisation::{self as org, insert_org, org_json, update_org, OrgRow};
use crate::scenario::{self as scn, insert_scenario, scenario_json, update_scenario};
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
fn keys<T>(rows: &[ImportRow<T>], key: impl Fn(&T) -> Option<&String>) -> Result<Vec<String>> {
    let mut seen = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let k = key(&r.input).ok_or_else(|| {
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

async fn org_by_key(conn: &mut AnyConnection, r: &ImportRow<impl Sized>) -> Result<i64> {
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

/// Compare the stored JSON form with the new one: `None` when the key is new.
async fn existing(conn: &mut AnyConnection, table: &str, key: &str) -> Result<Option<i64>> {
    let id: Option<(i64,)> = sqlx::query_as(&format!("SELECT id FROM {table} WHERE key = $1"))
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(id.map(|i| i.0))
}

impl Store {
    /// Import organisations; `progress` is told how many rows are done.
    pub async fn import_organisations(
        &self,
        audit: &Audit,
        rows: &[ImportRow<OrgInput>],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        let keys = keys(rows, |i| i.key.as_ref())?;
        let mut tx = self.pool.begin().await?;
        let mut rep = ImportReport::default();
        for (n, (r, key)) in rows.iter().zip(&keys).enumerate() {
            let new = org_json(&r.input);
            match existing(&mut tx, "organisation", key).await? {
                None => {
                    let id = insert_org(&mut tx, &r.input).await?;
                    audit
                        .record(&mut tx, "import", "organisation", Some(id), new)
                        .await?;
                    rep.inserted += 1;
                    rep.changed_ids.push(id);
                }
                Some(id) => {
                    let old: OrgRow = sqlx::query_as(&format!(
                        "SELECT {} FROM organisation WHERE id = $1",
                        org::COLS
                    ))
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                    let d = diff(&org::row_json(&old), &new);
                    if d.as_object().is_some_and(|o| o.is_empty()) {
                        rep.unchanged += 1;
                    } else {
                        update_org(&mut tx, id, &r.input).await?;
                        audit
                            .record(&mut tx, "import_update", "organisation", Some(id), d)
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

    /// Import scenarios; each row names its owner by `org_key`.
    pub async fn import_scenarios(
        &self,
        audit: &Audit,
        rows: &[ImportRow<ScenarioInput>],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        let keys = keys(rows, |i| i.key.as_ref())?;
        let mut tx = self.pool.begin().await?;
        let mut rep = ImportReport::default();
        for (n, (r, key)) in rows.iter().zip(&keys).enumerate() {
            let org = org_by_key(&mut tx, r).await?;
            let new = scenario_json(org, &r.input);
            match existing(&mut tx, "scenario", key).await? {
                None => {
                    let id = insert_scenario(&mut tx, org, &r.input).await?;
                    audit
                        .record(
                            &mut tx,
                            "import",
                            "scenario",
                            Some(id),
                            diff(&serde_json::json!({}), &new),
                        )
                        .await?;
                    rep.inserted += 1;
                    rep.changed_ids.push(id);
                }
                Some(id) => {
                    let old = sqlx::query_as(&format!("{} WHERE r.id = $1", scn::SELECT))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                    let d = diff(&scn::row_json(&old), &new);
                    if d.as_object().is_some_and(|o| o.is_empty()) {
                        rep.unchanged += 1;
                    } else {
                        update_scenario(&mut tx, id, org, &r.input).await?;
                        audit
                            .record(&mut tx, "import_update", "scenario", Some(id), d)
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

    /// Import achievements; each row names its owner by `org_key`.
    pub async fn import_achievements(
        &self,
        audit: &Audit,
        rows: &[ImportRow<AchievementInput>],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<ImportReport> {
        let keys = keys(rows, |i| i.key.as_ref())?;
        let mut tx = self.pool.begin().await?;
        let mut rep = ImportReport::default();
        for (n, (r, key)) in rows.iter().zip(&keys).enumerate() {
            let org = org_by_key(&mut tx, r).await?;
            let new = achievement_json(org, &r.input);
            match existing(&mut tx, "achievement", key).await? {
                None => {
                    let id = insert_achievement(&mut tx, org, &r.input).await?;
                    audit
                        .record(
                            &mut tx,
                            "import",
                            "achievement",
                            Some(id),
                            diff(&serde_json::json!({}), &new),
                        )
                        .await?;
                    rep.inserted += 1;
                    rep.changed_ids.push(id);
                }
                Some(id) => {
                    let row = sqlx::query_as(&format!("{} WHERE r.id = $1", ach::SELECT))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                    let d = diff(&ach::row_json(&row), &new);
                    if d.as_object().is_some_and(|o| o.is_empty()) {
                        rep.unchanged += 1;
                    } else {
                        update_achievement(&mut tx, id, org, &r.input).await?;
                        audit
                            .record(&mut tx, "import_update", "achievement", Some(id), d)
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
