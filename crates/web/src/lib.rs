//! The only crate that speaks HTTP and HTML: the axum router, server-rendered pages (Chinese
//! by default, English on request), the JSON API under `/api/v1`, sessions, CSRF protection
//! and the permission checks in front of every write.

mod api;
mod ctx;
mod error;
mod flash;
mod fragments;
mod headers;
mod pages;
mod routes;
mod table;
mod templates;

use std::sync::Arc;

use axum::Router;
use duijie_app::{App, Semantic};
use duijie_search::SearchIndex;
use duijie_store::Store;

// The use cases, under the names the handlers have always used for them.
use duijie_app::{challenge, form, gathering, matching, resource, rnd, service, views};

/// What every handler shares: the application (store, index, semantic matching) and what only
/// HTTP needs (templates, cookie policy, proxy trust).
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    templates: Arc<minijinja::Environment<'static>>,
    /// Match lists rendered once per change (see `fragments`).
    fragments: Arc<fragments::Fragments>,
    /// Pages rendered once per change, for visitors and per user (see `pages`).
    pages: Arc<pages::Pages>,
    /// Whether cookies are marked `Secure` (behind HTTPS).
    secure_cookies: bool,
    /// Take the client's address from the last `X-Forwarded-For` entry (behind a proxy).
    trust_forwarded_for: bool,
}

impl AppState {
    pub fn new(store: Store, search: Arc<SearchIndex>, secure_cookies: bool) -> AppState {
        AppState {
            app: App::new(store, search),
            templates: Arc::new(templates::environment()),
            fragments: Arc::default(),
            pages: Arc::default(),
            secure_cookies,
            trust_forwarded_for: false,
        }
    }

    /// The same state, reading client addresses from `X-Forwarded-For` (set by a proxy in
    /// front of the server; never trust it otherwise).
    pub fn with_forwarded_for(mut self, trust: bool) -> AppState {
        self.trust_forwarded_for = trust;
        self
    }

    /// The same state, mailing notices through `mailer` (when given).
    pub fn with_mailer(mut self, mailer: Option<duijie_app::mail::Mailer>) -> AppState {
        self.app.mailer = mailer;
        self
    }

    /// The same state with semantic matching.
    pub fn with_semantic(mut self, semantic: Option<Arc<Semantic>>) -> AppState {
        self.app.semantic = semantic;
        self
    }
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

fn routes() -> table::Routes {
    routes::router().nest("/api/v1", api::router())
}

/// The whole application: pages, API and static assets.
pub fn app(state: AppState) -> Router {
    routes()
        .router
        // `uniform` runs inside `context`, so that axum's own errors, made into error pages
        // there, are shown in the site's layout by `context` too.
        .layer(axum::middleware::from_fn(error::uniform))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::context,
        ))
        .with_state(state)
}

/// Every `(METHOD, path)` the application serves, paths in axum's `{param}` form.
pub fn route_table() -> Vec<(String, String)> {
    routes().table
}

/// SIGINT (Ctrl-C) and SIGTERM (what `kill`, systemd and container runtimes send), listened to
/// from the moment this is created: create it before telling anyone the server is up, so that a
/// signal arriving during start-up stops the server cleanly instead of killing the process.
pub struct StopSignals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl StopSignals {
    pub fn listen() -> std::io::Result<StopSignals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(StopSignals {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(StopSignals {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Serve until a stop signal (`None`: until the process ends, for benchmarks, which Ctrl-C
/// should simply end): then no new connections, the requests in flight finish, and the call
/// returns; a second signal while they finish exits at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    stop: Option<StopSignals>,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let Some(mut stop) = stop else {
            return std::future::pending().await;
        };
        stop.recv().await;
        tracing::info!("stopping: no new connections, finishing the requests in flight");
        tokio::spawn(async move {
            stop.recv().await;
            eprintln!("duijie: second signal, stopping now");
            std::process::exit(130);
        });
    })
    .await
}
