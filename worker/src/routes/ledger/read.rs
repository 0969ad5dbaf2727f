//! Reading the books: the balance at a glance, the ledger (a page or the CSV) and the balance
//! history.

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::ledger::*;
use pointdesk_api::problem::FieldError;
use pointdesk_api::tickets::{ExpiringDto, HoldDto, OrgBalanceDto};
use pointdesk_api::WirePoints;
use pointdesk_domain::forecast::{self, DEFAULT_WINDOW_DAYS};
use pointdesk_domain::ledger::EntryKind;
use pointdesk_domain::policy::Action;
use pointdesk_domain::time::{Period, SECONDS_PER_DAY};
use worker::Response;

use super::entries::entry_dto;
use crate::books::allotment_of;
use crate::db::{stored_points, LedgerFilter, PlanRow};
use crate::error::{AppError, AppResult};
use crate::http::{csv_locale, iso, json, wire_points, Call, Csv, Session};
use crate::zone;

/// `getBalance`: balance, holds, available, this period's allotment and use, the run-out
/// forecast and what expires when.
pub async fn balance(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewBalance, Some(id))?;
    let db = call.db()?;
    let zone = &who.user.time_zone;
    let now = call.now;
    let offset = zone::offset_minutes(zone, now).unwrap_or(0);
    let period = Period::containing(now, offset);
    let today = now.date(offset);
    let window_first_day = now.unix().div_euclid(SECONDS_PER_DAY) - i64::from(DEFAULT_WINDOW_DAYS);
    let v = db
        .balance_view(
            who.provider(),
            id,
            zone::period_start(zone, period).unix(),
            window_first_day,
        )
        .await?
        .ok_or(AppError::NotFound)?;
    let held: i64 = v.holds.iter().map(|h| h.points).sum();
    let available = v.org.balance - held;
    let consumed = stored_points(v.consumed)?;
    let run_out = forecast::run_out(
        stored_points(available)?,
        consumed,
        DEFAULT_WINDOW_DAYS,
        today,
    );
    let plan = v.plan.as_ref().map(PlanRow::plan).transpose()?;
    json(&OrgBalanceDto {
        organization: OrgRefDto {
            id: v.org.id,
            name: v.org.name.clone(),
        },
        balance: wire_points(v.org.balance),
        held: wire_points(held),
        available: wire_points(available),
        threshold: wire_points(v.org.threshold),
        holds: v
            .holds
            .iter()
            .map(|h| HoldDto {
                quote_id: h.quote_id,
                ticket_id: h.ticket_id,
                ticket_number: h.ticket_number,
                title: h.title.clone(),
                points: wire_points(h.points),
            })
            .collect(),
        quotes_may_overdraw: plan
            .as_ref()
            .is_some_and(|p| p.overdraft.quotes_may_overdraw()),
        period: period.to_string(),
        allotment: WirePoints(allotment_of(&v.org, plan.as_ref())?),
        used: wire_points(v.used),
        run_out: run_out.into(),
        expiring: v
            .expiring
            .iter()
            .filter_map(|e| {
                let p = Period::parse(&e.expires).ok()?;
                Some(ExpiringDto {
                    points: wire_points(e.free),
                    period: e.expires.clone(),
                    last_day: p.last_day().to_string(),
                })
            })
            .collect(),
        owed: wire_points(v.debt + v.owed),
    })
}

// ---- the ledger ------------------------------------------------------------------------------

const PAGE: i64 = 50;
const MAX_PAGE: i64 = 200;

/// The ledger filters and cursor of the query string; every malformed one named.
fn filters(call: &Call<'_>, who: &Session) -> AppResult<(LedgerFilter, i64, i64)> {
    let url = call.req.url()?;
    let mut f = LedgerFilter::default();
    let mut before = i64::MAX / 2;
    let mut limit = PAGE;
    let mut bad = Vec::new();
    for (k, v) in url.query_pairs() {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match k.as_ref() {
            "kind" => match EntryKind::parse(v) {
                Some(k) => f.kind = Some(k.as_str().to_owned()),
                None => bad.push(FieldError::new("kind", "malformed")),
            },
            "period" => match Period::parse(v) {
                Ok(p) => {
                    let zone = &who.user.time_zone;
                    f.between = Some((
                        zone::period_start(zone, p).unix(),
                        zone::period_start(zone, p.next()).unix(),
                    ));
                }
                Err(_) => bad.push(FieldError::new("period", "malformed")),
            },
            "ticket" => match v.trim_start_matches('#').parse::<i64>() {
                Ok(n) if n > 0 => f.ticket = Some(n),
                _ => bad.push(FieldError::new("ticket", "malformed")),
            },
            "before" => match v.parse::<i64>() {
                Ok(n) if n > 0 => before = n,
                _ => bad.push(FieldError::new("before", "malformed")),
            },
            "limit" => match v.parse::<i64>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => limit = n,
                _ => bad.push(FieldError {
                    field: "limit".into(),
                    code: "out_of_range".into(),
                    limit: Some(200),
                }),
            },
            _ => {}
        }
    }
    if bad.is_empty() {
        Ok((f, before, limit))
    } else {
        Err(AppError::Fields(bad))
    }
}

