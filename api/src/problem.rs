use serde::{Deserialize, Serialize};

/// An RFC 9457 problem details object (`application/problem+json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A stable URI reference naming the kind of problem, e.g. `/problems/not-found`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// For `/problems/validation` and `/problems/malformed-json`: which fields, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `/problems/too-many-attempts`: seconds until the next attempt is allowed (also in
    /// the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(kind: &str, title: &str, status: u16, detail: Option<String>) -> Problem {
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.into(),
            status,
            detail,
            instance: None,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// The error for one field, if the problem names it.
    pub fn field(&self, name: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == name)
    }
}

/// One field's error: the field's name as sent (`email`, `options[1].code`) and a stable code
/// the app translates (`required`, `too_short`, `too_long`, `malformed`, `taken`,
/// `wrong_type`, `unknown_field`, `out_of_range`, ...). `limit` is the bound a length code
/// refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            code: code.into(),
            limit: None,
        }
    }
}

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
