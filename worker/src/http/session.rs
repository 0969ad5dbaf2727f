//! Who is calling: the live session behind the request's cookie, and what the policy lets
//! that person do.

use pointdesk_domain::account::SessionLife;
use pointdesk_domain::policy::{self, Action, Actor, Denied, Role, Scope};
use pointdesk_domain::time::Timestamp;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::call::Call;
use crate::auth;
use crate::db::{Db, SessionCheck, SessionRow, UserRow};
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

    /// A person acting without a session: mail they sent (issue 23) goes through the same
    /// policy as their clicks.
    pub fn of(user: UserRow) -> AppResult<Session> {
        let actor = actor_of(&user)?;
        Ok(Session {
            token_hash: String::new(),
            user,
            actor,
        })
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

thread_local! {
    /// Sessions this isolate read lately, by token hash: a hint for a later read of the same
    /// person, never an answer on its own (see [`SessionCheck`]).
    static TRUSTED: RefCell<HashMap<String, SessionRow>> = RefCell::new(HashMap::new());
}

/// How many sessions an isolate keeps as hints (all are forgotten when there would be more).
const TRUSTED_MAX: usize = 1024;

fn remember(token_hash: &str, row: &SessionRow) {
    TRUSTED.with(|t| {
        let mut t = t.borrow_mut();
        if t.len() >= TRUSTED_MAX {
            t.clear();
        }
        t.insert(token_hash.to_owned(), row.clone());
    });
}

fn forget(token_hash: &str) {
    TRUSTED.with(|t| t.borrow_mut().remove(token_hash));
}

/// The SHA-256 of the request's session token, or 401 when there is no well-formed one.
fn token_hash_of(call: &Call<'_>) -> AppResult<String> {
    let cookie = call.req.headers().get("cookie")?;
    let secret = auth::session_cookie(cookie.as_deref()).ok_or(AppError::Unauthenticated)?;
    if secret.len() != 32 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::Unauthenticated);
    }
    Ok(auth::token_hash(secret))
}

/// The live session of this request, or 401, read before anything else. Touches the session at
/// most once a minute.
pub async fn authenticate(call: &Call<'_>) -> AppResult<Session> {
    let token_hash = token_hash_of(call)?;
    let db = Db::new(call.env)?;
    let Some(row) = db.session(&token_hash).await? else {
        forget(&token_hash);
        return Err(AppError::Unauthenticated);
    };
    let (created, seen) = (
        Timestamp::from_unix(row.created_at),
        Timestamp::from_unix(row.last_seen_at),
    );
    if !SessionLife::is_live(created, seen, call.now) {
        forget(&token_hash);
        db.batch(vec![db.delete_session(&token_hash)?]).await?;
        return Err(AppError::Unauthenticated);
    }
    if SessionLife::needs_touch(seen, call.now) {
        db.touch_session(&token_hash, call.now.unix()).await?;
    }
    remember(&token_hash, &row);
    let actor = actor_of(&row.user)?;
    Ok(Session {
        token_hash,
        user: row.user,
        actor,
    })
}

/// The session this isolate last read for the request's token, taken on trust until the
/// request's first read confirms it ([`confirmed`]); `None` when there is none to trust.
pub fn trusted(call: &Call<'_>) -> AppResult<Option<(Session, Rc<SessionCheck>)>> {
    let Ok(token_hash) = token_hash_of(call) else {
        return Ok(None);
    };
    let Some(row) = TRUSTED.with(|t| t.borrow().get(&token_hash).cloned()) else {
        return Ok(None);
    };
    let session = Session {
        token_hash: token_hash.clone(),
        actor: actor_of(&row.user)?,
        user: row.user.clone(),
    };
    Ok(Some((session, Rc::new(SessionCheck::new(token_hash, row)))))
}

/// After a request was answered on trust: is its session still the trusted one, and live? A
/// request that read nothing confirms it now with a read of its own; a live one is touched when
/// due. `false`: answer the request again the strict way ([`authenticate`]).
pub async fn confirmed(call: &Call<'_>, check: &Rc<SessionCheck>) -> AppResult<bool> {
    let db = Db::checking(call.env, Some(check.clone()))?;
    match db.confirm().await {
        Ok(()) | Err(AppError::SessionChanged) => {}
        Err(e) => return Err(e),
    }
    let (Some(Some(row)), true) = (check.seen(), check.confirmed()) else {
        forget(check.token_hash());
        return Ok(false);
    };
    let (created, seen) = (
        Timestamp::from_unix(row.created_at),
        Timestamp::from_unix(row.last_seen_at),
    );
    if !SessionLife::is_live(created, seen, call.now) {
        return Ok(false);
    }
    if SessionLife::needs_touch(seen, call.now) {
        db.touch_session(check.token_hash(), call.now.unix())
            .await?;
    }
    remember(check.token_hash(), &row);
    Ok(true)
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
