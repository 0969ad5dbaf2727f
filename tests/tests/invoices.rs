//! Paying by bank transfer over HTTP on the real local D1: requisites refused by their check
//! digits, an invoice for 10 points, a 1C bank statement (Windows-1251) imported twice crediting
//! once, a payment 1 ₽ short waiting for the manager, a transfer recorded by hand, acts numbered
//! once, and the 1C export agreeing with the revenue report.

use base64::Engine;
use pointdesk_e2e::{assert_books_agree, balance, d1_rows, desk, ok, post, put, sign, Caller};
use serde_json::{json, Value};

const OUR_ACCOUNT: &str = "40702810200000000001";
const PAYER_ACCOUNT: &str = "40702810000000000777";
const PAYER_INN: &str = "500100732259";

fn provider_requisites() -> Value {
    json!({
        "legal_name": "ООО «Сервис»", "inn": "7707083893", "kpp": "773601001",
        "ogrn": "1027700132195", "address": "Москва, ул. Вавилова, 19", "bank_name": "ПАО Сбербанк",
        "bik": "044525225", "account": OUR_ACCOUNT, "corr_account": "30101810400000000225",
        "vat": "20", "signatory": "Иванов И. И., директор"
    })
}

/// Windows-1251 bytes of `text` (Cyrillic, `№`, ASCII: what a statement holds).
fn cp1251(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c as u32 {
            0..=0x7F => c as u8,
            0x0410..=0x044F => (c as u32 - 0x0410 + 0xC0) as u8,
            0x0401 => 0xA8,
            0x0451 => 0xB8,
            0x2116 => 0xB9,
            0xAB => 0xAB,
            0xBB => 0xBB,
            _ => b'?',
        })
        .collect()
}

/// One incoming payment order as a statement's document.
fn document(number: &str, date: &str, sum: &str, purpose: &str) -> String {
    format!(
        "СекцияДокумент=Платежное поручение\r\nНомер={number}\r\nДата={date}\r\nСумма={sum}\r\n\
         ПлательщикСчет={PAYER_ACCOUNT}\r\nПлательщикИНН={PAYER_INN}\r\nПлательщик1=ИП Петров\r\n\
         ПолучательСчет={OUR_ACCOUNT}\r\nПолучательИНН=7707083893\r\nДатаПоступило={date}\r\n\
         НазначениеПлатежа={purpose}\r\nКонецДокумента\r\n"
    )
}

fn statement(documents: &[String]) -> String {
    let mut s = format!(
        "1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\nОтправитель=Банк\r\n\
         РасчСчет={OUR_ACCOUNT}\r\nСекцияРасчСчет\r\nРасчСчет={OUR_ACCOUNT}\r\nКонецРасчСчет\r\n"
    );
    for d in documents {
        s.push_str(d);
    }
    s.push_str("КонецФайла\r\n");
    s
}

fn import(manager: &mut Caller, text: &str, key: &str) -> Value {
    let file = base64::engine::general_purpose::STANDARD.encode(cp1251(text));
    ok(
        manager.post_keyed(
            "/api/v1/bank-statements",
            key,
            &json!({ "file_base64": file }).to_string(),
        ),
        200,
    )
}

