//! Stripe against its documented requests and answers, through a recording HTTP client.

use pointdesk_domain::money::{Currency, Money};

use super::*;
use crate::pay::form_decode;
use crate::pay::testing::{run, Recorder};

const NOW: i64 = 1_790_000_000;

fn stripe() -> Stripe {
    Stripe::new("sk_test_123".into(), "whsec_abc".into())
}

fn order(price: Money) -> Order<'static> {
    Order {
        purchase: 42,
        description: "Pointdesk: 10 points",
        price,
        return_url: "https://desk.example.com/purchases/42",
        idempotence_key: "checkout-42",
        origin: "https://desk.example.com",
        receipt: crate::pay::Receipt {
            email: "admin@acme.test",
            vat_code: 1,
        },
        save_card: false,
    }
}

#[test]
fn a_checkout_session_is_created_as_stripe_documents_it() {
    let http = Recorder::answering(
        200,
        r#"{"id":"cs_test_a1","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_a1","payment_status":"unpaid"}"#,
    );
    let out = run(stripe().checkout(&http, &order(Money::price(90_000, Currency::Eur).unwrap())))
        .unwrap();
    assert_eq!(
        out,
        Checkout {
            payment_id: "cs_test_a1".into(),
            redirect_url: "https://checkout.stripe.com/c/pay/cs_test_a1".into()
        }
    );
    let sent = http.sent.borrow();
    let req = &sent[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, "https://api.stripe.com/v1/checkout/sessions");
    assert_eq!(req.header("authorization"), Some("Bearer sk_test_123"));
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(req.header("idempotency-key"), Some("checkout-42"));
    let form = form_decode(req.body.as_deref().unwrap());
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("mode"), Some("payment"));
    assert_eq!(get("line_items[0][price_data][currency]"), Some("eur"));
    assert_eq!(get("line_items[0][price_data][unit_amount]"), Some("90000"));
    assert_eq!(
        get("line_items[0][price_data][product_data][name]"),
        Some("Pointdesk: 10 points")
    );
    assert_eq!(get("line_items[0][quantity]"), Some("1"));
    assert_eq!(get("client_reference_id"), Some("42"));
    assert_eq!(get("metadata[purchase_id]"), Some("42"));
    assert_eq!(
        get("success_url"),
        Some("https://desk.example.com/purchases/42")
    );
    assert_eq!(
        get("cancel_url"),
        Some("https://desk.example.com/purchases/42?canceled=1")
    );
}

#[test]
fn a_refused_session_is_a_gateway_error_with_stripes_message() {
    let http = Recorder::answering(
        400,
        r#"{"error":{"type":"invalid_request_error","message":"Invalid currency: xyz"}}"#,
    );
    let err =
        run(stripe().checkout(&http, &order(Money::price(1, Currency::Eur).unwrap()))).unwrap_err();
    assert_eq!(
        err,
        PayError::Gateway("Stripe answered 400: Invalid currency: xyz".into())
    );
}

fn event(kind: &str, payment_status: &str) -> String {
    format!(
        r#"{{"id":"evt_1","object":"event","type":"{kind}","data":{{"object":{{"id":"cs_test_a1","object":"checkout.session","payment_status":"{payment_status}","amount_total":90000,"currency":"eur","client_reference_id":"42","metadata":{{"purchase_id":"42"}}}}}}}}"#
    )
}

fn deliver(body: &str, header: Option<String>) -> Result<Event, PayError> {
    deliver_with(&Recorder::default(), body, header)
}

fn deliver_with(http: &Recorder, body: &str, header: Option<String>) -> Result<Event, PayError> {
    let headers: Vec<(String, String)> = header
        .map(|h| vec![("stripe-signature".to_owned(), h)])
        .unwrap_or_default();
    run(stripe().authenticate(
        http,
        &Inbound {
            headers: &headers,
            body: body.as_bytes(),
            ip: Some("203.0.113.9"),
            now: NOW,
        },
    ))
}

#[test]
fn a_refunded_charge_names_its_session_and_the_refunded_total() {
    let body = r#"{"id":"evt_r1","object":"event","type":"charge.refunded","data":{"object":{"id":"ch_1","object":"charge","amount":90000,"amount_refunded":30000,"currency":"eur","payment_intent":"pi_1","refunded":false}}}"#;
    let http = Recorder::answering(
        200,
        r#"{"object":"list","data":[{"id":"cs_test_a1","object":"checkout.session","url":null}],"has_more":false}"#,
    );
    let e = deliver_with(
        &http,
        body,
        Some(signature::sign(b"whsec_abc", NOW, body.as_bytes())),
    )
    .unwrap();
    assert_eq!(e.payment_id, "cs_test_a1");
    assert_eq!(
        e.outcome,
        Outcome::Refunded {
            refunded_minor: 30_000,
            currency: "EUR".into()
        }
    );
    assert_eq!(
        http.sent.borrow()[0].url,
        "https://api.stripe.com/v1/checkout/sessions?payment_intent=pi_1&limit=1"
    );
    // Unsigned, it is not even read.
    assert!(matches!(
        deliver_with(&Recorder::default(), body, None),
        Err(PayError::Unverified(_))
    ));
}

