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

/// `getHealth`. A degraded service answers 503 with the same body.
pub async fn health() -> Result<Health, ApiError> {
    decode(plain(Request::get(&url("/health"))), &[503]).await
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
pub async fn organizations() -> Result<OrganizationListDto, ApiError> {
    get("/organizations").await
}

/// `getOrganization`.
pub async fn organization(id: i64) -> Result<OrganizationDto, ApiError> {
    get(&format!("/organizations/{id}")).await
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
pub async fn plans() -> Result<PlanListDto, ApiError> {
    get("/plans").await
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
pub async fn users(organization: Option<i64>) -> Result<UserListDto, ApiError> {
    match organization {
        Some(id) => get(&format!("/users?organization_id={id}")).await,
        None => get("/users").await,
    }
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
pub async fn outbox() -> Result<OutboxDto, ApiError> {
    get("/outbox").await
}

/// `listAuditLog`.
pub async fn audit_log() -> Result<AuditLogDto, ApiError> {
    get("/audit-log").await
}

/// `listCatalogue`.
pub async fn catalogue() -> Result<CatalogueListDto, ApiError> {
    get("/catalogue").await
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
pub async fn tickets(query: &str) -> Result<TicketListDto, ApiError> {
    get(&format!("/tickets?{query}")).await
}

/// `getTicket`.
pub async fn ticket(id: i64) -> Result<TicketDto, ApiError> {
    get(&format!("/tickets/{id}")).await
}

/// `getTicketTimeline`.
pub async fn timeline(id: i64) -> Result<TimelineDto, ApiError> {
    get(&format!("/tickets/{id}/timeline")).await
}

/// `getBalance`.
pub async fn balance(org: i64) -> Result<OrgBalanceDto, ApiError> {
    get(&format!("/organizations/{org}/balance")).await
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
