//! The router: requests are matched against the one declaration of the API
//! (`pointdesk_api::routes::OPERATIONS`) and handed to their handler by `operationId`.
//! Handlers are thin: DTO in → domain decision → one D1 batch → DTO out.

mod charging;
mod clients;
mod health;
mod ledger;
mod notices;
mod payments;
mod people;
mod periods;
mod reports;
mod session;
mod tickets;

pub use payments::reconcile as reconcile_payments;
pub use periods::turn_over;
pub use tickets::expire_quotes;

use pointdesk_api::problem::FieldError;
use pointdesk_api::routes::{self, Access, Method, Miss, Params};
use pointdesk_domain::account::SessionLife;
use pointdesk_domain::policy::{self, Action, Actor, Denied, Role, Scope};
use pointdesk_domain::time::Timestamp;
use serde::de::DeserializeOwned;
use worker::{Env, Request, Response};

use crate::auth;
use crate::db::{Db, SessionRow, UserRow};
use crate::error::{AppError, AppResult};
use crate::guard;

/// The largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// One request on its way through a handler.
pub struct Call<'a> {
    pub req: Request,
    pub env: &'a Env,
    pub params: Params,
    pub now: Timestamp,
}

/// Who is calling, from a live session.
#[derive(Clone, Debug)]
pub struct Session {
    pub token_hash: String,
    pub user: UserRow,
    pub actor: Actor,
}

impl Session {
    pub fn provider(&self) -> i64 {
        self.user.provider_id
    }

    /// The policy's answer for an object of `org` (`None`: provider-wide). Another tenant's
    /// object is 404, exactly like a missing one; a role that may not is 403.
    pub fn may(&self, action: Action, org: Option<i64>) -> AppResult<()> {
        let scope = Scope {
            provider: self.actor.provider,
            org: org.map(pointdesk_domain::ids::OrgId::new),
        };
        match policy::authorize(&self.actor, action, scope) {
            Ok(()) => Ok(()),
            Err(Denied::Role) => Err(AppError::Forbidden),
            Err(Denied::OtherTenant) => Err(AppError::NotFound),
        }
    }

    /// For collections and creation: a client person asking for a provider-wide resource is
    /// refused for their role (403), not told it does not exist.
    pub fn may_provider_wide(&self, action: Action) -> AppResult<()> {
        if self.actor.role.is_client() {
            return Err(AppError::Forbidden);
        }
        self.may(action, None)
    }

    pub fn org(&self) -> Option<i64> {
        self.user.org_id
    }

    /// An audit-log row for a privileged action of this person.
    pub fn audit<'a>(
        &self,
        action: &'a str,
        object: &'a str,
        org: Option<i64>,
        change: (Option<&'a str>, Option<&'a str>),
        at: i64,
    ) -> crate::db::Audit<'a> {
        crate::db::Audit {
            provider_id: self.provider(),
            org_id: org,
            actor_id: Some(self.user.id),
            action,
            object,
            before: change.0,
            after: change.1,
            at,
        }
    }
}

/// A batch refused by a `UNIQUE` constraint is the person's input colliding with an existing
/// row: `field` is `taken`.
pub fn unless_taken(result: AppResult<Vec<usize>>, field: &str) -> AppResult<Vec<usize>> {
    match result {
        Err(AppError::Internal(m)) if m.contains("UNIQUE") => {
            Err(AppError::Fields(vec![FieldError::new(field, "taken")]))
        }
        other => other,
    }
}

impl Call<'_> {
    /// The `{id}` path parameter (the router matched it; it must be a positive integer).
    pub fn id(&self) -> AppResult<i64> {
        self.params
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v > 0)
            .ok_or(AppError::NotFound)
    }
}

