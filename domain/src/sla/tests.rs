use super::*;
use chrono::{NaiveDate, Offset, TimeZone};
use proptest::prelude::*;

/// A real zone with its daylight-saving rules, from the IANA database (tests only).
struct Tz(chrono_tz::Tz);

impl Zone for Tz {
    fn offset_minutes(&self, at: Timestamp) -> i32 {
        let utc = chrono::DateTime::from_timestamp(at.unix(), 0)
            .map(|d| d.naive_utc())
            .unwrap_or_default();
        self.0
            .offset_from_utc_datetime(&utc)
            .fix()
            .local_minus_utc()
            / 60
    }
}

const ZONES: [chrono_tz::Tz; 6] = [
    chrono_tz::Europe::Moscow,
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::America::Santiago,
];

/// The instant of a wall-clock time in `tz`.
fn wall(tz: chrono_tz::Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    let naive = NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("a date");
    Timestamp::from_unix(
        tz.from_local_datetime(&naive)
            .earliest()
            .expect("exists")
            .timestamp(),
    )
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::ymd(y, m, d).expect("a date")
}

#[test]
fn friday_evening_plus_eight_hours_is_monday_evening() {
    let tz = chrono_tz::Europe::Moscow;
    let hours = Hours::office();
    let cal = Calendar {
        hours: &hours,
        zone: &Tz(tz),
    };
    // 2026-12-04 is a Friday: 30 minutes on Friday, 7 h 30 on Monday (lunch 13–14 excluded).
    let opened = wall(tz, 2026, 12, 4, 17, 30);
    let due = cal.add_business_minutes(opened, 8 * 60);
    assert_eq!(due, Some(wall(tz, 2026, 12, 7, 17, 30)));
    assert_eq!(
        cal.business_minutes_between(opened, wall(tz, 2026, 12, 7, 17, 30)),
        480
    );
    // A holiday on Monday moves it a day.
    let mut hours = Hours::office();
    hours.holidays.push(Holiday {
        date: date(2026, 12, 7),
        yearly: false,
    });
    let cal = Calendar {
        hours: &hours,
        zone: &Tz(tz),
    };
    assert_eq!(
        cal.add_business_minutes(opened, 480),
        Some(wall(tz, 2026, 12, 8, 17, 30))
    );
    // A yearly holiday repeats: 7 December 2027 is a Tuesday.
    let mut hours = Hours::office();
    hours.holidays.push(Holiday {
        date: date(2020, 12, 7),
        yearly: true,
    });
    let cal = Calendar {
        hours: &hours,
        zone: &Tz(tz),
    };
    assert!(cal.hours.is_holiday(date(2027, 12, 7)));
    let monday = wall(tz, 2027, 12, 6, 17, 0);
    assert_eq!(
        cal.add_business_minutes(monday, 120),
        Some(wall(tz, 2027, 12, 8, 10, 0))
    );
}

#[test]
fn the_wall_clock_holds_across_daylight_saving_changes() {
    for tz in [chrono_tz::Europe::Berlin, chrono_tz::America::New_York] {
        let hours = Hours::office();
        let cal = Calendar {
            hours: &hours,
            zone: &Tz(tz),
        };
        // Berlin springs forward on 2026-03-29 and New York on 2026-03-08 (Sundays); the
        // office opens at 09:00 local either way.
        let (fri, mon) = if tz == chrono_tz::Europe::Berlin {
            (27, 30)
        } else {
            (6, 9)
        };
        let opened = wall(tz, 2026, 3, fri, 17, 30);
        assert_eq!(
            cal.add_business_minutes(opened, 480),
            Some(wall(tz, 2026, 3, mon, 17, 30))
        );
        // Round the clock in the zone: the day of the change has 23 hours.
        let always = Hours::always();
        let cal = Calendar {
            hours: &always,
            zone: &Tz(tz),
        };
        let sunday = mon - 1;
        let day = cal.business_seconds_between(
            wall(tz, 2026, 3, sunday, 0, 0),
            wall(tz, 2026, 3, mon, 0, 0),
        );
        assert_eq!(day, 23 * 3600, "{tz}");
        // And the autumn day 25.
        let (sun, next) = if tz == chrono_tz::Europe::Berlin {
            (25, 26)
        } else {
            (1, 2)
        };
        let month = if tz == chrono_tz::Europe::Berlin {
            10
        } else {
            11
        };
        let day = cal.business_seconds_between(
            wall(tz, 2026, month, sun, 0, 0),
            wall(tz, 2026, month, next, 0, 0),
        );
        assert_eq!(day, 25 * 3600, "{tz}");
    }
}

