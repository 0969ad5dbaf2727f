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

use pointdesk_api::desk::RecordApprovalRequest;
use pointdesk_api::problem::FieldError;

use super::change::{change, flow_statements, Change, Needs};
use super::clocks::clock_statement;
use super::load::{load_row, request, Loaded};
use super::open::{about, tell, Ticket};
use crate::db::{Db, Event, Recipients};
use crate::error::{AppError, AppResult};
use crate::http::{body_of, Call, Session};
use crate::mail::{Channel, DeskNotice, TicketNotice, WhatChanged};

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

/// `cancelRequest`: provider staff, or the client admin who no longer wants it (before any
/// work was logged). Work logged on an approved quote is charged: its time under the plan's
/// rounding, at most the quote; the rest of the hold is released.
pub async fn cancel(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let client = who.actor.role.is_client();
    let action = if client {
        Action::ApproveQuote
    } else {
        Action::Resolve
    };
    let needs = Needs {
        account: true,
        ..Needs::default()
    };
    let actor = UserId::new(who.user.id);
    change(call, who, id, action, needs, &[], 200, |l, ctx| {
        let r = request(l)?;
        if client && r.has_work() {
            return Err(DomainError::Locked("work_logged").into());
        }
        let account = ctx.account()?;
        let plan = ctx.plan.as_ref();
        let spent = r.cancellation_charge(plan)?;
        let (next, decision) = r.cancel(account, plan, Some(actor))?;
        let mut c = Change::of(l, Flow::Request(next));
        c.ledger = decision.map(|d| (account.clone(), d));
        let detail = match spent.filter(|s| s.points.is_positive()) {
            Some(s) => json!({
                "status": "cancelled",
                "minutes": s.logged_minutes,
                "points": s.points.hundredths(),
            }),
            None => json!({ "status": "cancelled" }),
        };
        Ok(c.event("status", detail)
            .mail(TicketNotice::Changed(WhatChanged::Cancelled)))
    })
    .await
}

/// `recordApproval`: a manager records that a client admin approved the open quote by phone,
/// mail or in person. The money moves as by `approveQuote`; the client admin hears of it and
/// may dispute it within the dispute window.
pub async fn record_approval(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let (quote, ticket) = quote_ticket(call, who).await?;
    let (req, body): (RecordApprovalRequest, _) = body_of(call).await?;
    let approval = req.check(call.now.unix())?;
    let db = call.db()?;
    let approver = match db.person(who.provider(), approval.approver_id).await? {
        Some(p) if p.role == "client_admin" && p.active == 1 => p,
        _ => {
            return Err(AppError::Fields(vec![FieldError::new(
                "approver_id",
                "unknown",
            )]))
        }
    };
    let needs = Needs {
        account: true,
        ..Needs::default()
    };
    let origin = call.origin();
    let at = Timestamp::from_unix(approval.approved_at);
    change(
        call,
        who,
        ticket,
        Action::RecordApproval,
        needs,
        &body,
        200,
        |l, ctx| {
            if approver.org_id != Some(l.row.org_id) {
                return Err(AppError::Fields(vec![FieldError::new(
                    "approver_id",
                    "unknown",
                )]));
            }
            let r = request(l)?;
            let Some(open) = r.open_quote().filter(|q| q.id.get() == quote) else {
                return Err(not_open(l, quote, "approve"));
            };
            let points = open.points;
            let account = ctx.account()?;
            let (next, decision) = r.approve(QuoteId::new(quote), account, at)?;
            let mut c = Change::of(l, Flow::Request(next));
            c.ledger = Some((account.clone(), decision));
            let db = call.db()?;
            let what = Recorded {
                quote,
                points,
                approval: &approval,
                approver: (approver.id, &approver.name),
            };
            c.extra.extend(recorded(&db, who, l, &what, ctx, &origin)?);
            Ok(c.event(
                "approval_recorded",
                json!({
                    "quote_id": quote,
                    "points": points.hundredths(),
                    "status": approval.channel,
                    "text": approval.note,
                    "person_id": approver.id,
                    "person_name": approver.name,
                }),
            )
            .mail(TicketNotice::Changed(WhatChanged::QuoteApproved)))
        },
    )
    .await
}

