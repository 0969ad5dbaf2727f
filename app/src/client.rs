//! The typed API client: one function per operation; a non-2xx answer becomes a typed
//! [`ApiError`] carrying the server's problem+json. No `.unwrap()` on the network. The session
//! is an HttpOnly cookie the browser sends by itself (same origin).

use gloo_net::http::{Request, RequestBuilder, Response};
use pointdesk_api::accounts::{
    AcceptInvitationRequest, ChangePasswordRequest, MeDto, PasswordResetRequest,
    ResetPasswordRequest, SignInRequest, UpdateMeRequest,
};
use pointdesk_api::ledger::{ChargeExplanationDto, ChargePreviewRequest};
use pointdesk_api::organizations::{
    AuditLogDto, CreateOrganizationRequest, InviteUserRequest, OrganizationDto,
    OrganizationListDto, OutboxDto, PlanListDto, PlanRowDto, UpdateOrganizationRequest, UserDto,
    UserListDto,
};
use pointdesk_api::plans::PlanDto;
use pointdesk_api::problem::FieldError;
use pointdesk_api::tickets::{
    AssignRequest, CatalogueItemDto, CatalogueItemRequest, CatalogueListDto, CauseRequest,
    CommentRequest, CreateTicketRequest, DisputeDecisionRequest, DisputeRequest, OrgBalanceDto,
    QuoteRequest, StatusRequest, TicketDto, TicketListDto, TimelineDto, WorkRequest,
};
use pointdesk_api::{Health, Problem};
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
        Err(serde_json::from_str::<Problem>(&text)
            .map(ApiError::Problem)
            .unwrap_or(ApiError::Unexpected(status)))
    }
}

fn parse<T: DeserializeOwned>((status, text): (u16, String)) -> Result<T, ApiError> {
    serde_json::from_str(&text).map_err(|_| ApiError::Unexpected(status))
}

async fn decode<T: DeserializeOwned>(
    req: Result<Request, ApiError>,
    also_ok: &[u16],
) -> Result<T, ApiError> {
    parse(accept(exchange(req).await?, also_ok)?)
}

async fn no_content(req: Result<Request, ApiError>) -> Result<(), ApiError> {
    accept(exchange(req).await?, &[]).map(|_| ())
}

fn network(e: gloo_net::Error) -> ApiError {
    ApiError::Network(e.to_string())
}

fn with_json(builder: RequestBuilder, body: &impl Serialize) -> Result<Request, ApiError> {
    builder.json(body).map_err(network)
}

fn plain(builder: RequestBuilder) -> Result<Request, ApiError> {
    builder.build().map_err(network)
}

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(plain(Request::get(&url(path))), &[]).await
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
    serde_json::from_str(text).map_err(|_| ApiError::Unexpected(200))
}

/// `getHealth`. A degraded service answers 503 with the same body.
pub fn health() -> Typed<Health> {
    let mut r = read("/health");
    r.read.also_ok = &[503];
    r
}

/// `previewCharge`.
pub async fn charge_preview(req: &ChargePreviewRequest) -> Result<ChargeExplanationDto, ApiError> {
    decode(with_json(Request::post(&url("/charge-preview")), req), &[]).await
}

/// `signIn`.
pub async fn sign_in(req: &SignInRequest) -> Result<MeDto, ApiError> {
    decode(with_json(Request::post(&url("/session")), req), &[]).await
}

/// `signOut`.
pub async fn sign_out() -> Result<(), ApiError> {
    no_content(plain(Request::delete(&url("/session")))).await
}

/// `getMe`: `Ok(None)` when nobody is signed in.
pub async fn me() -> Result<Option<MeDto>, ApiError> {
    match get::<MeDto>("/me").await {
        Ok(me) => Ok(Some(me)),
        Err(e) if e.kind() == Some("unauthenticated") => Ok(None),
        Err(e) => Err(e),
    }
}

/// `updateMe`.
pub async fn update_me(req: &UpdateMeRequest) -> Result<MeDto, ApiError> {
    decode(with_json(Request::patch(&url("/me")), req), &[]).await
}

/// `changePassword`.
pub async fn change_password(req: &ChangePasswordRequest) -> Result<(), ApiError> {
    no_content(with_json(Request::put(&url("/me/password")), req)).await
}

/// `requestPasswordReset`.
pub async fn request_reset(req: &PasswordResetRequest) -> Result<(), ApiError> {
    no_content(with_json(
        Request::post(&url("/password-reset-requests")),
        req,
    ))
    .await
}

/// `resetPassword`.
pub async fn reset_password(req: &ResetPasswordRequest) -> Result<(), ApiError> {
    no_content(with_json(Request::post(&url("/password-resets")), req)).await
}

/// `acceptInvitation`.
pub async fn accept_invitation(req: &AcceptInvitationRequest) -> Result<MeDto, ApiError> {
    decode(
        with_json(Request::post(&url("/invitations/accept")), req),
        &[],
    )
    .await
}

/// `listOrganizations`.
pub fn organizations() -> Typed<OrganizationListDto> {
    read("/organizations")
}

/// `getOrganization`.
pub fn organization(id: i64) -> Typed<OrganizationDto> {
    read(format!("/organizations/{id}"))
}

/// `createOrganization`.
pub async fn create_organization(
    req: &CreateOrganizationRequest,
) -> Result<OrganizationDto, ApiError> {
    decode(with_json(Request::post(&url("/organizations")), req), &[]).await
}

