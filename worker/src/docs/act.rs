//! The closing act (акт оказанных услуг) of a client and month as a printable page.

use pointdesk_api::invoices::ActDto;
use worker::Response;

use super::{date, escape as e, page, points, rub, vat_line, words};
use crate::error::AppResult;

pub fn act_page(act: &ActDto) -> AppResult<Response> {
    let (s, b) = (&act.seller, &act.buyer);
    let title = match (act.number, &act.issued_on) {
        (Some(n), Some(d)) => format!("Акт № {n} от {}", date(d)),
        _ => "Акт (проект: месяц ещё не закончился)".to_owned(),
    };
    let mut rows = String::new();
    for (i, l) in act.lines.iter().enumerate() {
        let what = match l.ticket {
            Some(t) => format!("Заявка #{t}: {}", e(&l.description)),
            None => e(&l.description),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{what}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            date(&l.date),
            points(l.points.0.hundredths()),
            rub(l.amount_minor)
        ));
    }
    if act.lines.is_empty() {
        rows.push_str("<tr><td colspan=\"5\">В этом месяце баллы не списывались.</td></tr>");
    }
    let vat = if act.vat == "none" {
        vat_line("none")
    } else {
        format!("{}: {} руб.", vat_line(&act.vat), rub(act.vat_minor))
    };
    let body = format!(
        "<h1 data-testid=\"act-title\">{title}</h1>\
         <p>об оказании услуг технической поддержки за {month}</p>\
         <table class=\"plain\"><tr><td>Исполнитель:</td><td><b>{seller}</b>, ИНН {sinn}{skpp}, {saddr}</td></tr>\
         <tr><td>Заказчик:</td><td><b>{buyer}</b>, ИНН {binn}{bkpp}, {baddr}</td></tr></table><br>\
         <table><tr><th>№</th><th>Дата</th><th>Услуга</th><th>Баллы (чел.-ч)</th><th>Сумма, руб.</th></tr>{rows}\
         <tr class=\"total\"><td colspan=\"3\" class=\"num\">Итого:</td><td class=\"num\" data-testid=\"act-points\">{pts}</td><td class=\"num\">{sum}</td></tr></table>\
         <p>{vat}</p><p>Всего оказано услуг на сумму {sum} руб.: <span class=\"words\">{in_words}</span></p>\
         <p><small>Баллы, входящие в абонентскую плату по тарифу, оцениваются в 0 руб.: они оплачены абонентской платой; \
         купленные баллы — по цене их покупки.</small></p>\
         <p>Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет.</p>\
         <div class=\"sign\"><div>Исполнитель <span class=\"line\"></span> {signatory}</div>\
         <div>Заказчик <span class=\"line\"></span></div></div>",
        month = super::statement::month(&act.period, true),
        seller = e(&s.legal_name),
        sinn = e(&s.inn),
        skpp = if s.kpp.is_empty() { String::new() } else { format!(", КПП {}", e(&s.kpp)) },
        saddr = e(&s.address),
        buyer = e(&b.legal_name),
        binn = e(&b.inn),
        bkpp = if b.kpp.is_empty() { String::new() } else { format!(", КПП {}", e(&b.kpp)) },
        baddr = e(&b.address),
        pts = points(act.points.0.hundredths()),
        sum = rub(act.amount_minor),
        in_words = words::rubles(act.amount_minor),
        signatory = e(&s.signatory),
    );
    page(&title, &body)
}
