//! Identifiers as newtypes, so an organisation id can never be passed where a ticket id is meant.

use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A support provider (the tenant that owns clients, engineers and plans).
    ProviderId
);
id!(
    /// A client organisation of a provider.
    OrgId
);
id!(
    /// A person: client user or admin, engineer, manager.
    UserId
);
id!(
    /// A ticket (incident or service request).
    TicketId
);
id!(
    /// A quote on a service request; a revision is a new quote.
    QuoteId
);
id!(
    /// A top-up payment (a checkout session at the payment provider).
    PaymentId
);
id!(
    /// A plan (tariff).
    PlanId
);
id!(
    /// A manual adjustment or other one-off business event a manager starts.
    AdjustmentId
);
id!(
    /// A dispute of an incident charge.
    DisputeId
);
id!(
    /// A credit block, numbered per organisation in the order blocks arrive.
    BlockId
);

/// The key that makes a ledger write happen at most once. It is derived from the business
/// event that causes the write (never random), so a retried command derives the same key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn grant(org: OrgId, period: crate::time::Period) -> Self {
        Self(format!("grant:{org}:{period}"))
    }
    pub fn expiry(org: OrgId, period: crate::time::Period) -> Self {
        Self(format!("expiry:{org}:{period}"))
    }
    pub fn purchase(payment: PaymentId) -> Self {
        Self(format!("purchase:{payment}"))
    }
    /// A gateway's refund of a purchase, by the payment's refunded total so far (a replay, or
    /// another event that reports the same total, is the same decision).
    pub fn purchase_refund(payment: PaymentId, refunded_minor: i64) -> Self {
        Self(format!("purchase_refund:{payment}:{refunded_minor}"))
    }
    pub fn incident_charge(ticket: TicketId) -> Self {
        Self(format!("charge:ticket:{ticket}"))
    }
    pub fn quote_hold(quote: QuoteId) -> Self {
        Self(format!("hold:quote:{quote}"))
    }
    pub fn quote_release(quote: QuoteId) -> Self {
        Self(format!("release:quote:{quote}"))
    }
    pub fn quote_charge(quote: QuoteId) -> Self {
        Self(format!("charge:quote:{quote}"))
    }
    pub fn dispute_refund(dispute: DisputeId) -> Self {
        Self(format!("refund:dispute:{dispute}"))
    }
    pub fn adjustment(adjustment: AdjustmentId) -> Self {
        Self(format!("adjustment:{adjustment}"))
    }
    /// The key of one entry among several that a decision writes (`grant:7:2026-12/repay`).
    pub fn part(&self, suffix: &str) -> Self {
        Self(format!("{}/{suffix}", self.0))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Period;

    #[test]
    fn keys_name_their_business_event() {
        let p = Period::new(2026, 11).unwrap();
        assert_eq!(
            IdempotencyKey::grant(OrgId::new(7), p).as_str(),
            "grant:7:2026-11"
        );
        assert_eq!(
            IdempotencyKey::purchase(PaymentId::new(3)).as_str(),
            "purchase:3"
        );
        assert_ne!(
            IdempotencyKey::incident_charge(TicketId::new(1)),
            IdempotencyKey::quote_charge(QuoteId::new(1)),
            "a ticket and a quote with the same number are different events"
        );
    }
}
