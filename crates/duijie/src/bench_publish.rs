//! `duijie bench publish --records N`: what publishing an achievement costs on a platform of N
//! records, beside the same publishes on the demo set alone (the baseline, measured in the same
//! run). For each size: a throw-away SQLite database with the demo data plus N generated
//! records (recombined from the demo set's texts, imported through the importer), its index
//! built, then `--publishes` achievements published through the use case a page or the API
//! calls, as the demo laboratory's member.
//!
//! Reported per size:
//! - the write: from the call until the use case returns (stored, audited, indexed);
//! - every affected match list: each published scenario whose ten best achievements now
//!   include the new one (those the inbox's "new in your top ten" pass looks at), and the time
//!   from the write's return until a view of that scenario shows it. A list is recomputed at
//!   its first view after a change, so this is the view's own wait: the index commit is already
//!   in the write.
//!
//! Lexical and structured matching only: embedding N records with the model takes longer than
//! a benchmark should (the model's share is measured by `bench http` and `eval`).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use duijie_app::matching::{self, Source};
use duijie_app::{App, Caller};
use duijie_domain::achievement::AchievementRaw;
use duijie_domain::Status;
use duijie_search::{DocKind, SearchIndex};
use duijie_store::{Audit, Store};
use duijie_tabular::Table;

use crate::bench::percentile;
use crate::cli::Kind;

/// A small deterministic generator (SplitMix64), so that every run builds the same platform.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

/// Places a generated record is set in (its title says where, as real ones do).
const SITES: &[&str] = &[
    "唐山",
    "沧州",
    "保定",
    "雄安",
    "石家庄",
    "邯郸",
    "张家口",
    "廊坊",
    "海淀",
    "滨海",
];

/// `n` records generated from the demo `text` (a CSV of scenarios or achievements): each a
/// demo record's texts under a new key and a place in its title, with another maturity level.
fn generated(text: &str, n: usize, prefix: &str, rng: &mut Rng) -> Result<Table> {
    let demo = duijie_tabular::read_csv(text.as_bytes(), &crate::transfer::IMPORT_LIMITS)
        .context("demo set")?;
    let col = |name: &str| demo.headers.iter().position(|h| h == name);
    let (key, title, trl) = (
        col("key").context("key column")?,
        col("title_zh").context("title_zh column")?,
        col("trl")
            .or(col("trl_required"))
            .context("maturity column")?,
    );
    let deadline = col("deadline");
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let mut row = demo.rows[rng.below(demo.rows.len())].clone();
        row[key] = format!("{prefix}-{i}");
        row[title] = format!("{}{}", SITES[rng.below(SITES.len())], row[title]);
        row[trl] = (3 + rng.below(7)).to_string();
        if let Some(d) = deadline {
            // Generated scenarios stay open whatever day the benchmark runs.
            row[d] = String::new();
        }
        rows.push(row);
    }
    Ok(Table {
        headers: demo.headers,
        rows,
    })
}

/// What one size measured.
struct Size {
    records: u64,
    write_ms: Vec<f64>,
    /// From the write's return until a view of the list shows the new achievement, the
    /// affected lists viewed one after another (so each waits for those before it too).
    list_ms: Vec<f64>,
    /// Each affected list's view alone (the recomputation a first view after a change makes).
    view_ms: Vec<f64>,
}

/// Run the benchmark: the demo set alone, then with `records` generated records.
pub async fn run(records: usize, publishes: usize) -> Result<()> {
    println!(
        "duijie bench publish: {publishes} achievements published on the demo set alone, then \
         with {records} generated records (SQLite, lexical and structured matching)"
    );
    let baseline = size(0, publishes).await?;
    let large = size(records, publishes).await?;
    println!(
        "{:<22} {:>8} {:>9} {:>9} {:>9} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "platform",
        "records",
        "write p50",
        "write p99",
        "write max",
        "lists",
        "shown p50",
        "shown p99",
        "shown max",
        "view p50"
    );
    for (name, s) in [
        ("demo set (baseline)", &baseline),
        ("with generated", &large),
    ] {
        println!(
            "{:<22} {:>8} {:>9.1} {:>9.1} {:>9.1} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            name,
            s.records,
            percentile(&s.write_ms, 0.5),
            percentile(&s.write_ms, 0.99),
            s.write_ms.last().copied().unwrap_or(0.0),
            s.list_ms.len(),
            percentile(&s.list_ms, 0.5),
            percentile(&s.list_ms, 0.99),
            s.list_ms.last().copied().unwrap_or(0.0),
            percentile(&s.view_ms, 0.5),
        );
    }
    let ratio = |f: fn(&Size) -> f64| f(&large) / f(&baseline).max(1e-9);
    println!(
        "times in ms; shown: from the write's return until a view of an affected list shows \
         the new achievement (lists viewed one after another); view: one such view alone\n\
         ratio to the baseline: write p50 ×{:.2}, shown p50 ×{:.2}, view p50 ×{:.2}",
        ratio(|s| percentile(&s.write_ms, 0.5)),
        ratio(|s| percentile(&s.list_ms, 0.5)),
        ratio(|s| percentile(&s.view_ms, 0.5)),
    );
    Ok(())
}

