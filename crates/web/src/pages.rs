//! Visitors' pages rendered once per change, not once per view.
//!
//! A page a visitor (nobody signed in) asks for is a function of its address (path and query,
//! which holds the `?ok=` sentence), the language and the application's [`Stamp`]: the data,
//! the index, the vectors and the minute. The one thing in it that belongs to the visitor is
//! their CSRF token (in the page's meta tag and forms). So the first view of a page at a stamp
//! is kept with the token cut out, and every later view at the same stamp is that copy with
//! the viewer's token put in. Any change makes a new stamp, so it shows on the next view, on
//! every server (the audit log is shared).
//!
//! Kept only: answers of 200 with an HTML body, that set no cookie of their own. Signed-in
//! users' pages are never kept (they hold names, drafts and confidential fields).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use duijie_app::Stamp;

/// What stands in for the viewer's token in a kept page (never in a rendered page: HTML has
/// no NUL).
const TOKEN: &str = "\u{0}csrf\u{0}";
/// Bytes of pages kept at most; past it, afresh.
const BYTES: usize = 64 << 20;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub address: String,
    pub lang: &'static str,
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
