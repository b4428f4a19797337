//! Test helpers: start the real `duijie` binary on a free port against a fresh database, and
//! talk HTTP to it like a browser (cookies, CSRF tokens from forms) or an API client.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

pub const DEMO_PASSWORD: &str = "duijie-demo-2026";

/// A fresh database for one test: a data folder for SQLite, or — when the test command has
/// started PostgreSQL (`DUIJIE_TEST_PG_URL`) — a new PostgreSQL database.
pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub url: Option<String>,
}

impl TestDb {
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = std::env::var("DUIJIE_TEST_PG_URL")
            .ok()
            .map(|admin| fresh_postgres(&admin));
        TestDb { dir, url }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `--data-dir DIR` and, on PostgreSQL, `--database-url URL`.
    pub fn args(&self) -> Vec<String> {
        let mut a = vec![
            "--data-dir".to_string(),
            self.dir.path().display().to_string(),
        ];
        if let Some(u) = &self.url {
            a.push("--database-url".into());
            a.push(u.clone());
        }
        a
    }
}

/// Create an empty PostgreSQL database beside the one `admin` names; return its URL.
fn fresh_postgres(admin: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let name = format!(
        "duijie_http_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let out = Command::new("psql")
        .arg(admin)
        .args(["-qc", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "CREATE DATABASE: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b)
        .expect("URL with a database");
    format!("{base}/{name}")
}

/// A running server with its own database; killed when dropped.
pub struct App {
    pub base: String,
    pub db: TestDb,
    child: Child,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_duijie")
}

/// Run `duijie` with exactly these arguments.
pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run duijie")
}

/// Run a `duijie` subcommand against a test database.
pub fn cli(db: &TestDb, args: &[&str]) -> Output {
    Command::new(bin())
        .args(db.args())
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run duijie")
}

impl App {
    /// A server with the demo data set (organisations, records and demo accounts).
    pub fn spawn() -> App {
        App::spawn_with(&[])
    }

    pub fn spawn_with(extra: &[&str]) -> App {
        App::spawn_in(TestDb::new(), extra)
    }

    /// Start a server on an existing database.
    pub fn spawn_in(db: TestDb, extra: &[&str]) -> App {
        let (child, base) = start(&db, extra);
        App { base, db, child }
    }

    /// A second server on this one's database, as in a deployment with several app servers.
    pub fn peer(&self, extra: &[&str]) -> Peer {
        let (child, base) = start(&self.db, extra);
        Peer { base, child }
    }

    /// Stop the server, run `between` on its database, start a new server on it.
    pub fn restart_with(mut self, between: impl FnOnce(&TestDb), extra: &[&str]) -> App {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let placeholder = TestDb {
            dir: tempfile::tempdir().expect("tempdir"),
            url: None,
        };
        let db = std::mem::replace(&mut self.db, placeholder);
        drop(self);
        between(&db);
        App::spawn_in(db, extra)
    }

    /// Stop the server and start a new one on the same database.
    pub fn restart(self) -> App {
        self.restart_with(|_| {}, &[])
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn browser(&self) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Browser {
            client,
            base: self.base.clone(),
        }
    }
}

/// Start `duijie serve` on a free port; returns the process and its base URL.
fn start(db: &TestDb, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(bin())
        .args(db.args())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .env("RUST_BACKTRACE", "0")
        .env("DUIJIE_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start duijie serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        match lines.next() {
            Some(Ok(l)) => {
                if let Some(url) = l.strip_prefix("duijie listening on ") {
                    break url.trim().to_string();
                }
            }
            _ => panic!("duijie serve exited before listening"),
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// Another server process; killed when dropped.
pub struct Peer {
    pub base: String,
    child: Child,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Peer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

/// The value of the first `name="csrf"` hidden input in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..].split('"').next().expect("value").to_string()
}

impl Browser {
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        let s = r.status().as_u16();
        (s, r.text().await.expect("body"))
    }

    /// The CSRF token that forms on `path` carry (every page states it in a meta tag).
    pub async fn csrf(&self, path: &str) -> String {
        let (_, html) = self.get(path).await;
        let marker = "name=\"csrf-token\" content=\"";
        let start = html.find(marker).expect("page states its CSRF token") + marker.len();
        let token = html[start..].split('"').next().expect("value").to_string();
        assert_eq!(token.len(), 64, "a CSRF token is 32 random bytes in hex");
        token
    }

    /// POST a form; returns status, Location header and body.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, Option<String>, String) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("POST");
        let s = r.status().as_u16();
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (s, loc, r.text().await.expect("body"))
    }

    /// POST a form with this session's CSRF token added.
    pub async fn submit(&self, path: &str, form: &[(&str, &str)]) -> (u16, Option<String>, String) {
        let token = self.csrf("/").await;
        let mut f: Vec<(&str, &str)> = form.to_vec();
        f.push(("csrf", &token));
        self.post(path, &f).await
    }

    /// Create an API token on the account page (shown there once) and return it.
    pub async fn api_token(&self) -> String {
        let (s, _, html) = self.submit("/account/tokens", &[("name", "tests")]).await;
        assert_eq!(s, 200, "token created");
        let marker = "id=\"new-token\">";
        let start = html.find(marker).expect("token shown once") + marker.len();
        html[start..].split('<').next().expect("token").to_string()
    }

    pub async fn login(&self, email: &str, password: &str) -> u16 {
        let token = self.csrf("/login").await;
        let (s, _, _) = self
            .post(
                "/login",
                &[("email", email), ("password", password), ("csrf", &token)],
            )
            .await;
        s
    }

    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        let s = r.status().as_u16();
        (s, r.json().await.expect("json"))
    }
}

/// Form fields of a valid scenario.
pub fn scenario_form<'a>(
    title: &'a str,
    description: &'a str,
    confidential: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("title_zh", title),
        ("description_zh", description),
        ("chain", "robotics"),
        ("field", "港口自动化"),
        ("trl_required", "6"),
        ("budget_min_wan", "80"),
        ("budget_max_wan", "150"),
        ("region", "hebei.tangshan"),
        ("deadline", "2027-06-30"),
        ("status", "published"),
        ("confidential", confidential),
    ]
}

