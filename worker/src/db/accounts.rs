//! People, sessions, emailed links, sign-in throttling, the outbox and the audit log.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1PreparedStatement;

use super::{int, text, Db};
use crate::error::AppResult;

/// A person as the session and the policy need them.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub provider_id: i64,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub locale: String,
    /// The provider's time zone (IANA name).
    #[serde(default = "utc")]
    pub time_zone: String,
}

fn utc() -> String {
    "UTC".to_owned()
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SessionRow {
    #[serde(flatten)]
    pub user: UserRow,
    pub created_at: i64,
    pub last_seen_at: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Credentials {
    #[serde(flatten)]
    pub user: UserRow,
    pub password_hash: Option<String>,
    /// 0 when the person's organisation is deactivated (staff: 1).
    pub org_active: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct FailureRow {
    pub key: String,
    pub failures: i64,
    pub last_failure_at: i64,
    pub blocked_until: i64,
}

/// A mail to put in the outbox.
pub struct Mail<'a> {
    pub provider_id: i64,
    pub to: &'a str,
    pub locale: &'a str,
    pub kind: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub link: Option<&'a str>,
}

/// A privileged action for the audit log.
pub struct Audit<'a> {
    pub provider_id: i64,
    pub org_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub object: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub at: i64,
}

const USER_COLUMNS: &str = "u.id, u.provider_id, u.org_id, o.name AS org_name, u.email, u.name, \
     (SELECT time_zone FROM providers WHERE id = u.provider_id) AS time_zone, \
     u.role, u.locale";

impl Db {
    /// The live session with this token hash and its (active) person, if any.
    pub async fn session(&self, token_hash: &str) -> AppResult<Option<SessionRow>> {
        Ok(self.session_statement(token_hash)?.first(None).await?)
    }

    /// The live session of a token: its person (active, in an active organisation), with the
    /// provider's zone.
    pub(super) fn session_statement(&self, token_hash: &str) -> AppResult<D1PreparedStatement> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.created_at, s.last_seen_at FROM sessions s \
             JOIN users u ON u.id = s.user_id LEFT JOIN organisations o ON o.id = u.org_id \
             WHERE s.token_hash = ?1 AND u.active = 1 AND (u.org_id IS NULL OR o.active = 1)"
        );
        self.statement(sql, &[text(token_hash)])
    }

    pub async fn touch_session(&self, token_hash: &str, now: i64) -> AppResult<()> {
        self.statement(
            "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
            &[text(token_hash), int(now)],
        )?
        .run()
        .await?;
        Ok(())
    }

    /// An active person by email, with their password hash (none until they accept an
    /// invitation).
    pub async fn credentials(&self, email: &str) -> AppResult<Option<Credentials>> {
        self.credentials_where("u.email = ?1", text(email)).await
    }

    pub async fn credentials_by_id(&self, user_id: i64) -> AppResult<Option<Credentials>> {
        self.credentials_where("u.id = ?1", int(user_id)).await
    }

    async fn credentials_where(
        &self,
        condition: &str,
        arg: JsValue,
    ) -> AppResult<Option<Credentials>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, u.password_hash, coalesce(o.active, 1) AS org_active FROM users u \
             LEFT JOIN organisations o ON o.id = u.org_id WHERE {condition} AND u.active = 1"
        );
        self.first(sql, &[arg]).await
    }

    pub async fn signin_failures(&self, keys: &[&str]) -> AppResult<Vec<FailureRow>> {
        let placeholders: Vec<String> = (1..=keys.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "SELECT key, failures, last_failure_at, blocked_until FROM signin_failures \
             WHERE key IN ({})",
            placeholders.join(", ")
        );
        let args: Vec<JsValue> = keys.iter().map(|k| text(k)).collect();
        self.all(sql, &args).await
    }

    /// Counts one failure for `key`; `wait` gives the block for a failure count.
    pub fn record_failure(
        &self,
        key: &str,
        failures: i64,
        blocked_until: i64,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO signin_failures (key, failures, last_failure_at, blocked_until) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE SET \
                 failures = excluded.failures, last_failure_at = excluded.last_failure_at, \
                 blocked_until = excluded.blocked_until",
            &[text(key), int(failures), int(now), int(blocked_until)],
        )
    }

    /// Ends every session of an organisation's people (it was deactivated).
    pub fn end_org_sessions(&self, org: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE org_id = ?1)",
            &[int(org)],
        )
    }

    pub fn clear_failures(&self, key: &str) -> AppResult<D1PreparedStatement> {
        self.statement("DELETE FROM signin_failures WHERE key = ?1", &[text(key)])
    }

    pub fn insert_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?3, ?4)",
            &[text(token_hash), int(user_id), int(now), int(expires_at)],
        )
    }

    pub fn delete_session(&self, token_hash: &str) -> AppResult<D1PreparedStatement> {
        self.statement(
            "DELETE FROM sessions WHERE token_hash = ?1",
            &[text(token_hash)],
        )
    }

    pub fn delete_sessions_of(&self, user_id: i64) -> AppResult<D1PreparedStatement> {
        self.statement("DELETE FROM sessions WHERE user_id = ?1", &[int(user_id)])
    }

    pub fn set_password(
        &self,
        user_id: i64,
        phc: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
            &[int(user_id), text(phc), int(now)],
        )
    }

    pub fn update_me(
        &self,
        user_id: i64,
        name: Option<&str>,
        locale: Option<&str>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE users SET name = coalesce(?2, name), locale = coalesce(?3, locale), \
                 updated_at = ?4 WHERE id = ?1",
            &[
                int(user_id),
                name.map_or(JsValue::NULL, text),
                locale.map_or(JsValue::NULL, text),
                int(now),
            ],
        )
    }

    /// A new single-use link (`invitation` or `reset`).
    pub fn insert_email_token(
        &self,
        token_hash: &str,
        purpose: &str,
        user_id: i64,
        created_by: Option<i64>,
        now: i64,
        expires_at: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO email_tokens (token_hash, purpose, user_id, created_by, created_at, \
                 expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                text(token_hash),
                text(purpose),
                int(user_id),
                created_by.map_or(JsValue::NULL, int),
                int(now),
                int(expires_at),
            ],
        )
    }

    /// When this person last got a link of this purpose (to space out reset mails).
    pub async fn last_email_token(&self, user_id: i64, purpose: &str) -> AppResult<Option<i64>> {
        #[derive(Deserialize)]
        struct Last {
            at: Option<i64>,
        }
        let row: Option<Last> = self
            .d1
            .prepare(
                "SELECT max(created_at) AS at FROM email_tokens WHERE user_id = ?1 AND purpose = ?2",
            )
            .bind(&[int(user_id), text(purpose)])?
            .first(None)
            .await?;
        Ok(row.and_then(|r| r.at))
    }

    /// Marks a live link used with this request's `claim`; the statements built by
    /// [`Db::for_claim`] then act only if this one changed a row.
    pub fn claim_email_token(
        &self,
        token_hash: &str,
        purpose: &str,
        claim: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE email_tokens SET used_at = ?4, claim = ?3 WHERE token_hash = ?1 \
                 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?4",
            &[text(token_hash), text(purpose), text(claim), int(now)],
        )
    }

    /// The claimed link's person gets a password (and, from an invitation, maybe a name);
    /// every session of theirs ends.
    pub fn claimed_set_password(
        &self,
        claim: &str,
        phc: &str,
        name: Option<&str>,
        now: i64,
    ) -> AppResult<Vec<D1PreparedStatement>> {
        let who = "(SELECT user_id FROM email_tokens WHERE claim = ?1)";
        Ok(vec![
            self.d1
                .prepare(format!(
                    "UPDATE users SET password_hash = ?2, name = coalesce(?3, name), \
                     updated_at = ?4 WHERE id = {who} AND active = 1"
                ))
                .bind(&[
                    text(claim),
                    text(phc),
                    name.map_or(JsValue::NULL, text),
                    int(now),
                ])?,
            self.d1
                .prepare(format!("DELETE FROM sessions WHERE user_id = {who}"))
                .bind(&[text(claim)])?,
        ])
    }

    /// A session for the claimed link's person (an accepted invitation signs them in).
    pub fn claimed_session(
        &self,
        claim: &str,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
                 SELECT ?2, t.user_id, ?3, ?3, ?4 FROM email_tokens t JOIN users u ON u.id = t.user_id \
                 WHERE t.claim = ?1 AND u.active = 1 AND NOT EXISTS (SELECT 1 FROM organisations o \
                 WHERE o.id = u.org_id AND o.active = 0)", &[text(claim), text(token_hash), int(now), int(expires_at)])
    }

    pub async fn claimed_user(&self, claim: &str) -> AppResult<Option<UserRow>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM email_tokens t JOIN users u ON u.id = t.user_id \
             LEFT JOIN organisations o ON o.id = u.org_id WHERE t.claim = ?1"
        );
        self.first(sql, &[text(claim)]).await
    }

    pub fn insert_mail(&self, m: &Mail<'_>, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO outbox (provider_id, to_email, locale, kind, subject, body, link, \
                 created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[
                int(m.provider_id),
                text(m.to),
                text(m.locale),
                text(m.kind),
                text(m.subject),
                text(m.body),
                m.link.map_or(JsValue::NULL, text),
                int(now),
            ],
        )
    }

    /// Mail not yet sent and not given up on (five attempts), oldest first.
    pub async fn unsent_mail(&self, limit: i64) -> AppResult<Vec<super::clients::MailRow>> {
        self.all(
            "SELECT id, to_email, locale, kind, subject, body, link, created_at, sent_at, \
                 ticket_id FROM outbox WHERE sent_at IS NULL AND attempts < 5 ORDER BY id LIMIT ?1",
            &[int(limit)],
        )
        .await
    }

    /// Records a delivery: sent, or one more failed attempt with its error.
    pub fn mark_mail(
        &self,
        id: i64,
        error: Option<&str>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        Ok(match error {
            None => self
                .d1
                .prepare("UPDATE outbox SET sent_at = ?2, attempts = attempts + 1 WHERE id = ?1")
                .bind(&[int(id), int(now)])?,
            Some(e) => self
                .d1
                .prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1")
                .bind(&[int(id), text(e)])?,
        })
    }

    pub fn insert_audit(&self, a: &Audit<'_>) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO audit_log (provider_id, org_id, actor_id, action, object, before, \
                 after, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[
                int(a.provider_id),
                a.org_id.map_or(JsValue::NULL, int),
                a.actor_id.map_or(JsValue::NULL, int),
                text(a.action),
                text(a.object),
                a.before.map_or(JsValue::NULL, text),
                a.after.map_or(JsValue::NULL, text),
                int(a.at),
            ],
        )
    }
}
