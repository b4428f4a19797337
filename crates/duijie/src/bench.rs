//! `duijie bench http`: load on a local server — list, detail and search pages at many
//! concurrent connections, the detail page beside sign-in floods, then concurrent writers —
//! reported as requests per second and latency percentiles, each beside a baseline
//! (`/healthz`, or the detail page alone) measured in the same run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use duijie_search::SearchIndex;
use duijie_store::Store;
use duijie_web::AppState;

/// The `p` quantile (0–1) of ascending `sorted` values, by nearest rank; 0 for none.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(0.0)
}

/// What one phase measured.
struct Phase {
    requests: usize,
    errors: usize,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl Phase {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

/// Send GETs to the paths `path(i)` from `connections` tasks for `seconds`, the tasks taking
/// the servers at `bases` and the `clients` (each its own visitor or signed-in user) in turn.
async fn phase(
    clients: &[reqwest::Client],
    bases: &[String],
    connections: usize,
    seconds: f64,
    path: Arc<dyn Fn(usize) -> String + Send + Sync>,
) -> Phase {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let base = bases[c % bases.len()].clone();
        let (client, path) = (clients[c % clients.len()].clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut errors, mut i) = (Vec::new(), 0usize, c);
            while Instant::now() < deadline {
                let t = Instant::now();
                match client.get(format!("{base}{}", path(i))).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    _ => errors += 1,
                }
                lat.push(t.elapsed());
                i += connections;
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((lat, e)) = t.await {
            all.extend(lat);
            errors += e;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Phase {
        requests: all.len(),
        errors,
        seconds,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    }
}

/// `writers` tasks each create `each` scenarios through the API; returns (created, failures).
async fn writers(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    writers: usize,
    each: usize,
) -> (usize, usize) {
    let mut tasks = Vec::new();
    for w in 0..writers {
        let (client, base, token) = (client.clone(), base.to_string(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut bad) = (0, 0);
            for i in 0..each {
                let body = serde_json::json!({"title_zh": format!("压测写入 {w}-{i}"), "chain": "ai", "trl_required": 5,
                    "region": "beijing", "status": "published", "org_id": 1});
                match client.post(format!("{base}/api/v1/scenarios")).bearer_auth(&token).json(&body).send().await {
                    Ok(r) if r.status().as_u16() == 201 => ok += 1,
                    _ => bad += 1,
                }
            }
            (ok, bad)
        }));
    }
    let mut out = (0, 0);
    for t in tasks {
        if let Ok((ok, bad)) = t.await {
            out.0 += ok;
            out.1 += bad;
        }
    }
    out
}

/// A server on `store` with an in-memory index built from it, on a free loopback port, in
/// this process; returns its base URL.
pub(crate) async fn serve_locally(store: &Store, trust_forwarded_for: bool) -> Result<String> {
    serve_with(store, trust_forwarded_for, None).await
}

/// A server on loopback (with the embedding model when given, every record embedded first).
pub(crate) async fn serve_with(
    store: &Store,
    trust_forwarded_for: bool,
    semantic: Option<Arc<duijie_app::Semantic>>,
) -> Result<String> {
    let index = Arc::new(SearchIndex::in_memory()?);
    duijie_app::rebuild_index(store, &index)
        .await
        .map_err(anyhow::Error::msg)?;
    if let Some(s) = &semantic {
        embed_all(store, s).await?;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(duijie_web::serve(
        listener,
        AppState::new(store.clone(), index, false)
            .with_semantic(semantic)
            .with_forwarded_for(trust_forwarded_for),
        None,
    ));
    Ok(base)
}

/// Embed every record of `store` (what a server with the model has done before it is loaded).
pub(crate) async fn embed_all(store: &Store, semantic: &Arc<duijie_app::Semantic>) -> Result<()> {
    let docs = duijie_app::indexer_docs(store)
        .await
        .map_err(anyhow::Error::msg)?;
    let s = semantic.clone();
    tokio::task::spawn_blocking(move || s.sync(&docs, |_| {}))
        .await?
        .map_err(anyhow::Error::msg)?;
    Ok(())
}

/// The demo accounts the member phases sign in as: people of seven organisations and roles,
/// so that each page is viewed by several users, each with their own page.
const MEMBERS: &[&str] = &[
    "port@duijie.demo",
    "lab@duijie.demo",
    "officer@duijie.demo",
    "expert@duijie.demo",
    "registrar@duijie.demo",
    "broker@duijie.demo",
    "broker2@duijie.demo",
];

/// A client signed in as `email` (its session cookie kept), through the sign-in form.
async fn member_client(base: &str, connections: usize, email: &str) -> Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(connections)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .ok_or_else(|| anyhow::anyhow!("no CSRF token on the sign-in page"))?
        .to_string();
    let r = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", crate::demo::DEMO_PASSWORD),
        ])
        .send()
        .await?;
    if r.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("the demo account {email} could not sign in: {}", r.status());
    }
    Ok(client)
}

