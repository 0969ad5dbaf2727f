//! The manager's bank desk as a page, in the reader's language (`listBankPayments?format=html`):
//! a 1C statement to import, the export for 1C, the invoices awaiting a transfer and the
//! payments waiting for a decision (credit the invoice, note a refund, ignore). Its one script
//! (allowed by its hash) reads the chosen file and sends the same API requests the app would,
//! each with its own `Idempotency-Key`; the page then reads itself again. Drawn by the worker so
//! that the app's bundle stays within its budget.

use pointdesk_api::invoices::{BankPaymentDto, InvoiceDto};
use worker::Response;

use super::{date, escape as e, page_with, rub};
use crate::error::AppResult;

/// Reads the chosen statement as base64, imports it, keeps the summary across the reload; a
/// decision posts the payment's resolution with its note. A refusal shows its field and code.
const SCRIPT: &str = "var d=document.body.dataset,s=document.getElementById('summary'),f=document.getElementById('failure');\
function send(u,b){return fetch(u,{method:'POST',credentials:'same-origin',headers:{'content-type':'application/json','idempotency-key':crypto.randomUUID()},body:JSON.stringify(b)}).then(function(r){return r.json().then(function(j){if(!r.ok)throw j;return j})})}\
function fail(p){f.hidden=false;f.textContent=d.failed+(p&&p.errors&&p.errors.length?' ('+p.errors.map(function(x){return x.field+': '+x.code}).join(', ')+')':'')}\
var k=sessionStorage.getItem('pointdesk.import');if(k){sessionStorage.removeItem('pointdesk.import');s.hidden=false;s.textContent=k}\
document.getElementById('statement').onchange=function(ev){var file=ev.target.files[0];if(!file)return;\
file.arrayBuffer().then(function(b){var a=new Uint8Array(b),t='';for(var i=0;i<a.length;i++)t+=String.fromCharCode(a[i]);return send('/api/v1/bank-statements',{file_base64:btoa(t)})})\
.then(function(r){sessionStorage.setItem('pointdesk.import',d.credited+': '+r.credited+' · '+d.already+': '+r.already_imported+' · '+d.decide+': '+r.to_resolve+' · '+d.other+': '+r.not_incoming);location.reload()},fail)};\
document.querySelectorAll('[data-action]').forEach(function(b){b.onclick=function(){var li=b.closest('li');\
send('/api/v1/bank-payments/'+li.dataset.id+'/resolution',{action:b.dataset.action,note:li.querySelector('input').value}).then(function(){location.reload()},fail)}})";

fn t(ru: bool, words: (&'static str, &'static str)) -> &'static str {
    if ru {
        words.1
    } else {
        words.0
    }
}

/// Why a payment waits, in words.
fn reason(code: &str, ru: bool) -> &'static str {
    t(
        ru,
        match code {
            "short" => ("Short of the invoice", "Меньше суммы счёта"),
            "excess" => ("Over the invoice", "Больше суммы счёта"),
            "other_payer" => ("Another payer", "Другой плательщик"),
            "no_invoice_number" => ("No invoice number", "Нет номера счёта"),
            _ => ("No such invoice waits", "Такой счёт не ожидает оплаты"),
        },
    )
}

fn invoices_table(invoices: &[InvoiceDto], ru: bool) -> String {
    if invoices.is_empty() {
        return format!(
            "<p data-testid=\"no-invoices\">{}</p>",
            t(ru, ("No invoices wait.", "Счетов к оплате нет."))
        );
    }
    let rows: String = invoices
        .iter()
        .map(|i| {
            format!(
                "<tr data-testid=\"invoice-row\"><td><a href=\"/purchases/{id}\">№\u{a0}{n}</a></td>\
                 <td>{day}</td><td>{buyer}</td><td class=\"num\">{sum}\u{a0}₽</td></tr>",
                id = i.id,
                n = i.number,
                day = date(&i.issued_on),
                buyer = e(&i.buyer),
                sum = rub(i.amount_minor),
            )
        })
        .collect();
    format!(
        "<table data-testid=\"invoices\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{rows}</table>",
        t(ru, ("Invoice", "Счёт")),
        t(ru, ("Issued", "Дата")),
        t(ru, ("Buyer", "Покупатель")),
        t(ru, ("Amount", "Сумма")),
    )
}

