//! Bank statements: a 1C exchange file's incoming payments, each matched to an invoice and
//! credited once; what matches nothing exactly waits for the manager's decision.

use pointdesk_api::invoices::*;
use pointdesk_api::problem::FieldError;
use pointdesk_domain::bank::{self, Document, Match, OpenInvoice};
use pointdesk_domain::policy::Action;
use pointdesk_domain::DomainError;
use worker::Response;

use super::invoices::{credit, invoice_dto, load, reference, Credit};
use crate::db::{BankPaymentRow, Db, NewBankPayment};
use crate::error::{AppError, AppResult};
use crate::http::{body_of, csv_locale, json, respond, Call, Csv, Session};
use crate::idempotency::{Begun, Idem};

fn field(name: &str, code: &str) -> AppError {
    AppError::Fields(vec![FieldError::new(name, code)])
}

fn payment_dto(r: &BankPaymentRow) -> BankPaymentDto {
    BankPaymentDto {
        id: r.id,
        number: r.number.clone(),
        date: r.doc_date.clone(),
        amount_minor: r.amount_minor,
        payer_name: r.payer_name.clone(),
        payer_inn: r.payer_inn.clone(),
        payer_account: r.payer_account.clone(),
        purpose: r.purpose.clone(),
        state: r.state.clone(),
        reason: r.reason.clone(),
        invoice_id: r.invoice_id,
        invoice_reference: match (r.invoice_number, &r.invoice_issued_on) {
            (Some(n), Some(on)) => Some(reference(n, on)),
            _ => None,
        },
        note: r.note.clone(),
    }
}

/// The statement's text, or the field error that says what is wrong with the file.
fn statement(req: &BankStatementRequest) -> AppResult<bank::Statement> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(req.file_base64.trim())
        .map_err(|_| field("file_base64", "malformed"))?;
    let text = bank::decode(&bytes).map_err(|e| field("file_base64", e.code()))?;
    bank::parse(&text).map_err(|e| {
        AppError::Fields(vec![FieldError {
            limit: e.line().map(|l| l as u64),
            ..FieldError::new("file_base64", e.code())
        }])
    })
}

/// What importing one document did.
enum Outcome {
    Credited,
    Known,
    Open,
}

async fn import_one(
    db: &Db,
    call: &Call<'_>,
    who: &Session,
    doc: &Document,
    open: &[OpenInvoice],
) -> AppResult<Outcome> {
    let provider = who.provider();
    if db.bank_payment_known(provider, &doc.key()).await? {
        return Ok(Outcome::Known);
    }
    let now = call.now.unix();
    let row = |state, reason, invoice| NewBankPayment {
        provider,
        doc,
        state,
        reason,
        invoice,
        now,
    };
    let (reason, invoice) = match bank::match_payment(doc, open) {
        Match::Paid { invoice } => {
            let paid_ref = format!(
                "п/п № {} от {}",
                doc.number,
                crate::docs::date(&doc.date.to_string())
            );
            let extra = || {
                Ok(vec![
                    db.insert_bank_payment(&row("credited", None, Some(invoice)))?,
                    db.invoice_paid(invoice, &doc.date.to_string(), &paid_ref)?,
                ])
            };
            match credit(db, &call.origin(), call.now, (provider, invoice), extra).await {
                Ok(Credit::Now) => return Ok(Outcome::Credited),
                // Paid or cancelled meanwhile: the manager decides.
                Ok(Credit::NotWaiting) => ("invoice_closed", Some(invoice)),
                Err(e) => {
                    if db.bank_payment_known(provider, &doc.key()).await? {
                        return Ok(Outcome::Known);
                    }
                    return Err(e);
                }
            }
        }
        Match::Differs {
            invoice,
            difference,
        } => (
            if difference < 0 { "short" } else { "excess" },
            Some(invoice),
        ),
        Match::Unmatched(why) => (why.code(), None),
    };
    match db
        .batch(vec![db.insert_bank_payment(&row(
            "open",
            Some(reason),
            invoice,
        ))?])
        .await
    {
        Ok(_) => Ok(Outcome::Open),
        // Another import read the same payment first.
        Err(AppError::Conflict(_)) => Ok(Outcome::Known),
        Err(e) => Err(e),
    }
}

