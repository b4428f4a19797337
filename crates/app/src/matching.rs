//! Matching on the platform: the best achievements for a scenario, the best scenarios for an
//! achievement, and either for a pasted need. Candidates come from the inverted index (the
//! record's most telling terms, BM25) and from the embedding model (cosine similarity); the
//! scores are fused and combined with the structured fit from `duijie-match`, and every result
//! carries its explanation.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;

use duijie_domain::{Chain, CoopMode, Region, Status};
use duijie_embed::Embedder;
use duijie_match::fit::{self, FactKind, FitLevel, Label, Need, Offer};
use duijie_match::fuse::{fuse, Scripts, Signals, LEXICAL_WEIGHT};
use duijie_search::{text_hash, DocKind, Hit, SearchDoc, SearchIndex, VectorSet};
use duijie_store::achievement::AchievementRow;
use duijie_store::listing::ListFilter;
use duijie_store::scenario::ScenarioRow;
use duijie_store::{Store, Viewer};
use serde::Serialize;

use crate::error::AppError;

/// Share of the text score (lexical + semantic) in a match score; the rest is structured fit.
/// A design rule, not a measurement (there is no judged set of scenario–achievement pairs yet):
/// structured fit may reorder records of similar relevance (it moves a score by at most 30
/// points) but cannot lift an unrelated record above a relevant one.
pub const TEXT_WEIGHT: f64 = 0.7;
/// Candidates taken from each signal before re-ranking.
pub const CANDIDATES: usize = 60;

/// The lexical half of candidate generation: the text's key terms and the best [`CANDIDATES`]
/// records of `target` kind sharing them. `bench match` times exactly this and [`total`].
pub fn lexical_candidates(
    index: &SearchIndex,
    text: &str,
    target: DocKind,
) -> Result<(Vec<duijie_search::WeightedTerm>, Vec<Hit>), duijie_search::SearchError> {
    let terms = index.key_terms(text, duijie_match::KEY_TERMS);
    let hits = index.similar(&terms, Some(target), CANDIDATES)?;
    Ok((terms, hits))
}

/// The text score of every candidate (lexical and semantic fused), in input order.
pub fn text_scores(signals: &[Signals]) -> Vec<f64> {
    fuse(signals, LEXICAL_WEIGHT)
}

/// A candidate's match score from its text score and its structured fit, both in [0, 1].
pub fn total(text_score: f64, structured: f64) -> f64 {
    TEXT_WEIGHT * text_score + (1.0 - TEXT_WEIGHT) * structured
}

/// The embedding model with the vectors of every indexed record.
pub struct Semantic {
    pub model: Embedder,
    pub vectors: RwLock<VectorSet>,
    /// Where the vectors are kept between runs.
    pub file: Option<PathBuf>,
}

impl Semantic {
    pub fn new(model: Embedder, file: Option<PathBuf>) -> Semantic {
        let dim = model.dim();
        let vectors = match &file {
            Some(f) => VectorSet::load(f, dim).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "discarding stored vectors");
                VectorSet::new(dim)
            }),
            None => VectorSet::new(dim),
        };
        Semantic {
            model,
            vectors: RwLock::new(vectors),
            file,
        }
    }

    /// The text of a record as embedded.
    pub fn text(doc: &SearchDoc) -> String {
        format!("{}\n{}", doc.title, doc.body)
    }

    /// Embed the records whose text changed since their vector was made; `progress` is called
    /// with the number done after each batch. Returns how many were embedded.
    pub fn update(
        &self,
        docs: &[SearchDoc],
        mut progress: impl FnMut(usize),
    ) -> Result<usize, String> {
        let todo: Vec<(&SearchDoc, String, u64)> = {
            let v = self.vectors.read().map_err(|_| "vector lock poisoned")?;
            docs.iter()
                .map(|d| {
                    let t = Self::text(d);
                    let h = text_hash(&t);
                    (d, t, h)
                })
                .filter(|(d, _, h)| !v.is_current(d.kind, d.id, *h))
                .collect()
        };
        let mut done = 0;
        for chunk in todo.chunks(16) {
            let texts: Vec<&str> = chunk.iter().map(|(_, t, _)| t.as_str()).collect();
            let vecs = self.model.passages(&texts).map_err(|e| e.to_string())?;
            let mut v = self.vectors.write().map_err(|_| "vector lock poisoned")?;
            for ((d, _, h), vec) in chunk.iter().zip(vecs) {
                v.insert(d.kind, d.id, *h, vec);
            }
            done += chunk.len();
            progress(done);
        }
        Ok(done)
    }

    /// Make the vectors those of exactly `docs`: drop the others, embed what is new or changed,
    /// save. `progress` hears the number embedded so far. Returns how many were embedded.
    pub fn sync(&self, docs: &[SearchDoc], progress: impl FnMut(usize)) -> Result<usize, String> {
        self.retain_only(docs);
        let n = self.update(docs, progress)?;
        self.save()?;
        Ok(n)
    }

    /// Forget the vectors of records not in `docs`.
    fn retain_only(&self, docs: &[SearchDoc]) {
        let keep: std::collections::HashSet<(DocKind, i64)> =
            docs.iter().map(|d| (d.kind, d.id)).collect();
        if let Ok(mut v) = self.vectors.write() {
            v.retain(|k, id| keep.contains(&(k, id)));
        }
    }

    pub fn remove(&self, kind: DocKind, id: i64) {
        if let Ok(mut v) = self.vectors.write() {
            v.remove(kind, id);
        }
    }

    /// Write the vectors to their file, if they have one.
    pub fn save(&self) -> Result<(), String> {
        let Some(f) = &self.file else { return Ok(()) };
        let v = self.vectors.read().map_err(|_| "vector lock poisoned")?;
        v.save(f).map_err(|e| e.to_string())
    }
}

