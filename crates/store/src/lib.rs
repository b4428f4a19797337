//! The only crate that speaks SQL. It owns the schema (migrations embedded in the binary), the
//! row types and every query. It runs on SQLite by default through sqlx's `Any` driver, and the
//! SQL is written so that PostgreSQL accepts it too (numbered `$n` placeholders, no
//! SQLite-only functions, times as RFC 3339 text, money as integer fen).

pub mod achievement;
pub mod audit;
pub mod chain;
pub mod challenge;
pub mod contract;
pub mod copy;
pub mod docking;
pub mod fund;
pub mod gathering;
pub mod grant;
pub mod import;
pub mod listing;
pub mod notice;
pub mod notification;
pub mod organisation;
pub mod outcome;
pub mod pilot;
pub mod policy;
pub mod rnd;
pub mod scenario;
mod sql;
pub mod stats;
pub mod terms;
pub mod user;
pub mod voucher;
pub mod workbench;

use std::path::Path;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

pub use audit::Audit;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken: `field` says which.
    #[error("{field} is already taken")]
    Conflict { field: &'static str },
    /// A value names a record that does not exist (or not where it must): `field` says which.
    #[error("{field} names no such record")]
    Unknown { field: &'static str },
    /// A booking does not fit the platform's capacity on `day` (nothing was written).
    #[error("the platform is full on {day}: {free} unit(s) free, {wanted} wanted")]
    Full { day: String, free: i64, wanted: i64 },
    /// A database file that is missing, empty or not a database (nothing was created).
    #[error("{0}")]
    Unusable(String),
    /// A record cannot be deleted while others use it: (referring table, how many).
    #[error("still in use by {}", by.iter().map(|(t, n)| format!("{n} {t}")).collect::<Vec<_>>().join(", "))]
    InUse { by: Vec<(&'static str, i64)> },
    /// A copy's target already holds data.
    #[error("the target database is not empty (table {table} has rows)")]
    NotEmpty { table: &'static str },
    /// An imported file was rejected; nothing was written.
    #[error("row {row}, column \"{column}\": {message}")]
    Import {
        row: usize,
        column: String,
        message: String,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who may see which records in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Everyone: published (non-draft) records only.
    Public,
    /// A member of this organisation: public records and the organisation's own drafts.
    Org(i64),
    /// Platform staff: everything.
    All,
}

/// A page of a list: 1-based page number and page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: i64,
    pub per_page: i64,
}

impl Page {
    /// A page within sane bounds (page ≥ 1, 1 ≤ per_page ≤ 100).
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Page {
        Page {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(20).clamp(1, 100),
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// Which database a store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    fn migrator(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        }
    }
}

/// The connection pool: how many connections at most, and how long a request waits for one
/// (or for the database to answer a new connection) before it is told the database is
/// unavailable.
#[derive(Clone, Copy, Debug)]
pub struct Pool {
    pub size: u32,
    pub timeout: std::time::Duration,
}

impl Default for Pool {
    fn default() -> Self {
        Pool {
            size: 8,
            timeout: std::time::Duration::from_secs(5),
        }
    }
}

impl StoreError {
    /// Whether the database could not be reached (down, refused, or every connection busy
    /// past the timeout), as opposed to a query that failed.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Db(
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
            )
        )
    }
}

/// How long a write on SQLite waits for another writer's lock before it fails.
pub const SQLITE_BUSY_TIMEOUT_MS: u64 = 60_000;

/// A handle on the database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The two migration folders hold the same schema; `tests::migration_folders_are_in_step` checks it.
static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// The rows of a join table grouped by their first column: `sql` selects `(owner, linked)`
    /// pairs for the one bound `key`, ordered; e.g. every application's partners in a challenge.
    async fn linked_ids(
        &self,
        sql: &str,
        key: i64,
    ) -> Result<std::collections::HashMap<i64, Vec<i64>>> {
        let pairs: Vec<(i64, i64)> = sqlx::query_as(sql).bind(key).fetch_all(&self.pool).await?;
        let mut by: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
        for (owner, linked) in pairs {
            by.entry(owner).or_default().push(linked);
        }
        Ok(by)
    }
}

impl Store {
    /// Connect to a database that must already exist: a SQLite URL whose file is missing (or
    /// empty, or not a SQLite database) is an error naming the file, never a new database.
    /// For commands that read (export, backup, copy-db's source, restore's backup file).
    pub async fn connect_existing(url: &str) -> Result<Store> {
        if Backend::of(url) == Some(Backend::Sqlite) {
            let path = sqlite_path(url);
            let size = std::fs::metadata(&path)
                .map(|m| m.len())
                .map_err(|_| StoreError::Unusable(format!("no database at {path}")))?;
            if size == 0 {
                return Err(StoreError::Unusable(format!(
                    "{path} is an empty file, not a database"
                )));
            }
            // Its journal mode is left as it is: switching a file only read (a backup being
            // checked) to WAL left a `-wal` beside it whenever the pool closed late.
            let store = Store::connect_inner(&with_mode(url, "rw"), Pool::default(), false).await?;
            // Reading the schema fails at once on a file that is not SQLite.
            sqlx::query("SELECT COUNT(*) FROM sqlite_master")
                .execute(&store.pool)
                .await
                .map_err(|e| {
                    StoreError::Unusable(format!("{path} is not a SQLite database ({e})"))
                })?;
            return Ok(store);
        }
        Store::connect(url).await
    }

    /// A new SQLite database file to copy into (a backup): one connection and a rollback
    /// journal instead of write-ahead logging, so that once it is closed the one file holds
    /// everything written (no `-wal` beside it that a copy of the file alone would lose).
    pub async fn create_file(path: &Path) -> Result<Store> {
        let url = format!("{}?mode=rwc", sqlite_url(path));
        let pool = Pool {
            size: 1,
            ..Pool::default()
        };
        Store::connect_inner(&url, pool, false).await
    }

    /// Connect to a database URL (`sqlite://...` or `postgres://...`) with the default pool.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, Pool::default()).await
    }

    /// Connect with a given pool size and acquire timeout.
    pub async fn connect_with(url: &str, pool: Pool) -> Result<Store> {
        Store::connect_inner(url, pool, true).await
    }

    async fn connect_inner(url: &str, pool: Pool, wal: bool) -> Result<Store> {
        let backend = Backend::of(url).ok_or_else(|| {
            StoreError::Db(sqlx::Error::Configuration(
                "the database URL must start with sqlite:// or postgres://".into(),
            ))
        })?;
        sqlx::any::install_default_drivers();
        // A SQLite file is created when missing, as the default data folder's is.
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { "&" } else { "?" })
        } else {
            url.to_string()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(pool.size.max(1))
            .acquire_timeout(pool.timeout)
            // An embedded connection cannot go stale, and the ping is one more round trip to
            // its worker thread on every query (a quarter of a page's database time); a
            // server's connection can, and is checked.
            .test_before_acquire(backend != Backend::Sqlite)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // A writer waits for the one before it instead of failing: the
                        // longest write (an import at its row limit) takes a few seconds, and
                        // a user's submission must not be lost to "database is locked".
                        sqlx::query(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}"))
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| match (backend, e) {
                // The pool only says it timed out; say whether the server is there at all.
                (Backend::Postgres, sqlx::Error::PoolTimedOut) => unreachable_cause(&url),
                (_, e) => StoreError::Db(e),
            })?;
        if backend == Backend::Sqlite && wal {
            // Write-ahead logging lets readers proceed while one writer commits.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Store { pool, backend })
    }

    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Open (creating if needed) the embedded SQLite database in `data_dir`.
    pub async fn open_sqlite(data_dir: &Path) -> Result<Store> {
        Store::open_sqlite_with(data_dir, Pool::default()).await
    }

    /// As `open_sqlite`, with a given pool.
    pub async fn open_sqlite_with(data_dir: &Path, pool: Pool) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
        let path = data_dir.join("duijie.db");
        Store::connect_with(&format!("{}?mode=rwc", sqlite_url(&path)), pool).await
    }

    /// Apply every migration not yet applied.
    pub async fn migrate(&self) -> Result<()> {
        self.backend.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Names of the migrations this binary carries, with whether each is applied.
    pub async fn migration_status(&self) -> Result<Vec<(i64, String, bool)>> {
        let applied: Vec<(i64,)> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_all(&self.pool)
                .await
                .unwrap_or_default();
        Ok(self
            .backend
            .migrator()
            .iter()
            .map(|m| {
                (
                    m.version,
                    m.description.to_string(),
                    applied.iter().any(|a| a.0 == m.version),
                )
            })
            .collect())
    }

    /// Begin a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later could otherwise
    /// fail with "database is locked" when another writer commits in between, whatever the
    /// busy timeout.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Why a PostgreSQL server could not be connected to: the host and port and, when a plain TCP
/// connection fails too, the operating system's reason ("Connection refused").
fn unreachable_cause(url: &str) -> StoreError {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let addr = if hostport.contains(':') {
        hostport.to_string()
    } else {
        format!("{hostport}:5432")
    };
    let why = match std::net::ToSocketAddrs::to_socket_addrs(addr.as_str()) {
        Err(e) => format!("cannot resolve {addr}: {e}"),
        Ok(mut addrs) => match addrs.next() {
            None => format!("{addr} has no address"),
            Some(a) => {
                match std::net::TcpStream::connect_timeout(&a, std::time::Duration::from_secs(2)) {
                    Err(e) => format!("cannot reach {addr}: {e}"),
                    Ok(_) => format!(
                        "{addr} accepts connections but the database did not answer in time"
                    ),
                }
            }
        },
    };
    StoreError::Unusable(why)
}

/// The `sqlite://` URL of a database file. `%`, `?` and `#` in the path are percent-encoded
/// (sqlx decodes them), so a folder called `a?b` or a file `bk%41.db` is that file, not a query
/// or another name.
pub fn sqlite_url(path: &Path) -> String {
    let p = path.display().to_string();
    format!(
        "sqlite://{}",
        p.replace('%', "%25")
            .replace('?', "%3F")
            .replace('#', "%23")
    )
}

/// The file of a `sqlite://` URL (without its query, percent-decoded as sqlx does).
fn sqlite_path(url: &str) -> String {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = rest.split('?').next().unwrap_or(rest);
    path.replace("%3F", "?")
        .replace("%3f", "?")
        .replace("%23", "#")
        .replace("%25", "%")
}

/// `url` with its SQLite `mode=` set to `mode` (rw: must exist; ro: read only).
fn with_mode(url: &str, mode: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("mode="))
        .collect();
    let m = format!("mode={mode}");
    params.push(&m);
    format!("{base}?{}", params.join("&"))
}

