//! YooKassa (roubles): `POST /v3/payments` with Basic auth (shop id : secret key), an
//! `Idempotence-Key`, `capture: true` and a redirect confirmation; the buyer goes to
//! `confirmation.confirmation_url`. Its notifications are not signed, so one is accepted only
//! from YooKassa's published addresses (`CF-Connecting-IP`), and even then only the payment as
//! fetched back from the API (`GET /v3/payments/{id}`) is trusted: its status, amount and currency
//! decide, never the notification's body.

use std::net::IpAddr;

use base64::Engine;
use serde::Deserialize;

use super::{
    Charged, Checkout, Event, HttpClient, HttpRequest, Inbound, Order, Outcome, PayError, SavedCard,
};

pub const API: &str = "https://api.yookassa.ru";

/// The addresses YooKassa sends notifications from, as its documentation publishes them.
pub const PUBLISHED: &str = "185.71.76.0/27, 185.71.77.0/27, 77.75.153.0/25, 77.75.156.11, \
     77.75.156.35, 77.75.154.128/25, 2a02:5180::/32";

/// An address range: the network's bits and the prefix length (IPv4 mapped into IPv6 space).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    net: u128,
    prefix: u32,
}

fn bits(ip: IpAddr) -> (u128, u32) {
    match ip {
        IpAddr::V4(v4) => (u128::from(v4.to_ipv6_mapped()), 96),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => (u128::from(v4.to_ipv6_mapped()), 96),
            None => (u128::from(v6), 0),
        },
    }
}

fn mask(prefix: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    }
}

impl Range {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let (b, _) = bits(ip);
        b & mask(self.prefix) == self.net
    }
}

/// `a.b.c.d`, `a.b.c.d/n`, `x::y/n`, comma-separated.
pub fn parse_ranges(list: &str) -> Result<Vec<Range>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (addr, len) = s.split_once('/').map_or((s, None), |(a, l)| (a, Some(l)));
            let ip: IpAddr = addr
                .parse()
                .map_err(|_| format!("“{s}” is not an address"))?;
            let (b, offset) = bits(ip);
            let width = 128 - offset;
            let len = match len {
                Some(l) => l
                    .parse::<u32>()
                    .ok()
                    .filter(|l| *l <= width)
                    .ok_or_else(|| format!("“{s}” has a bad prefix length"))?,
                None => width,
            };
            let prefix = offset + len;
            Ok(Range {
                net: b & mask(prefix),
                prefix,
            })
        })
        .collect()
}

pub fn published_ranges() -> Vec<Range> {
    #[allow(clippy::expect_used)]
    parse_ranges(PUBLISHED).expect("the published list parses")
}

#[derive(Clone)]
pub struct YooKassa {
    shop_id: String,
    secret_key: String,
    allowed: Vec<Range>,
}

impl std::fmt::Debug for YooKassa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "YooKassa {{ shop_id: {}, .. }}", self.shop_id)
    }
}

#[derive(Deserialize)]
struct Amount {
    value: String,
    currency: String,
}

#[derive(Deserialize)]
struct Confirmation {
    confirmation_url: Option<String>,
}

#[derive(Deserialize)]
struct Payment {
    id: String,
    status: String,
    amount: Amount,
    #[serde(default)]
    confirmation: Option<Confirmation>,
    #[serde(default)]
    cancellation_details: Option<Cancellation>,
    /// What was refunded of it so far.
    #[serde(default)]
    refunded_amount: Option<Amount>,
    #[serde(default)]
    payment_method: Option<PaymentMethod>,
}

/// How a payment was paid; `saved` when YooKassa kept it for payments without the buyer.
#[derive(Deserialize)]
struct PaymentMethod {
    id: String,
    #[serde(default)]
    saved: bool,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    card: Option<Card>,
}

#[derive(Deserialize)]
struct Card {
    last4: String,
    #[serde(default)]
    card_type: Option<String>,
}

