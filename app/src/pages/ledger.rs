use leptos::prelude::*;
use pointdesk_api::ledger::LedgerEntryDto;

use crate::client;
use crate::components::balance_chart::balance_chart;
use crate::components::remote::remote_text;
use crate::i18n::{use_i18n, I18n, Msg};

/// Every entry of an organisation's ledger, newest first, with its running balance, who, when,
/// the ticket and the blocks it drew from; the balance chart; filters; the CSV and the monthly
/// statement.
#[component]
pub fn Ledger(org: i64) -> impl IntoView {
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
    let this_month = {
        let d = js_sys::Date::new_0();
        format!("{:04}-{:02}", d.get_full_year(), d.get_month() + 1)
    };
    let kinds = [
        ("grant", Msg::EntryGrant),
        ("purchase", Msg::EntryPurchase),
        ("charge", Msg::EntryCharge),
        ("refund", Msg::EntryRefund),
        ("adjustment", Msg::EntryAdjustment),
        ("expiry", Msg::EntryExpiry),
        ("repayment", Msg::EntryRepayment),
        ("purchase_refund", Msg::EntryPurchaseRefund),
    ];
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavLedger)}</h1>
        {remote_text(format!("/organizations/{org}/balance-history"), |t| {
            balance_chart(crate::flat_reads::balance_history(&t))
        })}
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
            <a class="button button--secondary" data-testid="statement-link" rel="external"
                href=client::statement_href(org, &this_month)>{i18n.tr(Msg::Statement)}</a>
        </p>
        {move || {
            let q = query.get();
            page(org, q, None)
        }}
    }
}

/// One page of entries; "Show older" draws the next one below it (a plain function: a
/// component per page would be one more instantiation in the bundle).
fn page(org: i64, query: String, before: Option<i64>) -> AnyView {
    let i18n = use_i18n();
    let q = match before {
        Some(b) if query.is_empty() => format!("before={b}"),
        Some(b) => format!("{query}&before={b}"),
        None => query.clone(),
    };
    let more = RwSignal::new(false);
    remote_text(format!("/organizations/{org}/ledger?{q}"), move |t| {
        let p = crate::flat_reads::ledger_page(&t);
        let query = query.clone();
        let empty = p.entries.is_empty() && before.is_none();
        view! {
            <ul class="rows ledger" data-testid="ledger">
                {p.entries.into_iter().map(|e| entry(i18n, e)).collect_view()}
            </ul>
            {empty.then(|| view! { <p class="muted" data-testid="ledger-empty">{i18n.tr(Msg::NoEntries)}</p> })}
            {p.next.map(|next| move || {
                if more.get() {
                    page(org, query.clone(), Some(next))
                } else {
                    view! {
                        <button type="button" class="button button--secondary" data-testid="ledger-more"
                            on:click=move |_| more.set(true)>{i18n.tr(Msg::LoadMore)}</button>
                    }
                    .into_any()
                }
            })}
        }
        .into_any()
    })
    .into_any()
}

pub fn kind_msg(kind: &str) -> Msg {
    match kind {
        "grant" => Msg::EntryGrant,
        "purchase" => Msg::EntryPurchase,
        "charge" => Msg::EntryCharge,
        "refund" => Msg::EntryRefund,
        "adjustment" => Msg::EntryAdjustment,
        "expiry" => Msg::EntryExpiry,
        "purchase_refund" => Msg::EntryPurchaseRefund,
        _ => Msg::EntryRepayment,
    }
}

fn entry(i18n: I18n, e: LedgerEntryDto) -> impl IntoView {
    use crate::format;
    use crate::i18n::text;
    let positive = e.amount.0.hundredths() > 0;
    let period = e.reference.strip_prefix("period:").map(str::to_owned);
    let locale = i18n.locale.get();
    let moves = e
        .moves
        .iter()
        .map(|m| {
            let (kind, rest) = m.source.split_once(':').unwrap_or((&m.source, ""));
            let what = match kind {
                "grant" => Msg::EntryGrant,
                "rollover" => Msg::CarriedOver,
                "purchase" => Msg::EntryPurchase,
                "adjustment" => Msg::EntryAdjustment,
                _ => Msg::EntryRefund,
            };
            let period = if rest.contains('-') { rest } else { "" };
            format!(
                "{} {period} ({})",
                text(locale, what),
                format::points(locale, m.points)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    // Plain strings in the reader's language: the page is drawn again when it changes.
    let l = locale;
    let title = match (&e.ticket, period) {
        (Some(t), _) => format!("{} · #{} {}", text(l, kind_msg(&e.kind)), t.number, t.title),
        (None, Some(p)) => format!("{} {p}", text(l, kind_msg(&e.kind))),
        (None, None) => text(l, kind_msg(&e.kind)).to_owned(),
    };
    let href = e.ticket.as_ref().map(|t| format!("/tickets/{}", t.id));
    let reason = if e.kind == "adjustment" {
        e.reason.clone()
    } else {
        String::new()
    };
    let mut meta = format::date_time(l, e.at as f64 * 1000.0);
    if let Some(a) = &e.actor {
        meta.push_str(&format!(" · {a}"));
    }
    if !moves.is_empty() {
        meta.push_str(&format!(" · {} {moves}", text(l, Msg::FromBlocks)));
    }
    view! {
        <li class="row ledger__entry" data-testid="entry" data-kind=e.kind.clone() data-id=e.id>
            <div class="ledger__main">
                {match href {
                    Some(h) => view! { <a class="link" href=h><strong>{format::keep_together(&title)}</strong></a> }.into_any(),
                    None => view! { <strong>{format::keep_together(&title)}</strong> }.into_any(),
                }}
                <p class="ledger__reason">{reason}</p>
                <span class="row__meta">{format::keep_together(&meta)}</span>
            </div>
            <div class="ledger__figures">
                <span class="amount" class:amount--plus=positive data-testid="entry-amount">{format::points(l, e.amount)}</span>
                <span class="row__meta">{text(l, Msg::BalanceAfter)} " " {format::points(l, e.balance_after)}</span>
            </div>
        </li>
    }
}
