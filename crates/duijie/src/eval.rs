//! `duijie eval`: retrieval quality on any folder in the BEIR layout, with the same index,
//! analyzers, embedding model and fusion the platform uses for matching.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use duijie_embed::Embedder;
use duijie_match::fuse::{fuse, Scripts, Signals};
use duijie_match::metrics::{ndcg_at, recall_at, Judgements};
use duijie_search::{DocKind, Hit, SearchDoc, SearchIndex, VectorSet};
use serde::Deserialize;

/// Which signals rank the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// BM25 over the jieba/English-analysed index only.
    Lexical,
    /// Embedding similarity only (needs the model).
    Semantic,
    /// Both, fused (the platform's ranking); lexical alone when the model is missing.
    Hybrid,
}

pub struct EvalArgs {
    pub dataset: PathBuf,
    pub run_out: Option<PathBuf>,
    pub mode: Mode,
    /// `None`: the platform's measured weight for the kind of corpus.
    pub lexical_weight: Option<f64>,
    pub sweep: bool,
    pub records: bool,
    pub model_dir: PathBuf,
}

#[derive(Deserialize)]
struct CorpusLine {
    #[serde(rename = "_id")]
    id: serde_json::Value,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
struct QueryLine {
    #[serde(rename = "_id")]
    id: serde_json::Value,
    text: String,
}

fn id_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line)
                .with_context(|| format!("{}: line {}", path.display(), i + 1))?,
        );
    }
    Ok(out)
}

fn read_qrels(path: &Path) -> Result<HashMap<String, Judgements>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("opening {}", path.display()))?;
    let mut out: HashMap<String, Judgements> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if i == 0 && cols.first().is_some_and(|c| c.contains("query")) {
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let [q, d, g] = cols.as_slice() else {
            bail!(
                "{}: line {}: expected 3 tab-separated columns (query-id corpus-id score)",
                path.display(),
                i + 1
            );
        };
        let grade: f64 = g.parse().with_context(|| {
            format!(
                "{}: line {}: score {g:?} is not a number",
                path.display(),
                i + 1
            )
        })?;
        out.entry(q.to_string())
            .or_default()
            .insert(d.to_string(), grade);
    }
    Ok(out)
}

/// Per query: the lexical and semantic candidate lists (doc index, raw score).
struct Candidates {
    lexical: Vec<Hit>,
    semantic: Vec<Hit>,
    /// The writing systems of the query, against those of each document (`scripts`).
    query: Scripts,
}

const DEPTH: usize = 100;

fn rank(
    c: &Candidates,
    scripts: &[Scripts],
    vectors: Option<&VectorSet>,
    qvec: Option<&[f32]>,
    w: f64,
) -> Vec<(i64, f64)> {
    let mut ids: Vec<i64> = c.lexical.iter().map(|h| h.id).collect();
    for h in &c.semantic {
        if !ids.contains(&h.id) {
            ids.push(h.id);
        }
    }
    let lex: HashMap<i64, f32> = c.lexical.iter().map(|h| (h.id, h.score)).collect();
    let signals: Vec<Signals> = ids
        .iter()
        .map(|id| Signals {
            lexical: lex.get(id).map(|s| f64::from(*s)),
            semantic: match (vectors, qvec) {
                (Some(v), Some(q)) => v.similarity(q, DocKind::Achievement, *id).map(f64::from),
                _ => None,
            },
            same_language: c.query.shares(scripts[*id as usize]),
        })
        .collect();
    let scores = fuse(&signals, w);
    let mut ranked: Vec<(i64, f64)> = ids.into_iter().zip(scores).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(DEPTH);
    ranked
}

