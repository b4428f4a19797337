//! The application layer: every feature's use cases between the front ends (pages and JSON API
//! in `duijie-web`, the `duijie` command line and its benchmarks) and the parts below them (the
//! store, the search index, the embedding model and the pure cores). A use case takes the
//! [`App`] and the [`Caller`]; it decides who may do what, validates, moves life cycles, writes
//! in one transaction per user action and keeps the search index and notices in step. Nothing
//! here speaks HTTP or renders HTML.

pub mod account;
mod caller;
pub mod chain;
pub mod challenge;
pub mod claim;
pub mod contract;
pub mod docking;
mod error;
pub mod form;
pub mod fund;
pub mod gathering;
pub mod hasher;
pub mod indexer;
pub mod mail;
pub mod matching;
pub(crate) mod memo;
pub mod notice;
pub mod notify;
pub mod organisation;
pub mod outcome;
pub mod pilot;
pub mod resource;
pub mod rnd;
pub mod service;
pub mod throttle;
pub mod views;
pub mod voucher;
pub mod workbench;

use std::sync::Arc;

use duijie_domain::clock::Clock;
use duijie_search::SearchIndex;
use duijie_store::Store;

pub use caller::Caller;
pub use error::AppError;
pub use form::FormData;
pub use indexer::rebuild_index;
pub use indexer::{all_docs as indexer_docs, catch_up as catch_up_index, follow as follow_index};
pub use matching::Semantic;
pub use memo::Stamp;

/// What every use case works with: the database, the search index and, when the model is
/// installed, semantic matching.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub search: Arc<SearchIndex>,
    /// The embedding model and vectors, when the model is installed.
    pub semantic: Option<Arc<Semantic>>,
    /// Where "now" and "today" come from (Beijing time); never read the system clock elsewhere.
    pub clock: Clock,
    /// Password hashing, bounded (see `hasher`).
    pub(crate) hasher: Arc<hasher::Hasher>,
    /// Wrong-password counts by account and client address (per process).
    pub(crate) logins: Arc<throttle::Throttle>,
    /// Where notices are mailed, when the platform has an SMTP relay.
    pub mailer: Option<mail::Mailer>,
    /// Records' ranked matches between changes (see `matching::record_matches`).
    pub(crate) match_cache: Arc<matching::MatchCache>,
    /// Figures computed from the whole database, kept until the next change (see `memo`).
    pub(crate) figures: Arc<memo::Memo>,
}

impl App {
    pub fn new(store: Store, search: Arc<SearchIndex>) -> App {
        App {
            store,
            search,
            semantic: None,
            clock: Clock::System,
            hasher: Arc::new(hasher::Hasher::new()),
            logins: Arc::new(throttle::Throttle::default()),
            mailer: None,
            match_cache: Arc::default(),
            figures: Arc::default(),
        }
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
