use leptos::prelude::*;
use pointdesk_api::ledger::LedgerEntryDto;

use crate::client;
use crate::components::balance_chart::BalanceChart;
use crate::components::remote::{remote, Remote};
use crate::i18n::{use_i18n, I18n, Msg};

/// Every entry of an organisation's ledger, newest first, with its running balance, who, when,
/// the ticket and the blocks it drew from; the balance chart; filters; the CSV and the monthly
/// statement.
#[component]
pub fn Ledger(org: i64, base: String) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(String::new());
    let period = RwSignal::new(String::new());
    let ticket = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = Vec::new();
        for (k, v) in [("kind", kind), ("period", period), ("ticket", ticket)] {
            let v = v.get_untracked();
            if !v.trim().is_empty() {
                q.push(format!("{k}={}", js_sys::encode_uri_component(v.trim())));
            }
        }
        query.set(q.join("&"));
    };
    let history = Remote::new(move || client::balance_history(org));
    let this_month = {
        let d = js_sys::Date::new_0();
        format!("{:04}-{:02}", d.get_full_year(), d.get_month() + 1)
    };
    let kinds = [
        ("grant", Msg::KGrant),
        ("purchase", Msg::KPurchase),
        ("charge", Msg::KCharge),
        ("refund", Msg::KRefund),
        ("adjustment", Msg::KAdjustment),
        ("expiry", Msg::KExpiry),
        ("repayment", Msg::KRepayment),
    ];
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavLedger)}</h1>
        {remote(history, |h| view! { <BalanceChart history=h /> })}
        <form class="filters card" data-testid="ledger-filters" on:submit=apply>
            <label>{i18n.tr(Msg::Filters)}
                <select data-testid="filter-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{i18n.tr(Msg::AllKinds)}</option>
                    {kinds.into_iter().map(|(k, m)| view! { <option value=k>{i18n.tr(m)}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n.tr(Msg::Period)}
                <input type="month" data-testid="filter-period" on:input=move |ev| period.set(event_target_value(&ev)) />
            </label>
            <label>{i18n.tr(Msg::TicketNumber)}
                <input type="text" inputmode="numeric" size="6" data-testid="filter-ticket" on:input=move |ev| ticket.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="button">{i18n.tr(Msg::Apply)}</button>
        </form>
        <p class="actions">
            <a class="button button--secondary" data-testid="ledger-csv" download=""
                href=move || client::ledger_csv_href(org, &query.get())>{i18n.tr(Msg::DownloadCsv)}</a>
            <a class="button button--secondary" data-testid="statement-link"
                href=format!("{base}/statements/{this_month}")>{i18n.tr(Msg::Statement)}</a>
        </p>
        {move || {
            let q = query.get();
            view! { <Page org=org query=q before=None /> }
        }}
    }
}

/// One page of entries; "Show older" draws the next one below it.
#[component]
fn Page(org: i64, query: String, before: Option<i64>) -> AnyView {
    let i18n = use_i18n();
    let q = match before {
        Some(b) if query.is_empty() => format!("before={b}"),
        Some(b) => format!("{query}&before={b}"),
        None => query.clone(),
    };
    let page = Remote::new(move || client::ledger(org, &q));
    let more = RwSignal::new(false);
    remote(page, move |p| {
        let query = query.clone();
        let empty = p.entries.is_empty() && before.is_none();
        view! {
            <ul class="rows ledger" data-testid="ledger">
                {p.entries.into_iter().map(|e| entry(i18n, e)).collect_view()}
            </ul>
            {empty.then(|| view! { <p class="muted" data-testid="ledger-empty">{i18n.tr(Msg::NoEntries)}</p> })}
            {p.next.map(|next| view! {
                <Show when=move || more.get() fallback=move || view! {
                    <button type="button" class="button button--secondary" data-testid="ledger-more"
                        on:click=move |_| more.set(true)>{i18n.tr(Msg::LoadMore)}</button>
                }>
                    <Page org=org query=query.clone() before=Some(next) />
                </Show>
            })}
        }
    })
    .into_any()
}

pub fn kind_msg(kind: &str) -> Msg {
    match kind {
        "grant" => Msg::KGrant,
        "purchase" => Msg::KPurchase,
        "charge" => Msg::KCharge,
        "refund" => Msg::KRefund,
        "adjustment" => Msg::KAdjustment,
        "expiry" => Msg::KExpiry,
        _ => Msg::KRepayment,
    }
}

fn entry(i18n: I18n, e: LedgerEntryDto) -> impl IntoView {
    let positive = e.amount.0.hundredths() > 0;
    let period = e.reference.strip_prefix("period:").map(str::to_owned);
    let locale = i18n.locale.get_untracked();
    let moves = e
        .moves
        .iter()
        .map(|m| {
            let (kind, rest) = m.source.split_once(':').unwrap_or((&m.source, ""));
            let what = match kind {
                "grant" => Msg::KGrant,
                "rollover" => Msg::BRollover,
                "purchase" => Msg::KPurchase,
                "adjustment" => Msg::KAdjustment,
                _ => Msg::KRefund,
            };
            let period = if rest.contains('-') { rest } else { "" };
            format!(
                "{} {period} ({})",
                crate::i18n::text(locale, what).to_lowercase(),
                crate::format::points(locale, m.points)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="row ledger__entry" data-testid="entry" data-kind=e.kind.clone() data-id=e.id>
            <div class="ledger__main">
                <strong>{i18n.tr(kind_msg(&e.kind))}</strong>
                {period.map(|p| view! { " " <span>{p}</span> })}
                {e.ticket.map(|t| view! {
                    " " <a class="link" href=format!("/tickets/{}", t.id)>"#" {t.number} " " {t.title}</a>
                })}
                {(e.kind == "adjustment").then(|| view! { <p class="ledger__reason">{e.reason.clone()}</p> })}
                <span class="row__meta">
                    {i18n.when(e.at)}
                    {e.actor.map(|a| view! { " · " {a} })}
                    {(!moves.is_empty()).then(|| view! { " · " {i18n.tr(Msg::FromBlocks)} " " {moves} })}
                </span>
            </div>
            <div class="ledger__figures">
                <span class="amount" class:amount--plus=positive data-testid="entry-amount">{i18n.num(e.amount)}</span>
                <span class="row__meta">{i18n.tr(Msg::BalanceAfter)} " " {i18n.num(e.balance_after)}</span>
            </div>
        </li>
    }
}