fn field_codes(a: pointdesk_e2e::Answer) -> Vec<(String, String)> {
    a.problem(422, "/problems/validation")
        .errors
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

fn today_ru() -> String {
    d1_rows("SELECT strftime('%d.%m.%Y', 'now', '+3 hours') AS d")[0]["d"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The people of `tag` with requisites on both sides and a 10-point pack for 12 000 ₽.
fn billing(id: i64, tag: &str) -> (i64, i64, Caller, Caller) {
    let org = desk(id, tag, 100);
    pointdesk_e2e::d1(&format!(
        "UPDATE providers SET time_zone = 'Europe/Moscow' WHERE id = {id}"
    ))
    .expect("zone");
    let mut manager = sign("manager", tag);
    let mut admin = sign("admin", tag);
    ok(
        put(
            &mut manager,
            "/api/v1/provider-requisites",
            provider_requisites(),
        ),
        200,
    );
    let buyer =
        json!({"legal_name": "ИП Петров П. П.", "inn": PAYER_INN, "kpp": "", "address": "Тула"});
    ok(
        put(
            &mut admin,
            &format!("/api/v1/organizations/{org}/requisites"),
            buyer,
        ),
        200,
    );
    let pack = ok(
        post(
            &mut manager,
            "/api/v1/point-packs",
            json!({"name": "10 баллов", "points": "10", "price_minor": 1_200_000, "currency": "RUB"}),
        ),
        201,
    )["id"]
        .as_i64()
        .expect("a pack");
    (org, pack, manager, admin)
}

#[test]
fn requisites_with_wrong_check_digits_are_refused_field_by_field() {
    let org = desk(2201, "inv1", 100);
    let mut manager = sign("manager", "inv1");
    let bad = json!({
        "legal_name": "ООО", "inn": "7707083894", "kpp": "773601001", "ogrn": "1027700132195",
        "address": "Москва", "bank_name": "Банк", "bik": "04452522", "account": "40702810200000000002",
        "corr_account": "30101810400000000225", "vat": "20", "signatory": "Иванов"
    });
    let codes = field_codes(put(&mut manager, "/api/v1/provider-requisites", bad));
    for want in [
        ("inn", "check_digit"),
        ("bik", "digits"),
        ("account", "bank_key"),
        ("corr_account", "bank_key"),
    ] {
        assert!(
            codes.contains(&(want.0.to_owned(), want.1.to_owned())),
            "{want:?} in {codes:?}"
        );
    }
    // The same bank, the account's key digit wrong.
    let mut body = provider_requisites();
    body["account"] = json!("40702810300000000001");
    assert_eq!(
        field_codes(put(&mut manager, "/api/v1/provider-requisites", body)),
        vec![("account".to_owned(), "bank_key".to_owned())]
    );
    let mut admin = sign("admin", "inv1");
    let path = format!("/api/v1/organizations/{org}/requisites");
    let codes = field_codes(put(
        &mut admin,
        &path,
        json!({"legal_name": "ООО Клиент", "inn": "7707083893", "kpp": "", "address": ""}),
    ));
    assert_eq!(
        codes,
        vec![
            ("kpp".to_owned(), "required".to_owned()),
            ("address".to_owned(), "required".to_owned())
        ]
    );
    // Nothing was kept.
    assert_eq!(ok(admin.get(&path), 200)["inn"], "");
    assert_eq!(
        ok(manager.get("/api/v1/provider-requisites"), 200)["inn"],
        ""
    );
}

#[test]
fn a_statement_imported_twice_credits_the_invoice_once_and_a_short_payment_waits() {
    let (org, pack, mut manager, mut admin) = billing(2202, "inv2");
    let before = balance(org);
    // An invoice for 10 points (the pack).
    let invoice = ok(
        admin.post_keyed(
            "/api/v1/invoices",
            "inv2-a",
            &json!({"pack_id": pack}).to_string(),
        ),
        201,
    );
    assert_eq!(invoice["status"], "awaiting_transfer");
    assert_eq!(invoice["points"], "10.00");
    assert_eq!(invoice["amount_minor"], 1_200_000);
    assert_eq!(invoice["vat"], "20");
    assert_eq!(invoice["vat_minor"], 200_000);
    let number = invoice["number"].as_i64().expect("a number");
    let id = invoice["id"].as_i64().expect("an id");
    assert_eq!(
        invoice["reference"],
        format!("Счёт № {number} от {}", today_ru())
    );
    // A retry with the same key is the same invoice.
    let again = ok(
        admin.post_keyed(
            "/api/v1/invoices",
            "inv2-a",
            &json!({"pack_id": pack}).to_string(),
        ),
        201,
    );
    assert_eq!(again["id"], id);
    // The printable page.
    let page = admin.get(&format!("/api/v1/invoices/{id}?format=html"));
    assert_eq!(page.status, 200);
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    assert!(
        page.body.contains(&format!("Счёт на оплату № {number}")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Двенадцать тысяч рублей 00 копеек"));
    // A second invoice: 2.5 points at the pack's price per point.
    let second = ok(
        admin.post_keyed(
            "/api/v1/invoices",
            "inv2-b",
            &json!({"pack_id": pack, "points": "2.50"}).to_string(),
        ),
        201,
    );
    assert_eq!(second["amount_minor"], 300_000);
    assert_eq!(second["number"], number + 1);

    let today = today_ru();
    let paid = document(
        "512",
        &today,
        "12000.00",
        &format!("Оплата по счёту № {number} от {today} за техподдержку. В т.ч. НДС 20%"),
    );
    let file = statement(std::slice::from_ref(&paid));
    let first = import(&mut manager, &file, "inv2-import-1");
    assert_eq!(first["documents"], 1);
    assert_eq!(first["credited"], 1);
    assert_eq!(balance(org), before + 1000);
    let twice = import(&mut manager, &file, "inv2-import-2");
    assert_eq!(twice["credited"], 0);
    assert_eq!(twice["already_imported"], 1);
    assert_eq!(balance(org), before + 1000, "the same file credits once");
    let got = ok(admin.get(&format!("/api/v1/invoices/{id}")), 200);
    assert_eq!(got["status"], "succeeded");
    assert_eq!(got["payment_reference"], format!("п/п № 512 от {today}"));

    // An overlapping file: the same payment again, and one 1 ₽ short for the second invoice.
    let short = document(
        "513",
        &today,
        "2999.00",
        &format!("Оплата сч. {} от {today}", number + 1),
    );
    let overlap = import(&mut manager, &statement(&[paid, short]), "inv2-import-3");
    assert_eq!(overlap["already_imported"], 1);
    assert_eq!(overlap["credited"], 0);
    assert_eq!(overlap["to_resolve"], 1);
    let waiting = &overlap["payments"][0];
    assert_eq!(waiting["state"], "open");
    assert_eq!(waiting["reason"], "short");
    assert_eq!(waiting["invoice_id"], second["id"]);
    assert_eq!(
        balance(org),
        before + 1000,
        "nothing credited for a short payment"
    );
    let second_now = ok(
        admin.get(&format!("/api/v1/invoices/{}", second["id"])),
        200,
    );
    assert_eq!(second_now["status"], "awaiting_transfer");
    let open = ok(manager.get("/api/v1/bank-payments?state=open"), 200);
    assert_eq!(open["payments"].as_array().map(Vec::len), Some(1));
    // The manager notes a refund; it is decided once.
    let pid = waiting["id"].as_i64().expect("an id");
    let path = format!("/api/v1/bank-payments/{pid}/resolution");
    assert_eq!(
        field_codes(post(&mut manager, &path, json!({"action": "refund"}))),
        vec![("note".to_owned(), "required".to_owned())]
    );
    let refunded = ok(
        post(
            &mut manager,
            &path,
            json!({"action": "refund", "note": "Вернуть 2 999 ₽ платёжкой"}),
        ),
        200,
    );
    assert_eq!(refunded["state"], "refund");
    assert_eq!(
        post(&mut manager, &path, json!({"action": "ignore"})).status,
        409
    );
    // A client admin may not import.
    let file64 = base64::engine::general_purpose::STANDARD.encode(b"1CClientBankExchange\n");
    assert_eq!(
        post(
            &mut admin,
            "/api/v1/bank-statements",
            json!({"file_base64": file64})
        )
        .status,
        403
    );
    // A file that is not a statement says so.
    let junk = base64::engine::general_purpose::STANDARD.encode("hello");
    assert_eq!(
        field_codes(post(
            &mut manager,
            "/api/v1/bank-statements",
            json!({"file_base64": junk})
        )),
        vec![("file_base64".to_owned(), "not_1c_exchange".to_owned())]
    );
    assert_books_agree();
}

#[test]
fn a_transfer_recorded_by_hand_credits_once_and_a_paid_invoice_cannot_be_cancelled() {
    let (org, pack, mut manager, mut admin) = billing(2203, "inv3");
    let before = balance(org);
    let inv = ok(
        post(&mut admin, "/api/v1/invoices", json!({"pack_id": pack})),
        201,
    );
    let id = inv["id"].as_i64().expect("an id");
    let path = format!("/api/v1/invoices/{id}/payment");
    assert_eq!(
        field_codes(post(
            &mut manager,
            &path,
            json!({"paid_on": "03.12.2026", "reference": ""})
        )),
        vec![
            ("paid_on".to_owned(), "malformed".to_owned()),
            ("reference".to_owned(), "required".to_owned())
        ]
    );
    let paid = ok(
        manager.post_keyed(
            &path,
            "inv3-pay",
            &json!({"paid_on": "2026-12-02", "reference": "п/п 77"}).to_string(),
        ),
        200,
    );
    assert_eq!(paid["status"], "succeeded");
    assert_eq!(paid["paid_on"], "2026-12-02");
    assert_eq!(balance(org), before + 1000);
    // The same request again is the same answer; another is refused; nothing moves.
    let replay = manager.post_keyed(
        &path,
        "inv3-pay",
        &json!({"paid_on": "2026-12-02", "reference": "п/п 77"}).to_string(),
    );
    assert_eq!(replay.status, 200);
    assert_eq!(
        post(
            &mut manager,
            &path,
            json!({"paid_on": "2026-12-02", "reference": "п/п 78"})
        )
        .status,
        409
    );
    assert_eq!(
        post(
            &mut admin,
            &format!("/api/v1/invoices/{id}/cancel"),
            json!({})
        )
        .status,
        409
    );
    assert_eq!(balance(org), before + 1000);
    // A waiting one is cancelled, and a statement paying it later waits for the manager.
    let other = ok(
        post(&mut admin, "/api/v1/invoices", json!({"pack_id": pack})),
        201,
    );
    let cancelled = ok(
        post(
            &mut admin,
            &format!("/api/v1/invoices/{}/cancel", other["id"]),
            json!({}),
        ),
        200,
    );
    assert_eq!(cancelled["status"], "canceled");
    let today = today_ru();
    let late = document(
        "900",
        &today,
        "12000.00",
        &format!("Оплата счёта № {} от {today}", other["number"]),
    );
    let result = import(&mut manager, &statement(&[late]), "inv3-import");
    assert_eq!(result["credited"], 0);
    assert_eq!(result["to_resolve"], 1);
    assert_eq!(result["payments"][0]["reason"], "unknown_invoice");
    assert_eq!(balance(org), before + 1000);
    assert_books_agree();
}

#[test]
fn an_ended_months_act_is_numbered_once_and_the_export_agrees_with_revenue() {
    let (org, pack, mut manager, mut admin) = billing(2204, "inv4");
    let last = d1_rows("SELECT strftime('%Y-%m', 'now', 'start of month', '-1 month') AS p")[0]
        ["p"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let this = d1_rows("SELECT strftime('%Y-%m', 'now', '+3 hours') AS p")[0]["p"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let act = ok(
        admin.get(&format!("/api/v1/organizations/{org}/acts/{last}")),
        200,
    );
    let number = act["number"]
        .as_i64()
        .expect("an ended month's act is numbered");
    let reprint = ok(
        manager.get(&format!("/api/v1/organizations/{org}/acts/{last}")),
        200,
    );
    assert_eq!(reprint, act, "a reprint is identical");
    let draft = ok(
        admin.get(&format!("/api/v1/organizations/{org}/acts/{this}")),
        200,
    );
    assert_eq!(draft["number"], Value::Null);
    let page = admin.get(&format!(
        "/api/v1/organizations/{org}/acts/{last}?format=html"
    ));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!("Акт № {number}")),
        "{}",
        page.body
    );
    // A paid invoice: the export's payments add up to the revenue report.
    let inv = ok(
        post(&mut admin, "/api/v1/invoices", json!({"pack_id": pack})),
        201,
    );
    ok(
        post(
            &mut manager,
            &format!("/api/v1/invoices/{}/payment", inv["id"]),
            json!({"paid_on": "2026-12-02", "reference": "п/п 5"}),
        ),
        200,
    );
    let revenue = ok(
        manager.get(&format!("/api/v1/reports/revenue?from={this}&to={this}")),
        200,
    );
    let revenue_total: i64 = revenue["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["amount_minor"].as_i64().unwrap_or_default())
        .sum();
    assert_eq!(revenue_total, 1_200_000);
    let csv = manager.get(&format!(
        "/api/v1/accounting-export?from={this}&to={this}&format=csv&locale=en"
    ));
    assert_eq!(csv.status, 200);
    let paid_total: i64 = csv
        .body
        .lines()
        .filter(|l| l.starts_with("bank_payment") || l.starts_with("card_payment"))
        .map(|l| {
            let amount = l.split(',').nth(5).unwrap_or("0").replace('.', "");
            amount.parse::<i64>().unwrap_or_default()
        })
        .sum();
    assert_eq!(paid_total, revenue_total);
    let xml = manager.get(&format!("/api/v1/accounting-export?from={this}&to={this}"));
    assert_eq!(xml.status, 200);
    assert!(xml.content_type.starts_with("application/xml"));
    assert!(xml.body.contains("<Документ.СчетНаОплатуПокупателю>"));
    assert!(xml
        .body
        .contains("<Документ.ПоступлениеБезналичныхДенежныхСредств>"));
    assert!(xml.body.contains("<Сумма>12000.00</Сумма>"));
    assert_books_agree();
}
