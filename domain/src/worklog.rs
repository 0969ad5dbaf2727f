//! Work-log lines: who worked on a ticket, how long, on which day, and what they did. Incidents
//! are charged for their lines; a service request compares its lines with its quote.

use crate::error::DomainError;
use crate::ids::UserId;
use crate::time::Date;

/// The longest single work entry: a day.
pub const MAX_ENTRY_MINUTES: u32 = 24 * 60;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkEntry {
    pub engineer: UserId,
    pub minutes: u32,
    pub note: String,
    /// The day the work was done, in the provider's time zone.
    pub on: Date,
}

impl WorkEntry {
    /// 1 minute to 24 hours, with the note trimmed (it may be empty).
    pub fn checked(self) -> Result<WorkEntry, DomainError> {
        if self.minutes == 0 || self.minutes > MAX_ENTRY_MINUTES {
            return Err(DomainError::Invalid("a work entry is 1 minute to 24 hours"));
        }
        Ok(WorkEntry {
            note: self.note.trim().to_owned(),
            ..self
        })
    }
}

/// Total minutes of a work log.
pub fn total_minutes(work: &[WorkEntry]) -> Result<u32, DomainError> {
    work.iter().try_fold(0u32, |sum, w| {
        sum.checked_add(w.minutes).ok_or(DomainError::Amount)
    })
}

/// The day work was done must lie within the ticket's life: not before the day it was opened,
/// not after today (both in the provider's time zone).
pub fn check_day(on: Date, opened: Date, today: Date) -> Result<(), DomainError> {
    if on < opened || on > today {
        return Err(DomainError::Field {
            field: "on",
            code: "out_of_range",
        });
    }
    Ok(())
}

/// How far a timer's start or stop may lie from the server's clock: a phone's clock may be a
/// little ahead, and a start queued offline reaches the server later, but not a day later.
pub const TIMER_SKEW_SECONDS: i64 = 5 * 60;
pub const TIMER_OLDEST_SECONDS: i64 = 24 * 60 * 60;

/// When a timer started or stopped, as the engineer's phone says (`at`, unix seconds; `now`
/// when absent): not ahead of the server by more than the skew, not older than a day.
pub fn timer_instant(at: Option<i64>, now: i64) -> Result<i64, DomainError> {
    let at = at.unwrap_or(now);
    if at > now + TIMER_SKEW_SECONDS || at < now - TIMER_OLDEST_SECONDS {
        return Err(DomainError::Field {
            field: "at",
            code: "out_of_range",
        });
    }
    Ok(at.min(now))
}

/// The whole minutes a timer ran, rounded up (a started minute is a minute worked), at least
/// one and at most a work entry's day; a stop before its start is refused.
pub fn timer_minutes(started: i64, stopped: i64) -> Result<u32, DomainError> {
    if stopped < started {
        return Err(DomainError::Field {
            field: "at",
            code: "before_start",
        });
    }
    let minutes = ((stopped - started + 59) / 60).max(1);
    Ok(u32::try_from(minutes)
        .unwrap_or(MAX_ENTRY_MINUTES)
        .min(MAX_ENTRY_MINUTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timer_counts_started_minutes_within_a_day() {
        assert_eq!(timer_minutes(1_000, 1_000), Ok(1));
        assert_eq!(timer_minutes(1_000, 1_060), Ok(1));
        assert_eq!(timer_minutes(1_000, 1_061), Ok(2));
        assert_eq!(timer_minutes(0, 90 * 60), Ok(90));
        assert_eq!(timer_minutes(0, 3 * 86_400), Ok(MAX_ENTRY_MINUTES));
        assert!(timer_minutes(1_000, 999).is_err());
    }

    #[test]
    fn a_timer_instant_is_near_the_servers_clock() {
        let now = 1_800_000_000;
        assert_eq!(timer_instant(None, now), Ok(now));
        assert_eq!(timer_instant(Some(now - 3_600), now), Ok(now - 3_600));
        // A phone a minute ahead: taken as now.
        assert_eq!(timer_instant(Some(now + 60), now), Ok(now));
        assert!(timer_instant(Some(now + TIMER_SKEW_SECONDS + 1), now).is_err());
        assert!(timer_instant(Some(now - TIMER_OLDEST_SECONDS - 1), now).is_err());
    }

    #[test]
    fn work_is_logged_within_the_tickets_life() {
        let d = |day: i64| Date::from_days(20_000 + day);
        assert_eq!(check_day(d(3), d(1), d(5)), Ok(()));
        assert_eq!(check_day(d(1), d(1), d(5)), Ok(()));
        assert_eq!(check_day(d(5), d(1), d(5)), Ok(()));
        for bad in [d(0), d(6), Date::from_days(0)] {
            assert_eq!(
                check_day(bad, d(1), d(5)),
                Err(DomainError::Field {
                    field: "on",
                    code: "out_of_range"
                })
            );
        }
    }

    fn entry(minutes: u32) -> WorkEntry {
        WorkEntry {
            engineer: UserId::new(1),
            minutes,
            note: "  replaced the toner ".into(),
            on: Date::ymd(2026, 11, 27).unwrap(),
        }
    }

    #[test]
    fn entries_are_one_minute_to_a_day() {
        assert!(entry(0).checked().is_err());
        assert!(entry(MAX_ENTRY_MINUTES + 1).checked().is_err());
        assert_eq!(entry(1).checked().unwrap().note, "replaced the toner");
        assert_eq!(total_minutes(&[entry(20), entry(27)]), Ok(47));
        assert_eq!(
            total_minutes(&[entry(u32::MAX), entry(1)]),
            Err(DomainError::Amount)
        );
    }
}
