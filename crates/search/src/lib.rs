//! Full-text search over scenarios and achievements: a tantivy inverted index whose analyzer
//! segments Chinese with jieba and lower-cases, stems and drops stop words for English, ranked by
//! BM25 with the title weighted above the body.
//!
//! The index is derived data: the database is the source of truth and the index can be rebuilt
//! from it at any time (the server does so at start-up).

mod analyzer;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STRING};
use tantivy::tokenizer::TokenStream;
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use analyzer::{
    bigram_runs, bigrams, cjk_chars, has_cjk, query_terms, CHARS_ANALYZER, GRAMS_ANALYZER,
    INDEX_ANALYZER, QUERY_ANALYZER,
};
pub use vectors::{text_hash, VectorSet, VectorsError};

mod vectors;

/// What went wrong in the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index writer is unavailable (a previous write panicked)")]
    Poisoned,
    #[error("search index folder {path}: {message}")]
    Folder { path: String, message: String },
}

/// The kinds of record an index holds: scenarios and achievements in the platform's index,
/// policy texts in the R&D policy store's own index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Scenario,
    Achievement,
    Policy,
}

impl DocKind {
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Scenario => "scenario",
            DocKind::Achievement => "achievement",
            DocKind::Policy => "policy",
        }
    }
}

/// The searchable text of one record. Only public fields belong here: never confidential ones.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub kind: DocKind,
    pub id: i64,
    /// Titles in every language the record has.
    pub title: String,
    /// Description or summary in every language.
    pub body: String,
    /// Field, chain, region and owner names: short descriptive labels.
    pub tags: String,
}

/// A ranked result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub kind: DocKind,
    pub id: i64,
    pub score: f32,
}

/// One analysed word of a text: the term as indexed and the text it came from (for showing a
/// user which words matched: `inspect` was `inspection`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub term: String,
    pub surface: String,
}

/// A query term with its weight, for "more like this" matching.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedTerm {
    pub term: String,
    pub weight: f32,
    /// Share of the index's records holding the term (generic words hold many).
    pub share: f32,
}

/// How `SearchIndex::open` found its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// An index was there (its mark: `SearchIndex::mark`).
    Existing,
    /// The folder was empty or held an index of another layout; a new empty index was made.
    Created,
}

/// Weight of the character-pair field against the word fields in free-text ranking, and of
/// the query's characters found in sequence (a phrase). Measured with `duijie eval` on Chinese
/// keyword-to-abstract retrieval (docs/MATCHING.md): pairs 0 → 1 → 2 gave nDCG@10 0.666 →
/// 0.682 → 0.683 with phrases at 1; phrases 0 → 1 → 3 gave 0.677 → 0.683 → 0.688.
const GRAMS_WEIGHT: f32 = 1.5;
const PHRASE_WEIGHT: f32 = 3.0;

/// Relative weights of the text fields in ranking.
const TITLE_BOOST: f32 = 3.0;
const TAGS_BOOST: f32 = 1.5;
const BODY_BOOST: f32 = 1.0;

/// The word fields of one kind of record. Each kind has its own, so that "records of this
/// kind like that text" is a plain disjunction of term queries (which tantivy prunes with
/// block-max WAND) instead of a disjunction intersected with a kind filter (which it cannot
/// prune); document frequencies are then counted within the kind, too.
#[derive(Clone, Copy)]
struct KindFields {
    title: Field,
    body: Field,
    tags: Field,
}

const KINDS: [DocKind; 3] = [DocKind::Scenario, DocKind::Achievement, DocKind::Policy];

struct Fields {
    key: Field,
    kind: Field,
    /// Word fields per kind, in the order of `KINDS`.
    words: [KindFields; 3],
    grams: Field,
    /// Single CJK characters of title and body (the recall path of Chinese queries).
    chars: Field,
    /// Kind and id packed in a fast field (`kind << 62 | id`), read without loading documents.
    reference: Field,
}

/// The index with its single writer and a reader that is reloaded after every commit, so a
/// write is searchable as soon as the call that made it returns.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
    /// Counts the commits made searchable (see `generation`).
    generation: std::sync::atomic::AtomicU64,
}

