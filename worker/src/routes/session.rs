//! Signing in and out, who am I, passwords, and the emailed links that set them.

use pointdesk_api::accounts::{
    AcceptInvitationRequest, ChangePassword, ChangePasswordRequest, MeDto, OrgRefDto,
    PasswordResetRequest, ResetPasswordRequest, SessionDto, SignIn, SignInRequest,
    TokenAndPassword, UpdateMe, UpdateMeRequest,
};
use pointdesk_domain::account::{Email, LinkLife, SessionLife, Throttle};
use pointdesk_domain::time::Timestamp;
use worker::Response;

use crate::auth::{self, Token};
use crate::db::{Audit, Db, Mail, UserRow};
use crate::error::{AppError, AppResult};
use crate::http::{authenticate, json, read_json, Call, Session};
use crate::mail;

pub fn me_dto(u: &UserRow) -> AppResult<MeDto> {
    Ok(MeDto {
        id: u.id,
        email: u.email.clone(),
        name: u.name.clone(),
        role: pointdesk_api::accounts::parse_role(&u.role)
            .map_err(|_| AppError::Internal(format!("user {} has role {}", u.id, u.role)))?,
        locale: u.locale.clone(),
        organization: u.org_id.map(|id| OrgRefDto {
            id,
            name: u.org_name.clone().unwrap_or_default(),
        }),
    })
}

fn with_cookie(mut resp: Response, cookie: &str) -> AppResult<Response> {
    resp.headers_mut().set("set-cookie", cookie)?;
    Ok(resp)
}

/// The client's address as Cloudflare reports it.
fn client_address(call: &Call<'_>) -> String {
    call.req
        .headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".into())
}

/// `signIn`. Throttled per account and address together, and per address: failures from one
/// address never lock the account for another (`Throttle`). The same answer for an unknown
/// address and a wrong password; a new session (and token) every time, and the session the
/// request came with, if any, ends.
pub async fn sign_in(call: &mut Call<'_>) -> AppResult<Response> {
    let req: SignInRequest = read_json(&mut call.req).await?;
    let input = SignIn::try_from(req)?;
    let db = call.db()?;
    let now = call.now.unix();
    let address = client_address(call);
    let pair_key = format!("pair:{}|{address}", input.email.as_str());
    let address_key = format!("address:{address}");
    let stored = db.signin_failures(&[&pair_key, &address_key]).await?;
    // Failures that still count (a quiet quarter of an hour starts a counter again).
    let live = |key: &str| {
        stored.iter().find(|f| f.key == key).map_or(0, |f| {
            Throttle::live_failures(
                u32::try_from(f.failures).unwrap_or(u32::MAX),
                Timestamp::from_unix(f.last_failure_at),
                call.now,
            )
        })
    };
    let blocked = stored
        .iter()
        .filter(|f| live(&f.key) > 0)
        .filter_map(|f| Throttle::retry_after(Timestamp::from_unix(f.blocked_until), call.now))
        .max();
    if let Some(wait) = blocked {
        return Err(AppError::TooManyAttempts {
            retry_after: u64::try_from(wait).unwrap_or(1),
        });
    }
    let found = db.credentials(input.email.as_str()).await?;
    let phc = found.as_ref().and_then(|c| c.password_hash.as_deref());
    if !auth::verify_password(&input.password, phc) {
        let mut batch = Vec::new();
        for (key, kind) in [
            (&pair_key, Throttle::Account),
            (&address_key, Throttle::Address),
        ] {
            let count = live(key).saturating_add(1);
            let wait = kind.wait_after(count);
            batch.push(db.record_failure(key, i64::from(count), now + wait, now)?);
        }
        db.batch(batch).await?;
        return Err(AppError::InvalidCredentials);
    }
    let Some(found) = found else {
        return Err(AppError::InvalidCredentials);
    };
    if found.org_active == 0 {
        // Only after the right password: the answer says the account exists.
        return Err(AppError::OrganizationInactive);
    }
    let user = found.user;
    let token = Token::new()?;
    let mut batch = vec![
        db.clear_failures(&pair_key)?,
        db.insert_session(&token.hash, user.id, now, now + SessionLife::ABSOLUTE_SECS)?,
    ];
    let presented = call.req.headers().get("cookie")?;
    if let Some(old) = auth::session_cookie(presented.as_deref()) {
        batch.push(db.delete_session(&auth::token_hash(old))?);
    }
    db.batch(batch).await?;
    with_cookie(
        json(&me_dto(&user)?)?,
        &auth::set_session_cookie(&token.secret),
    )
}