pub async fn dispatch(req: Request, env: &Env) -> AppResult<Response> {
    let path = req.path();
    let Some(rest) = path.strip_prefix(pointdesk_api::API_PREFIX) else {
        return Err(AppError::NotFound);
    };
    let method = Method::parse(req.method().as_ref()).ok_or(AppError::MethodNotAllowed {
        allowed: "GET, POST, PUT, PATCH, DELETE".into(),
    })?;
    let (op, params) = routes::find(method, rest).map_err(|miss| match miss {
        Miss::NotFound => AppError::NotFound,
        Miss::MethodNotAllowed(methods) => AppError::MethodNotAllowed {
            allowed: methods
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        },
    })?;
    if method.is_write() {
        guard::same_origin(&req)?;
    }
    #[allow(clippy::cast_possible_truncation)]
    let now = Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64);
    let mut call = Call {
        req,
        env,
        params,
        now,
    };
    match op.id {
        "getHealth" => health::get(env).await,
        "ping" => Ok(Response::empty()?.with_status(204)),
        "getOpenApi" => openapi(),
        "previewCharge" => charging::preview(read_json(&mut call.req).await?),
        "signIn" => session::sign_in(&mut call).await,
        "requestPasswordReset" => session::request_reset(&mut call).await,
        "resetPassword" => session::reset_password(&mut call).await,
        "acceptInvitation" => session::accept_invitation(&mut call).await,
        "receivePaymentNotification" => payments::notification(&mut call).await,
        "showSandboxCheckout" => payments::sandbox_page(&call).await,
        "decideSandboxPayment" => payments::sandbox_decide(&mut call).await,
        _ => {
            let who = authenticate(&call).await?;
            debug_assert!(op.access == Access::SignedIn);
            match op.id {
                "signOut" => session::sign_out(&call, &who).await,
                "getMe" => session::me(&who),
                "updateMe" => session::update_me(&mut call, &who).await,
                "changePassword" => session::change_password(&mut call, &who).await,
                "listOrganizations" => clients::list(&call, &who).await,
                "getOrganization" => clients::get(&call, &who).await,
                "createOrganization" => clients::create(&mut call, &who).await,
                "updateOrganization" => clients::update(&mut call, &who).await,
                "listPlans" => clients::list_plans(&call, &who).await,
                "createPlan" => clients::create_plan(&mut call, &who).await,
                "updatePlan" => clients::update_plan(&mut call, &who).await,
                "listUsers" => people::list(&call, &who).await,
                "inviteUser" => people::invite(&mut call, &who).await,
                "deactivateUser" => people::deactivate(&call, &who).await,
                "listOutbox" => people::outbox(&call, &who).await,
                "listAuditLog" => people::audit_log(&call, &who).await,
                "listCatalogue" => tickets::list_catalogue(&call, &who).await,
                "createCatalogueItem" => tickets::create_catalogue_item(&mut call, &who).await,
                "updateCatalogueItem" => tickets::update_catalogue_item(&mut call, &who).await,
                "createTicket" => tickets::create(&mut call, &who).await,
                "listTickets" => tickets::list(&call, &who).await,
                "getTicket" => tickets::get(&call, &who).await,
                "getTicketTimeline" => tickets::timeline(&call, &who).await,
                "addComment" => tickets::comment(&mut call, &who).await,
                "followTicket" => tickets::follow(&call, &who, true).await,
                "unfollowTicket" => tickets::follow(&call, &who, false).await,
                "logWork" => tickets::log_work(&mut call, &who).await,
                "assignTicket" => tickets::assign(&mut call, &who).await,
                "changeTicketStatus" => tickets::change_status(&mut call, &who).await,
                "setIncidentCause" => tickets::set_cause(&mut call, &who).await,
                "disputeCharge" => tickets::dispute(&mut call, &who).await,
                "decideDispute" => tickets::decide_dispute(&mut call, &who).await,
                "createQuote" => tickets::create_quote(&mut call, &who).await,
                "approveQuote" => tickets::approve_quote(&mut call, &who).await,
                "declineQuote" => tickets::decline_quote(&mut call, &who).await,
                "completeRequest" => tickets::complete(&mut call, &who).await,
                "cancelRequest" => tickets::cancel(&mut call, &who).await,
                "getBalance" => ledger::balance(&call, &who).await,
                "listLedgerEntries" => ledger::list(&call, &who).await,
                "exportLedgerCsv" => ledger::export(&call, &who).await,
                "getBalanceHistory" => ledger::history(&call, &who).await,
                "getStatement" => ledger::statement(&call, &who).await,
                "createAdjustment" => ledger::adjust(&mut call, &who).await,
                "listNotifications" => notices::list(&call, &who).await,
                "markNotificationsRead" => notices::mark_read(&mut call, &who).await,
                "getNotificationPreferences" => notices::prefs(&call, &who).await,
                "updateNotificationPreferences" => notices::set_prefs(&mut call, &who).await,
                "getConsumptionReport" => reports::consumption(&call, &who).await,
                "getBalanceReport" => reports::balances(&call, &who).await,
                "getDisputeReport" => reports::disputes(&call, &who).await,
                "getRevenueReport" => reports::revenue(&call, &who).await,
                "listPointPacks" => payments::list_packs(&call, &who).await,
                "createPointPack" => payments::create_pack(&mut call, &who).await,
                "updatePointPack" => payments::update_pack(&mut call, &who).await,
                "getPaymentSettings" => payments::settings(&call, &who).await,
                "updatePaymentSettings" => payments::set_settings(&mut call, &who).await,
                "createCheckout" => payments::checkout(&mut call, &who).await,
                "listPurchases" => payments::list_purchases(&call, &who).await,
                "getPurchase" => payments::get_purchase(&call, &who).await,
                other => Err(AppError::Internal(format!("no handler for {other}"))),
            }
        }
    }
}

