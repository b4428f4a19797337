//! The only crate that speaks HTTP and HTML: the axum router, server-rendered pages (Chinese
//! by default, English on request), the JSON API under `/api/v1`, sessions, CSRF protection
//! and the permission checks in front of every write.

mod api;
mod challenge;
mod ctx;
mod error;
mod form;
mod gathering;
mod hasher;
mod headers;
mod indexer;
pub mod matching;
mod notify;
mod resource;
mod rnd;
mod routes;
mod service;
mod table;
mod templates;
mod throttle;
mod views;

use std::sync::Arc;

use axum::Router;
use duijie_search::SearchIndex;
use duijie_store::Store;

pub use indexer::{
    all_docs as indexer_docs, catch_up as catch_up_index, follow as follow_index, rebuild_index,
};
pub use matching::Semantic;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub search: Arc<SearchIndex>,
    /// The embedding model and vectors, when the model is installed.
    pub semantic: Option<Arc<Semantic>>,
    templates: Arc<minijinja::Environment<'static>>,
    /// Whether cookies are marked `Secure` (behind HTTPS).
    secure_cookies: bool,
    /// Password hashing, bounded (see `hasher`).
    hasher: Arc<hasher::Hasher>,
    /// Wrong-password counts by account and client address.
    logins: Arc<throttle::Throttle>,
    /// Take the client's address from the last `X-Forwarded-For` entry (behind a proxy).
    trust_forwarded_for: bool,
}

impl AppState {
    pub fn new(store: Store, search: Arc<SearchIndex>, secure_cookies: bool) -> AppState {
        AppState {
            store,
            search,
            semantic: None,
            templates: Arc::new(templates::environment()),
            secure_cookies,
            hasher: Arc::new(hasher::Hasher::new()),
            logins: Arc::new(throttle::Throttle::default()),
            trust_forwarded_for: false,
        }
    }

    /// The same state, reading client addresses from `X-Forwarded-For` (set by a proxy in
    /// front of the server; never trust it otherwise).
    pub fn with_forwarded_for(mut self, trust: bool) -> AppState {
        self.trust_forwarded_for = trust;
        self
    }

    /// The same state with semantic matching.
    pub fn with_semantic(mut self, semantic: Option<Arc<Semantic>>) -> AppState {
        self.semantic = semantic;
        self
    }

    /// What matching reads.
    pub fn engine(&self) -> matching::Engine<'_> {
        matching::Engine {
            store: &self.store,
            index: &self.search,
            semantic: self.semantic.as_deref(),
        }
    }
}

fn routes() -> table::Routes {
    routes::router().nest("/api/v1", api::router())
}

/// The whole application: pages, API and static assets.
pub fn app(state: AppState) -> Router {
    routes()
        .router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::context,
        ))
        .layer(axum::middleware::from_fn(error::uniform))
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
