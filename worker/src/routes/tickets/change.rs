//! The one path every ticket change takes: load → the domain decides → one D1 batch → decide
//! again when another request won the race.

use pointdesk_api::ledger::ChargeExplanationDto;
use pointdesk_api::tickets::{self as wire};
use pointdesk_domain::incident::Dispute;
use pointdesk_domain::ledger::{Account, Decision, EntryKind, Trace};
use pointdesk_domain::plan::{Overdraft, Plan};
use pointdesk_domain::policy::Action;
use pointdesk_domain::service_request::QuoteStatus;
use pointdesk_domain::ticket::Flow;
use pointdesk_domain::time::{Period, Timestamp};
use pointdesk_domain::DomainError;
use worker::{D1PreparedStatement, Response};

use super::clocks::{clock_statement, ClockMove};
use super::load::{answer, load, references, Loaded};
use crate::books::{plan_of, record};
use crate::db::{decide_and_write, Books, Db, Event, IdTable, TicketMail, TicketState};
use crate::error::{AppError, AppResult};
use crate::http::{respond, Call, Session};
use crate::idempotency::{Begun, Idem};
use crate::mail::TicketNotice;
use pointdesk_api::messages::Lang;

/// What the domain decided about one ticket.
pub(super) struct Change {
    pub(super) flow: Flow,
    pub(super) assignee: Option<i64>,
    pub(super) cause_note: String,
    /// The account it was decided on and the ledger decision.
    pub(super) ledger: Option<(Account, Decision)>,
    pub(super) events: Vec<(String, bool, serde_json::Value)>,
    pub(super) mails: Vec<TicketNotice>,
    /// Statements of their own (comments, followers).
    pub(super) extra: Vec<D1PreparedStatement>,
    /// Keep the version as it is (a comment or a follower changes no decision).
    pub(super) keep_version: bool,
    /// What the service-level clocks must know besides the flow.
    pub(super) clock: ClockMove,
}

impl Change {
    pub(super) fn of(l: &Loaded, flow: Flow) -> Change {
        Change {
            flow,
            assignee: l.row.assignee_id,
            cause_note: l.row.cause_note.clone(),
            ledger: None,
            events: Vec::new(),
            mails: Vec::new(),
            extra: Vec::new(),
            keep_version: false,
            clock: ClockMove::default(),
        }
    }
    pub(super) fn event(mut self, kind: &str, detail: serde_json::Value) -> Change {
        self.events.push((kind.to_owned(), false, detail));
        self
    }
    pub(super) fn mail(mut self, n: TicketNotice) -> Change {
        self.mails.push(n);
        self
    }
}

/// What a decision needs besides the ticket.
#[derive(Clone, Copy, Default)]
pub(super) struct Needs {
    pub(super) account: bool,
    pub(super) traces: bool,
    pub(super) quote_id: bool,
    pub(super) dispute_id: bool,
}

pub(super) struct Ctx {
    pub(super) now: Timestamp,
    pub(super) offset: i32,
    pub(super) window: u32,
    pub(super) plan: Option<Plan>,
    pub(super) account: Option<Account>,
    /// The alarm and threshold stored with the account.
    pub(super) books: Option<Books>,
    pub(super) traces: Vec<Trace>,
    pub(super) next_id: i64,
}

impl Ctx {
    pub(super) fn account(&self) -> AppResult<&Account> {
        self.account
            .as_ref()
            .ok_or_else(|| AppError::Internal("the account was not loaded".into()))
    }
    pub(super) fn plan(&self) -> AppResult<&Plan> {
        self.plan
            .as_ref()
            .ok_or(AppError::Domain(DomainError::Invalid(
                "the organisation has no plan",
            )))
    }
}

