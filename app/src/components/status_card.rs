use crate::components::remote::remote_text_also;
use crate::flat_json::{self, Fields};
use crate::format;
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;

/// The service's health (`getHealth`, read flat: a degraded service answers 503 with the same
/// body), with loading and error states; Refresh reads it again.
#[component]
pub fn StatusCard(
    /// The card's heading (the home page names the whole system; the status page its parts).
    #[prop(default = Msg::StatusTitle)]
    heading: Msg,
) -> impl IntoView {
    let i18n = use_i18n();
    let reads = RwSignal::new(0u32);
    let path = move || {
        reads.track();
        "/health".to_owned()
    };

    view! {
        <section class="card" data-testid="status-card" aria-live="polite">
            <h2 class="card__title">{move || i18n.t(heading)}</h2>
            {remote_text_also(path, &[503], |body| health_view(flat_json::fields(&body), js_sys::Date::now()).into_any())}
            <button class="button button--secondary" type="button" on:click=move |_| reads.update(|n| *n += 1)>
                {i18n.tr(Msg::Refresh)}
            </button>
        </section>
    }
}

fn health_view(health: Fields, checked: f64) -> impl IntoView {
    let i18n = use_i18n();
    let ok = health.flag("ok");
    let row = move |label: Msg, check: Fields, testid: &'static str| {
        let (fine, millis) = (check.flag("ok"), check.int("millis"));
        view! {
            <div class="kv__row" data-testid=testid data-ok=fine.to_string()>
                <dt>{move || i18n.t(label)}</dt>
                <dd>
                    <span class="dot" class:dot--ok=fine aria-hidden="true"></span>
                    {move || i18n.t(if fine { Msg::Answers } else { Msg::NotAnswering })}
                    " · "
                    {move || format::integer(i18n.locale.get(), millis)}
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
                <dd data-testid="version">{health.get("version")}</dd>
            </div>
            {row(Msg::Database, health.sub("d1"), "check-d1")}
            {row(Msg::KeyValueStore, health.sub("kv"), "check-kv")}
            <div class="kv__row">
                <dt>{i18n.tr(Msg::CheckedAt)}</dt>
                <dd data-testid="checked-at">{i18n.when_ms(checked)}</dd>
            </div>
        </dl>
    }
}
