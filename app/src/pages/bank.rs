use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::{self, ApiError};
use crate::components::data_table::{linked_table, parse_csv};
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote_text_at;
use crate::components::requisites_form::{requisites_form, PROVIDER};
use crate::flat_json;
use crate::format;
use crate::i18n::{text, use_i18n, Msg};
use crate::writes::{busy, error_of, on_success, use_write, WriteAction};

/// The file's bytes as base64 (the browser's `btoa` over its bytes as Latin-1 characters).
async fn base64_of(file: web_sys::File) -> Result<String, ApiError> {
    let unreadable = || ApiError::field("file_base64", "unreadable");
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| unreadable())?;
    let latin1: String = js_sys::Uint8Array::new(&buffer)
        .to_vec()
        .into_iter()
        .map(char::from)
        .collect();
    window().btoa(&latin1).map_err(|_| unreadable())
}

/// `12000.00` (the plain CSV's amounts) in minor units.
fn minor(amount: &str) -> i64 {
    let (whole, part) = amount.split_once('.').unwrap_or((amount, "0"));
    let part = format!("{part:0<2}");
    whole.parse::<i64>().unwrap_or(0) * 100 + part[..2].parse::<i64>().unwrap_or(0)
}

/// Why a payment waits, in words.
fn reason_msg(reason: &str) -> Msg {
    match reason {
        "short" => Msg::ReasonShort,
        "excess" => Msg::ReasonExcess,
        "other_payer" => Msg::ReasonOtherPayer,
        "no_invoice_number" => Msg::ReasonNoNumber,
        _ => Msg::ReasonUnknownInvoice,
    }
}

/// The manager's bank desk, on top of the invoices screen: a 1C statement to import (each payment that names an invoice, comes
/// from its buyer and pays it exactly is credited once), the payments waiting for a decision,
/// the export for 1C, and the provider's requisites.
pub fn bank_desk() -> impl IntoView {
    let i18n = use_i18n();
    let import = use_write();
    let resolve = use_write();
    let version = RwSignal::new(0u32);
    let summary = RwSignal::new(None::<String>);
    let local = RwSignal::new(None::<ApiError>);
    on_success(import, move |t| {
        let f = flat_json::fields(t);
        let loc = i18n.locale.get_untracked();
        summary.set(Some(format!(
            "{}: {} · {}: {} · {}: {} · {}: {}",
            text(loc, Msg::Credited),
            f.get("credited"),
            text(loc, Msg::AlreadyImported),
            f.get("already_imported"),
            text(loc, Msg::ToResolve),
            f.get("to_resolve"),
            text(loc, Msg::NotIncoming),
            f.get("not_incoming"),
        )));
        version.update(|v| *v += 1);
    });
    on_success(resolve, move |_| version.update(|v| *v += 1));
    let chosen = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            leptos::task::spawn_local(async move {
                match base64_of(file).await {
                    Ok(b64) => {
                        local.set(None);
                        import.dispatch(client::import_statement(&b64));
                    }
                    Err(e) => local.set(Some(e)),
                }
            });
        }
    };
    let error = Signal::derive(move || local.get().or_else(|| error_of(import).get()));
    view! {
        <div class="grid">
            <section class="card stack">
                <h2 class="card__title">{i18n.tr(Msg::ImportStatement)}</h2>
                <p class="muted">{i18n.tr(Msg::BankIntro)}</p>
                <label class="field">
                    <span class="field__label">{i18n.tr(Msg::StatementFile)}</span>
                    <input class="field__input" type="file" accept=".txt,text/plain" data-testid="statement-file"
                        disabled=busy(import) on:change=chosen />
                </label>
                <ErrorBox error=error />
                {move || summary.get().map(|s| view! { <p class="notice notice--ok" role="status" data-testid="import-summary">{s}</p> })}
                <p class="actions">
                    <a class="button button--secondary" href=client::export_href("xml") download data-testid="export-xml">{i18n.tr(Msg::Export1c)}</a>
                    <a class="button button--secondary" href=client::export_href("csv") download data-testid="export-csv">"CSV"</a>
                </p>
            </section>
            {requisites_form("/provider-requisites".to_owned(), PROVIDER)}
        </div>
        <h2>{i18n.tr(Msg::InvoicesWaiting)}</h2>
        {remote_text_at(
            move || { version.track(); "/invoices?status=awaiting_transfer&format=csv&locale=en".to_owned() },
            move |t| {
                let loc = i18n.locale.get_untracked();
                let rows: Vec<Vec<String>> = parse_csv(&t).into_iter().skip(1).filter(|r| r.len() >= 10).collect();
                if rows.is_empty() {
                    return view! { <p class="muted" data-testid="no-invoices">{i18n.tr(Msg::NoInvoices)}</p> }.into_any();
                }
                let links = rows.iter().map(|r| Some(format!("/purchases/{}", r[0]))).collect();
                let cells = rows
                    .into_iter()
                    .map(|r| vec![r[1].clone(), r[2].clone(), format::money(loc, minor(&r[4]), &r[5])])
                    .collect();
                linked_table("invoices", Vec::new(), cells, false, links)
            },
        )}
        <h2>{i18n.tr(Msg::PaymentsToResolve)}</h2>
        <ErrorBox error=error_of(resolve) />
        {remote_text_at(
            move || { version.track(); "/bank-payments?state=open&format=csv&locale=en".to_owned() },
            move |t| {
                let rows: Vec<Vec<String>> = parse_csv(&t).into_iter().skip(1).filter(|r| r.len() >= 12).collect();
                if rows.is_empty() {
                    return view! { <p class="muted" data-testid="no-open-payments">{i18n.tr(Msg::NothingToResolve)}</p> }.into_any();
                }
                view! {
                    <ul class="rows" data-testid="open-payments">
                        {rows.into_iter().map(|r| payment(r, resolve)).collect_view()}
                    </ul>
                }.into_any()
            },
        )}
    }
}

