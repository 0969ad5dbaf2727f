//! The one path every ticket change takes: load → the domain decides → one D1 batch → decide
//! again when another request won the race.

use pointdesk_api::ledger::ChargeExplanationDto;
use pointdesk_api::tickets::{self as wire};
use pointdesk_domain::incident::{Dispute, Incident};
use pointdesk_domain::ledger::{Account, Decision, EntryKind, Trace};
use pointdesk_domain::plan::Plan;
use pointdesk_domain::policy::Action;
use pointdesk_domain::service_request::{QuoteStatus, ServiceRequest};
use pointdesk_domain::ticket::Flow;
use pointdesk_domain::time::{Period, Timestamp};
use pointdesk_domain::DomainError;
use worker::{D1PreparedStatement, Response};

use super::idem::{Begun, Idem};
use super::*;
use crate::db::{Db, Event, IdTable, TicketMail, TicketState};
use crate::error::{AppError, AppResult};
use crate::routes::{read_json, Call, Session};

// ---- changing tickets ----------------------------------------------------------------------

/// What the domain decided about one ticket.
pub(super) struct Change {
    pub(super) flow: Flow,
    pub(super) assignee: Option<i64>,
    pub(super) cause_note: String,
    /// The account it was decided on and the ledger decision.
    pub(super) ledger: Option<(Account, Decision)>,
    pub(super) events: Vec<(String, bool, serde_json::Value)>,
    pub(super) mails: Vec<Notice>,
    /// Statements of their own (comments, followers).
    pub(super) extra: Vec<D1PreparedStatement>,
    /// Keep the version as it is (a comment or a follower changes no decision).
    pub(super) keep_version: bool,
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
        }
    }
    pub(super) fn event(mut self, kind: &str, detail: serde_json::Value) -> Change {
        self.events.push((kind.to_owned(), false, detail));
        self
    }
    pub(super) fn mail(mut self, n: Notice) -> Change {
        self.mails.push(n);
        self
    }
}

