//! Service levels: the business calendar (`getBusinessCalendar`, `updateBusinessCalendar`),
//! the report (`getSlaReport`), and the job that warns at 75 % of a target and at a breach.

use std::collections::HashMap;

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::sla::{
    calendar_dto, median_minutes, BusinessCalendarRequest, SlaReportDto, SlaReportRowDto,
};
use pointdesk_domain::policy::Action;
use pointdesk_domain::sla::{Clocks, Standing, Which};
use pointdesk_domain::time::{Period, Timestamp};
use serde_json::json;
use worker::Response;

use crate::db::{clocks_of, Db, Event, PeopleNotice, Recipients, SlaTerms};
use crate::error::AppResult;
use crate::http::{csv_locale, json, months, read_json, wants_csv, Call, Csv, Months, Session};
use crate::mail::{desk_notice, About, DeskNotice};

/// `getBusinessCalendar`: provider staff.
pub async fn calendar(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::WorkQueue)?;
    let terms = call.db()?.sla_terms(Some(who.provider()), None).await?;
    answer(&terms, call.now)
}

fn answer(terms: &SlaTerms, now: Timestamp) -> AppResult<Response> {
    let open = terms.with_calendar(false, |cal| cal.is_open(now));
    json(&calendar_dto(&terms.hours, &terms.names, &terms.zone, open))
}

/// `updateBusinessCalendar` (managers, audit-logged). Deadlines already set keep what was
/// decided with the calendar of their day.
pub async fn set_calendar(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageClients)?;
    let req: BusinessCalendarRequest = read_json(&mut call.req).await?;
    let (hours, names) = req.check()?;
    let db = call.db()?;
    let now = call.now.unix();
    let after = serde_json::to_string(&req).unwrap_or_default();
    db.batch(vec![
        db.save_calendar(who.provider(), &hours, &names, now)?,
        db.insert_audit(&who.audit(
            "business_calendar.update",
            "business_calendar",
            None,
            (None, Some(&after)),
            now,
        ))?,
    ])
    .await?;
    let terms = db.sla_terms(Some(who.provider()), None).await?;
    answer(&terms, call.now)
}

/// `getSlaReport`: per client and month opened.
pub async fn report(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ViewReports)?;
    let csv = wants_csv(call)?;
    let locale = csv_locale(call, who)?;
    let Months {
        from,
        to,
        between,
        offset,
    } = months(call, who)?;
    let rows = call.db()?.sla_report(who.provider(), between).await?;
    let now = call.now;
    // (org, month) → the row and the times behind its medians.
    let mut groups: Vec<(SlaReportRowDto, Vec<i64>, Vec<i64>)> = Vec::new();
    let mut index: HashMap<(i64, String), usize> = HashMap::new();
    for r in rows {
        let Some(c) = clocks_of(r.id, Some(&r.sla))? else {
            continue;
        };
        let month = Period::containing(Timestamp::from_unix(r.created_at), offset).to_string();
        let i = *index.entry((r.org_id, month.clone())).or_insert_with(|| {
            groups.push((blank_row(r.org_id, &r.organization, &month), vec![], vec![]));
            groups.len() - 1
        });
        let (row, responses, resolutions) = &mut groups[i];
        count(row, &c, now);
        responses.extend(c.response_seconds);
        resolutions.extend(c.resolution_seconds);
    }
    let rows: Vec<SlaReportRowDto> = groups
        .into_iter()
        .map(|(mut row, responses, resolutions)| {
            row.median_response_minutes = median_minutes(responses);
            row.median_resolution_minutes = median_minutes(resolutions);
            row
        })
        .collect();
    if csv {
        return csv_report(&locale, &rows, from, to);
    }
    json(&SlaReportDto {
        from: from.to_string(),
        to: to.to_string(),
        rows,
    })
}

fn blank_row(org: i64, name: &str, month: &str) -> SlaReportRowDto {
    SlaReportRowDto {
        organization: OrgRefDto {
            id: org,
            name: name.to_owned(),
        },
        month: month.to_owned(),
        tickets: 0,
        respond_met: 0,
        respond_breached: 0,
        resolve_met: 0,
        resolve_breached: 0,
        median_response_minutes: None,
        median_resolution_minutes: None,
    }
}

/// A ticket counts as met or breached per clock once it is decided (a running clock past its
/// deadline is already breached).
fn count(row: &mut SlaReportRowDto, c: &Clocks, now: Timestamp) {
    row.tickets += 1;
    match c.standing(Which::Respond, now) {
        Standing::Met => row.respond_met += 1,
        Standing::Breached => row.respond_breached += 1,
        Standing::Running => {}
    }
    match c.standing(Which::Resolve, now) {
        Standing::Met => row.resolve_met += 1,
        Standing::Breached => row.resolve_breached += 1,
        Standing::Running => {}
    }
}