/// The statements that take the stored ticket `l` to `c` (`actor`: who decided; `None` for the
/// scheduled job).
pub(super) fn flow_statements(
    db: &Db,
    l: &Loaded,
    c: &Change,
    actor: Option<i64>,
    now: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    let mut out = Vec::new();
    let (cause, charge, work, quotes, dispute) = match &c.flow {
        Flow::Incident(i) => (
            i.cause.map(wire::cause_str),
            i.charge.as_ref(),
            &i.work,
            &[][..],
            i.dispute.as_ref(),
        ),
        Flow::Request(r) => (None, None, &r.work, &r.quotes[..], None),
    };
    let detail = charge
        .map(|c| serde_json::to_string(&ChargeExplanationDto::from(&c.time)).unwrap_or_default());
    if !c.keep_version {
        out.push(db.step_ticket(
            l.row.id,
            l.row.version,
            &TicketState {
                status: c.flow.status(),
                assignee_id: c.assignee,
                cause,
                cause_note: &c.cause_note,
                charge: charge.zip(detail.as_deref()).map(|(ch, d)| {
                    (
                        ch.points.hundredths(),
                        ch.at.unix(),
                        i64::try_from(ch.lines).unwrap_or(0),
                        d,
                    )
                }),
            },
            now,
        )?);
    }
    for w in work.iter().skip(l.work.len()) {
        out.push(db.insert_work(
            l.row.id,
            w.engineer.get(),
            w.minutes,
            &w.note,
            &w.on.to_string(),
            now,
        )?);
    }
    let by = || actor.ok_or_else(|| AppError::Internal("a person's step without a person".into()));
    for q in quotes {
        let new = wire::quote_status_str(q.status);
        match l.quotes.iter().find(|o| o.id == q.id.get()) {
            None => out.push(db.insert_quote(
                q.id.get(),
                l.row.id,
                l.row.org_id,
                q.points.hundredths(),
                &q.scope,
                q.expires_at.unix(),
                by()?,
                now,
            )?),
            Some(old) if old.status != new => {
                let decided = matches!(q.status, QuoteStatus::Approved | QuoteStatus::Declined)
                    .then_some(actor)
                    .flatten();
                out.push(db.set_quote_status(q.id.get(), &old.status, new, decided, now)?);
            }
            Some(_) => {}
        }
    }
    match (l.dispute.as_ref(), dispute) {
        (None, Some(Dispute::Open { id, reason, .. })) => {
            out.push(db.insert_dispute(id.get(), l.row.id, l.row.org_id, by()?, reason, now)?)
        }
        (Some(old), Some(Dispute::Upheld { id, reason })) if old.state == "open" => {
            out.push(db.decide_dispute(id.get(), "upheld", by()?, reason, now)?);
        }
        (Some(old), Some(Dispute::Rejected { id, reason })) if old.state == "open" => {
            out.push(db.decide_dispute(id.get(), "rejected", by()?, reason, now)?);
        }
        _ => {}
    }
    Ok(out)
}

/// The outbox rows of one notice about `l`: one per follower (and client admin, when the notice
/// is theirs), in each one's language; never to the person who acted. A quote or a charge asks
/// the client admins to decide; the client users following it read that their administrator
/// may.
pub(super) fn mail(
    db: &Db,
    n: TicketNotice,
    l: &Loaded,
    who: &Session,
    link: &str,
    points: Option<pointdesk_domain::points::Points>,
    at: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    use crate::mail::WhatChanged;
    // A decision of the client admin's: client users read who may take it.
    let for_users = match n {
        TicketNotice::QuoteAwaiting => Some(WhatChanged::QuoteSentToAdmin),
        TicketNotice::Charged => Some(WhatChanged::ChargedAdminMayDispute),
        _ => None,
    };
    match for_users {
        Some(what) => {
            let mut out = audience(db, n, l, who, link, points, at, 1)?;
            let users = TicketNotice::Changed(what);
            out.extend(audience(db, users, l, who, link, points, at, 2)?);
            Ok(out)
        }
        None => audience(db, n, l, who, link, points, at, 0),
    }
}

/// [`mail`] to one audience (`only`: 0 everyone, 1 all but client users, 2 client users).
#[allow(clippy::too_many_arguments)]
fn audience(
    db: &Db,
    n: TicketNotice,
    l: &Loaded,
    who: &Session,
    link: &str,
    points: Option<pointdesk_domain::points::Points>,
    at: i64,
    only: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    let words = crate::mail::ticket_notice(n, l.row.number, &l.row.title, &who.user.name, link);
    let m = TicketMail {
        provider_id: who.provider(),
        ticket_id: l.row.id,
        except: who.user.id,
        client_admins: n.to_client_admins(),
        only,
        kind: words.kind,
        subject: (&words.ru.subject, &words.en.subject),
        body: (&words.ru.body, &words.en.body),
        link,
    };
    let (what_ru, what_en) = match n {
        TicketNotice::Changed(what) => (Some(what.text(Lang::Ru)), Some(what.text(Lang::En))),
        _ => (None, None),
    };
    let data = serde_json::json!({
        "ticket": l.row.number,
        "title": l.row.title,
        "points": points.map(|p| p.to_string()),
        "what_ru": what_ru,
        "what_en": what_en,
    })
    .to_string();
    Ok(vec![
        db.ticket_mail(&m, at)?,
        db.ticket_notification(&m, &data, at)?,
    ])
}