/// The id at the end of a `/scenarios/12` location.
pub fn id_from(location: &Option<String>) -> i64 {
    location
        .as_deref()
        .and_then(|l| l.split(['?', '#']).next())
        .and_then(|l| l.rsplit('/').next())
        .and_then(|s| s.parse().ok())
        .expect("location with an id")
}

/// Limits for reading the workbooks the platform writes in tests.
pub const READ_LIMITS: duijie_tabular::Limits = duijie_tabular::Limits {
    bytes: 64 << 20,
    rows: 100_000,
    columns: 64,
    cells: 1_000_000,
    unpacked: 256 << 20,
};

/// A browser signed in as a demo account.
pub async fn signed_in(app: &App, email: &str) -> Browser {
    let b = app.browser();
    assert_eq!(b.login(email, DEMO_PASSWORD).await, 303, "{email} signs in");
    b
}

/// The id of the demo organisation with `key`.
pub async fn org_id(app: &App, key: &str) -> i64 {
    let (_, list) = app
        .browser()
        .json("/api/v1/organisations?per_page=100")
        .await;
    list["items"]
        .as_array()
        .expect("organisations")
        .iter()
        .find(|o| o["key"] == key)
        .and_then(|o| o["id"].as_i64())
        .unwrap_or_else(|| panic!("no organisation {key}"))
}

impl Browser {
    /// Upload a file as an import form does (multipart, with the CSRF token).
    pub async fn upload(&self, path: &str, name: &str, bytes: Vec<u8>) -> (u16, String) {
        let token = self.csrf("/").await;
        let form = reqwest::multipart::Form::new().text("csrf", token).part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let s = r.status().as_u16();
        (s, r.text().await.expect("body"))
    }
}

/// The number that follows `marker` in a page.
pub fn id_after(html: &str, marker: &str) -> i64 {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} on the page"))
        + marker.len();
    html[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

/// On a platform's page, the first service offered and the first of the member's achievements
/// in the service-request form (the ids a request names).
pub fn request_choices(html: &str) -> (String, String) {
    let service = id_after(html, "id=\"f-service\"><option value=\"").to_string();
    let achievement = id_after(
        html,
        "id=\"f-achievement\"><option value=\"\">—</option><option value=\"",
    )
    .to_string();
    (service, achievement)
}

/// POST `body` to `path` with an API `token`: the status and the JSON answer.
pub async fn posted(
    app: &App,
    token: &str,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("post");
    let s = r.status().as_u16();
    (s, r.json().await.expect("json"))
}

/// POST `body` to `path` with an API `token`; the answer must be 201 Created. Returns its JSON.
pub async fn created(
    app: &App,
    token: &str,
    path: &str,
    body: &serde_json::Value,
) -> serde_json::Value {
    let (s, v) = posted(app, token, path, body).await;
    assert_eq!(s, 201, "POST {path}: {v}");
    v
}

/// A fresh write-scope API token of `email`, made on its account page.
pub async fn token_of(app: &App, email: &str) -> String {
    signed_in(app, email).await.api_token().await
}

/// The OpenAPI document the server serves.
pub async fn openapi(app: &App) -> serde_json::Value {
    reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .expect("get")
        .json()
        .await
        .expect("json")
}