fn csv_report(
    locale: &str,
    rows: &[SlaReportRowDto],
    from: Period,
    to: Period,
) -> AppResult<Response> {
    let mut csv = Csv::new(
        locale,
        &[
            ("month", "Месяц"),
            ("organization", "Клиент"),
            ("tickets", "Заявок"),
            ("first_response_met", "Ответ в срок"),
            ("first_response_breached", "Ответ с опозданием"),
            ("resolution_met", "Решение в срок"),
            ("resolution_breached", "Решение с опозданием"),
            (
                "median_first_response_business_minutes",
                "Медиана ответа, рабочих минут",
            ),
            (
                "median_resolution_business_minutes",
                "Медиана решения, рабочих минут",
            ),
        ],
    );
    let opt = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    for r in rows {
        csv.row(&[
            (&r.month, false),
            (&r.organization.name, true),
            (&r.tickets.to_string(), false),
            (&r.respond_met.to_string(), false),
            (&r.respond_breached.to_string(), false),
            (&r.resolve_met.to_string(), false),
            (&r.resolve_breached.to_string(), false),
            (&opt(r.median_response_minutes), false),
            (&opt(r.median_resolution_minutes), false),
        ]);
    }
    csv.into_response("sla", &format!("{from}-{to}"))
}

/// What the warnings job did.
#[derive(Debug, Default)]
pub struct SlaJobs {
    pub warnings: usize,
    pub breaches: usize,
    pub failures: usize,
}

/// The job: for every running clock at 75 % or past its deadline, one notice each, sent only
/// in working time unless the target runs round the clock.
pub async fn sla_jobs(db: &Db, now: Timestamp, origin: &str) -> AppResult<SlaJobs> {
    let mut done = SlaJobs::default();
    let mut open: HashMap<i64, bool> = HashMap::new();
    for row in db.sla_due(now.unix()).await? {
        let Some(c) = clocks_of(row.ticket_id, Some(&row.sla))? else {
            continue;
        };
        if !c.target.round_the_clock {
            let is_open = match open.get(&row.provider_id) {
                Some(o) => *o,
                None => {
                    let terms = db.sla_terms(Some(row.provider_id), None).await?;
                    let o = terms.with_calendar(false, |cal| cal.is_open(now));
                    open.insert(row.provider_id, o);
                    o
                }
            };
            if !is_open {
                continue;
            }
        }
        let sent: Vec<String> = serde_json::from_str(&row.sent).unwrap_or_default();
        for which in [Which::Respond, Which::Resolve] {
            let was = |level: &str| sent.contains(&format!("{}:{level}", which.as_str()));
            let Some(breach) = c.notice_due(which, (was("warning"), was("breach")), now) else {
                continue;
            };
            match notify(
                db,
                row.ticket_id,
                row.provider_id,
                which,
                breach,
                now,
                origin,
            )
            .await
            {
                Ok(()) if breach => done.breaches += 1,
                Ok(()) => done.warnings += 1,
                Err(e) => {
                    done.failures += 1;
                    worker::console_error!("sla: ticket {}: {e:?}", row.ticket_id);
                }
            }
        }
    }
    Ok(done)
}

/// One warning or breach notice: the assignee (the engineers on duty when nobody has it), and
/// for a breach the managers too; recorded once on the ticket's internal timeline.
async fn notify(
    db: &Db,
    ticket: i64,
    provider: i64,
    which: Which,
    breach: bool,
    now: Timestamp,
    origin: &str,
) -> AppResult<()> {
    let Some(t) = db.ticket_by_id(ticket).await? else {
        return Ok(());
    };
    let at = now.unix();
    let link = format!("{origin}/tickets/{}", t.id);
    let notice = DeskNotice::Sla {
        clock: which,
        breach,
    };
    let words = desk_notice(
        notice,
        &About {
            no: t.number,
            title: &t.title,
            org: &t.org_name,
            by: "",
            reason: "",
            points: "",
            days: 0,
        },
        &link,
    );
    let data = json!({ "ticket": t.number, "title": t.title, "clock": which.as_str() }).to_string();
    let level = if breach { "breach" } else { "warning" };
    let mut audiences = vec![match t.assignee_id {
        Some(a) => (Recipients::Person(a), None),
        None => (
            Recipients::OnDuty {
                org: t.org_id,
                managers: breach,
            },
            None,
        ),
    }];
    if breach {
        if let Some(a) = t.assignee_id {
            audiences.push((Recipients::Managers, Some(a)));
        }
    }
    let mut statements = vec![db.sla_notice(t.id, which.as_str(), level, at)?];
    for (to, except) in audiences {
        statements.extend(db.people_notice(
            &PeopleNotice {
                provider,
                to,
                except,
                kind: words.kind,
                org: Some(t.org_id),
                ticket: Some(t.id),
                data: &data,
                subject: (&words.ru.subject, &words.en.subject),
                body: (&words.ru.body, &words.en.body),
                link: &link,
            },
            at,
        )?);
    }
    statements.push(db.event(
        &Event {
            ticket_id: t.id,
            actor_id: None,
            kind: if breach { "sla_breach" } else { "sla_warning" },
            internal: true,
            detail: json!({ "clock": which.as_str() }).to_string(),
            entry_key: None,
        },
        at,
    )?);
    db.batch(statements).await?;
    Ok(())
}
