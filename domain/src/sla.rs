//! Service levels: a provider's business calendar, the business-time calculator, targets per
//! plan and priority, and the two clocks every ticket carries (first response, resolution).
//!
//! Business time is counted in seconds inside working windows: the hours of each weekday in
//! the provider's zone, less holidays. The zone is asked for its UTC offset at an instant
//! ([`Zone`]), so daylight-saving changes move the windows as the wall clock moves; the
//! domain ships no zone database (the worker asks the runtime's `Intl`).

use crate::account::Reject;
use crate::error::DomainError;
use crate::time::{Date, Timestamp, SECONDS_PER_DAY};

/// A time zone: its offset east of UTC, in minutes, at an instant.
pub trait Zone {
    fn offset_minutes(&self, at: Timestamp) -> i32;
}

/// A zone with one offset all year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedOffset(pub i32);

impl Zone for FixedOffset {
    fn offset_minutes(&self, _: Timestamp) -> i32 {
        self.0
    }
}

/// A working window of a day: minutes after local midnight, `start < end ≤ 1440`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: u16,
    pub end: u16,
}

/// A day off: one date, or the same day every year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    pub yearly: bool,
}

pub const MAX_WINDOWS_PER_DAY: usize = 4;
pub const MAX_HOLIDAYS: usize = 120;
/// A target beyond 60 business days is not a service level.
pub const MAX_TARGET_MINUTES: u32 = 60 * 24 * 60;
/// How far the calculator looks before it says the calendar has no time left.
const HORIZON_DAYS: i64 = 3 * 366;

/// Working hours per weekday (Monday first) and holidays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hours {
    pub week: [Vec<Window>; 7],
    pub holidays: Vec<Holiday>,
}

impl Hours {
    /// Every minute of every day: what a round-the-clock priority runs on.
    pub fn always() -> Hours {
        Hours {
            week: std::array::from_fn(|_| {
                vec![Window {
                    start: 0,
                    end: 1440,
                }]
            }),
            holidays: Vec::new(),
        }
    }

    /// Mon–Fri 09:00–13:00 and 14:00–18:00: an eight-hour day with a lunch hour.
    pub fn office() -> Hours {
        let day = vec![
            Window {
                start: 9 * 60,
                end: 13 * 60,
            },
            Window {
                start: 14 * 60,
                end: 18 * 60,
            },
        ];
        Hours {
            week: std::array::from_fn(|i| if i < 5 { day.clone() } else { Vec::new() }),
            holidays: Vec::new(),
        }
    }

