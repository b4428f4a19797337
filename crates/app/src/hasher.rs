//! Password hashing off the request threads and bounded: argon2 is deliberately slow (tens of
//! milliseconds of one core each), so at most `workers` hashes run at once on tokio's
//! blocking pool and the rest wait their turn; when too many are waiting the attempt is
//! refused as busy. A flood of sign-ins then slows sign-ins, never page serving.

use std::sync::atomic::{AtomicUsize, Ordering};

use duijie_domain::password::{verify, Password};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Attempts that may wait for a hashing worker before new ones are refused as busy.
const MAX_WAITING: usize = 256;

#[derive(Debug)]
pub struct Hasher {
    workers: Semaphore,
    waiting: AtomicUsize,
}

impl Hasher {
    /// Half the machine's cores (at least one) hash passwords; the rest serve pages.
    pub fn new() -> Hasher {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Hasher {
            workers: Semaphore::new((cores / 2).max(1)),
            waiting: AtomicUsize::new(0),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::Busy);
        }
        let permit = self.workers.acquire().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let _permit = permit.map_err(|e| AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Whether `password` matches the stored PHC `hash`.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, AppError> {
        self.run(move || verify(&password, &hash)).await
    }

    /// An argon2id hash of a checked password.
    pub async fn hash(&self, password: Password) -> Result<String, AppError> {
        self.run(move || password.hash()).await
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher::new()
    }
}