/// An API token of the demo admin (benchmarks write through the API as a user would).
pub(crate) async fn admin_token(store: &Store) -> Result<String> {
    let admin = store
        .user_for_login("admin@duijie.demo")
        .await?
        .context("the demo admin account")?
        .0;
    Ok(store
        .create_api_token(
            &duijie_store::Audit::system("bench"),
            admin.id,
            "bench",
            duijie_domain::TokenScope::Write,
            &duijie_domain::user::token_expires(chrono::Utc::now(), 1),
        )
        .await?)
}

/// What a sign-in flood sent and how it was answered.
#[derive(Default)]
struct Flood {
    attempts: usize,
    refused: usize,
    throttled: usize,
    other: usize,
}

/// Wrong-password sign-ins from `connections` tasks until `deadline`. `spread`: every attempt
/// from another client address (`X-Forwarded-For`, trusted by the bench server) for another
/// e-mail, as a botnet would — nothing to throttle, every attempt costs a password hash;
/// otherwise one address guessing one account.
async fn login_flood(base: &str, connections: usize, deadline: Instant, spread: bool) -> Flood {
    let mut tasks = Vec::new();
    for c in 0..connections {
        let base = base.to_string();
        tasks.push(tokio::spawn(async move {
            let mut f = Flood::default();
            let Ok(client) = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
            else {
                return f;
            };
            let Ok(page) = client.get(format!("{base}/login")).send().await else {
                return f;
            };
            let html = page.text().await.unwrap_or_default();
            let marker = "name=\"csrf-token\" content=\"";
            let csrf = html
                .find(marker)
                .map(|i| {
                    html[i + marker.len()..]
                        .chars()
                        .take(64)
                        .collect::<String>()
                })
                .unwrap_or_default();
            let mut n = 0u32;
            while Instant::now() < deadline {
                n += 1;
                let (email, addr) = if spread {
                    (
                        format!("guess{c}-{n}@example.cn"),
                        format!("11.{}.{}.{}", c % 250, (n >> 8) % 250, n % 250),
                    )
                } else {
                    ("admin@duijie.demo".to_string(), "10.0.0.1".to_string())
                };
                let r = client
                    .post(format!("{base}/login"))
                    .header("x-forwarded-for", addr)
                    .form(&[
                        ("email", email.as_str()),
                        ("password", "wrong-guess-123"),
                        ("csrf", csrf.as_str()),
                    ])
                    .send()
                    .await;
                f.attempts += 1;
                match r.map(|r| r.status().as_u16()) {
                    Ok(401) => f.refused += 1,
                    Ok(429) => f.throttled += 1,
                    _ => f.other += 1,
                }
            }
            f
        }));
    }
    let mut all = Flood::default();
    for t in tasks {
        if let Ok(f) = t.await {
            all.attempts += f.attempts;
            all.refused += f.refused;
            all.throttled += f.throttled;
            all.other += f.other;
        }
    }
    all
}

