//! The built-in sandbox gateway: the embedded default for development and tests. It behaves like
//! a hosted-checkout provider — a payment has its own id and page (served by this worker under
//! `/api/v1/sandbox/payments/{id}`), the buyer pays, declines or cancels there, and the outcome
//! arrives as a notification signed like Stripe's (`Sandbox-Signature: t=…,v1=…`) at the same
//! webhook path the real gateways use. Its books are the `sandbox_payments` table.

use serde::{Deserialize, Serialize};

use super::signature;
use super::{Charged, Checkout, Event, Inbound, Order, Outcome, PayError, SavedCard};

/// The sandbox's saved cards: `sbxpm_{payment}` charges without the cardholder;
/// `sbxpm3ds_{payment}` always asks for 3-D Secure, like Stripe's test card 4000 0027 6000 3184.
const SAVED: &str = "sbxpm_";
const SAVED_3DS: &str = "sbxpm3ds_";

#[derive(Clone)]
pub struct Sandbox {
    secret: String,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sandbox { .. }")
    }
}

/// The sandbox's notification body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxEvent {
    pub id: String,
    /// `payment.succeeded`, `payment.failed`, `payment.canceled`.
    #[serde(rename = "type")]
    pub kind: String,
    pub created: i64,
    pub payment: SandboxPayment,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxPayment {
    pub id: String,
    pub status: String,
    pub amount_minor: i64,
    pub currency: String,
    /// Our reference (`purchase:{id}`).
    pub reference: String,
    #[serde(default)]
    pub failure: Option<String>,
    /// What was refunded of it in all, in minor units (`payment.refunded` events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded_minor: Option<i64>,
    /// The card kept for later charges (the buyer agreed to keep it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_method: Option<String>,
}

/// What the buyer pressed on the sandbox's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Pay,
    /// Pay with a card whose later off-session charges ask for 3-D Secure.
    Pay3ds,
    Decline,
    Cancel,
}

impl Choice {
    pub fn parse(s: &str) -> Option<Choice> {
        match s {
            "pay" => Some(Choice::Pay),
            "pay_3ds" => Some(Choice::Pay3ds),
            "decline" => Some(Choice::Decline),
            "cancel" => Some(Choice::Cancel),
            _ => None,
        }
    }

    /// The payment's status after the choice.
    pub fn status(self) -> &'static str {
        match self {
            Choice::Pay | Choice::Pay3ds => "succeeded",
            Choice::Decline => "failed",
            Choice::Cancel => "canceled",
        }
    }
}

