//! Service levels on the wire: the business calendar (`getBusinessCalendar`,
//! `updateBusinessCalendar`), a plan's targets per priority, a ticket's clocks and the report
//! (`getSlaReport`).

use pointdesk_domain::account::Reject;
use pointdesk_domain::sla::{Clocks, Holiday, Hours, Standing, Target, Which, Window};
use pointdesk_domain::ticket::Priority;
use pointdesk_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

use crate::accounts::{Fields, OrgRefDto};
use crate::problem::FieldError;

/// Working time of a day: `HH:MM` to `HH:MM` of the provider's wall clock (`24:00` ends the
/// day).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WindowDto {
    pub start: String,
    pub end: String,
}

/// A day off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolidayDto {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The same day every year.
    #[serde(default)]
    pub yearly: bool,
    #[serde(default)]
    pub name: String,
}

/// `updateBusinessCalendar`: working windows per weekday and holidays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessCalendarRequest {
    /// Seven days, Monday first; each at most four windows, in order.
    pub week: Vec<Vec<WindowDto>>,
    #[serde(default)]
    pub holidays: Vec<HolidayDto>,
}

/// The provider's business calendar, in its time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessCalendarDto {
    /// The provider's IANA zone: the wall clock the windows are read in.
    pub time_zone: String,
    pub week: Vec<Vec<WindowDto>>,
    pub holidays: Vec<HolidayDto>,
    /// Is it working time now?
    pub open_now: bool,
}

/// `HH:MM` → minutes after midnight (`24:00` is 1440).
pub fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    let total = h.checked_mul(60)?.checked_add(m)?;
    (m < 60 && total <= 1440).then_some(total)
}

pub fn clock_str(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl BusinessCalendarRequest {
    /// The hours, with every refused field named (`week[N]`, `holidays[N].date`).
    pub fn check(&self) -> Result<(Hours, Vec<String>), Vec<FieldError>> {
        let mut f = Fields::default();
        if self.week.len() != 7 {
            f.refuse("week", Reject::Malformed);
        }
        let mut week: [Vec<Window>; 7] = Default::default();
        for (i, day) in self.week.iter().take(7).enumerate() {
            for w in day {
                match (parse_clock(&w.start), parse_clock(&w.end)) {
                    (Some(start), Some(end)) => week[i].push(Window { start, end }),
                    _ => f.refuse(&format!("week[{i}]"), Reject::Malformed),
                }
            }
        }
        let mut holidays = Vec::new();
        let mut names = Vec::new();
        for (i, h) in self.holidays.iter().enumerate() {
            match Date::parse(h.date.trim()) {
                Some(date) => holidays.push(Holiday {
                    date,
                    yearly: h.yearly,
                }),
                None => f.refuse(&format!("holidays[{i}].date"), Reject::Malformed),
            }
            let name = pointdesk_domain::ticket::text(&h.name, 0, 100, false);
            if let Some(n) = f.take(&format!("holidays[{i}].name"), name) {
                names.push(n);
            }
        }
        let hours = Hours { week, holidays };
        if let Err(errors) = hours.check() {
            for (field, r) in errors {
                limited(&mut f, &field, r);
            }
        }
        f.finish(|| Some((hours, names)))
    }
}

/// A refusal of a count or a duration: a missing one is `required`, one past a bound
/// `out_of_range` (`too_long` and `too_short` are about text).
fn limited(f: &mut Fields, field: &str, r: Reject) {
    match r {
        Reject::TooLong { .. } | Reject::TooShort { .. } => {
            f.push(FieldError::new(field, "out_of_range"));
        }
        r => f.refuse(field, r),
    }
}

/// The wire shape of stored hours, with the holidays' names.
pub fn calendar_dto(
    hours: &Hours,
    names: &[String],
    zone: &str,
    open: bool,
) -> BusinessCalendarDto {
    BusinessCalendarDto {
        time_zone: zone.to_owned(),
        week: hours
            .week
            .iter()
            .map(|day| {
                day.iter()
                    .map(|w| WindowDto {
                        start: clock_str(w.start),
                        end: clock_str(w.end),
                    })
                    .collect()
            })
            .collect(),
        holidays: hours
            .holidays
            .iter()
            .enumerate()
            .map(|(i, h)| HolidayDto {
                date: h.date.to_string(),
                yearly: h.yearly,
                name: names.get(i).cloned().unwrap_or_default(),
            })
            .collect(),
        open_now: open,
    }
}

/// A plan's targets for one priority, in business minutes (any minutes when round the clock).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaTargetDto {
    /// `urgent`, `high`, `normal` or `low`.
    pub priority: String,
    pub respond_minutes: u32,
    pub resolve_minutes: u32,
    /// Counts every hour of every day, not only business hours.
    #[serde(default)]
    pub round_the_clock: bool,
}

impl SlaTargetDto {
    pub fn target(&self) -> Target {
        Target {
            respond: self.respond_minutes,
            resolve: self.resolve_minutes,
            round_the_clock: self.round_the_clock,
        }
    }
}

