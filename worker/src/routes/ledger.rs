//! The books: the balance at a glance, the ledger page and its CSV, the balance history,
//! statements and manual adjustments; and [`record`], what every ledger decision writes besides
//! its own rows (the low-balance alarm and the organisation's notices).

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::ledger::{
    Adjustment, AdjustmentRequest, BalanceDayDto, BalanceHistoryDto, BlockMoveDto, LedgerEntryDto,
    LedgerPageDto, StatementChargeDto, StatementDto, StatementLineDto, TicketRefDto,
};
use pointdesk_api::problem::FieldError;
use pointdesk_api::tickets::{ExpiringDto, HoldDto, OrgBalanceDto};
use pointdesk_api::WirePoints;
use pointdesk_domain::forecast::{self, DEFAULT_WINDOW_DAYS};
use pointdesk_domain::ids::{AdjustmentId, UserId};
use pointdesk_domain::ledger::{Decision, EntryKind};
use pointdesk_domain::notify::{self, Notice};
use pointdesk_domain::plan::Plan;
use pointdesk_domain::points::Points;
use pointdesk_domain::policy::Action;
use pointdesk_domain::time::{Date, Period, Timestamp, SECONDS_PER_DAY};
use worker::{D1PreparedStatement, Response};

use crate::db::{Books, Db, EntryRow, LedgerFilter, OrgNotice, OrgRow, PlanRow};
use crate::error::{AppError, AppResult};
use crate::routes::tickets::idem::{Begun, Idem};
use crate::routes::{json, Call, Session};
use crate::zone;

pub(crate) fn wp(h: i64) -> WirePoints {
    WirePoints::from_hundredths(h)
}

/// `12.50` for English readers, `12,50` for Russian ones.
fn local_points(p: Points, locale: &str) -> String {
    let s = p.to_string();
    if locale == "ru" {
        s.replace('.', ",")
    } else {
        s
    }
}

// ---- what a decision writes ------------------------------------------------------------------

/// The statements that write `d` (decided on `before`): the decision's own rows, the alarm's new
/// state when it moved, and the notices the decision and the alarm call for — each organisation
/// notice to its alert recipients, in the notification centre and by mail.
pub(crate) fn record(
    db: &Db,
    before: &Books,
    d: &Decision,
    at: Timestamp,
    origin: &str,
) -> AppResult<Vec<D1PreparedStatement>> {
    let mut out = db.decision(&before.account, d, at)?;
    let mut after = before.account.clone();
    after.apply(d)?;
    let org = before.account.org.get();
    let (alarm, alarms) = before.alarm.observe(after.available()?, before.threshold);
    if alarm != before.alarm {
        out.push(db.set_alarm(org, alarm.low_armed, alarm.zero_armed)?);
    }
    // Charges and refunds reach people through their ticket's own notices.
    let arrivals = notify::notices_for(d).into_iter().filter(|n| {
        matches!(
            n,
            Notice::GrantArrived { .. }
                | Notice::TopUpCredited { .. }
                | Notice::PurchaseRefunded { .. }
        )
    });
    let link = format!("{origin}/ledger");
    for n in arrivals.chain(alarms) {
        out.extend(org_notice(db, org, n, &link, at.unix())?);
    }
    Ok(out)
}

