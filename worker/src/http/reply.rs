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

/// One CSV field: quoted when it must be, and text that a spreadsheet would run as a formula
/// starts with an apostrophe.
fn csv_field(out: &mut String, v: &str, text: bool) {
    let guarded;
    let v = if text && v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{v}");
        guarded.as_str()
    } else {
        v
    };
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

pub fn csv_row(out: &mut String, fields: &[(&str, bool)]) {
    for (i, (v, text)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, v, *text);
    }
    out.push_str("\r\n");
}

/// A CSV answer: UTF-8 with a byte-order mark (so Excel reads Cyrillic), as a download.
pub fn csv_response(body: String, name: &str) -> AppResult<Response> {
    let mut resp = Response::ok(format!("\u{feff}{body}"))?;
    let h = resp.headers_mut();
    h.set("content-type", "text/csv; charset=utf-8")?;
    h.set(
        "content-disposition",
        &format!("attachment; filename=\"{name}\""),
    )?;
    h.set("cache-control", "no-store")?;
    Ok(resp)
}