/// Everything matching reads.
#[derive(Clone, Copy)]
pub struct Engine<'a> {
    pub store: &'a Store,
    pub index: &'a SearchIndex,
    pub semantic: Option<&'a Semantic>,
}

/// One explained result.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub kind: &'static str,
    pub id: i64,
    pub key: Option<String>,
    pub title_zh: String,
    pub title_en: String,
    pub org_id: i64,
    pub org_name_zh: String,
    pub org_name_en: String,
    /// 0–100.
    pub score: u32,
    /// Text relevance, 0–1 among the candidates (lexical and semantic fused).
    pub text: f64,
    /// Structured fit, 0–1.
    pub structured: f64,
    /// Cosine similarity of the embeddings, when the model is loaded.
    pub semantic: Option<f64>,
    /// Words both records share, as written in the result.
    pub terms: Vec<String>,
    pub facts: Vec<fit::Fact>,
}

pub fn chain(code: &str) -> Option<Label> {
    Chain::from_code(code).map(|c| {
        let l = c.label();
        Label::new(code, l.zh, l.en)
    })
}

pub fn region(code: &str) -> Option<Label> {
    Region::from_code(code).map(|r| Label::new(code, r.label.zh, r.label.en))
}

fn need_of(s: &ScenarioRow) -> Need {
    let wan = |f: Option<i64>| f.map(|x| x as f64 / 1_000_000.0);
    Need {
        chain: chain(&s.chain),
        field: Some(s.field.clone()),
        region: region(&s.region),
        trl_required: u8::try_from(s.trl_required)
            .ok()
            .filter(|t| (1..=9).contains(t)),
        budget_wan: match (wan(s.budget_min_fen), wan(s.budget_max_fen)) {
            (Some(a), Some(b)) => Some((a, b)),
            (None, Some(b)) => Some((0.0, b)),
            (Some(a), None) => Some((a, a)),
            (None, None) => None,
        },
    }
}

fn offer_of(a: &AchievementRow) -> Offer {
    Offer {
        chain: chain(&a.chain),
        field: Some(a.field.clone()),
        region: region(&a.org_region),
        trl: u8::try_from(a.trl).ok().filter(|t| (1..=9).contains(t)),
        coop_modes: a
            .coop_modes
            .split(',')
            .filter_map(|c| CoopMode::from_code(c.trim()))
            .map(|m| {
                let l = m.label();
                Label::new(m.code(), l.zh, l.en)
            })
            .collect(),
    }
}