/// An organisation notice's rows, worded in both languages.
fn org_notice(
    db: &Db,
    org: i64,
    n: Notice,
    link: &str,
    at: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    let (kind, points, threshold) = match n {
        Notice::LowBalance {
            available,
            threshold,
        } => ("low_balance", available, Some(threshold)),
        Notice::BalanceExhausted { available } => ("balance_exhausted", available, None),
        Notice::GrantArrived { points } => ("grant_arrived", points, None),
        Notice::TopUpCredited { points } => ("topup_credited", points, None),
        Notice::Refunded { points } => ("refunded", points, None),
        Notice::PurchaseRefunded { points } => ("purchase_refunded", points, None),
        Notice::ChargeMade { points } => ("charge_made", points, None),
        Notice::QuoteAwaitingApproval => return Ok(Vec::new()),
    };
    let (ru, en) = (local_points(points, "ru"), points.to_string());
    let (tru, ten) = threshold.map_or((String::new(), String::new()), |t| {
        (local_points(t, "ru"), t.to_string())
    });
    let (subject, body) = match kind {
        "low_balance" => (
            ("Pointdesk: баланс ниже порога".to_owned(), "Pointdesk: your balance is below the threshold".to_owned()),
            (
                format!("Доступно {ru} (порог — {tru}). Пополните баланс, чтобы работы не останавливались:"),
                format!("{en} points are available (your threshold is {ten}). Top up so that work does not stop:"),
            ),
        ),
        "balance_exhausted" => (
            ("Pointdesk: баллы закончились".to_owned(), "Pointdesk: your points have run out".to_owned()),
            (
                format!("Доступно {ru}. Новые заявки по смете не начнутся, пока баланс не пополнен:"),
                format!("{en} points are available. Quoted work cannot start until you top up:"),
            ),
        ),
        "purchase_refunded" => (
            ("Pointdesk: платёж возвращён — баллы списаны".to_owned(), "Pointdesk: a payment was refunded and its points taken back".to_owned()),
            (
                format!("Платёж за пакет баллов возвращён, с баланса списано {ru}. Если часть баллов уже была израсходована, она учтена как задолженность и погасится из следующих поступлений."),
                format!("A payment for points was refunded: {en} points were taken back. Points already spent are owed and come out of the next points that arrive."),
            ),
        ),
        "grant_arrived" => (
            ("Pointdesk: начислены баллы за период".to_owned(), "Pointdesk: this period's points have arrived".to_owned()),
            (
                format!("На баланс начислено {ru} — пакет на новый период."),
                format!("{en} points of the new period's allotment were added to your balance."),
            ),
        ),
        _ => (
            ("Pointdesk: баланс пополнен".to_owned(), "Pointdesk: points credited".to_owned()),
            (
                format!("На баланс зачислено {ru}."),
                format!("{en} points were credited to your balance."),
            ),
        ),
    };
    let data = serde_json::json!({
        "points": points.to_string(),
        "threshold": threshold.map(|t| t.to_string()),
    })
    .to_string();
    let bodies = (
        format!("{}\n\n{link}", body.0),
        format!("{}\n\n{link}", body.1),
    );
    db.org_notice(
        &OrgNotice {
            org,
            kind,
            data: &data,
            subject: (&subject.0, &subject.1),
            body: (&bodies.0, &bodies.1),
            link,
            // A refund taken back concerns the provider's managers too.
            managers: kind == "purchase_refunded",
        },
        at,
    )
}

// ---- the balance at a glance -----------------------------------------------------------------

fn plan_of(p: Option<&PlanRow>) -> Option<Plan> {
    p.and_then(|p| {
        pointdesk_api::organizations::parse_plan(crate::routes::clients::plan_dto(p)).ok()
    })
}

/// What the organisation's plan lets it overdraw (`never` without a plan).
pub(crate) async fn overdraft_of(
    db: &Db,
    provider: i64,
    org: &OrgRow,
) -> AppResult<pointdesk_domain::plan::Overdraft> {
    let plan_row = match org.plan_id {
        Some(p) => db.plan(provider, p).await?,
        None => None,
    };
    Ok(
        plan_of(plan_row.as_ref())
            .map_or(pointdesk_domain::plan::Overdraft::Never, |p| p.overdraft),
    )
}

/// The organisation's allotment per period under its plan.
pub(crate) fn allotment_of(o: &OrgRow, p: Option<&PlanRow>) -> Points {
    crate::routes::clients::allotment(o, p).map_or(Points::ZERO, |a| a.total.0)
}

fn last_day(p: Period) -> Date {
    let next = p.next();
    Date {
        year: next.year(),
        month: next.month(),
        day: 1,
    }
    .plus_days(-1)
}

