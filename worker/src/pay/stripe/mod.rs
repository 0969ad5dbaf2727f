//! Stripe: a Checkout Session per purchase (`POST /v1/checkout/sessions`, form-encoded, secret
//! key as a bearer token), credited on `checkout.session.completed` with `payment_status=paid`
//! and on `checkout.session.async_payment_succeeded`; `async_payment_failed` fails the purchase
//! and `checkout.session.expired` cancels it. Notifications carry `Stripe-Signature`
//! ([`super::signature`]). Our payment id is the Checkout Session's id (`cs_...`).

use serde::Deserialize;

use super::signature;
use super::{
    form_encode, Charged, Checkout, Event, HttpClient, HttpRequest, Inbound, Order, Outcome,
    PayError, SavedCard,
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
    #[serde(default)]
    payment_intent: Option<String>,
    #[serde(default)]
    metadata: serde_json::Value,
}

/// A PaymentIntent (an off-session charge, or a checkout's payment read for its card).
#[derive(Deserialize)]
struct Intent {
    id: String,
    status: String,
    amount: i64,
    currency: String,
    #[serde(default)]
    customer: Option<String>,
    /// The id, or the object when asked to expand it.
    #[serde(default)]
    payment_method: Option<serde_json::Value>,
}

/// The card a PaymentIntent was paid with, as a saved card.
fn saved_card(pi: &Intent) -> Option<SavedCard> {
    let pm = pi.payment_method.as_ref()?;
    let method_id = pm
        .as_str()
        .or_else(|| pm["id"].as_str())
        .filter(|id| !id.is_empty())?
        .to_owned();
    let card = &pm["card"];
    let brand = card["brand"].as_str().unwrap_or("card");
    let mut brand: Vec<char> = brand.chars().collect();
    if let Some(first) = brand.first_mut() {
        *first = first.to_ascii_uppercase();
    }
    let last4 = card["last4"].as_str().unwrap_or("????");
    Some(SavedCard {
        method_id,
        customer_id: pi.customer.clone(),
        label: format!("{} •• {last4}", brand.into_iter().collect::<String>()),
    })
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
        let mut pairs = vec![
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
        ];
        if order.save_card {
            // A customer to keep the card on, and the card kept for charges without the buyer.
            pairs.extend([
                ("customer_creation", "always".into()),
                (
                    "payment_intent_data[setup_future_usage]",
                    "off_session".into(),
                ),
                ("metadata[save_card]", "1".into()),
            ]);
        }
        let body = form_encode(&pairs);
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

    fn bearer(&self) -> (String, String) {
        (
            "Authorization".into(),
            format!("Bearer {}", self.secret_key),
        )
    }

    /// The off-session PaymentIntent that charges a saved card (`POST /v1/payment_intents`
    /// with `off_session=true`, `confirm=true`).
    pub fn off_session_request(&self, order: &Order<'_>, card: &SavedCard) -> HttpRequest {
        let mut pairs = vec![
            ("amount", order.price.minor().to_string()),
            (
                "currency",
                order.price.currency().code().to_ascii_lowercase(),
            ),
            ("payment_method", card.method_id.clone()),
            ("off_session", "true".into()),
            ("confirm", "true".into()),
            ("description", order.description.to_owned()),
            ("metadata[purchase_id]", order.purchase.to_string()),
        ];
        if let Some(customer) = &card.customer_id {
            pairs.push(("customer", customer.clone()));
        }
        HttpRequest {
            method: "POST",
            url: format!("{API}/v1/payment_intents"),
            headers: vec![
                self.bearer(),
                (
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("Idempotency-Key".into(), order.idempotence_key.to_owned()),
            ],
            body: Some(form_encode(&pairs)),
        }
    }

    /// Charges a saved card: `authentication_required` (the bank wants 3-D Secure) asks for the
    /// cardholder; any other card error is a decline.
    pub async fn charge_saved(
        &self,
        http: &impl HttpClient,
        order: &Order<'_>,
        card: &SavedCard,
    ) -> Result<Charged, PayError> {
        let resp = http.send(self.off_session_request(order, card)).await?;
        if resp.status == 402 {
            let v: serde_json::Value = serde_json::from_str(&resp.body).unwrap_or_default();
            let e = &v["error"];
            let code = e["code"].as_str().unwrap_or_default();
            let why = e["decline_code"].as_str().unwrap_or(code);
            let reason = format!("{why}: {}", error_message(&resp.body));
            return Ok(
                if code == "authentication_required" || why == "authentication_required" {
                    Charged::NeedsCardholder { reason }
                } else {
                    Charged::Declined { reason }
                },
            );
        }
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "Stripe answered {}: {}",
                resp.status,
                error_message(&resp.body)
            )));
        }
        let pi: Intent = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("Stripe's payment intent: {e}")))?;
        Ok(match pi.status.as_str() {
            "succeeded" => Charged::Paid {
                payment_id: pi.id,
                amount_minor: pi.amount,
                currency: pi.currency.to_ascii_uppercase(),
            },
            "processing" => Charged::Pending { payment_id: pi.id },
            "requires_action" => Charged::NeedsCardholder {
                reason: format!("{} requires action", pi.id),
            },
            other => Charged::Declined {
                reason: format!("{} is {other}", pi.id),
            },
        })
    }

    /// The request that reads a PaymentIntent with its payment method.
    pub fn intent_read_request(&self, intent: &str) -> HttpRequest {
        HttpRequest {
            method: "GET",
            url: format!("{API}/v1/payment_intents/{intent}?expand%5B%5D=payment_method"),
            headers: vec![self.bearer()],
            body: None,
        }
    }

    async fn intent(&self, http: &impl HttpClient, intent: &str) -> Result<Intent, PayError> {
        let resp = http.send(self.intent_read_request(intent)).await?;
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "Stripe answered {} for {intent}: {}",
                resp.status,
                error_message(&resp.body)
            )));
        }
        let pi: Intent = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("Stripe's payment intent: {e}")))?;
        if pi.id != intent {
            return Err(PayError::Gateway(format!(
                "asked Stripe for {intent}, it answered {}",
                pi.id
            )));
        }
        Ok(pi)
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
        if session_id.starts_with("pi_") {
            // An automatic top-up's off-session charge: the intent itself.
            let pi = self.intent(http, session_id).await?;
            return Ok(intent_outcome(&pi));
        }
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
        if matches!(
            e.kind.as_str(),
            "payment_intent.succeeded" | "payment_intent.payment_failed"
        ) {
            // Only an automatic top-up's purchase is known by its intent; a checkout's intent
            // matches no purchase and is acknowledged as someone else's.
            let pi: Intent = serde_json::from_value(e.data.object)
                .map_err(|e| PayError::Unverified(format!("not a payment intent: {e}")))?;
            return Ok(Event {
                id: e.id,
                kind: e.kind,
                outcome: intent_outcome(&pi),
                payment_id: pi.id,
                saved: None,
            });
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
        // The card kept at a paid checkout the buyer agreed to keep it at (read from the intent:
        // the session names only its id).
        let keep = s.metadata["save_card"].as_str() == Some("1");
        let saved = match (&outcome, &s.payment_intent) {
            (Outcome::Paid { .. }, Some(pi)) if keep => saved_card(&self.intent(http, pi).await?),
            _ => None,
        };
        Ok(Event {
            id: e.id,
            kind: e.kind,
            payment_id: s.id.clone(),
            outcome,
            saved,
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
        // A checkout's payment is known by its session; an automatic top-up's by its intent.
        let payment_id = list.data.into_iter().next().map_or(intent, |s| s.id);
        Ok(Event {
            id: e.id,
            kind: e.kind,
            payment_id,
            saved: None,
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

/// What an intent's status means for its purchase.
fn intent_outcome(pi: &Intent) -> Outcome {
    match pi.status.as_str() {
        "succeeded" => Outcome::Paid {
            amount_minor: pi.amount,
            currency: pi.currency.to_ascii_uppercase(),
        },
        "canceled" => Outcome::Canceled {
            reason: "the payment was canceled".into(),
        },
        "requires_payment_method" => Outcome::Failed {
            reason: "the card was declined".into(),
        },
        other => Outcome::NotYet {
            status: other.to_owned(),
        },
    }
}

fn error_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.chars().take(200).collect())
}

#[cfg(test)]
mod tests;