#[test]
fn zero_minutes_is_the_start_and_a_closed_moment_waits_for_the_opening() {
    let hours = Hours::office();
    let cal = Calendar {
        hours: &hours,
        zone: &FixedOffset(180),
    };
    let night = Timestamp::at_local(date(2026, 12, 8), 3 * 3600, 180);
    assert_eq!(cal.add_business_seconds(night, 0), Some(night));
    let one = cal.add_business_minutes(night, 1).expect("time");
    assert_eq!(
        one,
        Timestamp::at_local(date(2026, 12, 8), 9 * 3600 + 60, 180)
    );
    assert!(!cal.is_open(night));
    assert!(cal.is_open(one));
    // Lunch is closed.
    assert!(!cal.is_open(Timestamp::at_local(date(2026, 12, 8), 13 * 3600 + 600, 180)));
}

#[test]
fn a_calendar_with_no_working_time_is_refused() {
    let mut hours = Hours::office();
    hours.week = std::array::from_fn(|_| Vec::new());
    assert!(hours.check().is_err());
    let mut hours = Hours::office();
    hours.week[0] = vec![Window {
        start: 600,
        end: 540,
    }];
    assert_eq!(
        hours.check(),
        Err(vec![("week[0]".into(), Reject::Malformed)])
    );
    hours.week[0] = vec![
        Window {
            start: 540,
            end: 800,
        },
        Window {
            start: 700,
            end: 900,
        },
    ];
    assert_eq!(
        hours.check(),
        Err(vec![("week[0]".into(), Reject::Malformed)])
    );
    assert_eq!(Hours::office().check(), Ok(()));
}

fn target(respond: u32, resolve: u32) -> Target {
    Target {
        respond,
        resolve,
        round_the_clock: false,
    }
}

#[test]
fn waiting_for_the_client_moves_the_deadlines_by_the_business_time_waited() {
    let hours = Hours::office();
    let cal = Calendar {
        hours: &hours,
        zone: &FixedOffset(180),
    };
    let at =
        |d: u32, h: i64, m: i64| Timestamp::at_local(date(2026, 12, d), h * 3600 + m * 60, 180);
    // Tuesday 10:00, respond in 1 h, resolve in 8 h.
    let c = Clocks::open(at(8, 10, 0), target(60, 480), &cal).expect("clocks");
    assert_eq!(c.respond_by, at(8, 11, 0));
    assert_eq!(c.respond_warn_at, at(8, 10, 45));
    assert_eq!(c.resolve_by, at(9, 10, 0));
    let c = c.respond(at(8, 10, 20), &cal);
    assert_eq!(c.response_seconds, Some(20 * 60));
    assert_eq!(c.standing(Which::Respond, at(9, 9, 0)), Standing::Met);
    // Waits for the client from 12:00 to 15:00 on Tuesday: 2 business hours (lunch excluded).
    let c = c.pause(at(8, 12, 0));
    assert_eq!(c.next_deadline(), None);
    assert_eq!(c.standing(Which::Resolve, at(20, 0, 0)), Standing::Running);
    let c = c.resume(at(8, 15, 0), &cal).expect("clocks");
    assert_eq!(c.resolve_paused, 2 * 3600);
    assert_eq!(c.resolve_by, at(9, 12, 0));
    assert_eq!(c.respond_by, at(8, 11, 0), "a met clock keeps its deadline");
    // A priority change recomputes from the opening, keeping the waiting.
    let c = c.retarget(target(30, 240), &cal).expect("clocks");
    assert_eq!(c.resolve_by, at(8, 17, 0));
    let c = c.resolve(at(8, 17, 30), &cal);
    assert_eq!(c.resolution_seconds, Some(4 * 3600 + 30 * 60));
    assert_eq!(
        c.standing(Which::Resolve, at(8, 17, 30)),
        Standing::Breached
    );
    assert_eq!(c.next_deadline(), None);
    // Reopened next morning: the resolved night counts as nothing, the morning as waiting.
    let c = c.resume(at(9, 10, 0), &cal).expect("clocks");
    assert_eq!(c.resolved_at, None);
    assert_eq!(c.resolve_paused, 2 * 3600 + 30 * 60 + 3600);
    assert_eq!(c.next_deadline(), Some((Which::Resolve, c.resolve_by)));
}