/// `getBalance`: balance, holds, available, this period's allotment and use, the run-out
/// forecast and what expires when.
pub async fn balance(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewBalance, Some(id))?;
    let db = Db::new(call.env)?;
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
    let consumed = Points::from_hundredths(v.consumed).unwrap_or(Points::ZERO);
    let run_out = forecast::run_out(
        Points::from_hundredths(available).unwrap_or(Points::ZERO),
        consumed,
        DEFAULT_WINDOW_DAYS,
        today,
    );
    let plan = plan_of(v.plan.as_ref());
    json(&OrgBalanceDto {
        organization: OrgRefDto {
            id: v.org.id,
            name: v.org.name.clone(),
        },
        balance: wp(v.org.balance),
        held: wp(held),
        available: wp(available),
        threshold: wp(v.org.threshold),
        holds: v
            .holds
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
            .as_ref()
            .is_some_and(|p| p.overdraft.quotes_may_overdraw()),
        period: period.to_string(),
        allotment: WirePoints(allotment_of(&v.org, v.plan.as_ref())),
        used: wp(v.used),
        run_out: run_out.into(),
        expiring: v
            .expiring
            .iter()
            .filter_map(|e| {
                let p = Period::parse(&e.expires).ok()?;
                Some(ExpiringDto {
                    points: wp(e.free),
                    period: e.expires.clone(),
                    last_day: last_day(p).to_string(),
                })
            })
            .collect(),
        owed: wp(v.debt + v.owed),
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

fn entry_dto(e: EntryRow) -> LedgerEntryDto {
    let moves: Vec<(i64, i64, String)> = e
        .moves
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    LedgerEntryDto {
        id: e.id,
        kind: e.kind,
        amount: wp(e.amount),
        balance_after: wp(e.balance_after),
        reason: e.reason,
        reference: e.reference,
        ticket: match (e.ticket_id, e.ticket_number) {
            (Some(id), Some(number)) => Some(TicketRefDto {
                id,
                number,
                title: e.ticket_title.unwrap_or_default(),
            }),
            _ => None,
        },
        actor: e.actor,
        at: e.at,
        moves: moves
            .into_iter()
            .map(|(block, points, source)| BlockMoveDto {
                block,
                source,
                points: wp(points),
            })
            .collect(),
    }
}

/// `listLedgerEntries`: a keyset page, newest first.
pub async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewLedger, Some(id))?;
    let (f, before, limit) = filters(call, who)?;
    let db = Db::new(call.env)?;
    // Another tenant's organisation has no entries: prove it exists for this caller first.
    let rows = db
        .ledger_page(who.provider(), id, &f, before, limit + 1, true)
        .await?;
    if rows.is_empty() && db.organization(who.provider(), id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let more = rows.len() > usize::try_from(limit).unwrap_or(0);
    let mut entries: Vec<LedgerEntryDto> = rows.into_iter().map(entry_dto).collect();
    entries.truncate(usize::try_from(limit).unwrap_or(0));
    let next = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    json(&LedgerPageDto { entries, next })
}

/// An ISO 8601 instant in UTC: `2026-11-27T14:05:09Z`.
pub(crate) fn iso(at: i64) -> String {
    let d = Timestamp::from_unix(at).date(0);
    let s = at.rem_euclid(SECONDS_PER_DAY);
    format!("{d}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// One CSV field: quoted when it must be, and text that a spreadsheet would run as a formula
/// starts with an apostrophe.
pub(crate) fn csv_field(out: &mut String, v: &str, text: bool) {
    let guarded;
    let v = if text && v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{v}");
        guarded.as_str()
    } else {
        v
    };
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

pub(crate) fn csv_row(out: &mut String, fields: &[(&str, bool)]) {
    for (i, (v, text)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, v, *text);
    }
    out.push_str("\r\n");
}

/// A CSV answer: UTF-8 with a byte-order mark (so Excel reads Cyrillic), as a download.
pub(crate) fn csv_response(body: String, name: &str) -> AppResult<Response> {
    let mut resp = Response::ok(format!("\u{feff}{body}"))?;
    let h = resp.headers_mut();
    h.set("content-type", "text/csv; charset=utf-8")?;
    h.set(
        "content-disposition",
        &format!("attachment; filename=\"{name}\""),
    )?;
    h.set("cache-control", "no-store")?;
    Ok(resp)
}

/// `exportLedgerCsv`: every entry the filters select, newest first.
pub async fn export(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewLedger, Some(id))?;
    let (f, mut before, _) = filters(call, who)?;
    let db = Db::new(call.env)?;
    let org = db
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut out = String::new();
    csv_row(
        &mut out,
        &[
            ("id", false),
            ("at", false),
            ("kind", false),
            ("amount", false),
            ("balance_after", false),
            ("reference", false),
            ("ticket", false),
            ("reason", false),
            ("by", false),
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
            csv_row(
                &mut out,
                &[
                    (&e.id.to_string(), false),
                    (&iso(e.at), false),
                    (&e.kind, false),
                    (&wp(e.amount).0.to_string(), false),
                    (&wp(e.balance_after).0.to_string(), false),
                    (&e.reference, true),
                    (
                        &e.ticket_number.map(|n| n.to_string()).unwrap_or_default(),
                        false,
                    ),
                    (&e.reason, true),
                    (e.actor.as_deref().unwrap_or(""), true),
                ],
            );
        }
        if n < usize::try_from(CHUNK).unwrap_or(0) {
            break;
        }
    }
    csv_response(out, &format!("ledger-{}.csv", org.id))
}

/// `getBalanceHistory`: the last 12 months by day.
pub async fn history(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewBalance, Some(id))?;
    let db = Db::new(call.env)?;
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
        opening: wp(opening),
        days: days
            .into_iter()
            .map(|d| BalanceDayDto {
                day: d.day,
                closing: wp(d.closing),
                grants: wp(d.grants),
                purchases: wp(d.purchases),
                charges: wp(d.charges),
            })
            .collect(),
    })
}

