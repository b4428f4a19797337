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
use duijie_match::calibrate::{self, Grade, Profile, Spread, Telling};
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
/// records of `target` kind sharing them: the lexical half of candidate retrieval, which
/// `bench match` times (with [`text_scores`] and [`total`], the retrieval ranking that
/// `duijie eval` measures; the scores shown are calibrated in [`matches`]).
pub fn lexical_candidates(
    index: &SearchIndex,
    text: &str,
    target: DocKind,
) -> Result<(Vec<duijie_search::WeightedTerm>, Vec<Hit>), duijie_search::SearchError> {
    let terms = index.key_terms(text, duijie_match::KEY_TERMS);
    let hits = index.similar(&terms, Some(target), CANDIDATES)?;
    Ok((terms, hits))
}

/// The fused retrieval score of every candidate (lexical and semantic, min-max per query), in
/// input order: what `eval` and `bench match` rank by. Shown scores are calibrated instead.
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
    /// The spread of cosines between records of two kinds, with the two counts it was
    /// sampled at (sampled again once either count moves by more than 2%).
    spreads: RwLock<HashMap<(DocKind, DocKind), Sampled>>,
    /// Counts the changes to the vectors (see `SearchIndex::generation`).
    generation: std::sync::atomic::AtomicU64,
}

/// A spread with the two counts of records it was sampled at.
type Sampled = (usize, usize, Option<Spread>);

/// Records of each kind sampled for a spread (their pairs: up to 90,000 cosines, ~20 ms).
const SPREAD_SAMPLE: usize = 300;

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
            spreads: RwLock::new(HashMap::new()),
            generation: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// How many times the vectors have changed: cached matches are current while this and the
    /// index's generation stay the same.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    fn changed(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// The spread of cosines between records of kinds `a` and `b` (the same for `b`, `a`);
    /// `None` while there are too few records to say what a typical pair is.
    pub fn spread(&self, a: DocKind, b: DocKind) -> Option<Spread> {
        let key = if kind_order(a) <= kind_order(b) {
            (a, b)
        } else {
            (b, a)
        };
        let v = self.vectors.read().ok()?;
        let (na, nb) = (v.count(key.0), v.count(key.1));
        let close = |was: usize, now: usize| was.abs_diff(now) <= was / 50;
        if let Some((wa, wb, s)) = self.spreads.read().ok()?.get(&key) {
            if close(*wa, na) && close(*wb, nb) {
                return s.clone();
            }
        }
        let sample = v.pair_sample(key.0, key.1, SPREAD_SAMPLE);
        let spread = Spread::of(sample.into_iter().map(f64::from).collect());
        if let Ok(mut m) = self.spreads.write() {
            m.insert(key, (na, nb, spread.clone()));
        }
        spread
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
            drop(v);
            self.changed();
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
        self.changed();
    }

    pub fn remove(&self, kind: DocKind, id: i64) {
        if let Ok(mut v) = self.vectors.write() {
            v.remove(kind, id);
        }
        self.changed();
    }

    /// Write the vectors to their file, if they have one.
    pub fn save(&self) -> Result<(), String> {
        let Some(f) = &self.file else { return Ok(()) };
        let v = self.vectors.read().map_err(|_| "vector lock poisoned")?;
        v.save(f).map_err(|e| e.to_string())
    }
}

/// A record's ranked matches, kept between views: matches change only when the searchable
/// data or the vectors change, so an entry is served while both generations are those it was
/// computed at. A change shows on the next view; another server's change shows once this
/// server's index has caught up with it (the index's own lag). Matches list only public
/// records and carry no confidential field, so one entry serves every viewer.
#[derive(Default)]
pub struct MatchCache {
    entries: std::sync::Mutex<HashMap<CacheKey, CacheEntry>>,
}

/// (source kind, source id, target kind, limit).
type CacheKey = (DocKind, i64, DocKind, usize);
/// (index generation, vectors generation) at computation, and the matches.
type CacheEntry = ((u64, u64), std::sync::Arc<Vec<Match>>);

/// Entries kept at most; past it the cache starts afresh (cheap, and bounded).
const CACHE_ENTRIES: usize = 50_000;

impl MatchCache {
    fn get(&self, key: &CacheKey, generation: (u64, u64)) -> Option<std::sync::Arc<Vec<Match>>> {
        let m = self.entries.lock().ok()?;
        m.get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| v.clone())
    }

    fn put(&self, key: CacheKey, generation: (u64, u64), value: std::sync::Arc<Vec<Match>>) {
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= CACHE_ENTRIES {
                m.clear();
            }
            m.insert(key, (generation, value));
        }
    }
}

