//! The invoice (счёт на оплату) as a printable page, in the form Russian accountants expect:
//! the bank block, supplier and buyer, one line, the VAT, the total in words and the payment
//! reference.

use pointdesk_api::invoices::{ClientRequisitesDto, InvoiceDto, ProviderRequisitesDto};
use serde::{Deserialize, Serialize};
use worker::Response;

use super::{date, escape as e, page, points, rub, vat_line, words};
use crate::error::AppResult;

/// What an invoice says about its parties, kept as issued (`invoices.document`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InvoiceDoc {
    pub seller: ProviderRequisitesDto,
    pub buyer: ClientRequisitesDto,
    /// The price of one point, in kopecks (the pack's price over its points).
    pub price_per_point_minor: i64,
}

fn party(name: &str, inn: &str, kpp: &str, address: &str) -> String {
    let kpp = if kpp.is_empty() {
        String::new()
    } else {
        format!(", КПП {}", e(kpp))
    };
    format!("{}, ИНН {}{kpp}, {}", e(name), e(inn), e(address))
}

pub fn invoice_page(inv: &InvoiceDto, doc: &InvoiceDoc) -> AppResult<Response> {
    let s = &doc.seller;
    let b = &doc.buyer;
    let state = match inv.status.as_str() {
        "succeeded" => format!(
            "<p><span class=\"state\">Оплачен {}</span></p>",
            inv.paid_on.as_deref().map(date).unwrap_or_default()
        ),
        "canceled" => "<p><span class=\"state\">Аннулирован</span></p>".to_owned(),
        _ => String::new(),
    };
    let bank = format!(
        "<table><tr><td colspan=\"2\" rowspan=\"2\">{bank}<br><small>Банк получателя</small></td>\
         <td>БИК</td><td>{bik}</td></tr><tr><td>Сч. №</td><td>{corr}</td></tr>\
         <tr><td>ИНН {inn}</td><td>КПП {kpp}</td><td rowspan=\"2\">Сч. №</td><td rowspan=\"2\">{acc}</td></tr>\
         <tr><td colspan=\"2\">{name}<br><small>Получатель</small></td></tr></table>",
        bank = e(&s.bank_name),
        bik = e(&s.bik),
        corr = e(&s.corr_account),
        inn = e(&s.inn),
        kpp = e(&s.kpp),
        acc = e(&s.account),
        name = e(&s.legal_name),
    );
    let vat = if inv.vat == "none" {
        format!("<tr class=\"total\"><td colspan=\"5\" class=\"num\">{}:</td><td class=\"num\">—</td></tr>", vat_line("none"))
    } else {
        format!(
            "<tr class=\"total\"><td colspan=\"5\" class=\"num\">{}:</td><td class=\"num\">{}</td></tr>",
            vat_line(&inv.vat),
            rub(inv.vat_minor)
        )
    };
    let body = format!(
        "{bank}<h1 data-testid=\"invoice-title\">Счёт на оплату № {n} от {d}</h1>{state}\
         <table class=\"plain\"><tr><td>Поставщик<br>(исполнитель):</td><td><b>{seller}</b></td></tr>\
         <tr><td>Покупатель<br>(заказчик):</td><td><b>{buyer}</b></td></tr></table><br>\
         <table><tr><th>№</th><th>Товары (работы, услуги)</th><th>Кол-во</th><th>Ед.</th><th>Цена</th><th>Сумма</th></tr>\
         <tr><td>1</td><td>{what}</td><td class=\"num\">{qty}</td><td>балл (чел.-ч)</td><td class=\"num\">{price}</td><td class=\"num\">{sum}</td></tr>\
         <tr class=\"total\"><td colspan=\"5\" class=\"num\">Итого:</td><td class=\"num\">{sum}</td></tr>{vat}\
         <tr class=\"total\"><td colspan=\"5\" class=\"num\">Всего к оплате:</td><td class=\"num\" data-testid=\"invoice-total\">{sum}</td></tr></table>\
         <p>Всего наименований 1, на сумму {sum} руб.</p><p class=\"words\">{in_words}</p>\
         <p>Назначение платежа: <b data-testid=\"invoice-reference\">Оплата по {reference_lc}. {vat_text}</b></p>\
         <p><small>Оплата означает согласие с условиями поставки; баллы зачисляются в день поступления денег на счёт.</small></p>\
         <div class=\"sign\"><div>Руководитель <span class=\"line\"></span> {signatory}</div>\
         <div>Бухгалтер <span class=\"line\"></span></div></div>",
        n = inv.number,
        d = date(&inv.issued_on),
        seller = party(&s.legal_name, &s.inn, &s.kpp, &s.address),
        buyer = party(&b.legal_name, &b.inn, &b.kpp, &b.address),
        what = e(&inv.description),
        qty = points(inv.points.0.hundredths()),
        price = rub(doc.price_per_point_minor),
        sum = rub(inv.amount_minor),
        in_words = words::rubles(inv.amount_minor),
        reference_lc = e(&inv.reference.replacen("Счёт", "счёту", 1)),
        vat_text = if inv.vat == "none" {
            "НДС не облагается".to_owned()
        } else {
            format!("В т.ч. НДС {} % — {} руб.", inv.vat, rub(inv.vat_minor))
        },
        signatory = e(&s.signatory),
    );
    page(&inv.reference, &body)
}
