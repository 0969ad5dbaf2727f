use leptos::prelude::*;
use pointdesk_api::{Check, Health};

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::format;
use crate::i18n::{use_i18n, Msg};

/// The service's health through the typed client, with loading and error states.
#[component]
pub fn StatusCard(
    /// The card's heading (the home page names the whole system; the status page its parts).
    #[prop(default = Msg::StatusTitle)]
    heading: Msg,
) -> impl IntoView {
    let i18n = use_i18n();
    let health = Remote::new(client::health);

    view! {
        <section class="card" data-testid="status-card" aria-live="polite">
            <h2 class="card__title">{move || i18n.t(heading)}</h2>
            {remote(health, |h| view! { <HealthView health=h checked=js_sys::Date::now() /> })}
            <button class="button button--secondary" type="button" on:click=move |_| health.refetch()>
                {i18n.tr(Msg::Refresh)}
            </button>
        </section>
    }
}

#[component]
fn HealthView(health: Health, checked: f64) -> impl IntoView {
    let i18n = use_i18n();
    let ok = health.ok;
    let row = move |label: Msg, check: Check, testid: &'static str| {
        view! {
            <div class="kv__row" data-testid=testid data-ok=check.ok.to_string()>
                <dt>{move || i18n.t(label)}</dt>
                <dd>
                    <span class="dot" class:dot--ok=check.ok aria-hidden="true"></span>
                    {move || i18n.t(if check.ok { Msg::Answers } else { Msg::NotAnswering })}
                    " · "
                    {move || format::integer(i18n.locale.get(), i64::from(check.millis))}
                    " "
                    {i18n.tr(Msg::Millis)}
                </dd>
            </div>
        }
    };
    view! {
        <p class="status-line" class:status-line--ok=ok data-testid="status-line">
            {move || i18n.t(if ok { Msg::StatusAllGood } else { Msg::StatusDegraded })}
        </p>
        <dl class="kv">
            <div class="kv__row">
                <dt>{i18n.tr(Msg::Version)}</dt>
                <dd data-testid="version">{health.version.clone()}</dd>
            </div>
            {row(Msg::Database, health.d1.clone(), "check-d1")}
            {row(Msg::KeyValueStore, health.kv.clone(), "check-kv")}
            <div class="kv__row">
                <dt>{i18n.tr(Msg::CheckedAt)}</dt>
                <dd data-testid="checked-at">{i18n.when_ms(checked)}</dd>
            </div>
        </dl>
    }
}