/// `getStatement`: one period of the provider's calendar.
pub async fn statement(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewLedger, Some(id))?;
    let period = call
        .params
        .get("period")
        .and_then(|p| Period::parse(p).ok())
        .ok_or_else(|| AppError::Fields(vec![FieldError::new("period", "malformed")]))?;
    let db = Db::new(call.env)?;
    let org = db
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = who.user.time_zone.clone();
    let start = zone::period_start(&zone, period).unix();
    let end = zone::period_start(&zone, period.next()).unix();
    let opening = db.balance_before(id, start).await?;
    let f = LedgerFilter {
        between: Some((start, end)),
        ..LedgerFilter::default()
    };
    let mut rows = Vec::new();
    let mut before = i64::MAX / 2;
    loop {
        let page = db
            .ledger_page(who.provider(), id, &f, before, 2000, false)
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
    let mut s = StatementDto {
        organization: OrgRefDto {
            id: org.id,
            name: org.name.clone(),
        },
        period: period.to_string(),
        first_day: Date {
            year: period.year(),
            month: period.month(),
            day: 1,
        }
        .to_string(),
        last_day: last_day(period).to_string(),
        time_zone: zone,
        opening: wp(opening),
        grants: wp(0),
        purchases: Vec::new(),
        charges: Vec::new(),
        adjustments: Vec::new(),
        expiry: wp(0),
        closing: wp(rows.last().map_or(opening, |e| e.balance_after)),
        entries: u32::try_from(rows.len()).unwrap_or(u32::MAX),
    };
    let mut grants = 0;
    let mut expiry = 0;
    for e in rows {
        let line = |e: &EntryRow| StatementLineDto {
            at: e.at,
            amount: wp(e.amount),
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
                            charged: wp(0),
                            refunded: wp(0),
                        });
                        s.charges.last_mut().expect("just pushed")
                    }
                };
                let amount = Points::from_hundredths(e.amount).unwrap_or(Points::ZERO);
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
    s.grants = wp(grants);
    s.expiry = wp(expiry);
    json(&s)
}

