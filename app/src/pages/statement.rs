use leptos::prelude::*;

use crate::client;
use crate::components::data_table::data_table;
use crate::components::remote::{remote, Remote};
use crate::format;
use crate::i18n::{text, use_i18n, Msg};

/// A month's statement, printable: opening balance, allotments, purchases, adjustments (with
/// their reasons), expiry, the closing balance, and charges by ticket with their refunds.
#[component]
pub fn Statement(org: i64, period: String) -> impl IntoView {
    let i18n = use_i18n();
    let s = Remote::new(move || client::statement(org, &period));
    remote(s, move |s| {
        let l = i18n.locale.get();
        let first = format::days_of(&s.first_day).unwrap_or(0);
        let last = format::days_of(&s.last_day).unwrap_or(0);
        let (prev, next) = neighbours(&s.period);
        let pts = |p| crate::i18n::points(l, p);
        let row = |m: Msg, v: String| vec![text(l, m).to_owned(), v];
        let mut summary = vec![
            row(Msg::Opening, pts(s.opening)),
            row(Msg::Grants, pts(s.grants)),
        ];
        for p in &s.purchases {
            summary.push(vec![
                format!(
                    "{} · {}",
                    text(l, Msg::EntryPurchase),
                    format::date_time(l, p.at as f64 * 1000.0)
                ),
                pts(p.amount),
            ]);
        }
        for a in &s.adjustments {
            summary.push(vec![
                format!("{}: {}", text(l, Msg::EntryAdjustment), a.reason),
                pts(a.amount),
            ]);
        }
        // The month's charges (negative) plus what disputes gave back, so the summary adds up:
        // opening + grants + purchases + adjustments + charges + expiry = closing.
        let charged: i64 = s
            .charges
            .iter()
            .map(|c| c.charged.0.hundredths() + c.refunded.0.hundredths())
            .sum();
        if let Ok(p) = pointdesk_domain::points::Points::from_hundredths(charged) {
            summary.push(row(Msg::ChargesTotal, pts(pointdesk_api::WirePoints(p))));
        }
        summary.push(row(Msg::Expired, pts(s.expiry)));
        summary.push(row(Msg::Closing, pts(s.closing)));
        let charges = s
            .charges
            .iter()
            .map(|c| {
                let what = c.ticket.as_ref().map_or_else(
                    || c.reference.clone(),
                    |t| format!("#{} {}", t.number, t.title),
                );
                let refunded = if c.refunded.0.hundredths() > 0 {
                    format!(" ({} {})", text(l, Msg::Refunded), pts(c.refunded))
                } else {
                    String::new()
                };
                vec![what, format!("{}{refunded}", pts(c.charged))]
            })
            .collect();
        view! {
            <article class="statement" data-testid="statement" data-closing=s.closing.0.to_string()>
                <p class="eyebrow">{s.organization.name.clone()}</p>
                <h1 data-testid="page-title">{text(l, Msg::Statement)} ": " {format::day(l, first, "month")}</h1>
                <p class="muted">{format::day(l, first, "long")} " — " {format::day(l, last, "long")} " (" {s.time_zone.clone()} ")"</p>
                <p class="actions no-print">
                    <a class="button button--secondary" href=prev aria-label="←">"←"</a>
                    <button type="button" class="button" on:click=|_| { let _ = window().print(); }>{text(l, Msg::Print)}</button>
                    <a class="button button--secondary" href=next aria-label="→">"→"</a>
                </p>
                {data_table("statement-summary", Vec::new(), summary, true)}
                <h2>{text(l, Msg::ChargesByTicket)}</h2>
                {data_table("statement-charges", Vec::new(), charges, false)}
            </article>
        }
    })
}

/// The months before and after `YYYY-MM`.
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