fn payment_item(p: &BankPaymentDto, ru: bool) -> String {
    let invoice = p
        .invoice_reference
        .as_deref()
        .map(|i| format!(" · {}", e(i)))
        .unwrap_or_default();
    let credit = if p.invoice_id.is_some() {
        format!(
            "<button type=\"button\" data-action=\"credit\" data-testid=\"payment-credit\">{}</button>",
            t(ru, ("Credit the invoice", "Зачесть по счёту"))
        )
    } else {
        String::new()
    };
    format!(
        "<li class=\"item\" data-testid=\"open-payment\" data-id=\"{id}\"><h2>{sum}\u{a0}₽ · {payer}</h2>\
         <p class=\"meta\">№\u{a0}{no} · {day} · ИНН {inn}</p><p>{purpose}</p>\
         <p><span class=\"state\" data-testid=\"payment-reason\">{why}{invoice}</span></p>\
         <label>{note} <input data-testid=\"payment-note\"></label>\
         <p class=\"acts\">{credit}<button type=\"button\" data-action=\"refund\" data-testid=\"payment-refund\">{refund}</button>\
         <button type=\"button\" data-action=\"ignore\" data-testid=\"payment-ignore\">{ignore}</button></p></li>",
        id = p.id,
        sum = rub(p.amount_minor),
        payer = e(&p.payer_name),
        no = e(&p.number),
        day = date(&p.date),
        inn = e(&p.payer_inn),
        purpose = e(&p.purpose),
        why = reason(p.reason.as_deref().unwrap_or_default(), ru),
        note = t(ru, ("Note", "Комментарий")),
        refund = t(ru, ("Refund", "Вернуть")),
        ignore = t(ru, ("Ignore", "Пропустить")),
    )
}

/// The desk: `invoices` awaiting a transfer and the `payments` waiting for a decision.
pub fn bank_desk_page(
    invoices: &[InvoiceDto],
    payments: &[BankPaymentDto],
    ru: bool,
) -> AppResult<Response> {
    let title = t(ru, ("Bank transfers", "Оплата переводом"));
    let open = if payments.is_empty() {
        format!(
            "<p data-testid=\"no-open-payments\">{}</p>",
            t(ru, ("Nothing waits.", "Ничего не ждёт."))
        )
    } else {
        let items: String = payments.iter().map(|p| payment_item(p, ru)).collect();
        format!("<ul class=\"plain-list\" data-testid=\"open-payments\">{items}</ul>")
    };
    let body = format!(
        "<h1 data-testid=\"page-title\">{title}</h1>\
         <section class=\"item\"><h2>{import}</h2><p>{intro}</p>\
         <label>{file} <input type=\"file\" id=\"statement\" accept=\".txt,text/plain\" data-testid=\"statement-file\"></label>\
         <p class=\"state\" id=\"summary\" role=\"status\" data-testid=\"import-summary\" hidden></p>\
         <p class=\"state\" id=\"failure\" role=\"alert\" data-testid=\"desk-error\" hidden></p>\
         <p class=\"acts\"><a class=\"button\" href=\"/api/v1/accounting-export?format=xml\" download data-testid=\"export-xml\">{export}</a>\
         <a class=\"button\" href=\"/api/v1/accounting-export?format=csv\" download data-testid=\"export-csv\">CSV</a></p></section>\
         <h2>{waiting}</h2>{table}<h2>{decide}</h2>{open}",
        import = t(ru, ("Import a statement", "Загрузить выписку")),
        intro = t(
            ru,
            (
                "A 1C bank statement: each payment that names an invoice and pays it is credited once.",
                "Выписка в формате 1С: платёж по счёту на его сумму зачисляется один раз."
            )
        ),
        file = t(ru, ("Statement (.txt)", "Выписка (.txt)")),
        export = t(ru, ("Export for 1C (XML)", "Выгрузка в 1С (XML)")),
        waiting = t(ru, ("Invoices awaiting transfer", "Счета к оплате")),
        table = invoices_table(invoices, ru),
        decide = t(ru, ("Payments to decide", "Платежи на решение")),
    );
    // The words the script writes, as the body's data.
    let data = format!(
        "data-credited=\"{}\" data-already=\"{}\" data-decide=\"{}\" data-other=\"{}\" data-failed=\"{}\"",
        t(ru, ("Credited", "Зачислено")),
        t(ru, ("Already imported", "Уже загружены")),
        t(ru, ("To decide", "Ждут решения")),
        t(ru, ("Not incoming", "Не входящие")),
        t(ru, ("Not accepted", "Не принято")),
    );
    page_with(if ru { "ru" } else { "en" }, title, &body, &data, SCRIPT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_in_each_language() {
        assert_eq!(reason("short", true), "Меньше суммы счёта");
        assert_eq!(reason("other_payer", false), "Another payer");
        assert_eq!(reason("whatever", false), "No such invoice waits");
    }
}
