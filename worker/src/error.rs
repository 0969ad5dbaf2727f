//! The worker's one error type and its one mapping to HTTP: RFC 9457 problem+json.

use pointdesk_api::problem::{FieldError, PROBLEM_CONTENT_TYPE};
use pointdesk_api::Problem;
use pointdesk_domain::DomainError;
use worker::{Headers, Response};

#[derive(Debug)]
pub enum AppError {
    NotFound,
    MethodNotAllowed {
        allowed: String,
    },
    UnsupportedMediaType,
    PayloadTooLarge {
        limit: usize,
    },
    /// The body is not the JSON the operation takes; names the field when one is to blame.
    BadJson {
        detail: String,
        field: Option<FieldError>,
    },
    /// Fields that parsed as JSON but were refused, each with its stable code.
    Fields(Vec<FieldError>),
    /// No valid session (none, expired, ended, tampered).
    Unauthenticated,
    /// A session taken on trust ended or changed before this request's first read; the router
    /// answers the request again after reading the session first (never shown: a 401 if it were).
    SessionChanged,
    /// Signed in, but the policy says no (within the person's own tenant).
    Forbidden,
    /// A state-changing request that does not prove it comes from the app's origin.
    CrossSite,
    /// Wrong email or password (never says which).
    InvalidCredentials,
    /// The right password, but the person's organisation is deactivated (403).
    OrganizationInactive,
    TooManyAttempts {
        retry_after: u64,
    },
    /// An emailed link that is unknown, used or expired.
    LinkInvalid,
    Domain(DomainError),
    /// A payment gateway's part failed: an unverifiable notification (400, logged), an
    /// unreachable or refusing gateway (502), a gateway that is not set up (503).
    Payment(crate::pay::PayError),
    /// A batch lost to another request's write (`decide_and_write` decides again; one that
    /// escapes is a 500 like any internal failure, logged).
    Conflict(Conflict),
    /// A binding or the runtime failed; the detail is logged, not shown.
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// A problem's stable type, status, title and detail.
type Parts = (&'static str, u16, &'static str, Option<String>);

/// A batch the schema refused because of what another request wrote first: the state moved
/// (a version trigger), the request's idempotency key was claimed by its twin, or a business
/// key (`UNIQUE`: a ledger event, a ticket number, a name) is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    Stale,
    KeyTaken,
    Taken,
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        match e {
            // A rule that refuses one field reads like any other field error.
            DomainError::Field { field, code } => {
                AppError::Fields(vec![FieldError::new(field, code)])
            }
            e => AppError::Domain(e),
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(e: Vec<FieldError>) -> Self {
        AppError::Fields(e)
    }
}

impl From<crate::pay::PayError> for AppError {
    fn from(e: crate::pay::PayError) -> Self {
        AppError::Payment(e)
    }
}

impl From<worker::Error> for AppError {
    fn from(e: worker::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl AppError {
    /// The stable `type`, the status and the human title and detail.
    pub fn problem(&self) -> Problem {
        let (kind, status, title, detail): Parts = match self {
            AppError::NotFound => (
                "not-found",
                404,
                "Not found",
                Some("There is no API resource at this path.".into()),
            ),
            AppError::MethodNotAllowed { allowed } => (
                "method-not-allowed",
                405,
                "Method not allowed",
                Some(format!("This resource accepts: {allowed}.")),
            ),
            AppError::UnsupportedMediaType => (
                "unsupported-media-type",
                415,
                "Unsupported media type",
                Some("Send the body as application/json.".into()),
            ),
            AppError::PayloadTooLarge { limit } => (
                "payload-too-large",
                413,
                "Request body too large",
                Some(format!("The body may be at most {limit} bytes.")),
            ),
            AppError::BadJson { detail, .. } => (
                "malformed-json",
                400,
                "Malformed JSON body",
                Some(detail.clone()),
            ),
            AppError::Fields(_) => (
                "validation",
                422,
                "Some fields need attention",
                Some("See `errors`: each names a field and why it was refused.".into()),
            ),
            AppError::Domain(e) => domain_problem(e),
            AppError::Payment(e) => payment_problem(e),
            AppError::Internal(_) | AppError::Conflict(_) => internal(),
            access => access_problem(access),
        };
        let mut problem = Problem::new(kind, title, status, detail);
        match self {
            AppError::Fields(errors) => problem.errors.clone_from(errors),
            AppError::BadJson {
                field: Some(field), ..
            } => problem.errors.push(field.clone()),
            AppError::TooManyAttempts { retry_after } => {
                problem.retry_after = Some(*retry_after);
            }
            // Why, as a stable code the app translates.
            AppError::Domain(DomainError::Locked(why)) => {
                problem.errors.push(FieldError::new("ticket", *why));
            }
            _ => {}
        }
        problem
    }

    pub fn into_response(self, instance: &str) -> worker::Result<Response> {
        match &self {
            AppError::Internal(detail) => {
                worker::console_error!("internal error at {instance}: {detail}");
            }
            AppError::Conflict(c) => {
                worker::console_error!("internal error at {instance}: still conflicting: {c:?}");
            }
            AppError::Payment(e) => worker::console_error!("payment at {instance}: {e:?}"),
            _ => {}
        }
        let mut problem = self.problem();
        problem.instance = Some(instance.to_owned());
        let headers = Headers::new();
        headers.set("content-type", PROBLEM_CONTENT_TYPE)?;
        headers.set("cache-control", "no-store")?;
        match &self {
            AppError::MethodNotAllowed { allowed } => headers.set("allow", allowed)?,
            AppError::TooManyAttempts { retry_after } => {
                headers.set("retry-after", &retry_after.to_string())?;
            }
            AppError::Unauthenticated | AppError::SessionChanged => {
                headers.set("www-authenticate", "Cookie")?
            }
            _ => {}
        }
        let body =
            serde_json::to_string(&problem).map_err(|e| worker::Error::RustError(e.to_string()))?;
        Ok(Response::ok(body)?
            .with_status(problem.status)
            .with_headers(headers))
    }
}

/// The answer to a request whose caller may not go on: not signed in, not allowed, refused.
fn access_problem(e: &AppError) -> Parts {
    match e {
        AppError::Unauthenticated | AppError::SessionChanged => (
            "unauthenticated",
            401,
            "Sign in first",
            Some("There is no valid session: sign in again.".into()),
        ),
        AppError::Forbidden => (
            "forbidden",
            403,
            "Not allowed",
            Some("Your role may not do this.".into()),
        ),
        AppError::CrossSite => (
            "cross-site",
            403,
            "Cross-site request refused",
            Some("Changes must come from Pointdesk's own pages.".into()),
        ),
        AppError::InvalidCredentials => (
            "invalid-credentials",
            401,
            "Wrong email or password",
            Some("The email or the password is wrong.".into()),
        ),
        AppError::OrganizationInactive => (
            "organization-inactive",
            403,
            "Your organisation's access is paused",
            Some(
                "Your provider has deactivated your organisation in Pointdesk: ask them to \
                 restore it."
                    .into(),
            ),
        ),
        AppError::TooManyAttempts { retry_after } => (
            "too-many-attempts",
            429,
            "Too many attempts",
            Some(format!(
                "Too many failed sign-ins: try again in {retry_after} s."
            )),
        ),
        AppError::LinkInvalid => (
            "link-invalid",
            410,
            "This link no longer works",
            Some("The link was already used, has expired or is unknown: ask for a new one.".into()),
        ),
        _ => internal(),
    }
}

fn internal() -> Parts {
    (
        "internal",
        500,
        "Internal error",
        Some("Something failed on our side; nothing was changed. Try again.".into()),
    )
}

/// A domain refusal's type, status, title and detail.
fn domain_problem(e: &DomainError) -> Parts {
    let (kind, status, title) = match e {
        DomainError::Amount => ("amount-out-of-range", 422, "Amount out of range"),
        DomainError::Invalid(_) => ("invalid", 422, "Invalid request"),
        DomainError::InsufficientPoints { .. } => ("insufficient-points", 409, "Not enough points"),
        DomainError::IllegalTransition { .. } => {
            ("illegal-transition", 409, "Not possible in this state")
        }
        DomainError::Field { .. } => ("invalid", 422, "Invalid request"),
        DomainError::Locked(_) => (
            "ticket-locked",
            409,
            "The ticket cannot change this way now",
        ),
        DomainError::NotFound(_) => ("not-found", 404, "Not found"),
        DomainError::DisputeWindowClosed { .. } => {
            ("dispute-window-closed", 409, "Dispute window closed")
        }
        DomainError::QuoteExpired => ("quote-expired", 409, "Quote expired"),
        // Only after the bounded load → decide → write retries all met a newer state.
        DomainError::Stale { .. } => (
            "concurrent-change",
            409,
            "Changed by someone else meanwhile",
        ),
        DomainError::IdempotencyConflict { .. } => (
            "idempotency-key-reused",
            422,
            "Idempotency key used for a different request",
        ),
    };
    (kind, status, title, Some(e.to_string()))
}

/// A payment failure's type, status, title and detail.
fn payment_problem(e: &crate::pay::PayError) -> Parts {
    use crate::pay::PayError;
    match e {
        PayError::Unverified(why) => (
            "unverified-notification",
            400,
            "Notification not verified",
            Some(format!("This notification could not be verified: {why}.")),
        ),
        PayError::Gateway(_) => (
            "payment-gateway",
            502,
            "The payment provider did not answer as expected",
            Some("Nothing was charged. Try again in a few minutes.".into()),
        ),
        PayError::UnknownGateway(name) => (
            "unknown-gateway",
            404,
            "No such payment gateway here",
            Some(format!(
                "This deployment does not take payments through “{name}”."
            )),
        ),
        PayError::NotYet(why) => (
            "payment-pending",
            409,
            "The payment is not final yet",
            Some(format!("{why}: deliver this notification again later.")),
        ),
        PayError::NotConfigured(_) => (
            "payment-not-configured",
            503,
            "Payments are not set up",
            Some("This payment method is not set up yet: tell your provider.".into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_error_is_4xx_with_a_stable_type() {
        let cases = [
            (AppError::NotFound, 404, "/problems/not-found"),
            (
                AppError::MethodNotAllowed {
                    allowed: "GET".into(),
                },
                405,
                "/problems/method-not-allowed",
            ),
            (
                AppError::UnsupportedMediaType,
                415,
                "/problems/unsupported-media-type",
            ),
            (
                AppError::PayloadTooLarge { limit: 10 },
                413,
                "/problems/payload-too-large",
            ),
            (
                AppError::BadJson {
                    detail: "x".into(),
                    field: None,
                },
                400,
                "/problems/malformed-json",
            ),
            (
                AppError::Fields(vec![FieldError::new("email", "taken")]),
                422,
                "/problems/validation",
            ),
            (AppError::Unauthenticated, 401, "/problems/unauthenticated"),
            (AppError::CrossSite, 403, "/problems/cross-site"),
            (
                AppError::TooManyAttempts { retry_after: 4 },
                429,
                "/problems/too-many-attempts",
            ),
            (
                AppError::Domain(DomainError::QuoteExpired),
                409,
                "/problems/quote-expired",
            ),
            (
                AppError::Domain(DomainError::Invalid("no")),
                422,
                "/problems/invalid",
            ),
        ];
        for (err, status, kind) in cases {
            let p = err.problem();
            assert_eq!((p.status, p.kind.as_str()), (status, kind));
            assert!(p.detail.is_some());
        }
    }
}
