//! The accounting export: invoices, payments and acts of a period for 1C (EnterpriseData XML)
//! or a spreadsheet (CSV). Its payments are exactly the purchases the revenue report sums.

use pointdesk_api::invoices::{ActDto, ClientRequisitesDto};
use pointdesk_api::problem::FieldError;
use pointdesk_domain::policy::Action;
use pointdesk_domain::time::Timestamp;
use worker::Response;

use crate::db::{Db, SettledRow};
use crate::docs::{enterprise_data, ExportData};
use crate::docs::{ExportInvoice, ExportPayment};
use crate::error::{AppError, AppResult};
use crate::http::{csv_locale, iso, months, Call, Csv, Months, Session};

fn numeric(currency: &str) -> &'static str {
    match currency {
        "EUR" => "978",
        "USD" => "840",
        _ => "643",
    }
}

fn payment(r: &SettledRow, offset: i32) -> ExportPayment {
    ExportPayment {
        id: r.id,
        gateway: r.gateway.clone(),
        currency: numeric(&r.currency),
        date: Timestamp::from_unix(r.settled_at).date(offset).to_string(),
        amount_minor: r.amount_minor,
        buyer: ClientRequisitesDto {
            legal_name: r.legal_name.clone().unwrap_or_default(),
            inn: r.inn.clone().unwrap_or_default(),
            kpp: r.kpp.clone().unwrap_or_default(),
            address: r.address.clone().unwrap_or_default(),
        },
        buyer_name: r.organization.clone(),
        invoice: r
            .invoice_number
            .zip(r.invoice_issued_on.clone())
            .map(|(n, on)| (r.id, n, on)),
        reference: r
            .payment_reference
            .clone()
            .unwrap_or_else(|| format!("{} {}", r.gateway, r.id)),
    }
}

async fn data(db: &Db, who: &Session, m: &Months, now: Timestamp) -> AppResult<ExportData> {
    let seller = db
        .provider_requisites(who.provider())
        .await?
        .ok_or_else(|| {
            AppError::Fields(vec![FieldError::new("provider_requisites", "required")])
        })?;
    let (from_day, to_day) = (
        m.from.first_day().to_string(),
        m.to.next().first_day().to_string(),
    );
    let invoices = db
        .invoices_between(who.provider(), (&from_day, &to_day))
        .await?
        .into_iter()
        .filter(|i| i.issued_on >= from_day && i.issued_on < to_day)
        .map(|i| {
            let buyer = serde_json::from_str::<crate::docs::InvoiceDoc>(&i.document)
                .map(|d| d.buyer)
                .unwrap_or_default();
            ExportInvoice {
                id: i.id,
                number: i.number,
                issued_on: i.issued_on,
                description: i.description,
                points: i.points,
                amount_minor: i.amount_minor,
                vat: i.vat,
                vat_minor: i.vat_minor,
                buyer,
            }
        })
        .collect();
    let payments = db
        .settled_purchases(who.provider(), m.between)
        .await?
        .iter()
        .map(|r| payment(r, m.offset))
        .collect();
    let mut acts = Vec::new();
    for row in db
        .acts_between(who.provider(), (&m.from.to_string(), &m.to.to_string()))
        .await?
    {
        let mut act: ActDto = serde_json::from_str(&row.document)
            .map_err(|e| AppError::Internal(format!("act {}: {e}", row.number)))?;
        act.number = Some(row.number);
        act.issued_on = Some(row.issued_on);
        acts.push(act);
    }
    Ok(ExportData {
        deployment: db.deployment().await?,
        created: iso(now.unix()).trim_end_matches('Z').to_owned(),
        seller,
        invoices,
        payments,
        acts,
    })
}

fn money(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, (minor % 100).abs())
}

fn csv(d: &ExportData, locale: &str) -> Csv {
    let mut csv = Csv::new(
        locale,
        &[
            ("document", "Документ"),
            ("number", "Номер"),
            ("date", "Дата"),
            ("client", "Контрагент"),
            ("inn", "ИНН"),
            ("amount", "Сумма"),
            ("vat", "НДС"),
            ("currency", "Валюта"),
        ],
    );
    for i in &d.invoices {
        let (amount, vat) = (csv.num(money(i.amount_minor)), csv.num(money(i.vat_minor)));
        let number = i.number.to_string();
        csv.row(&[
            ("invoice", false),
            (&number, false),
            (&i.issued_on, false),
            (&i.buyer.legal_name, true),
            (&i.buyer.inn, false),
            (&amount, false),
            (&vat, false),
            ("RUB", false),
        ]);
    }
    for p in &d.payments {
        let amount = csv.num(money(p.amount_minor));
        let number = p.id.to_string();
        let kind = if p.gateway == "invoice" {
            "bank_payment"
        } else {
            "card_payment"
        };
        let name = if p.buyer.legal_name.is_empty() {
            &p.buyer_name
        } else {
            &p.buyer.legal_name
        };
        let code = match p.currency {
            "978" => "EUR",
            "840" => "USD",
            _ => "RUB",
        };
        csv.row(&[
            (kind, false),
            (&number, false),
            (&p.date, false),
            (name, true),
            (&p.buyer.inn, false),
            (&amount, false),
            ("", false),
            (code, false),
        ]);
    }
    for a in &d.acts {
        let (amount, vat) = (csv.num(money(a.amount_minor)), csv.num(money(a.vat_minor)));
        let number = a.number.unwrap_or_default().to_string();
        csv.row(&[
            ("act", false),
            (&number, false),
            (a.issued_on.as_deref().unwrap_or_default(), false),
            (&a.buyer.legal_name, true),
            (&a.buyer.inn, false),
            (&amount, false),
            (&vat, false),
            ("RUB", false),
        ]);
    }
    csv
}

/// `exportAccounting`.
pub async fn export(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageBilling)?;
    let xml = match call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.into_owned())
        .as_deref()
    {
        None | Some("xml") => true,
        Some("csv") => false,
        Some(_) => {
            return Err(AppError::Fields(vec![FieldError::new(
                "format",
                "malformed",
            )]))
        }
    };
    let m = months(call, who)?;
    let d = data(&call.db()?, who, &m, call.now).await?;
    let period = format!("{}-{}", m.from, m.to);
    if !xml {
        return csv(&d, &csv_locale(call, who)?).into_response("1c", &period);
    }
    let mut resp = Response::ok(enterprise_data(&d))?;
    let h = resp.headers_mut();
    h.set("content-type", "application/xml; charset=utf-8")?;
    h.set(
        "content-disposition",
        &format!("attachment; filename=\"pointdesk-1c-{period}.xml\""),
    )?;
    h.set("cache-control", "no-store")?;
    Ok(resp)
}
