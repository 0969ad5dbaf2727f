use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::client;
use crate::components::auto_topup_form::auto_topup_form;
use crate::components::balance_card::balance_card;
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote_text;
use crate::flat_json;
use crate::format;
use crate::i18n::{points, text, use_i18n, Msg};
use crate::writes::{busy, error_of, on_success, use_write};

/// Where the buyer came from (`?back=/tickets/7`), kept across the gateway's pages.
pub const BACK_KEY: &str = "pointdesk.back";

/// The client admin's top-up screen: what is available now, the packs for sale (a press goes to
/// the gateway's hosted checkout) and the organisation's purchases, each with its receipt.
pub fn buy_points(org: i64) -> impl IntoView {
    let i18n = use_i18n();
    // A return path from the quote screen survives the trip through the gateway.
    let back = use_query_map().with_untracked(|q| q.get("back"));
    if let (Some(back), Ok(Some(store))) = (back, window().session_storage()) {
        if back.starts_with("/tickets/") {
            let _ = store.set_item(BACK_KEY, &back);
        }
    }
    let invoice = use_write();
    let navigate = leptos_router::hooks::use_navigate();
    on_success(invoice, move |t| {
        let id = crate::flat_json::fields(t).get("id");
        navigate(&format!("/purchases/{id}"), Default::default());
    });
    let buy = use_write();
    let keep = RwSignal::new(false);
    on_success(buy, move |t| {
        let to = flat_json::fields(t).get("redirect_url");
        if !to.is_empty() {
            let _ = window().location().set_href(&to);
        }
    });
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::TopUp)}</h1>
        <p class="muted">{i18n.tr(Msg::BuyIntro)}</p>
        {balance_card(org)}
        <ErrorBox error=error_of(buy) />
        <ErrorBox error=error_of(invoice) />
        {remote_text("/point-packs".to_owned(), move |body| {
            let loc = i18n.locale.get();
            let packs = flat_json::fields(&body).list("packs");
            if packs.is_empty() {
                return view! { <p class="muted">{text(loc, Msg::NoPacks)}</p> }.into_any();
            }
            let on_sale: Vec<(i64, String)> = packs.iter().map(|p| (p.int("id"), p.get("name"))).collect();
            view! {
                <label class="check">
                    <input type="checkbox" data-testid="keep-card" prop:checked=move || keep.get()
                        on:change=move |ev| keep.set(event_target_checked(&ev)) />
                    {text(loc, Msg::KeepCard)}
                </label>
                <ul class="packs" data-testid="packs">
                    {packs.into_iter().map(|p| {
                        let (id, name, title, currency) = (p.int("id"), p.get("name"), p.get("name"), p.get("currency"));
                        let (pts, price) = (p.points("points").unwrap_or(pointdesk_api::WirePoints::ZERO), p.int("price_minor"));
                        // What one point costs in this pack, rounded to the currency's minor unit.
                        let h = pts.0.hundredths().max(1);
                        let each = (price * 100 + h / 2) / h;
                        view! {
                            <li class="card pack" data-testid="pack" data-name=name>
                                <strong class="pack__points">{points(loc, pts)}</strong>
                                <span class="muted">{title}</span>
                                <span class="pack__price">{format::money(loc, price, &currency)}</span>
                                <span class="muted" data-testid="per-point">{format::money(loc, each, &currency)}" "{text(loc, Msg::PerPoint)}</span>
                                <button class="button" type="button" disabled=busy(buy) data-testid="buy"
                                    on:click=move |_| { buy.dispatch(client::checkout(id, keep.get_untracked())); }>
                                    {text(loc, Msg::Buy)}
                                </button>
                                {(currency == "RUB").then(|| view! {
                                    <button class="button button--secondary" type="button" disabled=busy(invoice) data-testid="buy-invoice"
                                        on:click=move |_| { invoice.dispatch(client::create_invoice(id)); }>
                                        {text(loc, Msg::PayByInvoice)}
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {auto_topup_form(org, on_sale)}
            }.into_any()
        })}
        <h2>{i18n.tr(Msg::Purchases)}</h2>
        {purchases()}
    }
}

/// The organisation's purchases, newest first, each linking to its receipt.
fn purchases() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {remote_text("/purchases".to_owned(), move |body| {
            let loc = i18n.locale.get();
            let list = flat_json::fields(&body).list("purchases");
            if list.is_empty() {
                return view! { <p class="muted">{text(loc, Msg::NoPurchases)}</p> }.into_any();
            }
            view! {
                <ul class="rows" data-testid="purchases">
                    {list.into_iter().map(|p| {
                        let status = p.get("status");
                        let line = format!(
                            "{} · {} · {} · {} · {}",
                            format::date_time(loc, p.int("created_at") as f64 * 1000.0),
                            p.get("pack_name"),
                            p.points("points").map(|v| points(loc, v)).unwrap_or_default(),
                            format::money(loc, p.int("amount_minor"), &p.get("currency")),
                            text(loc, status_msg(&status)),
                        );
                        view! {
                            <li class="row" data-testid="purchase-row" data-status=status>
                                <a href=format!("/purchases/{}", p.get("id"))>{line}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        })}
    }
}

/// A purchase's status as the client reads it.
pub fn status_msg(status: &str) -> Msg {
    match status {
        "succeeded" => Msg::PurchaseSucceeded,
        "failed" => Msg::PurchaseFailed,
        "canceled" => Msg::PurchaseCanceled,
        "awaiting_transfer" => Msg::InvoiceAwaiting,
        _ => Msg::PurchasePending,
    }
}