// ---- adjustments -----------------------------------------------------------------------------

/// `createAdjustment`: a manager credits or debits with a reason; audit-logged, visible to the
/// client in the ledger and their notification centre.
pub async fn adjust(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let db = Db::new(call.env)?;
    // Another provider's organisation is unknown to everyone (404), before any role is judged.
    let org = db
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    who.may(Action::Adjust, Some(id))?;
    let (req, body): (AdjustmentRequest, Vec<u8>) =
        crate::routes::tickets::change::body_of(call).await?;
    let adj = Adjustment::try_from(req).map_err(AppError::Fields)?;
    let idem = match Idem::begin(call, who, &db, &body).await? {
        Begun::Replay(answer) => return crate::routes::tickets::respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let overdraft = overdraft_of(&db, who.provider(), &org).await?;
    let now = call.now;
    let period = zone::period_at(&who.user.time_zone, now);
    let origin = crate::mail::origin(call);
    for _ in 0..8 {
        if let Some(answer) = idem.replay(who, &db).await? {
            return crate::routes::tickets::respond(answer);
        }
        let books = db.account(id, overdraft, period, &[]).await?;
        let adjustment = db.next_adjustment_id().await?;
        let decision = books.account.adjust(
            AdjustmentId::new(adjustment),
            adj.amount,
            &adj.reason,
            UserId::new(who.user.id),
            None,
        )?;
        let key = decision.key.as_str().to_owned();
        let mut statements = vec![db.insert_adjustment(
            adjustment,
            id,
            adj.amount.hundredths(),
            &adj.reason,
            who.user.id,
            now.unix(),
        )?];
        statements.extend(record(&db, &books, &decision, now, &origin)?);
        let data = serde_json::json!({
            "points": adj.amount.to_string(),
            "reason": adj.reason,
        })
        .to_string();
        let (ru, en) = (local_points(adj.amount, "ru"), adj.amount.to_string());
        let bodies = (
            format!(
                "Менеджер скорректировал баланс на {ru}: {}\n\n{origin}/ledger",
                adj.reason
            ),
            format!(
                "A manager adjusted your balance by {en}: {}\n\n{origin}/ledger",
                adj.reason
            ),
        );
        statements.extend(db.org_notice(
            &OrgNotice {
                org: id,
                kind: "adjustment_made",
                data: &data,
                subject: (
                    "Pointdesk: корректировка баланса",
                    "Pointdesk: your balance was adjusted",
                ),
                body: (&bodies.0, &bodies.1),
                link: &format!("{origin}/ledger"),
                managers: false,
            },
            now.unix(),
        )?);
        let after = serde_json::json!({
            "amount": adj.amount.to_string(),
            "reason": adj.reason,
            "adjustment": adjustment,
        })
        .to_string();
        let object = format!("organization:{id}");
        statements.push(db.insert_audit(&who.audit(
            "adjust_balance",
            &object,
            Some(id),
            (None, Some(&after)),
            now.unix(),
        ))?);
        statements.extend(idem.claim(who, &db, now.unix())?);
        match db.batch(statements).await {
            Ok(_) => {
                let entry = db
                    .entry_by_key(id, &key)
                    .await?
                    .ok_or_else(|| AppError::Internal("the adjustment entry is missing".into()))?;
                let body = serde_json::to_string(&entry_dto(entry))
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                return idem.finish(who, &db, (201, body)).await;
            }
            Err(e) => match crate::routes::tickets::lost(&e) {
                Some(_) => continue,
                None => return Err(e),
            },
        }
    }
    Err(AppError::Internal(format!(
        "organisation {id}: still contended after 8 attempts"
    )))
}
