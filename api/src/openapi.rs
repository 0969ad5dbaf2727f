//! The OpenAPI 3.1 document, generated natively from [`crate::routes`] and the wire types'
//! schemas (utoipa derives, behind the `openapi` feature so that neither wasm bundle carries
//! them). `openapi/openapi.json` at the repository root is the committed output: the worker
//! serves it, and `committed_document_is_current` fails when it is out of date
//! (`cargo xtask openapi` rewrites it).

use serde_json::{json, Map, Value};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;

use crate::routes::{Access, OPERATIONS};
use crate::schema::{schema_of, SchemaRef};

/// The session cookie's name, shared with the worker.
pub const SESSION_COOKIE: &str = crate::SESSION_COOKIE;

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The whole document as pretty JSON with a final newline.
pub fn document_json() -> String {
    let mut s = serde_json::to_string_pretty(&document()).unwrap_or_default();
    s.push('\n');
    s
}

pub fn document() -> Value {
    let described = crate::routes::schemas();
    let mut components = Map::new();
    let mut add = |all: &[(String, RefOr<Schema>)]| {
        for (name, schema) in all {
            components.insert(
                name.clone(),
                serde_json::to_value(schema).unwrap_or(Value::Null),
            );
        }
    };
    add(&schema_of::<crate::Problem>().all);

    let mut paths = Map::new();
    for op in OPERATIONS {
        let Some(schemas) = described.iter().find(|d| d.id == op.id) else {
            continue;
        };
        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(op.id));
        operation.insert("summary".into(), json!(op.summary));
        operation.insert("tags".into(), json!([op.tag]));
        let params = parameters(op);
        if !params.is_empty() {
            operation.insert("parameters".into(), Value::Array(params));
        }
        if let Some(body) = request_body(op, schemas.request.as_ref(), &mut add) {
            operation.insert("requestBody".into(), body);
        }
        let success = success(op, schemas.response.as_ref(), &mut add);
        operation.insert(
            "responses".into(),
            json!({
                op.status.to_string(): success,
                "default": {
                    "description": "An RFC 9457 problem",
                    "content": { "application/problem+json": { "schema": reference("Problem") } }
                }
            }),
        );
        if op.access == Access::SignedIn {
            operation.insert("security".into(), json!([{ "session": [] }]));
        }
        if op.method.is_write() && op.access == Access::SignedIn {
            operation.insert(
                "description".into(),
                json!(if op.id == "uploadAttachment" {
                    "State-changing: the request must come from the app's own origin (Origin or Sec-Fetch-Site) with the file as its body."
                } else {
                    "State-changing: the request must come from the app's own origin (Origin or Sec-Fetch-Site) with a JSON body."
                }),
            );
        }
        let item = paths
            .entry(format!("{}{}", crate::API_PREFIX, op.path))
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(
                op.method.as_str().to_ascii_lowercase(),
                Value::Object(operation),
            );
        }
    }

    declare_enums(&mut components);
    flatten_plan_row(&mut components);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Pointdesk API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Prepaid support points: tickets, quotes, the ledger. Points travel as decimal strings (\"12.25\"), never as JSON numbers. Errors are RFC 9457 problem+json with a stable `type`; field errors name the field and a stable code."
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": SESSION_COOKIE,
                    "description": "Set by signIn: HttpOnly, Secure, SameSite=Lax, Path=/."
                }
            }
        }
    })
}