/// The current time as stored: UTC, RFC 3339, whole seconds.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Give a record created without a key the key `<prefix>-<id>`, so that every record can be
/// exported and imported again without duplicating.
pub(crate) async fn assign_key(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    prefix: &str,
    id: i64,
) -> Result<()> {
    // `<prefix>-<id>`, or, when someone already gave that key to another record,
    // `<prefix>-<id>-2`, `-3` … (a create without a key never fails on a key).
    let mut key = format!("{prefix}-{id}");
    for n in 2.. {
        let taken: Option<(i64,)> = sqlx::query_as(&format!(
            "SELECT id FROM {table} WHERE key = $1 AND id <> $2"
        ))
        .bind(key.as_str())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if taken.is_none() {
            break;
        }
        key = format!("{prefix}-{id}-{n}");
    }
    sqlx::query(&format!(
        "UPDATE {table} SET key = $1 WHERE id = $2 AND key IS NULL"
    ))
    .bind(key)
    .bind(id)
    .execute(conn)
    .await
    .map_err(conflict_on("key"))?;
    Ok(())
}

/// Map a foreign-key violation to `Unknown` on `field` (the value names no such record).
pub(crate) fn unknown_on(field: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::Unknown { field },
        _ => StoreError::Db(e),
    }
}

/// Map a unique-constraint violation to a `Conflict` on `field`.
pub(crate) fn conflict_on(field: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict { field },
        _ => StoreError::Db(e),
    }
}

#[cfg(test)]
mod tests;
