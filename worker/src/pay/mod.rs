//! Payment gateways: one interface, three implementations, chosen per currency by configuration.
//!
//! - [`sandbox`]: the embedded default. The worker itself plays the provider: a hosted checkout
//!   page with Pay / Decline / Cancel that delivers a signed notification to the same webhook
//!   path the real providers use.
//! - [`stripe`]: Checkout Sessions; notifications signed with `Stripe-Signature`.
//! - [`yookassa`]: payments with a redirect confirmation; notifications accepted only from
//!   YooKassa's addresses and confirmed by fetching the payment from its API.
//!
//! Everything here is protocol: requests are built and answers read as data, and the HTTP client
//! is behind [`HttpClient`] ([`fetch::Fetcher`] in the worker, a recording fake in the tests).

pub mod fetch;
pub mod sandbox;
pub mod signature;
pub mod stripe;
pub mod yookassa;

use pointdesk_domain::money::{Currency, Money};

/// An outgoing HTTP request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

#[cfg(test)]
impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
}

/// Sends requests to a gateway's API.
#[allow(async_fn_in_trait)] // the worker is single-threaded: no `Send` bound wanted
pub trait HttpClient {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, PayError>;
    /// Waits before asking again (a gateway that answered "still processing").
    async fn pause(&self, millis: u64);
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayError {
    /// A notification that is not provably from the gateway (400, logged).
    Unverified(String),
    /// The gateway could not be reached or answered something unexpected (502).
    Gateway(String),
    /// The gateway is chosen but not set up (its secrets are missing) (503).
    NotConfigured(String),
    /// A notification for a gateway this deployment has not set up (404: a 5xx would invite
    /// days of retries for something that will never work).
    UnknownGateway(String),
    /// The payment has not reached the result the notification speaks of (409: delivered again).
    NotYet(String),
}

/// What to charge for.
#[derive(Clone, Debug)]
pub struct Order<'a> {
    /// Our purchase id: the gateway's reference back to us.
    pub purchase: i64,
    pub description: &'a str,
    pub price: Money,
    /// Where the buyer comes back to (the app's receipt page).
    pub return_url: &'a str,
    /// The gateway's own idempotency key for creating the payment.
    pub idempotence_key: &'a str,
    /// This deployment's origin (`https://desk.example.com`).
    pub origin: &'a str,
    /// The 54-FZ receipt YooKassa's live shops require: where it goes and the VAT code.
    pub receipt: Receipt<'a>,
    /// The buyer agreed to keep the card for automatic top-ups (Stripe's
    /// `setup_future_usage=off_session`, YooKassa's `save_payment_method`).
    pub save_card: bool,
}

/// A card a gateway kept at a checkout the buyer agreed to keep it at: what an off-session
/// charge names (Stripe's payment method and customer, YooKassa's `payment_method_id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedCard {
    pub method_id: String,
    pub customer_id: Option<String>,
    /// `Visa •• 4242`, for the admin to recognise it.
    pub label: String,
}

/// What charging a saved card without the cardholder came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Charged {
    /// Paid in full now: credit the points (once).
    Paid {
        payment_id: String,
        amount_minor: i64,
        currency: String,
    },
    /// Accepted, not final: the notification (or the hourly reconciliation) settles it.
    Pending { payment_id: String },
    /// The bank wants the cardholder (3-D Secure): they are asked to pay at a checkout.
    NeedsCardholder { reason: String },
    /// Refused by the bank or the gateway: nothing was charged.
    Declined { reason: String },
}

/// What a fiscal receipt (54-FZ) needs beyond the order: the buyer's email and the provider's
/// VAT code (YooKassa's `vat_code`, 1 = без НДС).
#[derive(Clone, Copy, Debug)]
pub struct Receipt<'a> {
    pub email: &'a str,
    pub vat_code: u8,
}

/// A payment created at the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkout {
    pub payment_id: String,
    pub redirect_url: String,
}

/// A notification as it arrived.
#[derive(Clone, Debug)]
pub struct Inbound<'a> {
    /// Lower-case names.
    pub headers: &'a [(String, String)],
    /// The raw body: signatures cover these exact bytes.
    pub body: &'a [u8],
    /// The sender's address (`CF-Connecting-IP`).
    pub ip: Option<&'a str>,
    pub now: i64,
}