/// `signOut`: the session ends now; the cookie is cleared.
pub async fn sign_out(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    db.batch(vec![db.delete_session(&who.token_hash)?]).await?;
    with_cookie(
        Response::empty()?.with_status(204),
        &auth::clear_session_cookie(),
    )
}

/// `getSession`: who is signed in, or nobody; never 401 (a signed-out visit is not an error).
pub async fn current(call: &Call<'_>) -> AppResult<Response> {
    let me = match authenticate(call).await {
        Ok(who) => Some(me_dto(&who.user)?),
        Err(AppError::Unauthenticated) => None,
        Err(e) => return Err(e),
    };
    json(&SessionDto { me })
}

/// `getMe`.
pub fn me(who: &Session) -> AppResult<Response> {
    json(&me_dto(&who.user)?)
}

/// `updateMe`: name and language.
pub async fn update_me(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let req: UpdateMeRequest = read_json(&mut call.req).await?;
    let change = UpdateMe::try_from(req)?;
    let db = call.db()?;
    db.batch(vec![db.update_me(
        who.user.id,
        change.name.as_ref().map(|n| n.as_str()),
        change.locale.map(|l| l.code()),
        call.now.unix(),
    )?])
    .await?;
    let mut user = who.user.clone();
    if let Some(n) = change.name {
        user.name = n.as_str().to_owned();
    }
    if let Some(l) = change.locale {
        user.locale = l.code().to_owned();
    }
    json(&me_dto(&user)?)
}

