//! Sign-in throttling: after a few wrong passwords for one account, or many from one client
//! address, further attempts wait, twice as long after each new failure (1 s, 2 s, 4 s … up
//! to 15 minutes). A waiting attempt is refused at once, without hashing a password, so a
//! guessing flood costs the server almost nothing. The counts live in this server's memory and
//! are forgotten 30 minutes after an account's or address's last failure.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures before an account's attempts start to wait.
pub const ACCOUNT_FREE: u32 = 10;
/// Failures before a client address's attempts start to wait (an office behind one address
/// has many people who mistype).
pub const CLIENT_FREE: u32 = 30;
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// How long after the last failure the count is forgotten.
pub const FORGET_AFTER: Duration = Duration::from_secs(30 * 60);
/// Entries kept at most (a spray over many e-mails cannot grow memory without bound: the
/// oldest are dropped first).
const MAX_ENTRIES: usize = 100_000;

/// Whose attempts are counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Account(String),
    Client(IpAddr),
}

impl Key {
    fn free(&self) -> u32 {
        match self {
            Key::Account(_) => ACCOUNT_FREE,
            Key::Client(_) => CLIENT_FREE,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
}

/// How long an entry must wait after its last failure.
fn wait_after(failures: u32, free: u32) -> Duration {
    if failures < free {
        return Duration::ZERO;
    }
    let doublings = (failures - free).min(20);
    Duration::from_secs(1u64 << doublings).min(MAX_WAIT)
}

#[derive(Debug, Default)]
pub struct Throttle {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl Throttle {
    /// How long these keys must still wait at `now` (zero: the attempt may go ahead).
    pub fn wait(&self, keys: &[Key], now: Instant) -> Duration {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter()
            .filter_map(|k| entries.get(k).map(|e| (k, e)))
            .filter(|(_, e)| now.duration_since(e.last) < FORGET_AFTER)
            .map(|(k, e)| match wait_after(e.failures, k.free()) {
                w if w.is_zero() => Duration::ZERO,
                w => (e.last + w).saturating_duration_since(now),
            })
            .max()
            .unwrap_or(Duration::ZERO)
    }

    /// Count a wrong password for these keys.
    pub fn failed(&self, keys: &[Key], now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, e| now.duration_since(e.last) < FORGET_AFTER);
            if entries.len() >= MAX_ENTRIES {
                let mut by_age: Vec<Instant> = entries.values().map(|e| e.last).collect();
                by_age.sort();
                let cut = by_age[by_age.len() / 2];
                entries.retain(|_, e| e.last > cut);
            }
        }
        for k in keys {
            let e = entries.entry(k.clone()).or_insert(Entry {
                failures: 0,
                last: now,
            });
            if now.duration_since(e.last) >= FORGET_AFTER {
                e.failures = 0;
            }
            e.failures += 1;
            e.last = now;
        }
    }

    /// A correct password: the account starts afresh. The client address does not (an
    /// attacker could otherwise clear it by signing in to an account of their own).
    pub fn succeeded(&self, account: &Key) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(email: &str, ip: [u8; 4]) -> [Key; 2] {
        [Key::Account(email.into()), Key::Client(IpAddr::from(ip))]
    }

    #[test]
    fn an_account_waits_after_its_free_failures_twice_as_long_each_time() {
        let t = Throttle::default();
        let t0 = Instant::now();
        let k = keys("port@duijie.demo", [10, 0, 0, 1]);
        for i in 0..ACCOUNT_FREE {
            assert_eq!(t.wait(&k, t0), Duration::ZERO, "attempt {i} is free");
            t.failed(&k, t0);
        }
        assert_eq!(t.wait(&k, t0), Duration::from_secs(1));
        t.failed(&k, t0 + Duration::from_secs(1));
        assert_eq!(
            t.wait(&k, t0 + Duration::from_secs(1)),
            Duration::from_secs(2)
        );
        // From another address the account still waits; another account from the first
        // address does not.
        assert!(t.wait(&keys("port@duijie.demo", [10, 0, 0, 2]), t0) > Duration::ZERO);
        assert_eq!(
            t.wait(&keys("lab@duijie.demo", [10, 0, 0, 1]), t0),
            Duration::ZERO
        );
        // Success clears the account.
        t.succeeded(&k[0]);
        assert_eq!(t.wait(&k, t0 + Duration::from_secs(1)), Duration::ZERO);
    }

    #[test]
    fn an_address_spraying_many_accounts_waits_too_and_the_wait_is_capped() {
        let t = Throttle::default();
        let t0 = Instant::now();
        for i in 0..CLIENT_FREE {
            t.failed(&keys(&format!("u{i}@x.cn"), [10, 0, 0, 9]), t0);
        }
        let fresh = keys("new@x.cn", [10, 0, 0, 9]);
        assert_eq!(t.wait(&fresh, t0), Duration::from_secs(1));
        for i in 0..100 {
            t.failed(&keys(&format!("v{i}@x.cn"), [10, 0, 0, 9]), t0);
        }
        assert_eq!(t.wait(&fresh, t0), MAX_WAIT);
        // Forgotten after a quiet half hour.
        assert_eq!(t.wait(&fresh, t0 + FORGET_AFTER), Duration::ZERO);
        t.failed(&fresh, t0 + FORGET_AFTER);
        assert_eq!(t.wait(&fresh, t0 + FORGET_AFTER), Duration::ZERO);
    }
}
