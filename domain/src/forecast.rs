//! When will the points run out at the recent pace?
//!
//! Rule: consumption is the sum of charges (positive amounts of `charge` entries, net of
//! refunds) over the last `window_days` whole days before today; the pace is that sum divided by
//! the window. If the pace is zero or below there is no run-out date. If available points are
//! already zero or below, the run-out date is today. Otherwise it is today plus
//! ceil(available / pace) days, computed in integer hundredths (no floats).

use crate::points::Points;
use crate::time::Date;

pub const DEFAULT_WINDOW_DAYS: u32 = 28;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOut {
    /// Nothing is being consumed: no run-out at this pace.
    Never,
    /// Already at or below zero.
    Now,
    On(Date),
}

/// `consumed` is the net consumption over the window (charges minus refunds of them).
pub fn run_out(available: Points, consumed: Points, window_days: u32, today: Date) -> RunOut {
    if !available.is_positive() {
        return RunOut::Now;
    }
    if !consumed.is_positive() || window_days == 0 {
        return RunOut::Never;
    }
    // days = ceil(available / (consumed / window)) = ceil(available × window / consumed)
    let num = i128::from(available.hundredths()) * i128::from(window_days);
    let den = i128::from(consumed.hundredths());
    let days = (num + den - 1) / den;
    RunOut::On(today.plus_days(i64::try_from(days).unwrap_or(i64::MAX / 4).min(3_650_000)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(s: &str) -> Points {
        s.parse().unwrap()
    }
    const TODAY: Date = match Date::ymd(2026, 11, 27) {
        Some(d) => d,
        None => panic!("a real date"),
    };

    #[test]
    fn table() {
        let cases = [
            ("28", "28", 28, RunOut::On(Date::ymd(2026, 12, 25).unwrap())), // 1 pt/day, 28 days
            ("10", "28", 28, RunOut::On(Date::ymd(2026, 12, 7).unwrap())),  // 10 days
            (
                "10.5",
                "28",
                28,
                RunOut::On(Date::ymd(2026, 12, 8).unwrap()),
            ), // rounds up
            ("10", "0", 28, RunOut::Never),
            ("10", "-2", 28, RunOut::Never),
            ("0", "5", 28, RunOut::Now),
            ("-3", "5", 28, RunOut::Now),
        ];
        for (available, consumed, window, expected) in cases {
            assert_eq!(
                run_out(pts(available), pts(consumed), window, TODAY),
                expected,
                "{available} {consumed}"
            );
        }
    }
}