#[test]
fn a_target_must_be_positive_and_resolve_not_before_respond() {
    assert!(target(30, 240).check().is_ok());
    assert!(target(0, 240).check().is_err());
    assert!(target(300, 240).check().is_err());
    assert!(target(30, MAX_TARGET_MINUTES + 1).check().is_err());
}

fn arb_hours() -> impl Strategy<Value = Hours> {
    let window =
        (0u16..=94, 1u16..=32).prop_map(|(s, len)| (s * 15, (s * 15 + len * 15).min(1440)));
    let day = prop::collection::vec(window, 0..=3).prop_map(|mut ws| {
        ws.sort_unstable();
        let mut out: Vec<Window> = Vec::new();
        for (start, end) in ws {
            if out.last().is_none_or(|l| l.end < start) && start < end {
                out.push(Window { start, end });
            }
        }
        out
    });
    let holiday =
        (2019i32..=2031, 1u32..=12, 1u32..=28, any::<bool>()).prop_map(|(y, m, d, yearly)| {
            Holiday {
                date: date(y, m, d),
                yearly,
            }
        });
    (
        prop::array::uniform7(day),
        prop::collection::vec(holiday, 0..=20),
    )
        .prop_map(|(mut week, holidays)| {
            if week.iter().all(Vec::is_empty) {
                week[2] = vec![Window {
                    start: 540,
                    end: 1080,
                }];
            }
            Hours { week, holidays }
        })
}

fn arb_instant() -> impl Strategy<Value = Timestamp> {
    // 2020-01-01 .. 2030-12-31, to the second.
    (1_577_836_800i64..1_924_991_999).prop_map(Timestamp::from_unix)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn adding_is_monotone_additive_and_measured_back_exactly(
        hours in arb_hours(),
        zone in 0usize..ZONES.len(),
        start in arb_instant(),
        a in 0u32..=6_000,
        b in 0u32..=6_000,
    ) {
        // A sparse calendar (one short window a week, holidays on it) may not hold a + b
        // business minutes within the three-year horizon, where adding rightly answers None.
        let weekly: u32 = hours.week.iter().flatten().map(|w| u32::from(w.end - w.start)).sum();
        prop_assume!(weekly * 80 >= a + b);
        let tz = Tz(ZONES[zone]);
        let cal = Calendar { hours: &hours, zone: &tz };
        let ta = cal.add_business_minutes(start, a).expect("time left");
        let tab = cal.add_business_minutes(start, a + b).expect("time left");
        // Monotone.
        prop_assert!(start <= ta && ta <= tab);
        // Additive.
        prop_assert_eq!(cal.add_business_minutes(ta, b), Some(tab));
        // Measured back exactly, and the measure is additive too.
        prop_assert_eq!(cal.business_seconds_between(start, ta), i64::from(a) * 60);
        prop_assert_eq!(cal.business_seconds_between(start, tab), i64::from(a + b) * 60);
        prop_assert_eq!(
            cal.business_seconds_between(start, tab),
            cal.business_seconds_between(start, ta) + cal.business_seconds_between(ta, tab)
        );
        if a > 0 {
            // The last second counted is working time, never inside a holiday.
            let last = Timestamp::from_unix(ta.unix() - 1);
            prop_assert!(cal.is_open(last));
            prop_assert!(!hours.is_holiday(last.date(tz.offset_minutes(last))));
        }
    }

    #[test]
    fn a_holiday_or_a_closed_hour_adds_no_business_time(
        hours in arb_hours(),
        zone in 0usize..ZONES.len(),
        start in arb_instant(),
        len in 1i64..=7 * 86_400,
    ) {
        let tz = Tz(ZONES[zone]);
        let cal = Calendar { hours: &hours, zone: &tz };
        let end = Timestamp::from_unix(start.unix() + len);
        let total = cal.business_seconds_between(start, end);
        prop_assert!((0..=len).contains(&total));
        // Counting minute by minute agrees (sampled at each minute's start).
        let mut open = 0;
        let mut t = start.unix();
        while t < end.unix() {
            let step = (end.unix() - t).min(60);
            if cal.is_open(Timestamp::from_unix(t)) {
                let d = Timestamp::from_unix(t);
                prop_assert!(!hours.is_holiday(d.date(tz.offset_minutes(d))));
                open += step;
            }
            t += step;
        }
        // Windows start and end on whole quarters of an hour of the wall clock; a start
        // inside a minute can shift the sampled sum by that minute at each edge.
        let edges = 2 * 60 * (1 + len / 86_400) * 8;
        prop_assert!((open - total).abs() <= edges, "sampled {open} vs {total}");
    }
}

