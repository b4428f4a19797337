//! A record's match list rendered once per change, as HTML per language, and pasted into its
//! detail page on every view.
//!
//! The list's HTML depends on the matches (kept by the application's match cache, the same
//! `Arc` while nothing changed), the verified organisations (marked ✔), the page's language,
//! whether the viewer is a broker (who is offered "introduce" instead of "request docking"),
//! and whether the embedding model is loaded. An entry is served only while all of those are
//! what it was rendered from; nothing else from the viewer goes into it (no CSRF token, no
//! user), so one entry serves every viewer of that kind.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use duijie_app::matching::Match;

/// Entries kept at most; past it, afresh (a list is a few kilobytes).
const ENTRIES: usize = 20_000;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub target: &'static str,
    pub id: i64,
    pub lang: &'static str,
    pub broker: bool,
}

struct Entry {
    matches: Arc<Vec<Match>>,
    verified: Arc<Vec<i64>>,
    semantic: bool,
    html: Arc<str>,
}

#[derive(Default)]
pub struct Fragments {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl Fragments {
    /// The HTML rendered from exactly these inputs, if it is kept.
    pub fn get(
        &self,
        key: &Key,
        matches: &Arc<Vec<Match>>,
        verified: &[i64],
        semantic: bool,
    ) -> Option<Arc<str>> {
        let map = self.entries.lock().ok()?;
        let e = map.get(key)?;
        (Arc::ptr_eq(&e.matches, matches) && *e.verified == verified && e.semantic == semantic)
            .then(|| e.html.clone())
    }

    pub fn put(
        &self,
        key: Key,
        matches: Arc<Vec<Match>>,
        verified: Arc<Vec<i64>>,
        semantic: bool,
        html: Arc<str>,
    ) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= ENTRIES {
                map.clear();
            }
            map.insert(
                key,
                Entry {
                    matches,
                    verified,
                    semantic,
                    html,
                },
            );
        }
    }
}
