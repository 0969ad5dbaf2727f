//! Invoices: a purchase paid by bank transfer. Issued with the requisites of both parties as
//! they are that day, numbered per provider and year, credited exactly once when the transfer
//! arrives (a statement's payment or a manager's word).

use pointdesk_api::invoices::*;
use pointdesk_api::problem::FieldError;
use pointdesk_domain::ids::PaymentId;
use pointdesk_domain::policy::Action;
use pointdesk_domain::requisites::Vat;
use pointdesk_domain::time::Date;
use pointdesk_domain::DomainError;
use worker::{D1PreparedStatement, Response};

use super::settle::terms;
use crate::books::record;
use crate::db::{decide_and_write, Db, InvoiceRow, NewInvoice};
use crate::docs::{invoice_page, plural, InvoiceDoc};
use crate::error::{AppError, AppResult};
use crate::http::{
    body_of, csv_locale, json, respond, wants_csv, wants_html, wire_points, Call, Csv, Session,
};
use crate::idempotency::{Begun, Idem};
use crate::zone;

pub(super) fn invoice_dto(r: &InvoiceRow) -> InvoiceDto {
    InvoiceDto {
        id: r.id,
        number: r.number,
        issued_on: r.issued_on.clone(),
        reference: reference(r.number, &r.issued_on),
        org_id: r.org_id,
        buyer: r.organization.clone(),
        description: r.description.clone(),
        points: wire_points(r.points),
        amount_minor: r.amount_minor,
        currency: r.currency.clone(),
        vat: r.vat.clone(),
        vat_minor: r.vat_minor,
        status: r.status.clone(),
        paid_on: r.paid_on.clone(),
        payment_reference: r.payment_reference.clone(),
    }
}

/// `Счёт № 15 от 03.12.2026`: what the payer writes in the payment's purpose.
pub(super) fn reference(number: i64, issued_on: &str) -> String {
    format!("Счёт № {number} от {}", crate::docs::date(issued_on))
}

fn query(call: &Call<'_>, key: &str) -> AppResult<Option<String>> {
    Ok(call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned()))
}

/// The local date of `call` in the caller's provider zone.
pub(super) fn today(call: &Call<'_>, who: &Session) -> Date {
    let zone = &who.user.time_zone;
    call.now
        .date(zone::offset_minutes(zone, call.now).unwrap_or(0))
}

