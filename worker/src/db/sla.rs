//! Service levels in D1: the provider's business calendar and a plan's targets (read together
//! as [`SlaTerms`]), a ticket's stored clocks, the warnings job's reads and the report's rows.

use serde::{Deserialize, Serialize};
use worker::D1PreparedStatement;

use pointdesk_api::sla::SlaTargetDto;
use pointdesk_domain::sla::{Calendar, Clocks, FixedOffset, Holiday, Hours, Target, Window};
use pointdesk_domain::ticket::Priority;
use pointdesk_domain::time::{Date, Timestamp};

use super::{corrupt, int, opt, text, Db};
use crate::error::AppResult;
use crate::zone::Named;

/// What a ticket's clocks are decided with: the provider's zone and hours, and the targets of
/// the organisation's plan.
pub struct SlaTerms {
    pub zone: String,
    pub hours: Hours,
    /// The holidays' names, in the order of `hours.holidays`.
    pub names: Vec<String>,
    pub targets: Vec<SlaTargetDto>,
    always: Hours,
}

impl SlaTerms {
    pub fn target(&self, p: Priority) -> Option<Target> {
        self.targets
            .iter()
            .find(|t| t.priority == p.as_str())
            .map(SlaTargetDto::target)
    }

    /// Runs `f` with the calendar a target counts on: the provider's hours in its zone, or
    /// every minute when it runs round the clock.
    pub fn with_calendar<T>(&self, round_the_clock: bool, f: impl FnOnce(&Calendar) -> T) -> T {
        let (named, utc) = (Named(&self.zone), FixedOffset(0));
        let cal = if round_the_clock {
            Calendar {
                hours: &self.always,
                zone: &utc,
            }
        } else {
            Calendar {
                hours: &self.hours,
                zone: &named,
            }
        };
        f(&cal)
    }
}

