//! A month's statement as a printable page, in the reader's language: opening balance,
//! allotments, purchases, adjustments, charges less refunds, expiry and the closing balance
//! (they add up), then what each ticket cost.

use pointdesk_api::ledger::StatementDto;
use pointdesk_api::WirePoints;
use worker::Response;

use super::{date, escape as e, page_in};
use crate::error::AppResult;

/// Where the page's links lead: the months before and after, the month's act, and back.
pub struct StatementLinks {
    pub prev: String,
    pub next: String,
    pub act: String,
    pub back: String,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_RU: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// The reader's words: (English, Russian).
fn t(ru: bool, words: (&'static str, &'static str)) -> &'static str {
    if ru {
        words.1
    } else {
        words.0
    }
}

/// `2026-11` → `November 2026` / `ноябрь 2026 г.`
pub(super) fn month(period: &str, ru: bool) -> String {
    let (y, m) = period.split_once('-').unwrap_or((period, "0"));
    let i = m.parse::<usize>().unwrap_or(0).wrapping_sub(1);
    match (MONTHS_EN.get(i), MONTHS_RU.get(i)) {
        (Some(_), Some(r)) if ru => format!("{r} {y} г."),
        (Some(en), _) => format!("{en} {y}"),
        _ => period.to_owned(),
    }
}

/// Points with two decimals: `1,234.50` / `1 234,50`.
fn pts(p: WirePoints, ru: bool) -> String {
    let h = p.0.hundredths();
    let (sign, h) = (if h < 0 { "-" } else { "" }, h.abs());
    let digits = (h / 100).to_string();
    let mut whole = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            whole.push(if ru { '\u{a0}' } else { ',' });
        }
        whole.push(c);
    }
    format!("{sign}{whole}{}{:02}", if ru { ',' } else { '.' }, h % 100)
}

/// Points with their unit, as the app writes them (`Intl.PluralRules` on the number): `3,50
/// балла`, `0,00 баллов`, `1,00 балл`; `1.00 point`, `3.50 points`.
fn with_unit(p: WirePoints, ru: bool) -> String {
    let h = p.0.hundredths().abs();
    let unit = match (ru, h % 100 == 0) {
        (true, true) => super::plural(h / 100, ["балл", "балла", "баллов"]),
        (true, false) => "балла",
        (false, _) if h == 100 => "point",
        (false, _) => "points",
    };
    format!("{} {unit}", pts(p, ru))
}

fn day(iso: &str, ru: bool) -> String {
    if ru {
        date(iso)
    } else {
        iso.to_owned()
    }
}

/// The summary's rows: opening, allotment, purchases, adjustments, charges less refunds,
/// expiry (they add up to the closing balance, the last row).
fn summary(s: &StatementDto, ru: bool) -> String {
    let mut rows = vec![
        (
            t(ru, ("Opening balance", "Остаток на начало")).to_owned(),
            s.opening,
        ),
        (
            t(ru, ("Monthly allotment", "Начислено по тарифу")).to_owned(),
            s.grants,
        ),
    ];
    for p in &s.purchases {
        rows.push((
            format!("{}: {}", t(ru, ("Top-up", "Пополнение")), p.reason),
            p.amount,
        ));
    }
    for a in &s.adjustments {
        rows.push((
            format!("{}: {}", t(ru, ("Adjustment", "Корректировка")), a.reason),
            a.amount,
        ));
    }
    let charged: i64 = s
        .charges
        .iter()
        .map(|c| c.charged.0.hundredths() + c.refunded.0.hundredths())
        .sum();
    if let Ok(c) = pointdesk_domain::points::Points::from_hundredths(charged) {
        rows.push((
            t(
                ru,
                ("Charges (less refunds)", "Списания (за вычетом возвратов)"),
            )
            .to_owned(),
            WirePoints(c),
        ));
    }
    rows.push((t(ru, ("Expired", "Сгорело")).to_owned(), s.expiry));
    let mut summary: String = rows
        .iter()
        .map(|(what, p)| {
            format!(
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                e(what),
                with_unit(*p, ru)
            )
        })
        .collect();
    summary.push_str(&format!(
        "<tr class=\"total\"><td>{}</td><td class=\"num\">{}</td></tr>",
        t(ru, ("Closing balance", "Остаток на конец")),
        with_unit(s.closing, ru)
    ));
    summary
}

