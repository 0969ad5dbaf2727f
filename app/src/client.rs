//! The typed API client: one function per operation; a non-2xx answer becomes a typed
//! [`ApiError`] carrying the server's problem+json. No `.unwrap()` on the network. The session
//! is an HttpOnly cookie the browser sends by itself (same origin).

mod billing;
pub use billing::*;

use gloo_net::http::{Request, RequestBuilder, Response};
use pointdesk_api::accounts::{
    AcceptInvitationRequest, ChangePasswordRequest, MeDto, PasswordResetRequest,
    ResetPasswordRequest, SessionDto, SignInRequest, UpdateMeRequest,
};
use pointdesk_api::desk::{ReclassifyRequest, RecordApprovalRequest, ReopenRequest};
use pointdesk_api::ledger::{AdjustmentRequest, ChargePreviewRequest};
use pointdesk_api::notifications::{MarkReadRequest, NotificationPrefsDto};
use pointdesk_api::organizations::{
    CreateOrganizationRequest, InviteUserRequest, OrganizationDto, OrganizationListDto,
    PlanListDto, UpdateOrganizationRequest, UserListDto,
};
use pointdesk_api::plans::PlanDto;
use pointdesk_api::problem::FieldError;
use pointdesk_api::sla::{
    AwaitingClientRequest, BusinessCalendarDto, BusinessCalendarRequest, PriorityRequest,
};
use pointdesk_api::tickets::{
    AssignRequest, CatalogueItemRequest, CatalogueListDto, CauseRequest, CommentRequest,
    CreateTicketRequest, DisputeDecisionRequest, DisputeRequest, OrgBalanceDto, QuoteRequest,
    StatusRequest, TicketDto, TicketListDto, TimerRequest, TimerStopRequest, WorkRequest,
};
use pointdesk_api::Problem;
use serde::de::DeserializeOwned;
use serde::Serialize;

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

impl ApiError {
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Problem(p) => Some(p),
            _ => None,
        }
    }

    /// A field error found before sending (what the server would say), shown the same way.
    pub fn field(field: &str, code: &str) -> ApiError {
        let mut p = Problem::new("validation", "Some fields need attention", 422, None);
        p.errors.push(FieldError::new(field, code));
        ApiError::Problem(p)
    }

    /// The stable problem type without its `/problems/` prefix.
    pub fn kind(&self) -> Option<&str> {
        self.problem()
            .map(|p| p.kind.trim_start_matches("/problems/"))
    }
}

const BASE: &str = "/api/v1";

/// Sends a request and reads the whole answer as text; non-generic, so every operation
/// shares this one copy of the network code (the per-type part is only the JSON parse).
async fn exchange(req: Result<Request, ApiError>) -> Result<(u16, String), ApiError> {
    let resp: Response = req?.send().await.map_err(network)?;
    let status = resp.status();
    let text = resp.text().await.map_err(network)?;
    Ok((status, text))
}

/// A 2xx answer (or one of `also_ok`) as its text, anything else as the server's problem.
fn accept((status, text): (u16, String), also_ok: &[u16]) -> Result<(u16, String), ApiError> {
    if (200..300).contains(&status) || also_ok.contains(&status) {
        Ok((status, text))
    } else {
        Err(crate::json::from_str::<Problem>(&text)
            .map(ApiError::Problem)
            .unwrap_or(ApiError::Unexpected(status)))
    }
}

fn parse<T: DeserializeOwned>((status, text): (u16, String)) -> Result<T, ApiError> {
    crate::json::from_str(&text).map_err(|_| ApiError::Unexpected(status))
}

fn network(e: gloo_net::Error) -> ApiError {
    ApiError::Network(e.to_string())
}

fn plain(builder: RequestBuilder) -> Result<Request, ApiError> {
    builder.build().map_err(network)
}

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    parse(accept(
        exchange(plain(Request::get(&url(path)))).await?,
        &[],
    )?)
}

/// A GET the screens read through [`crate::components::remote::Remote`]: the path, and the
/// statuses besides 2xx whose body is still the answer.
#[derive(Clone, Debug)]
pub struct Read {
    pub path: String,
    pub also_ok: &'static [u16],
}

/// A [`Read`] that answers a `T`.
pub struct Typed<T> {
    pub read: Read,
    _t: std::marker::PhantomData<fn() -> T>,
}