    /// Checks what a manager entered: windows in order, not overlapping, at most
    /// [`MAX_WINDOWS_PER_DAY`] a day, some working time in the week, at most [`MAX_HOLIDAYS`]
    /// holidays (one listed twice is harmless). Refusals name the weekday (`week[N]`) or `holidays`.
    pub fn check(&self) -> Result<(), Vec<(String, Reject)>> {
        let mut errors = Vec::new();
        for (i, day) in self.week.iter().enumerate() {
            let ordered = day.windows(2).all(|w| w[0].end <= w[1].start);
            let sane = day.iter().all(|w| w.start < w.end && w.end <= 1440);
            if day.len() > MAX_WINDOWS_PER_DAY {
                errors.push((
                    format!("week[{i}]"),
                    Reject::TooLong {
                        max: MAX_WINDOWS_PER_DAY,
                    },
                ));
            } else if !ordered || !sane {
                errors.push((format!("week[{i}]"), Reject::Malformed));
            }
        }
        if self.week.iter().all(Vec::is_empty) {
            errors.push(("week".into(), Reject::Required));
        }
        if self.holidays.len() > MAX_HOLIDAYS {
            errors.push(("holidays".into(), Reject::TooLong { max: MAX_HOLIDAYS }));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn is_holiday(&self, d: Date) -> bool {
        self.holidays.iter().any(|h| {
            h.date == d || (h.yearly && h.date.month() == d.month() && h.date.day() == d.day())
        })
    }

    /// The working windows of local date `d` (none on a holiday).
    fn windows_of(&self, d: Date) -> &[Window] {
        if self.is_holiday(d) {
            return &[];
        }
        // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
        let weekday = usize::try_from((d.to_days() + 3).rem_euclid(7)).unwrap_or(0);
        &self.week[weekday]
    }
}

/// A business calendar: working hours in a zone.
pub struct Calendar<'a> {
    pub hours: &'a Hours,
    pub zone: &'a dyn Zone,
}

/// The instant of local wall-clock time `minutes` after midnight of `d` in `zone`. A time the
/// clocks skip (spring forward) is read with the offset before the change, i.e. it lands
/// after the gap; a time that happens twice (fall back) is its first occurrence.
fn local_instant(zone: &dyn Zone, d: Date, minutes: u16) -> Timestamp {
    let secs = i64::from(minutes) * 60;
    let naive = Timestamp::at_local(d, secs, 0);
    // The offsets around the wall time; the earlier instant that reads as this wall time wins.
    let before = zone.offset_minutes(Timestamp::from_unix(naive.unix() - SECONDS_PER_DAY / 2));
    let after = zone.offset_minutes(Timestamp::from_unix(naive.unix() + SECONDS_PER_DAY / 2));
    let candidates = [before.max(after), before.min(after)];
    for off in candidates {
        let t = Timestamp::at_local(d, secs, off);
        if zone.offset_minutes(t) == off {
            return t;
        }
    }
    Timestamp::at_local(d, secs, before)
}

impl Calendar<'_> {
    /// The working spans of local date `d`, as instants, in order.
    fn spans(&self, d: Date) -> impl Iterator<Item = (i64, i64)> + '_ {
        self.hours.windows_of(d).iter().filter_map(move |w| {
            let a = local_instant(self.zone, d, w.start).unix();
            let b = local_instant(self.zone, d, w.end).unix();
            (a < b).then_some((a, b))
        })
    }

    fn local_date(&self, at: Timestamp) -> Date {
        at.date(self.zone.offset_minutes(at))
    }

    /// The instant `seconds` of business time after `start` (`start` itself for 0); `None`
    /// when the calendar has no time left within three years.
    pub fn add_business_seconds(&self, start: Timestamp, seconds: i64) -> Option<Timestamp> {
        if seconds <= 0 {
            return Some(start);
        }
        let mut left = seconds;
        // The previous local day too: a window may end after `start` on the day before
        // (a zone's offset moved across midnight).
        let first = self.local_date(start).plus_days(-1);
        for n in 0..HORIZON_DAYS {
            for (a, b) in self.spans(first.plus_days(n)) {
                let from = a.max(start.unix());
                if from >= b {
                    continue;
                }
                if left <= b - from {
                    return Some(Timestamp::from_unix(from + left));
                }
                left -= b - from;
            }
        }
        None
    }

    /// `add_business_minutes(start, minutes, calendar)` of the issue: minutes of business time.
    pub fn add_business_minutes(&self, start: Timestamp, minutes: u32) -> Option<Timestamp> {
        self.add_business_seconds(start, i64::from(minutes) * 60)
    }

    /// Business seconds in `[from, to)` (0 when `to ≤ from`).
    pub fn business_seconds_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to <= from {
            return 0;
        }
        let (first, last) = (
            self.local_date(from).plus_days(-1),
            self.local_date(to).plus_days(1),
        );
        let mut total = 0;
        let days = (last.to_days() - first.to_days()).min(HORIZON_DAYS * 4);
        for n in 0..=days {
            for (a, b) in self.spans(first.plus_days(n)) {
                let (lo, hi) = (a.max(from.unix()), b.min(to.unix()));
                if lo < hi {
                    total += hi - lo;
                }
            }
        }
        total
    }

    /// Whole business minutes in `[from, to)`.
    pub fn business_minutes_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        self.business_seconds_between(from, to) / 60
    }

    /// Is `at` inside a working window?
    pub fn is_open(&self, at: Timestamp) -> bool {
        let d = self.local_date(at);
        (-1..=1).any(|n| {
            self.spans(d.plus_days(n))
                .any(|(a, b)| a <= at.unix() && at.unix() < b)
        })
    }
}

/// The targets of one priority: minutes of business time (or of any time, round the clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub respond: u32,
    pub resolve: u32,
    pub round_the_clock: bool,
}

