//! `duijie bench match --docs N`: matching at scale on a generated bilingual corpus. Builds an
//! on-disk index of N scenarios and achievements (recombined from the demo set's texts, with
//! random sites, maturity levels and regions), then times the lexical + structured matching
//! path (a scenario's key terms → BM25 candidates → structured fit → top 10) against a baseline
//! run in the same process: a one-word search.

use std::time::Instant;

use crate::bench::percentile;

use anyhow::{Context, Result};
use duijie_app::matching;
use duijie_match::fit::{self, Label, Need, Offer};
use duijie_match::fuse::Signals;
use duijie_search::{DocKind, SearchDoc, SearchIndex};

/// A small, fast deterministic generator (SplitMix64): reproducible corpora without a crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Base {
    kind: DocKind,
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
    chain: String,
}

const SITES: &[(&str, &str, &str)] = &[
    ("唐山", "Tangshan", "hebei.tangshan"),
    ("沧州", "Cangzhou", "hebei.cangzhou"),
    ("保定", "Baoding", "hebei.baoding"),
    ("雄安", "Xiong'an", "hebei.xiongan"),
    ("石家庄", "Shijiazhuang", "hebei.shijiazhuang"),
    ("邯郸", "Handan", "hebei.handan"),
    ("张家口", "Zhangjiakou", "hebei.zhangjiakou"),
    ("廊坊", "Langfang", "hebei.langfang"),
    ("海淀", "Haidian", "beijing.haidian"),
    ("滨海", "Binhai", "tianjin.binhai"),
];

fn bases() -> Result<Vec<Base>> {
    let mut out = Vec::new();
    for (text, kind, body) in [
        (crate::demo::SCENARIOS, DocKind::Scenario, "description"),
        (crate::demo::ACHIEVEMENTS, DocKind::Achievement, "summary"),
    ] {
        let t = duijie_tabular::read_csv(text.as_bytes(), &crate::transfer::IMPORT_LIMITS)
            .context("demo set")?;
        let col = |name: &str| t.headers.iter().position(|h| h == name);
        let (Some(tz), Some(te), Some(bz), Some(be), Some(ch)) = (
            col("title_zh"),
            col("title_en"),
            col(&format!("{body}_zh")),
            col(&format!("{body}_en")),
            col("chain"),
        ) else {
            anyhow::bail!("demo set: missing columns");
        };
        for r in &t.rows {
            let cell = |i: usize| r.get(i).cloned().unwrap_or_default();
            out.push(Base {
                kind,
                title_zh: cell(tz),
                title_en: cell(te),
                body_zh: cell(bz),
                body_en: cell(be),
                chain: cell(ch),
            });
        }
    }
    Ok(out)
}

/// Structured attributes of a generated record, by id.
#[derive(Clone)]
struct Attrs {
    chain: String,
    trl: u8,
    site: usize,
}

fn generate(bases: &[Base], rng: &mut Rng, id: i64) -> (SearchDoc, Attrs) {
    let b = &bases[rng.below(bases.len())];
    let other = &bases[rng.below(bases.len())];
    let site = rng.below(SITES.len());
    let (sz, se, _) = SITES[site];
    let trl = 3 + rng.below(7) as u8;
    let doc = SearchDoc {
        kind: b.kind,
        id,
        title: format!("{sz}{}\n{} ({se})", b.title_zh, b.title_en),
        body: format!(
            "{}\n{}\n{}\n{}",
            b.body_zh,
            b.body_en,
            other.body_zh.split('。').next().unwrap_or(""),
            other.body_en.split(". ").next().unwrap_or("")
        ),
        tags: String::new(),
    };
    let attrs = Attrs {
        chain: b.chain.clone(),
        trl,
        site,
    };
    (doc, attrs)
}

fn label(code: &str) -> Label {
    Label::new(code, code, code)
}

fn site_label(i: usize) -> Label {
    let (zh, en, code) = SITES[i];
    Label::new(code, zh, en)
}

fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