impl Inbound<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a verified notification says happened to a payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Paid in full: credit the points (once).
    Paid {
        amount_minor: i64,
        currency: String,
    },
    Failed {
        reason: String,
    },
    Canceled {
        reason: String,
    },
    /// The notification speaks of a result the payment, as the gateway's API tells it, has not
    /// reached yet (`payment.succeeded` met by a still-`pending` payment): not recorded, and
    /// answered so that the gateway delivers it again.
    NotYet {
        status: String,
    },
    /// The gateway refunded `refunded_minor` of the payment in all so far (the payment's
    /// refunded total, read from the gateway's API): the purchase's points come back out in
    /// proportion.
    Refunded {
        refunded_minor: i64,
        currency: String,
    },
    /// Nothing to do (an event we do not act on).
    Ignored,
}

/// A notification the gateway provably sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Unique per event at the gateway: replays carry the same id.
    pub id: String,
    pub kind: String,
    pub payment_id: String,
    pub outcome: Outcome,
    /// The card the gateway kept at this (paid) checkout, when the buyer agreed to it.
    pub saved: Option<SavedCard>,
}

/// One configured gateway.
#[derive(Clone, Debug)]
pub enum Gateway {
    Sandbox(sandbox::Sandbox),
    Stripe(stripe::Stripe),
    YooKassa(yookassa::YooKassa),
}

impl Gateway {
    pub fn name(&self) -> &'static str {
        match self {
            Gateway::Sandbox(_) => "sandbox",
            Gateway::Stripe(_) => "stripe",
            Gateway::YooKassa(_) => "yookassa",
        }
    }

    /// Creates the payment at the gateway: where to send the buyer.
    pub async fn checkout(
        &self,
        http: &impl HttpClient,
        order: &Order<'_>,
    ) -> Result<Checkout, PayError> {
        match self {
            Gateway::Sandbox(g) => Ok(g.checkout(order)),
            Gateway::Stripe(g) => g.checkout(http, order).await,
            Gateway::YooKassa(g) => g.checkout(http, order).await,
        }
    }

    /// Charges a saved card without the cardholder (an automatic top-up).
    pub async fn charge_saved(
        &self,
        http: &impl HttpClient,
        order: &Order<'_>,
        card: &SavedCard,
    ) -> Result<Charged, PayError> {
        match self {
            Gateway::Sandbox(g) => Ok(g.charge_saved(order, card)),
            Gateway::Stripe(g) => g.charge_saved(http, order, card).await,
            Gateway::YooKassa(g) => g.charge_saved(http, order, card).await,
        }
    }

    /// Where a payment stands, asked of the gateway (the hourly reconciliation). The sandbox has
    /// no API to ask: its state is its own rows, which the caller reads
    /// ([`sandbox::settled_outcome`]).
    pub async fn status(
        &self,
        http: &impl HttpClient,
        payment_id: &str,
    ) -> Result<Outcome, PayError> {
        match self {
            Gateway::Sandbox(_) => Err(PayError::Gateway(
                "the sandbox's payments are read from its own rows".into(),
            )),
            Gateway::Stripe(g) => g.status(http, payment_id).await,
            Gateway::YooKassa(g) => g.status(http, payment_id).await,
        }
    }

    /// Proves a notification came from the gateway and reads what it says.
    pub async fn authenticate(
        &self,
        http: &impl HttpClient,
        inbound: &Inbound<'_>,
    ) -> Result<Event, PayError> {
        match self {
            Gateway::Sandbox(g) => g.authenticate(inbound),
            Gateway::Stripe(g) => g.authenticate(http, inbound).await,
            Gateway::YooKassa(g) => g.authenticate(http, inbound).await,
        }
    }
}

