//! Every answer the API suites receive is checked against the OpenAPI document the server
//! serves (the committed `openapi/openapi.json`, which the worker embeds): the operation is found
//! by method and path template, and a JSON body must match the schema its status declares — the
//! operation's own for its success status, `Problem` for `application/problem+json`. A mismatch
//! fails the test that made the request.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};

use crate::api;

const DOCUMENT: &str = include_str!("../../openapi/openapi.json");

struct Operation {
    method: String,
    /// Path segments after `/api/v1`; `None` for a `{parameter}`.
    segments: Vec<Option<String>>,
    id: String,
    /// The success status and its JSON schema's name, when it has one.
    success: Option<(u16, String)>,
}

struct Contract {
    operations: Vec<Operation>,
    /// `components.schemas`, with references rewritten to `#/$defs/…`.
    defs: Value,
    compiled: Mutex<HashMap<String, &'static jsonschema::Validator>>,
}

fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let text = DOCUMENT.replace("#/components/schemas/", "#/$defs/");
        let doc: Value = serde_json::from_str(&text).expect("the OpenAPI document is JSON");
        let mut operations = Vec::new();
        for (template, item) in doc["paths"].as_object().expect("paths") {
            let rest = template
                .strip_prefix(api::API_PREFIX)
                .expect("paths start with the API prefix");
            let segments = rest
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                .collect::<Vec<_>>();
            for (method, op) in item.as_object().expect("an item") {
                let success = op["responses"]
                    .as_object()
                    .expect("responses")
                    .iter()
                    .find(|(status, _)| status.as_str() != "default")
                    .and_then(|(status, r)| {
                        let name = r["content"]["application/json"]["schema"]["$ref"]
                            .as_str()?
                            .strip_prefix("#/$defs/")?
                            .to_owned();
                        Some((status.parse().ok()?, name))
                    });
                operations.push(Operation {
                    method: method.to_ascii_uppercase(),
                    segments: segments.clone(),
                    id: op["operationId"].as_str().expect("an id").to_owned(),
                    success,
                });
            }
        }
        Contract {
            operations,
            defs: doc["components"]["schemas"].clone(),
            compiled: Mutex::new(HashMap::new()),
        }
    })
}

fn validator(name: &str) -> &'static jsonschema::Validator {
    let c = contract();
    let mut compiled = c
        .compiled
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    compiled.entry(name.to_owned()).or_insert_with(|| {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/$defs/{name}"),
            "$defs": c.defs,
        });
        let v = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("the document's schema {name} does not compile: {e}"));
        Box::leak(Box::new(v))
    })
}

/// The operation a request went to, if the document has one for its method and path.
fn operation(method: &str, path: &str) -> Option<&'static Operation> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let rest = path.strip_prefix(api::API_PREFIX)?;
    let parts: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    // The template with the most literal segments wins (`/me/password` before `/me/{x}`).
    contract()
        .operations
        .iter()
        .filter(|op| {
            op.method.eq_ignore_ascii_case(method)
                && op.segments.len() == parts.len()
                && op
                    .segments
                    .iter()
                    .zip(&parts)
                    .all(|(want, got)| want.as_deref().is_none_or(|w| w == *got))
        })
        .max_by_key(|op| op.segments.iter().filter(|s| s.is_some()).count())
}

/// Checks one answer; panics with what does not match. Answers that are not JSON (CSV, HTML,
/// redirects, empty bodies) and paths the document does not have are not checked here.
pub fn check(method: &str, path: &str, status: u16, content_type: &str, body: &str) {
    let Some(op) = operation(method, path) else {
        return;
    };
    let schema = if content_type == api::problem::PROBLEM_CONTENT_TYPE {
        "Problem".to_owned()
    } else {
        match &op.success {
            Some((success, name)) if *success == status && content_type == "application/json" => {
                name.clone()
            }
            _ => return,
        }
    };
    let Ok(instance) = serde_json::from_str::<Value>(body) else {
        panic!(
            "{} {method} {path} answered {status} {content_type} that is not JSON: {body}",
            op.id
        );
    };
    let errors: Vec<String> = validator(&schema)
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} {method} {path} answered {status} against the document's {schema}:\n  {}\nbody: {body}",
        op.id,
        errors.join("\n  ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_compiles_and_a_plan_row_passes_its_own_schema() {
        let plan_row = json!({
            "id": 3, "organizations": 2, "name": "Basic", "base": "10.00", "per_seat": "0.50",
            "options": [], "increment_minutes": 15, "minimum_charge": "0.25",
            "rollover": "none", "overdraft": "never"
        });
        assert!(
            validator("PlanRowDto").is_valid(&plan_row),
            "a plan row is valid"
        );
        let mut extra = plan_row.clone();
        extra["surprise"] = json!(1);
        assert!(!validator("PlanRowDto").is_valid(&extra));
        let mut word = plan_row;
        word["overdraft"] = json!("sometimes");
        assert!(
            !validator("PlanRowDto").is_valid(&word),
            "enums are declared"
        );
    }

    #[test]
    fn requests_find_their_operation() {
        assert_eq!(
            operation("GET", "/api/v1/tickets/12?x=1").map(|o| o.id.as_str()),
            Some("getTicket")
        );
        assert_eq!(
            operation("GET", "/api/v1/organizations/4/statements/2026-11").map(|o| o.id.as_str()),
            Some("getStatement")
        );
        assert!(operation("GET", "/api/v1/nope").is_none());
        assert!(operation("GET", "/sign-in").is_none());
    }
}