/// A plan's targets, each priority at most once; refusals name `sla[N].field`.
pub fn check_targets(targets: &[SlaTargetDto]) -> Result<(), Vec<FieldError>> {
    let mut f = Fields::default();
    for (i, t) in targets.iter().enumerate() {
        match Priority::parse(&t.priority) {
            Ok(p) if targets[..i].iter().any(|o| o.priority == p.as_str()) => {
                f.push(FieldError::new(format!("sla[{i}].priority"), "taken"));
            }
            Ok(_) => {}
            Err(r) => f.refuse(&format!("sla[{i}].priority"), r),
        }
        if let Err(errors) = t.target().check() {
            for (field, r) in errors {
                limited(&mut f, &format!("sla[{i}].{field}_minutes"), r);
            }
        }
    }
    f.finish(|| Some(()))
}

/// A ticket's promised times and where they stand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaDto {
    /// The first answer is due (Unix seconds).
    pub respond_by: i64,
    /// The fix is due.
    pub resolve_by: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    /// The clocks stand: the ticket waits for the client (or is resolved).
    pub paused: bool,
    /// A promise was missed (either clock).
    pub breached: bool,
    /// `running`, `met` or `breached`, per clock.
    pub respond: String,
    pub resolve: String,
    /// The running clock's deadline, if one runs: what queues sort by.
    pub due: Option<i64>,
    /// The targets it runs on (flat: a nested object costs the app's bundle a deserializer).
    pub respond_minutes: u32,
    pub resolve_minutes: u32,
    /// Counted round the clock rather than in working hours.
    pub round_the_clock: bool,
}

fn standing_str(s: Standing) -> &'static str {
    match s {
        Standing::Running => "running",
        Standing::Met => "met",
        Standing::Breached => "breached",
    }
}

impl SlaDto {
    pub fn of(c: &Clocks, now: Timestamp) -> SlaDto {
        let respond = c.standing(Which::Respond, now);
        let resolve = c.standing(Which::Resolve, now);
        SlaDto {
            respond_by: c.respond_by.unix(),
            resolve_by: c.resolve_by.unix(),
            first_response_at: c.first_response_at.map(Timestamp::unix),
            resolved_at: c.resolved_at.map(Timestamp::unix),
            paused: c.paused_since.is_some() && c.resolved_at.is_none(),
            breached: respond == Standing::Breached || resolve == Standing::Breached,
            respond: standing_str(respond).into(),
            resolve: standing_str(resolve).into(),
            due: c.next_deadline().map(|(_, t)| t.unix()),
            respond_minutes: c.target.respond,
            resolve_minutes: c.target.resolve,
            round_the_clock: c.target.round_the_clock,
        }
    }
}

/// `changeTicketPriority`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriorityRequest {
    /// `urgent`, `high`, `normal` or `low`.
    pub priority: String,
}

/// `setAwaitingClient`: the ticket waits for the client (an answer, access, a part), or no
/// longer does. The client reads `note`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AwaitingClientRequest {
    pub awaiting: bool,
    #[serde(default)]
    pub note: String,
}

/// One client's month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaReportRowDto {
    pub organization: OrgRefDto,
    /// `YYYY-MM`: the month the tickets were opened.
    pub month: String,
    /// Tickets with clocks opened that month.
    pub tickets: u32,
    pub respond_met: u32,
    pub respond_breached: u32,
    pub resolve_met: u32,
    pub resolve_breached: u32,
    /// Medians of business minutes to the first answer and to the fix (waiting excluded).
    pub median_response_minutes: Option<u32>,
    pub median_resolution_minutes: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaReportDto {
    pub from: String,
    pub to: String,
    pub rows: Vec<SlaReportRowDto>,
}

/// The median of whole minutes (the lower middle of an even count).
pub fn median_minutes(mut seconds: Vec<i64>) -> Option<u32> {
    if seconds.is_empty() {
        return None;
    }
    seconds.sort_unstable();
    let mid = seconds[(seconds.len() - 1) / 2];
    u32::try_from(mid / 60).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_as_wall_time() {
        assert_eq!(parse_clock("09:00"), Some(540));
        assert_eq!(parse_clock("9:30"), Some(570));
        assert_eq!(parse_clock("24:00"), Some(1440));
        assert_eq!(parse_clock("24:01"), None);
        assert_eq!(parse_clock("12:60"), None);
        assert_eq!(parse_clock("noon"), None);
        assert_eq!(clock_str(1080), "18:00");
    }

    #[test]
    fn a_calendar_request_names_every_refused_field() {
        let w = |s: &str, e: &str| WindowDto {
            start: s.into(),
            end: e.into(),
        };
        let mut req = BusinessCalendarRequest {
            week: vec![vec![w("09:00", "18:00")]; 7],
            holidays: vec![HolidayDto {
                date: "2027-02-30".into(),
                yearly: false,
                name: String::new(),
            }],
        };
        req.week[1] = vec![w("18:00", "09:00")];
        req.week[2] = vec![w("9", "10:00")];
        let fields: Vec<String> = req
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["week[2]", "holidays[0].date", "week[1]"]);
    }

    #[test]
    fn targets_are_checked_per_row() {
        let t = |p: &str, a, b| SlaTargetDto {
            priority: p.into(),
            respond_minutes: a,
            resolve_minutes: b,
            round_the_clock: false,
        };
        assert!(check_targets(&[t("urgent", 30, 240), t("low", 480, 2400)]).is_ok());
        let e = check_targets(&[t("urgent", 30, 240), t("urgent", 0, 10), t("soon", 1, 1)])
            .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "sla[1].priority",
                "sla[1].respond_minutes",
                "sla[2].priority"
            ]
        );
        assert_eq!(median_minutes(vec![600, 60, 6000]), Some(10));
        assert_eq!(median_minutes(vec![]), None);
    }
}
