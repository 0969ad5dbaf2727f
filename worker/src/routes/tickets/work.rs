//! Opening tickets and the everyday work on them: comments, followers, logged time, assignment
//! and status.

use pointdesk_api::accounts::Fields;
use pointdesk_api::problem::FieldError;
use pointdesk_api::tickets::*;
use pointdesk_domain::ids::UserId;
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::Flow;
use pointdesk_domain::time::Timestamp;
use pointdesk_domain::worklog::WorkEntry;
use serde_json::json;
use worker::Response;

use super::change::{change, mail, Change, Needs};
use super::clocks::{clock_statement, ClockMove};
use super::load::{answer, load, Loaded};
use crate::db::{Belongs, Db, NewAttachment};
use crate::error::{AppError, AppResult};
use crate::http::{body_of, respond, Call, Session};
use crate::idempotency::{Begun, Idem};
use crate::mail::{TicketNotice, WhatChanged};

/// `addComment`.
pub async fn comment(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, raw): (CommentRequest, _) = body_of(call).await?;
    let mut f = Fields::default();
    let body = f.take(
        "body",
        pointdesk_domain::ticket::text(&req.body, 1, pointdesk_domain::ticket::COMMENT_MAX, true),
    );
    let body = f.finish(|| body)?;
    let db = call.db()?;
    // The offline outbox sends its comments with a key: a replay gets the first answer.
    let idem = match Idem::begin(call, who, &db, &raw).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let c = NewComment {
        ticket: id,
        body: &body,
        internal: req.internal,
        via: "app",
    };
    let claim = idem.claim(who, &db, call.now.unix())?;
    add_comment(&db, who, &c, call.now, &call.origin(), &[], claim).await?;
    let answer = answer(&db, who, id, 201, call.now).await?;
    idem.finish(who, &db, answer).await
}

/// A comment about to be written, from the app or from a mail.
pub struct NewComment<'a> {
    pub ticket: i64,
    pub body: &'a str,
    pub internal: bool,
    /// `app` or `mail`.
    pub via: &'a str,
}

/// Writes a comment with the files that came with it (already in R2), moves the service-level
/// clocks and mails the followers, in one batch.
pub async fn add_comment(
    db: &Db,
    who: &Session,
    c: &NewComment<'_>,
    at: Timestamp,
    origin: &str,
    files: &[NewAttachment<'_>],
    claim: Option<worker::D1PreparedStatement>,
) -> AppResult<()> {
    let id = c.ticket;
    let l = load(db, who, id, Action::Comment).await?;
    if c.internal {
        who.may(Action::CommentInternal, Some(l.row.org_id))?;
    }
    let now = at.unix();
    let mut statements = vec![
        db.touch_ticket(id, now)?,
        db.insert_comment(id, who.user.id, c.body, c.internal, c.via, now)?,
        db.comment_event(id, who.user.id, c.internal, now)?,
    ];
    for f in files {
        statements.push(db.insert_attachment(
            &NewAttachment {
                ticket_id: id,
                internal: c.internal,
                ..*f
            },
            Belongs::NewestComment,
            now,
        )?);
    }
    // A public comment from staff is an answer; one from the client ends a wait for them.
    let client = who.actor.role.is_client();
    let clock = ClockMove {
        responded: !c.internal && !client,
        awaiting: (client && !c.internal).then_some(None),
        retarget: None,
    };
    statements.extend(clock_statement(db, &l, &l.flow, !client, clock, at).await?);
    if !c.internal {
        let link = format!("{origin}/tickets/{id}");
        statements.extend(mail(
            db,
            TicketNotice::Changed(WhatChanged::NewComment),
            &l,
            who,
            &link,
            None,
            now,
        )?);
    }
    statements.extend(claim);
    db.batch(statements).await?;
    Ok(())
}

/// `followTicket` / `unfollowTicket`.
pub async fn follow(call: &Call<'_>, who: &Session, on: bool) -> AppResult<Response> {
    let id = call.id()?;
    let db = call.db()?;
    load(&db, who, id, Action::ViewTickets).await?;
    db.batch(vec![if on {
        db.follow(id, who.user.id)?
    } else {
        db.unfollow(id, who.user.id)?
    }])
    .await?;
    respond(answer(&db, who, id, 200, call.now).await?)
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
            logged(
                l,
                WorkEntry {
                    engineer,
                    minutes: w.minutes,
                    note: w.note.clone(),
                    on,
                },
            )
        },
    )
    .await
}

/// What logging `entry` changes (by hand or by the timer): the domain's step for the ticket's
/// kind, and the timeline's `work` event.
pub(super) fn logged(l: &Loaded, entry: WorkEntry) -> AppResult<Change> {
    let flow = match &l.flow {
        Flow::Incident(i) => Flow::Incident(i.log_work(entry.clone())?),
        Flow::Request(r) => Flow::Request(r.log_work(entry.clone())?),
    };
    Ok(Change::of(l, flow).event(
        "work",
        json!({ "minutes": entry.minutes, "text": entry.note }),
    ))
}

/// `assignTicket`: engineers take tickets or hand them to another engineer or a manager.
pub async fn assign(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (AssignRequest, _) = body_of(call).await?;
    let db = call.db()?;
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
            let what = match req.status.as_str() {
                "resolved" => WhatChanged::Resolved,
                "closed" => WhatChanged::Closed,
                _ => WhatChanged::InProgress,
            };
            Ok(c.event("status", json!({ "status": req.status }))
                .mail(TicketNotice::Changed(what)))
        },
    )
    .await
}
