//! Files on tickets and the mail that came in, in D1 (the bytes are in R2).

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{int, opt, text, Db};
use crate::error::AppResult;

#[derive(Clone, Debug, Deserialize)]
pub struct AttachmentRow {
    pub id: i64,
    pub ticket_id: i64,
    pub comment_id: Option<i64>,
    pub uploaded_by: i64,
    pub uploader: String,
    pub via: String,
    pub r2_key: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub internal: i64,
    pub created_at: i64,
}

/// A file about to be recorded (its bytes are already in R2 under `key`).
#[derive(Clone, Copy)]
pub struct NewAttachment<'a> {
    pub ticket_id: i64,
    pub uploaded_by: i64,
    pub via: &'a str,
    pub key: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub internal: bool,
}

/// Where a new file belongs: on its own, to a known comment, or to the ticket's newest comment
/// by its uploader (written earlier in the same batch).
#[derive(Clone, Copy)]
pub enum Belongs {
    Ticket,
    Comment(i64),
    NewestComment,
}

/// What a ticket already keeps.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub struct Kept {
    pub files: i64,
    pub bytes: i64,
}

const COLUMNS: &str = "a.id, a.ticket_id, a.comment_id, a.uploaded_by, u.name AS uploader, a.via, \
     a.r2_key, a.name, a.content_type, a.size, a.internal, a.created_at";

impl Db {
    /// A ticket's live files, oldest first; `staff` sees the internal ones too.
    pub async fn attachments(&self, ticket: i64, staff: bool) -> AppResult<Vec<AttachmentRow>> {
        self.all(
            format!(
                "SELECT {COLUMNS} FROM attachments a JOIN users u ON u.id = a.uploaded_by \
                 WHERE a.ticket_id = ?1 AND a.deleted_at IS NULL AND (?2 = 1 OR a.internal = 0) \
                 ORDER BY a.id"
            ),
            &[int(ticket), int(i64::from(staff))],
        )
        .await
    }

    /// One live file of a ticket, as `staff` (or not) may see it.
    pub async fn attachment(
        &self,
        ticket: i64,
        id: i64,
        staff: bool,
    ) -> AppResult<Option<AttachmentRow>> {
        self.first(
            format!(
                "SELECT {COLUMNS} FROM attachments a JOIN users u ON u.id = a.uploaded_by \
                 WHERE a.ticket_id = ?1 AND a.id = ?2 AND a.deleted_at IS NULL \
                 AND (?3 = 1 OR a.internal = 0)"
            ),
            &[int(ticket), int(id), int(i64::from(staff))],
        )
        .await
    }

    /// How many live files a ticket keeps and their bytes.
    pub async fn kept(&self, ticket: i64) -> AppResult<Kept> {
        Ok(self
            .first(
                "SELECT count(*) AS files, coalesce(sum(size), 0) AS bytes FROM attachments \
                 WHERE ticket_id = ?1 AND deleted_at IS NULL",
                &[int(ticket)],
            )
            .await?
            .unwrap_or_default())
    }

    /// Whether `comment` is a comment of `ticket` (internal or not).
    pub async fn comment_of(&self, ticket: i64, comment: i64) -> AppResult<Option<bool>> {
        #[derive(Deserialize)]
        struct Row {
            internal: i64,
        }
        let row: Option<Row> = self
            .first(
                "SELECT internal FROM comments WHERE ticket_id = ?1 AND id = ?2",
                &[int(ticket), int(comment)],
            )
            .await?;
        Ok(row.map(|r| r.internal == 1))
    }

    /// Records a file; within the ticket's limits, checked again in the statement itself, so
    /// two uploads at once cannot both pass the last free place.
    pub fn insert_attachment(
        &self,
        a: &NewAttachment<'_>,
        belongs: Belongs,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        let comment = match belongs {
            Belongs::Ticket => "NULL".to_owned(),
            Belongs::Comment(id) => id.to_string(),
            Belongs::NewestComment => {
                "(SELECT max(id) FROM comments WHERE ticket_id = ?1 AND author_id = ?2)".to_owned()
            }
        };
        self.statement(
            format!(
                "INSERT INTO attachments (ticket_id, comment_id, uploaded_by, via, r2_key, name, \
                 content_type, size, internal, created_at) \
                 SELECT ?1, {comment}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 \
                 WHERE (SELECT count(*) FROM attachments WHERE ticket_id = ?1 AND deleted_at IS NULL) < ?10 \
                 AND (SELECT coalesce(sum(size), 0) FROM attachments WHERE ticket_id = ?1 AND deleted_at IS NULL) + ?7 <= ?11"
            ),
            &[
                int(a.ticket_id),
                int(a.uploaded_by),
                text(a.via),
                text(a.key),
                text(a.name),
                text(a.content_type),
                int(a.size),
                int(i64::from(a.internal)),
                int(now),
                #[allow(clippy::cast_possible_wrap)]
                int(pointdesk_domain::attachment::TICKET_MAX_FILES as i64),
                #[allow(clippy::cast_possible_wrap)]
                int(pointdesk_domain::attachment::TICKET_MAX_BYTES as i64),
            ],
        )
    }

    /// The file just recorded under `key`.
    pub async fn attachment_by_key(&self, key: &str) -> AppResult<Option<AttachmentRow>> {
        self.first(
            format!(
                "SELECT {COLUMNS} FROM attachments a JOIN users u ON u.id = a.uploaded_by \
                 WHERE a.r2_key = ?1"
            ),
            &[text(key)],
        )
        .await
    }

    pub fn delete_attachment(&self, id: i64, by: i64, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE attachments SET deleted_at = ?3, deleted_by = ?2 \
             WHERE id = ?1 AND deleted_at IS NULL",
            &[int(id), int(by), int(now)],
        )
    }

    // ---- inbound mail -------------------------------------------------------------------------

    /// Whether a mail with this Message-ID was already received.
    pub async fn mail_seen(&self, message_id: &str) -> AppResult<bool> {
        Ok(self
            .first_id(
                "SELECT id FROM inbound_mail WHERE message_id = ?1",
                &[text(message_id)],
            )
            .await?
            .is_some())
    }

    /// Whether an unknown sender was already answered since `since`.
    pub async fn stranger_answered(&self, from: &str, since: i64) -> AppResult<bool> {
        Ok(self
            .first_id(
                "SELECT id FROM inbound_mail WHERE from_email = ?1 AND outcome = 'unknown_sender' \
                 AND received_at >= ?2 LIMIT 1",
                &[text(from), int(since)],
            )
            .await?
            .is_some())
    }

    /// Records what became of a mail (once per Message-ID; a redelivery changes nothing).
    pub fn record_mail(&self, m: &InboundMail<'_>, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT OR IGNORE INTO inbound_mail (message_id, from_email, subject, outcome, \
             ticket_id, user_id, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                text(m.message_id),
                text(m.from),
                text(m.subject),
                text(m.outcome),
                opt(m.ticket),
                opt(m.user),
                int(now),
            ],
        )
    }

    /// A ticket of `provider` by the number people see.
    pub async fn ticket_id_by_number(&self, provider: i64, number: i64) -> AppResult<Option<i64>> {
        self.first_id(
            "SELECT id FROM tickets WHERE provider_id = ?1 AND number = ?2",
            &[int(provider), int(number)],
        )
        .await
    }
}

/// A mail that came in and what became of it.
pub struct InboundMail<'a> {
    pub message_id: &'a str,
    pub from: &'a str,
    pub subject: &'a str,
    pub outcome: &'a str,
    pub ticket: Option<i64>,
    pub user: Option<i64>,
}
