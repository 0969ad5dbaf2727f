//! The domain's one error type. The worker maps it to problem+json in one place.

use crate::points::{Points, PointsError};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("an amount left the ±2^53 hundredths range")]
    Amount,
    #[error("{0}")]
    Invalid(&'static str),
    #[error("not enough points: {needed} needed, {available} available")]
    InsufficientPoints { needed: Points, available: Points },
    #[error("cannot {action} a {entity} that is {state}")]
    IllegalTransition {
        entity: &'static str,
        action: &'static str,
        state: &'static str,
    },
    /// A field of the request refused by a rule (not by its shape): the worker reports it as a
    /// field error with this stable code.
    #[error("{field}: {code}")]
    Field {
        field: &'static str,
        code: &'static str,
    },
    /// The ticket may not change this way now, for a reason the client and engineer read:
    /// `points_held`, `charged`, `disputed`, `classified`, `finished`, `work_logged`.
    #[error("the ticket is locked: {0}")]
    Locked(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("the dispute window closed on day {closed_on_day} after the charge")]
    DisputeWindowClosed { closed_on_day: u32 },
    #[error("the quote expired")]
    QuoteExpired,
    /// The decision was computed from an older state of the account than the one it would be
    /// applied to: load, decide and write again.
    #[error("decided on version {decided_on} of the account, which is now at {current}")]
    Stale { decided_on: u64, current: u64 },
    /// The idempotency key was used before for a different request.
    #[error("the idempotency key {key} was already used for a different request")]
    IdempotencyConflict { key: String },
}

impl From<PointsError> for DomainError {
    fn from(_: PointsError) -> Self {
        DomainError::Amount
    }
}