fn read<T>(path: impl Into<String>) -> Typed<T> {
    Typed {
        read: Read {
            path: path.into(),
            also_ok: &[],
        },
        _t: std::marker::PhantomData,
    }
}

/// The answer's text (one non-generic network path for every read).
pub async fn get_text(r: &Read) -> Result<String, ApiError> {
    accept(
        exchange(plain(Request::get(&url(&r.path)))).await?,
        r.also_ok,
    )
    .map(|(_, text)| text)
}

/// Parses a read's text.
pub fn parse_text<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    crate::json::from_str(text).map_err(|_| ApiError::Unexpected(200))
}

/// `getSession`: who is signed in, `None` when nobody is.
pub async fn session() -> Result<Option<MeDto>, ApiError> {
    get::<SessionDto>("/session").await.map(|s| s.me)
}

/// `listOrganizations`.
pub fn organizations() -> Typed<OrganizationListDto> {
    read("/organizations")
}

/// `getOrganization`.
pub fn organization(id: i64) -> Typed<OrganizationDto> {
    read(format!("/organizations/{id}"))
}

/// `listPlans`.
pub fn plans() -> Typed<PlanListDto> {
    read("/plans")
}

/// `listUsers`.
pub fn users() -> Typed<UserListDto> {
    read("/users")
}

/// `listUsers` of one client organisation (staff: whoever may call for it).
pub fn users_of(org: i64) -> Typed<UserListDto> {
    read(format!("/users?organization_id={org}"))
}

/// `listCatalogue`.
pub fn catalogue() -> Typed<CatalogueListDto> {
    read("/catalogue")
}

/// `listTickets`: `query` is the query string without `?` (already encoded).
pub fn tickets(query: &str) -> Typed<TicketListDto> {
    read(format!("/tickets?{query}"))
}

/// `getTicket`.
pub fn ticket(id: i64) -> Typed<TicketDto> {
    read(format!("/tickets/{id}"))
}

/// `getBusinessCalendar`.
pub fn business_calendar() -> Typed<BusinessCalendarDto> {
    read("/business-calendar".to_owned())
}

/// `updateBusinessCalendar`.
pub fn update_business_calendar(req: &BusinessCalendarRequest) -> Write {
    json(Verb::Put, "/business-calendar", req)
}

/// `getBalance`.
pub fn balance(org: i64) -> Typed<OrgBalanceDto> {
    read(format!("/organizations/{org}/balance"))
}

/// A change to a ticket, by operation. Money-moving ones carry an `Idempotency-Key`, so a
/// retry after a lost answer cannot act twice.
#[derive(Clone, Debug)]
pub enum TicketChange {
    Comment(CommentRequest),
    Work(WorkRequest),
    Assign(AssignRequest),
    Status(StatusRequest),
    Cause(CauseRequest),
    Dispute(DisputeRequest),
    Decide(DisputeDecisionRequest),
    Quote(QuoteRequest),
    Approve(i64),
    Decline(i64),
    Complete,
    Cancel,
    Follow(bool),
    Reclassify(ReclassifyRequest),
    Confirm,
    Reopen(ReopenRequest),
    RecordApproval(i64, RecordApprovalRequest),
    DisputeApproval(i64, DisputeRequest),
    Priority(PriorityRequest),
    Awaiting(AwaitingClientRequest),
    TimerStart(TimerRequest),
    TimerStop(TimerStopRequest),
}

/// A fresh key for one money-moving intent (a retry of the same `Write` reuses it).
fn idempotency_key() -> String {
    format!(
        "app-{:x}-{:x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e15) as u64
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Post,
    Put,
    Patch,
    Delete,
}

/// A request that changes something: every write goes through [`send`] and one shared
/// `Action` type (`crate::writes`), so the app carries one copy of that machinery rather than
/// one per request type. Money-moving writes carry an `Idempotency-Key`, made once per intent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Write {
    verb: Verb,
    path: String,
    body: Option<String>,
    key: Option<String>,
}

fn write(verb: Verb, path: impl Into<String>, body: Option<String>) -> Write {
    Write {
        verb,
        path: path.into(),
        body,
        key: None,
    }
}

fn json(verb: Verb, path: impl Into<String>, body: &impl Serialize) -> Write {
    // Serialising our own DTOs cannot fail; an empty body would be refused by the server.
    write(verb, path, serde_json::to_string(body).ok())
}

