//! Tickets: incidents and service requests, their work, quotes, causes and disputes.
//!
//! Every change follows one path ([`change`]): load the ticket (and, for money, the account),
//! ask the domain what changes, write it all in one D1 batch whose first statement steps the
//! ticket's version and whose ledger part steps the account's version (triggers abort a batch
//! decided on an older state), and try again from a fresh load when D1 says another request
//! got there first. A business event happens once (its key is `UNIQUE` in `applied_events`),
//! and a request repeated with the same `Idempotency-Key` gets the first answer ([`Idem`]).

use pointdesk_api::accounts::{Fields, OrgRefDto};
use pointdesk_api::ledger::ChargeExplanationDto;
use pointdesk_api::problem::FieldError;
use pointdesk_api::tickets::{
    self as wire, AssignRequest, CatalogueItem, CatalogueItemDto, CatalogueItemRequest,
    CatalogueListDto, CauseRequest, CommentRequest, CreateTicketRequest, DisputeDecisionRequest,
    DisputeDto, DisputeRequest, HoldDto, IncidentChargeDto, NewQuote, NewTicket, NewWork,
    OrgBalanceDto, PersonRefDto, QuoteDto, QuoteRequest, StatusRequest, TicketDto, TicketListDto,
    TicketSummaryDto, TimelineDto, TimelineEntryDto, TimelineEventDto, WorkLineDto, WorkRequest,
};
use pointdesk_api::WirePoints;
use pointdesk_domain::charging::{ChargeRule, TimeCharge};
use pointdesk_domain::ids::{DisputeId, QuoteId, TicketId, UserId};
use pointdesk_domain::incident::{Cause, Dispute, Incident, IncidentCharge, IncidentStatus};
use pointdesk_domain::ledger::{Account, Decision, Trace};
use pointdesk_domain::plan::Plan;
use pointdesk_domain::points::Points;
use pointdesk_domain::policy::Action;
use pointdesk_domain::service_request::{
    Catalogue, Quote, QuoteStatus, RequestStatus, ServiceRequest,
};
use pointdesk_domain::ticket::{Flow, Kind};
use pointdesk_domain::time::{Period, Timestamp};
use pointdesk_domain::worklog::WorkEntry;
use pointdesk_domain::DomainError;
use serde_json::json;
use sha2::{Digest, Sha256};
use worker::{D1PreparedStatement, Response};

use super::{json, read_json, unless_taken, Call, Session};
use crate::db::{
    CatalogueColumns, CatalogueRow, Db, DisputeRow, Event, IdTable, NewTicketRow, QuoteRow,
    TicketFilter, TicketMail, TicketRow, TicketState, TimelineRow, WorkRow,
};
use crate::error::{AppError, AppResult};

/// How often a change is decided again after another request changed the same ticket or
/// account first.
const ATTEMPTS: usize = 12;

fn pts(h: i64) -> Points {
    Points::from_hundredths(h).unwrap_or(Points::ZERO)
}

fn wp(h: i64) -> WirePoints {
    WirePoints(pts(h))
}

fn person(id: i64, name: &str) -> PersonRefDto {
    PersonRefDto {
        id,
        name: name.to_owned(),
    }
}

// ---- the catalogue --------------------------------------------------------------------------

fn catalogue_dto(c: &CatalogueRow) -> CatalogueItemDto {
    CatalogueItemDto {
        id: c.id,
        name: c.name.clone(),
        description: c.description.clone(),
        kind: c.kind.clone(),
        estimate: c.estimate.map(wp),
        active: c.active == 1,
    }
}

/// `listCatalogue`: client people see the active items, staff all of them.
pub async fn list_catalogue(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may(Action::OpenTicket, who.org())?;
    let db = Db::new(call.env)?;
    let items = db
        .catalogue(who.provider(), who.actor.role.is_client())
        .await?
        .iter()
        .map(catalogue_dto)
        .collect();
    json(&CatalogueListDto { items })
}