/// `changePassword`: needs the current password; every session of this person ends, and this
/// client gets a fresh one.
pub async fn change_password(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let req: ChangePasswordRequest = read_json(&mut call.req).await?;
    let change = ChangePassword::try_from(req)?;
    let db = call.db()?;
    let creds = db
        .credentials_by_id(who.user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !auth::verify_password(&change.current, creds.password_hash.as_deref()) {
        return Err(AppError::Fields(vec![
            pointdesk_api::problem::FieldError::new("current_password", "wrong"),
        ]));
    }
    let now = call.now.unix();
    let phc = auth::hash_password(change.new.as_str())?;
    let token = Token::new()?;
    db.batch(vec![
        db.set_password(who.user.id, &phc, now)?,
        db.delete_sessions_of(who.user.id)?,
        db.insert_session(
            &token.hash,
            who.user.id,
            now,
            now + SessionLife::ABSOLUTE_SECS,
        )?,
        db.insert_audit(&who.audit(
            "password.change",
            &format!("user:{}", who.user.id),
            who.user.org_id,
            (None, None),
            now,
        ))?,
    ])
    .await?;
    with_cookie(
        Response::empty()?.with_status(204),
        &auth::set_session_cookie(&token.secret),
    )
}

/// `requestPasswordReset`: always 202, whether or not the address is known. A known, active
/// person gets a link (at most one a minute) by mail.
pub async fn request_reset(call: &mut Call<'_>) -> AppResult<Response> {
    let req: PasswordResetRequest = read_json(&mut call.req).await?;
    let email = Email::try_from(req)?;
    let db = call.db()?;
    let now = call.now.unix();
    if let Some(found) = db.credentials(email.as_str()).await? {
        let user = found.user;
        let recent = db
            .last_email_token(user.id, "reset")
            .await?
            .is_some_and(|at| now - at < 60);
        if !recent {
            let token = Token::new()?;
            let link = format!("{}/reset-password#token={}", call.origin(), token.secret);
            let letter = mail::reset(&user.locale, &user.name, &link);
            db.batch(vec![
                db.insert_email_token(
                    &token.hash,
                    "reset",
                    user.id,
                    None,
                    now,
                    now + LinkLife::RESET_SECS,
                )?,
                db.insert_mail(
                    &Mail {
                        provider_id: user.provider_id,
                        to: &user.email,
                        locale: &user.locale,
                        kind: "password_reset",
                        subject: &letter.subject,
                        body: &letter.body,
                        link: Some(&link),
                    },
                    now,
                )?,
            ])
            .await?;
            mail::announce(call.env, &user.email, &letter.subject, &link);
        }
    }
    Ok(Response::empty()?.with_status(202))
}

/// Claims an emailed link for this request and runs `then` in the same batch; fails with
/// `LinkInvalid` unless this request was the one that used it.
async fn claim_link(
    db: &Db,
    token: &str,
    purpose: &str,
    now: i64,
    then: impl FnOnce(&str) -> AppResult<Vec<worker::D1PreparedStatement>>,
) -> AppResult<String> {
    let claim = auth::hex(&auth::random_bytes()?);
    let mut batch = vec![db.claim_email_token(&auth::token_hash(token), purpose, &claim, now)?];
    batch.extend(then(&claim)?);
    let changed = db.batch(batch).await?;
    if changed.first() == Some(&1) {
        Ok(claim)
    } else {
        Err(AppError::LinkInvalid)
    }
}

/// `resetPassword`: the link works once; every session of the person ends.
pub async fn reset_password(call: &mut Call<'_>) -> AppResult<Response> {
    let req: ResetPasswordRequest = read_json(&mut call.req).await?;
    let input = TokenAndPassword::try_from(req)?;
    let db = call.db()?;
    let now = call.now.unix();
    let phc = auth::hash_password(input.password.as_str())?;
    let claim = claim_link(&db, &input.token, "reset", now, |claim| {
        db.claimed_set_password(claim, &phc, None, now)
    })
    .await?;
    if let Some(user) = db.claimed_user(&claim).await? {
        db.batch(vec![db.insert_audit(&Audit {
            provider_id: user.provider_id,
            org_id: user.org_id,
            actor_id: Some(user.id),
            action: "password.reset",
            object: &format!("user:{}", user.id),
            before: None,
            after: None,
            at: now,
        })?])
        .await?;
    }
    Ok(Response::empty()?.with_status(204))
}

/// `acceptInvitation`: sets the first password (and maybe the name) and signs the person in.
pub async fn accept_invitation(call: &mut Call<'_>) -> AppResult<Response> {
    let req: AcceptInvitationRequest = read_json(&mut call.req).await?;
    let input = TokenAndPassword::try_from(req)?;
    let db = call.db()?;
    let now = call.now.unix();
    let phc = auth::hash_password(input.password.as_str())?;
    let session = Token::new()?;
    let name = input.name.as_ref().map(|n| n.as_str().to_owned());
    let claim = claim_link(&db, &input.token, "invitation", now, |claim| {
        let mut s = db.claimed_set_password(claim, &phc, name.as_deref(), now)?;
        s.push(db.claimed_session(claim, &session.hash, now, now + SessionLife::ABSOLUTE_SECS)?);
        Ok(s)
    })
    .await?;
    let user = db
        .claimed_user(&claim)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    if db
        .credentials_by_id(user.id)
        .await?
        .is_some_and(|c| c.org_active == 0)
    {
        // The password is set; the session was not made (its organisation is deactivated).
        return Err(AppError::OrganizationInactive);
    }
    with_cookie(
        json(&me_dto(&user)?)?,
        &auth::set_session_cookie(&session.secret),
    )
}