pub(super) async fn load(db: &Db, who: &Session, id: i64) -> AppResult<InvoiceRow> {
    let row = db
        .invoice(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    who.may(Action::ViewLedger, Some(row.org_id))?;
    Ok(row)
}

fn field(name: &str, code: &str) -> AppError {
    AppError::Fields(vec![FieldError::new(name, code)])
}

/// The points an invoice sells (the pack's, or as many as asked at its price per point), their
/// price rounded half up to the kopeck, and the line's words.
fn priced(
    pack: &crate::db::PackRow,
    asked: Option<pointdesk_api::WirePoints>,
) -> AppResult<(i64, i64, String)> {
    if pack.currency != "RUB" {
        return Err(field("pack_id", "not_rub"));
    }
    let points = asked.map_or(pack.points, |p| p.0.hundredths());
    if points <= 0 {
        return Err(field("points", "not_positive"));
    }
    if points > pointdesk_api::payments::MAX_PACK_POINTS {
        return Err(field("points", "too_large"));
    }
    let amount = (i128::from(pack.price_minor) * i128::from(points) * 2 + i128::from(pack.points))
        / (2 * i128::from(pack.points));
    let amount = i64::try_from(amount).map_err(|_| field("points", "too_large"))?;
    let noun = if points % 100 == 0 {
        plural(points / 100, ["балл", "балла", "баллов"])
    } else {
        "балла"
    };
    let description = format!(
        "Техническая поддержка: {} {noun} (пакет «{}»)",
        crate::docs::points(points),
        pack.name
    );
    Ok((points, amount, description))
}

/// Who issues an invoice to whom, and when.
pub(super) struct Issue {
    pub provider: i64,
    pub org: i64,
    /// Who asked for it (a person, or the admin whose automatic top-up it is).
    pub user: i64,
    pub issued: Date,
    pub now: i64,
}

/// The statements that issue an invoice for `pack` (or `asked` points at its price): the
/// purchase first (`RETURNING id`), then the invoice, with both parties' requisites as they
/// are today; and its points and amount.
pub(super) async fn issue(
    db: &Db,
    i: &Issue,
    pack: &crate::db::PackRow,
    asked: Option<pointdesk_api::WirePoints>,
) -> AppResult<(Vec<D1PreparedStatement>, i64, i64)> {
    let (points, amount, description) = priced(pack, asked)?;
    let seller = db
        .provider_requisites(i.provider)
        .await?
        .ok_or_else(|| field("provider_requisites", "required"))?;
    let buyer = db
        .org_requisites(i.org)
        .await?
        .ok_or_else(|| field("requisites", "required"))?;
    let vat = Vat::parse(&seller.vat).ok_or_else(|| {
        AppError::Internal(format!("provider {}: VAT {}", i.provider, seller.vat))
    })?;
    let doc = InvoiceDoc {
        seller,
        buyer,
        price_per_point_minor: pack.price_minor * 100 / pack.points,
    };
    let document = serde_json::to_string(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    let statements = db.insert_invoice(&NewInvoice {
        provider: i.provider,
        org: i.org,
        pack_id: pack.id,
        pack_name: &pack.name,
        user: i.user,
        points,
        amount_minor: amount,
        year: i.issued.year(),
        issued_on: &i.issued.to_string(),
        description: &description,
        vat: &vat.code(),
        vat_minor: vat.included_in(amount),
        buyer_inn: &doc.buyer.inn,
        document: &document,
        now: i.now,
    })?;
    Ok((statements, points, amount))
}

/// `createInvoice`.
pub async fn create_invoice(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let (req, body): (InvoiceRequest, Vec<u8>) = body_of(call).await?;
    let org = match (who.org(), req.org_id) {
        (Some(mine), _) => mine,
        (None, Some(o)) => o,
        (None, None) => return Err(field("org_id", "required")),
    };
    who.may(Action::RequestInvoice, Some(org))?;
    let db = call.db()?;
    let idem = match Idem::begin(call, who, &db, &body).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let organisation = db
        .organization(who.provider(), org)
        .await?
        .ok_or_else(|| field("org_id", "unknown"))?;
    let pack = db
        .pack(who.provider(), req.pack_id)
        .await?
        .filter(|p| p.active == 1)
        .ok_or_else(|| field("pack_id", "unknown"))?;
    let issued = today(call, who);
    let now = call.now.unix();
    let (mut statements, points, amount) = issue(
        &db,
        &Issue {
            provider: who.provider(),
            org,
            user: who.user.id,
            issued,
            now,
        },
        &pack,
        req.points,
    )
    .await?;
    statements.push(db.insert_audit(&who.audit(
        "invoice.issue",
        &organisation.name,
        Some(org),
        (
            None,
            Some(&format!(
                "{{\"points\":{points},\"amount_minor\":{amount}}}"
            )),
        ),
        now,
    ))?);
    statements.extend(idem.claim(who, &db, now)?);
    let id = match db.batch_returning_id(statements).await {
        Ok(id) => id,
        Err(AppError::Conflict(_)) => {
            if let Some(answer) = idem.replay(who, &db).await? {
                return respond(answer);
            }
            return Err(AppError::Internal(
                "an invoice number was taken twice".into(),
            ));
        }
        Err(e) => return Err(e),
    };
    let row = load(&db, who, id).await?;
    let body =
        serde_json::to_string(&invoice_dto(&row)).map_err(|e| AppError::Internal(e.to_string()))?;
    idem.finish(who, &db, (201, body)).await
}

/// `listInvoices`.
pub async fn list_invoices(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let org = match who.org() {
        Some(o) => Some(o),
        None => match query(call, "org")? {
            None => None,
            Some(v) => Some(
                v.parse::<i64>()
                    .ok()
                    .filter(|v| *v > 0)
                    .ok_or_else(|| field("org", "malformed"))?,
            ),
        },
    };
    match org {
        Some(o) => who.may(Action::ViewLedger, Some(o))?,
        None => who.may_provider_wide(Action::ViewLedger)?,
    }
    let status = query(call, "status")?;
    if let Some(s) = &status {
        if !pointdesk_api::routes::INVOICE_STATUSES.contains(&s.as_str()) {
            return Err(field("status", "malformed"));
        }
    }
    let rows = call
        .db()?
        .invoices(who.provider(), org, status.as_deref(), 100)
        .await?;
    if wants_csv(call)? {
        return invoices_csv(&rows, &csv_locale(call, who)?);
    }
    json(&InvoiceListDto {
        invoices: rows.iter().map(invoice_dto).collect(),
    })
}

/// The list as a spreadsheet (what the app draws, too: `locale=en`).
fn invoices_csv(rows: &[InvoiceRow], locale: &str) -> AppResult<Response> {
    let mut csv = Csv::new(
        locale,
        &[
            ("id", "Код"),
            ("reference", "Счёт"),
            ("buyer", "Покупатель"),
            ("points", "Баллы"),
            ("amount", "Сумма"),
            ("currency", "Валюта"),
            ("vat", "НДС"),
            ("status", "Состояние"),
            ("paid_on", "Оплачен"),
            ("payment_reference", "Платёж"),
        ],
    );
    for r in rows {
        let d = invoice_dto(r);
        let (points, amount, vat) = (
            csv.num(d.points.0),
            csv.num(minor(d.amount_minor)),
            csv.num(minor(d.vat_minor)),
        );
        let id = d.id.to_string();
        csv.row(&[
            (&id, false),
            (&d.reference, true),
            (&d.buyer, true),
            (&points, false),
            (&amount, false),
            (&d.currency, false),
            (&vat, false),
            (&d.status, false),
            (d.paid_on.as_deref().unwrap_or_default(), false),
            (d.payment_reference.as_deref().unwrap_or_default(), true),
        ]);
    }
    csv.into_response("invoices", "all")
}

/// Kopecks as `12000.00`.
pub(super) fn minor(amount: i64) -> String {
    format!("{}.{:02}", amount / 100, (amount % 100).abs())
}

/// `getInvoice`: the data, or (`format=html`) the printable page.
pub async fn get_invoice(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let html = wants_html(call)?;
    let row = load(&call.db()?, who, call.id()?).await?;
    let dto = invoice_dto(&row);
    if html {
        let doc: InvoiceDoc = serde_json::from_str(&row.document)
            .map_err(|e| AppError::Internal(format!("invoice {}: {e}", row.id)))?;
        invoice_page(&dto, &doc)
    } else {
        json(&dto)
    }
}

fn not_waiting(action: &'static str, row: &InvoiceRow) -> AppError {
    AppError::Domain(DomainError::IllegalTransition {
        entity: "invoice",
        action,
        state: if row.status == "succeeded" {
            "paid"
        } else {
            "cancelled"
        },
    })
}

/// `cancelInvoice`: only while it waits for the transfer.
pub async fn cancel_invoice(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    let row = load(&db, who, call.id()?).await?;
    who.may(Action::RequestInvoice, Some(row.org_id))?;
    if row.status != "awaiting_transfer" {
        return Err(not_waiting("cancel", &row));
    }
    let now = call.now.unix();
    let reference = reference(row.number, &row.issued_on);
    db.batch(vec![
        db.cancel_invoice(row.id, now)?,
        db.insert_audit(&who.audit(
            "invoice.cancel",
            &reference,
            Some(row.org_id),
            (None, None),
            now,
        ))?,
    ])
    .await?;
    json(&invoice_dto(&load(&db, who, row.id).await?))
}

/// How crediting an invoice ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Credit {
    Now,
    /// It no longer waits (paid or cancelled meanwhile): nothing was written.
    NotWaiting,
}

/// Credits an invoice's points once, with `extra` statements in the same batch (the payment's
/// row, the audit, an idempotency claim). The ledger's `purchase:{id}` key and the trigger on a
/// settled invoice make a second credit impossible.
pub(super) async fn credit(
    db: &Db,
    origin: &str,
    now: pointdesk_domain::time::Timestamp,
    (provider, id): (i64, i64),
    extra: impl Fn() -> AppResult<Vec<D1PreparedStatement>>,
) -> AppResult<Credit> {
    let purchase = db.purchase(provider, id).await?.ok_or(AppError::NotFound)?;
    let t = terms(db, &purchase, now).await?;
    decide_and_write(&format!("invoice {id}"), async |_| {
        let current = db.purchase(provider, id).await?.ok_or(AppError::NotFound)?;
        if current.status != "awaiting_transfer" {
            return Ok(Credit::NotWaiting);
        }
        let books = db
            .account(purchase.org_id, t.overdraft, t.period, &[])
            .await?;
        let decision = books
            .account
            .purchase(PaymentId::new(id), t.points, &purchase.pack_name)?;
        let mut statements = vec![db.settle_paid(id, now.unix())?];
        statements.extend(extra()?);
        statements.extend(record(db, &books, &decision, now, origin)?);
        db.batch(statements).await?;
        Ok(Credit::Now)
    })
    .await
}

/// `markInvoicePaid`: a transfer the manager saw arrive.
pub async fn mark_paid(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let (req, body): (InvoicePaymentRequest, Vec<u8>) = body_of(call).await?;
    let db = call.db()?;
    let row = load(&db, who, call.id()?).await?;
    who.may(Action::ManageBilling, Some(row.org_id))?;
    let idem = match Idem::begin(call, who, &db, &body).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let mut bad = Vec::new();
    let paid_on = Date::parse(req.paid_on.trim());
    if paid_on.is_none() {
        bad.push(FieldError::new("paid_on", "malformed"));
    }
    let reference = req.reference.trim();
    if reference.is_empty() {
        bad.push(FieldError::new("reference", "required"));
    } else if reference.chars().count() > 100 {
        bad.push(FieldError::new("reference", "too_long"));
    }
    let Some(paid_on) = paid_on.filter(|_| bad.is_empty()) else {
        return Err(AppError::Fields(bad));
    };
    if row.status != "awaiting_transfer" {
        return Err(not_waiting("pay", &row));
    }
    let now = call.now;
    let audit_object = super::invoices::reference(row.number, &row.issued_on);
    let after =
        serde_json::json!({ "paid_on": paid_on.to_string(), "reference": reference }).to_string();
    let extra = || {
        let mut s = vec![
            db.invoice_paid(row.id, &paid_on.to_string(), reference)?,
            db.insert_audit(&who.audit(
                "invoice.paid_by_hand",
                &audit_object,
                Some(row.org_id),
                (None, Some(&after)),
                now.unix(),
            ))?,
        ];
        s.extend(idem.claim(who, &db, now.unix())?);
        Ok(s)
    };
    match credit(&db, &call.origin(), now, (who.provider(), row.id), extra).await? {
        Credit::Now => {}
        Credit::NotWaiting => {
            let fresh = load(&db, who, row.id).await?;
            return Err(not_waiting("pay", &fresh));
        }
    }
    let dto = invoice_dto(&load(&db, who, row.id).await?);
    let body = serde_json::to_string(&dto).map_err(|e| AppError::Internal(e.to_string()))?;
    idem.finish(who, &db, (200, body)).await
}
