use leptos::prelude::*;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote_text;
use crate::flat_json;
use crate::i18n::{use_i18n, Msg};
use crate::writes::{busy, error_of, succeeded, use_write};

/// YooKassa's VAT codes (`vat_code`) and the rate each stands for; 1 is no VAT.
const RATES: [(u8, &str); 12] = [
    (1, ""),
    (2, "0 %"),
    (3, "10 %"),
    (4, "20 %"),
    (5, "10/110"),
    (6, "20/120"),
    (7, "5 %"),
    (8, "7 %"),
    (9, "5/105"),
    (10, "7/107"),
    (11, "22 %"),
    (12, "22/122"),
];

/// The manager chooses the VAT rate of the 54-FZ receipts that card payments in roubles carry.
pub fn vat_form() -> impl IntoView {
    let i18n = use_i18n();
    let save = use_write();
    let error = error_of(save);
    let chosen = RwSignal::new(None::<u8>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(vat_code) = chosen.get_untracked() {
            save.dispatch(client::save_vat_code(vat_code));
        }
    };
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(Msg::VatTitle)}</h2>
            {remote_text("/payment-settings".to_owned(), move |body| {
                let current = flat_json::fields(&body).int("vat_code");
                let vat = i18n.t(Msg::Vat);
                let no_vat = i18n.t(Msg::NoVat);
                view! {
                    <form class="stack" on:submit=submit novalidate=true data-testid="vat-form">
                        <label class="field">
                            <span class="field__label">{i18n.t(Msg::VatHint)}</span>
                            <select class="field__input" data-testid="vat-code"
                                on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                                {RATES.map(|(code, rate)| {
                                    let label = if rate.is_empty() {
                                        no_vat.to_owned()
                                    } else {
                                        format!("{vat} {rate}")
                                    };
                                    view! { <option value=code.to_string() selected=i64::from(code) == current>{label}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <ErrorBox error=error />
                        {move || succeeded(save).then(|| view! { <p class="notice notice--ok" role="status" data-testid="vat-saved">{i18n.tr(Msg::Saved)}</p> })}
                        <button class="button" type="submit" data-testid="vat-submit" disabled=busy(save)>{i18n.tr(Msg::Save)}</button>
                    </form>
                }.into_any()
            })}
        </section>
    }
}