/// Which gateway takes which currency, and each one's settings.
#[derive(Clone, Debug)]
pub struct Config {
    routes: Vec<(Currency, &'static str)>,
    /// Only local servers have it (`PAYMENT_SANDBOX=on`): it would credit points for nothing.
    sandbox: Option<sandbox::Sandbox>,
    stripe: Option<stripe::Stripe>,
    yookassa: Option<yookassa::YooKassa>,
}

/// The sandbox's signing secret when none is configured (local development and tests only: the
/// sandbox is never the gateway of a real payment).
pub const SANDBOX_DEFAULT_SECRET: &str = "pointdesk-sandbox-secret";

impl Config {
    /// Reads the settings through `get` (Worker variables and secrets):
    /// `PAYMENT_GATEWAYS` (`RUB=yookassa,EUR=stripe`; a currency not named uses the sandbox),
    /// `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`, `YOOKASSA_SHOP_ID`, `YOOKASSA_SECRET_KEY`,
    /// `YOOKASSA_ALLOWED_IPS` (comma-separated addresses and CIDR ranges; YooKassa's published
    /// list when unset), `PAYMENT_SANDBOX` (`on`: the sandbox takes every currency not named;
    /// `cargo xtask dev` and the tests set it), `SANDBOX_WEBHOOK_SECRET`.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, PayError> {
        let mut routes = Vec::new();
        for part in get("PAYMENT_GATEWAYS").unwrap_or_default().split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let bad = || PayError::NotConfigured(format!("PAYMENT_GATEWAYS: “{part}”"));
            let (code, name) = part.split_once('=').ok_or_else(bad)?;
            let currency = Currency::parse(code.trim()).map_err(|_| bad())?;
            let name = pointdesk_api::payments::GATEWAYS
                .into_iter()
                .find(|g| *g == name.trim())
                .ok_or_else(bad)?;
            routes.push((currency, name));
        }
        let stripe = match (get("STRIPE_SECRET_KEY"), get("STRIPE_WEBHOOK_SECRET")) {
            (Some(key), Some(webhook)) => Some(stripe::Stripe::new(key, webhook)),
            _ => None,
        };
        let yookassa = match (get("YOOKASSA_SHOP_ID"), get("YOOKASSA_SECRET_KEY")) {
            (Some(shop), Some(key)) => {
                let ranges = match get("YOOKASSA_ALLOWED_IPS") {
                    Some(list) => yookassa::parse_ranges(&list).map_err(|e| {
                        PayError::NotConfigured(format!("YOOKASSA_ALLOWED_IPS: {e}"))
                    })?,
                    None => yookassa::published_ranges(),
                };
                Some(yookassa::YooKassa::new(shop, key, ranges))
            }
            _ => None,
        };
        let secret = get("SANDBOX_WEBHOOK_SECRET").unwrap_or_else(|| SANDBOX_DEFAULT_SECRET.into());
        let sandbox = (get("PAYMENT_SANDBOX").as_deref() == Some("on"))
            .then(|| sandbox::Sandbox::new(secret));
        Ok(Config {
            routes,
            sandbox,
            stripe,
            yookassa,
        })
    }

    /// The gateway that takes payments in `currency`.
    pub fn for_currency(&self, currency: Currency) -> Result<Gateway, PayError> {
        let name = self
            .routes
            .iter()
            .find(|(c, _)| *c == currency)
            .map_or("sandbox", |(_, n)| n);
        self.named(name)
    }

    /// A gateway by its name (the notification path), when it is set up.
    pub fn named(&self, name: &str) -> Result<Gateway, PayError> {
        let missing = |what: &str| PayError::NotConfigured(format!("{name}: {what} are not set"));
        match name {
            "sandbox" => self
                .sandbox
                .clone()
                .map(Gateway::Sandbox)
                .ok_or_else(|| missing("PAYMENT_SANDBOX=on (local servers only)")),
            "stripe" => self
                .stripe
                .clone()
                .map(Gateway::Stripe)
                .ok_or_else(|| missing("STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET")),
            "yookassa" => self
                .yookassa
                .clone()
                .map(Gateway::YooKassa)
                .ok_or_else(|| missing("YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY")),
            _ => Err(PayError::NotConfigured(format!("no gateway “{name}”"))),
        }
    }

    /// The sandbox, when this is a local server (its checkout page answers only then).
    pub fn sandbox(&self) -> Option<&sandbox::Sandbox> {
        self.sandbox.as_ref()
    }
}

/// `application/x-www-form-urlencoded`, as Stripe's API reads it.
pub fn form_encode(pairs: &[(&str, String)]) -> String {
    fn enc(s: &str, out: &mut String) {
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    out.push(char::from(b));
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        enc(k, &mut out);
        out.push('=');
        enc(v, &mut out);
    }
    out
}

