//! The API's routing table and the request helpers every handler shares.
//! Handlers are thin: DTO in → domain decision → one D1 batch → DTO out.

mod charging;
mod health;

use serde::de::DeserializeOwned;
use worker::{Env, Method, Request, Response};

use crate::error::{AppError, AppResult};

/// The largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub async fn dispatch(mut req: Request, env: &Env) -> AppResult<Response> {
    let path = req.path();
    let method = req.method();
    let Some(rest) = path.strip_prefix(pointdesk_api::API_PREFIX) else {
        return Err(AppError::NotFound);
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["health"] => match method {
            Method::Get => health::get(env).await,
            _ => Err(AppError::MethodNotAllowed { allowed: "GET" }),
        },
        ["ping"] => match method {
            Method::Get => Ok(Response::empty()?.with_status(204)),
            _ => Err(AppError::MethodNotAllowed { allowed: "GET" }),
        },
        ["charge-preview"] => match method {
            Method::Post => charging::preview(read_json(&mut req).await?),
            _ => Err(AppError::MethodNotAllowed { allowed: "POST" }),
        },
        _ => Err(AppError::NotFound),
    }
}

/// Reads a JSON body: the media type must be JSON, the body at most [`MAX_BODY_BYTES`], and the
/// JSON must match the DTO; each failure says what was wrong.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> AppResult<T> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    if !content_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    {
        return Err(AppError::UnsupportedMediaType);
    }
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(AppError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    let body = req.bytes().await?;
    if body.len() > MAX_BODY_BYTES {
        return Err(AppError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    serde_json::from_slice(&body).map_err(|e| AppError::BadJson(json_error_detail(&e)))
}

fn json_error_detail(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax => "The body is not valid JSON",
        Category::Eof => "The body ends before the JSON does",
        Category::Data => "The JSON does not have the expected shape",
        Category::Io => "The body could not be read",
    };
    format!("{what}: {e}.")
}

pub fn json<T: serde::Serialize>(value: &T) -> AppResult<Response> {
    let mut resp = Response::from_json(value)?;
    resp.headers_mut().set("cache-control", "no-store")?;
    Ok(resp)
}