/// The matches of a stored record, from the cache when current (computed and kept
/// otherwise). Pasted text is never cached.
pub async fn record_matches(
    app: &crate::App,
    source: &Source<'_>,
    target: DocKind,
    limit: usize,
) -> Result<std::sync::Arc<Vec<Match>>, AppError> {
    let generation = || {
        (
            app.search.generation(),
            app.semantic.as_ref().map_or(0, |s| s.generation()),
        )
    };
    let Some((kind, id)) = source.doc_key() else {
        return Ok(std::sync::Arc::new(
            matches(app.engine(), source, target, limit).await?,
        ));
    };
    let key = (kind, id, target, limit);
    // Read before computing: a change during the computation leaves an entry of the older
    // generation, which the next view recomputes.
    let at = generation();
    if let Some(hit) = app.match_cache.get(&key, at) {
        return Ok(hit);
    }
    let found = std::sync::Arc::new(matches(app.engine(), source, target, limit).await?);
    app.match_cache.put(key, at, found.clone());
    Ok(found)
}

fn kind_order(k: DocKind) -> u8 {
    match k {
        DocKind::Scenario => 0,
        DocKind::Achievement => 1,
        DocKind::Policy => 2,
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
    /// 0–100, the same from either side of the pair.
    pub score: u32,
    /// The score in words.
    pub grade: Grade,
    pub grade_zh: &'static str,
    pub grade_en: &'static str,
    /// One line: why it ranks, and what does not fit yet.
    pub verdict_zh: String,
    pub verdict_en: String,
    /// Text strength, 0–1: the shared telling terms and the meaning (placed in the spread of
    /// cosines across the catalogue), absolute, not relative to the other candidates.
    pub text: f64,
    /// Structured fit, 0–1.
    pub structured: f64,
    /// Cosine similarity of the embeddings, when the model is loaded.
    pub semantic: Option<f64>,
    /// The cosine in standard deviations above a typical pair of the two kinds.
    pub standing: Option<f64>,
    /// Words both records share, as written in the result.
    pub terms: Vec<String>,
    pub facts: Vec<fit::Fact>,
    /// Near-copies of this result from the same owner, folded under it.
    pub similar: Vec<Folded>,
}

/// A result folded under a near-copy of it.
#[derive(Debug, Clone, Serialize)]
pub struct Folded {
    pub id: i64,
    pub title_zh: String,
    pub title_en: String,
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
            Source::Scenario(s) => scenario_text(s),
            Source::Achievement(a) => achievement_text(a),
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

fn scenario_text(s: &ScenarioRow) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}",
        s.title_zh, s.title_en, s.description_zh, s.description_en, s.field
    )
}

fn achievement_text(a: &AchievementRow) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}",
        a.title_zh, a.title_en, a.summary_zh, a.summary_en, a.field
    )
}

/// Which records a listing of matches may show: public ones (not drafts, not closed).
fn listable(status: Status) -> bool {
    status.is_public() && status != Status::Closed
}

