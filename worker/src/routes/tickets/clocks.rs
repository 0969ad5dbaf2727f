//! A ticket's service-level clocks follow its changes: the first answer, waiting for the client,
//! the fix, a reopening, a priority change (`changeTicketPriority`) and staff saying they wait
//! for the client (`setAwaitingClient`).

use pointdesk_api::accounts::Fields;
use pointdesk_api::sla::{AwaitingClientRequest, PriorityRequest};
use pointdesk_domain::policy::Action;
use pointdesk_domain::sla::{Clocks, Moment};
use pointdesk_domain::ticket::{self, Flow, Priority};
use pointdesk_domain::time::Timestamp;
use pointdesk_domain::DomainError;
use serde_json::json;
use worker::{D1PreparedStatement, Response};

use super::change::{change, Change, Needs};
use super::load::Loaded;
use crate::db::{clocks_of, Db, SlaTerms};
use crate::error::AppResult;
use crate::http::{body_of, Call, Session};
use crate::mail::{TicketNotice, WhatChanged};

/// What a change does that the clocks care about, besides the flow.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ClockMove {
    /// Staff answered the client (a public comment, a status change).
    pub(super) responded: bool,
    /// Staff now wait for the client since then (`Some(None)`: no longer).
    pub(super) awaiting: Option<Option<i64>>,
    /// The priority changed to this.
    pub(super) retarget: Option<Priority>,
}

/// The clocks of a ticket opened now, if its plan has a target for its priority.
pub(super) fn opening(terms: &SlaTerms, p: Priority, now: Timestamp) -> AppResult<Option<Clocks>> {
    let Some(target) = terms.target(p) else {
        return Ok(None);
    };
    let clocks =
        terms.with_calendar(target.round_the_clock, |cal| Clocks::open(now, target, cal))?;
    Ok(Some(clocks))
}

/// The statement that stores what `after` (and `m`) does to `l`'s clocks, when it does
/// anything; the calendar is read only then.
pub(super) async fn clock_statement(
    db: &Db,
    l: &Loaded,
    after: &Flow,
    staff: bool,
    m: ClockMove,
    now: Timestamp,
) -> AppResult<Option<D1PreparedStatement>> {
    let stored = clocks_of(l.row.id, l.row.sla.as_deref())?;
    let was = l.row.awaiting_client_since;
    let done = after.is_done();
    let awaiting = if done {
        None
    } else {
        m.awaiting.unwrap_or(was)
    };
    let before = Moment {
        waiting: l.flow.awaits_client() || was.is_some(),
        done: l.flow.is_done(),
    };
    let moment = Moment {
        waiting: after.awaits_client() || awaiting.is_some(),
        done,
    };
    // Only staff answer: a client confirming or reopening is not the desk's response.
    let responded = staff && (m.responded || after.status() != l.flow.status());
    let first = stored.is_some_and(|c| c.first_response_at.is_none());
    let moves = before != moment || m.retarget.is_some() || awaiting != was || (responded && first);
    if !moves {
        return Ok(None);
    }
    if stored.is_none() && m.retarget.is_none() {
        return (awaiting != was)
            .then(|| db.set_clocks(l.row.id, None, awaiting))
            .transpose();
    }
    let terms = db.sla_terms(None, Some(l.row.org_id)).await?;
    let mut clocks = match stored {
        Some(c) => Some(terms.with_calendar(c.target.round_the_clock, |cal| {
            c.step(before, moment, responded, now, cal)
        })?),
        None => None,
    };
    if let Some(p) = m.retarget {
        clocks = match (terms.target(p), clocks) {
            (None, _) => None,
            (Some(t), Some(c)) => {
                Some(terms.with_calendar(t.round_the_clock, |cal| c.retarget(t, cal))?)
            }
            // A ticket with no clocks gets them from its opening.
            (Some(t), None) => terms.with_calendar(t.round_the_clock, |cal| {
                let c = Clocks::open(Timestamp::from_unix(l.row.created_at), t, cal)?;
                Ok::<_, DomainError>(Some(c.step(Moment::default(), moment, false, now, cal)?))
            })?,
        };
    }
    Ok(Some(db.set_clocks(l.row.id, clocks.as_ref(), awaiting)?))
}

/// `changeTicketPriority`: the deadlines are recomputed from the opening.
pub async fn change_priority(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (PriorityRequest, _) = body_of(call).await?;
    let mut f = Fields::default();
    let priority = f.take("priority", Priority::parse(&req.priority));
    let priority = f.finish(|| priority)?;
    change(
        call,
        who,
        id,
        Action::WorkQueue,
        Needs::default(),
        &body,
        200,
        |l, _| {
            let from = Priority::parse(&l.row.priority).unwrap_or(Priority::Normal);
            if from == priority {
                return Err(DomainError::Field {
                    field: "priority",
                    code: "unchanged",
                }
                .into());
            }
            if l.flow.is_done() {
                return Err(DomainError::IllegalTransition {
                    entity: "ticket",
                    action: "change the priority of",
                    state: l.flow.status(),
                }
                .into());
            }
            let mut c = Change::of(l, l.flow.clone());
            c.clock.retarget = Some(priority);
            c.extra
                .push(call.db()?.set_priority(l.row.id, priority.as_str())?);
            Ok(c.event(
                "priority",
                json!({ "from": from.as_str(), "status": priority.as_str() }),
            )
            .mail(TicketNotice::Changed(WhatChanged::Priority)))
        },
    )
    .await
}

/// `setAwaitingClient`: staff wait for the client's answer (the clocks stand), or no longer.
pub async fn set_awaiting(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (AwaitingClientRequest, _) = body_of(call).await?;
    let mut f = Fields::default();
    let note = f.take("note", ticket::text(&req.note, 0, ticket::NOTE_MAX, true));
    let note = f.finish(|| note)?;
    let now = call.now.unix();
    change(
        call,
        who,
        id,
        Action::WorkQueue,
        Needs::default(),
        &body,
        200,
        |l, _| {
            if l.flow.is_done() || req.awaiting == l.row.awaiting_client_since.is_some() {
                return Err(DomainError::Field {
                    field: "awaiting",
                    code: "unchanged",
                }
                .into());
            }
            let mut c = Change::of(l, l.flow.clone());
            c.keep_version = true;
            c.clock.awaiting = Some(req.awaiting.then_some(now));
            c.clock.responded = req.awaiting;
            let c = c.event(
                "awaiting_client",
                json!({
                "status": if req.awaiting { "awaiting" } else { "answered" },
                "text": (!note.is_empty()).then_some(note.as_str()),
            }),
            );
            Ok(if req.awaiting {
                c.mail(TicketNotice::Changed(WhatChanged::AwaitingClient))
            } else {
                c
            })
        },
    )
    .await
}