fn schema() -> (Schema, Fields) {
    let mut sb = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(INDEX_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let f = Fields {
        key: sb.add_text_field("key", STRING),
        kind: sb.add_text_field("kind", STRING),
        words: KINDS.map(|k| KindFields {
            title: sb.add_text_field(&format!("{}.title", k.code()), text.clone()),
            body: sb.add_text_field(&format!("{}.body", k.code()), text.clone()),
            tags: sb.add_text_field(&format!("{}.tags", k.code()), text.clone()),
        }),
        reference: sb.add_u64_field("ref", tantivy::schema::FAST),
        grams: sb.add_text_field(
            "grams",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(GRAMS_ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        chars: sb.add_text_field(
            "chars",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(CHARS_ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
    };
    (sb.build(), f)
}

/// Remove the files of a tantivy index from `dir`, and nothing else.
fn remove_index_files(dir: &Path) -> std::io::Result<()> {
    let managed = dir.join(".managed.json");
    let mut files: Vec<String> = std::fs::read(&managed)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    files.extend(
        [
            "meta.json",
            ".managed.json",
            ".tantivy-meta.lock",
            ".tantivy-writer.lock",
        ]
        .map(String::from),
    );
    for f in files {
        // Only plain names: a damaged list cannot send the removal out of the folder.
        if f.contains('/') || f.contains('\\') || f.starts_with("..") {
            continue;
        }
        match std::fs::remove_file(dir.join(&f)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

impl SearchIndex {
    /// A new, empty index held in memory.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, f) = schema();
        Self::with_index(Index::create_in_ram(schema), f)
    }

    /// The index kept in `dir` (created if missing). An index written with another layout is
    /// replaced by an empty one; the caller then rebuilds it from the database.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Opened), SearchError> {
        let folder = |e: &dyn std::fmt::Display| SearchError::Folder {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(|e| folder(&e))?;
        let (schema, f) = schema();
        let existing = Index::exists(&MmapDirectory::open(dir).map_err(|e| folder(&e))?)
            .map_err(|e| folder(&e))?;
        if existing {
            match Index::open_in_dir(dir) {
                Ok(index) if index.schema() == schema => {
                    return Ok((Self::with_index(index, f)?, Opened::Existing));
                }
                _ => {
                    // Another layout (or a damaged index): start afresh, removing only what
                    // tantivy wrote (the files its `.managed.json` lists, its meta and locks),
                    // never anything else someone keeps in the folder.
                    remove_index_files(dir).map_err(|e| folder(&e))?;
                }
            }
        }
        let index = Index::create_in_dir(dir, schema)?;
        Ok((Self::with_index(index, f)?, Opened::Created))
    }

    fn with_index(index: Index, f: Fields) -> Result<SearchIndex, SearchError> {
        analyzer::register(&index);
        // One indexing thread per core (at most four), 40 MB of buffer each.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let writer = index.writer_with_num_threads(threads, threads * 40_000_000)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            f,
            generation: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn key(kind: DocKind, id: i64) -> String {
        format!("{}:{id}", kind.code())
    }

    /// Add or replace records, then make them searchable.
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        self.write(docs, &[], None)
    }

    /// Add or replace `docs` and remove `gone` in one commit, storing `mark` with it (the
    /// audit-log position the index is now in step with), then make the result searchable.
    pub fn write(
        &self,
        docs: &[SearchDoc],
        gone: &[(DocKind, i64)],
        mark: Option<i64>,
    ) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for &(kind, id) in gone {
            w.delete_term(Term::from_field_text(self.f.key, &Self::key(kind, id)));
        }
        for d in docs {
            w.delete_term(Term::from_field_text(self.f.key, &Self::key(d.kind, d.id)));
            w.add_document(self.document(d))?;
        }
        self.commit(&mut w, mark)?;
        self.reload()?;
        Ok(())
    }

    /// Replace the whole content with `docs` in one commit, calling `progress` after each
    /// document; the old content stays searchable until the new one is committed.
    pub fn rebuild(
        &self,
        docs: impl Iterator<Item = SearchDoc>,
        mark: Option<i64>,
        mut progress: impl FnMut(),
    ) -> Result<usize, SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        // No background merges while loading: the explicit merge at the end takes every
        // segment, and a background merge holding some of them would make it fail. They are
        // back on however the load ends.
        w.set_merge_policy(Box::new(NoMergePolicy));
        let loaded = self.load(&mut w, docs, mark, &mut progress);
        w.set_merge_policy(Box::<LogMergePolicy>::default());
        let n = loaded?;
        self.reload()?;
        Ok(n)
    }

    /// `rebuild`'s work, with background merges off: replace, commit, merge into one segment.
    fn load(
        &self,
        w: &mut IndexWriter,
        docs: impl Iterator<Item = SearchDoc>,
        mark: Option<i64>,
        progress: &mut impl FnMut(),
    ) -> Result<usize, SearchError> {
        w.delete_all_documents()?;
        let mut n = 0;
        for d in docs {
            w.add_document(self.document(&d))?;
            n += 1;
            progress();
        }
        self.commit(w, mark)?;
        // A bulk load leaves one segment per indexing thread and flush: merge them into one
        // now, while the caller waits, rather than in the background while queries run (one
        // segment is also what block-max WAND prunes best). This took the p50 of
        // `duijie bench match` at 100k records from 3.8 to 2.2 ms.
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            w.merge(&segments).wait()?;
        }
        Ok(n)
    }

    /// The indexed form of a record.
    fn document(&self, d: &SearchDoc) -> TantivyDocument {
        let w = self.f.words[kind_index(d.kind)];
        doc!(
            self.f.key => Self::key(d.kind, d.id),
            self.f.reference => pack(d.kind, d.id),
            self.f.kind => d.kind.code(),
            w.title => d.title.as_str(),
            w.body => d.body.as_str(),
            w.tags => d.tags.as_str(),
            self.f.grams => format!("{}\n{}", d.title, d.body),
            self.f.chars => format!("{}\n{}\n{}", d.title, d.body, d.tags),
        )
    }

    /// Commit, stamped with `mark`, or — for a write that moves no mark (a local write) — with
    /// the mark already stored: a commit without a payload would drop it, and a crash before
    /// the next stamped commit would then rebuild the whole index at the next start. Keeping
    /// the older mark is safe: catching up from it re-applies what is already there.
    fn commit(&self, w: &mut IndexWriter, mark: Option<i64>) -> Result<(), SearchError> {
        let mark = mark.or_else(|| self.mark());
        let mut prepared = w.prepare_commit()?;
        if let Some(m) = mark {
            prepared.set_payload(&m.to_string());
        }
        prepared.commit()?;
        Ok(())
    }

    /// Make the last commit searchable, then count it: a reader that sees the new generation
    /// searches the new data.
    fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    /// How many times the searchable data has changed since the index was opened: anything
    /// derived from searches (cached matches) is current while this stays the same.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The mark stored with the last commit, if any.
    pub fn mark(&self) -> Option<i64> {
        self.index
            .load_metas()
            .ok()?
            .payload
            .and_then(|p| p.parse().ok())
    }

    /// Remove a record from the index.
    pub fn delete(&self, kind: DocKind, id: i64) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        w.delete_term(Term::from_field_text(self.f.key, &Self::key(kind, id)));
        self.commit(&mut w, None)?;
        self.reload()?;
        Ok(())
    }

    /// Records containing every word of `q` (in any of their fields), best first, with the
    /// number of matches in total.
    ///
    /// A query with Chinese characters also finds, ranked after every whole-word hit, the
    /// records that hold each of its characters inside other words: jieba makes 氢冶金 one
    /// word, so 氢能 or 氢 alone would miss it. The query's other words are still required.
    pub fn search(
        &self,
        q: &str,
        kind: Option<DocKind>,
        limit: usize,
    ) -> Result<(Vec<Hit>, usize), SearchError> {
        let terms = query_terms(&self.index, q);
        if terms.is_empty() {
            return Ok((Vec::new(), 0));
        }
        // Every word in the kind's own fields: a record of another kind cannot match, so no
        // kind filter is needed.
        let words = || -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                terms
                    .iter()
                    .map(|t| (Occur::Must, self.term_in_any_field(t, kind)))
                    .collect(),
            ))
        };
        let (mut hits, mut total) = self.top(words(), None, limit)?;
        if !has_cjk(q) {
            return Ok((hits, total));
        }
        // The recall path: every character of the Chinese words, every other word as a word,
        // and not already found as whole words.
        let mut recall: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in &terms {
            if has_cjk(t) {
                for c in cjk_chars(t) {
                    recall.push((
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(self.f.chars, &c),
                            IndexRecordOption::WithFreqs,
                        )),
                    ));
                }
            } else {
                recall.push((Occur::Must, self.term_in_any_field(t, kind)));
            }
        }
        recall.push((Occur::MustNot, words()));
        let room = limit.saturating_sub(hits.len());
        let (more, more_total) = self.top(Box::new(BooleanQuery::new(recall)), kind, room)?;
        hits.extend(more.into_iter().take(room));
        total += more_total;
        Ok((hits, total))
    }

    /// Records containing any word of `q`, ranked by BM25 (for free text and evaluation, where
    /// demanding every word would lose too much).
    pub fn search_any(
        &self,
        q: &str,
        kind: Option<DocKind>,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let terms = query_terms(&self.index, q);
        let grams = bigrams(&self.index, q);
        if terms.is_empty() && grams.is_empty() {
            return Ok(Vec::new());
        }
        let gw = GRAMS_WEIGHT;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|t| (Occur::Should, self.term_in_any_field(t, kind)))
            .collect();
        for g in &grams {
            let tq = TermQuery::new(
                Term::from_field_text(self.f.grams, g),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), gw))));
        }
        // The query's characters in sequence, as written: worth more than the pairs scattered.
        for run in bigram_runs(&self.index, q) {
            if run.len() >= 2 {
                let terms: Vec<Term> = run
                    .iter()
                    .map(|g| Term::from_field_text(self.f.grams, g))
                    .collect();
                let pq = tantivy::query::PhraseQuery::new(terms);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(pq), PHRASE_WEIGHT)),
                ));
            }
        }
        Ok(self
            .top(Box::new(BooleanQuery::new(clauses)), kind, limit)?
            .0)
    }

    /// The analysed words of `text`, each with the text it came from, in order, repeated as
    /// often as they occur.
    pub fn analyze(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let Some(mut a) = self.index.tokenizers().get(QUERY_ANALYZER) else {
            return out;
        };
        let mut stream = a.token_stream(text);
        while let Some(t) = stream.next() {
            let surface = text.get(t.offset_from..t.offset_to).unwrap_or(&t.text);
            out.push(Word {
                term: t.text.clone(),
                surface: surface.to_string(),
            });
        }
        out
    }

    /// The `n` most telling terms of `text` for finding similar records: term frequency times
    /// inverse document frequency in this index, weights scaled so the best is 1.
    pub fn key_terms(&self, text: &str, n: usize) -> Vec<WeightedTerm> {
        self.key_terms_of(&self.analyze(text), n)
    }

    /// [`key_terms`](Self::key_terms) of a text already analysed.
    pub fn key_terms_of(&self, words: &[Word], n: usize) -> Vec<WeightedTerm> {
        let mut tf: HashMap<String, f32> = HashMap::new();
        for w in words {
            if w.term.chars().count() < 2 && !w.term.chars().all(|c| c.is_ascii_digit()) {
                // Single characters (a lone 的 or x) carry too little meaning to match on.
                continue;
            }
            *tf.entry(w.term.clone()).or_default() += 1.0;
        }
        let searcher = self.reader.searcher();
        let docs = searcher.num_docs().max(1) as f32;
        let mut scored: Vec<WeightedTerm> = tf
            .into_iter()
            .map(|(term, f)| {
                // Records of every kind that hold the term in any of their fields (at
                // least as many as in the field that holds it most).
                let df = self
                    .f
                    .words
                    .iter()
                    .map(|w| {
                        [w.title, w.tags, w.body]
                            .into_iter()
                            .map(|field| {
                                searcher
                                    .doc_freq(&Term::from_field_text(field, &term))
                                    .unwrap_or(0)
                            })
                            .max()
                            .unwrap_or(0)
                    })
                    .sum::<u64>() as f32;
                let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
                WeightedTerm {
                    weight: (1.0 + f.ln()) * idf,
                    share: (df / docs).min(1.0),
                    term,
                }
            })
            .filter(|t| t.weight > 0.0)
            .collect();
        scored.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
        scored.truncate(n);
        if let Some(top) = scored.first().map(|t| t.weight) {
            for t in &mut scored {
                t.weight /= top;
            }
        }
        scored
    }

    /// Records of `kind` ranked by how well they match the weighted terms (any of them).
    pub fn similar(
        &self,
        terms: &[WeightedTerm],
        kind: Option<DocKind>,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &self.weighted_terms(terms, kind),
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
        )?;
        Self::hits(&searcher, top)
    }

    /// A flat disjunction of boosted term queries over the kind's own fields, with no kind
    /// filter (and the caller asks for no count), so that tantivy can prune with block-max
    /// WAND.
    fn weighted_terms(&self, terms: &[WeightedTerm], kind: Option<DocKind>) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in terms {
            for (field, boost) in self.text_fields(kind) {
                let tq = TermQuery::new(
                    Term::from_field_text(field, &t.term),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(tq), boost * t.weight)),
                ));
            }
        }
        BooleanQuery::new(clauses)
    }

    /// The best `limit` records for `text` and how many match, restricted to records of
    /// `filter` (needed when `text` reaches fields shared by every kind, such as the pairs).
    fn top(
        &self,
        text: Box<dyn Query>,
        filter: Option<DocKind>,
        limit: usize,
    ) -> Result<(Vec<Hit>, usize), SearchError> {
        let query = self.of_kind(text, filter);
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
        )?;
        Ok((Self::hits(&searcher, top)?, total))
    }

    /// `text`, restricted to one kind of record when asked (the kind adds nothing to scores).
    fn of_kind(&self, text: Box<dyn Query>, kind: Option<DocKind>) -> Box<dyn Query> {
        let Some(k) = kind else { return text };
        let kind_q = TermQuery::new(
            Term::from_field_text(self.f.kind, k.code()),
            IndexRecordOption::Basic,
        );
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, text),
            (
                Occur::Must,
                Box::new(BoostQuery::new(Box::new(kind_q), 0.0)),
            ),
        ]))
    }

    /// Kind and id of ranked documents, from the fast field (no stored document is loaded).
    fn hits(
        searcher: &tantivy::Searcher,
        top: Vec<(f32, tantivy::DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let mut columns: HashMap<u32, tantivy::columnar::Column<u64>> = HashMap::new();
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let column = match columns.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(addr.segment_ord)
                        .fast_fields()
                        .u64("ref")?,
                ),
            };
            if let Some((kind, id)) = column.first(addr.doc_id).and_then(unpack) {
                hits.push(Hit { kind, id, score });
            }
        }
        Ok(hits)
    }

    /// The word fields of one kind (of every kind for `None`) with their ranking weights.
    fn text_fields(&self, kind: Option<DocKind>) -> Vec<(Field, f32)> {
        let sets = match kind {
            Some(k) => std::slice::from_ref(&self.f.words[kind_index(k)]),
            None => &self.f.words[..],
        };
        sets.iter()
            .flat_map(|w| {
                [
                    (w.title, TITLE_BOOST),
                    (w.tags, TAGS_BOOST),
                    (w.body, BODY_BOOST),
                ]
            })
            .collect()
    }

    /// One query word in title, tags or body of records of `kind`, with the field weights.
    fn term_in_any_field(&self, t: &str, kind: Option<DocKind>) -> Box<dyn Query> {
        let any: Vec<(Occur, Box<dyn Query>)> = self
            .text_fields(kind)
            .into_iter()
            .map(|(field, boost)| {
                let tq = TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                );
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(tq), boost)) as Box<dyn Query>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(any))
    }

    /// Number of records in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const KIND_SHIFT: u32 = 62;

fn kind_index(kind: DocKind) -> usize {
    match kind {
        DocKind::Scenario => 0,
        DocKind::Achievement => 1,
        DocKind::Policy => 2,
    }
}

fn pack(kind: DocKind, id: i64) -> u64 {
    let k: u64 = match kind {
        DocKind::Scenario => 0,
        DocKind::Achievement => 1,
        DocKind::Policy => 2,
    };
    (k << KIND_SHIFT) | (id as u64 & ((1 << KIND_SHIFT) - 1))
}

fn unpack(v: u64) -> Option<(DocKind, i64)> {
    let kind = match v >> KIND_SHIFT {
        0 => DocKind::Scenario,
        1 => DocKind::Achievement,
        2 => DocKind::Policy,
        _ => return None,
    };
    Some((kind, (v & ((1 << KIND_SHIFT) - 1)) as i64))
}

#[cfg(test)]
mod tests;
