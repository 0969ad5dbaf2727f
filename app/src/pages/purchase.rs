use leptos::prelude::*;

use crate::client;
use crate::components::data_table::data_table;
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote_text_at;
use crate::flat_json;
use crate::format;
use crate::i18n::{points, text, use_i18n, Msg};
use crate::pages::buy_points::{status_msg, BACK_KEY};
use crate::session::use_auth;
use crate::writes::{busy, error_of, on_success, use_write, WriteAction};

/// Where the gateway sends the buyer back, and the purchase's receipt ever after: while the
/// payment is pending it asks again every 1.5 s, so "credited" (or "failed") appears without a
/// reload; the figures are the purchase's own, the balance the one right after the credit. An
/// invoice (a purchase paid by bank transfer) opens as its printable page; while it waits it
/// may be cancelled, and a manager records a transfer that came outside a statement.
pub fn purchase(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let act = use_write();
    // Read again after an action, and every 1.5 s while the payment is pending.
    let reads = RwSignal::new(0u32);
    on_success(act, move |_| reads.update(|n| *n += 1));
    let staff = use_auth().is_staff();
    let back = window()
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(BACK_KEY).ok().flatten());
    let path = move || {
        reads.track();
        format!("/purchases/{id}")
    };
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::Receipt)}</h1>
        {remote_text_at(path, move |body| {
            let loc = i18n.locale.get();
            let p = flat_json::fields(&body);
            let status = p.get("status");
            if status == "pending" {
                set_timeout(move || reads.update(|n| *n += 1), std::time::Duration::from_millis(1500));
            }
            let bought = p.points("points").map(|v| points(loc, v)).unwrap_or_default();
            let (class, headline) = match status.as_str() {
                "succeeded" => ("notice notice--ok", format!("{} {bought}", text(loc, Msg::PayCredited))),
                "failed" => ("notice notice--error", text(loc, Msg::PayFailed).to_owned()),
                "canceled" => ("notice notice--error", text(loc, Msg::PayCanceled).to_owned()),
                "awaiting_transfer" => ("notice", text(loc, Msg::InvoiceWaits).to_owned()),
                _ => ("notice", text(loc, Msg::PayPending).to_owned()),
            };
            let gateway = p.get("gateway");
            let mut rows = vec![
                (Msg::Pack, p.get("pack_name")),
                (Msg::Points, bought),
                (Msg::Price, format::money(loc, p.int("amount_minor"), &p.get("currency"))),
                (Msg::EventStatus, text(loc, status_msg(&status)).to_owned()),
                (Msg::Buyer, format!("{} · {}", p.get("buyer"), p.sub("organization").get("name"))),
                (Msg::DateLabel, format::date_time(loc, p.int("created_at") as f64 * 1000.0)),
                (Msg::PaymentRef, format!("{gateway} {}", p.get("payment_id"))),
            ];
            let failure = p.get("failure");
            if !failure.is_empty() {
                // The gateway's own words, as it gave them.
                rows.push((Msg::Reason, failure));
            }
            if let Some(b) = p.points("balance_after") {
                rows.push((Msg::BalanceNow, points(loc, b)));
            }
            let invoice = (gateway == "invoice").then(|| invoice_actions(id, status == "awaiting_transfer", staff, act));
            let checkout = p.get("checkout_url");
            let pay = (!checkout.is_empty()).then(|| view! {
                <p class="actions"><a class="button" href=checkout rel="external" data-testid="purchase-pay">{text(loc, Msg::PayNow)}</a></p>
            });
            view! {
                <div class=class role="status" data-testid="purchase-status" data-status=status>
                    <p>{headline}</p>
                </div>
                {invoice}
                {pay}
                {data_table(
                    "receipt",
                    Vec::new(),
                    rows.into_iter().map(|(m, v)| vec![text(loc, m).to_owned(), v]).collect(),
                    false,
                )}
            }
            .into_any()
        })}
        <ErrorBox error=error_of(act) />
        <p class="actions">
            {back.map(|b| view! { <a class="button" href=b data-testid="back-to-ticket">{i18n.tr(Msg::BackToTicket)}</a> })}
            <a class="link" href="/buy-points">{i18n.tr(Msg::TopUp)}</a>
        </p>
    }
}

/// An invoice's page to print, and while it waits: cancel it, or (managers) record the
/// transfer by hand with its date and payment order.
fn invoice_actions(id: i64, waiting: bool, staff: bool, act: WriteAction) -> impl IntoView {
    let i18n = use_i18n();
    let day = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let paid = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act.dispatch(client::mark_paid(
            id,
            day.get_untracked(),
            reference.get_untracked(),
        ));
    };
    view! {
        <p class="actions">
            <a class="button" href=client::invoice_href(id) target="_blank" data-testid="invoice-print">{i18n.tr(Msg::PrintInvoice)}</a>
            {waiting.then(|| view! {
                <button class="button button--secondary" type="button" disabled=busy(act) data-testid="invoice-cancel"
                    on:click=move |_| { act.dispatch(client::cancel_invoice(id)); }>{i18n.tr(Msg::CancelInvoice)}</button>
            })}
        </p>
        {(waiting && staff).then(|| view! {
            <form class="card stack" on:submit=paid novalidate=true data-testid="paid-form">
                <h2 class="card__title">{i18n.tr(Msg::MarkPaid)}</h2>
                <label class="field">
                    <span class="field__label">{i18n.tr(Msg::PaidOn)}</span>
                    <input class="field__input" type="date" data-testid="input-paid_on"
                        on:input=move |ev| day.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span class="field__label">{i18n.tr(Msg::PaymentOrder)}</span>
                    <input class="field__input" data-testid="input-reference"
                        on:input=move |ev| reference.set(event_target_value(&ev)) />
                </label>
                <button class="button" type="submit" disabled=busy(act) data-testid="paid-submit">{i18n.tr(Msg::Save)}</button>
            </form>
        })}
    }
}