/// One size: a fresh database with the demo data and `extra` generated records.
async fn size(extra: usize, publishes: usize) -> Result<Size> {
    let scratch = tempfile::tempdir()?;
    let store = Store::open_sqlite(scratch.path()).await?;
    store.migrate().await?;
    crate::demo::load(&store).await?;
    let mut rng = Rng(0x5EED ^ extra as u64);
    let audit = Audit::system("bench");
    if extra > 0 {
        let scenarios = generated(crate::demo::SCENARIOS, extra / 2, "gen-scn", &mut rng)?;
        crate::transfer::import_table(&store, Kind::Scenarios, &scenarios, &audit).await?;
        let achievements = generated(
            crate::demo::ACHIEVEMENTS,
            extra - extra / 2,
            "gen-ach",
            &mut rng,
        )?;
        crate::transfer::import_table(&store, Kind::Achievements, &achievements, &audit).await?;
    }
    let records = store.record_count().await?;
    let index = Arc::new(SearchIndex::open(&scratch.path().join("index"))?.0);
    let t = Instant::now();
    duijie_app::rebuild_index(&store, &index)
        .await
        .map_err(anyhow::Error::msg)?;
    eprintln!(
        "{records} records indexed in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let app = App::new(store.clone(), index);
    let lab = store
        .user_for_login("lab@duijie.demo")
        .await?
        .context("the demo laboratory's account")?
        .0;
    let caller = Caller {
        user: Some(lab),
        lang: "zh",
        token: None,
    };
    // What the new achievements say: each answers a demo scenario (its title and description
    // as the result's), as a laboratory publishes what a posted need asks for — so that it
    // ranks among the best matches of that scenario and of the generated ones like it.
    let needs = generated(crate::demo::SCENARIOS, publishes, "new-ach", &mut rng)?;
    let col = |name: &str| needs.headers.iter().position(|h| h == name);
    let (tz, te, dz, de, ch, fi) = (
        col("title_zh").context("title_zh")?,
        col("title_en").context("title_en")?,
        col("description_zh").context("description_zh")?,
        col("description_en").context("description_en")?,
        col("chain").context("chain")?,
        col("field").context("field")?,
    );
    let raws: Vec<AchievementRaw> = needs
        .rows
        .iter()
        .map(|r| AchievementRaw {
            title_zh: Some(format!("{}解决方案", r[tz])),
            title_en: Some(format!("A solution: {}", r[te])),
            summary_zh: Some(r[dz].clone()),
            summary_en: Some(r[de].clone()),
            chain: Some(r[ch].clone()),
            field: Some(r[fi].clone()),
            trl: Some("7".into()),
            coop_modes: Some("licence".into()),
            ..AchievementRaw::default()
        })
        .collect();
    let mut out = Size {
        records,
        write_ms: Vec::new(),
        list_ms: Vec::new(),
        view_ms: Vec::new(),
    };
    for mut raw in raws {
        raw.key = None;
        raw.status = Some("published".into());
        let t = Instant::now();
        let id = duijie_app::service::create::<duijie_app::resource::Achievements>(
            &app, &caller, None, &raw,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let written = Instant::now();
        out.write_ms.push(ms(t, written));
        // The scenarios the new achievement is nearest to, as the inbox pass finds them.
        let a = store.achievement(id).await?;
        let near = matching::matches(
            app.engine(),
            &Source::Achievement(&a),
            DocKind::Scenario,
            30,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        for m in near {
            let s = store.scenario(m.id).await?;
            if s.status != Status::Published || s.org_id == a.org_id {
                continue;
            }
            let viewed = Instant::now();
            let best = matching::record_matches(
                &app,
                &Source::Scenario(&s),
                DocKind::Achievement,
                duijie_app::notify::TOP,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            if best.iter().any(|b| b.id == id) {
                let now = Instant::now();
                out.list_ms.push(ms(written, now));
                out.view_ms.push(ms(viewed, now));
            }
        }
    }
    out.write_ms.sort_by(f64::total_cmp);
    out.list_ms.sort_by(f64::total_cmp);
    out.view_ms.sort_by(f64::total_cmp);
    store.close().await;
    Ok(out)
}

fn ms(from: Instant, to: Instant) -> f64 {
    to.duration_since(from).as_secs_f64() * 1000.0
}
