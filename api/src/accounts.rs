//! People, sessions and the links sent by email, on the wire. Each request parses into domain
//! values field by field; every refused field is reported, not just the first.

use pointdesk_domain::account::{Email, Locale, Password, PersonName, Reject};
use pointdesk_domain::policy::Role;
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;

/// Collects field errors while a request is parsed.
#[derive(Debug, Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    /// Keeps the value, or records why `field` was refused.
    pub fn take<T>(&mut self, field: &str, parsed: Result<T, Reject>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(r) => {
                self.refuse(field, r);
                None
            }
        }
    }

    pub fn refuse(&mut self, field: &str, r: Reject) {
        let limit = match r {
            Reject::TooShort { min } => Some(min as u64),
            Reject::TooLong { max } => Some(max as u64),
            Reject::Required | Reject::Malformed => None,
        };
        self.0.push(FieldError {
            field: field.into(),
            code: r.code().into(),
            limit,
        });
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// `Ok` with the values when nothing was refused.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            value().ok_or_else(Vec::new)
        } else {
            Err(self.0)
        }
    }
}

pub fn role_code(role: Role) -> &'static str {
    role.as_str()
}

pub fn parse_role(raw: &str) -> Result<Role, Reject> {
    Ok(match raw {
        "" => return Err(Reject::Required),
        "client_user" => Role::ClientUser,
        "client_admin" => Role::ClientAdmin,
        "engineer" => Role::Engineer,
        "manager" => Role::Manager,
        _ => return Err(Reject::Malformed),
    })
}

/// `POST /session`. The password is only checked for presence here: a wrong one and an unknown
/// address get the same answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

pub struct SignIn {
    pub email: Email,
    pub password: String,
}

impl TryFrom<SignInRequest> for SignIn {
    type Error = Vec<FieldError>;
    fn try_from(r: SignInRequest) -> Result<Self, Self::Error> {
        let mut f = Fields::default();
        let email = f.take("email", Email::parse(&r.email));
        if r.password.is_empty() {
            f.refuse("password", Reject::Required);
        } else if r.password.chars().count() > Password::MAX {
            f.refuse("password", Reject::TooLong { max: Password::MAX });
        }
        f.finish(|| {
            Some(SignIn {
                email: email?,
                password: r.password,
            })
        })
    }
}

/// The organisation a client person belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgRefDto {
    pub id: i64,
    pub name: String,
}

/// Who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeDto {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// `client_user`, `client_admin`, `engineer` or `manager`.
    #[serde(with = "crate::wire_enums::role")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: pointdesk_domain::policy::Role,
    /// `en` or `ru`.
    pub locale: String,
    /// Client people's organisation; none for provider staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrgRefDto>,
}

/// `GET /session`: the signed-in person, or `null` when the request carries no live session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionDto {
    pub me: Option<MeDto>,
}

/// `PATCH /me`: only what is sent changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateMeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

pub struct UpdateMe {
    pub name: Option<PersonName>,
    pub locale: Option<Locale>,
}

impl TryFrom<UpdateMeRequest> for UpdateMe {
    type Error = Vec<FieldError>;
    fn try_from(r: UpdateMeRequest) -> Result<Self, Self::Error> {
        let mut f = Fields::default();
        let name = r
            .name
            .as_deref()
            .map(|n| f.take("name", PersonName::parse(n)));
        let locale = r
            .locale
            .as_deref()
            .map(|l| f.take("locale", Locale::parse(l)));
        f.finish(|| {
            Some(UpdateMe {
                name: name.flatten(),
                locale: locale.flatten(),
            })
        })
    }
}

/// `PUT /me/password`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

pub struct ChangePassword {
    pub current: String,
    pub new: Password,
}

impl TryFrom<ChangePasswordRequest> for ChangePassword {
    type Error = Vec<FieldError>;
    fn try_from(r: ChangePasswordRequest) -> Result<Self, Self::Error> {
        let mut f = Fields::default();
        if r.current_password.is_empty() {
            f.refuse("current_password", Reject::Required);
        }
        let new = f.take("new_password", Password::parse(&r.new_password));
        f.finish(|| {
            Some(ChangePassword {
                current: r.current_password,
                new: new?,
            })
        })
    }
}

/// `POST /password-reset-requests`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    pub email: String,
}

impl TryFrom<PasswordResetRequest> for Email {
    type Error = Vec<FieldError>;
    fn try_from(r: PasswordResetRequest) -> Result<Self, Self::Error> {
        let mut f = Fields::default();
        let email = f.take("email", Email::parse(&r.email));
        f.finish(|| email)
    }
}

/// `POST /password-resets`: the token from the emailed link and the new password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPasswordRequest {
    pub token: String,
    pub password: String,
}

/// A token from an emailed link and the password it lets its holder set.
pub struct TokenAndPassword {
    pub token: String,
    pub password: Password,
    pub name: Option<PersonName>,
}

fn token_and_password(
    token: &str,
    password: &str,
    name: Option<&str>,
) -> Result<TokenAndPassword, Vec<FieldError>> {
    let mut f = Fields::default();
    let token = token.trim();
    if token.is_empty() {
        f.refuse("token", Reject::Required);
    } else if token.len() > 64 || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        f.refuse("token", Reject::Malformed);
    }
    let password = f.take("password", Password::parse(password));
    let name = name.map(|n| f.take("name", PersonName::parse(n)));
    f.finish(|| {
        Some(TokenAndPassword {
            token: token.to_owned(),
            password: password?,
            name: name.flatten(),
        })
    })
}

impl TryFrom<ResetPasswordRequest> for TokenAndPassword {
    type Error = Vec<FieldError>;
    fn try_from(r: ResetPasswordRequest) -> Result<Self, Self::Error> {
        token_and_password(&r.token, &r.password, None)
    }
}

/// `POST /invitations/accept`: the invitation's token, a first password and, optionally, the
/// name the person wants to be called.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitationRequest {
    pub token: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl TryFrom<AcceptInvitationRequest> for TokenAndPassword {
    type Error = Vec<FieldError>;
    fn try_from(r: AcceptInvitationRequest) -> Result<Self, Self::Error> {
        token_and_password(&r.token, &r.password, r.name.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refused_field_is_named() {
        let errs = SignIn::try_from(SignInRequest {
            email: "nope".into(),
            password: String::new(),
        })
        .err()
        .unwrap_or_default();
        let got: Vec<(&str, &str)> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(got, [("email", "malformed"), ("password", "required")]);

        let errs = ChangePassword::try_from(ChangePasswordRequest {
            current_password: "x".into(),
            new_password: "short".into(),
        })
        .err()
        .unwrap_or_default();
        assert_eq!(
            errs,
            [FieldError {
                field: "new_password".into(),
                code: "too_short".into(),
                limit: Some(10)
            }]
        );

        let errs = TokenAndPassword::try_from(AcceptInvitationRequest {
            token: "abc-def".into(),
            password: "long enough".into(),
            name: Some(" ".into()),
        })
        .err()
        .unwrap_or_default();
        let got: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(got, ["token", "name"]);
    }

    #[test]
    fn updates_change_only_what_is_sent() {
        let u = UpdateMe::try_from(UpdateMeRequest {
            name: None,
            locale: Some("en".into()),
        })
        .ok();
        assert!(u
            .as_ref()
            .is_some_and(|u| u.name.is_none() && u.locale == Some(Locale::En)));
        assert!(UpdateMe::try_from(UpdateMeRequest {
            name: None,
            locale: Some("de".into()),
        })
        .is_err());
    }
}
