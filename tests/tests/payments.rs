//! Top-ups over HTTP through the sandbox gateway on the real local D1: packs, checkout, the
//! sandbox's hosted page and its signed notification to the webhook, crediting exactly once
//! (replays, concurrent deliveries, several events for one payment, a failure after success),
//! refusals (forged notifications, unknown packs, other tenants), receipts and revenue.

use hmac::{Hmac, Mac};
use pointdesk_e2e::{
    assert_books_agree, balance, d1, d1_rows, desk, ok, people, request, sandbox_press as press,
    sign, Caller,
};
use serde_json::{json, Value};
use sha2::Sha256;

/// The sandbox's signing secret on local servers (no `SANDBOX_WEBHOOK_SECRET` set).
const SANDBOX_SECRET: &[u8] = b"pointdesk-sandbox-secret";
const WEBHOOK: &str = "/api/v1/payments/sandbox/notifications";

fn now() -> i64 {
    d1_rows("SELECT unixepoch() AS t")[0]["t"]
        .as_i64()
        .expect("time")
}

/// `t=…,v1=…` as the sandbox (and Stripe) sign.
fn signature(secret: &[u8], t: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn event(id: &str, status: &str, payment: &str, amount: i64) -> String {
    json!({
        "id": id,
        "type": format!("payment.{status}"),
        "created": now(),
        "payment": {
            "id": payment, "status": status, "amount_minor": amount, "currency": "RUB",
            "reference": "e2e", "failure": if status == "succeeded" { Value::Null } else { json!("declined") }
        }
    })
    .to_string()
}

fn deliver(body: &str, header: &str) -> pointdesk_e2e::Answer {
    request(
        "POST",
        WEBHOOK,
        &[
            ("content-type", "application/json"),
            ("sandbox-signature", header),
        ],
        Some(body.as_bytes()),
    )
}

fn outcome(a: pointdesk_e2e::Answer) -> String {
    ok(a, 200)["outcome"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn purchase_entries(org: i64) -> i64 {
    d1_rows(&format!(
        "SELECT COUNT(*) AS n FROM ledger_entries WHERE org_id = {org} AND kind = 'purchase'"
    ))[0]["n"]
        .as_i64()
        .unwrap_or_default()
}

/// A RUB pack of 5 points for 7 500 ₽ sold by provider `id`.
fn pack(id: i64) -> i64 {
    d1(&format!(
        "INSERT INTO point_packs (id, provider_id, name, points, price_minor, currency, active, created_at) \
         VALUES ({id}, {id}, '5 баллов', 500, 750000, 'RUB', 1, unixepoch());"
    ))
    .expect("pack");
    id
}

fn checkout(admin: &mut Caller, pack: i64, key: &str) -> (i64, String, String) {
    let c = ok(
        admin.post_keyed(
            "/api/v1/checkouts",
            key,
            &json!({ "pack_id": pack }).to_string(),
        ),
        201,
    );
    let p = &c["purchase"];
    assert_eq!(p["status"], "pending");
    assert_eq!(p["gateway"], "sandbox");
    (
        p["id"].as_i64().expect("id"),
        p["payment_id"].as_str().expect("payment id").to_owned(),
        c["redirect_url"].as_str().expect("redirect").to_owned(),
    )
}

#[test]
fn a_paid_sandbox_checkout_is_credited_exactly_once() {
    let org = desk(1001, "ptop", 100);
    let pack = pack(1001);
    let mut admin = sign("admin", "ptop");
    let (purchase, payment, redirect) = checkout(&mut admin, pack, "buy-1");
    assert!(redirect.ends_with(&format!("/api/v1/sandbox/payments/{payment}")));
    // The same key again is the same purchase.
    let (again, _, _) = checkout(&mut admin, pack, "buy-1");
    assert_eq!(again, purchase);
    // The hosted page shows what is being paid.
    let page = request(
        "GET",
        &format!("/api/v1/sandbox/payments/{payment}"),
        &[],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("7500.00 RUB"), "{}", page.body);
    // Pay: the sandbox delivers its signed notification and sends the buyer back.
    let back = press(&payment, "pay");
    assert!(back.status == 200 || back.status == 303, "{}", back.status);
    let p = ok(admin.get(&format!("/api/v1/purchases/{purchase}")), 200);
    assert_eq!(p["status"], "succeeded");
    assert_eq!(p["points"], "5.00");
    assert_eq!(p["balance_after"], "6.00");
    assert_eq!(balance(org), 600);
    // 50 replays of the notification exactly as sent: each acknowledged, none credited.
    let sent = &d1_rows(&format!(
        "SELECT notification, signature FROM sandbox_payments WHERE id = '{payment}'"
    ))[0];
    let (body, header) = (
        sent["notification"].as_str().expect("body").to_owned(),
        sent["signature"].as_str().expect("signature").to_owned(),
    );
    for _ in 0..50 {
        assert_eq!(outcome(deliver(&body, &header)), "duplicate");
    }
    // A failure after the success changes nothing.
    let late = event("evt_late_failure", "failed", &payment, 750_000);
    assert_eq!(
        outcome(deliver(&late, &signature(SANDBOX_SECRET, now(), &late))),
        "ignored"
    );
    let p = ok(admin.get(&format!("/api/v1/purchases/{purchase}")), 200);
    assert_eq!(p["status"], "succeeded");
    assert_eq!(balance(org), 600);
    assert_eq!(purchase_entries(org), 1);
    // The top-up reached the client admin once, in the notification centre.
    let n = ok(admin.get("/api/v1/notifications"), 200);
    let topups = n["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["kind"] == "topup_credited")
        .count();
    assert_eq!(topups, 1);
    assert_books_agree();
}

#[test]
fn twenty_concurrent_deliveries_credit_once() {
    let org = desk(1002, "pconc", 100);
    let pack = pack(1002);
    let mut admin = sign("admin", "pconc");
    let (purchase, payment, _) = checkout(&mut admin, pack, "buy-conc");
    // The same event 20 times at once.
    let body = event("evt_conc", "succeeded", &payment, 750_000);
    let header = signature(SANDBOX_SECRET, now(), &body);
    let outcomes: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|_| s.spawn(|| outcome(deliver(&body, &header))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(
        outcomes.iter().filter(|o| *o == "credited").count(),
        1,
        "{outcomes:?}"
    );
    assert!(outcomes.iter().all(|o| o == "credited" || o == "duplicate"));
    assert_eq!(balance(org), 600);
    assert_eq!(purchase_entries(org), 1);
    // Ten different events that all say the same payment succeeded, at once: still one credit.
    let bodies: Vec<(String, String)> = (0..10)
        .map(|i| {
            let b = event(&format!("evt_twin_{i}"), "succeeded", &payment, 750_000);
            let h = signature(SANDBOX_SECRET, now(), &b);
            (b, h)
        })
        .collect();
    let outcomes: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = bodies
            .iter()
            .map(|(b, h)| s.spawn(move || outcome(deliver(b, h))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert!(outcomes.iter().all(|o| o == "duplicate"), "{outcomes:?}");
    assert_eq!(balance(org), 600);
    assert_eq!(purchase_entries(org), 1);
    let p = ok(admin.get(&format!("/api/v1/purchases/{purchase}")), 200);
    assert_eq!(p["status"], "succeeded");
    assert_books_agree();
}

#[test]
fn forged_mismatched_declined_and_foreign_payments_change_nothing() {
    let org = desk(1003, "pbad", 100);
    let pack = pack(1003);
    let mut admin = sign("admin", "pbad");
    let (purchase, payment, _) = checkout(&mut admin, pack, "buy-bad");
    let body = event("evt_forged", "succeeded", &payment, 750_000);
    // Wrong secret, no header, a stale timestamp: 400, nothing credited.
    for header in [
        signature(b"not-the-secret", now(), &body),
        String::new(),
        signature(SANDBOX_SECRET, now() - 301, &body),
    ] {
        let a = deliver(&body, &header);
        a.problem(400, "/problems/unverified-notification");
    }
    // Signed, but for another amount than the purchase costs: refused.
    let cheap = event("evt_cheap", "succeeded", &payment, 100);
    deliver(&cheap, &signature(SANDBOX_SECRET, now(), &cheap))
        .problem(400, "/problems/unverified-notification");
    assert_eq!(balance(org), 100);
    // Declined on the hosted page: the purchase fails, the balance stays.
    press(&payment, "decline");
    let p = ok(admin.get(&format!("/api/v1/purchases/{purchase}")), 200);
    assert_eq!(p["status"], "failed");
    assert!(p["failure"].as_str().is_some_and(|f| !f.is_empty()));
    assert_eq!(balance(org), 100);
    // Pressing again changes nothing; the page now only says how it ended.
    press(&payment, "pay");
    assert_eq!(
        ok(admin.get(&format!("/api/v1/purchases/{purchase}")), 200)["status"],
        "failed"
    );
    assert_eq!(balance(org), 100);
    // Cancelled on the hosted page.
    let (cancelled, payment2, _) = checkout(&mut admin, pack, "buy-bad-2");
    press(&payment2, "cancel");
    assert_eq!(
        ok(admin.get(&format!("/api/v1/purchases/{cancelled}")), 200)["status"],
        "canceled"
    );
    assert_eq!(purchase_entries(org), 0);
    // An unknown pack, an inactive pack: 404.
    admin
        .post_keyed(
            "/api/v1/checkouts",
            "buy-none",
            &json!({ "pack_id": 999_999 }).to_string(),
        )
        .problem(404, "/problems/not-found");
    d1("UPDATE point_packs SET active = 0 WHERE id = 1003;").expect("deactivate");
    admin
        .post_keyed(
            "/api/v1/checkouts",
            "buy-off",
            &json!({ "pack_id": pack }).to_string(),
        )
        .problem(404, "/problems/not-found");
    // Another tenant's purchase is 404 for them; their own packs are not ours.
    people(1004, "pother");
    let mut other = sign("admin", "pother");
    other
        .get(&format!("/api/v1/purchases/{purchase}"))
        .problem(404, "/problems/not-found");
    other
        .post_keyed(
            "/api/v1/checkouts",
            "buy-foreign",
            &json!({ "pack_id": pack }).to_string(),
        )
        .problem(404, "/problems/not-found");
    // Only a client admin buys.
    for role in ["manager", "engineer", "user"] {
        sign(role, "pbad")
            .post_keyed(
                "/api/v1/checkouts",
                "buy-role",
                &json!({ "pack_id": pack }).to_string(),
            )
            .problem(403, "/problems/forbidden");
    }
    // An unknown gateway path.
    request(
        "POST",
        "/api/v1/payments/paypal/notifications",
        &[],
        Some(b"{}"),
    )
    .problem(404, "/problems/not-found");
    assert_books_agree();
}

#[test]
fn managers_keep_packs_and_read_revenue() {
    let org = desk(1005, "ppack", 100);
    let mut manager = sign("manager", "ppack");
    let created = ok(
        manager.call(
            "POST",
            "/api/v1/point-packs",
            Some(&json!({ "name": "10 points", "points": "10.00", "price_minor": 90000, "currency": "EUR" }).to_string()),
        ),
        201,
    );
    let id = created["id"].as_i64().expect("id");
    assert_eq!(created["active"], true);
    // Bad input: every refused field named.
    let bad = manager.call(
        "POST",
        "/api/v1/point-packs",
        Some(
            &json!({ "name": " ", "points": "0", "price_minor": 0, "currency": "GBP" }).to_string(),
        ),
    );
    let p = bad.problem(422, "/problems/validation");
    let fields: Vec<(String, String)> = p
        .errors
        .iter()
        .map(|e| (e.field.clone(), e.code.clone()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("name".into(), "required".into()),
            ("points".into(), "not_positive".into()),
            ("currency".into(), "unsupported".into()),
        ]
    );
    // Clients see active packs only; a client admin may not keep packs.
    let mut admin = sign("admin", "ppack");
    let listed = ok(admin.get("/api/v1/point-packs"), 200);
    assert_eq!(listed["packs"].as_array().map(Vec::len), Some(1));
    admin
        .call(
            "POST",
            "/api/v1/point-packs",
            Some(
                &json!({ "name": "x", "points": "1", "price_minor": 1, "currency": "EUR" })
                    .to_string(),
            ),
        )
        .problem(403, "/problems/forbidden");
    // Buy it, pay in the sandbox.
    let (purchase, payment, _) = checkout(&mut admin, id, "buy-eur");
    press(&payment, "pay");
    assert_eq!(balance(org), 1100);
    // Withdrawn: clients no longer see it; managers still do; the purchase keeps its terms.
    ok(
        manager.call(
            "PUT",
            &format!("/api/v1/point-packs/{id}"),
            Some(&json!({ "name": "10 points", "points": "10.00", "price_minor": 95000, "currency": "EUR", "active": false }).to_string()),
        ),
        200,
    );
    assert_eq!(
        ok(admin.get("/api/v1/point-packs"), 200)["packs"],
        json!([])
    );
    assert_eq!(
        ok(manager.get("/api/v1/point-packs"), 200)["packs"][0]["price_minor"],
        95000
    );
    let p = ok(admin.get(&format!("/api/v1/purchases/{purchase}")), 200);
    assert_eq!(p["amount_minor"], 90000);
    // The history, newest first; the manager sees it for the client too.
    let mine = ok(admin.get("/api/v1/purchases"), 200);
    assert_eq!(mine["purchases"][0]["id"], purchase);
    let theirs = ok(manager.get(&format!("/api/v1/purchases?org={org}")), 200);
    assert_eq!(theirs["purchases"].as_array().map(Vec::len), Some(1));
    // Revenue: this month, EUR, one purchase of 900.00.
    let r = ok(manager.get("/api/v1/reports/revenue"), 200);
    let rows = r["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{r}");
    assert_eq!(rows[0]["currency"], "EUR");
    assert_eq!(rows[0]["purchases"], 1);
    assert_eq!(rows[0]["points"], "10.00");
    assert_eq!(rows[0]["amount_minor"], 90000);
    let csv = manager.get("/api/v1/reports/revenue?format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains(",EUR,1,10.00,900.00"), "{}", csv.body);
    admin
        .get("/api/v1/reports/revenue")
        .problem(403, "/problems/forbidden");
    assert_books_agree();
}

/// Issue 17, item 6: a payment whose notification never arrived (or was answered while the
/// payment was still pending) is credited by the hourly job once it is ten minutes old — once,
/// however often the job runs and whatever notification comes late; a younger one waits, and a
/// payment the gateway says was declined settles the purchase as failed.
#[test]
fn the_hourly_job_credits_a_paid_purchase_whose_notification_was_lost() {
    let org = desk(1006, "precon", 100);
    let pack = pack(1006);
    let mut admin = sign("admin", "precon");
    let (purchase, payment, _) = checkout(&mut admin, pack, "recon-1");
    let (declined, declined_payment, _) = checkout(&mut admin, pack, "recon-2");
    let (young, young_payment, _) = checkout(&mut admin, pack, "recon-3");
    // The gateway's side says paid / declined; no notification reached us.
    d1(&format!(
        "UPDATE sandbox_payments SET status = 'succeeded' WHERE id IN ('{payment}', '{young_payment}');
         UPDATE sandbox_payments SET status = 'failed' WHERE id = '{declined_payment}';
         UPDATE purchases SET created_at = created_at - 660 WHERE id IN ({purchase}, {declined});"
    ))
    .expect("the gateway's state");
    let before = balance(org);
    for _ in 0..2 {
        assert_eq!(
            pointdesk_e2e::get("/__scheduled?cron=7+*+*+*+*").status,
            200
        );
    }
    let status = |id: i64| {
        d1_rows(&format!("SELECT status FROM purchases WHERE id = {id}"))[0]["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(status(purchase), "succeeded");
    assert_eq!(status(declined), "failed");
    assert_eq!(
        status(young),
        "pending",
        "younger than ten minutes: it waits"
    );
    assert_eq!(balance(org), before + 500, "credited once");
    assert_eq!(purchase_entries(org), 1);
    // The notification arrives late after all: nothing more.
    let body = event("evt_recon_late", "succeeded", &payment, 750_000);
    assert_eq!(
        outcome(deliver(&body, &signature(SANDBOX_SECRET, now(), &body))),
        "duplicate"
    );
    assert_eq!(balance(org), before + 500);
    let receipt = ok(admin.get(&format!("/api/v1/purchases/{purchase}")), 200);
    assert_eq!(receipt["status"], "succeeded");
    assert_books_agree();
}

/// A `payment.refunded` event as the sandbox signs it: `refunded` in all so far.
fn refund_event(id: &str, payment: &str, refunded: i64) -> String {
    json!({
        "id": id,
        "type": "payment.refunded",
        "created": now(),
        "payment": {
            "id": payment, "status": "succeeded", "amount_minor": 750_000, "currency": "RUB",
            "reference": "e2e", "refunded_minor": refunded
        }
    })
    .to_string()
}

fn adjust(manager: &mut Caller, org: i64, key: &str, amount: &str) {
    ok(
        manager.post_keyed(
            &format!("/api/v1/organizations/{org}/adjustments"),
            key,
            &json!({ "amount": amount, "reason": "e2e" }).to_string(),
        ),
        201,
    );
}

/// Issue 17, item 7: a refund takes the purchase's points back exactly once, in proportion;
/// what was spent is owed (overdraft `never`) and taken from the next points that arrive; the
/// client admin and the managers are told.
#[test]
fn a_refund_takes_the_purchases_points_back_once() {
    let org = desk(1007, "prefund", 100);
    let pack = pack(1007);
    let mut admin = sign("admin", "prefund");
    let mut manager = sign("manager", "prefund");
    let (purchase, payment, _) = checkout(&mut admin, pack, "refund-1");
    press(&payment, "pay");
    assert_eq!(balance(org), 600, "1.00 granted + 5.00 bought");
    // 3.00 spent: 1.00 of the allotment, then 2.00 of the purchase.
    adjust(&mut manager, org, "refund-spend", "-3.00");
    assert_eq!(balance(org), 300);
    let send = |body: String| outcome(deliver(&body, &signature(SANDBOX_SECRET, now(), &body)));
    assert_eq!(
        send(refund_event("evt_ref_1", &payment, 750_000)),
        "refunded"
    );
    // The 3.00 left of the purchase come back out; the 2.00 spent are owed, not debt.
    assert_eq!(balance(org), 0);
    let owed = d1_rows(&format!(
        "SELECT points FROM outstanding_refunds WHERE org_id = {org} AND purchase_id = {purchase}"
    ));
    assert_eq!(owed[0]["points"], 200);
    // Replays, and another event reporting the same refunded total, change nothing.
    assert_eq!(
        send(refund_event("evt_ref_1", &payment, 750_000)),
        "duplicate"
    );
    assert_eq!(
        send(refund_event("evt_ref_2", &payment, 750_000)),
        "duplicate"
    );
    assert_eq!(balance(org), 0);
    // The next points that arrive pay what is owed first.
    adjust(&mut manager, org, "refund-credit", "5.00");
    assert_eq!(balance(org), 300);
    assert!(d1_rows(&format!(
        "SELECT 1 FROM outstanding_refunds WHERE org_id = {org}"
    ))
    .is_empty());
    let kinds = d1_rows(&format!(
        "SELECT amount FROM ledger_entries WHERE org_id = {org} AND kind = 'purchase_refund' ORDER BY id"
    ));
    let amounts: Vec<i64> = kinds.iter().filter_map(|r| r["amount"].as_i64()).collect();
    assert_eq!(amounts, vec![-300, -200]);
    // The ledger names it, and both the client admin and the manager were told.
    let page = ok(
        admin.get(&format!(
            "/api/v1/organizations/{org}/ledger?kind=purchase_refund"
        )),
        200,
    );
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(2));
    let told = d1_rows(&format!(
        "SELECT DISTINCT u.role FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.org_id = {org} AND n.kind = 'purchase_refunded' ORDER BY u.role"
    ));
    let roles: Vec<&str> = told.iter().filter_map(|r| r["role"].as_str()).collect();
    assert_eq!(roles, vec!["client_admin", "manager"]);

    // A partial refund takes back in proportion, rounded down: a third of 5.00 is 1.66.
    let (_, second, _) = checkout(&mut admin, pack, "refund-2");
    press(&second, "pay");
    assert_eq!(balance(org), 800);
    assert_eq!(
        send(refund_event("evt_ref_3", &second, 250_000)),
        "refunded"
    );
    assert_eq!(balance(org), 634);
    // Refunding the rest takes the rest (5.00 in all).
    assert_eq!(
        send(refund_event("evt_ref_4", &second, 750_000)),
        "refunded"
    );
    assert_eq!(balance(org), 300);
    assert_books_agree();
}
