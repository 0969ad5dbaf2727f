use leptos::prelude::*;

use crate::client::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote_text_at;
use crate::components::text_field::TextField;
use crate::flat_json;
use crate::format;
use crate::i18n::{points, use_i18n, Msg};
use crate::writes::{busy, error_of, on_success, use_write};

/// Points and prices both have two decimals: `7 500,50` is 750050 minor units.
fn decimal(raw: String, field: &str) -> Result<pointdesk_domain::points::Points, ApiError> {
    let raw = raw.replace([' ', '\u{a0}'], "").replace(',', ".");
    raw.parse().map_err(|_| ApiError::field(field, "malformed"))
}

/// The manager's point packs: what clients may buy, for how much, in which currency (a pack is
/// withdrawn from sale rather than deleted: purchases name it); below, the way to the bank desk
/// (a worker page) and the provider's requisites.
pub fn packs() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let list = move || {
        version.track();
        "/point-packs".to_owned()
    };
    let name = RwSignal::new(String::new());
    let pts = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let currency = RwSignal::new("RUB".to_owned());
    let save = use_write();
    let error = error_of(save);
    on_success(save, move |_| {
        name.set(String::new());
        pts.set(String::new());
        price.set(String::new());
        version.update(|v| *v += 1);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = decimal(pts.get_untracked(), "points")
            .and_then(|p| decimal(price.get_untracked(), "price_minor").map(|m| (p, m)));
        match parsed {
            Ok((p, m)) => {
                save.dispatch(client::save_pack(
                    None,
                    &name.get_untracked(),
                    &p.to_string(),
                    m.hundredths(),
                    &currency.get_untracked(),
                    true,
                ));
            }
            Err(e) => save.value().set(Some(Err(e))),
        }
    };
    let toggle = move |p: &flat_json::Fields| {
        save.dispatch(client::save_pack(
            Some(p.int("id")),
            &p.get("name"),
            &p.get("points"),
            p.int("price_minor"),
            &p.get("currency"),
            !p.flag("active"),
        ));
    };
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavPacks)}</h1>
        <div class="grid">
            <div>
                {remote_text_at(list, move |body| view! {
                    <ul class="rows" data-testid="pack-list">
                        {flat_json::fields(&body).list("packs").into_iter().map(|p| {
                            let loc = i18n.locale.get();
                            let (active, name, title) = (p.flag("active"), p.get("name"), p.get("name"));
                            let meta = format!(
                                "{} · {}",
                                p.points("points").map(|v| points(loc, v)).unwrap_or_default(),
                                format::money(loc, p.int("price_minor"), &p.get("currency"))
                            );
                            view! {
                                <li class="row" data-testid="pack-row" data-name=name>
                                    <div class="row__main">
                                        <span class="row__title">{title}</span>
                                        <span class="row__meta">{meta}</span>
                                    </div>
                                    <label class="choice">
                                        <input type="checkbox" prop:checked=active on:change=move |_| toggle(&p) />
                                        {i18n.tr(Msg::OnSale)}
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any())}
            </div>
            <form class="card stack" on:submit=submit novalidate=true data-testid="pack-form">
                <h2 class="card__title">{i18n.tr(Msg::AddPack)}</h2>
                <TextField label=Msg::Name name="name" value=name error=error />
                <TextField label=Msg::Points name="points" value=pts error=error />
                <TextField label=Msg::Price name="price_minor" value=price error=error />
                <label class="field">
                    <span class="field__label">{i18n.tr(Msg::Currency)}</span>
                    <select class="field__input" data-testid="pack-currency" on:change=move |ev| currency.set(event_target_value(&ev))>
                        {["RUB", "EUR", "USD"].map(|c| view! { <option value=c>{c}</option> }).collect_view()}
                    </select>
                </label>
                <ErrorBox error=error />
                <button class="button" type="submit" disabled=busy(save)>{i18n.tr(Msg::AddPack)}</button>
            </form>
            {crate::components::vat_form::vat_form()}
        </div>
        {bank()}
    }
}

/// Payments by bank transfer: the way to the bank desk (statement import, invoices awaiting,
/// payments to decide: a worker page) and the provider's requisites its invoices carry.
fn bank() -> impl IntoView {
    use crate::components::requisites_form::{requisites_form, PROVIDER};
    let i18n = use_i18n();
    view! {
        <h2 id="bank">{i18n.tr(Msg::BankTransfers)}</h2>
        <p class="actions">
            <a class="button" href="/api/v1/bank-payments?format=html" rel="external" data-testid="bank-desk">{i18n.tr(Msg::OpenBankDesk)}</a>
        </p>
        {requisites_form("/provider-requisites".to_owned(), PROVIDER)}
    }
}