pub fn run(docs: usize, queries: usize, dir: Option<&std::path::Path>) -> Result<()> {
    let bases = bases()?;
    let tmp;
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            tmp = tempfile::tempdir()?;
            tmp.path().to_path_buf()
        }
    };
    let (index, _) = SearchIndex::open(&dir)?;
    let mut rng = Rng(20_261_128);
    let mut attrs: Vec<Attrs> = Vec::with_capacity(docs);
    let bar = crate::progress::bar(docs as u64, "indexing");
    let started = Instant::now();
    let mut gen_rng = Rng(7);
    let stream = (0..docs).map(|i| {
        let (d, a) = generate(&bases, &mut gen_rng, i as i64);
        attrs.push(a);
        d
    });
    let n = index.rebuild(stream, None, || bar.inc(1))?;
    bar.finish_and_clear();
    let index_seconds = started.elapsed().as_secs_f64();
    let (rss_after_index, _) = memory_mb();

    // Queries: generated scenarios (not in the index) matched against achievements.
    let mut match_ms = Vec::with_capacity(queries);
    let mut base_ms = Vec::with_capacity(queries);
    let mut found = 0usize;
    for q in 0..queries {
        let (need_doc, need_attrs) = loop {
            let (d, a) = generate(&bases, &mut rng, -(q as i64) - 1);
            if d.kind == DocKind::Scenario {
                break (d, a);
            }
        };
        let need = Need {
            chain: Some(label(&need_attrs.chain)),
            field: None,
            region: Some(site_label(need_attrs.site)),
            trl_required: Some(need_attrs.trl),
            budget_wan: Some((100.0, 500.0)),
        };
        let text = format!("{}\n{}", need_doc.title, need_doc.body);

        // Baseline: one word of the title, searched alone.
        let word = index
            .analyze(&need_doc.title)
            .into_iter()
            .map(|w| w.term)
            .find(|t| t.chars().count() >= 2)
            .unwrap_or_else(|| "机器人".into());
        let t = Instant::now();
        let _ = index.search(&word, Some(DocKind::Achievement), 10)?;
        base_ms.push(t.elapsed().as_secs_f64() * 1000.0);

        let t = Instant::now();
        // The server's own ranking path (lexical signal only: no model here).
        let (_, hits) = matching::lexical_candidates(&index, &text, DocKind::Achievement)?;
        let signals: Vec<Signals> = hits
            .iter()
            .map(|h| Signals {
                lexical: Some(f64::from(h.score)),
                semantic: None,
                same_language: true,
            })
            .collect();
        let text_scores = matching::text_scores(&signals);
        let mut ranked: Vec<(i64, f64)> = hits
            .iter()
            .zip(text_scores)
            .map(|(h, l)| {
                let a = &attrs[h.id as usize];
                let offer = Offer {
                    chain: Some(label(&a.chain)),
                    field: None,
                    region: Some(site_label(a.site)),
                    trl: Some(a.trl),
                    coop_modes: Vec::new(),
                };
                let e = fit::explain(&need, &offer);
                (h.id, matching::total(l, e.structured))
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(10);
        match_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        found += ranked.len();
    }
    match_ms.sort_by(f64::total_cmp);
    base_ms.sort_by(f64::total_cmp);
    let (rss, peak) = memory_mb();
    let p = |v: &[f64], q: f64| (percentile(v, q) * 1000.0).round() / 1000.0;
    let report = serde_json::json!({
        "docs": n,
        "index_seconds": (index_seconds * 10.0).round() / 10.0,
        "index_docs_per_second": (n as f64 / index_seconds).round(),
        "queries": queries,
        "results_per_query": found as f64 / queries.max(1) as f64,
        "match_ms": {"p50": p(&match_ms, 0.5), "p99": p(&match_ms, 0.99)},
        "baseline_one_word_search_ms": {"p50": p(&base_ms, 0.5), "p99": p(&base_ms, 0.99)},
        "match_vs_baseline_p50": (percentile(&match_ms, 0.5) / percentile(&base_ms, 0.5).max(1e-9) * 10.0).round() / 10.0,
        "memory_mb": {"rss_after_index": rss_after_index.round(), "rss": rss.round(), "peak": peak.round()},
        "index_dir": dir.display().to_string(),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
