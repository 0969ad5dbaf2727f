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

/// `createCheckout` for a pack, keeping the card when the admin agreed (one key per intent).
pub fn checkout(pack_id: i64, save_card: bool) -> Write {
    write(
        Verb::Post,
        "/checkouts",
        Some(format!(
            "{{\"pack_id\":{pack_id},\"save_card\":{save_card}}}"
        )),
    )
    .keyed()
}

/// `createPointPack` (no `id`) or `updatePointPack`: a pack of `points` (`12.50`) for
/// `price_minor`, on sale or not.
pub fn save_pack(
    id: Option<i64>,
    name: &str,
    points: &str,
    price_minor: i64,
    currency: &str,
    active: bool,
) -> Write {
    let body = format!(
        "{{\"name\":{},\"points\":{},\"price_minor\":{price_minor},\"currency\":{},\"active\":{active}}}",
        quote(name),
        quote(points),
        quote(currency)
    );
    match id {
        None => write(Verb::Post, "/point-packs", Some(body)),
        Some(id) => write(Verb::Put, format!("/point-packs/{id}"), Some(body)),
    }
}

/// `updatePaymentSettings`: the VAT code of card receipts.
pub fn save_vat_code(vat_code: u8) -> Write {
    write(
        Verb::Put,
        "/payment-settings",
        Some(format!("{{\"vat_code\":{vat_code}}}")),
    )
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