/// `importBankStatement`.
pub async fn import(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageBilling)?;
    let (req, body): (BankStatementRequest, Vec<u8>) = body_of(call).await?;
    let st = statement(&req)?;
    let db = call.db()?;
    let idem = match Idem::begin(call, who, &db, &body).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let ours = db
        .provider_requisites(who.provider())
        .await?
        .ok_or_else(|| field("provider_requisites", "required"))?;
    let mut result = BankImportDto {
        documents: st.documents.len() as i64,
        credited: 0,
        already_imported: 0,
        not_incoming: 0,
        to_resolve: 0,
        payments: Vec::new(),
    };
    let mut keys = Vec::new();
    for doc in &st.documents {
        let incoming = doc.payee_account == ours.account
            || (doc.payee_account.is_empty() && doc.payee_inn == ours.inn);
        if !incoming || doc.payer_account == ours.account || doc.amount_minor <= 0 {
            result.not_incoming += 1;
            continue;
        }
        let open = db.open_invoices(who.provider()).await?;
        match import_one(&db, call, who, doc, &open).await? {
            Outcome::Credited => result.credited += 1,
            Outcome::Known => {
                result.already_imported += 1;
                continue;
            }
            Outcome::Open => result.to_resolve += 1,
        }
        keys.push(doc.key());
    }
    if !keys.is_empty() {
        result.payments = db
            .bank_payments(who.provider(), false, Some(&keys))
            .await?
            .iter()
            .map(payment_dto)
            .collect();
    }
    let body = serde_json::to_string(&result).map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(claim) = idem.claim(who, &db, call.now.unix())? {
        db.batch(vec![claim]).await?;
    }
    idem.finish(who, &db, (200, body)).await
}

/// `listBankPayments`.
pub async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageBilling)?;
    let state = call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned());
    let format = query_format(call)?;
    let desk = format.as_deref() == Some("html");
    let open_only = match state.as_deref() {
        // The desk shows what waits for a decision unless asked for all.
        None => desk,
        Some("all") => false,
        Some("open") => true,
        Some(_) => return Err(field("state", "malformed")),
    };
    let db = call.db()?;
    let rows = db.bank_payments(who.provider(), open_only, None).await?;
    match format.as_deref() {
        Some("csv") => return payments_csv(&rows, &csv_locale(call, who)?),
        Some("html") => {
            // The manager's desk: the invoices awaiting a transfer, then these payments.
            let waiting = db
                .invoices(who.provider(), None, Some("awaiting_transfer"), 200)
                .await?;
            let invoices: Vec<InvoiceDto> = waiting.iter().map(invoice_dto).collect();
            let payments: Vec<BankPaymentDto> = rows.iter().map(payment_dto).collect();
            return crate::docs::bank_desk_page(&invoices, &payments, who.user.locale == "ru");
        }
        _ => {}
    }
    json(&BankPaymentListDto {
        payments: rows.iter().map(payment_dto).collect(),
    })
}

/// `format`: `json` (or nothing), `csv` or `html`.
fn query_format(call: &Call<'_>) -> AppResult<Option<String>> {
    let format = call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.into_owned());
    match format.as_deref() {
        None | Some("json" | "csv" | "html") => Ok(format),
        Some(_) => Err(field("format", "malformed")),
    }
}

