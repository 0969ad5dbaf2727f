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

#[cfg(test)]
mod tests {
    use super::*;

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