/// An operation's parameters: its path's, its query's and, when it moves money, the
/// `Idempotency-Key` header.
fn parameters(op: &crate::routes::Operation) -> Vec<Value> {
    let mut params: Vec<Value> = op
        .path
        .split('/')
        .filter_map(|p| p.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
        .map(|name| {
            let schema = if name == "period" {
                json!({ "type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$" })
            } else if name == "gateway" {
                json!({ "type": "string", "enum": crate::payments::GATEWAYS })
            } else if name == "payment" {
                json!({ "type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$" })
            } else {
                json!({ "type": "integer", "format": "int64", "minimum": 1 })
            };
            json!({ "name": name, "in": "path", "required": true, "schema": schema })
        })
        .collect();
    params.extend(crate::routes::query_params(op.id).iter().map(query_param));
    if crate::routes::MONEY_MOVING.contains(&op.id) {
        params.push(json!({
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "description": "Makes a retry safe: the same key with the same request returns the first answer and changes nothing; with another request it is a 422 (`/problems/idempotency-key-reused`).",
            "schema": { "type": "string", "minLength": 1, "maxLength": 255 }
        }));
    }
    params
}

/// The request body an operation takes, if any; the schemas it names go to `add`.
fn request_body(
    op: &crate::routes::Operation,
    request: Option<&SchemaRef>,
    add: &mut impl FnMut(&[(String, RefOr<Schema>)]),
) -> Option<Value> {
    if op.id == "decideSandboxPayment" {
        return Some(json!({
            "required": true,
            "content": { "application/x-www-form-urlencoded": { "schema": {
                "type": "object",
                "required": ["action"],
                "properties": { "action": { "type": "string", "enum": ["pay", "decline", "cancel"] } }
            } } }
        }));
    }
    if op.id == "uploadAttachment" {
        return Some(json!({
            "required": true,
            "description": "The file's bytes, streamed (not a form); the type it claims is ignored",
            "content": { "application/octet-stream": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } } }
        }));
    }
    if op.id == "receivePaymentNotification" {
        return Some(json!({
            "required": true,
            "description": "The gateway's own notification body, read as raw bytes (the signature covers them exactly)",
            "content": { "application/json": { "schema": { "type": "object" } } }
        }));
    }
    let req = request?;
    add(&req.all);
    Some(json!({
        "required": true,
        "content": { "application/json": { "schema": reference(&req.name) } }
    }))
}

/// The success answer's description and content; the schemas it names go to `add`.
fn success(
    op: &crate::routes::Operation,
    response: Option<&SchemaRef>,
    add: &mut impl FnMut(&[(String, RefOr<Schema>)]),
) -> Value {
    match response {
        Some(resp) => {
            add(&resp.all);
            let media = if op.id == "getOpenApi" {
                json!({ "application/json": { "schema": { "type": "object" } } })
            } else {
                json!({ "application/json": { "schema": reference(&resp.name) } })
            };
            json!({ "description": op.summary, "content": media })
        }
        None if op.id == "getOpenApi" => json!({
            "description": op.summary,
            "content": { "application/json": { "schema": { "type": "object" } } }
        }),
        None if op.id == "showSandboxCheckout" => json!({
            "description": op.summary,
            "content": { "text/html": { "schema": { "type": "string" } } }
        }),
        None if op.id == "getAttachment" => json!({
            "description": op.summary,
            "content": { "application/octet-stream": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } } }
        }),
        None if op.id == "exportLedgerCsv" => json!({
            "description": op.summary,
            "content": { "text/csv": { "schema": { "type": "string" } } }
        }),
        None => json!({ "description": op.summary }),
    }
}

/// A query parameter as the document states it.
fn query_param(p: &crate::routes::QueryParam) -> Value {
    use crate::routes::QueryValue;
    let schema = match p.value {
        QueryValue::Id => json!({ "type": "integer", "format": "int64", "minimum": 1 }),
        QueryValue::Int { min, max } => {
            json!({ "type": "integer", "format": "int64", "minimum": min, "maximum": max })
        }
        QueryValue::Period => {
            json!({ "type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$" })
        }
        QueryValue::TicketNumber => json!({ "type": "string", "pattern": "^#?[0-9]{1,15}$" }),
        QueryValue::Text { max } => json!({ "type": "string", "maxLength": max }),
        QueryValue::OneOf(words) => json!({ "type": "string", "enum": words }),
    };
    json!({
        "name": p.name,
        "in": "query",
        "required": false,
        "description": p.description,
        "schema": schema
    })
}

/// Where an enum-like property's words come from.
enum Words {
    Fixed(&'static [&'static str]),
    /// The domain's currencies.
    Currencies,
    /// The domain's ticket priorities.
    Priorities,
}

