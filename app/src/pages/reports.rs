use leptos::prelude::*;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::i18n::{use_i18n, Msg};

/// The manager's reports: consumption by client and month (billable and non-billable hours),
/// clients near or below their threshold, disputes and their outcomes; each as CSV too.
#[component]
pub fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    let consumption = Remote::new(client::consumption_report);
    let balances = Remote::new(client::balance_report);
    let disputes = Remote::new(client::dispute_report);
    let csv = move |name: &'static str| {
        view! { <a class="link" download="" href=client::report_csv_href(name) data-testid=format!("csv-{name}")>{i18n.tr(Msg::DownloadCsv)}</a> }
    };
    let hours = |m: i64| format!("{}:{:02}", m / 60, m % 60);
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavReports)}</h1>
        <section class="card report">
            <h2 class="card__title">{i18n.tr(Msg::BalancesReport)}</h2>
            {csv("balances")}
            {remote(balances, move |r| view! {
                <table class="table" data-testid="report-balances">
                    <thead><tr><th>{i18n.tr(Msg::Client)}</th><th>{i18n.tr(Msg::Available)}</th><th>{i18n.tr(Msg::Threshold)}</th><th></th></tr></thead>
                    <tbody>{r.rows.into_iter().map(|row| {
                        let state = match row.state.as_str() {
                            "exhausted" => Msg::StateExhausted,
                            "below" => Msg::StateBelow,
                            "near" => Msg::StateNear,
                            _ => Msg::StateOk,
                        };
                        view! {
                            <tr data-state=row.state.clone()>
                                <td><a class="link" href=format!("/clients/{}", row.org_id)>{row.organization}</a></td>
                                <td>{i18n.num(row.available)}</td><td>{i18n.num(row.threshold)}</td>
                                <td><span class=format!("badge badge--{}", row.state)>{i18n.tr(state)}</span></td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            })}
        </section>
        <section class="card report">
            <h2 class="card__title">{i18n.tr(Msg::Consumption)}</h2>
            {csv("consumption")}
            {remote(consumption, move |r| view! {
                <table class="table" data-testid="report-consumption">
                    <thead><tr><th>{i18n.tr(Msg::Month)}</th><th>{i18n.tr(Msg::Client)}</th><th>{i18n.tr(Msg::Charged)}</th><th>{i18n.tr(Msg::Billable)}</th><th>{i18n.tr(Msg::NonBillable)}</th></tr></thead>
                    <tbody>{r.rows.into_iter().map(|row| view! {
                        <tr><td>{row.month}</td><td>{row.organization}</td><td>{i18n.num(row.charged)}</td>
                            <td>{hours(row.billable_minutes)}</td><td>{hours(row.non_billable_minutes)}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            })}
        </section>
        <section class="card report">
            <h2 class="card__title">{i18n.tr(Msg::DisputesReport)}</h2>
            {csv("disputes")}
            {remote(disputes, move |r| view! {
                <table class="table" data-testid="report-disputes">
                    <thead><tr><th>"#"</th><th>{i18n.tr(Msg::Client)}</th><th>{i18n.tr(Msg::Points)}</th><th>{i18n.tr(Msg::Outcome)}</th></tr></thead>
                    <tbody>{r.rows.into_iter().map(|row| view! {
                        <tr><td><a class="link" href=format!("/tickets/{}", row.ticket_id)>{row.ticket_number}</a></td>
                            <td>{row.organization}</td><td>{i18n.num(row.points)}</td>
                            <td>{i18n.tr(match row.state.as_str() {
                                "upheld" => Msg::DisputeUpheld,
                                "rejected" => Msg::DisputeRejected,
                                _ => Msg::DisputeOpen,
                            })} {row.decision_reason.map(|r| view! { <br /><span class="muted">{r}</span> })}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
}