/// What each ticket cost, or a sentence when nothing was charged.
fn charges(s: &StatementDto, ru: bool) -> String {
    let charges: String = s
        .charges
        .iter()
        .map(|c| {
            let what = c.ticket.as_ref().map_or_else(
                || c.reference.clone(),
                |tk| format!("#{} {}", tk.number, tk.title),
            );
            let refunded = if c.refunded.0.hundredths() > 0 {
                format!(
                    " ({} {})",
                    t(ru, ("refunded", "возвращено")),
                    pts(c.refunded, ru)
                )
            } else {
                String::new()
            };
            format!(
                "<tr><td>{}</td><td class=\"num\">{}{refunded}</td></tr>",
                e(&what),
                pts(c.charged, ru)
            )
        })
        .collect();
    if charges.is_empty() {
        format!(
            "<p>{}</p>",
            t(
                ru,
                (
                    "Nothing was charged this month.",
                    "В этом месяце ничего не списывалось."
                )
            )
        )
    } else {
        format!("<table data-testid=\"statement-charges\">{charges}</table>")
    }
}

pub fn statement_page(s: &StatementDto, ru: bool, l: &StatementLinks) -> AppResult<Response> {
    let (summary, charges) = (summary(s, ru), charges(s, ru));
    let title = format!(
        "{}: {}",
        t(ru, ("Statement", "Выписка")),
        month(&s.period, ru)
    );
    let body = format!(
        "<article data-testid=\"statement\" data-closing=\"{closing}\">\
         <nav class=\"bar no-print\"><a class=\"button button--quiet\" href=\"{back}\" data-testid=\"back\">{back_text}</a>\
         <a class=\"button button--quiet\" href=\"{prev}\" aria-label=\"←\" data-testid=\"statement-prev\">←</a>\
         <a class=\"button button--quiet\" href=\"{next}\" aria-label=\"→\" data-testid=\"statement-next\">→</a>\
         <a class=\"button button--quiet\" href=\"{act}\" data-testid=\"act-link\">{act_text}</a></nav>\
         <p>{org}</p><h1 data-testid=\"page-title\">{title}</h1>\
         <p>{first} — {last} ({zone})</p>\
         <table data-testid=\"statement-summary\">{summary}</table>\
         <h2>{by_ticket}</h2>{charges}</article>",
        closing = s.closing.0,
        back = e(&l.back),
        back_text = t(ru, ("← Ledger", "← Движение баллов")),
        prev = e(&l.prev),
        next = e(&l.next),
        act = e(&l.act),
        act_text = t(ru, ("Act", "Акт")),
        org = e(&s.organization.name),
        first = day(&s.first_day, ru),
        last = day(&s.last_day, ru),
        zone = e(&s.time_zone),
        by_ticket = t(ru, ("Charges by ticket", "Списания по заявкам")),
    );
    page_in(
        if ru { "ru" } else { "en" },
        &title,
        &body,
        t(ru, ("Print", "Печать")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_months_read_in_the_readers_convention() {
        let p = WirePoints("1234.5".parse().unwrap());
        assert_eq!(pts(p, false), "1,234.50");
        assert_eq!(pts(p, true), "1\u{a0}234,50");
        assert_eq!(pts(WirePoints("-0.25".parse().unwrap()), true), "-0,25");
        assert_eq!(month("2026-11", true), "ноябрь 2026 г.");
        assert_eq!(month("2026-11", false), "November 2026");
        let w = |s: &str, ru| with_unit(WirePoints(s.parse().unwrap()), ru);
        assert_eq!(w("0", true), "0,00 баллов");
        assert_eq!(w("3.5", true), "3,50 балла");
        assert_eq!(w("1", true), "1,00 балл");
        assert_eq!(w("22", true), "22,00 балла");
        assert_eq!(w("1", false), "1.00 point");
        assert_eq!(w("2", false), "2.00 points");
    }
}
