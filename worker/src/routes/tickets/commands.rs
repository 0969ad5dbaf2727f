//! The operations that change a ticket, and the scheduled lapse of quotes.

use pointdesk_api::accounts::Fields;
use pointdesk_api::problem::FieldError;
use pointdesk_api::tickets::{
    self as wire, AssignRequest, CauseRequest, CommentRequest, CreateTicketRequest,
    DisputeDecisionRequest, DisputeRequest, NewQuote, NewTicket, NewWork, QuoteRequest,
    StatusRequest, WorkRequest,
};
use pointdesk_domain::ids::{DisputeId, QuoteId, UserId};
use pointdesk_domain::incident::Cause;
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::Flow;
use pointdesk_domain::time::Timestamp;
use pointdesk_domain::worklog::WorkEntry;
use pointdesk_domain::DomainError;
use serde_json::json;
use worker::Response;

use super::change::*;
use super::*;
use crate::db::{Db, Event, NewTicketRow};
use crate::error::{AppError, AppResult};
use crate::routes::{read_json, Call, Session};

/// `createTicket`.
pub async fn create(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let req: CreateTicketRequest = read_json(&mut call.req).await?;
    let t = NewTicket::try_from(req)?;
    let org = match (who.actor.role.is_client(), who.org(), t.org_id) {
        (true, Some(own), None) => own,
        (true, Some(own), Some(asked)) if asked == own => own,
        (true, _, Some(_)) => return Err(AppError::NotFound),
        (false, _, Some(org)) => org,
        _ => {
            return Err(AppError::Fields(vec![FieldError::new(
                "org_id", "required",
            )]))
        }
    };
    who.may(Action::OpenTicket, Some(org))?;
    let db = Db::new(call.env)?;
    if db.organization(who.provider(), org).await?.is_none() {
        return Err(AppError::Fields(vec![FieldError::new("org_id", "unknown")]));
    }
    let catalogue = match t.catalogue_id {
        Some(c) => match db.catalogue_item(who.provider(), c).await? {
            Some(item) if item.active == 1 => Some(item),
            _ => {
                return Err(AppError::Fields(vec![FieldError::new(
                    "catalogue_id",
                    "unknown",
                )]))
            }
        },
        None => None,
    };
    let now = call.now.unix();
    for _ in 0..ATTEMPTS {
        let (id, number) = db.next_ticket(who.provider()).await?;
        let statements = vec![
            db.insert_ticket(
                &NewTicketRow {
                    id,
                    provider_id: who.provider(),
                    org_id: org,
                    number,
                    kind: t.kind.as_str(),
                    catalogue: catalogue.as_ref().map(|c| (c.id, c.kind.as_str())),
                    title: &t.title,
                    description: &t.description,
                    priority: t.priority.as_str(),
                    requester_id: who.user.id,
                    status: "new",
                },
                now,
            )?,
            db.follow(id, who.user.id)?,
            db.event(
                &Event {
                    ticket_id: id,
                    actor_id: Some(who.user.id),
                    kind: "opened",
                    internal: false,
                    detail: json!({ "status": "new" }).to_string(),
                    entry_key: None,
                },
                now,
            )?,
        ];
        match db.batch(statements).await {
            Ok(_) => return respond(answer(&db, who, id, 201).await?),
            Err(e) if matches!(lost(&e), Some(Lost::Race)) => {}
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Internal("could not number the ticket".into()))
}

/// `addComment`.
pub async fn comment(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let req: CommentRequest = read_json(&mut call.req).await?;
    let mut f = Fields::default();
    let body = f.take(
        "body",
        pointdesk_domain::ticket::text(&req.body, 1, pointdesk_domain::ticket::COMMENT_MAX, true),
    );
    let body = f.finish(|| body)?;
    let db = Db::new(call.env)?;
    let l = load(&db, who, id, Action::Comment).await?;
    if req.internal {
        who.may(Action::CommentInternal, Some(l.row.org_id))?;
    }
    let now = call.now.unix();
    let mut statements = vec![
        db.touch_ticket(id, now)?,
        db.insert_comment(id, who.user.id, &body, req.internal, now)?,
        db.comment_event(id, who.user.id, req.internal, now)?,
    ];
    if !req.internal {
        let link = format!("{}/tickets/{id}", crate::mail::origin(call));
        statements.extend(mail(
            &db,
            Notice::Changed("новый комментарий", "a new comment"),
            &l,
            who,
            &link,
            None,
            now,
        )?);
    }
    db.batch(statements).await?;
    respond(answer(&db, who, id, 201).await?)
}

/// `followTicket` / `unfollowTicket`.
pub async fn follow(call: &Call<'_>, who: &Session, on: bool) -> AppResult<Response> {
    let id = call.id()?;
    let db = Db::new(call.env)?;
    load(&db, who, id, Action::ViewTickets).await?;
    db.batch(vec![if on {
        db.follow(id, who.user.id)?
    } else {
        db.unfollow(id, who.user.id)?
    }])
    .await?;
    respond(answer(&db, who, id, 200).await?)
}

/// `logWork`.
pub async fn log_work(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (WorkRequest, _) = body_of(call).await?;
    let w = NewWork::try_from(req)?;
    let engineer = UserId::new(who.user.id);
    change(
        call,
        who,
        id,
        Action::LogWork,
        Needs::default(),
        &body,
        201,
        |l, ctx| {
            let today = ctx.now.date(ctx.offset);
            let on = w.on.unwrap_or(today);
            let opened = Timestamp::from_unix(l.row.created_at).date(ctx.offset);
            pointdesk_domain::worklog::check_day(on, opened, today)?;
            let entry = WorkEntry {
                engineer,
                minutes: w.minutes,
                note: w.note.clone(),
                on,
            };
            let flow = match &l.flow {
                Flow::Incident(i) => Flow::Incident(i.log_work(entry.clone())?),
                Flow::Request(r) => Flow::Request(r.log_work(entry.clone())?),
            };
            Ok(Change::of(l, flow).event(
                "work",
                json!({ "minutes": entry.minutes, "text": entry.note }),
            ))
        },
    )
    .await
}

/// `assignTicket`: engineers take tickets or hand them to another engineer or a manager.
pub async fn assign(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (AssignRequest, _) = body_of(call).await?;
    let db = Db::new(call.env)?;
    let assignee = match req.assignee_id {
        Some(a) => {
            if !db.is_staff(who.provider(), a).await? {
                return Err(AppError::Fields(vec![FieldError::new(
                    "assignee_id",
                    "unknown",
                )]));
            }
            let p = db
                .person(who.provider(), a)
                .await?
                .ok_or(AppError::NotFound)?;
            Some((a, p.name))
        }
        None => None,
    };
    change(
        call,
        who,
        id,
        Action::WorkQueue,
        Needs::default(),
        &body,
        200,
        |l, _| {
            let mut c = Change::of(l, l.flow.clone());
            c.assignee = assignee.as_ref().map(|a| a.0);
            if let Some((a, _)) = &assignee {
                c.extra.push(db.follow(id, *a)?);
            }
            Ok(c.event(
                "assigned",
                match &assignee {
                    Some((a, name)) => json!({ "person_id": a, "person_name": name }),
                    None => json!({}),
                },
            ))
        },
    )
    .await
}

/// `changeTicketStatus`.
pub async fn change_status(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (StatusRequest, _) = body_of(call).await?;
    let me = who.user.id;
    change(
        call,
        who,
        id,
        Action::Resolve,
        Needs::default(),
        &body,
        200,
        |l, _| {
            let flow = l.flow.change_status(&req.status)?;
            let mut c = Change::of(l, flow);
            // Whoever starts an unassigned ticket takes it.
            if req.status == "in_progress" && c.assignee.is_none() {
                c.assignee = Some(me);
            }
            let (ru, en) = match req.status.as_str() {
                "resolved" => ("решена", "resolved"),
                "closed" => ("закрыта", "closed"),
                _ => ("в работе", "in progress"),
            };
            Ok(c.event("status", json!({ "status": req.status }))
                .mail(Notice::Changed(ru, en)))
        },
    )
    .await
}

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
                c.mail(Notice::Charged)
            } else {
                c.mail(Notice::Changed(
                    "причина — штатная, без списания",
                    "cause: standard, nothing charged",
                ))
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
            Ok(Change::of(l, Flow::Incident(next))
                .event("dispute_opened", json!({ "text": reason }))
                .mail(Notice::Changed(
                    "списание оспорено",
                    "the charge was disputed",
                )))
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
            .mail(Notice::DisputeDecided))
        },
    )
    .await
}

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
            .mail(Notice::QuoteAwaiting))
    })
    .await
}

/// The quote's ticket, for the quote operations (another tenant's quote is a 404).
async fn quote_ticket(call: &Call<'_>, who: &Session) -> AppResult<(i64, i64)> {
    let quote = call.id()?;
    let db = Db::new(call.env)?;
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
            .mail(Notice::Changed("смета одобрена", "the quote was approved")))
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
                .mail(Notice::Changed("смета отклонена", "the quote was declined")))
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
            .mail(Notice::Changed("выполнена", "completed")))
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
            .mail(Notice::Changed("отменена", "cancelled")))
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
