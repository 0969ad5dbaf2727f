//! People (list, invite, deactivate), the outbox and the audit log.

use pointdesk_api::accounts::parse_role;
use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::organizations::{
    AuditEntryDto, AuditLogDto, Invite, InviteUserRequest, MailDto, OutboxDto, UserDto, UserListDto,
};
use pointdesk_api::problem::FieldError;
use pointdesk_domain::account::LinkLife;
use pointdesk_domain::policy::{Action, Role};
use worker::Response;

use crate::auth::Token;
use crate::db::unless_taken;
use crate::db::{Db, Mail, NewPerson, PersonRow};
use crate::docs::{audit_page, outbox_page};
use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, wants_html, Call, Session};
use crate::mail;

fn user_dto(p: &PersonRow) -> AppResult<UserDto> {
    Ok(UserDto {
        id: p.id,
        email: p.email.clone(),
        name: p.name.clone(),
        role: parse_role(&p.role)
            .map_err(|_| AppError::Internal(format!("user {} has role {}", p.id, p.role)))?,
        locale: p.locale.clone(),
        active: p.active == 1,
        invited: p.invited == 1,
        organization: p.org_id.map(|id| OrgRefDto {
            id,
            name: p.org_name.clone().unwrap_or_default(),
        }),
    })
}

/// `listUsers`: a manager sees everyone of the provider (or one organisation with
/// `?organization_id=`), a client admin their own organisation.
pub async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    let org = if who.actor.role.is_client() {
        let own = who.org();
        who.may(Action::ManageOrgUsers, own)?;
        own
    } else {
        let url = call.req.url()?;
        let org = url
            .query_pairs()
            .find(|(k, _)| k == "organization_id")
            .and_then(|(_, v)| v.parse::<i64>().ok());
        match org {
            // Engineers see a client's people too: they open tickets for whoever called.
            Some(org) => who.may(Action::ViewTickets, Some(org))?,
            None => who.may_provider_wide(Action::ManageClients)?,
        }
        org
    };
    let items = db
        .people(who.provider(), org)
        .await?
        .iter()
        .map(user_dto)
        .collect::<AppResult<_>>()?;
    json(&UserListDto { items })
}

/// `inviteUser`: the person is created without a password; a link to set one goes to the
/// outbox in the same batch, in their language.
pub async fn invite(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let req: InviteUserRequest = read_json(&mut call.req).await?;
    let invite = Invite::try_from(req)?;
    let db = call.db()?;
    let org = destination(&db, who, &invite).await?;
    if db.person_by_email(invite.email.as_str()).await?.is_some() {
        return Err(AppError::Fields(vec![FieldError::new("email", "taken")]));
    }
    let org_row = match org {
        Some(id) => db.organization(who.provider(), id).await?,
        None => None,
    };
    let locale = invite
        .locale
        .map(|l| l.code().to_owned())
        .or_else(|| org_row.as_ref().map(|o| o.locale.clone()))
        .unwrap_or_else(|| who.user.locale.clone());
    let token = Token::new()?;
    let link = format!("{}/accept-invitation#token={}", call.origin(), token.secret);
    let org_name = org_row.as_ref().map_or("Pointdesk", |o| o.name.as_str());
    let letter = mail::invitation(
        &locale,
        invite.name.as_str(),
        &who.user.name,
        org_name,
        &link,
    );
    let now = call.now.unix();
    let email = invite.email.as_str();
    let after =
        serde_json::json!({ "email": email, "role": invite.role.as_str(), "organization_id": org })
            .to_string();
    let result = db
        .batch(vec![
            db.insert_person(
                &NewPerson {
                    provider: who.provider(),
                    org,
                    email,
                    name: invite.name.as_str(),
                    role: invite.role.as_str(),
                    locale: &locale,
                },
                now,
            )?,
            db.insert_invitation_for(
                &token.hash,
                email,
                who.user.id,
                now,
                now + LinkLife::INVITATION_SECS,
            )?,
            db.insert_mail(
                &Mail {
                    provider_id: who.provider(),
                    to: email,
                    locale: &locale,
                    kind: "invitation",
                    subject: &letter.subject,
                    body: &letter.body,
                    link: Some(&link),
                },
                now,
            )?,
            db.insert_audit(&who.audit(
                "user.invite",
                &format!("user:{email}"),
                org,
                (None, Some(&after)),
                now,
            ))?,
        ])
        .await;
    unless_taken(result, "email")?;
    mail::announce(call.env, email, &letter.subject, &link);
    let person = db
        .person_by_email(email)
        .await?
        .ok_or_else(|| AppError::Internal("the invited person is missing".into()))?;
    Ok(json(&user_dto(&person)?)?.with_status(201))
}