fn signed(body: &str) -> Result<Event, PayError> {
    deliver(
        body,
        Some(signature::sign(b"whsec_abc", NOW, body.as_bytes())),
    )
}

#[test]
fn completed_and_paid_credits_and_async_success_too() {
    let paid = Outcome::Paid {
        amount_minor: 90_000,
        currency: "EUR".into(),
    };
    let e = signed(&event("checkout.session.completed", "paid")).unwrap();
    assert_eq!(
        (e.id.as_str(), e.payment_id.as_str()),
        ("evt_1", "cs_test_a1")
    );
    assert_eq!(e.outcome, paid);
    let e = signed(&event("checkout.session.async_payment_succeeded", "paid")).unwrap();
    assert_eq!(e.outcome, paid);
}

#[test]
fn unpaid_completion_waits_and_async_failure_fails() {
    let e = signed(&event("checkout.session.completed", "unpaid")).unwrap();
    assert_eq!(e.outcome, Outcome::Ignored);
    let e = signed(&event("checkout.session.async_payment_failed", "unpaid")).unwrap();
    assert!(matches!(e.outcome, Outcome::Failed { .. }));
    let e = signed(&event("checkout.session.expired", "unpaid")).unwrap();
    assert!(matches!(e.outcome, Outcome::Canceled { .. }));
    let e = signed(&event("payment_intent.created", "unpaid")).unwrap();
    assert_eq!(e.outcome, Outcome::Ignored);
}

