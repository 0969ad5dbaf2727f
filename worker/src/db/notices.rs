//! The notification centre and its mail: the organisation-wide notices a ledger decision
//! writes, a person's notices, read marks and muted kinds.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{int, text, Db};
use crate::error::AppResult;

#[derive(Clone, Debug, Deserialize)]
pub struct NoticeRow {
    pub id: i64,
    pub kind: String,
    pub ticket_id: Option<i64>,
    pub data: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub organization: Option<String>,
}

/// A notice to an organisation's alert recipients (its client admins when none are chosen):
/// a row in each one's notification centre and, unless they muted the kind, a mail in their
/// language.
pub struct OrgNotice<'a> {
    pub org: i64,
    pub kind: &'a str,
    pub data: &'a str,
    pub subject: (&'a str, &'a str),
    pub body: (&'a str, &'a str),
    pub link: &'a str,
    /// The provider's managers hear of it too.
    pub managers: bool,
}

const RECIPIENTS: &str = "FROM users u JOIN organisations o ON o.id = u.org_id \
     WHERE o.id = ?1 AND u.active = 1 AND (u.id IN (SELECT value FROM json_each(o.alert_recipients)) \
     OR (json_array_length(o.alert_recipients) = 0 AND u.role = 'client_admin'))";

/// [`RECIPIENTS`] and the provider's active managers.
const RECIPIENTS_AND_MANAGERS: &str = "FROM users u JOIN organisations o ON o.id = ?1 \
     WHERE u.active = 1 AND ((u.org_id = o.id AND (u.id IN (SELECT value FROM \
     json_each(o.alert_recipients)) OR (json_array_length(o.alert_recipients) = 0 \
     AND u.role = 'client_admin'))) OR (u.provider_id = o.provider_id AND u.role = 'manager'))";

/// Who a [`PeopleNotice`] goes to (active people of the provider only).
#[derive(Clone, Copy)]
pub enum Recipients {
    /// The engineers on duty for this organisation (every engineer when none is chosen), and
    /// its managers too when `managers` (an urgent ticket).
    OnDuty { org: i64, managers: bool },
    /// One person.
    Person(i64),
    /// The provider's managers.
    Managers,
}

impl Recipients {
    /// The condition on `u` (?8: the target id, ?9: the managers flag).
    fn condition(self) -> (&'static str, i64, bool) {
        match self {
            Recipients::OnDuty { org, managers } => (
                "(u.role = 'engineer' AND (u.id IN (SELECT user_id FROM org_duty WHERE org_id = ?8) \
                 OR NOT EXISTS (SELECT 1 FROM org_duty d JOIN users e ON e.id = d.user_id \
                 WHERE d.org_id = ?8 AND e.active = 1))) OR (?9 = 1 AND u.role = 'manager')",
                org,
                managers,
            ),
            Recipients::Person(id) => ("u.id = ?8", id, false),
            Recipients::Managers => ("u.role = 'manager' AND ?8 = ?8", 0, false),
        }
    }
}

/// A notice to people chosen by their role or id rather than by following a ticket: a row in
/// each one's notification centre and, unless they muted the kind, a mail in their language.
pub struct PeopleNotice<'a> {
    pub provider: i64,
    pub to: Recipients,
    /// Not to this person (the one who acted).
    pub except: Option<i64>,
    pub kind: &'a str,
    pub org: Option<i64>,
    pub ticket: Option<i64>,
    pub data: &'a str,
    pub subject: (&'a str, &'a str),
    pub body: (&'a str, &'a str),
    pub link: &'a str,
}

/// The ticket an entry's reference belongs to.
impl Db {
    /// The notification rows and mail of a [`PeopleNotice`].
    pub fn people_notice(
        &self,
        n: &PeopleNotice<'_>,
        at: i64,
    ) -> AppResult<Vec<D1PreparedStatement>> {
        let (condition, target, managers) = n.to.condition();
        let people = format!(
            "FROM users u WHERE u.provider_id = ?1 AND u.active = 1 AND u.id <> ?7 \
             AND ({condition})"
        );
        let common = [
            int(n.provider),
            text(n.kind),
            super::opt(n.org),
            super::opt(n.ticket),
            text(n.data),
            int(at),
            int(n.except.unwrap_or(-1)),
            int(target),
            int(i64::from(managers)),
        ];
        let mut mail = common.to_vec();
        mail.extend([
            text(n.subject.0),
            text(n.subject.1),
            text(n.body.0),
            text(n.body.1),
            text(n.link),
        ]);
        Ok(vec![
            self.statement(
                format!(
                    "INSERT INTO notifications (user_id, kind, org_id, ticket_id, data, created_at) \
                     SELECT u.id, ?2, ?3, ?4, ?5, ?6 {people} AND ?9 = ?9"
                ),
                &common,
            )?,
            self.statement(
                format!(
                    "INSERT INTO outbox (provider_id, to_email, locale, kind, subject, body, link, \
                     created_at, ticket_id) SELECT u.provider_id, u.email, u.locale, ?2, \
                     CASE u.locale WHEN 'ru' THEN ?10 ELSE ?11 END, \
                     CASE u.locale WHEN 'ru' THEN ?12 ELSE ?13 END, ?14, ?6, ?4 {people} \
                     AND ?3 IS ?3 AND ?4 IS ?4 AND ?5 = ?5 \
                     AND NOT EXISTS (SELECT 1 FROM json_each(u.email_muted) WHERE value = ?2)"
                ),
                &mail,
            )?,
        ])
    }

