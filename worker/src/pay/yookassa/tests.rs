//! YooKassa against its documented examples and a recorded HTTP exchange.

use pointdesk_domain::money::{Currency, Money};

use super::*;
use crate::pay::testing::{run, Recorder};

/// An order of 10 points for `minor` kopecks, sent under `key`.
fn order(minor: i64, key: &'static str) -> Order<'static> {
    Order {
        purchase: 42,
        description: "Pointdesk: 10 баллов",
        price: Money::price(minor, Currency::Rub).unwrap(),
        return_url: "https://desk.example.com/purchases/42",
        idempotence_key: key,
        origin: "https://desk.example.com",
        receipt: crate::pay::Receipt {
            email: "admin@acme.test",
            vat_code: 1,
        },
        save_card: false,
    }
}

fn kassa() -> YooKassa {
    YooKassa::new("506751".into(), "test_secret".into(), published_ranges())
}

const PAYMENT_ID: &str = "2419a771-000f-5000-9000-1edaf29243f2";

fn payment(status: &str) -> String {
    format!(
        r#"{{"id":"{PAYMENT_ID}","status":"{status}","paid":{},"amount":{{"value":"14000.00","currency":"RUB"}},"created_at":"2026-11-27T10:00:00.000Z","metadata":{{"purchase_id":"42"}},"test":true{}}}"#,
        status == "succeeded",
        if status == "canceled" {
            r#","cancellation_details":{"party":"yoo_money","reason":"insufficient_funds"}"#
        } else {
            ""
        }
    )
}

fn notification(event: &str) -> String {
    format!(
        r#"{{"type":"notification","event":"{event}","object":{{"id":"{PAYMENT_ID}","status":"succeeded","paid":true,"amount":{{"value":"14000.00","currency":"RUB"}}}}}}"#
    )
}

fn deliver(http: &Recorder, ip: &str, body: &str) -> Result<Event, PayError> {
    run(kassa().authenticate(
        http,
        &Inbound {
            headers: &[],
            body: body.as_bytes(),
            ip: Some(ip),
            now: 0,
        },
    ))
}

#[test]
fn a_payment_is_created_as_yookassa_documents_it() {
    let http = Recorder::answering(
        200,
        &format!(
            r#"{{"id":"{PAYMENT_ID}","status":"pending","paid":false,"amount":{{"value":"14000.00","currency":"RUB"}},"confirmation":{{"type":"redirect","confirmation_url":"https://yoomoney.ru/checkout/payments/v2/contract?orderId={PAYMENT_ID}"}},"test":true}}"#
        ),
    );
    let order = order(1_400_005, "checkout-42");
    let out = run(kassa().checkout(&http, &order)).unwrap();
    assert_eq!(out.payment_id, PAYMENT_ID);
    assert_eq!(
        out.redirect_url,
        format!("https://yoomoney.ru/checkout/payments/v2/contract?orderId={PAYMENT_ID}")
    );
    let sent = http.sent.borrow();
    let req = &sent[0];
    assert_eq!(
        (req.method, req.url.as_str()),
        ("POST", "https://api.yookassa.ru/v3/payments")
    );
    // base64("506751:test_secret")
    assert_eq!(
        req.header("authorization"),
        Some("Basic NTA2NzUxOnRlc3Rfc2VjcmV0")
    );
    assert_eq!(req.header("idempotence-key"), Some("checkout-42"));
    let body: serde_json::Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "amount": { "value": "14000.05", "currency": "RUB" },
            "capture": true,
            "confirmation": { "type": "redirect", "return_url": "https://desk.example.com/purchases/42" },
            "description": "Pointdesk: 10 баллов",
            "metadata": { "purchase_id": "42" },
            "receipt": {
                "customer": { "email": "admin@acme.test" },
                "items": [{
                    "description": "Pointdesk: 10 баллов",
                    "quantity": "1.00",
                    "amount": { "value": "14000.05", "currency": "RUB" },
                    "vat_code": 1,
                    "payment_subject": "service",
                    "payment_mode": "full_prepayment"
                }]
            }
        })
    );
}

#[test]
fn an_address_outside_the_ranges_is_refused_before_anything_is_fetched() {
    let http = Recorder::answering(200, &payment("succeeded"));
    for ip in [
        "203.0.113.7",
        "185.71.76.32",
        "77.75.156.12",
        "2a02:5181::1",
        "junk",
    ] {
        let err = deliver(&http, ip, &notification("payment.succeeded")).unwrap_err();
        assert!(matches!(err, PayError::Unverified(_)), "{ip}: {err:?}");
    }
    assert!(http.sent.borrow().is_empty());
}

