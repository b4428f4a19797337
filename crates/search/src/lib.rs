//! Full-text search over scenarios and achievements: a tantivy inverted index whose analyzer
//! segments Chinese with jieba and lower-cases, stems and drops stop words for English, ranked by
//! BM25 with the title weighted above the body.
//!
//! The index is derived data: the database is the source of truth and the index can be rebuilt
//! from it at any time (the server does so at start-up).

mod analyzer;

use std::sync::Mutex;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use analyzer::{query_terms, INDEX_ANALYZER, QUERY_ANALYZER};

/// What went wrong in the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index writer is unavailable (a previous write panicked)")]
    Poisoned,
}

/// The two kinds of record the index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Scenario,
    Achievement,
}

impl DocKind {
    fn code(self) -> &'static str {
        match self {
            DocKind::Scenario => "scenario",
            DocKind::Achievement => "achievement",
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

/// Relative weights of the text fields in ranking.
const TITLE_BOOST: f32 = 3.0;
const TAGS_BOOST: f32 = 1.5;
const BODY_BOOST: f32 = 1.0;

struct Fields {
    key: Field,
    kind: Field,
    title: Field,
    body: Field,
    tags: Field,
}

/// The index with its single writer and a reader that is reloaded after every commit, so a
/// write is searchable as soon as the call that made it returns.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
}

impl SearchIndex {
    /// A new, empty index held in memory.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let mut sb = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(INDEX_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let f = Fields {
            key: sb.add_text_field("key", STRING | STORED),
            kind: sb.add_text_field("kind", STRING),
            title: sb.add_text_field("title", text.clone()),
            body: sb.add_text_field("body", text.clone()),
            tags: sb.add_text_field("tags", text),
        };
        let index = Index::create_in_ram(sb.build());
        analyzer::register(&index);
        let writer = index.writer_with_num_threads(1, 30_000_000)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            f,
        })
    }

    fn key(kind: DocKind, id: i64) -> String {
        format!("{}:{id}", kind.code())
    }

    /// Add or replace records, then make them searchable.
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for d in docs {
            let key = Self::key(d.kind, d.id);
            w.delete_term(Term::from_field_text(self.f.key, &key));
            w.add_document(doc!(
                self.f.key => key,
                self.f.kind => d.kind.code(),
                self.f.title => d.title.as_str(),
                self.f.body => d.body.as_str(),
                self.f.tags => d.tags.as_str(),
            ))?;
        }
        w.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Remove a record from the index.
    pub fn delete(&self, kind: DocKind, id: i64) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        w.delete_term(Term::from_field_text(self.f.key, &Self::key(kind, id)));
        w.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Remove everything (before a rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        w.delete_all_documents()?;
        w.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Records containing every word of `q` (in any of their fields), best first, with the
    /// number of matches in total.
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
        self.run(&terms, kind, Occur::Must, limit)
    }

    fn run(
        &self,
        terms: &[String],
        kind: Option<DocKind>,
        each: Occur,
        limit: usize,
    ) -> Result<(Vec<Hit>, usize), SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|t| (each, self.term_in_any_field(t)))
            .collect();
        if let Some(k) = kind {
            let kind_q = TermQuery::new(
                Term::from_field_text(self.f.kind, k.code()),
                IndexRecordOption::Basic,
            );
            clauses.push((
                Occur::Must,
                Box::new(BoostQuery::new(Box::new(kind_q), 0.0)),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let key = d.get_first(self.f.key).and_then(|v| v.as_str());
            if let Some((kind, id)) = key.and_then(parse_key) {
                hits.push(Hit { kind, id, score });
            }
        }
        Ok((hits, total))
    }

    /// One query word in title, tags or body, with the field weights.
    fn term_in_any_field(&self, t: &str) -> Box<dyn Query> {
        let fields = [
            (self.f.title, TITLE_BOOST),
            (self.f.tags, TAGS_BOOST),
            (self.f.body, BODY_BOOST),
        ];
        let any: Vec<(Occur, Box<dyn Query>)> = fields
            .iter()
            .map(|&(field, boost)| {
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

/// The kind and id back from a stored key such as `scenario:12`.
fn parse_key(key: &str) -> Option<(DocKind, i64)> {
    let (kind, id) = key.split_once(':')?;
    let kind = match kind {
        "scenario" => DocKind::Scenario,
        "achievement" => DocKind::Achievement,
        _ => return None,
    };
    Some((kind, id.parse().ok()?))
}

#[cfg(test)]
mod tests;
