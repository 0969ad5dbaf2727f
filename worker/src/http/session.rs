//! Who is calling: the live session behind the request's cookie, and what the policy lets
//! that person do.

use pointdesk_domain::account::SessionLife;
use pointdesk_domain::policy::{self, Action, Actor, Denied, Role, Scope};
use pointdesk_domain::time::Timestamp;

use super::call::Call;
use crate::auth;
use crate::db::{Db, SessionRow, UserRow};
use crate::error::{AppError, AppResult};

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

fn actor_of(user: &UserRow) -> AppResult<Actor> {
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