#[test]
fn a_session_read_back_says_paid_expired_or_not_yet() {
    let read = |body: &str| {
        let http = Recorder::answering(200, body);
        let out = run(stripe().status(&http, "cs_test_a1"));
        let sent = http.sent.borrow();
        assert_eq!(
            (sent[0].method, sent[0].url.as_str()),
            (
                "GET",
                "https://api.stripe.com/v1/checkout/sessions/cs_test_a1"
            )
        );
        assert_eq!(sent[0].header("authorization"), Some("Bearer sk_test_123"));
        out
    };
    assert_eq!(
        read(
            r#"{"id":"cs_test_a1","object":"checkout.session","status":"complete","payment_status":"paid","amount_total":2000,"currency":"eur"}"#
        ),
        Ok(Outcome::Paid {
            amount_minor: 2000,
            currency: "EUR".into()
        })
    );
    assert!(matches!(
        read(r#"{"id":"cs_test_a1","status":"expired","payment_status":"unpaid"}"#),
        Ok(Outcome::Canceled { .. })
    ));
    assert_eq!(
        read(r#"{"id":"cs_test_a1","status":"complete","payment_status":"unpaid"}"#),
        Ok(Outcome::NotYet {
            status: "complete".into()
        })
    );
    assert!(matches!(
        read(r#"{"id":"cs_other","status":"complete","payment_status":"paid"}"#),
        Err(PayError::Gateway(_))
    ));
}

#[test]
fn an_unsigned_or_forged_notification_is_unverified() {
    let body = event("checkout.session.completed", "paid");
    assert!(matches!(deliver(&body, None), Err(PayError::Unverified(_))));
    let forged = signature::sign(b"whsec_wrong", NOW, body.as_bytes());
    assert!(matches!(
        deliver(&body, Some(forged)),
        Err(PayError::Unverified(_))
    ));
    assert!(matches!(signed("{}"), Err(PayError::Unverified(_))));
}

fn kept_card() -> SavedCard {
    SavedCard {
        method_id: "pm_1Q0PsIJvEtkwdCNYMSaVuRz6".into(),
        customer_id: Some("cus_NffrFeUfNV2Hib".into()),
        label: "Visa •• 4242".into(),
    }
}

#[test]
fn a_checkout_that_keeps_the_card_asks_for_off_session_use_and_a_customer() {
    let mut o = order(Money::price(90_000, Currency::Eur).unwrap());
    o.save_card = true;
    let form = form_decode(stripe().session_request(&o).body.as_deref().unwrap());
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(
        get("payment_intent_data[setup_future_usage]"),
        Some("off_session")
    );
    assert_eq!(get("customer_creation"), Some("always"));
    assert_eq!(get("metadata[save_card]"), Some("1"));
    // Without consent, nothing is kept.
    let plain = order(Money::price(90_000, Currency::Eur).unwrap());
    let form = form_decode(stripe().session_request(&plain).body.as_deref().unwrap());
    assert!(!form.iter().any(|(k, _)| k.contains("setup_future_usage")));
}

#[test]
fn a_paid_checkout_that_kept_the_card_reports_it_from_its_payment_intent() {
    let body = r#"{"id":"evt_k1","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_a1","object":"checkout.session","payment_status":"paid","amount_total":90000,"currency":"eur","customer":"cus_NffrFeUfNV2Hib","payment_intent":"pi_3MtwBwLkdIwHu7ix28a3tqPa","metadata":{"purchase_id":"42","save_card":"1"}}}}"#;
    let http = Recorder::answering(
        200,
        r#"{"id":"pi_3MtwBwLkdIwHu7ix28a3tqPa","object":"payment_intent","amount":90000,"currency":"eur","status":"succeeded","customer":"cus_NffrFeUfNV2Hib","payment_method":{"id":"pm_1Q0PsIJvEtkwdCNYMSaVuRz6","object":"payment_method","type":"card","card":{"brand":"visa","last4":"4242","exp_month":8,"exp_year":2027}}}"#,
    );
    let e = deliver_with(
        &http,
        body,
        Some(signature::sign(b"whsec_abc", NOW, body.as_bytes())),
    )
    .unwrap();
    assert_eq!(e.saved, Some(kept_card()));
    assert_eq!(
        http.sent.borrow()[0].url,
        "https://api.stripe.com/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa?expand%5B%5D=payment_method"
    );
}

#[test]
fn an_off_session_charge_is_a_confirmed_payment_intent_for_the_kept_card() {
    let http = Recorder::answering(
        200,
        r#"{"id":"pi_3OffSes","object":"payment_intent","amount":90000,"currency":"eur","status":"succeeded","customer":"cus_NffrFeUfNV2Hib","payment_method":"pm_1Q0PsIJvEtkwdCNYMSaVuRz6"}"#,
    );
    let o = order(Money::price(90_000, Currency::Eur).unwrap());
    let out = run(stripe().charge_saved(&http, &o, &kept_card())).unwrap();
    assert_eq!(
        out,
        Charged::Paid {
            payment_id: "pi_3OffSes".into(),
            amount_minor: 90_000,
            currency: "EUR".into()
        }
    );
    let sent = http.sent.borrow();
    assert_eq!(sent[0].url, "https://api.stripe.com/v1/payment_intents");
    assert_eq!(sent[0].header("idempotency-key"), Some("checkout-42"));
    let form = form_decode(sent[0].body.as_deref().unwrap());
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("off_session"), Some("true"));
    assert_eq!(get("confirm"), Some("true"));
    assert_eq!(get("amount"), Some("90000"));
    assert_eq!(get("currency"), Some("eur"));
    assert_eq!(get("customer"), Some("cus_NffrFeUfNV2Hib"));
    assert_eq!(get("payment_method"), Some("pm_1Q0PsIJvEtkwdCNYMSaVuRz6"));
    assert_eq!(get("metadata[purchase_id]"), Some("42"));
}

#[test]
fn authentication_required_asks_for_the_cardholder_and_a_decline_is_a_decline() {
    let o = order(Money::price(90_000, Currency::Eur).unwrap());
    // Stripe's documented answer for a card that needs 3-D Secure off session.
    let http = Recorder::answering(
        402,
        r#"{"error":{"code":"authentication_required","decline_code":"authentication_required","message":"Your card was declined. This transaction requires authentication.","payment_intent":{"id":"pi_3Auth","status":"requires_payment_method"},"type":"card_error"}}"#,
    );
    assert!(matches!(
        run(stripe().charge_saved(&http, &o, &kept_card())).unwrap(),
        Charged::NeedsCardholder { .. }
    ));
    let http = Recorder::answering(
        402,
        r#"{"error":{"code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","type":"card_error"}}"#,
    );
    assert_eq!(
        run(stripe().charge_saved(&http, &o, &kept_card())).unwrap(),
        Charged::Declined {
            reason: "insufficient_funds: Your card has insufficient funds.".into()
        }
    );
    let http = Recorder::answering(500, r#"{"error":{"message":"boom"}}"#);
    assert!(matches!(
        run(stripe().charge_saved(&http, &o, &kept_card())),
        Err(PayError::Gateway(_))
    ));
}

#[test]
fn an_off_session_payment_is_reconciled_by_its_intent_and_refunded_by_it() {
    let http = Recorder::answering(
        200,
        r#"{"id":"pi_3OffSes","object":"payment_intent","amount":90000,"currency":"eur","status":"succeeded"}"#,
    );
    assert_eq!(
        run(stripe().status(&http, "pi_3OffSes")).unwrap(),
        Outcome::Paid {
            amount_minor: 90_000,
            currency: "EUR".into()
        }
    );
    // A refunded charge of an intent with no Checkout Session is known by the intent.
    let body = r#"{"id":"evt_r2","object":"event","type":"charge.refunded","data":{"object":{"id":"ch_2","object":"charge","amount":90000,"amount_refunded":90000,"currency":"eur","payment_intent":"pi_3OffSes"}}}"#;
    let http = Recorder::answering(200, r#"{"object":"list","data":[],"has_more":false}"#);
    let e = deliver_with(
        &http,
        body,
        Some(signature::sign(b"whsec_abc", NOW, body.as_bytes())),
    )
    .unwrap();
    assert_eq!(e.payment_id, "pi_3OffSes");
}
