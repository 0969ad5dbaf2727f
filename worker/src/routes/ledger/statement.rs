//! The monthly statement: one period of the provider's calendar, opening to closing.

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::ledger::*;
use pointdesk_api::WirePoints;
use pointdesk_domain::policy::Action;
use pointdesk_domain::time::Period;
use worker::Response;

use crate::db::{stored_points, Db, EntryRow, LedgerFilter};
use crate::docs::{statement_page, StatementLinks};
use crate::error::{AppError, AppResult};
use crate::http::{json, wants_html, wire_points, Call, Session};
use crate::zone;

/// `getStatement`: one period of the provider's calendar.
pub async fn statement(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewLedger, Some(id))?;
    let html = wants_html(call)?;
    let period = call.period()?;
    let db = call.db()?;
    let org = db
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = who.user.time_zone.clone();
    let start = zone::period_start(&zone, period).unix();
    let end = zone::period_start(&zone, period.next()).unix();
    let opening = db.balance_before(id, start).await?;
    let rows = period_entries(&db, who.provider(), id, (start, end)).await?;
    let mut s = StatementDto {
        organization: OrgRefDto {
            id: org.id,
            name: org.name.clone(),
        },
        period: period.to_string(),
        first_day: period.first_day().to_string(),
        last_day: period.last_day().to_string(),
        time_zone: zone,
        opening: wire_points(opening),
        grants: wire_points(0),
        purchases: Vec::new(),
        charges: Vec::new(),
        adjustments: Vec::new(),
        expiry: wire_points(0),
        closing: wire_points(rows.last().map_or(opening, |e| e.balance_after)),
        entries: u32::try_from(rows.len()).unwrap_or(u32::MAX),
    };
    let (grants, expiry) = add_lines(&mut s, rows)?;
    s.grants = wire_points(grants);
    s.expiry = wire_points(expiry);
    if html {
        // Staff read a client's books under /clients/{id}; client people their own.
        let back = if who.actor.role.is_client() {
            "/ledger".to_owned()
        } else {
            format!("/clients/{id}/ledger")
        };
        let here = |p: Period| {
            format!(
                "{}/organizations/{id}/statements/{p}?format=html",
                pointdesk_api::API_PREFIX
            )
        };
        let links = StatementLinks {
            prev: here(period.previous()),
            next: here(period.next()),
            act: format!(
                "{}/organizations/{id}/acts/{period}?format=html",
                pointdesk_api::API_PREFIX
            ),
            back,
        };
        return statement_page(&s, who.user.locale == "ru", &links);
    }
    json(&s)
}

/// Every entry of the organisation between two instants, oldest first.
async fn period_entries(
    db: &Db,
    provider: i64,
    org: i64,
    (start, end): (i64, i64),
) -> AppResult<Vec<EntryRow>> {
    let f = LedgerFilter {
        between: Some((start, end)),
        ..LedgerFilter::default()
    };
    let mut rows = Vec::new();
    let mut before = i64::MAX / 2;
    loop {
        let page = db
            .ledger_page(provider, org, &f, before, 2000, false)
            .await?;
        let n = page.len();
        if let Some(last) = page.last() {
            before = last.id;
        }
        rows.extend(page);
        if n < 2000 {
            break;
        }
    }
    rows.reverse();
    Ok(rows)
}

/// Puts each entry on its line of the statement: purchases, adjustments, and charges and
/// refunds per ticket; returns the sums of grants and of expiry.
fn add_lines(s: &mut StatementDto, rows: Vec<EntryRow>) -> AppResult<(i64, i64)> {
    let mut grants = 0;
    let mut expiry = 0;
    for e in rows {
        let line = |e: &EntryRow| StatementLineDto {
            at: e.at,
            amount: wire_points(e.amount),
            reason: e.reason.clone(),
            reference: e.reference.clone(),
        };
        match e.kind.as_str() {
            "grant" => grants += e.amount,
            "expiry" => expiry += e.amount,
            // A refunded payment shows beside the purchase it takes back.
            "purchase" | "purchase_refund" => s.purchases.push(line(&e)),
            "adjustment" => s.adjustments.push(line(&e)),
            "charge" | "refund" => {
                let key = e
                    .ticket_id
                    .map_or_else(|| e.reference.clone(), |t| format!("ticket:{t}"));
                let pos = s.charges.iter().position(|c| c.reference == key);
                let c = match pos {
                    Some(i) => &mut s.charges[i],
                    None => {
                        s.charges.push(StatementChargeDto {
                            ticket: match (e.ticket_id, e.ticket_number) {
                                (Some(id), Some(number)) => Some(TicketRefDto {
                                    id,
                                    number,
                                    title: e.ticket_title.clone().unwrap_or_default(),
                                }),
                                _ => None,
                            },
                            reference: key,
                            charged: wire_points(0),
                            refunded: wire_points(0),
                        });
                        s.charges.last_mut().expect("just pushed")
                    }
                };
                let amount = stored_points(e.amount)?;
                if e.kind == "charge" {
                    c.charged = WirePoints(c.charged.0.checked_add(amount).unwrap_or(c.charged.0));
                } else {
                    c.refunded =
                        WirePoints(c.refunded.0.checked_add(amount).unwrap_or(c.refunded.0));
                }
            }
            _ => {}
        }
    }
    Ok((grants, expiry))
}
