//! Keeps the search index in step with the database: the text of a record as indexed (public
//! fields only), single-record updates after writes, and a full rebuild.

use std::sync::Arc;

use duijie_search::{DocKind, SearchDoc, SearchIndex};
use duijie_store::achievement::AchievementRow;
use duijie_store::listing::ListFilter;
use duijie_store::scenario::ScenarioRow;
use duijie_store::{Store, Viewer};

use crate::matching::Semantic;
use crate::views::{chain_label, region_label};

fn both(zh: &str, en: &str) -> String {
    format!("{zh}\n{en}")
}

fn labels(chain: &str, region: &str) -> String {
    format!(
        "{} {} {} {}",
        chain_label("zh", chain),
        chain_label("en", chain),
        region_label("zh", region),
        region_label("en", region)
    )
}

pub fn scenario_doc(r: &ScenarioRow) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Scenario,
        id: r.id,
        title: both(&r.title_zh, &r.title_en),
        body: both(&r.description_zh, &r.description_en),
        tags: format!(
            "{} {} {} {}",
            r.field,
            labels(&r.chain, &r.region),
            r.org_name_zh,
            r.org_name_en
        ),
    }
}

pub fn achievement_doc(r: &AchievementRow) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Achievement,
        id: r.id,
        title: both(&r.title_zh, &r.title_en),
        body: format!("{}\n{}\n{}\n{}", r.summary_zh, r.summary_en, r.ip, r.team),
        tags: format!(
            "{} {} {} {}",
            r.field,
            labels(&r.chain, &r.org_region),
            r.org_name_zh,
            r.org_name_en
        ),
    }
}

/// Every record of the database as indexed.
pub async fn all_docs(store: &Store) -> Result<Vec<SearchDoc>, String> {
    let all = ListFilter::new(Viewer::All);
    let (scenarios, _) = store
        .scenarios(&all, None)
        .await
        .map_err(|e| e.to_string())?;
    let (achievements, _) = store
        .achievements(&all, None)
        .await
        .map_err(|e| e.to_string())?;
    let mut docs: Vec<SearchDoc> = scenarios.iter().map(scenario_doc).collect();
    docs.extend(achievements.iter().map(achievement_doc));
    Ok(docs)
}

/// Rebuild the whole index from the database, stamping it with the audit-log position read
/// before the records; returns how many were indexed. (Vectors: `Semantic::sync`.)
pub async fn rebuild_index(store: &Store, index: &SearchIndex) -> Result<usize, String> {
    let mark = store.last_audit_id().await.map_err(|e| e.to_string())?;
    let docs = all_docs(store).await?;
    index
        .rebuild(docs.into_iter(), Some(mark), || {})
        .map_err(|e| e.to_string())
}

/// Bring a stored index up to date after a restart: re-index what the audit log names after
/// the index's mark. Returns how many records were refreshed, or `None` when the index cannot
/// be trusted (no mark, a mark ahead of the database, or a record count that disagrees) and
/// must be rebuilt.
pub async fn catch_up(store: &Store, index: &Arc<SearchIndex>) -> Result<Option<usize>, String> {
    let Some(mark) = index.mark() else {
        return Ok(None);
    };
    let last = store.last_audit_id().await.map_err(|e| e.to_string())?;
    if mark > last {
        return Ok(None);
    }
    let mut todo: Vec<(String, i64)> = Vec::new();
    let mut from = (mark - OVERLAP).max(0);
    loop {
        let changes = store
            .record_changes_since(from, 10_000)
            .await
            .map_err(|e| e.to_string())?;
        let Some(&(high, _, _)) = changes.last() else {
            break;
        };
        for (_, entity, id) in changes {
            if !todo.contains(&(entity.clone(), id)) {
                todo.push((entity, id));
            }
        }
        from = high;
    }
    let todo = expand(store, todo).await?;
    // One commit for the lot: the records as they are now, or their removal.
    let mut docs = Vec::new();
    let mut gone = Vec::new();
    for (entity, id) in &todo {
        match fetch(store, entity, *id).await? {
            Fetched::Doc(d) => docs.push(d),
            Fetched::Gone(kind) => gone.push((kind, *id)),
            Fetched::Other => {}
        }
    }
    let index2 = index.clone();
    tokio::task::spawn_blocking(move || index2.write(&docs, &gone, Some(last)))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    if index.len() != store.record_count().await.map_err(|e| e.to_string())? {
        return Ok(None);
    }
    Ok(Some(todo.len()))
}

/// How far back each poll looks again, in audit entries: a transaction that took an earlier id
/// but committed after a later one is still seen.
const OVERLAP: i64 = 500;

