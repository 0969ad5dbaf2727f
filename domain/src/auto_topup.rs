//! Automatic top-ups: when a client's available points fall below the threshold its admin set,
//! buy the chosen pack — with the saved card, or as a draft invoice for a client that pays by
//! transfer. The admin is told before each charge and may turn it off meanwhile (YooKassa
//! requires notice and an opt-out); at most one a day and within the monthly cap.

use crate::points::Points;
use crate::time::{Date, Period, Timestamp};

/// How long the notice stands before the charge is made (the hourly job makes it after).
pub const NOTICE_SECONDS: i64 = 60 * 60;

/// How an automatic top-up pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The card saved at an earlier checkout, charged without the admin present.
    Card,
    /// A draft invoice for the pack (clients that pay by bank transfer).
    Invoice,
}

/// What the client admin chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub enabled: bool,
    pub threshold: Points,
    pub method: Method,
    /// The pack's price, in minor units.
    pub price_minor: i64,
    /// At most this much a calendar month, in minor units.
    pub monthly_cap_minor: i64,
}

/// What happened so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// When the admin was told of the coming top-up, if one is announced and not yet made.
    pub announced: Option<Timestamp>,
    /// The day (provider's calendar) of the last top-up made.
    pub last_day: Option<Date>,
    /// What automatic top-ups cost in the current month so far, in minor units.
    pub spent_this_month_minor: i64,
}

/// Why a top-up that is due is not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// One was made today already.
    Today,
    /// It would pass the monthly cap.
    Cap,
}

/// What the job does now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Nothing,
    /// Tell the admin a top-up will be made after the notice unless they turn it off.
    Announce,
    /// The points are back above the threshold (or it was turned off): forget the notice.
    Withdraw,
    /// Make it now (charge the card, or issue the draft invoice).
    TopUp,
    /// Due, but not allowed now; the notice stays.
    Hold(Held),
}

/// The step for `available` points at `now` (`today` is `now`'s day in the provider's zone).
pub fn step(s: &Settings, h: &History, available: Points, now: Timestamp, today: Date) -> Step {
    let low = s.enabled && available < s.threshold;
    match (low, h.announced) {
        (false, Some(_)) => Step::Withdraw,
        (false, None) => Step::Nothing,
        (true, None) => Step::Announce,
        (true, Some(at)) if now.unix() - at.unix() < NOTICE_SECONDS => Step::Nothing,
        (true, Some(_)) if h.last_day == Some(today) => Step::Hold(Held::Today),
        (true, Some(_)) if h.spent_this_month_minor + s.price_minor > s.monthly_cap_minor => {
            Step::Hold(Held::Cap)
        }
        (true, Some(_)) => Step::TopUp,
    }
}

/// The month `today` counts against (the cap restarts each calendar month).
pub fn month_of(today: Date) -> Period {
    Period::containing(today.midnight(0), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(s: &str) -> Points {
        s.parse().expect("points")
    }

    fn settings() -> Settings {
        Settings {
            enabled: true,
            threshold: pts("5"),
            method: Method::Card,
            price_minor: 1_200_000,
            monthly_cap_minor: 2_400_000,
        }
    }

    fn day(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    const NOW: i64 = 1_796_295_900;

    #[test]
    fn a_low_balance_is_announced_then_topped_up_after_the_notice() {
        let s = settings();
        let now = Timestamp::from_unix(NOW);
        let today = day("2026-12-03");
        let mut h = History::default();
        assert_eq!(step(&s, &h, pts("6"), now, today), Step::Nothing);
        assert_eq!(step(&s, &h, pts("4.99"), now, today), Step::Announce);
        h.announced = Some(now);
        let soon = Timestamp::from_unix(NOW + NOTICE_SECONDS - 1);
        assert_eq!(step(&s, &h, pts("4.99"), soon, today), Step::Nothing);
        let later = Timestamp::from_unix(NOW + NOTICE_SECONDS);
        assert_eq!(step(&s, &h, pts("4.99"), later, today), Step::TopUp);
        // The admin turned it off meanwhile, or the points came back: the notice goes.
        let off = Settings {
            enabled: false,
            ..s
        };
        assert_eq!(step(&off, &h, pts("4.99"), later, today), Step::Withdraw);
        assert_eq!(step(&s, &h, pts("5"), later, today), Step::Withdraw);
    }

    #[test]
    fn once_a_day_and_within_the_monthly_cap() {
        let s = settings();
        let later = Timestamp::from_unix(NOW + NOTICE_SECONDS);
        let today = day("2026-12-03");
        let h = History {
            announced: Some(Timestamp::from_unix(NOW)),
            last_day: Some(today),
            spent_this_month_minor: 1_200_000,
        };
        assert_eq!(
            step(&s, &h, pts("1"), later, today),
            Step::Hold(Held::Today)
        );
        let tomorrow = day("2026-12-04");
        assert_eq!(step(&s, &h, pts("1"), later, tomorrow), Step::TopUp);
        let spent = History {
            spent_this_month_minor: 1_200_001,
            ..h
        };
        assert_eq!(
            step(&s, &spent, pts("1"), later, tomorrow),
            Step::Hold(Held::Cap)
        );
        assert_eq!(month_of(tomorrow).to_string(), "2026-12");
    }
}
