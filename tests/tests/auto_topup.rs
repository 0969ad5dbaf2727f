//! Automatic top-ups over HTTP on the real local D1, through the sandbox gateway and the hourly
//! job at chosen instants (miniflare's `/cdn-cgi/local/scheduled?time=`): a card kept at a
//! checkout the admin agreed to, the notice an hour before, the charge without the admin, once
//! a day and within the monthly cap, a bank that wants the cardholder (a checkout link by mail),
//! and a draft invoice for a client that pays by transfer. Alone in its binary, and one test at
//! a time: the job runs at instants of its own (within the current month).

use pointdesk_e2e::{
    alone, assert_books_agree, balance, d1, d1_rows, get, ok, people, post, put, sandbox_press,
    sign, Caller,
};
use serde_json::{json, Value};

fn run_at(unix: i64) {
    let a = get(&format!(
        "/cdn-cgi/local/scheduled?cron=7+*+*+*+*&time={}",
        unix * 1000
    ));
    assert!(a.status < 300, "scheduled: {} {}", a.status, a.body);
}

fn count(sql: &str) -> i64 {
    d1_rows(sql)[0]["n"].as_i64().unwrap_or(-1)
}

/// 09:00 UTC on the 20th of the current month: every instant the tests use stays in this month.
fn base() -> i64 {
    count("SELECT unixepoch(date('now', 'start of month', '+19 days')) + 9 * 3600 AS n")
}

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// A 5-point pack for 7 500 ₽ of provider `id`.
fn pack(manager: &mut Caller) -> i64 {
    ok(
        post(
            manager,
            "/api/v1/point-packs",
            json!({"name": "5 баллов", "points": "5", "price_minor": 750_000, "currency": "RUB"}),
        ),
        201,
    )["id"]
        .as_i64()
        .expect("a pack")
}

/// A checkout that keeps the card, paid on the sandbox's page with `action`.
fn buy_keeping_the_card(admin: &mut Caller, pack: i64, key: &str, action: &str) -> i64 {
    let c = ok(
        admin.post_keyed(
            "/api/v1/checkouts",
            key,
            &json!({ "pack_id": pack, "save_card": true }).to_string(),
        ),
        201,
    );
    let payment = c["purchase"]["payment_id"].as_str().expect("a payment");
    let page = get(&format!("/api/v1/sandbox/payments/{payment}"));
    assert!(
        page.body.contains("kept for automatic top-ups"),
        "the page says the card is kept: {}",
        page.body
    );
    // The page sends the buyer back to the purchase (followed: the app's page).
    let back = sandbox_press(payment, action);
    assert!(back.status == 200 || back.status == 303, "{}", back.status);
    c["purchase"]["id"].as_i64().expect("a purchase")
}

fn settings(org: i64) -> String {
    format!("/api/v1/organizations/{org}/auto-top-up")
}

fn automatic(org: i64) -> Vec<Value> {
    d1_rows(&format!(
        "SELECT id, status, gateway, payment_id FROM purchases WHERE org_id = {org} AND automatic = 1 ORDER BY id"
    ))
}

fn notices(org: i64, kind: &str) -> i64 {
    count(&format!(
        "SELECT COUNT(*) AS n FROM notifications WHERE org_id = {org} AND kind = '{kind}'"
    ))
}

fn mails(to: &str, kind: &str) -> Vec<Value> {
    d1_rows(&format!(
        "SELECT subject, body, link FROM outbox WHERE to_email = '{to}' AND kind = '{kind}' ORDER BY id"
    ))
}

