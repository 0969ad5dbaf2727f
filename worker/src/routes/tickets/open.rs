//! Opening a ticket, by a client person for themselves or by staff for a caller, and telling
//! the people who must act: the engineers on duty for the client (the managers too when it is
//! urgent) and, with what happens next, the requester.

use pointdesk_api::problem::FieldError;
use pointdesk_api::tickets::*;
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::{Kind, Priority};
use serde_json::json;
use worker::{D1PreparedStatement, Response};

use super::clocks::opening;
use super::load::{answer, Loaded};
use pointdesk_domain::time::Timestamp;

use crate::db::{
    decide_and_write, Belongs, Db, Event, NewAttachment, NewTicketRow, PeopleNotice, Recipients,
};
use crate::error::{AppError, AppResult};
use crate::http::{read_json, respond, Call, Session};
use crate::mail::{desk_notice, About, DeskNotice, NextStep};

/// `createTicket`.
pub async fn create(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let req: CreateTicketRequest = read_json(&mut call.req).await?;
    let t = NewTicket::try_from(req)?;
    let db = call.db()?;
    let id = open(&db, who, &t, call.now, &call.origin(), &[]).await?;
    respond(answer(&db, who, id, 201, call.now).await?)
}

/// Opens a ticket for `who` (from the app or from a mail), with the files that came with it
/// (already in R2) recorded in the same batch; its id.
pub async fn open(
    db: &Db,
    who: &Session,
    t: &NewTicket,
    at: Timestamp,
    origin: &str,
    files: &[NewAttachment<'_>],
) -> AppResult<i64> {
    let org = org_of(who, t)?;
    who.may(Action::OpenTicket, Some(org))?;
    let Some(org_row) = db.organization(who.provider(), org).await? else {
        return Err(AppError::Fields(vec![FieldError::new("org_id", "unknown")]));
    };
    let requester = requester(db, who, org, t.requester_id).await?;
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
    let next = match (t.kind, catalogue.as_ref().map(|c| c.kind.as_str())) {
        (Kind::Incident, _) => NextStep::Incident,
        (_, Some("quoted")) => NextStep::Quoted,
        _ => NextStep::Standard,
    };
    let terms = db.sla_terms(Some(who.provider()), Some(org)).await?;
    let clocks = opening(&terms, t.priority, at)?;
    let now = at.unix();
    let opened_by = (requester.0 != who.user.id).then_some(who.user.id);
    let id = decide_and_write("numbering a ticket", async |_| {
        let (id, number) = db.next_ticket(who.provider()).await?;
        let mut statements = vec![
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
                    requester_id: requester.0,
                    opened_by,
                    status: "new",
                },
                now,
            )?,
            db.set_clocks(id, clocks.as_ref(), None)?,
            db.follow(id, requester.0)?,
            db.follow(id, who.user.id)?,
            db.event(
                &Event {
                    ticket_id: id,
                    actor_id: Some(who.user.id),
                    kind: "opened",
                    internal: false,
                    detail: json!({
                        "status": "new",
                        "person_id": opened_by.map(|_| requester.0),
                        "person_name": opened_by.map(|_| requester.1.as_str()),
                    })
                    .to_string(),
                    entry_key: None,
                },
                now,
            )?,
        ];
        let opened = Opened {
            ticket: Ticket { id, number, org },
            title: &t.title,
            org_name: &org_row.name,
            urgent: t.priority == Priority::Urgent,
            requester: requester.0,
            next,
        };
        for f in files {
            statements.push(db.insert_attachment(
                &NewAttachment {
                    ticket_id: id,
                    ..*f
                },
                Belongs::Ticket,
                now,
            )?);
        }
        statements.extend(announce(db, who, &opened, origin, now)?);
        db.batch(statements).await?;
        Ok(id)
    })
    .await?;
    Ok(id)
}

/// The organisation a ticket is for: a client person's own; staff name it.
fn org_of(who: &Session, t: &NewTicket) -> AppResult<i64> {
    match (who.actor.role.is_client(), who.org(), t.org_id) {
        (true, Some(own), None) => Ok(own),
        (true, Some(own), Some(asked)) if asked == own => Ok(own),
        (true, _, Some(_)) => Err(AppError::NotFound),
        (false, _, Some(org)) => Ok(org),
        _ => Err(AppError::Fields(vec![FieldError::new(
            "org_id", "required",
        )])),
    }
}