    // ---- notices ----------------------------------------------------------------------------

    /// Steps the low-balance alarm (in the decision's batch, after its version step).
    pub fn set_alarm(
        &self,
        org: i64,
        low_armed: bool,
        zero_armed: bool,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE organisations SET low_armed = ?2, zero_armed = ?3 WHERE id = ?1",
            &[
                int(org),
                int(i64::from(low_armed)),
                int(i64::from(zero_armed)),
            ],
        )
    }

    /// The notification rows and mail of an organisation-wide notice.
    pub fn org_notice(&self, n: &OrgNotice<'_>, at: i64) -> AppResult<Vec<D1PreparedStatement>> {
        let recipients = if n.managers {
            RECIPIENTS_AND_MANAGERS
        } else {
            RECIPIENTS
        };
        Ok(vec![
            self.statement(
                format!(
                    "INSERT INTO notifications (user_id, kind, org_id, data, created_at) \
                     SELECT u.id, ?2, ?1, ?3, ?4 {recipients}"
                ),
                &[int(n.org), text(n.kind), text(n.data), int(at)],
            )?,
            self.statement(
                format!(
                    "INSERT INTO outbox (provider_id, to_email, locale, kind, subject, body, link, \
                     created_at) SELECT u.provider_id, u.email, u.locale, ?2, \
                     CASE u.locale WHEN 'ru' THEN ?3 ELSE ?4 END, \
                     CASE u.locale WHEN 'ru' THEN ?5 ELSE ?6 END, ?7, ?8 {recipients} \
                     AND NOT EXISTS (SELECT 1 FROM json_each(u.email_muted) WHERE value = ?2)"
                ),
                &[
                    int(n.org),
                    text(n.kind),
                    text(n.subject.0),
                    text(n.subject.1),
                    text(n.body.0),
                    text(n.body.1),
                    text(n.link),
                    int(at),
                ],
            )?,
        ])
    }

    /// A person's notices older than `before`, newest first, and how many are unread.
    pub async fn notices(
        &self,
        user: i64,
        before: i64,
        limit: i64,
    ) -> AppResult<(i64, Vec<NoticeRow>, String)> {
        #[derive(Deserialize)]
        struct C {
            unread: i64,
            email_muted: String,
        }
        let mut results = self
            .reads(vec![
                self.statement(
                    "SELECT COUNT(*) AS unread, (SELECT email_muted FROM users WHERE id = ?1) \
                     AS email_muted FROM notifications WHERE user_id = ?1 AND read_at IS NULL",
                    &[int(user)],
                )?,
                self.statement(
                    "SELECT n.id, n.kind, n.ticket_id, n.data, n.created_at, n.read_at, \
                     o.name AS organization FROM notifications n \
                     LEFT JOIN organisations o ON o.id = n.org_id \
                     WHERE n.user_id = ?1 AND n.id < ?2 ORDER BY n.id DESC LIMIT ?3",
                    &[int(user), int(before), int(limit)],
                )?,
            ])
            .await?
            .into_iter();
        let c = results
            .next()
            .map(|r| r.results::<C>())
            .transpose()?
            .and_then(|r| r.into_iter().next());
        let rows = results
            .next()
            .map(|r| r.results::<NoticeRow>())
            .transpose()?
            .unwrap_or_default();
        Ok(match c {
            Some(c) => (c.unread, rows, c.email_muted),
            None => (0, rows, "[]".to_owned()),
        })
    }

    /// Marks the listed notices (or all) read; answers the unread count after.
    pub async fn mark_read(&self, user: i64, ids: &[i64], all: bool, at: i64) -> AppResult<i64> {
        #[derive(Deserialize)]
        struct C {
            unread: i64,
        }
        let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        self.batch(vec![self.statement(
            "UPDATE notifications SET read_at = ?4 WHERE user_id = ?1 AND read_at IS NULL \
             AND (?3 = 1 OR id IN (SELECT value FROM json_each(?2)))",
            &[int(user), text(&ids), int(i64::from(all)), int(at)],
        )?])
        .await?;
        let c: Option<C> = self
            .first(
                "SELECT COUNT(*) AS unread FROM notifications WHERE user_id = ?1 AND read_at IS NULL",
                &[int(user)],
            )
            .await?;
        Ok(c.map_or(0, |c| c.unread))
    }

    pub async fn email_muted(&self, user: i64) -> AppResult<String> {
        #[derive(Deserialize)]
        struct M {
            email_muted: String,
        }
        let m: Option<M> = self
            .first("SELECT email_muted FROM users WHERE id = ?1", &[int(user)])
            .await?;
        Ok(m.map_or_else(|| "[]".to_owned(), |m| m.email_muted))
    }

    pub async fn set_email_muted(&self, user: i64, kinds: &str) -> AppResult<()> {
        self.batch(vec![self.statement(
            "UPDATE users SET email_muted = ?2 WHERE id = ?1",
            &[int(user), text(kinds)],
        )?])
        .await?;
        Ok(())
    }
}
