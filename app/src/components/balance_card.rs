use leptos::prelude::*;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::format;
use crate::i18n::{points, text, use_i18n, Msg};

/// The balance at a glance: available points, balance, what approved quotes hold (per ticket),
/// this month's allotment and use, the threshold, the run-out forecast and what expires when.
/// Drawn from plain strings in the reader's language (the whole card is drawn again when the
/// language changes): one row type for every figure keeps the bundle small.
pub fn balance_card(org: i64) -> impl IntoView {
    let i18n = use_i18n();
    let b = Remote::new(move || client::balance(org));
    let client_role = crate::session::use_auth()
        .role_now()
        .is_some_and(|r| r.is_client());
    remote(b, move |b| {
        let l = i18n.locale.get();
        let p = |x| points(l, x);
        let low = b.available.0 < b.threshold.0;
        let mut rows = vec![
            ("balance", text(l, Msg::BalanceColumn), p(b.balance)),
            ("held", text(l, Msg::HeldBy), p(b.held)),
            (
                "period-allotment",
                text(l, Msg::PeriodAllotment),
                p(b.allotment),
            ),
            ("used", text(l, Msg::PeriodUsed), p(b.used)),
            ("threshold", text(l, Msg::ThresholdLabel), p(b.threshold)),
        ];
        if b.owed.0.hundredths() > 0 {
            rows.push(("owed", text(l, Msg::Owed), p(b.owed)));
        }
        // One sentence whatever the forecast: `never`, `now`, or `on` a date.
        let day = b.run_out.date.as_deref().and_then(format::days_of);
        // Points that expire before the pace would use them up: saying "they last until May"
        // beside "all of them expire on 31 December" would contradict the card.
        let expiring: i64 = b.expiring.iter().map(|e| e.points.0.hundredths()).sum();
        let expire_first = day.is_some_and(|d| {
            b.expiring
                .iter()
                .any(|e| format::days_of(&e.last_day).is_some_and(|last| last < d))
        }) && expiring >= b.available.0.hundredths();
        let forecast = match (b.run_out.kind.as_str(), day) {
            ("on", Some(_)) if expire_first => text(l, Msg::RunOutAfterExpiry).to_owned(),
            ("on", Some(d)) => {
                // "15 ноября 2028 г." already ends the sentence; "November 15, 2028" does not.
                let date = format::day(l, d, "long");
                let stop = if date.ends_with('.') { "" } else { "." };
                format!("{} {date}{stop}", text(l, Msg::RunOutOn))
            }
            ("now", _) => text(l, Msg::RunOutNow).to_owned(),
            _ => text(l, Msg::RunOutNever).to_owned(),
        };
        let mut notes: Vec<(String, String)> = b
            .holds
            .into_iter()
            .map(|h| {
                (
                    format!("/tickets/{}", h.ticket_id),
                    format!("#{} {} — {}", h.ticket_number, h.title, p(h.points)),
                )
            })
            .collect();
        notes.extend(b.expiring.into_iter().map(|e| {
            let last = format::days_of(&e.last_day).unwrap_or(0);
            let from = format::days_of(&format!("{}-01", e.period)).unwrap_or(0);
            (
                String::new(),
                format!(
                    "{} {} {} {} {}",
                    p(e.points),
                    text(l, Msg::ExpiryOf),
                    format::day(l, from, "month"),
                    text(l, Msg::ExpireOn),
                    format::day(l, last, "long")
                ),
            )
        }));
        view! {
            <section class="card balance" data-testid="balance-card">
                <h2 class="card__title">{text(l, if client_role { Msg::BalanceTitle } else { Msg::ClientBalanceTitle })}</h2>
                <p class="balance__big" class:balance__big--low=low>
                    <span class="muted">{text(l, Msg::Available)}</span>
                    <strong data-testid="available">{p(b.available)}</strong>
                </p>
                <dl class="kv">
                    {rows.into_iter().map(|(id, k, v)| view! {
                        <div class="kv__row"><dt>{k}</dt><dd data-testid=id>{v}</dd></div>
                    }).collect_view()}
                </dl>
                <p data-testid="run-out">{forecast}</p>
                <ul class="expiring" data-testid="expiring">
                    {notes.into_iter().map(|(href, t)| view! {
                        <li>{if href.is_empty() { t.into_any() } else { view! { <a class="link" href=href>{t}</a> }.into_any() }}</li>
                    }).collect_view()}
                </ul>
                {client_role.then(|| view! {
                    <p><a class="link" href="/plan" data-testid="plan-terms-link">{text(l, Msg::PlanTermsLink)}</a></p>
                })}
            </section>
        }
    })
}