#[test]
fn a_notification_is_confirmed_by_fetching_the_payment() {
    for ip in [
        "185.71.76.5",
        "77.75.156.11",
        "77.75.154.200",
        "2a02:5180:0:1::7",
        "::ffff:185.71.77.31",
    ] {
        let http = Recorder::answering(200, &payment("succeeded"));
        let e = deliver(&http, ip, &notification("payment.succeeded")).unwrap();
        assert_eq!(
            e.outcome,
            Outcome::Paid {
                amount_minor: 1_400_000,
                currency: "RUB".into()
            },
            "{ip}"
        );
        assert_eq!(e.id, format!("payment.succeeded:{PAYMENT_ID}"));
        let sent = http.sent.borrow();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            (sent[0].method, sent[0].url.as_str()),
            (
                "GET",
                format!("https://api.yookassa.ru/v3/payments/{PAYMENT_ID}").as_str()
            )
        );
        assert_eq!(
            sent[0].header("authorization"),
            Some("Basic NTA2NzUxOnRlc3Rfc2VjcmV0")
        );
    }
}

#[test]
fn a_payment_answered_202_is_asked_for_again_with_the_same_key() {
    let order = order(1_400_000, "pointdesk-0a1b-purchase-42");
    let created = format!(
        r#"{{"id":"{PAYMENT_ID}","status":"pending","amount":{{"value":"14000.00","currency":"RUB"}},"confirmation":{{"type":"redirect","confirmation_url":"https://yoomoney.ru/c"}}}}"#
    );
    let http = Recorder::default();
    for (status, body) in [(202, "{}"), (202, "{}"), (200, created.as_str())] {
        http.answers.borrow_mut().push(crate::pay::HttpResponse {
            status,
            body: body.into(),
        });
    }
    let out = run(kassa().checkout(&http, &order)).unwrap();
    assert_eq!(out.payment_id, PAYMENT_ID);
    let sent = http.sent.borrow();
    assert_eq!(sent.len(), 3);
    assert!(sent
        .iter()
        .all(|r| r.header("idempotence-key") == Some("pointdesk-0a1b-purchase-42")));
    assert_eq!(*http.paused.borrow(), vec![1_000, 1_000]);
    // Still 202 after three retries: the purchase fails (502), not a hang.
    let http = Recorder::default();
    for _ in 0..4 {
        http.answers.borrow_mut().push(crate::pay::HttpResponse {
            status: 202,
            body: "{}".into(),
        });
    }
    assert!(matches!(
        run(kassa().checkout(&http, &order)),
        Err(PayError::Gateway(_))
    ));
    assert_eq!(http.sent.borrow().len(), 4);
}

#[test]
fn a_refund_is_read_back_with_its_payments_refunded_total() {
    const REFUND: &str = "216749f7-0016-50be-b000-078d43a63ae4";
    let http = Recorder::default();
    for body in [
        format!(
            r#"{{"id":"{REFUND}","payment_id":"{PAYMENT_ID}","status":"succeeded","amount":{{"value":"3500.00","currency":"RUB"}},"created_at":"2026-11-28T10:00:00.000Z"}}"#
        ),
        payment("succeeded").replace(
            r#""test":true"#,
            r#""test":true,"refunded_amount":{"value":"7000.00","currency":"RUB"}"#,
        ),
    ] {
        http.answers
            .borrow_mut()
            .push(crate::pay::HttpResponse { status: 200, body });
    }
    let note = format!(
        r#"{{"type":"notification","event":"refund.succeeded","object":{{"id":"{REFUND}","payment_id":"{PAYMENT_ID}","status":"succeeded","amount":{{"value":"3500.00","currency":"RUB"}}}}}}"#
    );
    let e = deliver(&http, "185.71.76.1", &note).unwrap();
    assert_eq!(e.id, format!("refund.succeeded:{REFUND}"));
    assert_eq!(e.payment_id, PAYMENT_ID);
    assert_eq!(
        e.outcome,
        Outcome::Refunded {
            refunded_minor: 700_000,
            currency: "RUB".into()
        },
        "the payment's refunded total, not this refund's amount"
    );
    let sent = http.sent.borrow();
    assert_eq!(
        sent[0].url,
        format!("https://api.yookassa.ru/v3/refunds/{REFUND}")
    );
    assert_eq!(
        sent[1].url,
        format!("https://api.yookassa.ru/v3/payments/{PAYMENT_ID}")
    );
}

#[test]
fn a_payment_read_back_for_reconciliation() {
    let http = Recorder::answering(200, &payment("succeeded"));
    assert_eq!(
        run(kassa().status(&http, PAYMENT_ID)),
        Ok(Outcome::Paid {
            amount_minor: 1_400_000,
            currency: "RUB".into()
        })
    );
    assert_eq!(
        http.sent.borrow()[0].url,
        format!("https://api.yookassa.ru/v3/payments/{PAYMENT_ID}")
    );
    let http = Recorder::answering(200, &payment("pending"));
    assert!(matches!(
        run(kassa().status(&http, PAYMENT_ID)),
        Ok(Outcome::NotYet { .. })
    ));
    let http = Recorder::answering(500, "{}");
    assert!(matches!(
        run(kassa().status(&http, PAYMENT_ID)),
        Err(PayError::Gateway(_))
    ));
}

