//! Reading tickets: one, a list by queue and filter, and a ticket's timeline.

use pointdesk_api::accounts::Fields;
use pointdesk_api::problem::FieldError;
use pointdesk_api::tickets::{TicketListDto, TimelineDto, TimelineEntryDto, TimelineEventDto};
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::Kind;
use worker::Response;

use super::load::{answer, load, person, person_opt, summary};
use crate::db::{TicketFilter, TimelineRow};
use crate::error::AppResult;
use crate::http::{json, respond, wire_points, Call, Session};

/// `getTicket`.
pub async fn get(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    respond(answer(&db, who, call.id()?, 200, call.now).await?)
}

/// `listTickets`.
pub async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let url = call.req.url()?;
    let mut filter = TicketFilter {
        me: who.user.id,
        now: call.now.unix(),
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
                if pointdesk_api::routes::TICKET_QUEUES.contains(&v.as_str()) {
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
    let db = call.db()?;
    let items = db
        .tickets(who.provider(), &filter)
        .await?
        .iter()
        .map(|r| summary(r, call.now))
        .collect::<AppResult<_>>()?;
    json(&TicketListDto { items })
}

/// `getTicketTimeline`: internal events only for those who may see internal comments.
pub async fn timeline(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
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

pub(super) fn event_dto(r: TimelineRow) -> TimelineEventDto {
    let d: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or_default();
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let n = |k: &str| d.get(k).and_then(serde_json::Value::as_i64);
    TimelineEventDto {
        id: r.id,
        at: r.at,
        actor: person_opt(r.actor_id, r.actor_name.as_deref()),
        kind: r.kind,
        internal: r.internal == 1,
        status: s("status"),
        text: r.comment.or_else(|| s("text")),
        minutes: n("minutes").and_then(|m| u32::try_from(m).ok()),
        points: n("points").map(wire_points),
        quote_id: n("quote_id"),
        person: n("person_id").map(|id| person(id, &s("person_name").unwrap_or_default())),
        from: s("from"),
        entry: r.entry_kind.map(|kind| TimelineEntryDto {
            kind,
            amount: wire_points(r.entry_amount.unwrap_or(0)),
            balance_after: wire_points(r.entry_balance_after.unwrap_or(0)),
            reason: r.entry_reason.unwrap_or_default(),
        }),
    }
}
