//! Time without a clock: instants are given to the domain, never read by it.
//!
//! A [`Timestamp`] is whole seconds since the Unix epoch (UTC). Billing periods are calendar
//! months in the provider's time zone, given as a fixed UTC offset in minutes (a named zone with
//! daylight saving is resolved to an offset by the caller).

use std::fmt;

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
}

/// A civil date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Days since 1970-01-01 to a civil date (H. Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The inverse of [`Date::from_days`].
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
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
            year: d.year,
            month: d.month,
        }
    }
    pub const fn year(self) -> i32 {
        self.year
    }
    pub const fn month(self) -> u8 {
        self.month
    }
    pub fn next(self) -> Period {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
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
            Date {
                year: 2024,
                month: 2,
                day: 29
            }
            .plus_days(1)
            .to_string(),
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