impl Target {
    pub fn check(&self) -> Result<(), Vec<(&'static str, Reject)>> {
        let mut errors = Vec::new();
        for (field, v) in [("respond", self.respond), ("resolve", self.resolve)] {
            if v == 0 {
                errors.push((field, Reject::Required));
            } else if v > MAX_TARGET_MINUTES {
                errors.push((
                    field,
                    Reject::TooLong {
                        max: MAX_TARGET_MINUTES as usize,
                    },
                ));
            }
        }
        if errors.is_empty() && self.resolve < self.respond {
            errors.push((
                "resolve",
                Reject::TooShort {
                    min: self.respond as usize,
                },
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Which of a ticket's two clocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Respond,
    Resolve,
}

impl Which {
    pub const fn as_str(self) -> &'static str {
        match self {
            Which::Respond => "respond",
            Which::Resolve => "resolve",
        }
    }
}

/// A ticket's service-level clocks, as stored. Business time spent waiting for the client is
/// kept per clock (`*_paused`), so a deadline is always `opened + target + paused` in
/// business time and a priority change recomputes from the opening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clocks {
    pub opened: Timestamp,
    pub target: Target,
    pub respond_by: Timestamp,
    pub resolve_by: Timestamp,
    /// 75 % of each target.
    pub respond_warn_at: Timestamp,
    pub resolve_warn_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    /// Since when the clocks stand (the ticket awaits the client, or it is resolved).
    pub paused_since: Option<Timestamp>,
    pub respond_paused: i64,
    pub resolve_paused: i64,
    /// Business seconds to the first response and to the resolution, waiting excluded.
    pub response_seconds: Option<i64>,
    pub resolution_seconds: Option<i64>,
}

/// Where a ticket stands, as its clocks see it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Moment {
    /// It waits for the client: a quote to approve, or an answer staff asked for.
    pub waiting: bool,
    /// Resolved or finished.
    pub done: bool,
}

/// What a clock says at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Stopped in time (met).
    Met,
    /// Stopped late, or still running past its deadline.
    Breached,
    /// Running (or paused) before its deadline.
    Running,
}

fn seconds(minutes: u32) -> i64 {
    i64::from(minutes) * 60
}

impl Clocks {
    /// The clocks of a ticket opened at `opened`.
    pub fn open(opened: Timestamp, target: Target, cal: &Calendar) -> Result<Clocks, DomainError> {
        let mut c = Clocks {
            opened,
            target,
            respond_by: opened,
            resolve_by: opened,
            respond_warn_at: opened,
            resolve_warn_at: opened,
            first_response_at: None,
            resolved_at: None,
            paused_since: None,
            respond_paused: 0,
            resolve_paused: 0,
            response_seconds: None,
            resolution_seconds: None,
        };
        c.reckon(cal)?;
        Ok(c)
    }

    /// Deadlines and warning instants from the opening, the target and the paused time.
    fn reckon(&mut self, cal: &Calendar) -> Result<(), DomainError> {
        let at = |secs: i64| {
            cal.add_business_seconds(self.opened, secs)
                .ok_or(DomainError::Invalid(
                    "the business calendar has no working time left",
                ))
        };
        let (r, s) = (seconds(self.target.respond), seconds(self.target.resolve));
        self.respond_by = at(r + self.respond_paused)?;
        self.respond_warn_at = at(r * 3 / 4 + self.respond_paused)?;
        self.resolve_by = at(s + self.resolve_paused)?;
        self.resolve_warn_at = at(s * 3 / 4 + self.resolve_paused)?;
        Ok(())
    }

    /// The first public answer or status change by staff, at `at` (later ones change nothing).
    pub fn respond(mut self, at: Timestamp, cal: &Calendar) -> Clocks {
        if self.first_response_at.is_none() {
            self.first_response_at = Some(at);
            let spent = cal.business_seconds_between(self.opened, at) - self.respond_paused;
            self.response_seconds = Some(spent.max(0));
        }
        self
    }

    /// The ticket starts waiting for the client (or is resolved): the clocks stand.
    pub fn pause(mut self, at: Timestamp) -> Clocks {
        if self.paused_since.is_none() {
            self.paused_since = Some(at);
        }
        self
    }