/// The kept payment method of a paid payment, as a saved card.
fn saved_card(p: &Payment) -> Option<SavedCard> {
    let m = p.payment_method.as_ref().filter(|m| m.saved)?;
    let label = match (&m.card, &m.title) {
        (Some(c), _) => format!(
            "{} •• {}",
            c.card_type.as_deref().unwrap_or("Card"),
            c.last4
        ),
        (None, Some(t)) => t.clone(),
        (None, None) => "YooKassa".into(),
    };
    Some(SavedCard {
        method_id: m.id.clone(),
        customer_id: None,
        label,
    })
}

/// A refund as `GET /v3/refunds/{id}` answers it.
#[derive(Deserialize)]
struct Refund {
    id: String,
    payment_id: String,
    status: String,
    amount: Amount,
}

#[derive(Deserialize)]
struct Cancellation {
    party: String,
    reason: String,
}

#[derive(Deserialize)]
struct Notification {
    event: String,
    object: NotifiedObject,
}

#[derive(Deserialize)]
struct NotifiedObject {
    id: String,
}

/// `"1500.00"` → 150000 minor units (two decimals at most, as YooKassa writes amounts).
fn minor_units(value: &str) -> Option<i64> {
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

impl YooKassa {
    pub fn new(shop_id: String, secret_key: String, allowed: Vec<Range>) -> YooKassa {
        YooKassa {
            shop_id,
            secret_key,
            allowed,
        }
    }

    fn auth(&self) -> (String, String) {
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.shop_id, self.secret_key));
        ("Authorization".into(), format!("Basic {token}"))
    }

    /// The payment request for an order.
    pub fn payment_request(&self, order: &Order<'_>) -> HttpRequest {
        self.payment_request_with(order, None)
    }

    /// The payment request for an order: with a redirect for the buyer, or charging a saved
    /// method (`payment_method_id`) without them.
    fn payment_request_with(&self, order: &Order<'_>, saved: Option<&SavedCard>) -> HttpRequest {
        let price = order.price;
        let value = format!("{}.{:02}", price.minor() / 100, price.minor() % 100);
        // YooKassa takes descriptions of at most 128 characters.
        let description: String = order.description.chars().take(128).collect();
        // A live shop refuses a payment without a 54-FZ receipt: one line per pack, a service
        // paid in full in advance.
        let item: String = order.description.chars().take(128).collect();
        let mut body = serde_json::json!({
            "amount": { "value": value, "currency": price.currency().code() },
            "capture": true,
            "description": description,
            "metadata": { "purchase_id": order.purchase.to_string() },
            "receipt": {
                "customer": { "email": order.receipt.email },
                "items": [{
                    "description": item,
                    "quantity": "1.00",
                    "amount": { "value": value, "currency": price.currency().code() },
                    "vat_code": order.receipt.vat_code,
                    "payment_subject": "service",
                    "payment_mode": "full_prepayment",
                }],
            },
        });
        match saved {
            Some(card) => body["payment_method_id"] = card.method_id.clone().into(),
            None => {
                body["confirmation"] =
                    serde_json::json!({ "type": "redirect", "return_url": order.return_url });
                if order.save_card {
                    body["save_payment_method"] = true.into();
                }
            }
        }
        HttpRequest {
            method: "POST",
            url: format!("{API}/v3/payments"),
            headers: vec![
                self.auth(),
                ("Idempotence-Key".into(), order.idempotence_key.to_owned()),
                ("Content-Type".into(), "application/json".into()),
            ],
            body: Some(body.to_string()),
        }
    }

    pub async fn checkout(
        &self,
        http: &impl HttpClient,
        order: &Order<'_>,
    ) -> Result<Checkout, PayError> {
        let resp = self.create(http, || self.payment_request(order)).await?;
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "YooKassa answered {}: {}",
                resp.status,
                resp.body.chars().take(200).collect::<String>()
            )));
        }
        let p: Payment = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("YooKassa's payment: {e}")))?;
        let url = p
            .confirmation
            .and_then(|c| c.confirmation_url)
            .ok_or_else(|| {
                PayError::Gateway("YooKassa's payment has no confirmation_url".into())
            })?;
        Ok(Checkout {
            payment_id: p.id,
            redirect_url: url,
        })
    }

    /// Sends a payment's creation; 202 (YooKassa still processing it) asks again with the same
    /// `Idempotence-Key`, three times at most.
    async fn create(
        &self,
        http: &impl HttpClient,
        request: impl Fn() -> HttpRequest,
    ) -> Result<super::HttpResponse, PayError> {
        let mut resp = http.send(request()).await?;
        for _ in 0..3 {
            if resp.status != 202 {
                return Ok(resp);
            }
            http.pause(1_000).await;
            resp = http.send(request()).await?;
        }
        if resp.status == 202 {
            return Err(PayError::Gateway(
                "YooKassa was still processing the payment after 3 retries".into(),
            ));
        }
        Ok(resp)
    }

    /// Charges a saved payment method (`payment_method_id`, no confirmation): succeeded is paid,
    /// canceled a decline, anything else waits for the notification.
    pub async fn charge_saved(
        &self,
        http: &impl HttpClient,
        order: &Order<'_>,
        card: &SavedCard,
    ) -> Result<Charged, PayError> {
        let resp = self
            .create(http, || self.payment_request_with(order, Some(card)))
            .await?;
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "YooKassa answered {}: {}",
                resp.status,
                resp.body.chars().take(200).collect::<String>()
            )));
        }
        let p: Payment = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("YooKassa's payment: {e}")))?;
        Ok(match outcome(&p)? {
            Outcome::Paid {
                amount_minor,
                currency,
            } => Charged::Paid {
                payment_id: p.id,
                amount_minor,
                currency,
            },
            Outcome::Canceled { reason } | Outcome::Failed { reason } => {
                Charged::Declined { reason }
            }
            _ => Charged::Pending { payment_id: p.id },
        })
    }

    /// The request that fetches a refund back from the API.
    pub fn refund_request(&self, refund_id: &str) -> HttpRequest {
        HttpRequest {
            method: "GET",
            url: format!("{API}/v3/refunds/{refund_id}"),
            headers: vec![self.auth()],
            body: None,
        }
    }

    /// `refund.succeeded`: only the refund and its payment as fetched back decide — the
    /// payment's refunded total (or, before YooKassa reports one, this refund's amount).
    async fn refunded(
        &self,
        http: &impl HttpClient,
        event: String,
        refund_id: &str,
    ) -> Result<Event, PayError> {
        let resp = http.send(self.refund_request(refund_id)).await?;
        if resp.status == 404 {
            return Err(PayError::Unverified(format!(
                "YooKassa has no refund {refund_id}"
            )));
        }
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "YooKassa answered {} for refund {refund_id}",
                resp.status
            )));
        }
        let r: Refund = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("YooKassa's refund: {e}")))?;
        if r.id != refund_id {
            return Err(PayError::Gateway(format!(
                "asked YooKassa for refund {refund_id}, it answered {}",
                r.id
            )));
        }
        let amount = |a: &Amount| {
            minor_units(&a.value)
                .ok_or_else(|| PayError::Gateway(format!("YooKassa's amount “{}”", a.value)))
        };
        let outcome = if r.status == "succeeded" {
            let p = self.fetch_payment(http, &r.payment_id).await?;
            let total = match &p.refunded_amount {
                Some(t) => amount(t)?,
                None => amount(&r.amount)?,
            };
            Outcome::Refunded {
                refunded_minor: total,
                currency: r.amount.currency.clone(),
            }
        } else {
            Outcome::NotYet { status: r.status }
        };
        Ok(Event {
            id: format!("{event}:{}", r.id),
            kind: event,
            payment_id: r.payment_id,
            outcome,
            saved: None,
        })
    }

    /// The request that fetches a payment back from the API.
    pub fn fetch_request(&self, payment_id: &str) -> HttpRequest {
        HttpRequest {
            method: "GET",
            url: format!("{API}/v3/payments/{payment_id}"),
            headers: vec![self.auth()],
            body: None,
        }
    }

    pub async fn authenticate(
        &self,
        http: &impl HttpClient,
        inbound: &Inbound<'_>,
    ) -> Result<Event, PayError> {
        let ip: IpAddr = inbound
            .ip
            .and_then(|ip| ip.trim().parse().ok())
            .ok_or_else(|| PayError::Unverified("no sender address".into()))?;
        if !self.allowed.iter().any(|r| r.contains(ip)) {
            return Err(PayError::Unverified(format!(
                "{ip} is not one of YooKassa's addresses"
            )));
        }
        let n: Notification = serde_json::from_slice(inbound.body)
            .map_err(|e| PayError::Unverified(format!("not a YooKassa notification: {e}")))?;
        let id = &n.object.id;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(PayError::Unverified("the payment id is malformed".into()));
        }
        if n.event.starts_with("refund.") {
            return self.refunded(http, n.event, id).await;
        }
        // Trust only what the API says about the payment.
        let p = self.fetch_payment(http, id).await?;
        let outcome = outcome(&p)?;
        let saved = match outcome {
            Outcome::Paid { .. } => saved_card(&p),
            _ => None,
        };
        Ok(Event {
            // YooKassa has no event ids: an event is its kind for its payment, once.
            id: format!("{}:{}", n.event, p.id),
            kind: n.event,
            payment_id: p.id.clone(),
            outcome,
            saved,
        })
    }

    /// Where a payment stands, fetched from the API (the reconciliation of a purchase whose
    /// notification was lost or answered while the payment was still pending).
    pub async fn status(
        &self,
        http: &impl HttpClient,
        payment_id: &str,
    ) -> Result<Outcome, PayError> {
        outcome(&self.fetch_payment(http, payment_id).await?)
    }

    /// The payment as the API tells it: the only account of a payment that is trusted. One
    /// YooKassa does not know is unverified; any other failure is the gateway's.
    async fn fetch_payment(
        &self,
        http: &impl HttpClient,
        payment_id: &str,
    ) -> Result<Payment, PayError> {
        let resp = http.send(self.fetch_request(payment_id)).await?;
        if resp.status == 404 {
            return Err(PayError::Unverified(format!(
                "YooKassa has no payment {payment_id}"
            )));
        }
        if !(200..300).contains(&resp.status) {
            return Err(PayError::Gateway(format!(
                "YooKassa answered {} for payment {payment_id}",
                resp.status
            )));
        }
        let p: Payment = serde_json::from_str(&resp.body)
            .map_err(|e| PayError::Gateway(format!("YooKassa's payment: {e}")))?;
        if p.id != payment_id {
            return Err(PayError::Gateway(format!(
                "asked YooKassa for {payment_id}, it answered {}",
                p.id
            )));
        }
        Ok(p)
    }
}

/// What a payment as the API tells it means for the purchase.
fn outcome(p: &Payment) -> Result<Outcome, PayError> {
    Ok(match p.status.as_str() {
        "succeeded" => Outcome::Paid {
            amount_minor: minor_units(&p.amount.value).ok_or_else(|| {
                PayError::Gateway(format!("YooKassa's amount “{}”", p.amount.value))
            })?,
            currency: p.amount.currency.clone(),
        },
        "canceled" => Outcome::Canceled {
            reason: p.cancellation_details.as_ref().map_or_else(
                || "canceled".to_owned(),
                |c| format!("{}: {}", c.party, c.reason),
            ),
        },
        // Not final yet: YooKassa must deliver the notification again, or the client who
        // paid would never be credited.
        status => Outcome::NotYet {
            status: status.to_owned(),
        },
    })
}

#[cfg(test)]
mod tests;
