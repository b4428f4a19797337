//! Pages rendered once per change, not once per view.
//!
//! A page is a function of its address (path and query, which holds the `?ok=` sentence), the
//! language, who views it and the application's [`Stamp`]: the data, the index, the vectors
//! and the minute. For a visitor (nobody signed in) "who" is nobody; for a signed-in user it
//! is the user together with the top bar's two counts, which are read with the session on
//! every view (marking notices read is not a change the audit log sees, so the counts are in
//! the key instead). Everything else a page shows comes from audited data: a role, an
//! organisation, a grant or a record changed makes a new stamp.
//!
//! The one thing in a page that belongs to the session is its CSRF token (in the meta tag and
//! forms). So the first view of a page at a stamp is kept with the token cut out, and every
//! later view at the same stamp is that copy with the viewer's token put in. Any change makes
//! a new stamp, so it shows on the next view, on every server (the audit log is shared).
//!
//! Kept only: answers of 200 with an HTML body, that set no cookie of their own and do not
//! say `Cache-Control: no-store` ([`NOT_KEPT`]). A user's page
//! is served only to that user, after the session was checked for this request (signing out
//! ends the session, so a kept page is never shown without one).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use duijie_app::Stamp;

/// The header a handler answers with when its page shows something that changes without an
/// audited change (and so without a new stamp): such a page is rendered on every view.
pub const NOT_KEPT: (axum::http::HeaderName, &str) =
    (axum::http::header::CACHE_CONTROL, "no-store");

/// What stands in for the viewer's token in a kept page (never in a rendered page: HTML has
/// no NUL).
const TOKEN: &str = "\u{0}csrf\u{0}";
/// Bytes of pages kept at most; past it, afresh.
const BYTES: usize = 64 << 20;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub address: String,
    pub lang: &'static str,
    /// Nobody (a visitor), or the user's id with the top bar's unread and docking counts.
    pub viewer: Option<(i64, i64, i64)>,
}

struct Entry {
    stamp: Stamp,
    body: Arc<str>,
}

#[derive(Default)]
pub struct Pages {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<Key, Entry>,
    bytes: usize,
}

impl Pages {
    /// The page kept for `key` at `stamp`, with `csrf` in it.
    pub fn get(&self, key: &Key, stamp: Stamp, csrf: &str) -> Option<String> {
        let body = {
            let inner = self.inner.lock().ok()?;
            let e = inner.entries.get(key)?;
            (e.stamp == stamp).then(|| e.body.clone())?
        };
        Some(body.replace(TOKEN, csrf))
    }

    /// Keep `body`, rendered at `stamp` for a viewer whose token is `csrf`.
    pub fn put(&self, key: Key, stamp: Stamp, csrf: &str, body: &str) {
        // A token is 64 random hexadecimal digits: it cannot stand for anything else.
        if csrf.len() < 32 || body.contains(TOKEN) {
            return;
        }
        let body: Arc<str> = body.replace(csrf, TOKEN).into();
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.bytes + body.len() > BYTES {
            inner.entries.clear();
            inner.bytes = 0;
        }
        inner.bytes += body.len();
        if let Some(old) = inner.entries.insert(key, Entry { stamp, body }) {
            inner.bytes -= old.body.len();
        }
    }
}
