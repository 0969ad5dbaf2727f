//! Printable documents and accounting exchange, as protocol: the invoice and the act as HTML
//! pages (A4, print CSS, Russian: these are Russian business papers), the amount in words, and
//! 1C's EnterpriseData XML. Nothing here reads the database; handlers pass the data in.

mod act;
mod bank_desk;
mod enterprise_data;
mod invoice;
mod logs;
mod statement;
mod words;

pub use act::act_page;
pub use bank_desk::bank_desk_page;
pub use enterprise_data::{enterprise_data, ExportData, ExportInvoice, ExportPayment};
pub use invoice::{invoice_page, InvoiceDoc};
pub use logs::{audit_page, outbox_page};
pub use statement::{statement_page, StatementLinks};
pub use words::plural;

use worker::Response;

use crate::error::AppResult;

const STYLE: &str = "@page{size:A4;margin:15mm}\
*{box-sizing:border-box}body{font:14px/1.4 Arial,Helvetica,sans-serif;color:#111;margin:0;background:#eef0f4}\
main{background:#fff;max-width:210mm;margin:0 auto;padding:12mm}\
h1{font-size:1.25rem;margin:1.2rem 0 .8rem;padding-bottom:.4rem;border-bottom:2px solid #111}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #111;padding:.3rem .4rem;vertical-align:top}\
th{background:#f2f2f2;font-weight:600}.num{text-align:right;white-space:nowrap}\
.plain td{border:none;padding:.15rem .4rem}.total td{border:none;font-weight:700}\
.words{font-weight:700;margin:.6rem 0}.sign{margin-top:2.5rem;display:flex;gap:2rem;flex-wrap:wrap}\
.sign div{flex:1;min-width:14rem}.line{display:inline-block;min-width:9rem;border-bottom:1px solid #111}\
.state{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;background:#fff3c4;font-weight:600}\
.bar{max-width:210mm;margin:0 auto;padding:.6rem 5mm;display:flex;gap:.6rem}\
.bar button{font:inherit;min-height:44px;padding:0 1.2rem;border-radius:.5rem;border:1px solid #1f4fd1;background:#1f4fd1;color:#fff}\
.bar{flex-wrap:wrap}.button{display:inline-flex;align-items:center;min-height:44px;min-width:44px;justify-content:center;padding:0 .9rem;border-radius:.5rem;border:1px solid #b8c0d0;color:#1f4fd1;text-decoration:none}\
article nav.bar{padding:0 0 .6rem;max-width:none}\
.item{border-bottom:1px solid #d8dce6;padding:.6rem 0}.item h2{font-size:1rem;margin:0 0 .2rem}.meta{color:#555;margin:0 0 .4rem}\
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f7fa;padding:.5rem;border-radius:.3rem}summary{min-height:44px;display:flex;align-items:center;cursor:pointer}\
.acts{display:flex;flex-wrap:wrap;gap:.5rem}.acts button,.acts .button{font:inherit;min-height:44px;padding:0 1rem;border-radius:.5rem;border:1px solid #1f4fd1;background:#fff;color:#1f4fd1}.acts button[data-action=credit]{background:#1f4fd1;color:#fff}label{display:block;margin:.4rem 0}label input{display:block;font:inherit;min-height:44px;width:100%;max-width:28rem;margin-top:.2rem}.plain-list{list-style:none;padding:0;margin:0}[hidden]{display:none!important}main>h2{font-size:1.1rem;margin-top:1.4rem}input[type=file]{min-height:44px}@media (max-width:600px){main{padding:5mm}body{font-size:13px}td,th{padding:.2rem;font-size:12px;overflow-wrap:anywhere}.plain td:first-child{overflow-wrap:normal}}\
@media print{body{background:#fff}.bar,.no-print{display:none}main{padding:0;max-width:none}}";

const SCRIPT: &str = "document.getElementById('print').onclick=function(){window.print()}";

fn hash(s: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
    )
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `1 234 567,89` (kopecks), the way Russian documents write sums.
pub fn rub(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let (r, k) = (minor.abs() / 100, minor.abs() % 100);
    let digits = r.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    format!("{sign}{out},{k:02}")
}

/// Points as `12,50`.
pub fn points(hundredths: i64) -> String {
    rub(hundredths)
}

/// `2026-12-03` → `03.12.2026`.
pub fn date(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    match p.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

/// The VAT line of a document: «Без налога (НДС)» or «В том числе НДС 20 %».
pub fn vat_line(vat: &str) -> String {
    if vat == "none" {
        "Без налога (НДС)".to_owned()
    } else {
        format!("В том числе НДС {vat}\u{a0}%")
    }
}

/// A printable Russian business paper (invoice, act): [`page_in`] Russian.
fn page(title: &str, body: &str) -> AppResult<Response> {
    page_in("ru", title, body, "Печать")
}

/// A printable page in `lang`: the body inside the document shell, with a Print button
/// (labelled `print`), its one style and script allowed by their hashes.
fn page_in(lang: &str, title: &str, body: &str, print: &str) -> AppResult<Response> {
    let bar =
        format!("<button id=\"print\" type=\"button\" data-testid=\"print\">{print}</button>");
    shell(lang, title, &bar, "", body, SCRIPT)
}

/// A page in `lang` that works rather than prints: `script` (allowed by its hash) acts on the
/// body, whose attributes `attrs` carry the words it writes.
fn page_with(
    lang: &str,
    title: &str,
    body: &str,
    attrs: &str,
    script: &str,
) -> AppResult<Response> {
    shell(lang, title, "", attrs, body, script)
}

fn shell(
    lang: &str,
    title: &str,
    bar: &str,
    attrs: &str,
    body: &str,
    script: &str,
) -> AppResult<Response> {
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body {attrs}>\
         <div class=\"bar\"><a class=\"button\" href=\"/\" data-testid=\"brand\">Pointdesk</a>{bar}</div>\
         <main>{body}</main><script>{script}</script></body></html>",
        escape(title)
    );
    let mut resp = Response::from_html(html)?;
    resp.headers_mut().set("cache-control", "no-store")?;
    resp.headers_mut().set(
        "content-security-policy",
        &format!(
            "default-src 'self'; script-src '{}'; style-src '{}'; object-src 'none'; \
             base-uri 'none'; frame-ancestors 'none'",
            hash(script),
            hash(STYLE)
        ),
    )?;
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_dates_read_the_russian_way() {
        assert_eq!(rub(123_456_789), "1\u{a0}234\u{a0}567,89");
        assert_eq!(rub(100), "1,00");
        assert_eq!(rub(-5), "-0,05");
        assert_eq!(date("2026-12-03"), "03.12.2026");
        assert_eq!(escape("<a&\">"), "&lt;a&amp;&quot;&gt;");
    }
}