#[derive(Deserialize)]
struct TermsRow {
    time_zone: String,
    week: Option<String>,
    holidays: Option<String>,
    sla: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredHoliday {
    date: String,
    yearly: bool,
    #[serde(default)]
    name: String,
}

/// A ticket's clocks as stored (`tickets.sla`).
#[derive(Serialize, Deserialize)]
struct StoredClocks {
    opened: i64,
    respond: u32,
    resolve: u32,
    round_the_clock: bool,
    respond_by: i64,
    resolve_by: i64,
    respond_warn_at: i64,
    resolve_warn_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    paused_since: Option<i64>,
    respond_paused: i64,
    resolve_paused: i64,
    response_seconds: Option<i64>,
    resolution_seconds: Option<i64>,
}

fn at(t: i64) -> Timestamp {
    Timestamp::from_unix(t)
}

/// The clocks stored for ticket `id`, if it has any; one that does not read is a corrupt row.
pub fn clocks_of(id: i64, json: Option<&str>) -> AppResult<Option<Clocks>> {
    let Some(json) = json else { return Ok(None) };
    let s: StoredClocks =
        serde_json::from_str(json).map_err(|e| corrupt(&format!("ticket {id}'s clocks"), &e))?;
    Ok(Some(Clocks {
        opened: at(s.opened),
        target: Target {
            respond: s.respond,
            resolve: s.resolve,
            round_the_clock: s.round_the_clock,
        },
        respond_by: at(s.respond_by),
        resolve_by: at(s.resolve_by),
        respond_warn_at: at(s.respond_warn_at),
        resolve_warn_at: at(s.resolve_warn_at),
        first_response_at: s.first_response_at.map(at),
        resolved_at: s.resolved_at.map(at),
        paused_since: s.paused_since.map(at),
        respond_paused: s.respond_paused,
        resolve_paused: s.resolve_paused,
        response_seconds: s.response_seconds,
        resolution_seconds: s.resolution_seconds,
    }))
}

fn stored(c: &Clocks) -> String {
    let s = StoredClocks {
        opened: c.opened.unix(),
        respond: c.target.respond,
        resolve: c.target.resolve,
        round_the_clock: c.target.round_the_clock,
        respond_by: c.respond_by.unix(),
        resolve_by: c.resolve_by.unix(),
        respond_warn_at: c.respond_warn_at.unix(),
        resolve_warn_at: c.resolve_warn_at.unix(),
        first_response_at: c.first_response_at.map(Timestamp::unix),
        resolved_at: c.resolved_at.map(Timestamp::unix),
        paused_since: c.paused_since.map(Timestamp::unix),
        respond_paused: c.respond_paused,
        resolve_paused: c.resolve_paused,
        response_seconds: c.response_seconds,
        resolution_seconds: c.resolution_seconds,
    };
    serde_json::to_string(&s).unwrap_or_default()
}

/// A ticket whose warning or breach notice may be due.
#[derive(Clone, Debug, Deserialize)]
pub struct SlaDueRow {
    pub ticket_id: i64,
    pub provider_id: i64,
    pub sla: String,
    /// JSON array of `clock:level` already sent.
    pub sent: String,
}

/// One ticket with clocks, for the report.
#[derive(Clone, Debug, Deserialize)]
pub struct SlaReportRow {
    pub org_id: i64,
    pub organization: String,
    pub created_at: i64,
    pub sla: String,
    pub id: i64,
}

impl Db {
    /// The provider's (`provider`, or `org`'s) zone and business calendar (the default office
    /// week when none is set), and the targets of `org`'s plan (none without an organisation or
    /// a plan).
    pub async fn sla_terms(&self, provider: Option<i64>, org: Option<i64>) -> AppResult<SlaTerms> {
        let row: Option<TermsRow> = self
            .first(
                "SELECT p.time_zone, c.week, c.holidays, \
                   (SELECT pl.sla FROM organisations o JOIN plans pl ON pl.id = o.plan_id \
                     WHERE o.id = ?2 AND o.provider_id = p.id) AS sla \
                 FROM providers p LEFT JOIN business_calendars c ON c.provider_id = p.id \
                 WHERE p.id = COALESCE(?1, (SELECT provider_id FROM organisations WHERE id = ?2))",
                &[opt(provider), opt(org)],
            )
            .await?;
        let what = || format!("provider {provider:?} (organisation {org:?})'s service levels");
        let row = row.ok_or_else(|| corrupt(&what(), &"no provider"))?;
        let hours = match &row.week {
            None => Hours::office(),
            Some(week) => {
                let days: Vec<Vec<(u16, u16)>> =
                    serde_json::from_str(week).map_err(|e| corrupt(&what(), &e))?;
                let mut out: [Vec<Window>; 7] = Default::default();
                for (slot, day) in out.iter_mut().zip(days) {
                    *slot = day
                        .into_iter()
                        .map(|(start, end)| Window { start, end })
                        .collect();
                }
                Hours {
                    week: out,
                    holidays: Vec::new(),
                }
            }
        };
        let stored: Vec<StoredHoliday> = match &row.holidays {
            None => Vec::new(),
            Some(h) => serde_json::from_str(h).map_err(|e| corrupt(&what(), &e))?,
        };
        let mut hours = hours;
        let mut names = Vec::new();
        for h in stored {
            let date = Date::parse(&h.date).ok_or_else(|| corrupt(&what(), &h.date))?;
            hours.holidays.push(Holiday {
                date,
                yearly: h.yearly,
            });
            names.push(h.name);
        }
        let targets = match row.sla.as_deref() {
            None => Vec::new(),
            Some(s) => serde_json::from_str(s).map_err(|e| corrupt(&what(), &e))?,
        };
        Ok(SlaTerms {
            zone: row.time_zone,
            hours,
            names,
            targets,
            always: Hours::always(),
        })
    }