pub fn run(args: &EvalArgs) -> Result<()> {
    let dir = &args.dataset;
    let corpus: Vec<CorpusLine> = read_jsonl(&dir.join("corpus.jsonl"))?;
    let queries: Vec<QueryLine> = read_jsonl(&dir.join("queries.jsonl"))?;
    let qrels = read_qrels(&dir.join("qrels").join("test.tsv"))?;
    let doc_ids: Vec<String> = corpus.iter().map(|c| id_text(&c.id)).collect();
    let scripts: Vec<Scripts> = corpus
        .iter()
        .map(|c| Scripts::of(&format!("{} {}", c.title, c.text)))
        .collect();

    let started = Instant::now();
    let index = SearchIndex::in_memory()?;
    index.rebuild(
        corpus.iter().enumerate().map(|(i, c)| SearchDoc {
            kind: DocKind::Achievement,
            id: i as i64,
            title: c.title.clone(),
            body: c.text.clone(),
            tags: String::new(),
        }),
        None,
        || {},
    )?;
    let index_seconds = started.elapsed().as_secs_f64();

    let model = if args.mode == Mode::Lexical {
        None
    } else {
        match Embedder::load(&args.model_dir) {
            Ok(m) => Some(m),
            Err(e) if args.mode == Mode::Hybrid => {
                eprintln!("eval: {e}; ranking lexically");
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    let started = Instant::now();
    let symmetric = is_phrase_corpus(&corpus);
    let lexical_weight = args.lexical_weight.unwrap_or(if symmetric {
        duijie_match::PHRASE_LEXICAL_WEIGHT
    } else {
        duijie_match::LEXICAL_WEIGHT
    });
    let vectors = match &model {
        Some(m) => Some(cached_vectors(m, &corpus, symmetric)?),
        None => None,
    };
    let embed_seconds = started.elapsed().as_secs_f64();

    let judged: Vec<&QueryLine> = queries
        .iter()
        .filter(|q| qrels.contains_key(&id_text(&q.id)))
        .collect();
    let mut latencies = Vec::with_capacity(judged.len());
    let mut per_query = Vec::with_capacity(judged.len());
    for q in &judged {
        let t = Instant::now();
        let lexical = if args.mode == Mode::Semantic {
            Vec::new()
        } else {
            index.search_any(&q.text, None, DEPTH)?
        };
        let qvec = match &model {
            Some(m) => Some(m.query(&q.text)?),
            None => None,
        };
        let semantic = match (&vectors, &qvec) {
            (Some(v), Some(qv)) => v.nearest(qv, None, DEPTH),
            _ => Vec::new(),
        };
        let c = Candidates {
            lexical,
            semantic,
            query: Scripts::of(&q.text),
        };
        let w = match args.mode {
            Mode::Lexical => 1.0,
            Mode::Semantic => 0.0,
            Mode::Hybrid => lexical_weight,
        };
        let ranked = rank(&c, &scripts, vectors.as_ref(), qvec.as_deref(), w);
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        per_query.push((id_text(&q.id), c, qvec, ranked));
    }

    let score = |ranked: &[(i64, f64)], qid: &str| {
        let docs: Vec<&str> = ranked
            .iter()
            .map(|(i, _)| doc_ids[*i as usize].as_str())
            .collect();
        let j = &qrels[qid];
        (ndcg_at(&docs, j, 10), recall_at(&docs, j, 100))
    };
    let n = per_query.len().max(1) as f64;
    let (mut ndcg, mut recall) = (0.0, 0.0);
    for (qid, _, _, ranked) in &per_query {
        let (a, b) = score(ranked, qid);
        ndcg += a;
        recall += b;
    }

    if let Some(path) = &args.run_out {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        for (qid, _, _, ranked) in &per_query {
            for (r, (i, s)) in ranked.iter().enumerate() {
                writeln!(
                    out,
                    "{qid} Q0 {} {} {s:.6} duijie",
                    doc_ids[*i as usize],
                    r + 1
                )?;
            }
        }
        out.flush()?;
    }

    let mut sweep = Vec::new();
    if args.sweep && vectors.is_some() {
        for step in 0..=10 {
            let w = f64::from(step) / 10.0;
            let mut total = 0.0;
            for (qid, c, qvec, _) in &per_query {
                total += score(
                    &rank(c, &scripts, vectors.as_ref(), qvec.as_deref(), w),
                    qid,
                )
                .0;
            }
            sweep.push(serde_json::json!({"lexical_weight": w, "ndcg@10": round(total / n)}));
        }
    }

    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| crate::bench::percentile(&latencies, p);
    let mode = match (args.mode, vectors.is_some()) {
        (Mode::Lexical, _) | (Mode::Hybrid, false) => "lexical",
        (Mode::Semantic, _) => "semantic",
        (Mode::Hybrid, true) => "hybrid",
    };
    let mut report = serde_json::json!({
        "dataset": dir.display().to_string(),
        "mode": mode,
        "lexical_weight": if mode == "hybrid" { Some(lexical_weight) } else { None },
        "corpus_kind": if symmetric { "phrases" } else { "documents" },
        "model": model.as_ref().map(|m| m.name().to_string()),
        "ndcg@10": round(ndcg / n),
        "recall@100": round(recall / n),
        "queries": per_query.len(),
        "docs": corpus.len(),
        "index_seconds": round(index_seconds),
        "embed_seconds": round(embed_seconds),
        "query_ms": {"p50": round(pct(0.5)), "p90": round(pct(0.9)), "p99": round(pct(0.99))},
    });
    if !sweep.is_empty() {
        report["sweep"] = serde_json::Value::Array(sweep);
    }
    if args.records {
        report["records"] = records(&index, &corpus, &doc_ids, &qrels)?;
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// Documents judged relevant to one query are related to each other; the gain of a pair is
/// the number of queries they share.
fn related_pairs(doc_ids: &[String], qrels: &HashMap<String, Judgements>) -> Vec<Judgements> {
    let position: HashMap<&str, usize> = doc_ids
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect();
    let mut related = vec![Judgements::new(); doc_ids.len()];
    for judged in qrels.values() {
        let docs: Vec<&str> = judged
            .iter()
            .filter(|(_, g)| **g > 0.0)
            .map(|(d, _)| d.as_str())
            .collect();
        for a in &docs {
            let Some(&i) = position.get(a) else { continue };
            for b in &docs {
                if a != b {
                    *related[i].entry(b.to_string()).or_default() += 1.0;
                }
            }
        }
    }
    related
}

/// Numbers of key terms tried by `--records`, and the most documents used as queries.
const RECORD_TERMS: [usize; 5] = [8, 12, 16, 24, 32];
const RECORD_QUERIES: usize = 1000;

/// Record-to-record matching as the platform's pages do it (a record's key terms, then BM25
/// over records of the other kind), for each number of key terms in `RECORD_TERMS`.
fn records(
    index: &SearchIndex,
    corpus: &[CorpusLine],
    doc_ids: &[String],
    qrels: &HashMap<String, Judgements>,
) -> Result<serde_json::Value> {
    let related = related_pairs(doc_ids, qrels);
    let queries: Vec<usize> = (0..corpus.len())
        .filter(|&i| !related[i].is_empty())
        .take(RECORD_QUERIES)
        .collect();
    let mut out = Vec::new();
    for n in RECORD_TERMS {
        let (mut total, mut ms) = (0.0, Vec::with_capacity(queries.len()));
        for &i in &queries {
            let text = format!("{}\n{}", corpus[i].title, corpus[i].text);
            let t = Instant::now();
            let terms = index.key_terms(&text, n);
            let hits = index.similar(&terms, Some(DocKind::Achievement), 11)?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let ranked: Vec<&str> = hits
                .iter()
                .filter(|h| h.id as usize != i)
                .map(|h| doc_ids[h.id as usize].as_str())
                .collect();
            total += ndcg_at(&ranked, &related[i], 10);
        }
        ms.sort_by(f64::total_cmp);
        out.push(serde_json::json!({
            "key_terms": n,
            "ndcg@10": round(total / queries.len().max(1) as f64),
            "query_ms_p50": round(crate::bench::percentile(&ms, 0.5)),
        }));
    }
    Ok(serde_json::json!({"queries": queries.len(), "by_key_terms": out}))
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Whether the corpus is short phrases (no titles, a few words each) rather than documents:
/// then matching is symmetric (phrase to phrase) and both sides are embedded as queries, as
/// the E5 model card prescribes for similarity tasks.
fn is_phrase_corpus(corpus: &[CorpusLine]) -> bool {
    if corpus.is_empty() {
        return false;
    }
    let titled = corpus.iter().filter(|c| !c.title.trim().is_empty()).count();
    let chars: usize = corpus.iter().map(|c| c.text.chars().count()).sum();
    titled * 10 < corpus.len() && chars / corpus.len() <= 60
}

/// Corpus vectors, kept in the system's temporary folder between runs on the same corpus
/// (embedding is the slow part of an evaluation).
fn cached_vectors(model: &Embedder, corpus: &[CorpusLine], symmetric: bool) -> Result<VectorSet> {
    let key = cache_key(corpus, symmetric, model.name());
    let cache = std::env::temp_dir().join(format!("duijie-eval-{key:016x}.vec"));
    if let Ok(v) = VectorSet::load(&cache, model.dim()) {
        if v.len() == corpus.len() {
            return Ok(v);
        }
    }
    let v = embed_corpus(model, corpus, symmetric)?;
    if let Err(e) = v.save(&cache) {
        eprintln!("eval: could not cache vectors: {e}");
    }
    Ok(v)
}

/// What the vectors of a corpus depend on: the texts embedded, in order (not where the file
/// lies or when it was last touched: a fresh copy of the same files reuses them), the roles
/// they are embedded in and the model.
fn cache_key(corpus: &[CorpusLine], symmetric: bool, model: &str) -> u64 {
    let mut parts = format!("{symmetric}|{model}|{}", corpus.len());
    for c in corpus {
        parts.push_str(&format!(
            "|{:016x}",
            duijie_search::text_hash(&embedded_text(c))
        ));
    }
    duijie_search::text_hash(&parts)
}

/// The text a corpus document is embedded as.
fn embedded_text(c: &CorpusLine) -> String {
    format!("{} {}", c.title, c.text).trim().to_string()
}

fn embed_corpus(model: &Embedder, corpus: &[CorpusLine], symmetric: bool) -> Result<VectorSet> {
    let bar = crate::progress::bar(corpus.len() as u64, "embedding");
    let mut set = VectorSet::new(model.dim());
    for (chunk_no, chunk) in corpus.chunks(64).enumerate() {
        let texts: Vec<String> = chunk.iter().map(embedded_text).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let vecs = if symmetric {
            model.queries(&refs)?
        } else {
            model.passages(&refs)?
        };
        for (j, v) in vecs.into_iter().enumerate() {
            set.insert(DocKind::Achievement, (chunk_no * 64 + j) as i64, 0, v);
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::{cache_key, read_jsonl, CorpusLine};
    use std::path::Path;

    #[test]
    fn cached_vectors_follow_the_corpus_content_not_its_file() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let line = "{\"_id\":\"d1\",\"title\":\"\",\"text\":\"焊缝探伤机器人\"}\n";
        let (fa, fb) = (a.path().join("corpus.jsonl"), b.path().join("corpus.jsonl"));
        let key_of = |f: &Path, symmetric: bool, model: &str| {
            let corpus: Vec<CorpusLine> = read_jsonl(f).unwrap();
            cache_key(&corpus, symmetric, model)
        };
        std::fs::write(&fa, line).unwrap();
        let key = key_of(&fa, false, "m");
        // Written again (a new modification time) and copied elsewhere: the same vectors.
        std::fs::write(&fa, line).unwrap();
        std::fs::write(&fb, line).unwrap();
        assert_eq!(key_of(&fa, false, "m"), key);
        assert_eq!(key_of(&fb, false, "m"), key);
        // Other text, other roles or another model: not the same vectors.
        std::fs::write(&fb, line.replace("焊缝", "管道")).unwrap();
        assert_ne!(key_of(&fb, false, "m"), key);
        assert_ne!(key_of(&fa, true, "m"), key);
        assert_ne!(key_of(&fa, false, "other"), key);
    }
}