/// Keep `index` in step with writes made by any server on the same database: poll the audit
/// log every `every` and re-index the records it names. Runs until the process ends.
pub async fn follow(
    store: Store,
    index: Arc<SearchIndex>,
    semantic: Option<Arc<Semantic>>,
    start_after: i64,
    every: std::time::Duration,
) {
    let mut seen: std::collections::BTreeSet<i64> = std::collections::BTreeSet::new();
    let mut high = start_after;
    loop {
        tokio::time::sleep(every).await;
        let from = (high - OVERLAP).max(start_after);
        let changes = match store.record_changes_since(from, 10_000).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "index follower: reading the audit log failed");
                continue;
            }
        };
        let mut todo: Vec<(String, i64)> = Vec::new();
        for (audit_id, entity, id) in changes {
            if seen.insert(audit_id) {
                high = high.max(audit_id);
                if !todo.contains(&(entity.clone(), id)) {
                    todo.push((entity, id));
                }
            }
        }
        // Forget what lies below the window.
        seen = seen.split_off(&(high - OVERLAP));
        if todo.is_empty() {
            continue;
        }
        let todo = match expand(&store, todo).await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "index follower: reading an organisation's records failed");
                continue;
            }
        };
        // One batch for the lot: the rows read, then one index commit (stamped with the
        // position reached), one reload, one embedding call and one save of the vectors —
        // not a commit and a reload per record, which fell behind under sustained writes.
        let mut docs = Vec::new();
        let mut gone = Vec::new();
        let mut ok = true;
        for (entity, id) in &todo {
            match fetch(&store, entity, *id).await {
                Ok(Fetched::Doc(d)) => docs.push(d),
                Ok(Fetched::Gone(kind)) => gone.push((kind, *id)),
                Ok(Fetched::Other) => {}
                Err(e) => {
                    tracing::warn!(error = %e, entity, id, "index follower: reading a record failed");
                    ok = false;
                }
            }
        }
        let (index, semantic) = (index.clone(), semantic.clone());
        let mark = ok.then_some(high);
        let done = tokio::task::spawn_blocking(move || {
            index.write(&docs, &gone, mark).map_err(|e| e.to_string())?;
            if let Some(s) = semantic {
                for &(kind, id) in &gone {
                    s.remove(kind, id);
                }
                s.update(&docs, |_| {})?;
                s.save().map_err(|e| e.to_string())?;
            }
            Ok::<(), String>(())
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r);
        if let Err(e) = done {
            tracing::warn!(error = %e, records = todo.len(), "index follower: re-indexing failed");
        }
    }
}

/// The records that changes name: each scenario or achievement itself, and for an edited
/// organisation every record it publishes (their documents carry its names).
async fn expand(store: &Store, changes: Vec<(String, i64)>) -> Result<Vec<(String, i64)>, String> {
    let mut out: Vec<(String, i64)> = Vec::with_capacity(changes.len());
    let mut seen = std::collections::HashSet::new();
    for (entity, id) in changes {
        let named = if entity == "organisation" {
            store
                .records_of_organisation(id)
                .await
                .map_err(|e| e.to_string())?
        } else {
            vec![(entity, id)]
        };
        for r in named {
            if seen.insert(r.clone()) {
                out.push(r);
            }
        }
    }
    Ok(out)
}

/// After an organisation is edited: its records re-indexed at once on this server (the
/// followers on other servers do the same from the audit log).
/// One index commit and one embedding call for all of them, not one per record.
pub async fn refresh_organisation(app: &crate::App, org_id: i64) -> Result<(), String> {
    let mut docs = Vec::new();
    let mut gone = Vec::new();
    for (entity, id) in expand(&app.store, vec![("organisation".into(), org_id)]).await? {
        match fetch(&app.store, &entity, id).await? {
            Fetched::Doc(d) => docs.push(d),
            Fetched::Gone(kind) => gone.push((kind, id)),
            Fetched::Other => {}
        }
    }
    let (index, semantic) = (app.search.clone(), app.semantic.clone());
    tokio::task::spawn_blocking(move || {
        index.write(&docs, &gone, None).map_err(|e| e.to_string())?;
        if let Some(s) = semantic {
            s.update(&docs, |_| {})?;
        }
        Ok::<(), String>(())
    })
    .await
    .map_err(|e| e.to_string())?
}

enum Fetched {
    Doc(SearchDoc),
    Gone(DocKind),
    Other,
}

/// A record as indexed, or the news that it is gone.
async fn fetch(store: &Store, entity: &str, id: i64) -> Result<Fetched, String> {
    use duijie_store::StoreError::NotFound;
    Ok(match entity {
        "scenario" => match store.scenario(id).await {
            Ok(r) => Fetched::Doc(scenario_doc(&r)),
            Err(NotFound) => Fetched::Gone(DocKind::Scenario),
            Err(e) => return Err(e.to_string()),
        },
        "achievement" => match store.achievement(id).await {
            Ok(r) => Fetched::Doc(achievement_doc(&r)),
            Err(NotFound) => Fetched::Gone(DocKind::Achievement),
            Err(e) => return Err(e.to_string()),
        },
        _ => Fetched::Other,
    })
}

/// Re-index one record from the database, or drop it from the index if it is gone.
pub async fn refresh(
    store: &Store,
    index: &Arc<SearchIndex>,
    semantic: Option<&Arc<Semantic>>,
    entity: &str,
    id: i64,
) -> Result<(), String> {
    let (doc, kind) = match fetch(store, entity, id).await? {
        Fetched::Doc(d) => {
            let kind = d.kind;
            (Some(d), kind)
        }
        Fetched::Gone(kind) => (None, kind),
        Fetched::Other => return Ok(()),
    };
    let index = index.clone();
    let semantic = semantic.cloned();
    tokio::task::spawn_blocking(move || {
        match &doc {
            Some(d) => index.upsert(std::slice::from_ref(d)),
            None => index.delete(kind, id),
        }
        .map_err(|e| e.to_string())?;
        if let Some(s) = semantic {
            match &doc {
                Some(d) => {
                    s.update(std::slice::from_ref(d), |_| {})?;
                }
                None => s.remove(kind, id),
            }
        }
        Ok::<(), String>(())
    })
    .await
    .map_err(|e| e.to_string())?
}
