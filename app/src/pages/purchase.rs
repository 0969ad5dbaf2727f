use leptos::prelude::*;
use pointdesk_api::payments::PurchaseDto;

use crate::client;
use crate::components::data_table::data_table;
use crate::components::error_box::ErrorBox;
use crate::components::remote::{remote, Remote};
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
    let p = Remote::new(move || client::purchase(id));
    on_success(act, move |_| p.refetch());
    let staff = use_auth().is_staff();
    Effect::new(move |_| {
        if p.ok().is_some_and(|p: PurchaseDto| p.status == "pending") {
            set_timeout(move || p.refetch(), std::time::Duration::from_millis(1500));
        }
    });
    let back = window()
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(BACK_KEY).ok().flatten());
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::Receipt)}</h1>
        {remote(p, move |p: PurchaseDto| {
            let loc = i18n.locale.get();
            let (class, headline) = match p.status.as_str() {
                "succeeded" => ("notice notice--ok", format!("{} {}", text(loc, Msg::PayCredited), points(loc, p.points))),
                "failed" => ("notice notice--error", text(loc, Msg::PayFailed).to_owned()),
                "canceled" => ("notice notice--error", text(loc, Msg::PayCanceled).to_owned()),
                "awaiting_transfer" => ("notice", text(loc, Msg::InvoiceWaits).to_owned()),
                _ => ("notice", text(loc, Msg::PayPending).to_owned()),
            };
            let when = |s: i64| format::date_time(loc, s as f64 * 1000.0);
            let mut rows = vec![
                (Msg::Pack, p.pack_name.clone()),
                (Msg::Points, points(loc, p.points)),
                (Msg::Price, format::money(loc, p.amount_minor, &p.currency)),
                (Msg::EventStatus, text(loc, status_msg(&p.status)).to_owned()),
                (Msg::Buyer, format!("{} · {}", p.buyer, p.organization.name)),
                (Msg::DateLabel, when(p.created_at)),
                (Msg::PaymentRef, format!("{} {}", p.gateway, p.payment_id.clone().unwrap_or_default())),
            ];
            if let Some(f) = p.failure.clone() {
                // The gateway's own words, as it gave them.
                rows.push((Msg::Reason, f));
            }
            if let Some(b) = p.balance_after {
                rows.push((Msg::BalanceNow, points(loc, b)));
            }
            let invoice = (p.gateway == "invoice").then(|| invoice_actions(id, p.status == "awaiting_transfer", staff, act));
            let pay = p.checkout_url.clone().map(|href| view! {
                <p class="actions"><a class="button" href=href rel="external" data-testid="purchase-pay">{text(loc, Msg::PayNow)}</a></p>
            });
            view! {
                <div class=class role="status" data-testid="purchase-status" data-status=p.status.clone()>
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