impl Write {
    fn keyed(mut self) -> Write {
        self.key = Some(idempotency_key());
        self
    }
}

/// Sends a write; the answer's text (parse it with [`parse_text`] when it matters).
pub async fn send(w: &Write) -> Result<String, ApiError> {
    let u = url(&w.path);
    let mut b = match w.verb {
        Verb::Post => Request::post(&u),
        Verb::Put => Request::put(&u),
        Verb::Patch => Request::patch(&u),
        Verb::Delete => Request::delete(&u),
    };
    if let Some(k) = &w.key {
        b = b.header("idempotency-key", k);
    }
    let req = match &w.body {
        Some(text) => b
            .header("content-type", "application/json")
            .body(text.as_str())
            .map_err(network),
        None => plain(b),
    };
    accept(exchange(req).await?, &[]).map(|(_, text)| text)
}

/// `uploadAttachment`: the file itself is the body (the browser streams it from disk).
pub async fn upload(ticket: i64, file: &web_sys::File) -> Result<String, ApiError> {
    let name = String::from(js_sys::encode_uri_component(&file.name()));
    let req = Request::post(&url(&format!("/tickets/{ticket}/attachments?name={name}")))
        .header("content-type", "application/octet-stream")
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(network);
    accept(exchange(req).await?, &[]).map(|(_, text)| text)
}

/// `deleteAttachment` at the file's own `url`.
pub async fn delete_file(url_path: &str) -> Result<String, ApiError> {
    let path = url_path.trim_start_matches(BASE);
    send(&write(Verb::Delete, path, None)).await
}

/// `exportLedgerCsv`: where the browser downloads it.
pub fn ledger_csv_href(org: i64, query: &str) -> String {
    url(&format!("/organizations/{org}/ledger.csv?{query}"))
}

/// Where the browser opens a month's statement (`getStatement`'s printable page, drawn by the
/// server like the invoices and acts: documents are not app screens).
pub fn statement_href(org: i64, period: &str) -> String {
    format!(
        "{}/organizations/{org}/statements/{period}?format=html",
        pointdesk_api::API_PREFIX
    )
}

/// `getConsumptionReport`, `getBalanceReport`, `getDisputeReport`, `getRevenueReport` as CSV: what they download
/// and what the reports screen shows.
pub fn report_csv_href(name: &str) -> String {
    url(&format!("/reports/{name}?format=csv"))
}

/// `createAdjustment` (one key per intent).
pub fn adjust(org: i64, req: &AdjustmentRequest) -> Write {
    json(Verb::Post, format!("/organizations/{org}/adjustments"), req).keyed()
}

/// `markNotificationsRead`.
pub fn mark_read(req: &MarkReadRequest) -> Write {
    json(Verb::Post, "/notifications/read", req)
}

/// `updateNotificationPreferences`.
pub fn set_notification_prefs(req: &NotificationPrefsDto) -> Write {
    json(Verb::Put, "/me/notification-preferences", req)
}

/// `previewCharge`.
pub fn charge_preview(req: &ChargePreviewRequest) -> Write {
    json(Verb::Post, "/charge-preview", req)
}

/// `signIn`.
pub fn sign_in(req: &SignInRequest) -> Write {
    json(Verb::Post, "/session", req)
}

/// `signOut`.
pub fn sign_out() -> Write {
    write(Verb::Delete, "/session", None)
}

/// `updateMe`.
pub fn update_me(req: &UpdateMeRequest) -> Write {
    json(Verb::Patch, "/me", req)
}

/// `changePassword`.
pub fn change_password(req: &ChangePasswordRequest) -> Write {
    json(Verb::Put, "/me/password", req)
}

/// `requestPasswordReset`.
pub fn request_reset(req: &PasswordResetRequest) -> Write {
    json(Verb::Post, "/password-reset-requests", req)
}

/// `resetPassword`.
pub fn reset_password(req: &ResetPasswordRequest) -> Write {
    json(Verb::Post, "/password-resets", req)
}

/// `acceptInvitation`.
pub fn accept_invitation(req: &AcceptInvitationRequest) -> Write {
    json(Verb::Post, "/invitations/accept", req)
}

/// `createOrganization`.
pub fn create_organization(req: &CreateOrganizationRequest) -> Write {
    json(Verb::Post, "/organizations", req)
}

