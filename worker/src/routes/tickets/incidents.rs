//! Incidents' money: the cause (a client-caused one is charged), disputes and their decision.

use pointdesk_api::tickets::{self as wire, *};
use pointdesk_domain::ids::{DisputeId, UserId};
use pointdesk_domain::incident::Cause;
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::Flow;
use serde_json::json;
use worker::Response;

use super::change::{change, Change, Needs};
use super::load::incident;
use super::open::{about, tell, Ticket};
use crate::db::Recipients;
use crate::error::AppResult;
use crate::http::{body_of, Call, Session};
use crate::mail::{DeskNotice, TicketNotice, WhatChanged};

/// `setIncidentCause`.
pub async fn set_cause(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (CauseRequest, _) = body_of(call).await?;
    let (cause, explanation) = <(Cause, String)>::try_from(req)?;
    let actor = UserId::new(who.user.id);
    let needs = Needs {
        account: true,
        ..Needs::default()
    };
    change(
        call,
        who,
        id,
        Action::Classify,
        needs,
        &body,
        200,
        |l, ctx| {
            let i = incident(l)?;
            let account = ctx.account()?;
            let (next, decision) = i.classify(cause, ctx.plan()?, account, Some(actor), ctx.now)?;
            let charged = decision.is_some();
            let mut c = Change::of(l, Flow::Incident(next));
            c.cause_note = explanation.clone();
            c.ledger = decision.map(|d| (account.clone(), d));
            let c = c.event(
                "cause",
                json!({ "status": wire::cause_str(cause), "text": explanation }),
            );
            Ok(if charged {
                c.mail(TicketNotice::Charged)
            } else {
                c.mail(TicketNotice::Changed(WhatChanged::CauseStandard))
            })
        },
    )
    .await
}

/// `disputeCharge`.
pub async fn dispute(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (DisputeRequest, _) = body_of(call).await?;
    let reason = wire::reason(&req.reason)?;
    let needs = Needs {
        dispute_id: true,
        ..Needs::default()
    };
    let origin = call.origin();
    let db = call.db()?;
    change(
        call,
        who,
        id,
        Action::Dispute,
        needs,
        &body,
        201,
        |l, ctx| {
            let i = incident(l)?;
            let next = i.open_dispute(DisputeId::new(ctx.next_id), &reason, ctx.now, ctx.window)?;
            let mut c = Change::of(l, Flow::Incident(next));
            // The managers decide disputes: they hear of a new one at once.
            let points = i
                .charge
                .as_ref()
                .map(|c| c.points.to_string())
                .unwrap_or_default();
            c.extra.extend(tell(
                &db,
                who,
                &Ticket::of(l),
                DeskNotice::DisputeOpened,
                Recipients::Managers,
                &about(l, who, &reason, &points, 0),
                &format!("{origin}/tickets/{}", l.row.id),
                ctx.now.unix(),
            )?);
            Ok(c.event("dispute_opened", json!({ "text": reason }))
                .mail(TicketNotice::Changed(WhatChanged::Disputed)))
        },
    )
    .await
}

/// `decideDispute`.
pub async fn decide_dispute(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (DisputeDecisionRequest, _) = body_of(call).await?;
    let reason = wire::reason(&req.reason)?;
    let actor = UserId::new(who.user.id);
    let needs = Needs {
        account: true,
        traces: true,
        ..Needs::default()
    };
    change(
        call,
        who,
        id,
        Action::DecideDispute,
        needs,
        &body,
        200,
        |l, ctx| {
            let i = incident(l)?;
            let account = ctx.account()?;
            let (next, decision) =
                i.decide_dispute(req.upheld, &reason, account, &ctx.traces, Some(actor))?;
            let mut c = Change::of(l, Flow::Incident(next));
            c.ledger = decision.map(|d| (account.clone(), d));
            Ok(c.event(
                "dispute_decided",
                json!({ "status": if req.upheld { "upheld" } else { "rejected" }, "text": reason }),
            )
            .mail(TicketNotice::DisputeDecided))
        },
    )
    .await
}
