//! The typed API client: one function per endpoint; a non-2xx answer becomes a typed
//! [`ApiError`] carrying the server's problem+json. No `.unwrap()` on the network.

use gloo_net::http::{Request, Response};
use pointdesk_api::ledger::{ChargeExplanationDto, ChargePreviewRequest};
use pointdesk_api::{Health, Problem};
use serde::de::DeserializeOwned;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an RFC 9457 problem.
    #[error("{}", .0.detail.clone().unwrap_or_else(|| .0.title.clone()))]
    Problem(Problem),
    /// The request did not reach the server or the answer was cut off.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered something this client does not understand.
    #[error("unexpected answer (HTTP {0})")]
    Unexpected(u16),
}

async fn decode<T: DeserializeOwned>(resp: Response, also_ok: &[u16]) -> Result<T, ApiError> {
    let status = resp.status();
    if resp.ok() || also_ok.contains(&status) {
        return resp
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected(status));
    }
    match resp.json::<Problem>().await {
        Ok(p) => Err(ApiError::Problem(p)),
        Err(_) => Err(ApiError::Unexpected(status)),
    }
}

fn network(e: gloo_net::Error) -> ApiError {
    ApiError::Network(e.to_string())
}

/// `GET /api/v1/health`. A degraded service answers 503 with the same body.
pub async fn health() -> Result<Health, ApiError> {
    let resp = Request::get("/api/v1/health")
        .send()
        .await
        .map_err(network)?;
    decode(resp, &[503]).await
}

/// `POST /api/v1/charge-preview`.
pub async fn charge_preview(req: &ChargePreviewRequest) -> Result<ChargeExplanationDto, ApiError> {
    let resp = Request::post("/api/v1/charge-preview")
        .json(req)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    decode(resp, &[]).await
}
