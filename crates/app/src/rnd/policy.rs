//! The policy store: our summaries of the announcements, searchable with the platform's
//! analyzer, and the clauses every finding cites.

use super::*;

/// The policy store's index: built once, in memory, from the summaries compiled into the
/// binary (the same Chinese and English analysis as the platform's search).
fn policy_index() -> Option<&'static duijie_search::SearchIndex> {
    static INDEX: std::sync::OnceLock<Option<duijie_search::SearchIndex>> =
        std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            let index = duijie_search::SearchIndex::in_memory().ok()?;
            let docs: Vec<duijie_search::SearchDoc> = duijie_rnd::policy::POLICIES
                .iter()
                .enumerate()
                .map(|(i, p)| duijie_search::SearchDoc {
                    kind: duijie_search::DocKind::Policy,
                    id: i as i64,
                    title: format!("{} {} {}", p.number, p.title_zh, p.title_en),
                    body: format!("{} {}", p.summary_zh, p.summary_en),
                    tags: p.applies.to_string(),
                })
                .collect();
            index.upsert(&docs).ok()?;
            Some(index)
        })
        .as_ref()
}

/// Policies matching `q`, best first; all of them, in order, for an empty query.
pub fn search_policies(q: &str) -> Result<Vec<&'static duijie_rnd::policy::Policy>, AppError> {
    let all = duijie_rnd::policy::POLICIES;
    if q.trim().is_empty() {
        return Ok(all.iter().collect());
    }
    let index = policy_index()
        .ok_or_else(|| AppError::Internal("the policy index could not be built".into()))?;
    let hits = index.search_any(q, Some(duijie_search::DocKind::Policy), all.len())?;
    Ok(hits.iter().filter_map(|h| all.get(h.id as usize)).collect())
}

/// A clause with links: the policies it cites, for templates.
#[derive(Debug, Clone, Serialize)]
pub struct Cited {
    pub text: String,
    pub links: Vec<(&'static str, &'static str)>,
}

pub fn cite(clause: &str) -> Cited {
    Cited {
        text: clause.to_string(),
        links: duijie_rnd::policy::cited(clause)
            .into_iter()
            .map(|p| (p.id, p.number))
            .collect(),
    }
}

pub fn no_file(lang: &str) -> String {
    if lang == "en" {
        "choose a .csv or .xlsx file to import".into()
    } else {
        "请选择要导入的 .csv 或 .xlsx 文件".into()
    }
}
