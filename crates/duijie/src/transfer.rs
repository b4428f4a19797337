//! Import and export of records as CSV or Excel files, with a progress bar on long imports.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use duijie_domain::achievement::{AchievementRaw, ACHIEVEMENT_COLUMNS};
use duijie_domain::organisation::{OrgRaw, ORG_COLUMNS};
use duijie_domain::scenario::{ScenarioRaw, SCENARIO_COLUMNS};
use duijie_domain::{AchievementInput, Invalid, Money, OrgInput, ScenarioInput};
use duijie_store::import::{ImportReport, ImportRow};
use duijie_store::listing::ListFilter;
use duijie_store::{Audit, Store, StoreError, Viewer};
use duijie_tabular::{records, Record, Table};
use indicatif::ProgressBar;

use crate::cli::Kind;

/// How large a file of organisations, scenarios or achievements may be: 200,000 records
/// (thousands are expected; the one-transaction import of 200,000 takes seconds), each record's
/// columns and a little more, and 100 MB.
pub const IMPORT_LIMITS: duijie_tabular::Limits = duijie_tabular::Limits {
    bytes: 100 << 20,
    rows: 200_000,
    columns: 64,
    cells: 200_000 * 20,
    unpacked: 512 << 20,
};

/// Import a file: all rows or, at the first problem, none.
pub async fn import_file(
    store: &Store,
    kind: Kind,
    file: &Path,
    audit: &Audit,
) -> Result<ImportReport> {
    let table = duijie_tabular::read(file, &IMPORT_LIMITS)?;
    let nothing = || format!("{}: nothing was imported", file.display());
    let (table, partial) = complete(store, kind, table).await.with_context(nothing)?;
    if let Some(missing) = partial {
        println!(
            "{}: the file has no column {}; records it updates keep their values there",
            file.display(),
            missing.join(", ")
        );
    }
    import_table(store, kind, &table, audit)
        .await
        .with_context(nothing)
}

/// The columns of a kind's files.
fn columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Organisations => ORG_COLUMNS,
        Kind::Scenarios => SCENARIO_COLUMNS,
        Kind::Achievements => ACHIEVEMENT_COLUMNS,
    }
}

/// A file with only some of the kind's columns changes only those: a row whose `key` names an
/// existing record takes the columns the file lacks from that record (never blanks them); a new
/// record gets them empty, and the row is refused if one of them is required. A column named
/// twice is refused. Returns the full table and the columns the file lacked, if any.
async fn complete(
    store: &Store,
    kind: Kind,
    t: Table,
) -> Result<(Table, Option<Vec<&'static str>>)> {
    for (i, h) in t.headers.iter().enumerate() {
        if let Some(j) = t.headers[..i].iter().position(|x| x == h) {
            bail!(
                "row 1: column \"{h}\" appears twice (columns {} and {})",
                j + 1,
                i + 1
            );
        }
    }
    let all = columns(kind);
    let missing: Vec<&'static str> = all
        .iter()
        .copied()
        .filter(|c| !t.headers.iter().any(|h| h == c))
        .collect();
    // Unknown columns are left for `records` to name.
    if missing.is_empty() || t.headers.iter().any(|h| !all.contains(&h.as_str())) {
        return Ok((t, None));
    }
    let existing = export_table(store, kind).await?;
    let key_at = |headers: &[String]| headers.iter().position(|h| h == "key");
    let stored: std::collections::HashMap<&str, &Vec<String>> = match key_at(&existing.headers) {
        Some(k) => existing
            .rows
            .iter()
            .filter(|r| !r[k].is_empty())
            .map(|r| (r[k].as_str(), r))
            .collect(),
        None => Default::default(),
    };
    let file_key = key_at(&t.headers);
    let at = |headers: &[String], c: &str| headers.iter().position(|h| h == c);
    let rows = t
        .rows
        .iter()
        .map(|row| {
            let old = file_key
                .and_then(|k| row.get(k))
                .and_then(|k| stored.get(k.trim()));
            all.iter()
                .map(|c| match (at(&t.headers, c), old) {
                    (Some(i), _) => row.get(i).cloned().unwrap_or_default(),
                    (None, Some(old)) => at(&existing.headers, c)
                        .and_then(|i| old.get(i).cloned())
                        .unwrap_or_default(),
                    (None, None) => String::new(),
                })
                .collect()
        })
        .collect();
    let headers = all.iter().map(|c| c.to_string()).collect();
    Ok((Table { headers, rows }, Some(missing)))
}

/// Validate every row and import the table in one transaction.
pub async fn import_table(
    store: &Store,
    kind: Kind,
    t: &Table,
    audit: &Audit,
) -> Result<ImportReport> {
    let bar = if t.rows.len() >= 200 {
        crate::progress::bar(t.rows.len() as u64, "importing")
    } else {
        ProgressBar::hidden()
    };
    let tick = |n: usize| bar.set_position(n as u64);
    let rep = match kind {
        Kind::Organisations => {
            let rows = validate::<OrgRaw, OrgInput>(t, ORG_COLUMNS, OrgInput::parse)?;
            store.import_organisations(audit, &rows, &tick).await
        }
        Kind::Scenarios => {
            let rows =
                validate::<ScenarioRaw, ScenarioInput>(t, SCENARIO_COLUMNS, ScenarioInput::parse)?;
            store.import_scenarios(audit, &rows, &tick).await
        }
        Kind::Achievements => {
            let rows = validate::<AchievementRaw, AchievementInput>(
                t,
                ACHIEVEMENT_COLUMNS,
                AchievementInput::parse,
            )?;
            store.import_achievements(audit, &rows, &tick).await
        }
    };
    bar.finish_and_clear();
    rep.map_err(|e| match e {
        StoreError::Import {
            row,
            column,
            message,
        } => anyhow!("row {row}, column \"{column}\": {message}"),
        other => anyhow!(other),
    })
}