/// One payment waiting (`id, number, date, amount, payer, payer_inn, purpose, state, reason,
/// invoice_id, invoice, note`): who paid what for which invoice, and the three decisions.
fn payment(r: Vec<String>, resolve: WriteAction) -> impl IntoView {
    let i18n = use_i18n();
    let loc = i18n.locale.get_untracked();
    let id: i64 = r[0].parse().unwrap_or(0);
    let note = RwSignal::new(String::new());
    let decide = move |action: &'static str| {
        resolve.dispatch(client::resolve_payment(id, action, note.get_untracked()));
    };
    let can_credit = !r[9].is_empty();
    let invoice = if r[10].is_empty() {
        String::new()
    } else {
        format!(" · {}", r[10])
    };
    view! {
        <li class="row row--stack" data-testid="open-payment">
            <strong class="row__title">{format!("{} · {}", format::money(loc, minor(&r[3]), "RUB"), r[4])}</strong>
            <span class="muted">{format!("№ {} · {} · ИНН {}", r[1], r[2], r[5])}</span>
            <span>{r[6].clone()}</span>
            <span class="badge badge--alert" data-testid="payment-reason">{text(loc, reason_msg(&r[8]))}{invoice}</span>
            <label class="field">
                <span class="field__label">{text(loc, Msg::PaymentNote)}</span>
                <input class="field__input" data-testid="payment-note" on:input=move |ev| note.set(event_target_value(&ev)) />
            </label>
            <span class="actions">
                {can_credit.then(|| view! {
                    <button class="button" type="button" disabled=busy(resolve) data-testid="payment-credit"
                        on:click=move |_| decide("credit")>{text(loc, Msg::CreditInvoice)}</button>
                })}
                <button class="button button--secondary" type="button" disabled=busy(resolve) data-testid="payment-refund"
                    on:click=move |_| decide("refund")>{text(loc, Msg::RefundNote)}</button>
                <button class="button button--secondary" type="button" disabled=busy(resolve) data-testid="payment-ignore"
                    on:click=move |_| decide("ignore")>{text(loc, Msg::Ignore)}</button>
            </span>
        </li>
    }
}
