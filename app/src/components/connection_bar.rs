use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::offline::use_sw;

/// In the (sticky) header on every screen, one line each: "offline — as of 10:42" while the
/// answers come from the phone's copy, how many changes wait to be sent, and "a new version —
/// reload" after a deploy.
#[component]
pub fn ConnectionBar() -> impl IntoView {
    let i18n = use_i18n();
    let sw = use_sw();
    let offline = move || {
        sw.attr("data-offline")
            .and_then(|ms| ms.parse::<i64>().ok())
            .filter(|ms| *ms > 0)
    };
    let waiting = move || {
        sw.outbox(0)
            .iter()
            .filter(|i| i.get("state") == "waiting")
            .count()
    };
    view! {
        {move || (offline().is_some() || waiting() > 0).then(|| view! {
            <p class="connection" role="status">
                {move || offline().map(|ms| {
                    #[allow(clippy::cast_precision_loss)]
                    let at = crate::format::time_today(i18n.locale.get(), ms as f64);
                    view! { <span data-testid="offline">{i18n.tr(Msg::OfflineAsOf)}" "{at}</span> }
                })}
                {move || (waiting() > 0).then(|| view! {
                    <span data-testid="outbox-count">{i18n.tr(Msg::WaitingToSend)}": "{waiting}</span>
                })}
            </p>
        })}
        {move || sw.attr("data-update").map(|_| view! {
            <p class="connection connection--update" role="status" data-testid="update">
                {i18n.tr(Msg::NewVersion)}
                <button type="button" class="button" data-sw="reload" data-testid="reload">{i18n.tr(Msg::Reload)}</button>
            </p>
        })}
    }
}