/// Loads, decides with `decide`, writes in one batch; decides again from a fresh load when
/// another request won the race. Answers with the ticket as it is afterwards.
#[allow(clippy::too_many_arguments)]
pub(super) async fn change<F>(
    call: &Call<'_>,
    who: &Session,
    id: i64,
    action: Action,
    needs: Needs,
    body: &[u8],
    status: u16,
    decide: F,
) -> AppResult<Response>
where
    F: Fn(&Loaded, &Ctx) -> AppResult<Change>,
{
    let db = call.db()?;
    let idem = match Idem::begin(call, who, &db, body).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let (zone, window) = db.provider_terms(who.provider()).await?;
    let now = call.now;
    let offset = crate::zone::offset_minutes(&zone, now).unwrap_or(0);
    let origin = call.origin();
    let link = format!("{origin}/tickets/{id}");
    let written = decide_and_write(&format!("ticket {id}"), async |attempt| {
        // Lost a race: a twin request with the same key may be the one that won.
        if attempt > 0 {
            if let Some(answer) = idem.replay(who, &db).await? {
                return Ok(Some(answer));
            }
        }
        let l = load(&db, who, id, action).await?;
        let ctx = context(&db, who, &l, needs, (now, offset, window)).await?;
        let c = decide(&l, &ctx)?;
        let staff = !who.actor.role.is_client();
        let clock = clock_statement(&db, &l, &c.flow, staff, c.clock, now).await?;
        let mut statements = statements(&db, who, &l, c, &ctx, (&origin, &link))?;
        statements.extend(clock);
        statements.extend(idem.claim(who, &db, now.unix())?);
        db.batch(statements).await?;
        Ok(None)
    })
    .await?;
    match written {
        Some(answer) => respond(answer),
        None => {
            let answer = answer(&db, who, id, status, now).await?;
            idem.finish(who, &db, answer).await
        }
    }
}

/// What a decision about `l` is made with: the instant, the provider's zone offset and
/// dispute window, and what `needs` asks for (plan, account, traces, a new id).
async fn context(
    db: &Db,
    who: &Session,
    l: &Loaded,
    needs: Needs,
    (now, offset, window): (Timestamp, i32, u32),
) -> AppResult<Ctx> {
    let mut ctx = Ctx {
        now,
        offset,
        window,
        plan: None,
        account: None,
        books: None,
        traces: Vec::new(),
        next_id: 0,
    };
    if needs.account {
        let org = db
            .organization(who.provider(), l.row.org_id)
            .await?
            .ok_or(AppError::NotFound)?;
        ctx.plan = plan_of(db, who.provider(), &org).await?;
        let overdraft = ctx.plan.as_ref().map_or(Overdraft::Never, |p| p.overdraft);
        if needs.traces {
            ctx.traces = db.charges(l.row.org_id, &references(l)).await?;
        }
        let extra: Vec<i64> = ctx
            .traces
            .iter()
            .flat_map(|t| t.moves.iter().map(|m| m.block.get()))
            .collect();
        let books = db
            .account(
                l.row.org_id,
                overdraft,
                Period::containing(now, offset),
                &extra,
            )
            .await?;
        ctx.account = Some(books.account.clone());
        ctx.books = Some(books);
    }
    if needs.quote_id {
        ctx.next_id = db.next_id(IdTable::Quotes).await?;
    }
    if needs.dispute_id {
        ctx.next_id = db.next_id(IdTable::Disputes).await?;
    }
    Ok(ctx)
}

/// Everything change `c` writes: the ticket's own rows, the ledger decision with its notices,
/// the timeline, and the mail (`origin` and the ticket's `link`).
fn statements(
    db: &Db,
    who: &Session,
    l: &Loaded,
    c: Change,
    ctx: &Ctx,
    (origin, link): (&str, &str),
) -> AppResult<Vec<D1PreparedStatement>> {
    let now = ctx.now;
    let at = now.unix();
    let mut statements = flow_statements(db, l, &c, Some(who.user.id), at)?;
    if let Some((account, decision)) = &c.ledger {
        let books = Books {
            account: account.clone(),
            ..ctx
                .books
                .clone()
                .ok_or_else(|| AppError::Internal("the account was not loaded".into()))?
        };
        statements.extend(record(db, &books, decision, now, origin)?);
        for e in &decision.entries {
            statements.push(db.event(
                &Event {
                    ticket_id: l.row.id,
                    actor_id: e.actor.map(|u| u.get()),
                    kind: "ledger",
                    internal: false,
                    detail: "{}".into(),
                    entry_key: Some(e.key.as_str()),
                },
                at,
            )?);
        }
    }
    for (kind, internal, detail) in &c.events {
        statements.push(db.event(
            &Event {
                ticket_id: l.row.id,
                actor_id: Some(who.user.id),
                kind,
                internal: *internal,
                detail: detail.to_string(),
                entry_key: None,
            },
            at,
        )?);
    }
    // The points a notice is about: what this change charged or refunded.
    let moved = c.ledger.as_ref().and_then(|(_, d)| {
        d.entries
            .iter()
            .find(|e| matches!(e.kind, EntryKind::Charge | EntryKind::Refund))
            .map(|e| e.amount.max(e.amount.neg()))
    });
    for n in &c.mails {
        statements.extend(mail(db, *n, l, who, link, moved, at)?);
    }
    statements.extend(c.extra);
    Ok(statements)
}