fn catalogue_columns(item: &CatalogueItem) -> CatalogueColumns<'_> {
    CatalogueColumns {
        name: &item.name,
        description: &item.description,
        kind: if item.quoted { "quoted" } else { "standard" },
        estimate: item.estimate.map(Points::hundredths),
        active: item.active,
    }
}

/// An item as the audit log records it.
fn catalogue_json(item: &CatalogueItem) -> String {
    json!({
        "name": item.name,
        "kind": if item.quoted { "quoted" } else { "standard" },
        "estimate": item.estimate.map(|p| p.to_string()),
        "active": item.active,
    })
    .to_string()
}

/// `createCatalogueItem`.
pub async fn create_catalogue_item(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let req: CatalogueItemRequest = read_json(&mut call.req).await?;
    let item = CatalogueItem::try_from(req)?;
    let db = Db::new(call.env)?;
    let now = call.now.unix();
    let after = catalogue_json(&item);
    unless_taken(
        db.batch(vec![
            db.insert_catalogue_item(who.provider(), &catalogue_columns(&item), now)?,
            db.insert_audit(&who.audit(
                "catalogue.create",
                &item.name,
                None,
                (None, Some(&after)),
                now,
            ))?,
        ])
        .await,
        "name",
    )?;
    let row = db
        .catalogue_by_name(who.provider(), &item.name)
        .await?
        .ok_or_else(|| AppError::Internal("catalogue item vanished".into()))?;
    Ok(json(&catalogue_dto(&row))?.with_status(201))
}

