//! Time without a clock: instants are given to the domain, never read by it.
//!
//! A [`Timestamp`] is whole seconds since the Unix epoch (UTC). Billing periods are calendar
//! months in the provider's time zone, given as a fixed UTC offset in minutes (a named zone with
//! daylight saving is resolved to an offset by the caller).

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};

pub const SECONDS_PER_DAY: i64 = 86_400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_unix(secs: i64) -> Timestamp {
        Timestamp(secs)
    }
    pub const fn unix(self) -> i64 {
        self.0
    }
    pub const fn plus_days(self, days: i64) -> Timestamp {
        Timestamp(self.0 + days * SECONDS_PER_DAY)
    }
    /// The civil date at `offset_minutes` east of UTC.
    pub fn date(self, offset_minutes: i32) -> Date {
        let local = self.0 + i64::from(offset_minutes) * 60;
        Date::from_days(local.div_euclid(SECONDS_PER_DAY))
    }
    /// The instant of a local civil time (`date` at `seconds` past its midnight) in a zone
    /// `offset_minutes` east of UTC.
    pub fn at_local(date: Date, seconds: i64, offset_minutes: i32) -> Timestamp {
        Timestamp(date.to_days() * SECONDS_PER_DAY + seconds - i64::from(offset_minutes) * 60)
    }
}

/// A civil date (proleptic Gregorian), from `chrono`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

/// 1970-01-01, where day numbers start.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

impl Date {
    /// The date, if it exists (`2026-02-30` does not).
    pub const fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        match NaiveDate::from_ymd_opt(year, month, day) {
            Some(d) => Some(Date(d)),
            None => None,
        }
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }
    pub fn month(self) -> u32 {
        self.0.month()
    }
    pub fn day(self) -> u32 {
        self.0.day()
    }

    /// The date `days` after 1970-01-01 (clamped to the calendar `chrono` knows).
    pub fn from_days(days: i64) -> Date {
        let d = if days >= 0 {
            u64::try_from(days)
                .ok()
                .and_then(|n| EPOCH.checked_add_days(Days::new(n)))
        } else {
            EPOCH.checked_sub_days(Days::new(days.unsigned_abs()))
        };
        Date(d.unwrap_or(if days >= 0 {
            NaiveDate::MAX
        } else {
            NaiveDate::MIN
        }))
    }

    /// Days since 1970-01-01.
    pub fn to_days(self) -> i64 {
        (self.0 - EPOCH).num_days()
    }

    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }

    /// Exactly `YYYY-MM-DD`, a date that exists.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
            return None;
        }
        if !digits(8..10) {
            return None;
        }
        Date::ymd(
            s[0..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..10].parse().ok()?,
        )
    }

    /// The instant at `offset_minutes` this date's midnight is.
    pub fn midnight(self, offset_minutes: i32) -> Timestamp {
        Timestamp::at_local(self, 0, offset_minutes)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

/// A billing period: one calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a period (expected YYYY-MM)")]
pub struct PeriodError(pub String);

impl Period {
    pub fn new(year: i32, month: u8) -> Result<Period, PeriodError> {
        if (1..=12).contains(&month) && (1970..=9999).contains(&year) {
            Ok(Period { year, month })
        } else {
            Err(PeriodError(format!("{year}-{month}")))
        }
    }
    pub fn containing(at: Timestamp, offset_minutes: i32) -> Period {
        let d = at.date(offset_minutes);
        Period {
            year: d.year(),
            month: u8::try_from(d.month()).unwrap_or(1),
        }
    }
    /// The period's first day.
    pub fn first_day(self) -> Date {
        Date::ymd(self.year, u32::from(self.month), 1).unwrap_or(Date(EPOCH))
    }
    /// The period's last day.
    pub fn last_day(self) -> Date {
        self.next().first_day().plus_days(-1)
    }
    fn shift(self, forward: bool) -> Period {
        let first = self.first_day().0;
        let moved = if forward {
            first.checked_add_months(Months::new(1))
        } else {
            first.checked_sub_months(Months::new(1))
        };
        moved.map_or(self, |d| Period {
            year: d.year(),
            month: u8::try_from(d.month()).unwrap_or(1),
        })
    }
    pub const fn year(self) -> i32 {
        self.year
    }
    pub const fn month(self) -> u8 {
        self.month
    }
    pub fn next(self) -> Period {
        self.shift(true)
    }
    pub fn previous(self) -> Period {
        self.shift(false)
    }
    /// Exactly `YYYY-MM`: four digits, a hyphen, two digits. No signs, no spaces.
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let err = || PeriodError(s.to_owned());
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) {
            return Err(err());
        }
        Period::new(y.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?).map_err(|_| err())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        // 2026-11-27T00:00:00Z
        assert_eq!(
            Timestamp::from_unix(1_795_737_600).date(0).to_string(),
            "2026-11-27"
        );
        assert_eq!(Date::from_days(-1).to_string(), "1969-12-31");
        assert_eq!(
            Date::ymd(2024, 2, 29).unwrap().plus_days(1).to_string(),
            "2024-03-01"
        );
    }

    #[test]
    fn periods_follow_the_provider_offset() {
        // 2026-11-30T22:30Z is already December in Moscow (UTC+3) but still November in UTC.
        let at = Timestamp::from_unix(1_796_077_800);
        assert_eq!(Period::containing(at, 0).to_string(), "2026-11");
        assert_eq!(Period::containing(at, 180).to_string(), "2026-12");
        let p = Period::parse("2026-12").unwrap();
        assert_eq!(p.last_day().to_string(), "2026-12-31");
        assert_eq!(
            Period::parse("2028-02").unwrap().last_day().to_string(),
            "2028-02-29"
        );
        for (good, bad) in [("2026-11-30", "2026-11-31"), ("2024-02-29", "2025-02-29")] {
            assert_eq!(
                Date::parse(good).map(|d| d.to_string()).as_deref(),
                Some(good)
            );
            assert_eq!(Date::parse(bad), None);
        }
        for bad in ["2026-1-01", "2026-01-1", "+026-01-01", "2026-01-0x", ""] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(p.next().to_string(), "2027-01");
        assert_eq!(p.previous().to_string(), "2026-11");
        for bad in [
            "2026-13", "2026-1", "26-01", "2026/01", "", "2026-+1", "+202-01", "2026--1",
            "2026-00", "2026- 1",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn days_round_trip(d in -1_000_000i64..3_000_000) {
            prop_assert_eq!(Date::from_days(d).to_days(), d);
            prop_assert_eq!(Date::from_days(d).plus_days(1), Date::from_days(d + 1));
        }
    }
}