/// The list as a spreadsheet (what the app draws, too: `locale=en`).
fn payments_csv(rows: &[BankPaymentRow], locale: &str) -> AppResult<Response> {
    let mut csv = Csv::new(
        locale,
        &[
            ("id", "Код"),
            ("number", "Номер"),
            ("date", "Дата"),
            ("amount", "Сумма"),
            ("payer", "Плательщик"),
            ("payer_inn", "ИНН плательщика"),
            ("purpose", "Назначение"),
            ("state", "Состояние"),
            ("reason", "Причина"),
            ("invoice_id", "Код счёта"),
            ("invoice", "Счёт"),
            ("note", "Комментарий"),
        ],
    );
    for r in rows {
        let d = payment_dto(r);
        let (id, amount) = (
            d.id.to_string(),
            csv.num(super::invoices::minor(d.amount_minor)),
        );
        let invoice = d.invoice_id.map(|i| i.to_string()).unwrap_or_default();
        csv.row(&[
            (&id, false),
            (&d.number, true),
            (&d.date, false),
            (&amount, false),
            (&d.payer_name, true),
            (&d.payer_inn, false),
            (&d.purpose, true),
            (&d.state, false),
            (d.reason.as_deref().unwrap_or_default(), false),
            (&invoice, false),
            (d.invoice_reference.as_deref().unwrap_or_default(), true),
            (d.note.as_deref().unwrap_or_default(), true),
        ]);
    }
    csv.into_response("bank-payments", "all")
}

/// `resolveBankPayment`: credit an invoice with it, note a refund, or ignore it.
pub async fn resolve(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageBilling)?;
    let (req, body): (BankResolutionRequest, Vec<u8>) = body_of(call).await?;
    let db = call.db()?;
    let id = call.id()?;
    let row = db
        .bank_payment(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let note = req.note.trim();
    if note.chars().count() > 500 {
        return Err(field("note", "too_long"));
    }
    let state = match req.action.as_str() {
        "credit" => "credited",
        "refund" if note.is_empty() => return Err(field("note", "required")),
        "refund" => "refund",
        "ignore" => "ignored",
        _ => return Err(field("action", "malformed")),
    };
    if row.state != "open" {
        return Err(AppError::Domain(DomainError::IllegalTransition {
            entity: "payment",
            action: "resolve",
            state: "decided",
        }));
    }
    let idem = match Idem::begin(call, who, &db, &body).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let now = call.now;
    let audit = format!("п/п № {} от {}", row.number, row.doc_date);
    let after = serde_json::json!({ "state": state, "note": note }).to_string();
    let extra = |invoice: Option<i64>| -> AppResult<Vec<worker::D1PreparedStatement>> {
        let mut s = vec![
            db.resolve_bank_payment(id, (state, invoice, note), who.user.id, now.unix())?,
            db.insert_audit(&who.audit(
                "bank_payment.resolve",
                &audit,
                None,
                (None, Some(&after)),
                now.unix(),
            ))?,
        ];
        s.extend(idem.claim(who, &db, now.unix())?);
        Ok(s)
    };
    if state == "credited" {
        let invoice = req
            .invoice_id
            .or(row.invoice_id)
            .ok_or_else(|| field("invoice_id", "required"))?;
        let inv = load(&db, who, invoice)
            .await
            .map_err(|_| field("invoice_id", "unknown"))?;
        let paid_ref = format!(
            "п/п № {} от {}",
            row.number,
            crate::docs::date(&row.doc_date)
        );
        let statements = || {
            let mut s = extra(Some(inv.id))?;
            s.push(db.invoice_paid(inv.id, &row.doc_date, &paid_ref)?);
            Ok(s)
        };
        if credit(
            &db,
            &call.origin(),
            now,
            (who.provider(), inv.id),
            statements,
        )
        .await?
            == Credit::NotWaiting
        {
            return Err(field("invoice_id", "not_waiting"));
        }
    } else {
        db.batch(extra(None)?).await?;
    }
    let fresh = db
        .bank_payment(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = serde_json::to_string(&payment_dto(&fresh))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    idem.finish(who, &db, (200, body)).await
}
