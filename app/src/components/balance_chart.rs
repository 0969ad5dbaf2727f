use leptos::prelude::*;
use pointdesk_api::ledger::BalanceHistoryDto;
use pointdesk_api::WirePoints;

use crate::format;
use crate::i18n::{points, text, use_i18n, Msg};

const W: i64 = 360;
const H: i64 = 150;
const TOP: i64 = 16;
/// The plot stays this far inside the left and right edges, so a mark on the first or the
/// last day is drawn whole.
const INSET: i64 = 6;
const BOTTOM: i64 = 128;

/// The balance over the last 12 months as a step line drawn in SVG, with grants (▲),
/// purchases (●) and charges (▼) marked, and the same in words for screen readers.
/// Called inside the read's render closure, so a change of language draws it again.
pub fn balance_chart(history: BalanceHistoryDto) -> AnyView {
    let i18n = use_i18n();
    let l = i18n.locale.get();
    let span = (history.to - history.from).max(1);
    let opening = history.opening.0.hundredths();
    let closings: Vec<i64> = history
        .days
        .iter()
        .map(|d| d.closing.0.hundredths())
        .collect();
    let hi = closings
        .iter()
        .copied()
        .chain([opening, 0])
        .max()
        .unwrap_or(0);
    let lo = closings
        .iter()
        .copied()
        .chain([opening, 0])
        .min()
        .unwrap_or(0);
    let range = (hi - lo).max(1);
    let x = move |day: i64| INSET + (day - history.from).clamp(0, span) * (W - 2 * INSET) / span;
    let y = move |h: i64| BOTTOM - (h - lo) * (BOTTOM - TOP) / range;
    // A step line: flat until the day the balance changed.
    let mut path = format!("M0 {}", y(opening));
    let mut last = opening;
    for d in &history.days {
        let c = d.closing.0.hundredths();
        path.push_str(&format!(" H{} V{}", x(d.day), y(c)));
        last = c;
    }
    path.push_str(&format!(" H{W}"));
    let mut marks = Vec::new();
    let (mut grants, mut charges, mut purchases) = (0, 0, 0);
    for d in &history.days {
        let cx = x(d.day);
        let cy = y(d.closing.0.hundredths());
        if d.grants.0.hundredths() > 0 {
            grants += 1;
            marks.push(
                view! { <path class="chart__grant" d=format!("M{cx} {} l-4 7 h8 z", cy - 10) /> }
                    .into_any(),
            );
        }
        if d.purchases.0.hundredths() > 0 {
            purchases += 1;
            marks.push(
                view! { <circle class="chart__purchase" cx=cx cy=cy - 8 r="3.5" /> }.into_any(),
            );
        }
        if d.charges.0.hundredths() < 0 {
            charges += 1;
            marks.push(
                view! { <path class="chart__charge" d=format!("M{cx} {} l-4 -7 h8 z", cy + 10) /> }
                    .into_any(),
            );
        }
    }
    let labels = month_labels(&history, l, x);
    let zero = y(0);
    let (hi_w, lo_w) = (
        WirePoints::from_hundredths(hi),
        WirePoints::from_hundredths(lo),
    );
    let (from_w, to_w) = (
        WirePoints::from_hundredths(opening),
        WirePoints::from_hundredths(last),
    );
    let t = |m| text(l, m);
    let summary = format!(
        "{} {} {} {}. ▲ {}: {grants} · ● {}: {purchases} · ▼ {}: {charges}",
        t(Msg::ChartSummary),
        points(l, from_w),
        t(Msg::ChartTo),
        points(l, to_w),
        t(Msg::Grants),
        t(Msg::Purchases),
        t(Msg::EntryCharge)
    );
    view! {
        <figure class="chart card" data-testid="balance-chart">
            <h2 class="card__title">{t(Msg::ChartTitle)}</h2>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="chart-summary">
                <line class="chart__zero" x1="0" x2=W y1=zero y2=zero />
                <path class="chart__line" d=path />
                {marks}
                <text class="chart__label" x="2" y=TOP - 2>{format::points(l, hi_w)}</text>
                <text class="chart__label" x="2" y=BOTTOM + 10>{format::points(l, lo_w)}</text>
                {labels}
            </svg>
            <figcaption id="chart-summary" data-testid="chart-summary">{summary}</figcaption>
        </figure>
    }
    .into_any()
}

/// A label at the start of every other month of the history.
fn month_labels(
    history: &BalanceHistoryDto,
    l: crate::i18n::Locale,
    x: impl Fn(i64) -> i64,
) -> Vec<AnyView> {
    let mut labels = Vec::new();
    let mut day = history.from;
    let mut n = 0;
    while day <= history.to {
        if pointdesk_domain::time::Date::from_days(day).day() == 1 {
            if n % 2 == 0 {
                let lx = x(day);
                labels.push(
                    view! {
                        <text class="chart__label" x=lx y=H - 4>{format::day(l, day, "short")}</text>
                    }
                    .into_any(),
                );
            }
            n += 1;
        }
        day += 1;
    }
    labels
}
