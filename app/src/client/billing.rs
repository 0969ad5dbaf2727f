//! Paying by bank transfer: requisites, invoices, bank statements, acts and the 1C export. The
//! screens read these as text (flat objects, CSV in the plain convention) and write flat objects
//! (`crate::flat_json`), so no serde type of theirs is compiled into the app.

use super::{write, Verb, Write};
use crate::flat_json::{object, quote};

/// `updateProviderRequisites` / `updateOrganizationRequisites`: the fields at `path`.
pub fn save_requisites(path: &str, fields: &[(&str, String)]) -> Write {
    write(Verb::Put, path, Some(object(fields)))
}

/// `createInvoice` for a pack (one key per intent: a second press is the same invoice).
pub fn create_invoice(pack_id: i64) -> Write {
    write(
        Verb::Post,
        "/invoices",
        Some(format!("{{\"pack_id\":{pack_id}}}")),
    )
    .keyed()
}

/// `cancelInvoice`.
pub fn cancel_invoice(id: i64) -> Write {
    write(Verb::Post, format!("/invoices/{id}/cancel"), None)
}

/// `markInvoicePaid` (one key per intent).
pub fn mark_paid(id: i64, paid_on: String, reference: String) -> Write {
    let body = object(&[("paid_on", paid_on), ("reference", reference)]);
    write(Verb::Post, format!("/invoices/{id}/payment"), Some(body)).keyed()
}

/// `importBankStatement` (one key per file chosen).
pub fn import_statement(file_base64: &str) -> Write {
    let body = format!("{{\"file_base64\":{}}}", quote(file_base64));
    write(Verb::Post, "/bank-statements", Some(body)).keyed()
}

/// `resolveBankPayment`: `credit`, `refund` or `ignore`, with the manager's note.
pub fn resolve_payment(id: i64, action: &str, note: String) -> Write {
    let body = object(&[("action", action.to_owned()), ("note", note)]);
    write(
        Verb::Post,
        format!("/bank-payments/{id}/resolution"),
        Some(body),
    )
    .keyed()
}

/// `updateAutoTopUp`: the organisation's automatic top-up.
pub fn save_auto_topup(
    path: &str,
    enabled: bool,
    threshold: &str,
    pack_id: &str,
    method: &str,
    cap_minor: &str,
) -> Write {
    let body = format!(
        "{{\"enabled\":{enabled},\"threshold\":{},\"pack_id\":{},\"method\":{},\"monthly_cap_minor\":{}}}",
        quote(threshold),
        number(pack_id),
        quote(method),
        number(cap_minor)
    );
    write(Verb::Put, path, Some(body))
}

/// A whole number as typed, or a string the server refuses by name (never a broken body).
fn number(s: &str) -> String {
    if !s.is_empty() && s.len() < 16 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.to_owned()
    } else {
        quote(s)
    }
}

/// Where the browser opens an invoice's printable page.
pub fn invoice_href(id: i64) -> String {
    format!("{}/invoices/{id}?format=html", pointdesk_api::API_PREFIX)
}

/// The 1C export of the last six months (`xml`) or its spreadsheet (`csv`).
pub fn export_href(format: &str) -> String {
    format!(
        "{}/accounting-export?format={format}",
        pointdesk_api::API_PREFIX
    )
}