/// `listLedgerEntries`: a keyset page, newest first.
pub async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewLedger, Some(id))?;
    let (f, before, limit) = filters(call, who)?;
    let db = call.db()?;
    // Another tenant's organisation has no entries: prove it exists for this caller first.
    let rows = db
        .ledger_page(who.provider(), id, &f, before, limit + 1, true)
        .await?;
    if rows.is_empty() && db.organization(who.provider(), id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let more = rows.len() > usize::try_from(limit).unwrap_or(0);
    let mut entries: Vec<LedgerEntryDto> =
        rows.into_iter().map(entry_dto).collect::<AppResult<_>>()?;
    entries.truncate(usize::try_from(limit).unwrap_or(0));
    let next = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    json(&LedgerPageDto { entries, next })
}

/// `exportLedgerCsv`: every entry the filters select, newest first.
pub async fn export(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewLedger, Some(id))?;
    let (f, mut before, _) = filters(call, who)?;
    // The file is named for the month it holds, or the day it was taken.
    let period = call
        .req
        .url()?
        .query_pairs()
        .find(|(k, v)| k == "period" && Period::parse(v.trim()).is_ok())
        .map(|(_, v)| v.trim().to_owned());
    let db = call.db()?;
    let org = db
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let locale = csv_locale(call, who)?;
    let mut csv = Csv::new(
        &locale,
        &[
            ("id", "№"),
            ("at", "Когда (UTC)"),
            ("kind", "Вид"),
            ("amount", "Баллы"),
            ("balance_after", "Баланс после"),
            ("reference", "Ссылка"),
            ("ticket", "Заявка"),
            ("reason", "Основание"),
            ("by", "Кто"),
        ],
    );
    const CHUNK: i64 = 2000;
    loop {
        let rows = db
            .ledger_page(who.provider(), id, &f, before, CHUNK, false)
            .await?;
        let n = rows.len();
        for e in rows {
            before = e.id;
            let (amount, after) = (
                csv.num(wire_points(e.amount).0),
                csv.num(wire_points(e.balance_after).0),
            );
            csv.row(&[
                (&e.id.to_string(), false),
                (&iso(e.at), false),
                (&e.kind, false),
                (&amount, false),
                (&after, false),
                (&e.reference, true),
                (
                    &e.ticket_number.map(|n| n.to_string()).unwrap_or_default(),
                    false,
                ),
                (&e.reason, true),
                (e.actor.as_deref().unwrap_or(""), true),
            ]);
        }
        if n < usize::try_from(CHUNK).unwrap_or(0) {
            break;
        }
    }
    let period = period.unwrap_or_else(|| call.now.date(0).to_string());
    csv.into_response(&org.name, &period)
}

/// `getBalanceHistory`: the last 12 months by day.
pub async fn history(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewBalance, Some(id))?;
    let db = call.db()?;
    let today = call.now.unix().div_euclid(SECONDS_PER_DAY);
    let from = today - 365;
    // A client person's own organisation is proven by `may`; staff may read any of their
    // provider's, and another provider's is unknown to them.
    if !who.actor.role.is_client() && db.organization(who.provider(), id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let (opening, days) = db.balance_days(id, from).await?;
    json(&BalanceHistoryDto {
        from,
        to: today,
        opening: wire_points(opening),
        days: days
            .into_iter()
            .map(|d| BalanceDayDto {
                day: d.day,
                closing: wire_points(d.closing),
                grants: wire_points(d.grants),
                purchases: wire_points(d.purchases),
                charges: wire_points(d.charges),
            })
            .collect(),
    })
}
