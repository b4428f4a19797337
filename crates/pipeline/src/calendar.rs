//! A platform's capacity calendar: a number of units a day (test benches, line slots,
//! inspection slots), lowered or raised on given days, and the bookings that use it. A booking
//! takes `units` on every day from `start` to `start + days − 1`.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Booking {
    pub start: NaiveDate,
    pub days: u32,
    pub units: u32,
}

impl Booking {
    pub fn end(&self) -> NaiveDate {
        self.start + Duration::days(i64::from(self.days.max(1)) - 1)
    }

    fn covers(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end()
    }
}

/// The first day a booking does not fit, and what was free then.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Full {
    pub day: NaiveDate,
    pub free: u32,
    pub wanted: u32,
}

#[derive(Clone, Debug, Default)]
pub struct Calendar {
    capacity: u32,
    overrides: BTreeMap<NaiveDate, u32>,
    bookings: Vec<Booking>,
}

/// One day of the calendar as shown to users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Day {
    pub day: NaiveDate,
    pub capacity: u32,
    pub used: u32,
}

impl Calendar {
    pub fn new(capacity: u32) -> Calendar {
        Calendar {
            capacity,
            ..Calendar::default()
        }
    }

    /// The capacity on one day (0 for a closure).
    pub fn set_day(&mut self, day: NaiveDate, capacity: u32) {
        self.overrides.insert(day, capacity);
    }

    pub fn book(&mut self, b: Booking) {
        self.bookings.push(b);
    }

    pub fn capacity(&self, day: NaiveDate) -> u32 {
        self.overrides.get(&day).copied().unwrap_or(self.capacity)
    }

    pub fn used(&self, day: NaiveDate) -> u32 {
        self.bookings
            .iter()
            .filter(|b| b.covers(day))
            .map(|b| b.units)
            .sum()
    }

    pub fn free(&self, day: NaiveDate) -> u32 {
        self.capacity(day).saturating_sub(self.used(day))
    }

    /// Whether `b` fits on every day it covers; otherwise the first day it does not.
    pub fn fits(&self, b: Booking) -> Result<(), Full> {
        let mut day = b.start;
        while day <= b.end() {
            let free = self.free(day);
            if free < b.units {
                return Err(Full {
                    day,
                    free,
                    wanted: b.units,
                });
            }
            day += Duration::days(1);
        }
        Ok(())
    }

    /// The earliest start on or after `from` (within `horizon` days) where `days × units` fits.
    pub fn earliest(
        &self,
        from: NaiveDate,
        days: u32,
        units: u32,
        horizon: u32,
    ) -> Option<NaiveDate> {
        (0..=i64::from(horizon))
            .map(|d| from + Duration::days(d))
            .find(|&start| self.fits(Booking { start, days, units }).is_ok())
    }

    /// The days from `from` to `to` inclusive.
    pub fn days(&self, from: NaiveDate, to: NaiveDate) -> Vec<Day> {
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            out.push(Day {
                day,
                capacity: self.capacity(day),
                used: self.used(day),
            });
            day += Duration::days(1);
        }
        out
    }

    /// Free units summed over the days from `from` to `to` (for ranking platforms).
    pub fn free_units(&self, from: NaiveDate, to: NaiveDate) -> u64 {
        self.days(from, to)
            .iter()
            .map(|d| u64::from(d.capacity.saturating_sub(d.used)))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn bookings_fit_until_a_day_is_full_and_closures_count() {
        let mut c = Calendar::new(2);
        c.set_day(d("2026-03-04"), 0);
        let b = |start: &str, days, units| Booking {
            start: d(start),
            days,
            units,
        };
        assert!(c.fits(b("2026-03-01", 3, 2)).is_ok());
        c.book(b("2026-03-01", 3, 2));
        assert_eq!(
            c.fits(b("2026-03-03", 1, 1)),
            Err(Full {
                day: d("2026-03-03"),
                free: 0,
                wanted: 1
            })
        );
        // The closure on the 4th pushes the earliest two-day start to the 5th.
        assert_eq!(c.earliest(d("2026-03-01"), 2, 1, 30), Some(d("2026-03-05")));
        assert_eq!(
            c.earliest(d("2026-03-01"), 1, 3, 30),
            None,
            "more than capacity"
        );
        assert_eq!(c.free_units(d("2026-03-01"), d("2026-03-05")), 2);
    }

    /// Against brute force: a booking fits exactly when every day it covers has room.
    #[test]
    fn fits_agrees_with_a_day_by_day_count() {
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let start = d("2026-01-01");
        for _ in 0..200 {
            let mut c = Calendar::new(next(4) as u32 + 1);
            let mut load = [0u32; 40];
            let mut cap = [0u32; 40];
            for (i, x) in cap.iter_mut().enumerate() {
                *x = c.capacity(start + Duration::days(i as i64));
            }
            for _ in 0..10 {
                let b = Booking {
                    start: start + Duration::days(next(30) as i64),
                    days: next(5) as u32 + 1,
                    units: next(3) as u32 + 1,
                };
                let first = (b.start - start).num_days() as usize;
                let room = (first..first + b.days as usize).all(|i| load[i] + b.units <= cap[i]);
                assert_eq!(c.fits(b).is_ok(), room);
                if room {
                    c.book(b);
                    for l in &mut load[first..first + b.days as usize] {
                        *l += b.units;
                    }
                }
            }
        }
    }
}
