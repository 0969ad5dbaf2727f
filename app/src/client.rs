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

async fn decode<T: DeserializeOwned>(resp: Response, also_ok: &[u16]) -> Result<T, ApiError> {
    let status = resp.status();
    if resp.ok() || also_ok.contains(&status) {
        return resp
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected(status));
    }
    Err(problem(resp).await)
}

async fn problem(resp: Response) -> ApiError {
    let status = resp.status();
    match resp.json::<Problem>().await {
        Ok(p) => ApiError::Problem(p),
        Err(_) => ApiError::Unexpected(status),
    }
}

async fn no_content(resp: Response) -> Result<(), ApiError> {
    if resp.ok() {
        Ok(())
    } else {
        Err(problem(resp).await)
    }
}

fn network(e: gloo_net::Error) -> ApiError {
    ApiError::Network(e.to_string())
}

async fn send_json(builder: RequestBuilder, body: &impl Serialize) -> Result<Response, ApiError> {
    builder
        .json(body)
        .map_err(network)?
        .send()
        .await
        .map_err(network)
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let resp = Request::get(&format!("{BASE}{path}"))
        .send()
        .await
        .map_err(network)?;
    decode(resp, &[]).await
}

/// `getHealth`. A degraded service answers 503 with the same body.
pub async fn health() -> Result<Health, ApiError> {
    let resp = Request::get(&format!("{BASE}/health"))
        .send()
        .await
        .map_err(network)?;
    decode(resp, &[503]).await
}

/// `previewCharge`.
pub async fn charge_preview(req: &ChargePreviewRequest) -> Result<ChargeExplanationDto, ApiError> {
    decode(
        send_json(Request::post(&format!("{BASE}/charge-preview")), req).await?,
        &[],
    )
    .await
}

/// `signIn`.
pub async fn sign_in(req: &SignInRequest) -> Result<MeDto, ApiError> {
    decode(
        send_json(Request::post(&format!("{BASE}/session")), req).await?,
        &[],
    )
    .await
}

/// `signOut`.
pub async fn sign_out() -> Result<(), ApiError> {
    let resp = Request::delete(&format!("{BASE}/session"))
        .send()
        .await
        .map_err(network)?;
    no_content(resp).await
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
    decode(
        send_json(Request::patch(&format!("{BASE}/me")), req).await?,
        &[],
    )
    .await
}

/// `changePassword`.
pub async fn change_password(req: &ChangePasswordRequest) -> Result<(), ApiError> {
    no_content(send_json(Request::put(&format!("{BASE}/me/password")), req).await?).await
}

/// `requestPasswordReset`.
pub async fn request_reset(req: &PasswordResetRequest) -> Result<(), ApiError> {
    no_content(
        send_json(
            Request::post(&format!("{BASE}/password-reset-requests")),
            req,
        )
        .await?,
    )
    .await
}

/// `resetPassword`.
pub async fn reset_password(req: &ResetPasswordRequest) -> Result<(), ApiError> {
    no_content(send_json(Request::post(&format!("{BASE}/password-resets")), req).await?).await
}

/// `acceptInvitation`.
pub async fn accept_invitation(req: &AcceptInvitationRequest) -> Result<MeDto, ApiError> {
    decode(
        send_json(Request::post(&format!("{BASE}/invitations/accept")), req).await?,
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
    decode(
        send_json(Request::post(&format!("{BASE}/organizations")), req).await?,
        &[],
    )
    .await
}

/// `updateOrganization`.
pub async fn update_organization(
    id: i64,
    req: &UpdateOrganizationRequest,
) -> Result<OrganizationDto, ApiError> {
    decode(
        send_json(Request::patch(&format!("{BASE}/organizations/{id}")), req).await?,
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
    decode(
        send_json(Request::post(&format!("{BASE}/plans")), req).await?,
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
    decode(
        send_json(Request::post(&format!("{BASE}/users")), req).await?,
        &[],
    )
    .await
}

/// `deactivateUser`.
pub async fn deactivate_user(id: i64) -> Result<UserDto, ApiError> {
    let resp = Request::post(&format!("{BASE}/users/{id}/deactivate"))
        .send()
        .await
        .map_err(network)?;
    decode(resp, &[]).await
}

/// `listOutbox`.
pub async fn outbox() -> Result<OutboxDto, ApiError> {
    get("/outbox").await
}

/// `listAuditLog`.
pub async fn audit_log() -> Result<AuditLogDto, ApiError> {
    get("/audit-log").await
}