/// The organisation an invited person joins (`None`: staff), if the inviter may put them there.
async fn destination(db: &Db, who: &Session, invite: &Invite) -> AppResult<Option<i64>> {
    Ok(if who.actor.role.is_client() {
        who.may(Action::ManageOrgUsers, who.org())?;
        if !invite.role.is_client() {
            return Err(AppError::Fields(vec![FieldError::new(
                "role",
                "not_allowed",
            )]));
        }
        if invite.organization_id.is_some_and(|o| Some(o) != who.org()) {
            return Err(AppError::Fields(vec![FieldError::new(
                "organization_id",
                "not_allowed",
            )]));
        }
        who.org()
    } else {
        who.may_provider_wide(Action::ManageClients)?;
        match (invite.role.is_client(), invite.organization_id) {
            (true, Some(id)) => {
                if db.organization(who.provider(), id).await?.is_none() {
                    return Err(AppError::Fields(vec![FieldError::new(
                        "organization_id",
                        "unknown",
                    )]));
                }
                Some(id)
            }
            (true, None) => {
                return Err(AppError::Fields(vec![FieldError::new(
                    "organization_id",
                    "required",
                )]))
            }
            (false, Some(_)) => {
                return Err(AppError::Fields(vec![FieldError::new(
                    "organization_id",
                    "not_allowed",
                )]))
            }
            (false, None) => None,
        }
    })
}

/// `deactivateUser`: the person can no longer sign in and every session of theirs ends now.
pub async fn deactivate(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let db = call.db()?;
    let person = db
        .person(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    match person.org_id {
        Some(org) => who.may(Action::ManageOrgUsers, Some(org))?,
        None => who.may_provider_wide(Action::ManageClients)?,
    }
    if who.actor.role == Role::ClientAdmin && person.org_id != who.org() {
        return Err(AppError::NotFound);
    }
    if person.id == who.user.id {
        return Err(AppError::Fields(vec![FieldError::new("id", "self")]));
    }
    let now = call.now.unix();
    let before = serde_json::to_string(&user_dto(&person)?).unwrap_or_default();
    db.batch(vec![
        db.deactivate_person(who.provider(), id, now)?,
        db.delete_sessions_of(id)?,
        db.insert_audit(&who.audit(
            "user.deactivate",
            &format!("user:{id}"),
            person.org_id,
            (Some(&before), Some(r#"{"active":false}"#)),
            now,
        ))?,
    ])
    .await?;
    let person = db
        .person(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    json(&user_dto(&person)?)
}

/// The provider's offset from UTC now, in minutes (times on the pages are the provider's).
fn offset(call: &Call<'_>, who: &Session) -> i32 {
    crate::zone::offset_minutes(&who.user.time_zone, call.now).unwrap_or(0)
}

/// `listOutbox`: the newest 100 mails.
pub async fn outbox(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageClients)?;
    let db = call.db()?;
    let domain = mail::domain(call.env);
    let items = db
        .outbox(who.provider(), 100)
        .await?
        .into_iter()
        .map(|m| MailDto {
            message_id: mail::mime::message_id(m.id, m.ticket_id, &domain),
            id: m.id,
            to: m.to_email,
            locale: m.locale,
            kind: m.kind,
            subject: m.subject,
            // Staff read the outbox; only the recipient may use an emailed link.
            body: mail::mask_tokens(&m.body),
            link: m.link.map(|l| mail::mask_tokens(&l)),
            created_at: m.created_at,
            sent_at: m.sent_at,
        })
        .collect::<Vec<_>>();
    if wants_html(call)? {
        return outbox_page(&items, who.user.locale == "ru", offset(call, who));
    }
    json(&OutboxDto { items })
}

/// `listAuditLog`: the newest 200 entries.
pub async fn audit_log(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ViewAudit)?;
    let db = call.db()?;
    let items = db
        .audit_log(who.provider(), 200)
        .await?
        .into_iter()
        .map(|a| AuditEntryDto {
            id: a.id,
            at: a.at,
            actor: a.actor,
            action: a.action,
            object: a.object,
            before: a.before,
            after: a.after,
        })
        .collect::<Vec<_>>();
    if wants_html(call)? {
        return audit_page(&items, who.user.locale == "ru", offset(call, who));
    }
    json(&AuditLogDto { items })
}
