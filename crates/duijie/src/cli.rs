//! Command-line interface: one typed configuration, one subcommand per run mode.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use duijie_domain::password::Password;
use duijie_domain::{Email, Role};
use duijie_search::SearchIndex;
use duijie_store::{Audit, Store};
use duijie_web::AppState;

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
        /// How often (milliseconds) the search index picks up writes made by other servers
        /// on the same database.
        #[arg(long, env = "DUIJIE_INDEX_POLL_MS", default_value_t = 1000)]
        index_poll_ms: u64,
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
    /// Measure the platform under load (`duijie bench http`).
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
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
}

#[derive(Debug, Subcommand)]
pub enum BenchWhat {
    /// Start a server on the database (demo data loaded if empty) and load it: list, detail and
    /// search pages, then 16 concurrent writers. Prints requests/s and p50/p99 latency.
    Http {
        /// Concurrent connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds per phase.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
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
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Officer => Role::Officer,
            RoleArg::Member => Role::Member,
            RoleArg::Expert => Role::Expert,
        }
    }
}

async fn open(cli: &Cli) -> Result<Store> {
    let store = match &cli.database_url {
        Some(url) => Store::connect(url)
            .await
            .context("connecting to the database")?,
        None => Store::open_sqlite(&cli.data_dir)
            .await
            .with_context(|| format!("opening the database in {}", cli.data_dir.display()))?,
    };
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

/// Copy `from` into `to` (migrating `to` first), reporting each table.
async fn copy(from: &Store, to_url: &str) -> Result<()> {
    let to = Store::connect(to_url)
        .await
        .context("connecting to the target database")?;
    to.migrate()
        .await
        .context("migrating the target database")?;
    let n = from
        .copy_into(&to, &|table, rows| println!("{table}: {rows} rows"))
        .await
        .context("copying")?;
    println!("{n} rows copied");
    Ok(())
}

fn sqlite_url(file: &std::path::Path) -> String {
    format!("sqlite://{}", file.display())
}

pub async fn run(cli: Cli) -> Result<()> {
    if let Command::CopyDb { from, to } = &cli.command {
        let from = Store::connect(from)
            .await
            .context("connecting to the source database")?;
        return copy(&from, to).await;
    }
    let store = open(&cli).await?;
    match cli.command {
        Command::Serve {
            ref bind,
            no_demo,
            secure_cookies,
            index_poll_ms,
        } => {
            if !no_demo
                && store
                    .organisations(&Default::default(), duijie_store::Page::new(None, Some(1)))
                    .await?
                    .1
                    == 0
            {
                crate::demo::load(&store)
                    .await
                    .context("loading the demo data")?;
            }
            let index = Arc::new(SearchIndex::in_memory()?);
            // Note where the audit log stands before the rebuild, so that the follower replays
            // anything another server writes during it.
            let mark = store.last_audit_id().await?;
            let n = duijie_web::rebuild_index(&store, &index)
                .await
                .map_err(anyhow::Error::msg)
                .context("building the search index")?;
            tracing::info!(records = n, "search index built");
            let every = std::time::Duration::from_millis(index_poll_ms.max(50));
            tokio::spawn(duijie_web::follow_index(
                store.clone(),
                index.clone(),
                mark,
                every,
            ));
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("listening on {bind}"))?;
            let addr = listener.local_addr()?;
            // Tests and scripts read this line to find the port when binding to port 0.
            println!("duijie listening on http://{addr}");
            duijie_web::serve(listener, AppState::new(store, index, secure_cookies)).await?;
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
        Command::CopyDb { .. } => unreachable!("handled before opening the database"),
        Command::Bench {
            what:
                BenchWhat::Http {
                    connections,
                    seconds,
                },
        } => {
            if store.user_for_login("admin@duijie.demo").await?.is_none() {
                crate::demo::load(&store).await?;
            }
            crate::bench::http(store.clone(), connections.max(1), seconds.max(0.5)).await?;
        }
        Command::Backup { ref file } => {
            if file.exists() {
                anyhow::bail!("{} exists; back up into a new file", file.display());
            }
            copy(&store, &sqlite_url(file)).await?;
        }
        Command::Restore { ref file } => {
            if !file.exists() {
                anyhow::bail!("{} does not exist", file.display());
            }
            let backup = Store::connect(&sqlite_url(file))
                .await
                .context("opening the backup")?;
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
    }
    Ok(())
}