/// Run the benchmark against `store` (already migrated and holding the demo data).
/// `stores` are one database's connections, one per server to start (each server with its
/// own index, caches and model from `semantic`, as separate processes would have).
pub async fn http(
    stores: Vec<Store>,
    semantic: impl Fn() -> Option<Arc<duijie_app::Semantic>>,
    connections: usize,
    seconds: f64,
) -> Result<()> {
    let store = stores.first().context("no database")?.clone();
    let mut bases = Vec::new();
    let mut model = false;
    for s in &stores {
        let semantic = semantic();
        model = semantic.is_some();
        // X-Forwarded-For trusted: the sign-in flood plays clients at many addresses.
        bases.push(serve_with(s, true, semantic).await?);
    }
    let base = bases[0].clone();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    println!(
        "duijie bench http: {connections} connections, {seconds} s a phase, backend {:?}, \
         {} server(s) on the one database, embedding model {}",
        store.backend(),
        bases.len(),
        if model { "loaded" } else { "not loaded" }
    );

    // Detail pages of published records (drafts are "not found" for a visitor).
    let public = duijie_store::listing::ListFilter::new(duijie_store::Viewer::Public);
    let ids: Arc<Vec<i64>> = Arc::new(
        store
            .scenarios(&public, None)
            .await?
            .0
            .iter()
            .map(|r| r.id)
            .collect(),
    );
    let achievements: Arc<Vec<i64>> = Arc::new(
        store
            .achievements(&public, None)
            .await?
            .0
            .iter()
            .map(|r| r.id)
            .collect(),
    );
    if ids.is_empty() || achievements.is_empty() {
        bail!("no published scenario or achievement to read");
    }
    let queries: Arc<[&str]> = Arc::from(
        [
            "%E5%B7%A1%E6%A3%80%E6%9C%BA%E5%99%A8%E4%BA%BA",
            "%E8%86%9C",
            "robot",
            "%E6%B0%A2%E8%83%BD",
        ]
        .as_slice(),
    );
    type Path = Arc<dyn Fn(usize) -> String + Send + Sync>;
    let kinds: Vec<(&str, Path)> = {
        let (i1, i2, i3, i4) = (ids.clone(), ids.clone(), ids.clone(), ids.clone());
        let a1 = achievements.clone();
        let (q1, q2) = (queries.clone(), queries.clone());
        vec![
            (
                "GET /static/app.css",
                Arc::new(|_| "/static/app.css".into()),
            ),
            (
                "GET /api/v1/scenarios/{id}",
                Arc::new(move |i| format!("/api/v1/scenarios/{}", i1[i % i1.len()])),
            ),
            (
                "GET /api/v1/scenarios/{id}/matches",
                Arc::new(move |i| format!("/api/v1/scenarios/{}/matches", i2[i % i2.len()])),
            ),
            (
                "GET /scenarios/{id}",
                Arc::new(move |i| format!("/scenarios/{}", i3[i % i3.len()])),
            ),
            (
                "GET /scenarios/{id}?view=N (each view new)",
                Arc::new(move |i| format!("/scenarios/{}?view={i}", i4[i % i4.len()])),
            ),
            (
                "GET /achievements/{id}",
                Arc::new(move |i| format!("/achievements/{}", a1[i % a1.len()])),
            ),
            (
                "GET /scenarios?page=N",
                Arc::new(|i| format!("/scenarios?page={}", 1 + i % 5)),
            ),
            ("GET /", Arc::new(|_| "/".into())),
            (
                "GET /scenarios?q=…",
                Arc::new(move |i| format!("/scenarios?q={}", q1[i % q1.len()])),
            ),
            (
                "GET /search?q=…",
                Arc::new(move |i| format!("/search?q={}", q2[i % q2.len()])),
            ),
            ("GET /outcomes", Arc::new(|_| "/outcomes".into())),
        ]
    };
    let mut members = Vec::new();
    for email in MEMBERS {
        members.push(member_client(&base, connections, email).await?);
    }
    let visitors = [client.clone()];
    let mut rows: Vec<(String, Phase)> = Vec::new();
    for (who, c) in [("visitor", &visitors[..]), ("member", &members[..])] {
        for (name, path) in &kinds {
            // The static file and the API are the same for both; the member reads pages.
            if who == "member" && (name.contains("/api/") || name.contains("static")) {
                continue;
            }
            let p = phase(c, &bases, connections, seconds, path.clone()).await;
            rows.push((format!("{who:<8} {name}"), p));
        }
    }
    let base_rps = rows[0].1.rps();
    println!(
        "{:<46} {:>10} {:>9} {:>9} {:>9} {:>7}",
        "phase (ratio to the static file)", "req/s", "×static", "p50 ms", "p99 ms", "errors"
    );
    for (name, p) in &rows {
        println!(
            "{:<46} {:>10.0} {:>9.3} {:>9.2} {:>9.2} {:>7}",
            name,
            p.rps(),
            p.rps() / base_rps,
            p.p50_ms,
            p.p99_ms,
            p.errors
        );
    }

    // The detail page while a sign-in flood runs beside it, each flood with as many
    // connections as the page load: one address guessing one account (throttled), and a
    // flood from a new address for a new e-mail every attempt (nothing to throttle; the
    // bounded hashing pool is what protects the pages).
    // The visitor's scenario detail page, alone.
    let detail_rps = rows
        .iter()
        .find(|(name, _)| name.starts_with("visitor") && name.ends_with("GET /scenarios/{id}"))
        .map_or(0.0, |(_, p)| p.rps());
    println!("detail GET /scenarios/{{id}} beside a sign-in flood ({connections} + {connections} connections):");
    println!(
        "{:<36} {:>10} {:>9} {:>10} {:>9} {:>9} {:>9}",
        "flood", "detail/s", "×alone", "guesses/s", "401", "429", "other"
    );
    for (name, spread) in [
        ("one address, one account", false),
        ("new address and e-mail each", true),
    ] {
        let ids = ids.clone();
        let deadline = Instant::now() + Duration::from_secs_f64(seconds);
        let (page, flood) = tokio::join!(
            phase(
                &visitors,
                &bases,
                connections,
                seconds,
                Arc::new(move |i| format!("/scenarios/{}", ids[i % ids.len()])),
            ),
            login_flood(&base, connections, deadline, spread)
        );
        println!(
            "{:<36} {:>10.0} {:>9.2} {:>10.0} {:>9} {:>9} {:>9}",
            name,
            page.rps(),
            page.rps() / detail_rps,
            flood.attempts as f64 / seconds,
            flood.refused,
            flood.throttled,
            flood.other
        );
        if page.errors > 0 {
            bail!("{} detail requests failed during the flood", page.errors);
        }
    }

    // Concurrent writers: every acknowledged write must be stored.
    let token = admin_token(&store).await?;
    let all = duijie_store::listing::ListFilter::new(duijie_store::Viewer::All);
    let before = store
        .scenarios(&all, Some(duijie_store::Page::new(None, Some(1))))
        .await?
        .1;
    let t = Instant::now();
    let (ok, bad) = writers(&client, &base, &token, 16, 25).await;
    let secs = t.elapsed().as_secs_f64();
    let after = store
        .scenarios(&all, Some(duijie_store::Page::new(None, Some(1))))
        .await?
        .1;
    println!(
        "writes: 16 writers × 25 = {} acknowledged, {bad} refused, {:.0} writes/s; stored {} new rows",
        ok,
        ok as f64 / secs,
        after - before
    );
    if after - before != ok as i64 {
        bail!(
            "{} writes were acknowledged but {} were stored",
            ok,
            after - before
        );
    }
    if rows.iter().any(|(_, p)| p.errors > 0) {
        bail!("some requests failed");
    }
    Ok(())
}