/// A text's words for the word evidence: its telling terms and every term it holds.
fn profile(words: &[duijie_search::Word], key: &[duijie_search::WeightedTerm]) -> Profile {
    Profile {
        telling: key
            .iter()
            .map(|t| Telling {
                term: t.term.clone(),
                weight: f64::from(t.weight),
                share: f64::from(t.share),
            })
            .collect(),
        terms: words.iter().map(|w| w.term.clone()).collect(),
    }
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
    // The source's words, analysed once: its telling terms find the lexical candidates and
    // are its side of the word evidence.
    let source_words = index.analyze(&text);
    let source_key = index.key_terms_of(&source_words, duijie_match::KEY_TERMS);
    let mut lexical = index.similar(&source_key, Some(target), CANDIDATES)?;
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

    let cos = |id: i64| -> Option<f64> {
        let (s, q) = (e.semantic?, qvec.as_ref()?);
        let v = s.vectors.read().ok()?;
        v.similarity(q, target, id).map(f64::from)
    };
    // What a typical pair looks like: between records of the two kinds for a record (the
    // same from either side), between this text and every record for pasted text.
    // What a typical pair looks like: between records of the two kinds for a record (the
    // same from either side), between this text and every record for pasted text (a query
    // vector is compared with passages, whose cosines run lower than between passages).
    let spread: Option<Spread> = match (e.semantic, source.doc_key(), &qvec) {
        (Some(s), Some((k, _)), Some(_)) => Some(s.spread(k, target).unwrap_or_else(Spread::prior)),
        (Some(s), None, Some(q)) => s.vectors.read().ok().and_then(|v| {
            Spread::of(
                v.nearest(q, Some(target), usize::MAX)
                    .iter()
                    .map(|h| f64::from(h.score))
                    .collect(),
            )
        }),
        _ => None,
    };
    let source_profile = profile(&source_words, &source_key);
    let source_scripts = Scripts::of(&text);

    // Each candidate's text, cosine and whether it shares a language with the source; the
    // meaning of those that cannot be placed in the spread is judged among themselves.
    let seen: Vec<(String, Option<f64>, bool)> = candidates
        .iter()
        .map(|c| {
            let t = c.text();
            let same = source_scripts.shares(Scripts::of(&t));
            (t, cos(c.id()), same)
        })
        .collect();
    let placed = |same: bool| same && spread.is_some();
    let relative = calibrate::relative_meaning(
        &seen
            .iter()
            .map(|(_, cos, same)| cos.filter(|_| !placed(*same)))
            .collect::<Vec<_>>(),
    );
    let mut out: Vec<(Match, Option<Vec<f32>>)> = Vec::new();
    for ((c, (ctext, semantic, same_language)), relative) in
        candidates.iter().zip(seen).zip(relative)
    {
        let (semantic, same_language) = (semantic, same_language);
        let z = semantic
            .zip(spread.as_ref())
            .filter(|_| placed(same_language))
            .map(|(c, s)| s.z(c));
        let meaning = z.map(calibrate::meaning_strength).or(relative);
        let cand_words = index.analyze(&ctext);
        let cand_key = index.key_terms_of(&cand_words, duijie_match::KEY_TERMS);
        let cand_profile = profile(&cand_words, &cand_key);
        let (overlap, shared) = calibrate::overlap(&source_profile, &cand_profile);
        let words = if same_language {
            calibrate::words_strength(overlap)
        } else {
            0.0
        };
        let text_strength = calibrate::text_strength(meaning, words, same_language);
        if text_strength < calibrate::NO_EVIDENCE {
            continue;
        }
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
        let shared = shown_as_written(&shared, &cand_words);
        let mut facts = Vec::new();
        if !shared.is_empty() {
            // Each language lists the shared words written in it. An English page shows
            // Chinese words where none is English (a record written only in Chinese); a Chinese
            // page names only Chinese words, and says nothing when all are English.
            let han: Vec<&str> = shared
                .iter()
                .map(String::as_str)
                .filter(|t| Scripts::of(t).han)
                .collect();
            let latin: Vec<&str> = shared
                .iter()
                .map(String::as_str)
                .filter(|t| !Scripts::of(t).han)
                .collect();
            let en_terms = if latin.is_empty() { &han } else { &latin };
            facts.push(fit::Fact {
                kind: FactKind::Terms,
                fit: if words >= 0.5 {
                    FitLevel::Good
                } else {
                    FitLevel::Partial
                },
                zh: if han.is_empty() {
                    String::new()
                } else {
                    format!("共同关键词：{}", han.join("、"))
                },
                en: format!("Shared terms: {}", en_terms.join(", ")),
            });
        }
        if let (Some(cos), Some(m)) = (semantic, meaning) {
            let against = match (z, spread.as_ref()) {
                (Some(_), Some(s)) => {
                    let pct = (s.below(cos) * 100.0).floor();
                    Some((
                        format!("语义相似度高于 {pct:.0}% 的配对"),
                        format!("more similar than {pct:.0}% of pairs"),
                    ))
                }
                _ => None,
            };
            let (zh_how, en_how) = against.unwrap_or_else(|| {
                (
                    "与其他候选相比".to_string(),
                    "compared with the other candidates".to_string(),
                )
            });
            let (fit, zh, en) = if m >= 0.5 {
                (FitLevel::Good, "内容相近", "Close in meaning")
            } else if m > 0.15 {
                (
                    FitLevel::Partial,
                    "内容有一定关联",
                    "Somewhat related in meaning",
                )
            } else {
                (FitLevel::Gap, "内容关联弱", "Little related in meaning")
            };
            let lang = if same_language {
                ("", "")
            } else {
                ("（跨语言）", " (across languages)")
            };
            facts.push(fit::Fact {
                kind: FactKind::Semantic,
                fit,
                zh: format!("{zh}{}：{zh_how}", lang.0),
                en: format!("{en}{}: {en_how}", lang.1),
            });
        }
        facts.extend(explanation.facts);
        let total = total(text_strength, explanation.structured);
        let vector = e.semantic.and_then(|s| {
            s.vectors
                .read()
                .ok()
                .and_then(|v| v.get(target, c.id()).map(<[f32]>::to_vec))
        });
        let mut m = c.to_match(
            total,
            text_strength,
            explanation.structured,
            semantic,
            facts,
        );
        m.terms = shared;
        m.standing = z.map(|z| (z * 100.0).round() / 100.0);
        out.push((m, vector));
    }
    out.sort_by(|(a, _), (b, _)| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    Ok(fold_near_copies(out, limit))
}

/// The best `limit` results, each near-copy of a result from the same owner (the same work
/// published twice, or in variants) folded under the first of them.
fn fold_near_copies(ranked: Vec<(Match, Option<Vec<f32>>)>, limit: usize) -> Vec<Match> {
    let mut kept: Vec<(Match, Option<Vec<f32>>)> = Vec::new();
    for (m, v) in ranked {
        let copy_of = kept.iter().position(|(k, kv)| {
            let cos = match (&v, kv) {
                (Some(a), Some(b)) => {
                    Some(f64::from(a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>()))
                }
                _ => None,
            };
            k.org_id == m.org_id && calibrate::near_copies(&title_of(k), &title_of(&m), cos)
        });
        match copy_of {
            Some(i) => kept[i].0.similar.push(Folded {
                id: m.id,
                title_zh: m.title_zh,
                title_en: m.title_en,
            }),
            None if kept.len() < limit => kept.push((m, v)),
            None => {}
        }
    }
    kept.into_iter().map(|(m, _)| m).collect()
}

fn title_of(m: &Match) -> String {
    if m.title_zh.is_empty() {
        m.title_en.clone()
    } else {
        m.title_zh.clone()
    }
}

/// The verdict of a result in both languages: its grade, why it ranks, and what does not fit
/// yet (the gaps of its explanation).
fn verdict(grade: Grade, text: f64, facts: &[fit::Fact]) -> (String, String) {
    let (why_zh, why_en) = if text >= 0.6 {
        ("内容高度相关", "closely related content")
    } else if text >= 0.3 {
        ("内容相关", "related content")
    } else if text >= 0.15 {
        ("内容有一定关联", "somewhat related content")
    } else {
        ("内容关联较弱", "little related content")
    };
    let gaps: Vec<(&str, &str)> = facts
        .iter()
        .filter(|f| f.fit == FitLevel::Gap && f.kind != FactKind::Semantic)
        .map(|f| match f.kind {
            FactKind::Chain => ("产业链不同", "a different industrial chain"),
            FactKind::Maturity => ("成熟度不足", "not mature enough yet"),
            FactKind::Region => ("地区条件不符", "the region"),
            FactKind::Budget => ("预算不符", "the budget"),
            _ => ("部分条件不符", "some conditions"),
        })
        .collect();
    if gaps.is_empty() {
        (
            format!("{}：{why_zh}", grade.zh()),
            format!("{}: {why_en}", grade.en()),
        )
    } else {
        let zh: Vec<&str> = gaps.iter().map(|g| g.0).collect();
        let en: Vec<&str> = gaps.iter().map(|g| g.1).collect();
        (
            format!("{}：{why_zh}，但{}", grade.zh(), zh.join("、")),
            format!("{}: {why_en}, but {}", grade.en(), en.join(" and ")),
        )
    }
}

/// Shared terms (as indexed) shown as written in `text`.
fn shown_as_written(terms: &[&str], words: &[duijie_search::Word]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in terms {
        let surface = words
            .iter()
            .find(|w| w.term == *t)
            .map_or_else(|| (*t).to_string(), |w| w.surface.clone());
        if !out.contains(&surface) {
            out.push(surface);
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

    /// The same text as the record's as a source, so that a pair is judged alike from
    /// either side.
    fn text(&self) -> String {
        match self {
            Candidate::Scenario(s) => scenario_text(s),
            Candidate::Achievement(a) => achievement_text(a),
        }
    }

    fn to_match(
        &self,
        total: f64,
        text: f64,
        structured: f64,
        semantic: Option<f64>,
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
        let score = (total * 100.0).round().clamp(0.0, 100.0) as u32;
        let grade = Grade::of(score);
        let (verdict_zh, verdict_en) = verdict(grade, text, &facts);
        Match {
            kind,
            id,
            key: key.clone(),
            title_zh: tz.clone(),
            title_en: te.clone(),
            org_id: org,
            org_name_zh: oz.clone(),
            org_name_en: oe.clone(),
            score,
            grade,
            grade_zh: grade.zh(),
            grade_en: grade.en(),
            verdict_zh,
            verdict_en,
            text: round3(text),
            structured: round3(structured),
            semantic: semantic.map(round3),
            standing: None,
            terms: Vec::new(),
            facts,
            similar: Vec::new(),
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
