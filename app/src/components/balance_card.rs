use leptos::prelude::*;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::format;
use crate::i18n::{use_i18n, Msg};

/// The balance at a glance: balance, what approved quotes hold, available, this month's
/// allotment and use, the threshold, the run-out forecast and what expires when.
#[component]
pub fn BalanceCard(org: i64) -> impl IntoView {
    let i18n = use_i18n();
    let b = Remote::new(move || client::balance(org));
    remote(b, move |b| {
        let low = b.available.0 < b.threshold.0;
        // One paragraph whatever the forecast: `never`, `now`, or `on` a date.
        let day = b.run_out.date.as_deref().and_then(format::days_of);
        let forecast_msg = match (b.run_out.kind.as_str(), day) {
            ("on", Some(_)) => Msg::RunOutOn,
            ("now", _) => Msg::RunOutNow,
            _ => Msg::RunOutNever,
        };
        let forecast = view! {
            <p data-testid="run-out" class:notice=forecast_msg == Msg::RunOutNow>
                {i18n.tr(forecast_msg)}
                {day.map(|day| view! { " " <strong>{move || format::day(i18n.locale.get(), day, "long")}</strong> "." })}
            </p>
        };
        view! {
            <section class="card balance" data-testid="balance-card">
                <h2 class="card__title">{i18n.tr(Msg::BalanceTitle)}</h2>
                <p class="balance__big" class:balance__big--low=low>
                    <span class="muted">{i18n.tr(Msg::Available)}</span>
                    <strong data-testid="available">{i18n.pts(b.available)}</strong>
                </p>
                <dl class="kv">
                    <div class="kv__row"><dt>{i18n.tr(Msg::Balance2)}</dt><dd data-testid="balance">{i18n.pts(b.balance)}</dd></div>
                    <div class="kv__row"><dt>{i18n.tr(Msg::HeldBy)}</dt><dd data-testid="held">{i18n.pts(b.held)}</dd></div>
                    {b.holds.into_iter().map(|h| view! {
                        <div class="kv__row kv__row--sub"><dt><a class="link" href=format!("/tickets/{}", h.ticket_id)>"#" {h.ticket_number} " " {h.title}</a></dt><dd>{i18n.pts(h.points)}</dd></div>
                    }).collect_view()}
                    <div class="kv__row"><dt>{i18n.tr(Msg::PeriodAllotment)}</dt><dd>{i18n.pts(b.allotment)}</dd></div>
                    <div class="kv__row"><dt>{i18n.tr(Msg::PeriodUsed)}</dt><dd data-testid="used">{i18n.pts(b.used)}</dd></div>
                    <div class="kv__row"><dt>{i18n.tr(Msg::Threshold)}</dt><dd>{i18n.pts(b.threshold)}</dd></div>
                    {(b.owed.0.hundredths() > 0).then(|| view! {
                        <div class="kv__row"><dt>{i18n.tr(Msg::Owed)}</dt><dd>{i18n.pts(b.owed)}</dd></div>
                    })}
                </dl>
                {forecast}
                <ul class="expiring" data-testid="expiring">
                    {b.expiring.into_iter().map(|e| {
                        let day = format::days_of(&e.last_day).unwrap_or(0);
                        let period = format::days_of(&format!("{}-01", e.period)).unwrap_or(0);
                        view! {
                            <li>
                                <strong>{i18n.pts(e.points)}</strong> " " {i18n.tr(Msg::ExpiryOf)} " "
                                {move || format::day(i18n.locale.get(), period, "month")}
                                " " {i18n.tr(Msg::ExpireOn)} " "
                                <strong>{move || format::day(i18n.locale.get(), day, "long")}</strong>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