/// Mail a change sends.
#[derive(Clone, Copy)]
pub(super) enum Notice {
    /// A quote waits for the client admin.
    QuoteAwaiting,
    /// A followed ticket changed (`what` in both languages).
    Changed(&'static str, &'static str),
    /// A client-caused incident was charged.
    Charged,
    DisputeDecided,
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
    pub(super) books: Option<crate::db::Books>,
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

/// Did the batch fail because another request changed the same state first (so a fresh
/// decision may differ), or because the idempotency key was claimed meanwhile?
pub(crate) enum Lost {
    Race,
    KeyTaken,
}

pub(crate) fn lost(e: &AppError) -> Option<Lost> {
    let AppError::Internal(m) = e else {
        return None;
    };
    if m.contains("idempotent_requests") {
        Some(Lost::KeyTaken)
    } else if m.contains("stale ") || m.contains("UNIQUE constraint failed") {
        Some(Lost::Race)
    } else {
        None
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

pub(super) fn notice_mail<'a>(
    n: Notice,
    l: &Loaded,
    who: &Session,
    link: &'a str,
    texts: &'a mut Vec<String>,
) -> (&'static str, bool) {
    let no = l.row.number;
    let title = &l.row.title;
    let (kind, admins, ru_s, en_s, ru_b, en_b) = match n {
        Notice::QuoteAwaiting => (
            "quote_awaiting",
            true,
            format!("Pointdesk: смета по заявке #{no} ждёт решения"),
            format!("Pointdesk: a quote for #{no} awaits your approval"),
            format!("По заявке #{no} «{title}» готова смета. Одобрите или отклоните её:"),
            format!("Request #{no} \"{title}\" has a quote. Approve or decline it:"),
        ),
        Notice::Changed(ru, en) => (
            "ticket_changed",
            false,
            format!("Pointdesk: #{no} — {ru}"),
            format!("Pointdesk: #{no} — {en}"),
            format!("Заявка #{no} «{title}»: {ru} ({}).", who.user.name),
            format!("Ticket #{no} \"{title}\": {en} ({}).", who.user.name),
        ),
        Notice::Charged => (
            "charge_made",
            true,
            format!("Pointdesk: списание по инциденту #{no}"),
            format!("Pointdesk: incident #{no} was charged"),
            format!("Инцидент #{no} «{title}» вызван действиями на вашей стороне; время работы списано с баланса. Подробности и оспаривание:"),
            format!("Incident #{no} \"{title}\" was client caused; its logged time was charged. Details and disputes:"),
        ),
        Notice::DisputeDecided => (
            "dispute_decided",
            true,
            format!("Pointdesk: решение по спору #{no}"),
            format!("Pointdesk: your dispute of #{no} was decided"),
            format!("По спору о списании за #{no} «{title}» принято решение:"),
            format!("The dispute of the charge for #{no} \"{title}\" was decided:"),
        ),
    };
    texts.extend([
        ru_s,
        en_s,
        format!("{ru_b}\n\n{link}"),
        format!("{en_b}\n\n{link}"),
    ]);
    (kind, admins)
}

/// The outbox rows of one notice about `l`: one per follower (and client admin, when the notice
/// is theirs), in each one's language; never to the person who acted.
pub(super) fn mail(
    db: &Db,
    n: Notice,
    l: &Loaded,
    who: &Session,
    link: &str,
    points: Option<pointdesk_domain::points::Points>,
    at: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    let mut texts = Vec::new();
    let (kind, admins) = notice_mail(n, l, who, link, &mut texts);
    let m = TicketMail {
        provider_id: who.provider(),
        ticket_id: l.row.id,
        except: who.user.id,
        client_admins: admins,
        kind,
        subject: (&texts[0], &texts[1]),
        body: (&texts[2], &texts[3]),
        link,
    };
    let (what_ru, what_en) = match n {
        Notice::Changed(ru, en) => (Some(ru), Some(en)),
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
    let db = Db::new(call.env)?;
    let idem = match Idem::begin(call, who, &db, body).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let (zone, window) = db.provider_terms(who.provider()).await?;
    let now = call.now;
    let offset = crate::zone::offset_minutes(&zone, now).unwrap_or(0);
    let origin = crate::mail::origin(call);
    let link = format!("{}/tickets/{id}", crate::mail::origin(call));
    for attempt in 0..ATTEMPTS {
        // Lost a race: a twin request with the same key may be the one that won.
        if attempt > 0 {
            if let Some(answer) = idem.replay(who, &db).await? {
                return respond(answer);
            }
        }
        let l = load(&db, who, id, action).await?;
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
            let plan_row = match org.plan_id {
                Some(p) => db.plan(who.provider(), p).await?,
                None => None,
            };
            ctx.plan = plan_row.as_ref().and_then(|p| {
                pointdesk_api::organizations::parse_plan(crate::routes::clients::plan_dto(p)).ok()
            });
            let overdraft = ctx
                .plan
                .as_ref()
                .map_or(pointdesk_domain::plan::Overdraft::Never, |p| p.overdraft);
            if needs.traces {
                ctx.traces = db.charges(l.row.org_id, &references(&l)).await?;
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
        let c = decide(&l, &ctx)?;
        let at = now.unix();
        let mut statements = flow_statements(&db, &l, &c, Some(who.user.id), at)?;
        if let Some((account, decision)) = &c.ledger {
            let books = crate::db::Books {
                account: account.clone(),
                ..ctx
                    .books
                    .clone()
                    .ok_or_else(|| AppError::Internal("the account was not loaded".into()))?
            };
            statements.extend(crate::routes::ledger::record(
                &db, &books, decision, now, &origin,
            )?);
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
            statements.extend(mail(&db, *n, &l, who, &link, moved, at)?);
        }
        statements.extend(c.extra);
        statements.extend(idem.claim(who, &db, at)?);
        match db.batch(statements).await {
            Ok(_) => {
                let answer = answer(&db, who, id, status).await?;
                return idem.finish(who, &db, answer).await;
            }
            Err(e) => match lost(&e) {
                Some(Lost::KeyTaken) => {
                    if let Some(answer) = idem.replay(who, &db).await? {
                        return respond(answer);
                    }
                }
                Some(Lost::Race) => {}
                None => return Err(e),
            },
        }
    }
    Err(AppError::Internal(format!(
        "ticket {id}: still contended after {ATTEMPTS} attempts"
    )))
}

pub(crate) async fn body_of<T: serde::de::DeserializeOwned>(
    call: &mut Call<'_>,
) -> AppResult<(T, Vec<u8>)> {
    let value: serde_json::Value = read_json(&mut call.req).await?;
    let bytes = serde_json::to_vec(&value).map_err(|e| AppError::Internal(e.to_string()))?;
    let parsed = crate::routes::parse_json(&bytes)?;
    Ok((parsed, bytes))
}

pub(super) fn incident(l: &Loaded) -> AppResult<&Incident> {
    match &l.flow {
        Flow::Incident(i) => Ok(i),
        Flow::Request(_) => Err(DomainError::IllegalTransition {
            entity: "service request",
            action: "do this to",
            state: "not an incident",
        }
        .into()),
    }
}

pub(super) fn request(l: &Loaded) -> AppResult<&ServiceRequest> {
    match &l.flow {
        Flow::Request(r) => Ok(r),
        Flow::Incident(_) => Err(DomainError::IllegalTransition {
            entity: "incident",
            action: "do this to",
            state: "not a service request",
        }
        .into()),
    }
}
