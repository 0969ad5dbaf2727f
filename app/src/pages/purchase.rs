use leptos::prelude::*;
use pointdesk_api::payments::PurchaseDto;

use crate::client;
use crate::components::data_table::data_table;
use crate::components::remote::{remote, Remote};
use crate::format;
use crate::i18n::{points, text, use_i18n, Msg};
use crate::pages::buy_points::{status_msg, BACK_KEY};

/// Where the gateway sends the buyer back, and the purchase's receipt ever after: while the
/// payment is pending it asks again every 1.5 s, so "credited" (or "failed") appears without a
/// reload; the figures are the purchase's own, the balance the one right after the credit.
pub fn purchase(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let p = Remote::new(move || client::purchase(id));
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
            view! {
                <div class=class role="status" data-testid="purchase-status" data-status=p.status.clone()>
                    <p>{headline}</p>
                </div>
                {data_table(
                    "receipt",
                    Vec::new(),
                    rows.into_iter().map(|(m, v)| vec![text(loc, m).to_owned(), v]).collect(),
                    false,
                )}
            }
            .into_any()
        })}
        <p class="actions">
            {back.map(|b| view! { <a class="button" href=b data-testid="back-to-ticket">{i18n.tr(Msg::BackToTicket)}</a> })}
            <a class="link" href="/buy-points">{i18n.tr(Msg::TopUp)}</a>
        </p>
    }
}