/// A ticket just opened, as its notices need it.
struct Opened<'a> {
    ticket: Ticket,
    title: &'a str,
    org_name: &'a str,
    urgent: bool,
    requester: i64,
    next: NextStep,
}

/// The notices of a new ticket: the engineers on duty (and the managers when it is urgent)
/// are told it arrived; the requester gets the acknowledgement with what happens next, even
/// when they opened it themselves.
fn announce(
    db: &Db,
    who: &Session,
    o: &Opened<'_>,
    origin: &str,
    now: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    let link = format!("{origin}/tickets/{}", o.ticket.id);
    let about = About {
        no: o.ticket.number,
        title: o.title,
        org: o.org_name,
        by: &who.user.name,
        reason: "",
        points: "",
        days: 0,
    };
    let mut out = tell(
        db,
        who,
        &o.ticket,
        DeskNotice::Opened { urgent: o.urgent },
        Recipients::OnDuty {
            org: o.ticket.org,
            managers: o.urgent,
        },
        &about,
        &link,
        now,
    )?;
    out.extend(tell(
        db,
        who,
        &o.ticket,
        DeskNotice::Received(o.next),
        Recipients::Person(o.requester),
        &about,
        &link,
        now,
    )?);
    Ok(out)
}

/// Who asked: a client person for themselves; staff name the client person who called (an
/// active person of the ticket's organisation), or are the requester themselves.
async fn requester(
    db: &Db,
    who: &Session,
    org: i64,
    asked: Option<i64>,
) -> AppResult<(i64, String)> {
    let Some(asked) = asked.filter(|a| *a != who.user.id) else {
        return Ok((who.user.id, who.user.name.clone()));
    };
    if who.actor.role.is_client() {
        return Err(AppError::Fields(vec![FieldError::new(
            "requester_id",
            "not_allowed",
        )]));
    }
    match db.person(who.provider(), asked).await? {
        Some(p) if p.org_id == Some(org) && p.active == 1 => Ok((p.id, p.name)),
        _ => Err(AppError::Fields(vec![FieldError::new(
            "requester_id",
            "unknown",
        )])),
    }
}

/// The ticket a notice is about.
pub(super) struct Ticket {
    pub(super) id: i64,
    pub(super) number: i64,
    pub(super) org: i64,
}

impl Ticket {
    pub(super) fn of(l: &Loaded) -> Ticket {
        Ticket {
            id: l.row.id,
            number: l.row.number,
            org: l.row.org_id,
        }
    }
}

/// What a notice about the loaded ticket `l` says, `who` having acted.
pub(super) fn about<'a>(
    l: &'a Loaded,
    who: &'a Session,
    reason: &'a str,
    points: &'a str,
    days: u32,
) -> About<'a> {
    About {
        no: l.row.number,
        title: &l.row.title,
        org: &l.row.org_name,
        by: &who.user.name,
        reason,
        points,
        days,
    }
}

/// The notification rows and mail of desk notice `n` about `ticket` to `to` (never to the
/// person who acted, unless the notice is their own acknowledgement).
#[allow(clippy::too_many_arguments)]
pub(super) fn tell(
    db: &Db,
    who: &Session,
    ticket: &Ticket,
    n: DeskNotice,
    to: Recipients,
    about: &About<'_>,
    link: &str,
    now: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    let words = desk_notice(n, about, link);
    let data = json!({
        "ticket": ticket.number,
        "title": about.title,
        "points": (!about.points.is_empty()).then_some(about.points),
        "what_ru": (!about.reason.is_empty()).then_some(about.reason),
        "what_en": (!about.reason.is_empty()).then_some(about.reason),
    })
    .to_string();
    let except = match n {
        DeskNotice::Received(_) => None,
        _ => Some(who.user.id),
    };
    db.people_notice(
        &PeopleNotice {
            provider: who.provider(),
            to,
            except,
            kind: words.kind,
            org: Some(ticket.org),
            ticket: Some(ticket.id),
            data: &data,
            subject: (&words.ru.subject, &words.en.subject),
            body: (&words.ru.body, &words.en.body),
            link,
        },
        now,
    )
}