impl Words {
    fn list(&self) -> Vec<&'static str> {
        use pointdesk_domain::money::Currency;
        use pointdesk_domain::ticket::Priority;
        match self {
            Words::Fixed(words) => words.to_vec(),
            Words::Currencies => Currency::ALL.iter().map(|c| c.code()).collect(),
            Words::Priorities => Priority::ALL.iter().map(|p| p.as_str()).collect(),
        }
    }
}

/// The words enum-like string properties take, per schema: the wire types carry them as
/// `String`, the document says which.
#[rustfmt::skip]
const ENUM_WORDS: &[(&[&str], &str, Words)] = &[
    (&["CreateOrganizationRequest", "InviteUserRequest", "MailDto", "MeDto", "OrganizationDto", "UpdateMeRequest", "UpdateOrganizationRequest", "UserDto"], "locale", Words::Fixed(&["en", "ru"])),
    (&["InviteUserRequest", "MeDto", "UserDto"], "role", Words::Fixed(&["client_user", "client_admin", "engineer", "manager"])),
    (&["CatalogueItemDto", "CatalogueItemRequest"], "kind", Words::Fixed(&["standard", "quoted"])),
    (&["CauseRequest", "TicketDto"], "cause", Words::Fixed(&["standard", "client_caused"])),
    (&["ChargeExplanationDto"], "rule", Words::Fixed(&["exact", "rounded_up", "minimum"])),
    (&["CreateTicketRequest", "TicketDto", "TicketSummaryDto"], "kind", Words::Fixed(&["incident", "service_request"])),
    (&["CreateTicketRequest", "TicketDto", "TicketSummaryDto"], "priority", Words::Priorities),
    (&["DisputeDto", "DisputeRowDto"], "state", Words::Fixed(&["open", "upheld", "rejected"])),
    (&["LedgerEntryDto"], "kind", Words::Fixed(crate::routes::ENTRY_KINDS)),
    (&["NotificationReceiptDto"], "outcome", Words::Fixed(&["credited", "failed", "canceled", "ignored", "duplicate", "refunded"])),
    (&["PlanDto"], "overdraft", Words::Fixed(&["never", "incidents_only", "always"])),
    (&["PlanDto"], "rollover", Words::Fixed(&["none", "capped", "full"])),
    (&["PointPackDto", "PointPackRequest", "PurchaseDto", "RevenueRowDto"], "currency", Words::Currencies),
    (&["PurchaseDto"], "gateway", Words::Fixed(&["sandbox", "stripe", "yookassa", "invoice"])),
    (&["PurchaseDto"], "status", Words::Fixed(&["pending", "awaiting_transfer", "succeeded", "failed", "canceled"])),
    (&["InvoiceDto"], "status", Words::Fixed(crate::routes::INVOICE_STATUSES)),
    (&["InvoiceDto", "ActDto", "ProviderRequisitesDto"], "vat", Words::Fixed(&pointdesk_domain::requisites::Vat::CODES)),
    (&["BankPaymentDto"], "state", Words::Fixed(&["credited", "open", "refund", "ignored"])),
    (&["BankPaymentDto"], "reason", Words::Fixed(&["no_invoice_number", "unknown_invoice", "other_payer", "short", "excess", "invoice_closed"])),
    (&["AutoTopUpDto"], "method", Words::Fixed(&["card", "invoice"])),
    (&["BankResolutionRequest"], "action", Words::Fixed(&["credit", "refund", "ignore"])),
    (&["QuoteDto"], "status", Words::Fixed(&["awaiting_approval", "approved", "declined", "expired", "superseded", "charged", "released"])),
    (&["StatusRequest", "TicketDto", "TicketSummaryDto"], "status", Words::Fixed(crate::routes::TICKET_STATUSES)),
    (&["ReclassifyRequest"], "to", Words::Fixed(&["incident", "standard", "quoted"])),
    (&["TicketDto"], "class", Words::Fixed(&["incident", "standard", "quoted"])),
    (&["RecordApprovalRequest", "RecordedApprovalDto"], "channel", Words::Fixed(crate::desk::APPROVAL_CHANNELS)),
    (&["DecisionDto"], "kind", Words::Fixed(&["quote", "charge", "approval", "confirmation"])),
    (&["PlanTermsDto"], "overdraft", Words::Fixed(&["never", "incidents_only", "always"])),
    (&["PlanTermsDto"], "rollover", Words::Fixed(&["none", "capped", "full"])),
    (&["QueueCountDto"], "queue", Words::Fixed(crate::routes::TICKET_QUEUES)),
];