/// The document generated from the same declaration (`openapi/openapi.json`).
fn openapi() -> AppResult<Response> {
    let mut resp = Response::ok(include_str!("../../../openapi/openapi.json"))?;
    resp.headers_mut()
        .set("content-type", "application/json; charset=utf-8")?;
    resp.headers_mut().set("cache-control", "no-cache")?;
    Ok(resp)
}

/// The live session of this request, or 401. Touches the session at most once a minute.
pub async fn authenticate(call: &Call<'_>) -> AppResult<Session> {
    let cookie = call.req.headers().get("cookie")?;
    let secret = auth::session_cookie(cookie.as_deref()).ok_or(AppError::Unauthenticated)?;
    if secret.len() != 32 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::Unauthenticated);
    }
    let token_hash = auth::token_hash(secret);
    let db = Db::new(call.env)?;
    let row: SessionRow = db
        .session(&token_hash)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let (created, seen) = (
        Timestamp::from_unix(row.created_at),
        Timestamp::from_unix(row.last_seen_at),
    );
    if !SessionLife::is_live(created, seen, call.now) {
        db.batch(vec![db.delete_session(&token_hash)?]).await?;
        return Err(AppError::Unauthenticated);
    }
    if SessionLife::needs_touch(seen, call.now) {
        db.touch_session(&token_hash, call.now.unix()).await?;
    }
    let actor = actor_of(&row.user)?;
    Ok(Session {
        token_hash,
        user: row.user,
        actor,
    })
}

pub fn actor_of(user: &UserRow) -> AppResult<Actor> {
    use pointdesk_domain::ids::{OrgId, ProviderId, UserId};
    let role = pointdesk_api::accounts::parse_role(&user.role)
        .map_err(|_| AppError::Internal(format!("user {} has role {}", user.id, user.role)))?;
    Ok(Actor {
        user: UserId::new(user.id),
        role,
        provider: ProviderId::new(user.provider_id),
        org: match role {
            Role::ClientUser | Role::ClientAdmin => user.org_id.map(OrgId::new),
            Role::Engineer | Role::Manager => None,
        },
    })
}

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

pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> AppResult<T> {
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

pub fn json<T: serde::Serialize>(value: &T) -> AppResult<Response> {
    let mut resp = Response::from_json(value)?;
    resp.headers_mut().set("cache-control", "no-store")?;
    Ok(resp)
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