/// `updateCatalogueItem`.
pub async fn update_catalogue_item(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let id = call.id()?;
    let req: CatalogueItemRequest = read_json(&mut call.req).await?;
    let item = CatalogueItem::try_from(req)?;
    let db = Db::new(call.env)?;
    let before = db
        .catalogue_item(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = call.now.unix();
    let was = serde_json::to_string(&catalogue_dto(&before)).unwrap_or_default();
    let columns = catalogue_columns(&item);
    let after = catalogue_json(&item);
    unless_taken(
        db.batch(vec![
            db.update_catalogue_item(who.provider(), id, &columns)?,
            db.insert_audit(&who.audit(
                "catalogue.update",
                &before.name,
                None,
                (Some(&was), Some(&after)),
                now,
            ))?,
        ])
        .await,
        "name",
    )?;
    let row = db
        .catalogue_item(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    json(&catalogue_dto(&row))
}

// ---- reading tickets --------------------------------------------------------------------------

/// A ticket as stored, with its domain flow.
struct Loaded {
    row: TicketRow,
    work: Vec<WorkRow>,
    quotes: Vec<QuoteRow>,
    dispute: Option<DisputeRow>,
    flow: Flow,
}

fn corrupt(what: &str) -> AppError {
    AppError::Internal(format!("stored ticket is inconsistent: {what}"))
}

fn work_entry(w: &WorkRow) -> AppResult<WorkEntry> {
    Ok(WorkEntry {
        engineer: UserId::new(w.engineer_id),
        minutes: u32::try_from(w.minutes).map_err(|_| corrupt("minutes"))?,
        note: w.note.clone(),
        on: wire::parse_date(&w.on_day).ok_or_else(|| corrupt("work day"))?,
    })
}

fn time_charge(detail: &str) -> AppResult<TimeCharge> {
    let d: ChargeExplanationDto =
        serde_json::from_str(detail).map_err(|_| corrupt("charge detail"))?;
    Ok(TimeCharge {
        logged_minutes: d.logged_minutes,
        billed_minutes: d.billed_minutes,
        increment_minutes: d.increment_minutes,
        points: d.points.0,
        rule: match d.rule.as_str() {
            "exact" => ChargeRule::Exact,
            "minimum" => ChargeRule::Minimum,
            _ => ChargeRule::RoundedUp,
        },
    })
}

fn flow_of(
    row: &TicketRow,
    work: &[WorkRow],
    quotes: &[QuoteRow],
    dispute: Option<&DisputeRow>,
) -> AppResult<Flow> {
    let id = TicketId::new(row.id);
    let work = work.iter().map(work_entry).collect::<AppResult<Vec<_>>>()?;
    match row.kind.as_str() {
        "incident" => {
            let status = match row.status.as_str() {
                "new" => IncidentStatus::New,
                "in_progress" => IncidentStatus::InProgress,
                "resolved" => IncidentStatus::Resolved,
                "closed" => IncidentStatus::Closed,
                _ => return Err(corrupt("incident status")),
            };
            let charge = match (row.charge_points, row.charge_at, &row.charge_detail) {
                (Some(p), Some(at), Some(detail)) => Some(IncidentCharge {
                    points: pts(p),
                    at: Timestamp::from_unix(at),
                    time: time_charge(detail)?,
                    lines: usize::try_from(row.charge_lines.unwrap_or(0)).unwrap_or(0),
                }),
                _ => None,
            };
            let dispute = dispute.map(|d| {
                let id = DisputeId::new(d.id);
                let decided = d.decision_reason.clone().unwrap_or_default();
                match d.state.as_str() {
                    "upheld" => Dispute::Upheld {
                        id,
                        reason: decided,
                    },
                    "rejected" => Dispute::Rejected {
                        id,
                        reason: decided,
                    },
                    _ => Dispute::Open {
                        id,
                        opened_at: Timestamp::from_unix(d.opened_at),
                        reason: d.reason.clone(),
                    },
                }
            });
            Ok(Flow::Incident(Incident {
                id,
                status,
                work,
                cause: match row.cause.as_deref() {
                    Some("standard") => Some(Cause::Standard),
                    Some("client_caused") => Some(Cause::ClientCaused),
                    _ => None,
                },
                charge,
                dispute,
            }))
        }
        _ => {
            let status = [
                RequestStatus::New,
                RequestStatus::AwaitingApproval,
                RequestStatus::InProgress,
                RequestStatus::Completed,
                RequestStatus::Declined,
                RequestStatus::Cancelled,
            ]
            .into_iter()
            .find(|s| s.as_str() == row.status)
            .ok_or_else(|| corrupt("request status"))?;
            let quotes = quotes
                .iter()
                .map(|q| {
                    Ok(Quote {
                        id: QuoteId::new(q.id),
                        points: pts(q.points),
                        scope: q.scope.clone(),
                        expires_at: Timestamp::from_unix(q.expires_at),
                        status: wire::parse_quote_status(&q.status)
                            .ok_or_else(|| corrupt("quote status"))?,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(Flow::Request(ServiceRequest {
                id,
                catalogue: if row.catalogue_kind.as_deref() == Some("standard") {
                    Catalogue::Standard
                } else {
                    Catalogue::Quoted
                },
                status,
                quotes,
                work,
            }))
        }
    }
}

/// Loads a ticket of the caller's provider and asks the policy about `action` on it (another
/// tenant's ticket is a 404, like a missing one).
async fn load(db: &Db, who: &Session, id: i64, action: Action) -> AppResult<Loaded> {
    let row = db
        .ticket(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    who.may(action, Some(row.org_id))?;
    load_row(db, row).await
}

async fn load_row(db: &Db, row: TicketRow) -> AppResult<Loaded> {
    let work = db.work(row.id).await?;
    let quotes = db.quotes(row.id).await?;
    let dispute = db.dispute(row.id).await?;
    let flow = flow_of(&row, &work, &quotes, dispute.as_ref())?;
    Ok(Loaded {
        row,
        work,
        quotes,
        dispute,
        flow,
    })
}

fn summary(r: &TicketRow) -> TicketSummaryDto {
    TicketSummaryDto {
        id: r.id,
        number: r.number,
        organization: OrgRefDto {
            id: r.org_id,
            name: r.org_name.clone(),
        },
        kind: r.kind.clone(),
        title: r.title.clone(),
        priority: r.priority.clone(),
        status: r.status.clone(),
        requester: person(r.requester_id, &r.requester_name),
        assignee: r
            .assignee_id
            .zip(r.assignee_name.as_deref())
            .map(|(id, name)| person(id, name)),
        awaiting_client: r.awaiting_client == 1,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

fn references(l: &Loaded) -> Vec<String> {
    let mut refs = vec![format!("ticket:{}", l.row.id)];
    refs.extend(l.quotes.iter().map(|q| format!("quote:{}", q.id)));
    refs.extend(l.dispute.iter().map(|d| format!("dispute:{}", d.id)));
    refs
}

async fn ticket_dto(db: &Db, who: &Session, l: &Loaded) -> AppResult<TicketDto> {
    let (_, window) = db.provider_terms(who.provider()).await?;
    let catalogue = match l.row.catalogue_id {
        Some(c) => db.catalogue_item(who.provider(), c).await?,
        None => None,
    };
    let cost = db.net_of(l.row.org_id, &references(l)).await?;
    let held = db
        .holds(l.row.org_id)
        .await?
        .iter()
        .filter(|h| h.ticket_id == l.row.id)
        .map(|h| h.points)
        .sum::<i64>();
    let logged: i64 = l.work.iter().map(|w| w.minutes).sum();
    let charge = match (&l.flow, l.row.charge_detail.as_deref()) {
        (Flow::Incident(i), Some(detail)) => i.charge.as_ref().map(|c| IncidentChargeDto {
            points: WirePoints(c.points),
            at: c.at.unix(),
            lines: u32::try_from(c.lines).unwrap_or(0),
            explanation: serde_json::from_str(detail)
                .unwrap_or_else(|_| ChargeExplanationDto::from(&c.time)),
            dispute_until: c.at.unix() + i64::from(window) * 86_400,
        }),
        _ => None,
    };
    let s = summary(&l.row);
    Ok(TicketDto {
        id: s.id,
        number: s.number,
        organization: s.organization,
        kind: s.kind,
        title: s.title,
        priority: s.priority,
        status: s.status,
        requester: s.requester,
        assignee: s.assignee,
        awaiting_client: s.awaiting_client,
        created_at: s.created_at,
        updated_at: s.updated_at,
        description: l.row.description.clone(),
        catalogue: catalogue.as_ref().map(catalogue_dto),
        cause: l.row.cause.clone(),
        cause_note: l.row.cause_note.clone(),
        charge,
        dispute: l.dispute.as_ref().map(|d| DisputeDto {
            id: d.id,
            state: d.state.clone(),
            reason: d.reason.clone(),
            opened_by: person(d.opened_by, &d.opened_by_name),
            opened_at: d.opened_at,
            decision_reason: d.decision_reason.clone(),
            decided_at: d.decided_at,
        }),
        quotes: l
            .quotes
            .iter()
            .map(|q| QuoteDto {
                id: q.id,
                points: wp(q.points),
                scope: q.scope.clone(),
                expires_at: q.expires_at,
                status: q.status.clone(),
                created_by: person(q.created_by, &q.created_by_name),
                created_at: q.created_at,
                decided_by: q
                    .decided_by
                    .zip(q.decided_by_name.as_deref())
                    .map(|(id, n)| person(id, n)),
                decided_at: q.decided_at,
            })
            .collect(),
        work: l
            .work
            .iter()
            .map(|w| WorkLineDto {
                id: w.id,
                engineer: person(w.engineer_id, &w.engineer_name),
                minutes: u32::try_from(w.minutes).unwrap_or(0),
                note: w.note.clone(),
                on: w.on_day.clone(),
            })
            .collect(),
        logged_minutes: u32::try_from(logged).unwrap_or(u32::MAX),
        cost: wp(-cost),
        held: wp(held),
        following: db.is_following(l.row.id, who.user.id).await?,
    })
}

async fn answer(db: &Db, who: &Session, id: i64, status: u16) -> AppResult<(u16, String)> {
    let l = load(db, who, id, Action::ViewTickets).await?;
    let dto = ticket_dto(db, who, &l).await?;
    Ok((
        status,
        serde_json::to_string(&dto).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}

fn respond((status, body): (u16, String)) -> AppResult<Response> {
    let mut resp = Response::ok(body)?.with_status(status);
    resp.headers_mut()
        .set("content-type", "application/json; charset=utf-8")?;
    resp.headers_mut().set("cache-control", "no-store")?;
    Ok(resp)
}

/// `getTicket`.
pub async fn get(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = Db::new(call.env)?;
    respond(answer(&db, who, call.id()?, 200).await?)
}

/// `listTickets`.
pub async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let url = call.req.url()?;
    let mut filter = TicketFilter {
        me: who.user.id,
        ..TicketFilter::default()
    };
    let mut f = Fields::default();
    for (k, v) in url.query_pairs() {
        let v = v.trim().to_owned();
        if v.is_empty() {
            continue;
        }
        match k.as_ref() {
            "status" => {
                if pointdesk_domain::ticket::is_status(Kind::Incident, &v)
                    || pointdesk_domain::ticket::is_status(Kind::ServiceRequest, &v)
                {
                    filter.status = Some(v);
                } else {
                    f.push(FieldError::new("status", "malformed"));
                }
            }
            "queue" => {
                if ["unassigned", "mine", "awaiting_client", "open", "done"].contains(&v.as_str()) {
                    filter.queue = Some(v);
                } else {
                    f.push(FieldError::new("queue", "malformed"));
                }
            }
            "q" => filter.query = Some(v.chars().take(100).collect()),
            "org" => match v.parse::<i64>() {
                Ok(org) => filter.org = Some(org),
                Err(_) => f.push(FieldError::new("org", "malformed")),
            },
            _ => {}
        }
    }
    f.finish(|| Some(()))?;
    match who.org() {
        // Client people see their own organisation's tickets, whatever they ask for.
        Some(own) if who.actor.role.is_client() => {
            who.may(Action::ViewTickets, Some(own))?;
            filter.org = Some(own);
        }
        _ => who.may_provider_wide(Action::ViewTickets)?,
    }
    let db = Db::new(call.env)?;
    let items = db
        .tickets(who.provider(), &filter)
        .await?
        .iter()
        .map(summary)
        .collect();
    json(&TicketListDto { items })
}

/// `getTicketTimeline`: internal events only for those who may see internal comments.
pub async fn timeline(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = Db::new(call.env)?;
    let l = load(&db, who, call.id()?, Action::ViewTickets).await?;
    let internal = who
        .may(Action::ViewInternalComments, Some(l.row.org_id))
        .is_ok();
    let items = db
        .timeline(l.row.id, internal)
        .await?
        .into_iter()
        .map(event_dto)
        .collect();
    json(&TimelineDto { items })
}

fn event_dto(r: TimelineRow) -> TimelineEventDto {
    let d: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or_default();
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let n = |k: &str| d.get(k).and_then(serde_json::Value::as_i64);
    TimelineEventDto {
        id: r.id,
        at: r.at,
        actor: r
            .actor_id
            .zip(r.actor_name.as_deref())
            .map(|(id, name)| person(id, name)),
        kind: r.kind,
        internal: r.internal == 1,
        status: s("status"),
        text: r.comment.or_else(|| s("text")),
        minutes: n("minutes").and_then(|m| u32::try_from(m).ok()),
        points: n("points").map(wp),
        quote_id: n("quote_id"),
        person: n("person_id").map(|id| person(id, &s("person_name").unwrap_or_default())),
        entry: r.entry_kind.map(|kind| TimelineEntryDto {
            kind,
            amount: wp(r.entry_amount.unwrap_or(0)),
            balance_after: wp(r.entry_balance_after.unwrap_or(0)),
            reason: r.entry_reason.unwrap_or_default(),
        }),
    }
}

// ---- the balance a quote is weighed against ---------------------------------------------------

/// `getBalance`.
pub async fn balance(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewBalance, Some(id))?;
    let db = Db::new(call.env)?;
    let org = db
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = match org.plan_id {
        Some(p) => db.plan(who.provider(), p).await?,
        None => None,
    };
    let holds = db.holds(id).await?;
    let held: i64 = holds.iter().map(|h| h.points).sum();
    json(&OrgBalanceDto {
        organization: OrgRefDto {
            id: org.id,
            name: org.name.clone(),
        },
        balance: wp(org.balance),
        held: wp(held),
        available: wp(org.balance - held),
        threshold: wp(org.threshold),
        holds: holds
            .iter()
            .map(|h| HoldDto {
                quote_id: h.quote_id,
                ticket_id: h.ticket_id,
                ticket_number: h.ticket_number,
                title: h.title.clone(),
                points: wp(h.points),
            })
            .collect(),
        quotes_may_overdraw: plan
            .is_some_and(|p| crate::db::overdraft(&p.overdraft).quotes_may_overdraw()),
    })
}

// ---- idempotency -------------------------------------------------------------------------------

/// A money-moving request's `Idempotency-Key`, if it came with one.
struct Idem {
    key: Option<String>,
    fingerprint: String,
}

enum Begun {
    Fresh(Idem),
    Replay((u16, String)),
}

impl Idem {
    async fn begin(call: &Call<'_>, who: &Session, db: &Db, body: &[u8]) -> AppResult<Begun> {
        let key = call.req.headers().get("idempotency-key")?;
        let mut hash = Sha256::new();
        hash.update(call.req.method().as_ref().as_bytes());
        hash.update(b" ");
        hash.update(call.req.path().as_bytes());
        hash.update(b"\n");
        hash.update(body);
        let fingerprint = crate::auth::hex(&hash.finalize());
        let Some(key) = key else {
            return Ok(Begun::Fresh(Idem {
                key: None,
                fingerprint,
            }));
        };
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::Fields(vec![FieldError::new(
                "Idempotency-Key",
                "malformed",
            )]));
        }
        let idem = Idem {
            key: Some(key),
            fingerprint,
        };
        match idem.replay(who, db).await? {
            Some(answer) => Ok(Begun::Replay(answer)),
            None => Ok(Begun::Fresh(idem)),
        }
    }

    /// The first answer for this key, waiting a little while the first request is still being
    /// answered; a different request under the same key is a 422.
    async fn replay(&self, who: &Session, db: &Db) -> AppResult<Option<(u16, String)>> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        for _ in 0..40 {
            let Some(row) = db.idempotent_request(who.user.id, key).await? else {
                return Ok(None);
            };
            if row.fingerprint != self.fingerprint {
                return Err(DomainError::IdempotencyConflict { key: key.clone() }.into());
            }
            if let (Some(status), Some(body)) = (row.status, row.body) {
                return Ok(Some((u16::try_from(status).unwrap_or(200), body)));
            }
            worker::Delay::from(std::time::Duration::from_millis(50)).await;
        }
        Err(AppError::Internal(format!(
            "the answer for key {key} never came"
        )))
    }

    fn claim(&self, who: &Session, db: &Db, now: i64) -> AppResult<Option<D1PreparedStatement>> {
        self.key
            .as_deref()
            .map(|k| db.claim_key(who.user.id, k, &self.fingerprint, now))
            .transpose()
    }

    async fn finish(&self, who: &Session, db: &Db, answer: (u16, String)) -> AppResult<Response> {
        if let Some(key) = &self.key {
            db.answer_key(who.user.id, key, answer.0, &answer.1).await?;
        }
        respond(answer)
    }
}

// ---- changing tickets ----------------------------------------------------------------------

/// What the domain decided about one ticket.
struct Change {
    flow: Flow,
    assignee: Option<i64>,
    cause_note: String,
    /// The account it was decided on and the ledger decision.
    ledger: Option<(Account, Decision)>,
    events: Vec<(String, bool, serde_json::Value)>,
    mails: Vec<Notice>,
    /// Statements of their own (comments, followers).
    extra: Vec<D1PreparedStatement>,
    /// Keep the version as it is (a comment or a follower changes no decision).
    keep_version: bool,
}

impl Change {
    fn of(l: &Loaded, flow: Flow) -> Change {
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
    fn event(mut self, kind: &str, detail: serde_json::Value) -> Change {
        self.events.push((kind.to_owned(), false, detail));
        self
    }
    fn mail(mut self, n: Notice) -> Change {
        self.mails.push(n);
        self
    }
}

/// Mail a change sends.
#[derive(Clone, Copy)]
enum Notice {
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
struct Needs {
    account: bool,
    traces: bool,
    quote_id: bool,
    dispute_id: bool,
}

struct Ctx {
    now: Timestamp,
    offset: i32,
    window: u32,
    plan: Option<Plan>,
    account: Option<Account>,
    traces: Vec<Trace>,
    next_id: i64,
}

impl Ctx {
    fn account(&self) -> AppResult<&Account> {
        self.account
            .as_ref()
            .ok_or_else(|| AppError::Internal("the account was not loaded".into()))
    }
    fn plan(&self) -> AppResult<&Plan> {
        self.plan
            .as_ref()
            .ok_or(AppError::Domain(DomainError::Invalid(
                "the organisation has no plan",
            )))
    }
}

/// Did the batch fail because another request changed the same state first (so a fresh
/// decision may differ), or because the idempotency key was claimed meanwhile?
enum Lost {
    Race,
    KeyTaken,
}

fn lost(e: &AppError) -> Option<Lost> {
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
fn flow_statements(
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

fn notice_mail<'a>(
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

/// Loads, decides with `decide`, writes in one batch; decides again from a fresh load when
/// another request won the race. Answers with the ticket as it is afterwards.
#[allow(clippy::too_many_arguments)]
async fn change<F>(
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
    let (offset, window) = db.provider_terms(who.provider()).await?;
    let now = call.now;
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
                pointdesk_api::organizations::parse_plan(super::clients::plan_dto(p)).ok()
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
            ctx.account = Some(
                db.account(
                    l.row.org_id,
                    overdraft,
                    Period::containing(now, offset),
                    &extra,
                )
                .await?,
            );
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
            statements.extend(db.decision(account, decision, now)?);
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
        let mut texts = Vec::new();
        for n in &c.mails {
            texts.clear();
            let (kind, admins) = notice_mail(*n, &l, who, &link, &mut texts);
            statements.push(db.ticket_mail(
                &TicketMail {
                    provider_id: who.provider(),
                    ticket_id: l.row.id,
                    except: who.user.id,
                    client_admins: admins,
                    kind,
                    subject: (&texts[0], &texts[1]),
                    body: (&texts[2], &texts[3]),
                    link: &link,
                },
                at,
            )?);
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

async fn body_of<T: serde::de::DeserializeOwned>(call: &mut Call<'_>) -> AppResult<(T, Vec<u8>)> {
    let value: serde_json::Value = read_json(&mut call.req).await?;
    let bytes = serde_json::to_vec(&value).map_err(|e| AppError::Internal(e.to_string()))?;
    let parsed = super::parse_json(&bytes)?;
    Ok((parsed, bytes))
}

fn incident(l: &Loaded) -> AppResult<&Incident> {
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

fn request(l: &Loaded) -> AppResult<&ServiceRequest> {
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
        let mut texts = Vec::new();
        let (kind, admins) = notice_mail(
            Notice::Changed("новый комментарий", "a new comment"),
            &l,
            who,
            &link,
            &mut texts,
        );
        statements.push(db.ticket_mail(
            &TicketMail {
                provider_id: who.provider(),
                ticket_id: id,
                except: who.user.id,
                client_admins: admins,
                kind,
                subject: (&texts[0], &texts[1]),
                body: (&texts[2], &texts[3]),
                link: &link,
            },
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
            let entry = WorkEntry {
                engineer,
                minutes: w.minutes,
                note: w.note.clone(),
                on: w.on.unwrap_or_else(|| ctx.now.date(ctx.offset)),
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
    let mut f = Fields::default();
    let reason = wire::reason(&mut f, &req.reason);
    let reason = f.finish(|| reason)?;
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
    let mut f = Fields::default();
    let reason = wire::reason(&mut f, &req.reason);
    let reason = f.finish(|| reason)?;
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
