use leptos::prelude::*;
use pointdesk_api::ledger::AdjustmentRequest;
use pointdesk_api::WirePoints;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::writes::{busy, error_of, succeeded, use_write};

/// A manager credits or debits an organisation's points with a reason the client reads.
pub fn adjust_form(org: i64) -> impl IntoView {
    let i18n = use_i18n();
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let save = use_write();
    let error = error_of(save);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Not a number: "0" is refused by the server as `amount` `zero`, named at the field.
        let points = amount
            .get_untracked()
            .trim()
            .replace(',', ".")
            .replace('−', "-")
            .parse()
            .unwrap_or_default();
        save.dispatch(client::adjust(
            org,
            &AdjustmentRequest {
                amount: WirePoints(points),
                reason: reason.get_untracked(),
            },
        ));
    };
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(Msg::AdjustTitle)}</h2>
            <form class="stack" on:submit=submit novalidate=true data-testid="adjust-form">
                <TextField label=Msg::Amount name="amount" value=amount error=error hint=Msg::AdjustHint />
                <TextField label=Msg::Reason name="reason" value=reason error=error />
                <ErrorBox error=error />
                {move || succeeded(save).then(|| view! { <p class="notice" data-testid="adjust-done">{i18n.tr(Msg::AdjustDone)}</p> })}
                <button class="button" type="submit" data-testid="adjust-submit" disabled=busy(save)>{i18n.tr(Msg::AdjustSave)}</button>
            </form>
        </section>
    }
}
