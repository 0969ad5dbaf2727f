use leptos::prelude::*;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::format;
use crate::i18n::{use_i18n, I18n, Msg};

/// The manager's reports: clients near or below their threshold, consumption by client and
/// month (billable and non-billable hours), disputes and their outcomes; each as CSV too.
#[component]
pub fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    let balances = Remote::new(client::balance_report);
    let consumption = Remote::new(client::consumption_report);
    let disputes = Remote::new(client::dispute_report);
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavReports)}</h1>
        {report(i18n, Msg::BalancesReport, "balances")}
        {remote(balances, move |r| {
            let l = i18n.locale.get();
            table(
                "report-balances",
                &[Msg::Client, Msg::Available, Msg::Threshold, Msg::Outcome],
                r.rows.into_iter().map(move |row| {
                    let state = match row.state.as_str() {
                        "exhausted" => Msg::StateExhausted,
                        "below" => Msg::StateBelow,
                        "near" => Msg::StateNear,
                        _ => Msg::StateOk,
                    };
                    (
                        format!("/clients/{}", row.org_id),
                        vec![
                            row.organization,
                            format::points(l, row.available),
                            format::points(l, row.threshold),
                            i18n.t(state).to_owned(),
                        ],
                    )
                }).collect(),
                i18n,
            )
        })}
        {report(i18n, Msg::Consumption, "consumption")}
        {remote(consumption, move |r| {
            let l = i18n.locale.get();
            let hours = |m: i64| format!("{}:{:02}", m / 60, m % 60);
            table(
                "report-consumption",
                &[Msg::Client, Msg::Month, Msg::Charged, Msg::Billable, Msg::NonBillable],
                r.rows.into_iter().map(move |row| {
                    (
                        format!("/clients/{}", row.org_id),
                        vec![
                            row.organization,
                            row.month,
                            format::points(l, row.charged),
                            hours(row.billable_minutes),
                            hours(row.non_billable_minutes),
                        ],
                    )
                }).collect(),
                i18n,
            )
        })}
        {report(i18n, Msg::DisputesReport, "disputes")}
        {remote(disputes, move |r| {
            let l = i18n.locale.get();
            table(
                "report-disputes",
                &[Msg::TicketNumber, Msg::Client, Msg::Points, Msg::Outcome],
                r.rows.into_iter().map(move |row| {
                    let state = match row.state.as_str() {
                        "upheld" => Msg::DisputeUpheld,
                        "rejected" => Msg::DisputeRejected,
                        _ => Msg::DisputeOpen,
                    };
                    let outcome = match row.decision_reason {
                        Some(r) => format!("{} — {r}", i18n.t(state)),
                        None => i18n.t(state).to_owned(),
                    };
                    (
                        format!("/tickets/{}", row.ticket_id),
                        vec![
                            format!("#{}", row.ticket_number),
                            row.organization,
                            format::points(l, row.points),
                            outcome,
                        ],
                    )
                }).collect(),
                i18n,
            )
        })}
    }
}

/// A report's heading with its CSV link.
fn report(i18n: I18n, title: Msg, name: &'static str) -> impl IntoView {
    view! {
        <h2 class="report__title">{i18n.tr(title)} " · "
            <a class="link" download="" href=client::report_csv_href(name) data-testid=format!("csv-{name}")>{i18n.tr(Msg::DownloadCsv)}</a>
        </h2>
    }
}

/// Every report is one table type: the first cell links to its object.
fn table(
    id: &'static str,
    heads: &'static [Msg],
    rows: Vec<(String, Vec<String>)>,
    i18n: I18n,
) -> impl IntoView {
    view! {
        <div class="report card">
            <table class="table" data-testid=id>
                <thead><tr>{heads.iter().map(|h| view! { <th>{i18n.tr(*h)}</th> }).collect_view()}</tr></thead>
                <tbody>{rows.into_iter().map(|(href, cells)| {
                    let mut cells = cells.into_iter();
                    let first = cells.next().unwrap_or_default();
                    view! {
                        <tr>
                            <td><a class="link" href=href>{first}</a></td>
                            {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}
