//! Reading a request body: the media type must be JSON, the body at most
//! [`MAX_BODY_BYTES`], and the JSON must match the DTO; each failure says what was wrong and,
//! when a field is to blame, names it.

use pointdesk_api::problem::FieldError;
use serde::de::DeserializeOwned;
use worker::Request;

use super::call::Call;
use crate::error::{AppError, AppResult};

/// The largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Reads a JSON body: the media type must be JSON, the body at most [`MAX_BODY_BYTES`], and the
/// JSON must match the DTO; each failure says what was wrong and, when a field is to blame,
/// names it.
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
    parse_json(&body)
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> AppResult<T> {
    // Every request body is an object: serde would read a struct from an array by position
    // (`["incident","x"]` would open a ticket).
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{')
        && serde_json::from_slice::<serde_json::Value>(body).is_ok()
    {
        return Err(AppError::BadJson {
            detail: "The body must be a JSON object.".into(),
            field: None,
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = blame(&path, &inner);
        AppError::BadJson {
            detail: json_error_detail(&inner),
            field,
        }
    })
}

/// The field a JSON error is about, with a stable code, when there is one.
fn blame(path: &str, e: &serde_json::Error) -> Option<FieldError> {
    use serde_json::error::Category;
    if e.classify() != Category::Data {
        return None;
    }
    let msg = e.to_string();
    let quoted = |prefix: &str| {
        msg.strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let join = |name: String| {
        if path == "." || path.is_empty() {
            name
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = quoted("unknown field `") {
        // The path already ends at the unknown field.
        let field = if path.ends_with(&name) {
            path.to_owned()
        } else {
            join(name)
        };
        return Some(FieldError::new(field, "unknown_field"));
    }
    if let Some(name) = quoted("missing field `") {
        return Some(FieldError::new(join(name), "required"));
    }
    let code = if msg.starts_with("invalid type") {
        "wrong_type"
    } else {
        "malformed"
    };
    (path != ".").then(|| FieldError::new(path, code))
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

/// The DTO and the bytes it was read from, normalised (the fingerprint of an idempotent
/// request is taken over them).
pub async fn body_of<T: DeserializeOwned>(call: &mut Call<'_>) -> AppResult<(T, Vec<u8>)> {
    let value: serde_json::Value = read_json(&mut call.req).await?;
    let bytes = serde_json::to_vec(&value).map_err(|e| AppError::Internal(e.to_string()))?;
    let parsed = parse_json(&bytes)?;
    Ok((parsed, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pointdesk_api::accounts::SignInRequest;

    fn field_of(body: &str) -> Option<(String, String)> {
        match parse_json::<SignInRequest>(body.as_bytes()) {
            Err(AppError::BadJson { field, .. }) => field.map(|f| (f.field, f.code)),
            _ => None,
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(
            field_of(r#"{"email": 5, "password": "x"}"#),
            pair("email", "wrong_type")
        );
        assert_eq!(
            field_of(r#"{"email": "a@b.c", "password": "x", "admin": true}"#),
            pair("admin", "unknown_field")
        );
        assert_eq!(
            field_of(r#"{"email": "a@b.c"}"#),
            pair("password", "required")
        );
        assert_eq!(field_of(r#"{"email": "#), None);
    }
}
