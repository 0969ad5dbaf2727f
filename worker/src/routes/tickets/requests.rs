//! Service requests' quotes: made, approved (points held), declined, lapsed; completion
//! charges what was held and cancelling releases it.

use pointdesk_api::tickets::{self as wire, *};
use pointdesk_domain::ids::{QuoteId, UserId};
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::Flow;
use pointdesk_domain::time::Timestamp;
use pointdesk_domain::DomainError;
use serde_json::json;
use worker::Response;

use super::change::{change, flow_statements, Change, Needs};
use super::load::{load_row, request, Loaded};
use crate::db::{Db, Event};
use crate::error::{AppError, AppResult};
use crate::http::{body_of, Call, Session};
use crate::mail::{TicketNotice, WhatChanged};

/// `createQuote`.
pub async fn create_quote(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (QuoteRequest, _) = body_of(call).await?;
    let q = NewQuote::try_from(req)?;
    let needs = Needs {
        quote_id: true,
        ..Needs::default()
    };
    change(call, who, id, Action::Quote, needs, &body, 201, |l, ctx| {
        let r = request(l)?;
        let expires = ctx.now.plus_days(i64::from(q.valid_days));
        let next = r.quote(QuoteId::new(ctx.next_id), q.points, &q.scope, ctx.now, expires)?;
        Ok(Change::of(l, Flow::Request(next))
            .event(
                "quote",
                json!({ "quote_id": ctx.next_id, "points": q.points.hundredths(), "text": q.scope }),
            )
            .mail(TicketNotice::QuoteAwaiting))
    })
    .await
}

/// The quote's ticket, for the quote operations (another tenant's quote is a 404).
async fn quote_ticket(call: &Call<'_>, who: &Session) -> AppResult<(i64, i64)> {
    let quote = call.id()?;
    let db = call.db()?;
    let ticket = db
        .quote_ticket(who.provider(), quote)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((quote, ticket))
}

/// A quote that is not open any more: say what it is instead.
fn not_open(l: &Loaded, quote: i64, action: &'static str) -> AppError {
    let state = l
        .quotes
        .iter()
        .find(|q| q.id == quote)
        .and_then(|q| wire::parse_quote_status(&q.status))
        .map_or("unknown", wire::quote_status_str);
    DomainError::IllegalTransition {
        entity: "quote",
        action,
        state,
    }
    .into()
}

/// `approveQuote`.
pub async fn approve_quote(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let (quote, ticket) = quote_ticket(call, who).await?;
    let needs = Needs {
        account: true,
        ..Needs::default()
    };
    change(
        call,
        who,
        ticket,
        Action::ApproveQuote,
        needs,
        &[],
        200,
        |l, ctx| {
            let r = request(l)?;
            if r.open_quote().is_none_or(|q| q.id.get() != quote) {
                return Err(not_open(l, quote, "approve"));
            }
            let account = ctx.account()?;
            let (next, decision) = r.approve(QuoteId::new(quote), account, ctx.now)?;
            let points = r.open_quote().map_or(0, |q| q.points.hundredths());
            let mut c = Change::of(l, Flow::Request(next));
            c.ledger = Some((account.clone(), decision));
            Ok(c.event(
                "quote_approved",
                json!({ "quote_id": quote, "points": points }),
            )
            .mail(TicketNotice::Changed(WhatChanged::QuoteApproved)))
        },
    )
    .await
}

/// `declineQuote`.
pub async fn decline_quote(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let (quote, ticket) = quote_ticket(call, who).await?;
    change(
        call,
        who,
        ticket,
        Action::ApproveQuote,
        Needs::default(),
        &[],
        200,
        |l, _| {
            let r = request(l)?;
            if r.open_quote().is_none_or(|q| q.id.get() != quote) {
                return Err(not_open(l, quote, "decline"));
            }
            let next = r.decline(QuoteId::new(quote))?;
            Ok(Change::of(l, Flow::Request(next))
                .event("quote_declined", json!({ "quote_id": quote }))
                .mail(TicketNotice::Changed(WhatChanged::QuoteDeclined)))
        },
    )
    .await
}

/// `completeRequest`.
pub async fn complete(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let actor = UserId::new(who.user.id);
    let needs = Needs {
        account: true,
        ..Needs::default()
    };
    change(call, who, id, Action::Resolve, needs, &[], 200, |l, ctx| {
        let r = request(l)?;
        let account = ctx.account()?;
        let (next, decision) = r.complete(account, Some(actor))?;
        let mut c = Change::of(l, Flow::Request(next));
        c.ledger = decision.map(|d| (account.clone(), d));
        Ok(c.event("status", json!({ "status": "completed" }))
            .mail(TicketNotice::Changed(WhatChanged::Completed)))
    })
    .await
}

/// `cancelRequest`: provider staff, or the client admin who no longer wants it.
pub async fn cancel(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let action = if who.actor.role.is_client() {
        Action::ApproveQuote
    } else {
        Action::Resolve
    };
    let needs = Needs {
        account: true,
        ..Needs::default()
    };
    change(call, who, id, action, needs, &[], 200, |l, ctx| {
        let r = request(l)?;
        let account = ctx.account()?;
        let (next, decision) = r.cancel(account)?;
        let mut c = Change::of(l, Flow::Request(next));
        c.ledger = decision.map(|d| (account.clone(), d));
        Ok(c.event("status", json!({ "status": "cancelled" }))
            .mail(TicketNotice::Changed(WhatChanged::Cancelled)))
    })
    .await
}

/// The scheduled job: open quotes whose time ran out lapse (the domain's `expire`); the request
/// waits for a new quote. Returns how many lapsed.
pub async fn expire_quotes(db: &Db, now: Timestamp) -> AppResult<usize> {
    let mut expired = 0;
    for q in db.lapsed_quotes(now.unix(), 100).await? {
        let Some(row) = db.ticket_by_id(q.ticket_id).await? else {
            continue;
        };
        let l = load_row(db, row).await?;
        let Flow::Request(r) = &l.flow else {
            continue;
        };
        let Ok(next) = r.expire(now) else {
            continue;
        };
        let c = Change::of(&l, Flow::Request(next));
        let mut statements = flow_statements(db, &l, &c, None, now.unix())?;
        statements.push(db.event(
            &Event {
                ticket_id: q.ticket_id,
                actor_id: None,
                kind: "quote_expired",
                internal: false,
                detail: json!({ "quote_id": q.id, "points": q.points }).to_string(),
                entry_key: None,
            },
            now.unix(),
        )?);
        // A request changed meanwhile is met again on the next run.
        if db.batch(statements).await.is_ok() {
            expired += 1;
        }
    }
    Ok(expired)
}
