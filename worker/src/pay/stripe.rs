//! Stripe: a Checkout Session per purchase (`POST /v1/checkout/sessions`, form-encoded, secret
//! key as a bearer token), credited on `checkout.session.completed` with `payment_status=paid`
//! and on `checkout.session.async_payment_succeeded`; `async_payment_failed` fails the purchase
//! and `checkout.session.expired` cancels it. Notifications carry `Stripe-Signature`
//! ([`super::signature`]). Our payment id is the Checkout Session's id (`cs_...`).

use serde::Deserialize;

use super::signature;
use super::{
    form_encode, Checkout, Event, HttpClient, HttpRequest, Inbound, Order, Outcome, PayError,
};

pub const API: &str = "https://api.stripe.com";

#[derive(Clone)]
pub struct Stripe {
    secret_key: String,
    webhook_secret: String,
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stripe { .. }") // never print the keys
    }
}

#[derive(Deserialize)]
struct SessionCreated {
    id: String,
    url: Option<String>,
}

#[derive(Deserialize)]
struct StripeEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    /// A Checkout Session, or a Charge for `charge.refunded`.
    object: serde_json::Value,
}

/// A charge as `charge.refunded` carries it: `amount_refunded` is the refunded total so far.
#[derive(Deserialize)]
struct Charge {
    amount_refunded: i64,
    currency: String,
    payment_intent: Option<String>,
}

#[derive(Deserialize)]
struct SessionList {
    data: Vec<SessionCreated>,
}

#[derive(Deserialize)]
struct Session {
    id: String,
    /// `open`, `complete` or `expired` (present on sessions read back from the API).
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    payment_status: Option<String>,
    #[serde(default)]
    amount_total: Option<i64>,
    #[serde(default)]
    currency: Option<String>,
}

impl Stripe {
    pub fn new(secret_key: String, webhook_secret: String) -> Stripe {
        Stripe {
            secret_key,
            webhook_secret,
        }
    }

