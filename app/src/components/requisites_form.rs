use leptos::prelude::*;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote_text;
use crate::components::text_field::TextField;
use crate::flat_json;
use crate::i18n::{use_i18n, Msg};
use crate::writes::{busy, error_of, succeeded, use_write};

/// The seller's fields (the provider's invoices and acts).
pub const PROVIDER: &[(&str, Msg)] = &[
    ("legal_name", Msg::LegalName),
    ("inn", Msg::Inn),
    ("kpp", Msg::Kpp),
    ("ogrn", Msg::Ogrn),
    ("address", Msg::LegalAddress),
    ("bank_name", Msg::BankName),
    ("bik", Msg::Bik),
    ("account", Msg::BankAccount),
    ("corr_account", Msg::CorrAccount),
    ("signatory", Msg::Signatory),
];

/// The buyer's fields (a client organisation).
pub const CLIENT: &[(&str, Msg)] = &[
    ("legal_name", Msg::LegalName),
    ("inn", Msg::Inn),
    ("kpp", Msg::Kpp),
    ("address", Msg::LegalAddress),
];

/// The VAT rules an invoice may state (`domain::requisites::Vat::CODES`).
const VAT: [&str; 5] = ["none", "5", "7", "20", "22"];

/// A card that edits requisites: read from `path` (`/provider-requisites`,
/// `/organizations/{id}/requisites`), saved back with `PUT`. The server checks ИНН, КПП, ОГРН,
/// БИК and accounts by their check digits; each refusal shows under its field, and nothing typed
/// is lost.
pub fn requisites_form(path: String, fields: &'static [(&'static str, Msg)]) -> impl IntoView {
    let i18n = use_i18n();
    let save = use_write();
    let error = error_of(save);
    let with_vat = fields.len() > CLIENT.len();
    let read = path.clone();
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(Msg::Requisites)}</h2>
            {remote_text(read, move |text| {
                let current = flat_json::fields(&text);
                let values: Vec<RwSignal<String>> = fields
                    .iter()
                    .map(|(name, _)| RwSignal::new(current.get(name)))
                    .collect();
                let vat = RwSignal::new(match current.get("vat") {
                    v if v.is_empty() => "none".to_owned(),
                    v => v,
                });
                let (sent, path) = (values.clone(), path.clone());
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let mut body: Vec<(&str, String)> = fields
                        .iter()
                        .zip(&sent)
                        .map(|((name, _), v)| (*name, v.get_untracked()))
                        .collect();
                    if with_vat {
                        body.push(("vat", vat.get_untracked()));
                    }
                    save.dispatch(client::save_requisites(&path, &body));
                };
                view! {
                    <form class="stack" on:submit=submit novalidate=true data-testid="requisites-form">
                        {fields.iter().zip(values).map(|((name, label), value)| view! {
                            <TextField label=*label name=*name value=value error=error />
                        }).collect_view()}
                        {with_vat.then(|| view! {
                            <label class="field">
                                <span class="field__label">{i18n.t(Msg::Vat)}</span>
                                <select class="field__input" data-testid="input-vat"
                                    on:change=move |ev| vat.set(event_target_value(&ev))>
                                    {VAT.map(|v| {
                                        let label = if v == "none" { i18n.t(Msg::NoVat).to_owned() } else { format!("{v} %") };
                                        view! { <option value=v selected=vat.get_untracked() == v>{label}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                        })}
                        <ErrorBox error=error />
                        {move || succeeded(save).then(|| view! { <p class="notice notice--ok" role="status" data-testid="requisites-saved">{i18n.tr(Msg::Saved)}</p> })}
                        <button class="button" type="submit" data-testid="requisites-submit" disabled=busy(save)>{i18n.tr(Msg::Save)}</button>
                    </form>
                }.into_any()
            })}
        </section>
    }
}