/// `updateOrganization`.
pub async fn update_organization(
    id: i64,
    req: &UpdateOrganizationRequest,
) -> Result<OrganizationDto, ApiError> {
    decode(
        with_json(Request::patch(&url(&format!("/organizations/{id}"))), req),
        &[],
    )
    .await
}

/// `listPlans`.
pub fn plans() -> Typed<PlanListDto> {
    read("/plans")
}

/// `createPlan`.
pub async fn create_plan(req: &PlanDto) -> Result<PlanRowDto, ApiError> {
    decode(with_json(Request::post(&url("/plans")), req), &[]).await
}

/// `updatePlan`.
pub async fn update_plan(id: i64, req: &PlanDto) -> Result<PlanRowDto, ApiError> {
    decode(
        with_json(Request::put(&url(&format!("/plans/{id}"))), req),
        &[],
    )
    .await
}

/// `listUsers`.
pub fn users() -> Typed<UserListDto> {
    read("/users")
}

/// `inviteUser`.
pub async fn invite_user(req: &InviteUserRequest) -> Result<UserDto, ApiError> {
    decode(with_json(Request::post(&url("/users")), req), &[]).await
}

/// `deactivateUser`.
pub async fn deactivate_user(id: i64) -> Result<UserDto, ApiError> {
    decode(
        plain(Request::post(&url(&format!("/users/{id}/deactivate")))),
        &[],
    )
    .await
}

/// `listOutbox`.
pub fn outbox() -> Typed<OutboxDto> {
    read("/outbox")
}

/// `listAuditLog`.
pub fn audit_log() -> Typed<AuditLogDto> {
    read("/audit-log")
}

/// `listCatalogue`.
pub fn catalogue() -> Typed<CatalogueListDto> {
    read("/catalogue")
}

/// `createCatalogueItem`.
pub async fn create_catalogue_item(
    req: &CatalogueItemRequest,
) -> Result<CatalogueItemDto, ApiError> {
    decode(with_json(Request::post(&url("/catalogue")), req), &[]).await
}

/// `updateCatalogueItem`.
pub async fn update_catalogue_item(
    id: i64,
    req: &CatalogueItemRequest,
) -> Result<CatalogueItemDto, ApiError> {
    decode(
        with_json(Request::put(&url(&format!("/catalogue/{id}"))), req),
        &[],
    )
    .await
}

/// `listTickets`: `query` is the query string without `?` (already encoded).
pub fn tickets(query: &str) -> Typed<TicketListDto> {
    read(format!("/tickets?{query}"))
}

/// `getTicket`.
pub fn ticket(id: i64) -> Typed<TicketDto> {
    read(format!("/tickets/{id}"))
}

/// `getTicketTimeline`.
pub fn timeline(id: i64) -> Typed<TimelineDto> {
    read(format!("/tickets/{id}/timeline"))
}

/// `getBalance`.
pub fn balance(org: i64) -> Typed<OrgBalanceDto> {
    read(format!("/organizations/{org}/balance"))
}

/// `createTicket`.
pub async fn create_ticket(req: &CreateTicketRequest) -> Result<TicketDto, ApiError> {
    decode(with_json(Request::post(&url("/tickets")), req), &[]).await
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
}

/// A fresh key for one money-moving intent.
fn idempotency_key() -> String {
    format!(
        "app-{:x}-{:x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e15) as u64
    )
}

/// `addComment`, `logWork`, `assignTicket`, `changeTicketStatus`, `setIncidentCause`,
/// `disputeCharge`, `decideDispute`, `createQuote`, `approveQuote`, `declineQuote`,
/// `completeRequest`, `cancelRequest`, `followTicket`, `unfollowTicket`.
pub async fn change_ticket(id: i64, change: &TicketChange) -> Result<TicketDto, ApiError> {
    let t = |rest: &str| url(&format!("/tickets/{id}{rest}"));
    let keyed = |b: RequestBuilder| b.header("idempotency-key", &idempotency_key());
    let req = match change {
        TicketChange::Comment(r) => with_json(Request::post(&t("/comments")), r),
        TicketChange::Work(r) => with_json(Request::post(&t("/work")), r),
        TicketChange::Assign(r) => with_json(Request::put(&t("/assignee")), r),
        TicketChange::Status(r) => with_json(Request::put(&t("/status")), r),
        TicketChange::Cause(r) => with_json(keyed(Request::put(&t("/cause"))), r),
        TicketChange::Dispute(r) => with_json(Request::post(&t("/dispute")), r),
        TicketChange::Decide(r) => with_json(keyed(Request::put(&t("/dispute/decision"))), r),
        TicketChange::Quote(r) => with_json(Request::post(&t("/quotes")), r),
        TicketChange::Approve(q) => {
            plain(keyed(Request::post(&url(&format!("/quotes/{q}/approval")))))
        }
        TicketChange::Decline(q) => {
            plain(keyed(Request::post(&url(&format!("/quotes/{q}/decline")))))
        }
        TicketChange::Complete => plain(keyed(Request::post(&t("/completion")))),
        TicketChange::Cancel => plain(keyed(Request::post(&t("/cancellation")))),
        TicketChange::Follow(true) => plain(Request::put(&t("/followers/me"))),
        TicketChange::Follow(false) => plain(Request::delete(&t("/followers/me"))),
    };
    decode(req, &[]).await
}
