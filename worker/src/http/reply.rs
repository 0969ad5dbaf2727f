//! Writing answers: JSON, an answer kept for an idempotent replay, CSV downloads and the
//! OpenAPI document.

use pointdesk_api::WirePoints;
use pointdesk_domain::time::{Timestamp, SECONDS_PER_DAY};
use worker::Response;

use crate::error::AppResult;

/// A JSON answer that no cache keeps.
pub fn json<T: serde::Serialize>(value: &T) -> AppResult<Response> {
    let mut resp = Response::from_json(value)?;
    resp.headers_mut().set("cache-control", "no-store")?;
    Ok(resp)
}

/// A stored answer (status, JSON body), as first given or replayed.
pub fn respond((status, body): (u16, String)) -> AppResult<Response> {
    let mut resp = Response::ok(body)?.with_status(status);
    resp.headers_mut()
        .set("content-type", "application/json; charset=utf-8")?;
    resp.headers_mut().set("cache-control", "no-store")?;
    Ok(resp)
}

/// The document generated from the API's one declaration (`openapi/openapi.json`).
pub fn openapi() -> AppResult<Response> {
    let mut resp = Response::ok(include_str!("../../../openapi/openapi.json"))?;
    resp.headers_mut()
        .set("content-type", "application/json; charset=utf-8")?;
    resp.headers_mut().set("cache-control", "no-cache")?;
    Ok(resp)
}

/// Stored hundredths on the wire.
pub fn wire_points(hundredths: i64) -> WirePoints {
    WirePoints::from_hundredths(hundredths)
}

/// An instant as ISO 8601 in UTC (`2026-12-03T10:42:00Z`).
pub fn iso(at: i64) -> String {
    let d = Timestamp::from_unix(at).date(0);
    let s = at.rem_euclid(SECONDS_PER_DAY);
    format!("{d}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}
