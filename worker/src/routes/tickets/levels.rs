//! The engineer's service-level controls: `changeTicketPriority` (deadlines recomputed from the
//! opening) and `setAwaitingClient` (the clocks stand while the client is asked).

use pointdesk_api::accounts::Fields;
use pointdesk_api::sla::{AwaitingClientRequest, PriorityRequest};
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::{self, Priority};
use pointdesk_domain::DomainError;
use serde_json::json;
use worker::Response;

use super::change::{change, Change, Needs};
use crate::error::AppResult;
use crate::http::{body_of, Call, Session};
use crate::mail::{TicketNotice, WhatChanged};

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