    /// The Checkout Session request for an order.
    pub fn session_request(&self, order: &Order<'_>) -> HttpRequest {
        let reference = order.purchase.to_string();
        let body = form_encode(&[
            ("mode", "payment".into()),
            (
                "line_items[0][price_data][currency]",
                order.price.currency().code().to_ascii_lowercase(),
            ),
            (
                "line_items[0][price_data][unit_amount]",
                order.price.minor().to_string(),
            ),
            (
                "line_items[0][price_data][product_data][name]",
                order.description.to_owned(),
            ),
            ("line_items[0][quantity]", "1".into()),
            ("client_reference_id", reference.clone()),
            ("metadata[purchase_id]", reference),
            ("success_url", order.return_url.to_owned()),
            ("cancel_url", format!("{}?canceled=1", order.return_url)),
        ]);
        HttpRequest {
            method: "POST",
            url: format!("{API}/v1/checkout/sessions"),
            headers: vec![
                (
                    "Authorization".into(),
                    format!("Bearer {}", self.secret_key),
                ),
                (
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("Idempotency-Key".into(), order.idempotence_key.to_owned()),
            ],
            body: Some(body),
        }
    }

    pub async fn checkout(
        &self,
        http: &impl HttpClient,
        order: &Order<'_>,
    ) -> Result<Checkout, PayError> {
        let resp = http.send(self.session_request(order)).await?;
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "Stripe answered {}: {}",
                resp.status,
                error_message(&resp.body)
            )));
        }
        let s: SessionCreated = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("Stripe's session: {e}")))?;
        let url = s
            .url
            .ok_or_else(|| PayError::Gateway("Stripe's session has no url".into()))?;
        Ok(Checkout {
            payment_id: s.id,
            redirect_url: url,
        })
    }

    /// A notification is Stripe's when its signature is; then its event says what happened.
    /// The request that reads a Checkout Session back (`GET /v1/checkout/sessions/{id}`).
    pub fn session_read_request(&self, session_id: &str) -> HttpRequest {
        HttpRequest {
            method: "GET",
            url: format!("{API}/v1/checkout/sessions/{session_id}"),
            headers: vec![(
                "Authorization".into(),
                format!("Bearer {}", self.secret_key),
            )],
            body: None,
        }
    }

    /// Where a payment stands, read back from the API (the reconciliation of a purchase whose
    /// notification was lost): paid, expired, or not final yet.
    pub async fn status(
        &self,
        http: &impl HttpClient,
        session_id: &str,
    ) -> Result<Outcome, PayError> {
        let resp = http.send(self.session_read_request(session_id)).await?;
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "Stripe answered {} for session {session_id}: {}",
                resp.status,
                error_message(&resp.body)
            )));
        }
        let s: Session = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("Stripe's session: {e}")))?;
        if s.id != session_id {
            return Err(PayError::Gateway(format!(
                "asked Stripe for {session_id}, it answered {}",
                s.id
            )));
        }
        Ok(match (s.payment_status.as_deref(), s.status.as_deref()) {
            (Some("paid" | "no_payment_required"), _) => match (s.amount_total, s.currency) {
                (Some(amount), Some(currency)) => Outcome::Paid {
                    amount_minor: amount,
                    currency: currency.to_ascii_uppercase(),
                },
                _ => {
                    return Err(PayError::Gateway(
                        "Stripe's paid session has no amount".into(),
                    ))
                }
            },
            (_, Some("expired")) => Outcome::Canceled {
                reason: "the checkout expired".into(),
            },
            (_, status) => Outcome::NotYet {
                status: status.unwrap_or("open").to_owned(),
            },
        })
    }

    /// The request that finds the Checkout Session of a payment intent (a refund names the
    /// charge's payment intent; our purchase knows the session).
    pub fn session_of_intent_request(&self, intent: &str) -> HttpRequest {
        HttpRequest {
            method: "GET",
            url: format!(
                "{API}/v1/checkout/sessions?{}",
                form_encode(&[("payment_intent", intent.to_owned()), ("limit", "1".into())])
            ),
            headers: vec![(
                "Authorization".into(),
                format!("Bearer {}", self.secret_key),
            )],
            body: None,
        }
    }

    pub async fn authenticate(
        &self,
        http: &impl HttpClient,
        inbound: &Inbound<'_>,
    ) -> Result<Event, PayError> {
        signature::verify(
            inbound.header("stripe-signature"),
            inbound.body,
            self.webhook_secret.as_bytes(),
            inbound.now,
        )
        .map_err(|e| PayError::Unverified(format!("Stripe-Signature: {}", e.reason())))?;
        let e: StripeEvent = serde_json::from_slice(inbound.body)
            .map_err(|e| PayError::Unverified(format!("not a Stripe event: {e}")))?;
        if e.kind == "charge.refunded" {
            return self.refunded(http, e).await;
        }
        let s: Session = serde_json::from_value(e.data.object.clone())
            .map_err(|e| PayError::Unverified(format!("not a Checkout Session: {e}")))?;
        let s = &s;
        let paid = || match (s.amount_total, &s.currency) {
            (Some(amount), Some(currency)) => Outcome::Paid {
                amount_minor: amount,
                currency: currency.to_ascii_uppercase(),
            },
            _ => Outcome::Ignored,
        };
        let outcome = match e.kind.as_str() {
            "checkout.session.completed" if s.payment_status.as_deref() == Some("paid") => paid(),
            // Completed but unpaid: a delayed method; its async_payment_* event follows.
            "checkout.session.async_payment_succeeded" => paid(),
            "checkout.session.async_payment_failed" => Outcome::Failed {
                reason: "the delayed payment failed".into(),
            },
            "checkout.session.expired" => Outcome::Canceled {
                reason: "the checkout expired".into(),
            },
            _ => Outcome::Ignored,
        };
        Ok(Event {
            id: e.id,
            kind: e.kind,
            payment_id: s.id.clone(),
            outcome,
        })
    }

    /// `charge.refunded` (signed, so its figures are Stripe's): the charge's refunded total, and
    /// the Checkout Session of its payment intent, found through the API.
    async fn refunded(&self, http: &impl HttpClient, e: StripeEvent) -> Result<Event, PayError> {
        let c: Charge = serde_json::from_value(e.data.object)
            .map_err(|e| PayError::Unverified(format!("not a charge: {e}")))?;
        let intent = c
            .payment_intent
            .ok_or_else(|| PayError::Unverified("the charge names no payment intent".into()))?;
        let resp = http.send(self.session_of_intent_request(&intent)).await?;
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "Stripe answered {} for the session of {intent}: {}",
                resp.status,
                error_message(&resp.body)
            )));
        }
        let list: SessionList = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("Stripe's sessions: {e}")))?;
        let session = list
            .data
            .into_iter()
            .next()
            .ok_or_else(|| PayError::Unverified(format!("no Checkout Session for {intent}")))?;
        Ok(Event {
            id: e.id,
            kind: e.kind,
            payment_id: session.id,
            outcome: if c.amount_refunded > 0 {
                Outcome::Refunded {
                    refunded_minor: c.amount_refunded,
                    currency: c.currency.to_ascii_uppercase(),
                }
            } else {
                Outcome::Ignored
            },
        })
    }
}

fn error_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
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
        }
    }

    #[test]
    fn a_checkout_session_is_created_as_stripe_documents_it() {
        let http = Recorder::answering(
            200,
            r#"{"id":"cs_test_a1","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_a1","payment_status":"unpaid"}"#,
        );
        let out =
            run(stripe().checkout(&http, &order(Money::price(90_000, Currency::Eur).unwrap())))
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
        let err = run(stripe().checkout(&http, &order(Money::price(1, Currency::Eur).unwrap())))
            .unwrap_err();
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

    fn deliver_with(
        http: &Recorder,
        body: &str,
        header: Option<String>,
    ) -> Result<Event, PayError> {
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
}
