//! The platform's one clock. Every date a rule compares with (deadlines, "today" on a booking
//! calendar, the current tax year) and every time a person reads is Beijing time (China Standard
//! Time, UTC+8, no daylight saving); the database stores UTC instants.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// China Standard Time.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Where "now" comes from: the system clock, or a fixed instant (tests, replays).
#[derive(Clone, Copy, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// This instant in Beijing time.
    pub fn now(&self) -> DateTime<FixedOffset> {
        let utc = match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        };
        utc.with_timezone(&beijing())
    }

    /// Today's date in Beijing.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// This year in Beijing.
    pub fn year(&self) -> i32 {
        self.today().year()
    }
}

/// A stored RFC 3339 instant as a person in Beijing reads it: `2026-12-01 21:13`. Text that is
/// not an instant (an empty field, a plain date) is shown as it is.
pub fn beijing_minutes(rfc3339: &str) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&beijing())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_is_eight_hours_ahead_of_utc_across_midnight() {
        let t = DateTime::parse_from_rfc3339("2026-12-31T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let c = Clock::Fixed(t);
        assert_eq!(c.today().to_string(), "2027-01-01");
        assert_eq!(c.year(), 2027);
        assert_eq!(beijing_minutes("2026-12-31T17:30:00Z"), "2027-01-01 01:30");
        assert_eq!(beijing_minutes("2026-06-30"), "2026-06-30");
        assert_eq!(beijing_minutes(""), "");
    }
}
