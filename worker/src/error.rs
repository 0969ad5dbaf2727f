//! The worker's one error type and its one mapping to HTTP: RFC 9457 problem+json.

use pointdesk_api::problem::PROBLEM_CONTENT_TYPE;
use pointdesk_api::Problem;
use pointdesk_domain::DomainError;
use worker::{Headers, Response};

#[derive(Debug)]
pub enum AppError {
    NotFound,
    MethodNotAllowed {
        allowed: &'static str,
    },
    UnsupportedMediaType,
    PayloadTooLarge {
        limit: usize,
    },
    BadJson(String),
    Domain(DomainError),
    /// A binding or the runtime failed; the detail is logged, not shown.
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Domain(e)
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
        let (kind, status, title, detail): (&str, u16, &str, Option<String>) = match self {
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
            AppError::BadJson(why) => (
                "malformed-json",
                400,
                "Malformed JSON body",
                Some(why.clone()),
            ),
            AppError::Domain(e) => {
                let (kind, status, title) = match e {
                    DomainError::Amount => ("amount-out-of-range", 422, "Amount out of range"),
                    DomainError::Invalid(_) => ("invalid", 422, "Invalid request"),
                    DomainError::InsufficientPoints { .. } => {
                        ("insufficient-points", 409, "Not enough points")
                    }
                    DomainError::IllegalTransition { .. } => {
                        ("illegal-transition", 409, "Not possible in this state")
                    }
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
            AppError::Internal(_) => (
                "internal",
                500,
                "Internal error",
                Some("Something failed on our side; nothing was changed. Try again.".into()),
            ),
        };
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.into(),
            status,
            detail,
            instance: None,
        }
    }

    pub fn into_response(self, instance: &str) -> worker::Result<Response> {
        if let AppError::Internal(detail) = &self {
            worker::console_error!("internal error at {instance}: {detail}");
        }
        let mut problem = self.problem();
        problem.instance = Some(instance.to_owned());
        let headers = Headers::new();
        headers.set("content-type", PROBLEM_CONTENT_TYPE)?;
        headers.set("cache-control", "no-store")?;
        if let AppError::MethodNotAllowed { allowed } = self {
            headers.set("allow", allowed)?;
        }
        let body =
            serde_json::to_string(&problem).map_err(|e| worker::Error::RustError(e.to_string()))?;
        Ok(Response::ok(body)?
            .with_status(problem.status)
            .with_headers(headers))
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
                AppError::MethodNotAllowed { allowed: "GET" },
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
                AppError::BadJson("x".into()),
                400,
                "/problems/malformed-json",
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
