use leptos::prelude::*;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::format;
use crate::i18n::{use_i18n, Msg};

/// A month's statement, printable: opening balance, allotments, purchases, charges by ticket
/// (with refunds), adjustments, expiry and the closing balance.
#[component]
pub fn Statement(org: i64, period: String) -> impl IntoView {
    let i18n = use_i18n();
    let s = Remote::new(move || client::statement(org, &period));
    remote(s, move |s| {
        let first = format::days_of(&s.first_day).unwrap_or(0);
        let last = format::days_of(&s.last_day).unwrap_or(0);
        let (prev, next) = neighbours(&s.period);
        view! {
            <article class="statement" data-testid="statement">
                <p class="eyebrow">{s.organization.name.clone()}</p>
                <h1 data-testid="page-title">{i18n.tr(Msg::Statement)} ": "
                    {move || format::day(i18n.locale.get(), first, "month")}</h1>
                <p class="muted">{move || format::day(i18n.locale.get(), first, "long")} " — "
                    {move || format::day(i18n.locale.get(), last, "long")} " (" {s.time_zone.clone()} ")"</p>
                <p class="actions no-print">
                    <a class="button button--secondary" href=prev>"←"</a>
                    <button type="button" class="button" on:click=|_| { let _ = window().print(); }>{i18n.tr(Msg::Print)}</button>
                    <a class="button button--secondary" href=next>"→"</a>
                </p>
                <table class="table">
                    <tbody>
                        <tr><th scope="row">{i18n.tr(Msg::Opening)}</th><td data-testid="opening">{i18n.pts(s.opening)}</td></tr>
                        <tr><th scope="row">{i18n.tr(Msg::Grants)}</th><td data-testid="grants">{i18n.pts(s.grants)}</td></tr>
                        {s.purchases.into_iter().map(|l| view! {
                            <tr><th scope="row">{i18n.tr(Msg::KPurchase)} " · " {i18n.when(l.at)}</th><td>{i18n.pts(l.amount)}</td></tr>
                        }).collect_view()}
                        {s.adjustments.into_iter().map(|l| view! {
                            <tr><th scope="row">{i18n.tr(Msg::KAdjustment)} ": " {l.reason}</th><td>{i18n.pts(l.amount)}</td></tr>
                        }).collect_view()}
                        <tr><th scope="row">{i18n.tr(Msg::Expired)}</th><td data-testid="expiry">{i18n.pts(s.expiry)}</td></tr>
                        <tr class="table__total"><th scope="row">{i18n.tr(Msg::Closing)}</th><td data-testid="closing">{i18n.pts(s.closing)}</td></tr>
                    </tbody>
                </table>
                <h2>{i18n.tr(Msg::ChargesByTicket)}</h2>
                <table class="table" data-testid="statement-charges">
                    <tbody>
                        {s.charges.into_iter().map(|c| {
                            let refunded = c.refunded.0.hundredths() > 0;
                            view! {
                                <tr>
                                    <th scope="row">{match c.ticket {
                                        Some(t) => format!("#{} {}", t.number, t.title),
                                        None => c.reference.clone(),
                                    }}</th>
                                    <td>{i18n.pts(c.charged)}
                                        {refunded.then(|| view! { <br /><span class="muted">{i18n.tr(Msg::Refunded)} " " {i18n.pts(c.refunded)}</span> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </article>
        }
    })
}

/// The months before and after `YYYY-MM`, as statement paths relative to this one.
fn neighbours(period: &str) -> (String, String) {
    let (y, m) = period.split_once('-').unwrap_or(("2026", "01"));
    let (y, m): (i32, i32) = (y.parse().unwrap_or(2026), m.parse().unwrap_or(1));
    let prev = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (
        format!("{:04}-{:02}", prev.0, prev.1),
        format!("{:04}-{:02}", next.0, next.1),
    )
}