/// Parse every row; the first invalid one stops the import with its row and column.
fn validate<R, I>(
    t: &Table,
    columns: &[&str],
    parse: fn(&R) -> Result<I, Invalid>,
) -> Result<Vec<ImportRow<I>>>
where
    R: serde::de::DeserializeOwned,
{
    let recs: Vec<Record<R>> = records(t, columns)?;
    let mut out = Vec::with_capacity(recs.len());
    for r in recs {
        match parse(&r.raw) {
            Ok(input) => out.push(ImportRow {
                row: r.row,
                org_key: r.org_key,
                input,
            }),
            Err(Invalid(errs)) => {
                let e = &errs[0];
                bail!("row {}, column \"{}\": {}", r.row, e.field, e.message);
            }
        }
    }
    Ok(out)
}

pub async fn org_id_by_key(store: &Store, key: &str) -> Result<i64> {
    store
        .all_organisations()
        .await?
        .into_iter()
        .find(|o| o.key.as_deref() == Some(key))
        .map(|o| o.id)
        .ok_or_else(|| anyhow!("no organisation has key \"{key}\""))
}

fn wan(fen: Option<i64>) -> String {
    fen.map(|f| Money::from_fen(f).wan_text())
        .unwrap_or_default()
}

/// Write every record of `kind` (drafts and confidential fields included) to `file`.
pub async fn export_file(store: &Store, kind: Kind, file: &Path) -> Result<usize> {
    let table = export_table(store, kind).await?;
    duijie_tabular::write(file, &table)?;
    Ok(table.rows.len())
}

/// The keys of every stored record of `kind`.
pub async fn stored_keys(store: &Store, kind: Kind) -> Result<std::collections::HashSet<String>> {
    use duijie_store::import::RecordTable;
    let table = match kind {
        Kind::Organisations => RecordTable::Organisations,
        Kind::Scenarios => RecordTable::Scenarios,
        Kind::Achievements => RecordTable::Achievements,
    };
    Ok(store.record_keys(table).await?)
}

/// Every record of `kind` as a table in the file columns.
async fn export_table(store: &Store, kind: Kind) -> Result<Table> {
    let orgs = store.all_organisations().await?;
    let org_key = |id: i64| {
        orgs.iter()
            .find(|o| o.id == id)
            .and_then(|o| o.key.clone())
            .unwrap_or_default()
    };
    let all = ListFilter::new(Viewer::All);
    let s = |v: &str| v.to_string();
    let table = match kind {
        Kind::Organisations => Table {
            headers: ORG_COLUMNS.iter().map(|c| s(c)).collect(),
            rows: orgs
                .iter()
                .map(|o| {
                    vec![
                        o.key.clone().unwrap_or_default(),
                        s(&o.name_zh),
                        s(&o.name_en),
                        s(o.kind.code()),
                        s(&o.region),
                        o.chain.clone().unwrap_or_default(),
                        s(&o.intro_zh),
                        s(&o.intro_en),
                        s(&o.contact_name),
                        s(&o.contact_phone),
                        s(&o.contact_email),
                        s(&o.website),
                    ]
                })
                .collect(),
        },
        Kind::Scenarios => {
            let (mut rows, _) = store.scenarios(&all, None).await?;
            rows.reverse();
            Table {
                headers: SCENARIO_COLUMNS.iter().map(|c| s(c)).collect(),
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.key.clone().unwrap_or_default(),
                            org_key(r.org_id),
                            s(&r.title_zh),
                            s(&r.title_en),
                            s(&r.description_zh),
                            s(&r.description_en),
                            s(&r.chain),
                            s(&r.field),
                            r.trl_required.to_string(),
                            wan(r.budget_min_fen),
                            wan(r.budget_max_fen),
                            s(&r.region),
                            r.deadline.clone().unwrap_or_default(),
                            s(r.status.code()),
                            s(&r.confidential),
                        ]
                    })
                    .collect(),
            }
        }
        Kind::Achievements => {
            let (mut rows, _) = store.achievements(&all, None).await?;
            rows.reverse();
            Table {
                headers: ACHIEVEMENT_COLUMNS.iter().map(|c| s(c)).collect(),
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.key.clone().unwrap_or_default(),
                            org_key(r.org_id),
                            s(&r.title_zh),
                            s(&r.title_en),
                            s(&r.summary_zh),
                            s(&r.summary_en),
                            s(&r.chain),
                            s(&r.field),
                            r.trl.to_string(),
                            s(&r.ip),
                            s(&r.team),
                            s(&r.coop_modes),
                            s(r.status.code()),
                            s(&r.confidential),
                        ]
                    })
                    .collect(),
            }
        }
    };
    Ok(table)
}
