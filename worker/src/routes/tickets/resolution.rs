//! Setting a ticket right and the client's word on a fix: `reclassifyTicket`,
//! `confirmResolution`, `reopenTicket`, and the hourly job that closes resolved incidents nobody
//! confirmed (with a mail the day before).

use pointdesk_api::desk::{NewClass, ReclassifyRequest, ReopenRequest};
use pointdesk_api::tickets as wire;
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::{Class, Flow};
use pointdesk_domain::time::Timestamp;
use serde_json::json;
use worker::Response;

use super::change::{change, flow_statements, Change, Needs};
use super::load::load_row;
use crate::db::{Db, Event, PeopleNotice, Recipients};
use crate::error::{AppError, AppResult};
use crate::http::{body_of, Call, Session};
use crate::mail::{desk_notice, About, DeskNotice, TicketNotice, WhatChanged};

/// `reclassifyTicket`: an incident that is really a request (or back), a standard request that
/// needs a quote (or back); the reason is on the timeline for the client.
pub async fn reclassify(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (ReclassifyRequest, _) = body_of(call).await?;
    let NewClass { to, reason } = NewClass::try_from(req)?;
    change(
        call,
        who,
        id,
        Action::Classify,
        Needs::default(),
        &body,
        200,
        |l, _| {
            let from = l.flow.class();
            let flow = l.flow.reclassify(to)?;
            let mut c = Change::of(l, flow);
            let db_kind = match to {
                Class::Incident => ("incident", None),
                Class::Standard => ("service_request", Some("standard")),
                Class::Quoted => ("service_request", Some("quoted")),
            };
            c.extra.push(
                call.db()?
                    .reclassify_ticket(l.row.id, db_kind.0, db_kind.1)?,
            );
            if to == Class::Incident {
                c.extra.push(call.db()?.withdraw_open_quotes(l.row.id)?);
            }
            Ok(c.event(
                "reclassified",
                json!({ "from": from.as_str(), "status": to.as_str(), "text": reason }),
            )
            .mail(TicketNotice::Changed(WhatChanged::Reclassified)))
        },
    )
    .await
}

/// `confirmResolution`: the requester or a client admin says the fix is good; it closes.
pub async fn confirm(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    resolution(call, who, id, None, &[]).await
}

/// `reopenTicket`: the requester or a client admin says it is not fixed, and what is wrong.
pub async fn reopen(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (ReopenRequest, _) = body_of(call).await?;
    let reason = wire::reason(&req.reason)?;
    resolution(call, who, id, Some(reason), &body).await
}

/// The client's word on a resolved incident: `reopen` with a reason, or a confirmation.
async fn resolution(
    call: &mut Call<'_>,
    who: &Session,
    id: i64,
    reopen: Option<String>,
    body: &[u8],
) -> AppResult<Response> {
    let me = who.user.id;
    let admin = who.actor.role == pointdesk_domain::policy::Role::ClientAdmin;
    change(
        call,
        who,
        id,
        Action::ConfirmResolution,
        Needs::default(),
        body,
        200,
        |l, _| {
            if l.row.requester_id != me && !admin {
                return Err(AppError::Forbidden);
            }
            Ok(match &reopen {
                None => Change::of(l, l.flow.confirm()?)
                    .event("confirmed", json!({}))
                    .mail(TicketNotice::Changed(WhatChanged::Confirmed)),
                Some(reason) => {
                    let i = match &l.flow {
                        Flow::Incident(i) if l.flow.awaits_confirmation() => i,
                        // Says why: not resolved (or not an incident).
                        _ => {
                            return Err(l
                                .flow
                                .confirm()
                                .err()
                                .map_or(AppError::NotFound, Into::into))
                        }
                    };
                    Change::of(l, Flow::Incident(i.reopen()?))
                        .event("reopened", json!({ "text": reason }))
                        .mail(TicketNotice::Changed(WhatChanged::NotFixed))
                }
            })
        },
    )
    .await
}

/// The scheduled job: a resolved incident nobody confirmed gets a "closes tomorrow" mail a day
/// before its provider's auto-close, and closes at it. Returns (warned, closed).
pub async fn auto_close(db: &Db, now: Timestamp, origin: &str) -> AppResult<(usize, usize)> {
    let (mut warned, mut closed) = (0, 0);
    for due in db.resolved_due(now.unix(), 100).await? {
        let Some(row) = db.ticket_by_id(due.ticket_id).await? else {
            continue;
        };
        let l = load_row(db, row).await?;
        let at = now.unix();
        let close = due.close == 1;
        let statements = if close {
            let Ok(flow) = l.flow.confirm() else {
                continue;
            };
            let c = Change::of(&l, flow);
            let mut s = flow_statements(db, &l, &c, None, at)?;
            s.push(db.event(
                &Event {
                    ticket_id: l.row.id,
                    actor_id: None,
                    kind: "auto_closed",
                    internal: false,
                    detail: json!({ "days": due.days }).to_string(),
                    entry_key: None,
                },
                at,
            )?);
            s
        } else {
            let link = format!("{origin}/tickets/{}", l.row.id);
            let words = desk_notice(
                DeskNotice::ClosingSoon,
                &About {
                    no: l.row.number,
                    title: &l.row.title,
                    org: &l.row.org_name,
                    by: "",
                    reason: "",
                    points: "",
                    days: 1,
                },
                &link,
            );
            let data = json!({ "ticket": l.row.number, "title": l.row.title }).to_string();
            let mut s = vec![db.close_warned(l.row.id, l.row.version, at)?];
            s.extend(db.people_notice(
                &PeopleNotice {
                    provider: due.provider_id,
                    to: Recipients::Person(l.row.requester_id),
                    except: None,
                    kind: words.kind,
                    org: Some(l.row.org_id),
                    ticket: Some(l.row.id),
                    data: &data,
                    subject: (&words.ru.subject, &words.en.subject),
                    body: (&words.ru.body, &words.en.body),
                    link: &link,
                },
                at,
            )?);
            s
        };
        // A ticket changed meanwhile is met again on the next run.
        if db.batch(statements).await.is_ok() {
            if close {
                closed += 1;
            } else {
                warned += 1;
            }
        }
    }
    Ok((warned, closed))
}