#[test]
fn a_change_moves_the_clocks_as_the_ticket_moves() {
    let hours = Hours::office();
    let cal = Calendar {
        hours: &hours,
        zone: &FixedOffset(180),
    };
    let at = |h: i64| Timestamp::at_local(date(2026, 12, 8), h * 3600, 180);
    let open = Moment {
        waiting: false,
        done: false,
    };
    let waiting = Moment {
        waiting: true,
        done: false,
    };
    let done = Moment {
        waiting: false,
        done: true,
    };
    let c = Clocks::open(at(9), target(60, 480), &cal).expect("clocks");
    // A quote sent at 10: the answer is given and the clocks stand.
    let c = c.step(open, waiting, true, at(10), &cal).expect("step");
    assert_eq!(c.first_response_at, Some(at(10)));
    assert_eq!(c.paused_since, Some(at(10)));
    // Approved at 12: two business hours waited.
    let c = c.step(waiting, open, false, at(12), &cal).expect("step");
    assert_eq!(c.resolve_paused, 2 * 3600);
    // Finished at 15: resolution = 9–10 and 12–13 and 14–15 = 3 h.
    let c = c.step(open, done, true, at(15), &cal).expect("step");
    assert_eq!(c.resolution_seconds, Some(3 * 3600));
    assert_eq!(c.resolved_at, Some(at(15)));
    // Something finished stays as it is (a resolved incident closing).
    assert_eq!(c.step(done, done, false, at(16), &cal).expect("step"), c);
}

#[test]
fn a_clock_calls_for_its_warning_then_its_breach_once_each() {
    let hours = Hours::office();
    let cal = Calendar {
        hours: &hours,
        zone: &FixedOffset(180),
    };
    let at = |h: i64, m: i64| Timestamp::at_local(date(2026, 12, 8), h * 3600 + m * 60, 180);
    // Opened 9:00 with an hour to answer: warned at 9:45, breached at 10:00.
    let c = Clocks::open(at(9, 0), target(60, 480), &cal).expect("clocks");
    assert_eq!(
        c.notice_due(Which::Respond, (false, false), at(9, 44)),
        None
    );
    assert_eq!(
        c.notice_due(Which::Respond, (false, false), at(9, 45)),
        Some(false)
    );
    assert_eq!(
        c.notice_due(Which::Respond, (true, false), at(9, 50)),
        None,
        "warned once"
    );
    assert_eq!(
        c.notice_due(Which::Respond, (false, false), at(10, 0)),
        Some(true),
        "the warning is moot"
    );
    assert_eq!(
        c.notice_due(Which::Respond, (true, true), at(11, 0)),
        None,
        "breach told once"
    );
    // Answered, or waiting for the client: nothing to tell.
    assert_eq!(
        c.respond(at(9, 50), &cal)
            .notice_due(Which::Respond, (true, false), at(11, 0)),
        None
    );
    assert_eq!(
        c.pause(at(9, 50))
            .notice_due(Which::Respond, (true, false), at(11, 0)),
        None
    );
}