/// What is being matched: a stored record or pasted text (with optional facts).
pub enum Source<'a> {
    Scenario(&'a ScenarioRow),
    Achievement(&'a AchievementRow),
    Text { text: &'a str, need: Box<Need> },
}

impl Source<'_> {
    fn text(&self) -> String {
        match self {
            Source::Scenario(s) => format!(
                "{}\n{}\n{}\n{}\n{}",
                s.title_zh, s.title_en, s.description_zh, s.description_en, s.field
            ),
            Source::Achievement(a) => format!(
                "{}\n{}\n{}\n{}\n{}",
                a.title_zh, a.title_en, a.summary_zh, a.summary_en, a.field
            ),
            Source::Text { text, .. } => text.to_string(),
        }
    }

    fn doc_key(&self) -> Option<(DocKind, i64)> {
        match self {
            Source::Scenario(s) => Some((DocKind::Scenario, s.id)),
            Source::Achievement(a) => Some((DocKind::Achievement, a.id)),
            Source::Text { .. } => None,
        }
    }
}

/// Which records a listing of matches may show: public ones (not drafts, not closed).
fn listable(status: Status) -> bool {
    status.is_public() && status != Status::Closed
}

/// The best `limit` records of `target` kind for `source`, best first, explained.
pub async fn matches(
    e: Engine<'_>,
    source: &Source<'_>,
    target: DocKind,
    limit: usize,
) -> Result<Vec<Match>, AppError> {
    let text = source.text();
    let index = e.index;
    let (terms, mut lexical) = lexical_candidates(index, &text, target)?;
    if let Some((k, id)) = source.doc_key() {
        lexical.retain(|h| !(h.kind == k && h.id == id));
    }

    // The source's vector: stored for records, computed for pasted text.
    let qvec: Option<Vec<f32>> = match (e.semantic, source.doc_key()) {
        (Some(s), Some((k, id))) => {
            let stored = s
                .vectors
                .read()
                .ok()
                .and_then(|v| v.get(k, id).map(<[f32]>::to_vec));
            match stored {
                Some(v) => Some(v),
                None => s.model.passages(&[&text]).ok().and_then(|mut v| v.pop()),
            }
        }
        (Some(s), None) => s.model.query(&text).ok(),
        (None, _) => None,
    };
    let semantic: Vec<Hit> = match (e.semantic, &qvec) {
        (Some(s), Some(q)) => s
            .vectors
            .read()
            .map(|v| v.nearest(q, Some(target), CANDIDATES))
            .unwrap_or_default(),
        _ => Vec::new(),
    };

    let mut ids: Vec<i64> = lexical.iter().map(|h| h.id).collect();
    for h in &semantic {
        if !ids.contains(&h.id) {
            ids.push(h.id);
        }
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut filter = ListFilter::new(Viewer::All);
    filter.ids = Some(ids.clone());
    let candidates: Vec<Candidate> = match target {
        DocKind::Achievement => e
            .store
            .achievements(&filter, None)
            .await?
            .0
            .into_iter()
            .filter(|a| listable(a.status))
            .map(Candidate::Achievement)
            .collect(),
        DocKind::Scenario => e
            .store
            .scenarios(&filter, None)
            .await?
            .0
            .into_iter()
            .filter(|s| listable(s.status))
            .map(Candidate::Scenario)
            .collect(),
        // Policy texts live in their own index and are never matched against records.
        DocKind::Policy => Vec::new(),
    };

    let lex: HashMap<i64, f64> = lexical.iter().map(|h| (h.id, f64::from(h.score))).collect();
    let cos = |id: i64| -> Option<f64> {
        let (s, q) = (e.semantic?, qvec.as_ref()?);
        let v = s.vectors.read().ok()?;
        v.similarity(q, target, id).map(f64::from)
    };
    let source_scripts = Scripts::of(&text);
    let signals: Vec<Signals> = candidates
        .iter()
        .map(|c| Signals {
            lexical: lex.get(&c.id()).copied(),
            semantic: cos(c.id()),
            same_language: source_scripts.shares(Scripts::of(&c.text())),
        })
        .collect();
    let text_scores = text_scores(&signals);
    let source_terms: Vec<String> = terms.iter().map(|t| t.term.clone()).collect();

    let mut out: Vec<Match> = candidates
        .iter()
        .zip(text_scores)
        .zip(&signals)
        .map(|((c, text_score), sig)| {
            let explanation = match (source, c) {
                (Source::Scenario(s), Candidate::Achievement(a)) => {
                    fit::explain(&need_of(s), &offer_of(a))
                }
                (Source::Achievement(a), Candidate::Scenario(s)) => {
                    fit::explain(&need_of(s), &offer_of(a))
                }
                (Source::Text { need, .. }, Candidate::Achievement(a)) => {
                    fit::explain(need, &offer_of(a))
                }
                (Source::Text { .. }, Candidate::Scenario(s)) => {
                    fit::explain(&need_of(s), &Offer::default())
                }
                (Source::Scenario(s), Candidate::Scenario(_)) => {
                    fit::explain(&need_of(s), &Offer::default())
                }
                (Source::Achievement(a), Candidate::Achievement(_)) => {
                    fit::explain(&Need::default(), &offer_of(a))
                }
            };
            let mut facts = Vec::new();
            if let Some(s) = sig.semantic {
                let level = if s >= 0.85 {
                    FitLevel::Good
                } else if s >= 0.8 {
                    FitLevel::Partial
                } else {
                    FitLevel::Unknown
                };
                facts.push(fit::Fact {
                    kind: FactKind::Semantic,
                    fit: level,
                    zh: format!("语义相似度 {:.2}", s),
                    en: format!("Semantic similarity {s:.2}"),
                });
            }
            facts.extend(explanation.facts);
            let total = total(text_score, explanation.structured);
            c.to_match(
                total,
                text_score,
                explanation.structured,
                sig.semantic,
                Vec::new(),
                facts,
            )
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    out.truncate(limit);
    // Shared words only for what is shown: analysing every candidate's text costs more than
    // the ranking.
    for m in &mut out {
        if let Some(c) = candidates.iter().find(|c| c.id() == m.id) {
            let shared = shared_terms(index, &source_terms, &c.text());
            if !shared.is_empty() {
                m.facts.insert(
                    0,
                    fit::Fact {
                        kind: FactKind::Terms,
                        fit: FitLevel::Good,
                        zh: format!("共同关键词：{}", shared.join("、")),
                        en: format!("Shared terms: {}", shared.join(", ")),
                    },
                );
            }
            m.terms = shared;
        }
    }
    Ok(out)
}

/// The source's key terms that also occur in `text`, shown as written in `text`.
fn shared_terms(index: &SearchIndex, source_terms: &[String], text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let words = index.analyze(text);
    for t in source_terms {
        if let Some(w) = words.iter().find(|w| &w.term == t) {
            if !out.contains(&w.surface) {
                out.push(w.surface.clone());
            }
        }
        if out.len() == 8 {
            break;
        }
    }
    out
}

enum Candidate {
    Scenario(ScenarioRow),
    Achievement(AchievementRow),
}

impl Candidate {
    fn id(&self) -> i64 {
        match self {
            Candidate::Scenario(s) => s.id,
            Candidate::Achievement(a) => a.id,
        }
    }

    fn text(&self) -> String {
        match self {
            Candidate::Scenario(s) => format!(
                "{}\n{}\n{}\n{}",
                s.title_zh, s.title_en, s.description_zh, s.description_en
            ),
            Candidate::Achievement(a) => format!(
                "{}\n{}\n{}\n{}",
                a.title_zh, a.title_en, a.summary_zh, a.summary_en
            ),
        }
    }

    fn to_match(
        &self,
        total: f64,
        text: f64,
        structured: f64,
        semantic: Option<f64>,
        terms: Vec<String>,
        facts: Vec<fit::Fact>,
    ) -> Match {
        let (kind, id, key, tz, te, org, oz, oe) = match self {
            Candidate::Scenario(s) => (
                "scenario",
                s.id,
                &s.key,
                &s.title_zh,
                &s.title_en,
                s.org_id,
                &s.org_name_zh,
                &s.org_name_en,
            ),
            Candidate::Achievement(a) => (
                "achievement",
                a.id,
                &a.key,
                &a.title_zh,
                &a.title_en,
                a.org_id,
                &a.org_name_zh,
                &a.org_name_en,
            ),
        };
        Match {
            kind,
            id,
            key: key.clone(),
            title_zh: tz.clone(),
            title_en: te.clone(),
            org_id: org,
            org_name_zh: oz.clone(),
            org_name_en: oe.clone(),
            score: (total * 100.0).round().clamp(0.0, 100.0) as u32,
            text: round3(text),
            structured: round3(structured),
            semantic: semantic.map(round3),
            terms,
            facts,
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
