use leptos::prelude::*;

use crate::client;
use crate::components::data_table::{linked_table, parse_csv};
use crate::components::remote::remote_text;
use crate::format;
use crate::i18n::{use_i18n, I18n, Locale, Msg};

/// The manager's reports — clients near or below their threshold, consumption by client and
/// month (billable and non-billable hours), disputes and their outcomes — shown from the very
/// CSV each one downloads as, so what is read and what is exported never differ.
#[component]
pub fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavReports)}</h1>
        {report(i18n, Msg::BalancesReport, "balances")}
        {report(i18n, Msg::Consumption, "consumption")}
        {report(i18n, Msg::DisputesReport, "disputes")}
        {report(i18n, Msg::Revenue, "revenue")}
        {report(i18n, Msg::SlaReport, "sla")}
    }
}

fn report(i18n: I18n, title: Msg, name: &'static str) -> impl IntoView {
    view! {
        <section class="card report-card">
            <h2 class="card__title">{i18n.tr(title)}</h2>
            <a class="link" download="" href=client::report_csv_href(name) data-testid=format!("csv-{name}")>{i18n.tr(Msg::DownloadCsv)}</a>
            // The table reads the CSV's plain convention (English keys, `,`); it translates and
            // formats each cell itself. The download follows the reader.
            {remote_text(format!("/reports/{name}?format=csv&locale=en"), move |t| {
                let l = i18n.locale.get();
                let mut rows = parse_csv(&t).into_iter();
                let keys = rows.next().unwrap_or_default();
                let head = keys.iter().map(|h| heading(l, h)).collect();
                let rows: Vec<Vec<String>> = rows.collect();
                // A dispute row leads to its ticket (the CSV names it by number).
                let at = keys.iter().position(|k| k == "ticket").filter(|_| name == "disputes");
                let links = rows
                    .iter()
                    .map(|r| at.and_then(|i| r.get(i)).map(|n| format!("/tickets/number/{n}")))
                    .collect();
                let body = rows.iter().map(|r| r.iter().map(|c| cell(l, c)).collect()).collect();
                let id = match name {
                    "balances" => "report-balances",
                    "consumption" => "report-consumption",
                    "revenue" => "report-revenue",
                    "sla" => "report-sla",
                    _ => "report-disputes",
                };
                linked_table(id, head, body, false, links)
            })}
        </section>
    }
}

/// A column's name in the reader's language.
fn heading(l: Locale, key: &str) -> String {
    use Msg::*;
    let msg = match key {
        "month" => Month,
        "organization" => Client,
        "charged_points" => Charged,
        "billable_hours" => Billable,
        "non_billable_hours" => NonBillable,
        "balance" => BalanceColumn,
        "available" => Available,
        "threshold" => Threshold,
        "ticket" => TicketNumber,
        "points" => Points,
        "opened_at" => Opened,
        "decided_at" => Decided,
        "decision_reason" => Reason,
        "currency" => Currency,
        "purchases" => Purchases,
        "amount" => AmountPaid,
        "tickets" => ColTickets,
        "first_response_met" => ColRespondMet,
        "first_response_breached" => ColRespondBreached,
        "resolution_met" => ColResolveMet,
        "resolution_breached" => ColResolveBreached,
        "median_first_response_business_minutes" => ColMedianRespond,
        "median_resolution_business_minutes" => ColMedianResolve,
        _ => Outcome,
    };
    crate::i18n::text(l, msg).to_owned()
}

/// A cell in the reader's language: decimals as points, states by name, instants as dates.
fn cell(l: Locale, v: &str) -> String {
    use Msg::*;
    let state = match v {
        "ok" => Some(StateOk),
        "near" => Some(StateNear),
        "below" => Some(StateBelow),
        "exhausted" => Some(StateExhausted),
        "open" => Some(DisputeOpen),
        "upheld" => Some(DisputeUpheld),
        "rejected" => Some(DisputeRejected),
        _ => None,
    };
    if let Some(m) = state {
        return crate::i18n::text(l, m).to_owned();
    }
    if v.len() == 20 && v.ends_with('Z') && v.as_bytes().get(10) == Some(&b'T') {
        let ms = js_sys::Date::parse(v);
        if !ms.is_nan() {
            return format::date_time(l, ms);
        }
    }
    // A month (`2026-11`) by its name: "ноябрь 2026 г." / "November 2026".
    if v.len() == 7 && v.as_bytes().get(4) == Some(&b'-') {
        if let Some(d) = format::days_of(&format!("{v}-01")) {
            return format::day(l, d, "month");
        }
    }
    match v.parse() {
        Ok(p) if v.contains('.') => format::points(l, pointdesk_api::WirePoints(p)),
        _ => v.to_owned(),
    }
}