fn codes(a: pointdesk_e2e::Answer) -> Vec<(String, String)> {
    a.problem(422, "/problems/validation")
        .errors
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

#[test]
fn a_kept_card_is_charged_after_the_notice_once_a_day_within_the_monthly_cap() {
    // One at a time: each runs the job for every organisation at its own instants.
    alone(a_kept_card_is_charged_after_the_notice_once_a_day_within_the_monthly_cap_alone);
}

fn a_kept_card_is_charged_after_the_notice_once_a_day_within_the_monthly_cap_alone() {
    let tag = "atop";
    let org = people(2301, tag);
    let mut manager = sign("manager", tag);
    let mut admin = sign("admin", tag);
    let pack = pack(&mut manager);
    let wanted = json!({
        "enabled": true, "threshold": "100", "pack_id": pack, "method": "card",
        "monthly_cap_minor": 1_500_000
    });
    // No card is kept yet: a card top-up cannot be turned on; a cap below the pack is refused.
    assert_eq!(
        codes(put(&mut admin, &settings(org), wanted.clone())),
        [("method".to_owned(), "no_saved_card".to_owned())]
    );
    let mut low = wanted.clone();
    low["monthly_cap_minor"] = json!(749_999);
    assert!(codes(put(&mut admin, &settings(org), low)).contains(&(
        "monthly_cap_minor".to_owned(),
        "below_pack_price".to_owned()
    )));
    // Only the client admin spends the organisation's money.
    assert_eq!(
        put(&mut manager, &settings(org), wanted.clone()).status,
        403
    );
    // A purchase the admin agreed to keep the card at.
    buy_keeping_the_card(&mut admin, pack, "keep-1", "pay");
    assert_eq!(balance(org), 500);
    // The kept card shows before anything is set.
    let s = ok(admin.get(&settings(org)), 200);
    assert_eq!(
        (&s["card"], &s["enabled"]),
        (&json!("Sandbox •• 4242"), &json!(false))
    );
    let s = ok(put(&mut admin, &settings(org), wanted), 200);
    assert_eq!(s["card"], "Sandbox •• 4242");
    assert_eq!(s["enabled"], true);

    // 5.00 available, below 100: the admin is told first, in their language, with the way out.
    let t0 = base();
    run_at(t0);
    assert_eq!(notices(org, "auto_topup_due"), 1);
    let due = mails("admin@atop.e2e", "auto_topup_due");
    assert_eq!(due.len(), 1);
    let body = due[0]["body"].as_str().unwrap_or_default();
    assert!(
        body.contains(
            "Через час будет куплен пакет «5 баллов» за 7\u{a0}500,00 RUB (Sandbox •• 4242)"
        ),
        "{body}"
    );
    assert!(body.contains("отключите автопополнение"), "{body}");
    let s = ok(admin.get(&settings(org)), 200);
    assert_eq!(s["announced_at"], t0);
    // Within the hour nothing is charged.
    run_at(t0 + 30 * 60);
    assert!(automatic(org).is_empty());
    // After it: charged once, even when two runs meet the same notice.
    run_at(t0 + HOUR + 60);
    run_at(t0 + HOUR + 60);
    let made = automatic(org);
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(made[0]["status"], "succeeded");
    assert_eq!(made[0]["gateway"], "sandbox");
    assert_eq!(balance(org), 1000);
    assert_eq!(notices(org, "auto_topup_made"), 1);
    let p = ok(
        admin.get(&format!(
            "/api/v1/purchases/{}",
            made[0]["id"].as_i64().expect("a purchase")
        )),
        200,
    );
    assert_eq!(p["automatic"], true);
    assert_eq!(p["balance_after"], "10.00");
    let s = ok(admin.get(&settings(org)), 200);
    assert_eq!(s["spent_this_month_minor"], 750_000);

    // Still below: announced again, but a second top-up waits for tomorrow.
    run_at(t0 + HOUR + 120);
    assert_eq!(notices(org, "auto_topup_due"), 2);
    run_at(t0 + 3 * HOUR);
    assert_eq!(automatic(org).len(), 1, "once a day");
    run_at(t0 + DAY);
    assert_eq!(automatic(org).len(), 2, "the next day");
    assert_eq!(balance(org), 1500);
    // The third would pass the 15 000 ₽ cap: it is held, the notice stands.
    run_at(t0 + DAY + 60);
    run_at(t0 + 2 * DAY);
    assert_eq!(automatic(org).len(), 2, "within the monthly cap");
    let s = ok(admin.get(&settings(org)), 200);
    assert_eq!(s["spent_this_month_minor"], 1_500_000);
    assert!(s["announced_at"].is_i64());

    // Turned off: the notice is withdrawn and nothing more happens.
    let mut off = s.clone();
    off["enabled"] = json!(false);
    if let Some(o) = off.as_object_mut() {
        o.remove("card");
        o.remove("announced_at");
    }
    let s = ok(put(&mut admin, &settings(org), off), 200);
    assert!(s.get("announced_at").is_none_or(Value::is_null));
    run_at(t0 + 3 * DAY);
    assert_eq!(automatic(org).len(), 2);
    assert_eq!(notices(org, "auto_topup_due"), 3);
    assert_books_agree();
}

#[test]
fn a_bank_that_wants_the_cardholder_gets_a_checkout_link_by_mail() {
    // One at a time: each runs the job for every organisation at its own instants.
    alone(a_bank_that_wants_the_cardholder_gets_a_checkout_link_by_mail_alone);
}

fn a_bank_that_wants_the_cardholder_gets_a_checkout_link_by_mail_alone() {
    let tag = "atop3ds";
    let org = people(2302, tag);
    let mut manager = sign("manager", tag);
    let mut admin = sign("admin", tag);
    let pack = pack(&mut manager);
    buy_keeping_the_card(&mut admin, pack, "keep-3ds", "pay_3ds");
    let wanted = json!({
        "enabled": true, "threshold": "6", "pack_id": pack, "method": "card",
        "monthly_cap_minor": 3_000_000
    });
    assert_eq!(
        ok(put(&mut admin, &settings(org), wanted), 200)["card"],
        "Sandbox •• 3184"
    );
    let t0 = base() + 2 * HOUR;
    run_at(t0);
    run_at(t0 + HOUR + 60);
    // Nothing charged: the purchase waits for the admin at a checkout the mail links to.
    let made = automatic(org);
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["status"], "pending");
    assert_eq!(balance(org), 500);
    let confirm = mails("admin@atop3ds.e2e", "auto_topup_confirm");
    assert_eq!(confirm.len(), 1);
    let link = confirm[0]["link"].as_str().unwrap_or_default().to_owned();
    let payment = made[0]["payment_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        link.ends_with(&format!("/api/v1/sandbox/payments/{payment}")),
        "{link}"
    );
    // The purchase page offers the same checkout while the purchase waits.
    let p = ok(
        admin.get(&format!(
            "/api/v1/purchases/{}",
            made[0]["id"].as_i64().expect("a purchase")
        )),
        200,
    );
    assert_eq!(p["checkout_url"], link.as_str());
    assert_eq!(p["automatic"], true);
    assert!(confirm[0]["body"]
        .as_str()
        .unwrap_or_default()
        .contains("Банк просит подтвердить оплату пакета «5 баллов»"));
    // The admin pays there: credited once, and the card paid with is kept.
    assert!(sandbox_press(&payment, "pay").status < 400);
    assert_eq!(automatic(org)[0]["status"], "succeeded");
    assert_eq!(balance(org), 1000);
    assert_eq!(
        ok(admin.get(&settings(org)), 200)["card"],
        "Sandbox •• 4242"
    );
    assert_books_agree();
}