/// A payment id the sandbox issues: `sbx_` and letters, digits, `_` (safe in a path).
pub fn is_payment_id(s: &str) -> bool {
    s.len() <= 64
        && s.strip_prefix("sbx_").is_some_and(|r| {
            !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

impl Sandbox {
    pub fn new(secret: String) -> Sandbox {
        Sandbox { secret }
    }

    pub fn checkout(&self, order: &Order<'_>) -> Checkout {
        let payment_id = format!("sbx_{}", order.purchase);
        Checkout {
            redirect_url: format!(
                "{}{}/sandbox/payments/{payment_id}",
                order.origin,
                pointdesk_api::API_PREFIX
            ),
            payment_id,
        }
    }

    /// The card a paid checkout keeps, when the buyer agreed to keep it.
    pub fn saved_method(choice: Choice, payment_id: &str) -> Option<String> {
        match choice {
            Choice::Pay => Some(format!("{SAVED}{payment_id}")),
            Choice::Pay3ds => Some(format!("{SAVED_3DS}{payment_id}")),
            Choice::Decline | Choice::Cancel => None,
        }
    }

    /// An off-session charge: paid at once, unless the card is the one that asks for 3-D Secure.
    pub fn charge_saved(&self, order: &Order<'_>, card: &SavedCard) -> Charged {
        if card.method_id.starts_with(SAVED_3DS) {
            return Charged::NeedsCardholder {
                reason: "authentication_required: the sandbox card asks for 3-D Secure".into(),
            };
        }
        if !card.method_id.starts_with(SAVED) {
            return Charged::Declined {
                reason: format!("the sandbox kept no card “{}”", card.method_id),
            };
        }
        Charged::Paid {
            payment_id: format!("sbx_{}_auto", order.purchase),
            amount_minor: order.price.minor(),
            currency: order.price.currency().code().to_owned(),
        }
    }

    /// The notification for a payment that became `payment.status`, signed at `now`: the body
    /// and the `Sandbox-Signature` header.
    pub fn notification(
        &self,
        event_id: &str,
        payment: SandboxPayment,
        now: i64,
    ) -> (String, String) {
        let event = SandboxEvent {
            id: event_id.to_owned(),
            kind: format!("payment.{}", payment.status),
            created: now,
            payment,
        };
        let body = serde_json::to_string(&event).unwrap_or_default();
        let header = signature::sign(self.secret.as_bytes(), now, body.as_bytes());
        (body, header)
    }

    pub fn authenticate(&self, inbound: &Inbound<'_>) -> Result<Event, PayError> {
        signature::verify(
            inbound.header("sandbox-signature"),
            inbound.body,
            self.secret.as_bytes(),
            inbound.now,
        )
        .map_err(|e| PayError::Unverified(format!("Sandbox-Signature: {}", e.reason())))?;
        let e: SandboxEvent = serde_json::from_slice(inbound.body)
            .map_err(|e| PayError::Unverified(format!("not a sandbox event: {e}")))?;
        let p = e.payment;
        let outcome = match (e.kind.as_str(), p.status.as_str()) {
            ("payment.succeeded", "succeeded") => Outcome::Paid {
                amount_minor: p.amount_minor,
                currency: p.currency,
            },
            ("payment.failed", "failed") => Outcome::Failed {
                reason: p.failure.unwrap_or_else(|| "declined".into()),
            },
            ("payment.canceled", "canceled") => Outcome::Canceled {
                reason: p.failure.unwrap_or_else(|| "canceled by the buyer".into()),
            },
            ("payment.refunded", "succeeded") => match p.refunded_minor {
                Some(refunded) if refunded > 0 => Outcome::Refunded {
                    refunded_minor: refunded,
                    currency: p.currency,
                },
                _ => return Err(PayError::Unverified("a refund without an amount".into())),
            },
            _ => Outcome::Ignored,
        };
        let saved = match (&outcome, p.saved_method) {
            (Outcome::Paid { .. }, Some(method_id)) => Some(SavedCard {
                label: if method_id.starts_with(SAVED_3DS) {
                    "Sandbox •• 3184".into()
                } else {
                    "Sandbox •• 4242".into()
                },
                method_id,
                customer_id: None,
            }),
            _ => None,
        };
        Ok(Event {
            id: e.id,
            kind: e.kind,
            payment_id: p.id,
            outcome,
            saved,
        })
    }
}

/// Where a sandbox payment stands, from its row: what the reconciliation reads instead of an
/// API, as a real gateway's would answer.
pub fn settled_outcome(status: &str, amount_minor: i64, currency: &str) -> Outcome {
    match status {
        "succeeded" => Outcome::Paid {
            amount_minor,
            currency: currency.to_owned(),
        },
        "failed" => Outcome::Failed {
            reason: "declined".into(),
        },
        "canceled" => Outcome::Canceled {
            reason: "canceled by the buyer".into(),
        },
        other => Outcome::NotYet {
            status: other.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(status: &str) -> SandboxPayment {
        SandboxPayment {
            id: "sbx_7".into(),
            status: status.into(),
            amount_minor: 750_000,
            currency: "RUB".into(),
            reference: "purchase:7".into(),
            failure: (status == "failed").then(|| "card declined".into()),
            refunded_minor: None,
            saved_method: None,
        }
    }

    fn deliver(s: &Sandbox, body: &str, header: &str, now: i64) -> Result<Event, PayError> {
        let headers = vec![("sandbox-signature".to_owned(), header.to_owned())];
        s.authenticate(&Inbound {
            headers: &headers,
            body: body.as_bytes(),
            ip: None,
            now,
        })
    }

    #[test]
    fn its_own_notifications_verify_and_say_what_happened() {
        let s = Sandbox::new("s3cret".into());
        let (body, header) = s.notification("evt_sbx_7_pay", payment("succeeded"), 1000);
        let e = deliver(&s, &body, &header, 1010).unwrap();
        assert_eq!(e.id, "evt_sbx_7_pay");
        assert_eq!(e.payment_id, "sbx_7");
        assert_eq!(
            e.outcome,
            Outcome::Paid {
                amount_minor: 750_000,
                currency: "RUB".into()
            }
        );
        let (body, header) = s.notification("evt_sbx_7_decline", payment("failed"), 1000);
        assert_eq!(
            deliver(&s, &body, &header, 1000).unwrap().outcome,
            Outcome::Failed {
                reason: "card declined".into()
            }
        );
    }

    #[test]
    fn a_kept_card_is_reported_once_paid_and_charges_later_unless_it_asks_for_3ds() {
        let s = Sandbox::new("s3cret".into());
        let mut paid = payment("succeeded");
        paid.saved_method = Sandbox::saved_method(Choice::Pay, "sbx_7");
        let (body, header) = s.notification("evt_sbx_7_pay", paid, 1000);
        let card = deliver(&s, &body, &header, 1000).unwrap().saved.unwrap();
        assert_eq!(card.method_id, "sbxpm_sbx_7");
        assert_eq!(card.label, "Sandbox •• 4242");
        let order = Order {
            purchase: 9,
            description: "Pointdesk: 10 points",
            price: pointdesk_domain::money::Money::price(
                750_000,
                pointdesk_domain::money::Currency::Rub,
            )
            .unwrap(),
            return_url: "http://127.0.0.1/purchases/9",
            idempotence_key: "k",
            origin: "http://127.0.0.1",
            receipt: super::super::Receipt {
                email: "a@b.test",
                vat_code: 1,
            },
            save_card: false,
        };
        assert_eq!(
            s.charge_saved(&order, &card),
            Charged::Paid {
                payment_id: "sbx_9_auto".into(),
                amount_minor: 750_000,
                currency: "RUB".into()
            }
        );
        let strict = SavedCard {
            method_id: Sandbox::saved_method(Choice::Pay3ds, "sbx_7").unwrap(),
            ..card
        };
        assert!(matches!(
            s.charge_saved(&order, &strict),
            Charged::NeedsCardholder { .. }
        ));
        assert_eq!(Sandbox::saved_method(Choice::Decline, "sbx_7"), None);
    }

    #[test]
    fn another_secret_or_a_late_delivery_is_unverified() {
        let s = Sandbox::new("s3cret".into());
        let (body, header) = s.notification("evt_1", payment("succeeded"), 1000);
        let other = Sandbox::new("other".into());
        assert!(matches!(
            deliver(&other, &body, &header, 1000),
            Err(PayError::Unverified(_))
        ));
        assert!(matches!(
            deliver(&s, &body, &header, 1301),
            Err(PayError::Unverified(_))
        ));
    }

    #[test]
    fn payment_ids_are_path_safe() {
        assert!(is_payment_id("sbx_12"));
        for bad in [
            "sbx_",
            "12",
            "sbx_1/2",
            "sbx_1%2F",
            &format!("sbx_{}", "1".repeat(61)),
        ] {
            assert!(!is_payment_id(bad), "{bad}");
        }
    }
}
