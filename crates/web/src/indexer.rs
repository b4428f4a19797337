//! Keeps the search index in step with the database: the text of a record as indexed (public
//! fields only), single-record updates after writes, and a full rebuild.

use duijie_search::{DocKind, SearchDoc, SearchIndex};
use duijie_store::achievement::AchievementRow;
use duijie_store::listing::ListFilter;
use duijie_store::scenario::ScenarioRow;
use duijie_store::{Store, Viewer};

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

/// Rebuild the whole index from the database; returns how many records were indexed.
pub async fn rebuild_index(store: &Store, index: &SearchIndex) -> Result<usize, String> {
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
    index.clear().map_err(|e| e.to_string())?;
    index.upsert(&docs).map_err(|e| e.to_string())?;
    Ok(docs.len())
}