/// An approval recorded for `quote`.
struct Recorded<'a> {
    quote: i64,
    points: pointdesk_domain::points::Points,
    approval: &'a pointdesk_api::desk::NewRecordedApproval,
    approver: (i64, &'a str),
}

/// What a recorded approval writes besides the decision: its row, the audit log (money moved
/// in a client admin's name) and the notice to that admin.
fn recorded(
    db: &Db,
    who: &Session,
    l: &Loaded,
    r: &Recorded<'_>,
    ctx: &super::change::Ctx,
    origin: &str,
) -> AppResult<Vec<worker::D1PreparedStatement>> {
    let now = ctx.now.unix();
    let mut out = vec![db.record_approval(
        r.quote,
        l.row.id,
        l.row.org_id,
        r.approval,
        who.user.id,
        now,
    )?];
    let after = serde_json::json!({
        "quote_id": r.quote,
        "points": r.points.to_string(),
        "approver_id": r.approver.0,
        "approved_at": r.approval.approved_at,
        "channel": r.approval.channel,
        "note": r.approval.note,
    })
    .to_string();
    out.push(db.insert_audit(&who.audit(
        "quote.record_approval",
        &format!("quote:{}", r.quote),
        Some(l.row.org_id),
        (None, Some(&after)),
        now,
    ))?);
    let shown = r.points.to_string();
    out.extend(tell(
        db,
        who,
        &Ticket::of(l),
        DeskNotice::ApprovalRecorded(Channel::of(r.approval.channel)),
        Recipients::Person(r.approver.0),
        &about(l, who, "", &shown, ctx.window),
        &format!("{origin}/tickets/{}", l.row.id),
        now,
    )?);
    Ok(out)
}

/// `disputeRecordedApproval`: the client admin in whose name an approval was recorded says
/// they did not give it (within the dispute window); the managers hear of it and decide what
/// becomes of the work (cancelling releases the hold, or charges what was done).
pub async fn dispute_recorded_approval(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let (quote, ticket) = quote_ticket(call, who).await?;
    let (req, body): (DisputeRequest, _) = body_of(call).await?;
    let reason = wire::reason(&req.reason)?;
    let db = call.db()?;
    let recorded = db
        .recorded_approval(quote)
        .await?
        .filter(|r| r.approver_id == who.user.id)
        .ok_or(AppError::NotFound)?;
    let origin = call.origin();
    change(
        call,
        who,
        ticket,
        Action::Dispute,
        Needs::default(),
        &body,
        200,
        |l, ctx| {
            if recorded.disputed_at.is_some() {
                return Err(DomainError::IllegalTransition {
                    entity: "recorded approval",
                    action: "dispute",
                    state: "disputed",
                }
                .into());
            }
            let until = recorded.recorded_at + i64::from(ctx.window) * 86_400;
            if ctx.now.unix() >= until {
                return Err(DomainError::DisputeWindowClosed {
                    closed_on_day: ctx.window,
                }
                .into());
            }
            let mut c = Change::of(l, l.flow.clone());
            c.keep_version = true;
            let db = call.db()?;
            c.extra
                .push(db.dispute_recorded_approval(quote, &reason, ctx.now.unix())?);
            let link = format!("{origin}/tickets/{}", l.row.id);
            c.extra.extend(tell(
                &db,
                who,
                &Ticket::of(l),
                DeskNotice::ApprovalDisputed,
                Recipients::Managers,
                &about(l, who, &reason, "", 0),
                &link,
                ctx.now.unix(),
            )?);
            Ok(c.event(
                "approval_disputed",
                json!({ "quote_id": quote, "text": reason }),
            ))
        },
    )
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
        statements.extend(clock_statement(db, &l, &c.flow, false, c.clock, now).await?);
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