/// Reads `application/x-www-form-urlencoded`.
pub fn form_decode(body: &str) -> Vec<(String, String)> {
    fn dec(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = |c: u8| char::from(c).to_digit(16);
                    match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                        (Some(h), Some(l)) => {
                            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (dec(k), dec(v))
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod testing {
    //! A recording HTTP client with canned answers, and a tiny executor.
    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::{HttpClient, HttpRequest, HttpResponse, PayError};

    #[derive(Default)]
    pub struct Recorder {
        pub sent: RefCell<Vec<HttpRequest>>,
        pub answers: RefCell<Vec<HttpResponse>>,
        /// The pauses asked for, in milliseconds.
        pub paused: RefCell<Vec<u64>>,
    }

    impl Recorder {
        pub fn answering(status: u16, body: &str) -> Recorder {
            let r = Recorder::default();
            r.answers.borrow_mut().push(HttpResponse {
                status,
                body: body.into(),
            });
            r
        }
    }

    impl HttpClient for Recorder {
        async fn send(&self, req: HttpRequest) -> Result<HttpResponse, PayError> {
            self.sent.borrow_mut().push(req);
            let mut answers = self.answers.borrow_mut();
            if answers.is_empty() {
                return Err(PayError::Gateway("no answer".into()));
            }
            Ok(answers.remove(0))
        }

        async fn pause(&self, millis: u64) {
            self.paused.borrow_mut().push(millis);
        }
    }

    /// Runs a future that never waits on anything outside it (the fake client answers at once).
    pub fn run<F: Future>(f: F) -> F::Output {
        let mut f = pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(list: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            list.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn currencies_go_to_their_configured_gateway_and_the_rest_to_the_sandbox() {
        let c = Config::from_vars(vars(&[
            ("PAYMENT_GATEWAYS", "RUB=yookassa, EUR=stripe"),
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_1"),
            ("YOOKASSA_SHOP_ID", "123"),
            ("YOOKASSA_SECRET_KEY", "test_key"),
            ("PAYMENT_SANDBOX", "on"),
        ]))
        .unwrap();
        assert_eq!(c.for_currency(Currency::Rub).unwrap().name(), "yookassa");
        assert_eq!(c.for_currency(Currency::Eur).unwrap().name(), "stripe");
        assert_eq!(c.for_currency(Currency::Usd).unwrap().name(), "sandbox");
    }

    #[test]
    fn a_chosen_gateway_without_its_secrets_is_not_configured() {
        let c = Config::from_vars(vars(&[("PAYMENT_GATEWAYS", "EUR=stripe")])).unwrap();
        assert!(matches!(
            c.for_currency(Currency::Eur),
            Err(PayError::NotConfigured(_))
        ));
        // A deployment has no sandbox: an unrouted currency cannot be paid for at all.
        assert!(matches!(
            c.for_currency(Currency::Rub),
            Err(PayError::NotConfigured(_))
        ));
        assert!(matches!(
            c.named("sandbox"),
            Err(PayError::NotConfigured(_))
        ));
        assert!(matches!(
            Config::from_vars(vars(&[("PAYMENT_GATEWAYS", "EUR=paypal")])),
            Err(PayError::NotConfigured(_))
        ));
        assert!(matches!(
            Config::from_vars(vars(&[("PAYMENT_GATEWAYS", "GBP=stripe")])),
            Err(PayError::NotConfigured(_))
        ));
    }

    #[test]
    fn forms_round_trip() {
        let body = form_encode(&[
            (
                "line_items[0][price_data][product_data][name]",
                "10 баллов & more".into(),
            ),
            ("success_url", "https://x.test/purchases/1?a=b".into()),
        ]);
        assert_eq!(
            body,
            "line_items%5B0%5D%5Bprice_data%5D%5Bproduct_data%5D%5Bname%5D=10+%D0%B1%D0%B0%D0%BB%D0%BB%D0%BE%D0%B2+%26+more&success_url=https%3A%2F%2Fx.test%2Fpurchases%2F1%3Fa%3Db"
        );
        let back = form_decode(&body);
        assert_eq!(back[0].1, "10 баллов & more");
        assert_eq!(back[1].1, "https://x.test/purchases/1?a=b");
        assert_eq!(
            form_decode("action=pay")[0],
            ("action".into(), "pay".into())
        );
        assert_eq!(form_decode("a=%zz%4")[0].1, "%zz%4");
    }
}