    /// The ticket is back with the desk: the business time it waited moves the deadlines of
    /// the clocks still running.
    pub fn resume(mut self, at: Timestamp, cal: &Calendar) -> Result<Clocks, DomainError> {
        let Some(since) = self.paused_since.take() else {
            return Ok(self);
        };
        let waited = cal.business_seconds_between(since, at);
        if self.first_response_at.is_none() {
            self.respond_paused += waited;
        }
        self.resolve_paused += waited;
        self.resolved_at = None;
        self.resolution_seconds = None;
        self.reckon(cal)?;
        Ok(self)
    }

    /// Resolved (or finished) at `at`: the resolution clock stops; a ticket finished without
    /// any answer counts its finishing as the first response.
    pub fn resolve(self, at: Timestamp, cal: &Calendar) -> Clocks {
        let mut c = self.respond(at, cal);
        // Time already paused before (waiting for the client) does not count.
        let until = c.paused_since.unwrap_or(at);
        let spent = cal.business_seconds_between(c.opened, until) - c.resolve_paused;
        c.resolved_at = Some(at);
        c.resolution_seconds = Some(spent.max(0));
        c.pause(until)
    }

    /// Another priority's target: deadlines recomputed from the opening.
    pub fn retarget(mut self, target: Target, cal: &Calendar) -> Result<Clocks, DomainError> {
        self.target = target;
        self.reckon(cal)?;
        Ok(self)
    }

    /// What a change to the ticket does to its clocks: `before` and `after` say whether it
    /// waited for the client and whether it was finished; `responded`: staff answered the
    /// client in it (a public comment or a status change).
    pub fn step(
        self,
        before: Moment,
        after: Moment,
        responded: bool,
        at: Timestamp,
        cal: &Calendar,
    ) -> Result<Clocks, DomainError> {
        let mut c = if responded {
            self.respond(at, cal)
        } else {
            self
        };
        match (before.done, after.done) {
            (false, true) => return Ok(c.resolve(at, cal)),
            (true, false) => {
                c = c.resume(at, cal)?;
                return Ok(if after.waiting { c.pause(at) } else { c });
            }
            (true, true) => return Ok(c),
            (false, false) => {}
        }
        Ok(match (before.waiting, after.waiting) {
            (false, true) => c.pause(at),
            (true, false) => c.resume(at, cal)?,
            _ => c,
        })
    }

    /// The notice `which` calls for at `now`, given what was sent for it: the breach once its
    /// deadline passed (the warning is then moot), else the warning at 75 % of the target; none
    /// for a clock that stopped or stands, or whose breach was told. `Some(true)`: the breach.
    pub fn notice_due(
        &self,
        which: Which,
        (warned, breach_told): (bool, bool),
        now: Timestamp,
    ) -> Option<bool> {
        let (warn_at, by, stopped) = match which {
            Which::Respond => (
                self.respond_warn_at,
                self.respond_by,
                self.first_response_at,
            ),
            Which::Resolve => (self.resolve_warn_at, self.resolve_by, self.resolved_at),
        };
        if stopped.is_some() || self.paused_since.is_some() || breach_told {
            return None;
        }
        if now >= by {
            return Some(true);
        }
        (now >= warn_at && !warned).then_some(false)
    }

    pub fn standing(&self, which: Which, now: Timestamp) -> Standing {
        let (by, stopped) = match which {
            Which::Respond => (self.respond_by, self.first_response_at),
            Which::Resolve => (self.resolve_by, self.resolved_at),
        };
        match stopped {
            Some(t) if t <= by => Standing::Met,
            Some(_) => Standing::Breached,
            // A paused clock is judged at its pause: waiting time is not the desk's.
            None => match self.paused_since {
                Some(p) if p <= by => Standing::Running,
                _ if now > by => Standing::Breached,
                _ => Standing::Running,
            },
        }
    }

    /// The running clock whose deadline comes first, with that deadline: what a queue sorts by.
    pub fn next_deadline(&self) -> Option<(Which, Timestamp)> {
        if self.paused_since.is_some() {
            return None;
        }
        if self.first_response_at.is_none() {
            return Some((Which::Respond, self.respond_by.min(self.resolve_by)));
        }
        self.resolved_at
            .is_none()
            .then_some((Which::Resolve, self.resolve_by))
    }
}

#[cfg(test)]
mod tests;