#[test]
fn a_fetched_payment_that_is_not_succeeded_credits_nothing() {
    // The notification claims success; the API says otherwise, and the API wins.
    // Not final yet: not used up, the route answers so that YooKassa delivers it again.
    let http = Recorder::answering(200, &payment("pending"));
    let e = deliver(&http, "185.71.76.1", &notification("payment.succeeded")).unwrap();
    assert_eq!(
        e.outcome,
        Outcome::NotYet {
            status: "pending".into()
        }
    );
    let http = Recorder::answering(200, &payment("waiting_for_capture"));
    let e = deliver(&http, "185.71.76.1", &notification("payment.succeeded")).unwrap();
    assert!(matches!(e.outcome, Outcome::NotYet { .. }));
    let http = Recorder::answering(200, &payment("canceled"));
    let e = deliver(&http, "185.71.76.1", &notification("payment.succeeded")).unwrap();
    assert_eq!(
        e.outcome,
        Outcome::Canceled {
            reason: "yoo_money: insufficient_funds".into()
        }
    );
    let http = Recorder::answering(404, r#"{"type":"error","code":"not_found"}"#);
    let err = deliver(&http, "185.71.76.1", &notification("payment.succeeded")).unwrap_err();
    assert!(matches!(err, PayError::Unverified(_)));
    let http = Recorder::answering(500, "oops");
    let err = deliver(&http, "185.71.76.1", &notification("payment.succeeded")).unwrap_err();
    assert!(matches!(err, PayError::Gateway(_)));
}

#[test]
fn ranges_parse_and_amounts_read_exactly() {
    assert!(parse_ranges("10.0.0.0/33").is_err());
    assert!(parse_ranges("nonsense").is_err());
    let r = parse_ranges("10.0.0.0/8").unwrap();
    assert!(r[0].contains("10.255.0.1".parse().unwrap()));
    assert!(!r[0].contains("11.0.0.1".parse().unwrap()));
    assert!(!r[0].contains("::1".parse().unwrap()));
    assert_eq!(minor_units("14000.00"), Some(1_400_000));
    assert_eq!(minor_units("1.5"), Some(150));
    assert_eq!(minor_units("7"), Some(700));
    assert_eq!(minor_units("1.005"), None);
    assert_eq!(minor_units("-1.00"), None);
    assert_eq!(minor_units("1e3"), None);
}

#[test]
fn a_kept_payment_method_is_asked_for_and_charged_without_the_buyer() {
    let mut o = order(1_400_000, "checkout-42");
    o.save_card = true;
    let body: serde_json::Value =
        serde_json::from_str(kassa().payment_request(&o).body.as_deref().unwrap()).unwrap();
    assert_eq!(body["save_payment_method"], true);
    // The paid payment as fetched back names the kept method.
    let paid = format!(
        r#"{{"id":"{PAYMENT_ID}","status":"succeeded","paid":true,"amount":{{"value":"14000.00","currency":"RUB"}},"payment_method":{{"type":"bank_card","id":"{PAYMENT_ID}","saved":true,"title":"Bank card *4444","card":{{"first6":"555555","last4":"4444","expiry_month":"07","expiry_year":"2027","card_type":"MasterCard"}}}}}}"#
    );
    let http = Recorder::answering(200, &paid);
    let e = deliver(&http, "185.71.76.5", &notification("payment.succeeded")).unwrap();
    let card = e.saved.unwrap();
    assert_eq!(card.method_id, PAYMENT_ID);
    assert_eq!(card.label, "MasterCard •• 4444");
    // Charged later: payment_method_id, no confirmation, the same receipt.
    let http = Recorder::answering(200, &payment("succeeded"));
    let plain = order(1_400_000, "auto-43");
    let out = run(kassa().charge_saved(&http, &plain, &card)).unwrap();
    assert_eq!(
        out,
        Charged::Paid {
            payment_id: PAYMENT_ID.into(),
            amount_minor: 1_400_000,
            currency: "RUB".into()
        }
    );
    let sent = http.sent.borrow();
    assert_eq!(sent[0].header("idempotence-key"), Some("auto-43"));
    let body: serde_json::Value = serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["payment_method_id"], PAYMENT_ID);
    assert!(body.get("confirmation").is_none());
    assert!(body.get("save_payment_method").is_none());
    assert_eq!(body["receipt"]["customer"]["email"], "admin@acme.test");
    // Canceled (the bank refused): a decline, with YooKassa's reason.
    let http = Recorder::answering(200, &payment("canceled"));
    assert_eq!(
        run(kassa().charge_saved(&http, &plain, &card)).unwrap(),
        Charged::Declined {
            reason: "yoo_money: insufficient_funds".into()
        }
    );
    let http = Recorder::answering(200, &payment("pending"));
    assert!(matches!(
        run(kassa().charge_saved(&http, &plain, &card)).unwrap(),
        Charged::Pending { .. }
    ));
}