    pub fn save_calendar(
        &self,
        provider: i64,
        hours: &Hours,
        names: &[String],
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        let week: Vec<Vec<(u16, u16)>> = hours
            .week
            .iter()
            .map(|d| d.iter().map(|w| (w.start, w.end)).collect())
            .collect();
        let holidays: Vec<StoredHoliday> = hours
            .holidays
            .iter()
            .enumerate()
            .map(|(i, h)| StoredHoliday {
                date: h.date.to_string(),
                yearly: h.yearly,
                name: names.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        self.statement(
            "INSERT INTO business_calendars (provider_id, week, holidays, updated_at) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (provider_id) DO UPDATE SET \
             week = excluded.week, holidays = excluded.holidays, updated_at = excluded.updated_at",
            &[
                int(provider),
                text(&serde_json::to_string(&week).unwrap_or_default()),
                text(&serde_json::to_string(&holidays).unwrap_or_default()),
                int(now),
            ],
        )
    }

    /// Stores a ticket's clocks and whether staff wait for the client. `sla_due` is the running
    /// clock's deadline; `first_response_at` is kept as its own column for reports and queues.
    pub fn set_clocks(
        &self,
        ticket: i64,
        clocks: Option<&Clocks>,
        awaiting_since: Option<i64>,
    ) -> AppResult<D1PreparedStatement> {
        let json = clocks.map(stored);
        self.statement(
            "UPDATE tickets SET sla = ?2, sla_due = ?3, first_response_at = ?4, \
             awaiting_client_since = ?5 WHERE id = ?1",
            &[
                int(ticket),
                json.as_deref().map_or(wasm_bindgen::JsValue::NULL, text),
                opt(clocks
                    .and_then(|c| c.next_deadline())
                    .map(|(_, t)| t.unix())),
                opt(clocks
                    .and_then(|c| c.first_response_at)
                    .map(Timestamp::unix)),
                opt(awaiting_since),
            ],
        )
    }

    /// Tickets with a running clock whose 75 % mark has passed and a notice not yet sent.
    pub async fn sla_due(&self, now: i64) -> AppResult<Vec<SlaDueRow>> {
        self.all(
            "SELECT t.id AS ticket_id, t.provider_id, t.sla, \
               (SELECT json_group_array(n.clock || ':' || n.level) FROM sla_notices n \
                 WHERE n.ticket_id = t.id) AS sent \
             FROM tickets t WHERE t.sla_due IS NOT NULL \
             AND ((t.first_response_at IS NULL AND json_extract(t.sla, '$.respond_warn_at') <= ?1) \
               OR json_extract(t.sla, '$.resolve_warn_at') <= ?1) \
             AND (SELECT count(*) FROM sla_notices n WHERE n.ticket_id = t.id) < 4 \
             ORDER BY t.sla_due LIMIT 500",
            &[int(now)],
        )
        .await
    }

    /// Records that a notice was sent: a second one for the same clock and level aborts its
    /// batch (the primary key), so a notice goes once even if two jobs overlap.
    pub fn sla_notice(
        &self,
        ticket: i64,
        clock: &str,
        level: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO sla_notices (ticket_id, clock, level, at) VALUES (?1, ?2, ?3, ?4)",
            &[int(ticket), text(clock), text(level), int(now)],
        )
    }

    /// The tickets with clocks opened in `[from, to)`, by organisation.
    pub async fn sla_report(
        &self,
        provider: i64,
        (from, to): (i64, i64),
    ) -> AppResult<Vec<SlaReportRow>> {
        self.all(
            "SELECT t.org_id, o.name AS organization, t.created_at, t.sla, t.id \
             FROM tickets t JOIN organisations o ON o.id = t.org_id \
             WHERE t.provider_id = ?1 AND t.sla IS NOT NULL \
             AND t.created_at >= ?2 AND t.created_at < ?3 ORDER BY o.name, t.created_at",
            &[int(provider), int(from), int(to)],
        )
        .await
    }
}