/// `updateOrganization`.
pub fn update_organization(id: i64, req: &UpdateOrganizationRequest) -> Write {
    json(Verb::Patch, format!("/organizations/{id}"), req)
}

/// `createPlan`.
pub fn create_plan(req: &PlanDto) -> Write {
    json(Verb::Post, "/plans", req)
}

/// `updatePlan`.
pub fn update_plan(id: i64, req: &PlanDto) -> Write {
    json(Verb::Put, format!("/plans/{id}"), req)
}

/// `inviteUser`.
pub fn invite_user(req: &InviteUserRequest) -> Write {
    json(Verb::Post, "/users", req)
}

/// `deactivateUser`.
pub fn deactivate_user(id: i64) -> Write {
    write(Verb::Post, format!("/users/{id}/deactivate"), None)
}

/// `createCatalogueItem`.
pub fn create_catalogue_item(req: &CatalogueItemRequest) -> Write {
    json(Verb::Post, "/catalogue", req)
}

/// `updateCatalogueItem`.
pub fn update_catalogue_item(id: i64, req: &CatalogueItemRequest) -> Write {
    json(Verb::Put, format!("/catalogue/{id}"), req)
}

/// `createTicket`.
pub fn create_ticket(req: &CreateTicketRequest) -> Write {
    json(Verb::Post, "/tickets", req)
}

/// `addComment`, `logWork`, `assignTicket`, `changeTicketStatus`, `setIncidentCause`,
/// `disputeCharge`, `decideDispute`, `createQuote`, `approveQuote`, `declineQuote`,
/// `completeRequest`, `cancelRequest`, `followTicket`, `unfollowTicket`.
pub fn change_ticket(id: i64, change: &TicketChange) -> Write {
    let t = |rest: &str| format!("/tickets/{id}{rest}");
    match change {
        // The everyday work an engineer may do offline: keyed, so the service worker's outbox
        // can send it again without it acting twice (app/pwa/sw.js).
        TicketChange::Comment(r) => json(Verb::Post, t("/comments"), r).keyed(),
        TicketChange::Work(r) => json(Verb::Post, t("/work"), r).keyed(),
        TicketChange::Status(r) => json(Verb::Put, t("/status"), r).keyed(),
        TicketChange::TimerStart(r) => json(Verb::Post, t("/timer"), r).keyed(),
        TicketChange::TimerStop(r) => json(Verb::Post, t("/timer/stop"), r).keyed(),
        TicketChange::Assign(r) => json(Verb::Put, t("/assignee"), r),
        TicketChange::Cause(r) => json(Verb::Put, t("/cause"), r).keyed(),
        TicketChange::Dispute(r) => json(Verb::Post, t("/dispute"), r),
        TicketChange::Decide(r) => json(Verb::Put, t("/dispute/decision"), r).keyed(),
        TicketChange::Quote(r) => json(Verb::Post, t("/quotes"), r),
        TicketChange::Approve(q) => {
            write(Verb::Post, format!("/quotes/{q}/approval"), None).keyed()
        }
        TicketChange::Decline(q) => write(Verb::Post, format!("/quotes/{q}/decline"), None).keyed(),
        TicketChange::Complete => write(Verb::Post, t("/completion"), None).keyed(),
        TicketChange::Cancel => write(Verb::Post, t("/cancellation"), None).keyed(),
        TicketChange::Follow(true) => write(Verb::Put, t("/followers/me"), None),
        TicketChange::Follow(false) => write(Verb::Delete, t("/followers/me"), None),
        TicketChange::Reclassify(r) => json(Verb::Put, t("/class"), r),
        TicketChange::Confirm => write(Verb::Post, t("/confirmation"), None),
        TicketChange::Reopen(r) => json(Verb::Post, t("/reopening"), r),
        TicketChange::RecordApproval(q, r) => {
            json(Verb::Post, format!("/quotes/{q}/recorded-approval"), r).keyed()
        }
        TicketChange::Priority(r) => json(Verb::Put, t("/priority"), r),
        TicketChange::Awaiting(r) => json(Verb::Put, t("/awaiting-client"), r),
        TicketChange::DisputeApproval(q, r) => json(
            Verb::Post,
            format!("/quotes/{q}/recorded-approval/dispute"),
            r,
        ),
    }
}
