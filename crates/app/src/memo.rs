//! Figures computed from the whole database (the outcomes page's statistics, the home page's
//! counts), kept until the next change. Every change writes the audit log in its own
//! transaction, so the last audit entry's id is a change counter that every server sees: an
//! entry is served while it is the id it was computed at, and a change shows on the next view
//! on every server (one indexed `MAX(id)` instead of a dozen grouped counts).

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::error::AppError;
use crate::App;

type Entry = (i64, Arc<dyn Any + Send + Sync>);

/// Entries kept at most (figures by year and quarter: a handful); past it, afresh.
const ENTRIES: usize = 256;

#[derive(Default)]
pub struct Memo {
    entries: Mutex<HashMap<String, Entry>>,
}

impl App {
    /// `compute()`, or what it gave when nothing has changed since.
    pub(crate) async fn memo<T, F, Fut>(&self, key: String, compute: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        // Read before computing: a change during the computation leaves an older stamp.
        let stamp = self.store.last_audit_id().await?;
        let kept = self
            .figures
            .entries
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
            .filter(|(at, _)| *at == stamp)
            .and_then(|(_, v)| v.downcast::<T>().ok());
        if let Some(v) = kept {
            return Ok(v);
        }
        let v = Arc::new(compute().await?);
        if let Ok(mut m) = self.figures.entries.lock() {
            if m.len() >= ENTRIES {
                m.clear();
            }
            m.insert(key, (stamp, v.clone() as Arc<dyn Any + Send + Sync>));
        }
        Ok(v)
    }
}

/// What every public page is a function of, besides its address and language: the data (the
/// last audit entry, see above), what is searchable (the index's generation), the vectors
/// (their generation), and the time to the minute (deadlines pass, times are shown to the
/// minute). Two equal stamps mean a visitor's page would render the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    audit: i64,
    index: u64,
    vectors: u64,
    minute: i64,
}

impl App {
    /// The stamp of now. Read it before rendering: a change during the rendering leaves the
    /// older stamp, which the next view renders afresh.
    pub async fn stamp(&self) -> Result<Stamp, AppError> {
        let audit = self.store.last_audit_id().await?;
        Ok(self.stamp_at(audit))
    }

    /// The stamp of now, with the last audit id `audit` read just before (by a query that
    /// read it together with something else).
    pub fn stamp_at(&self, audit: i64) -> Stamp {
        Stamp {
            audit,
            index: self.search.generation(),
            vectors: self.semantic.as_ref().map_or(0, |s| s.generation()),
            minute: self.clock.now().timestamp() / 60,
        }
    }
}