#[test]
fn a_client_that_pays_by_transfer_gets_an_invoice_instead() {
    // One at a time: each runs the job for every organisation at its own instants.
    alone(a_client_that_pays_by_transfer_gets_an_invoice_instead_alone);
}

fn a_client_that_pays_by_transfer_gets_an_invoice_instead_alone() {
    let tag = "atopinv";
    let org = people(2303, tag);
    d1("UPDATE providers SET time_zone = 'Europe/Moscow' WHERE id = 2303").expect("zone");
    let mut manager = sign("manager", tag);
    let mut admin = sign("admin", tag);
    let pack = pack(&mut manager);
    let wanted = json!({
        "enabled": true, "threshold": "1", "pack_id": pack, "method": "invoice",
        "monthly_cap_minor": 750_000
    });
    ok(put(&mut admin, &settings(org), wanted), 200);
    let t0 = base() + 4 * HOUR;
    // Without requisites the invoice cannot be made: the admin and the manager hear why.
    run_at(t0);
    run_at(t0 + HOUR + 60);
    assert_eq!(
        notices(org, "auto_topup_failed"),
        2,
        "the admin and the manager"
    );
    assert!(mails("admin@atopinv.e2e", "auto_topup_failed")[0]["body"]
        .as_str()
        .unwrap_or_default()
        .contains("не заполнены реквизиты"));
    ok(
        put(
            &mut manager,
            "/api/v1/provider-requisites",
            json!({
                "legal_name": "ООО «Сервис»", "inn": "7707083893", "kpp": "773601001",
                "ogrn": "1027700132195", "address": "Москва", "bank_name": "ПАО Сбербанк",
                "bik": "044525225", "account": "40702810200000000001",
                "corr_account": "30101810400000000225", "vat": "none", "signatory": "Иванов И. И."
            }),
        ),
        200,
    );
    ok(
        put(
            &mut admin,
            &format!("/api/v1/organizations/{org}/requisites"),
            json!({"legal_name": "ИП Петров П. П.", "inn": "500100732259", "kpp": "", "address": "Тула"}),
        ),
        200,
    );
    // The next day: an invoice, the purchase waiting for the transfer, the admin told.
    run_at(t0 + DAY);
    run_at(t0 + DAY + HOUR + 60);
    let made = automatic(org);
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(made[0]["status"], "awaiting_transfer");
    assert_eq!(made[0]["gateway"], "invoice");
    let invoices = ok(admin.get("/api/v1/invoices"), 200);
    assert_eq!(invoices["invoices"].as_array().map(Vec::len), Some(1));
    assert_eq!(invoices["invoices"][0]["amount_minor"], 750_000);
    assert_eq!(notices(org, "auto_topup_made"), 1);
    assert_eq!(balance(org), 0, "points arrive with the transfer");
}