/// Adds `enum` to the enum-like string properties (and `null` where the property may be null).
fn declare_enums(components: &mut Map<String, Value>) {
    for (schemas, property, words) in ENUM_WORDS {
        for name in schemas.iter() {
            let Some(prop) = components
                .get_mut(*name)
                .and_then(|s| s.get_mut("properties"))
                .and_then(|p| p.get_mut(property))
                .and_then(Value::as_object_mut)
            else {
                panic!("{name}.{property} is not in the document");
            };
            let nullable = prop.get("type").and_then(Value::as_array).is_some();
            let mut values: Vec<Value> = words.list().iter().map(|w| json!(w)).collect();
            if nullable {
                values.push(Value::Null);
            }
            prop.insert("enum".into(), Value::Array(values));
        }
    }
}

/// `PlanRowDto` is a `PlanDto` with `id` and `organizations` beside its fields. Generated as
/// `allOf: [PlanDto, {id, organizations}]`, no plan row could pass it: `PlanDto` refuses fields
/// it does not name (requests must not carry extra fields). Spelled out as one object instead.
fn flatten_plan_row(components: &mut Map<String, Value>) {
    let (Some(plan), Some(row)) = (
        components.get("PlanDto").cloned(),
        components.get("PlanRowDto").cloned(),
    ) else {
        return;
    };
    let mut properties = plan["properties"].as_object().cloned().unwrap_or_default();
    let mut required: Vec<Value> = plan["required"].as_array().cloned().unwrap_or_default();
    for part in row["allOf"].as_array().into_iter().flatten() {
        if let Some(p) = part["properties"].as_object() {
            properties.extend(p.clone());
        }
        required.extend(part["required"].as_array().cloned().unwrap_or_default());
    }
    let mut flat = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    });
    if let Some(d) = row.get("description") {
        flat["description"] = d.clone();
    }
    components.insert("PlanRowDto".into(), flat);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committed_path() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
    }

    /// The committed document is what the declaration generates. Set
    /// `POINTDESK_WRITE_OPENAPI=1` (`cargo xtask openapi`) to rewrite it.
    #[test]
    fn committed_document_is_current() {
        let generated = document_json();
        if std::env::var("POINTDESK_WRITE_OPENAPI").is_ok_and(|v| v == "1") {
            std::fs::create_dir_all(committed_path().parent().expect("a parent"))
                .expect("openapi/ can be created");
            std::fs::write(committed_path(), &generated).expect("openapi.json can be written");
        }
        let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
        assert!(
            committed == generated,
            "openapi/openapi.json is out of date: run `cargo xtask openapi` and commit it"
        );
    }

    #[test]
    fn every_operation_and_schema_is_in_the_document() {
        let doc = document();
        let mut ids = Vec::new();
        for item in doc["paths"].as_object().expect("paths").values() {
            for op in item.as_object().expect("an item").values() {
                ids.push(op["operationId"].as_str().expect("an id").to_owned());
            }
        }
        ids.sort();
        let mut declared: Vec<String> = OPERATIONS.iter().map(|o| o.id.to_owned()).collect();
        declared.sort();
        assert_eq!(ids, declared);
        // Every $ref resolves.
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().expect("a name");
            assert!(schemas.contains_key(name), "unresolved $ref {name}");
        }
        assert_eq!(
            doc["paths"]["/api/v1/session"]["post"]["requestBody"]["content"]["application/json"]
                ["schema"]["$ref"],
            "#/components/schemas/SignInRequest"
        );
    }
}
