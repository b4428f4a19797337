//! `duijie bench follow`: how far a second server's search lags behind writes made through the
//! first, at fixed write rates. Two servers in this process on one database, each with its own
//! index (the second keeps in step only through its follower, as on another machine); writes go
//! through the first server's API at the given rate, and the lag of each is the time from its
//! `201` until the second server's index finds it. The baseline is the follower's poll interval
//! (`--index-poll-ms`, default 1 s): lag cannot be much below it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use duijie_search::{DocKind, SearchIndex};
use duijie_store::Store;

use crate::bench::percentile;

/// Run at each rate for `seconds`, reporting lag percentiles and what was still not found a
/// few seconds after the writes ended.
pub async fn run(
    store: Store,
    semantic: Option<Arc<duijie_app::Semantic>>,
    rates: &[u32],
    seconds: f64,
    poll: Duration,
) -> Result<()> {
    let base = crate::bench::serve_locally(&store, false).await?;
    let second = Arc::new(SearchIndex::in_memory()?);
    duijie_app::rebuild_index(&store, &second)
        .await
        .map_err(anyhow::Error::msg)?;
    let mark = store.last_audit_id().await?;
    if let Some(s) = &semantic {
        crate::bench::embed_all(&store, s).await?;
    }
    let embeds = semantic.is_some();
    tokio::spawn(duijie_app::follow_index(
        store.clone(),
        second.clone(),
        semantic,
        mark,
        poll,
    ));
    let token = crate::bench::admin_token(&store).await?;
    let client = reqwest::Client::new();
    println!(
        "duijie bench follow: {seconds} s at each rate, follower polling every {} ms{}, backend {:?}",
        poll.as_millis(),
        if embeds { " and embedding" } else { " (no model)" },
        store.backend()
    );
    println!(
        "{:>10} {:>8} {:>10} {:>10} {:>10} {:>9} {:>14}",
        "writes/s", "writes", "lag p50", "lag p99", "lag max", "×poll", "stale after 3s"
    );
    let mut serial = 0u64;
    for &rate in rates {
        let gap = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
        let end = Instant::now() + Duration::from_secs_f64(seconds);
        let mut checks = Vec::new();
        let mut next = Instant::now();
        while Instant::now() < end {
            serial += 1;
            let word = format!("lagprobe{serial}x");
            let body = serde_json::json!({"title_zh": format!("跟随延迟测试 {word}"), "chain": "ai",
                "trl_required": 5, "region": "beijing", "status": "published", "org_id": 1});
            let r = client
                .post(format!("{base}/api/v1/scenarios"))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await?;
            anyhow::ensure!(r.status().as_u16() == 201, "a write failed: {}", r.status());
            let acked = Instant::now();
            let second = second.clone();
            checks.push(tokio::spawn(async move {
                // Found within 30 s, or counted as never.
                while acked.elapsed() < Duration::from_secs(30) {
                    if second
                        .search(&word, Some(DocKind::Scenario), 1)
                        .is_ok_and(|(_, n)| n > 0)
                    {
                        return Some(acked.elapsed());
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                None
            }));
            next += gap;
            if let Some(wait) = next.checked_duration_since(Instant::now()) {
                tokio::time::sleep(wait).await;
            }
        }
        let writes = checks.len();
        tokio::time::sleep(Duration::from_secs(3)).await;
        let stale = checks.iter().filter(|c| !c.is_finished()).count();
        let mut lags = Vec::with_capacity(writes);
        for c in checks {
            if let Ok(Some(d)) = c.await {
                lags.push(d.as_secs_f64());
            }
        }
        lags.sort_by(f64::total_cmp);
        let p = |q| percentile(&lags, q);
        println!(
            "{:>10} {:>8} {:>9.2}s {:>9.2}s {:>9.2}s {:>9.2} {:>14}",
            rate,
            writes,
            p(0.5),
            p(0.99),
            lags.last().copied().unwrap_or(0.0),
            p(0.5) / poll.as_secs_f64(),
            stale
        );
    }
    Ok(())
}
