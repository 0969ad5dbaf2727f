//! What a ticket change writes: statements the caller puts into one batch, led by
//! [`Db::step_ticket`], which steps the ticket's version from the one the change was decided on
//! (a trigger aborts the batch otherwise).

use wasm_bindgen::JsValue;
use worker::D1PreparedStatement;

use super::{int, opt, text, Db};
use crate::error::AppResult;

/// The columns of a ticket that a change may set, besides its version.
pub struct TicketState<'a> {
    pub status: &'a str,
    pub assignee_id: Option<i64>,
    pub cause: Option<&'a str>,
    pub cause_note: &'a str,
    pub charge: Option<(i64, i64, i64, &'a str)>,
}

/// A new ticket.
pub struct NewTicketRow<'a> {
    pub id: i64,
    pub provider_id: i64,
    pub org_id: i64,
    pub number: i64,
    pub kind: &'a str,
    pub catalogue: Option<(i64, &'a str)>,
    pub title: &'a str,
    pub description: &'a str,
    pub priority: &'a str,
    pub requester_id: i64,
    /// Staff who opened it for the requester.
    pub opened_by: Option<i64>,
    pub status: &'a str,
}

/// A timeline row.
pub struct Event<'a> {
    pub ticket_id: i64,
    pub actor_id: Option<i64>,
    pub kind: &'a str,
    pub internal: bool,
    pub detail: String,
    /// The ledger entry it shows, by idempotency key.
    pub entry_key: Option<&'a str>,
}

/// A letter to the people a ticket concerns, in each one's language.
pub struct TicketMail<'a> {
    pub provider_id: i64,
    pub ticket_id: i64,
    /// Not to this person (the one who acted).
    pub except: i64,
    /// Also to the organisation's client admins.
    pub client_admins: bool,
    /// Only to those who may act on it — client admins and staff — (1), only to client users
    /// (2), or to all of them (0): a notice that asks for the admin's decision is worded
    /// differently for client users, who may not take it.
    pub only: i64,
    pub kind: &'a str,
    pub subject: (&'a str, &'a str),
    pub body: (&'a str, &'a str),
    pub link: &'a str,
}

impl Db {
    pub fn insert_ticket(&self, t: &NewTicketRow<'_>, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO tickets (id, provider_id, org_id, number, kind, catalogue_id, \
             catalogue_kind, title, description, priority, requester_id, status, created_at, \
             updated_at, opened_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)",
            &[
                int(t.id),
                int(t.provider_id),
                int(t.org_id),
                int(t.number),
                text(t.kind),
                opt(t.catalogue.map(|c| c.0)),
                t.catalogue.map_or(JsValue::NULL, |c| text(c.1)),
                text(t.title),
                text(t.description),
                text(t.priority),
                int(t.requester_id),
                text(t.status),
                int(now),
                opt(t.opened_by),
            ],
        )
    }

    /// Steps the ticket's version from `decided_on` and writes its new state. Moving into
    /// `resolved` starts the auto-close clock; moving out of it stops the clock.
    pub fn step_ticket(
        &self,
        id: i64,
        decided_on: i64,
        s: &TicketState<'_>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        let (points, at, lines, detail) = match s.charge {
            Some((p, a, l, d)) => (int(p), int(a), int(l), text(d)),
            None => (JsValue::NULL, JsValue::NULL, JsValue::NULL, JsValue::NULL),
        };
        self.statement(
            "UPDATE tickets SET version = ?2, status = ?3, assignee_id = ?4, cause = ?5, \
             cause_note = ?6, charge_points = ?7, charge_at = ?8, charge_lines = ?9, \
             charge_detail = ?10, updated_at = ?11, \
             resolved_at = CASE WHEN ?3 <> 'resolved' THEN NULL \
               WHEN status = 'resolved' THEN resolved_at ELSE ?11 END, \
             close_warned_at = CASE WHEN ?3 = 'resolved' AND status = 'resolved' \
               THEN close_warned_at END WHERE id = ?1",
            &[
                int(id),
                int(decided_on + 1),
                text(s.status),
                opt(s.assignee_id),
                s.cause.map_or(JsValue::NULL, text),
                text(s.cause_note),
                points,
                at,
                lines,
                detail,
                int(now),
            ],
        )
    }

    /// What a reclassified ticket is now (after its version step: the status it keeps is one
    /// both kinds have). A ticket that becomes an incident leaves its catalogue item.
    pub fn reclassify_ticket(
        &self,
        id: i64,
        kind: &str,
        catalogue_kind: Option<&str>,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE tickets SET kind = ?2, catalogue_kind = ?3, \
             catalogue_id = CASE WHEN ?3 IS NULL THEN NULL ELSE catalogue_id END WHERE id = ?1",
            &[
                int(id),
                text(kind),
                catalogue_kind.map_or(JsValue::NULL, text),
            ],
        )
    }

    /// The "closes tomorrow" mail of a resolved incident went out (if it is still the same).
    pub fn close_warned(&self, id: i64, version: i64, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE tickets SET close_warned_at = ?3 WHERE id = ?1 AND version = ?2 \
             AND status = 'resolved'",
            &[int(id), int(version), int(now)],
        )
    }

    /// A quote awaiting approval is withdrawn (its ticket was reclassified as an incident).
    pub fn withdraw_open_quotes(&self, ticket: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE quotes SET status = 'superseded' WHERE ticket_id = ?1 \
             AND status = 'awaiting_approval'",
            &[int(ticket)],
        )
    }

    /// A manager records how a client admin approved a quote.
    #[allow(clippy::too_many_arguments)]
    pub fn record_approval(
        &self,
        quote: i64,
        ticket: i64,
        org: i64,
        approval: &pointdesk_api::desk::NewRecordedApproval,
        by: i64,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO recorded_approvals (quote_id, ticket_id, org_id, approver_id, \
             approved_at, channel, note, recorded_by, recorded_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            &[
                int(quote),
                int(ticket),
                int(org),
                int(approval.approver_id),
                int(approval.approved_at),
                text(approval.channel),
                text(&approval.note),
                int(by),
                int(now),
            ],
        )
    }

    /// The client admin says they did not give the recorded approval (once).
    pub fn dispute_recorded_approval(
        &self,
        quote: i64,
        reason: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE recorded_approvals SET disputed_at = ?3, dispute_reason = ?2 \
             WHERE quote_id = ?1 AND disputed_at IS NULL",
            &[int(quote), text(reason), int(now)],
        )
    }

    /// Marks the ticket as changed (a comment) without deciding anything about it.
    pub fn set_priority(&self, id: i64, priority: &str) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE tickets SET priority = ?2 WHERE id = ?1",
            &[int(id), text(priority)],
        )
    }

    pub fn touch_ticket(&self, id: i64, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE tickets SET updated_at = ?2 WHERE id = ?1",
            &[int(id), int(now)],
        )
    }

    pub fn insert_comment(
        &self,
        ticket: i64,
        author: i64,
        body: &str,
        internal: bool,
        via: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO comments (ticket_id, author_id, body, internal, via, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                int(ticket),
                int(author),
                text(body),
                int(i64::from(internal)),
                text(via),
                int(now),
            ],
        )
    }

    /// The timeline row of the comment just inserted in this batch.
    pub fn comment_event(
        &self,
        ticket: i64,
        author: i64,
        internal: bool,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO timeline (ticket_id, at, actor_id, kind, internal, comment_id) VALUES \
             (?1, ?2, ?3, 'comment', ?4, (SELECT MAX(id) FROM comments WHERE ticket_id = ?1))",
            &[int(ticket), int(now), int(author), int(i64::from(internal))],
        )
    }

    pub fn insert_work(
        &self,
        ticket: i64,
        engineer: i64,
        minutes: u32,
        note: &str,
        on_day: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO work_entries (ticket_id, engineer_id, minutes, note, on_day, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                int(ticket),
                int(engineer),
                int(i64::from(minutes)),
                text(note),
                text(on_day),
                int(now),
            ],
        )
    }

    #[allow(clippy::too_many_arguments)]
    pub fn insert_quote(
        &self,
        id: i64,
        ticket: i64,
        org: i64,
        points: i64,
        scope: &str,
        expires_at: i64,
        by: i64,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO quotes (id, ticket_id, org_id, points, scope, expires_at, status, \
             created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'awaiting_approval', ?7, ?8)",
            &[
                int(id),
                int(ticket),
                int(org),
                int(points),
                text(scope),
                int(expires_at),
                int(by),
                int(now),
            ],
        )
    }

    /// A quote moves from `from` to `to` (by `by`, when a person decided).
    pub fn set_quote_status(
        &self,
        id: i64,
        from: &str,
        to: &str,
        by: Option<i64>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE quotes SET status = ?3, decided_by = COALESCE(?4, decided_by), \
             decided_at = CASE WHEN ?4 IS NULL THEN decided_at ELSE ?5 END \
             WHERE id = ?1 AND status = ?2",
            &[int(id), text(from), text(to), opt(by), int(now)],
        )
    }

    pub fn insert_dispute(
        &self,
        id: i64,
        ticket: i64,
        org: i64,
        by: i64,
        reason: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO disputes (id, ticket_id, org_id, opened_by, reason, opened_at, state) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open')",
            &[
                int(id),
                int(ticket),
                int(org),
                int(by),
                text(reason),
                int(now),
            ],
        )
    }

    pub fn decide_dispute(
        &self,
        id: i64,
        state: &str,
        by: i64,
        reason: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE disputes SET state = ?2, decided_by = ?3, decision_reason = ?4, decided_at = ?5 \
             WHERE id = ?1 AND state = 'open'",
            &[int(id), text(state), int(by), text(reason), int(now)],
        )
    }

    pub fn follow(&self, ticket: i64, user: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT OR IGNORE INTO ticket_followers (ticket_id, user_id) VALUES (?1, ?2)",
            &[int(ticket), int(user)],
        )
    }

    /// Starts a person's timer on a ticket; a twin start that lost the race changes nothing.
    pub fn start_timer(&self, ticket: i64, user: i64, at: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT OR IGNORE INTO timers (ticket_id, user_id, started_at) VALUES (?1, ?2, ?3)",
            &[int(ticket), int(user), int(at)],
        )
    }

    /// Removes a person's timer on a ticket (in the batch that logs its time).
    pub fn stop_timer(&self, ticket: i64, user: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "DELETE FROM timers WHERE ticket_id = ?1 AND user_id = ?2",
            &[int(ticket), int(user)],
        )
    }

    pub fn unfollow(&self, ticket: i64, user: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "DELETE FROM ticket_followers WHERE ticket_id = ?1 AND user_id = ?2",
            &[int(ticket), int(user)],
        )
    }

    pub fn event(&self, e: &Event<'_>, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO timeline (ticket_id, at, actor_id, kind, internal, entry_key, detail) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                int(e.ticket_id),
                int(now),
                opt(e.actor_id),
                text(e.kind),
                int(i64::from(e.internal)),
                e.entry_key.map_or(JsValue::NULL, text),
                text(&e.detail),
            ],
        )
    }

    /// One letter per follower (and client admin, when asked), in each one's language.
    pub fn ticket_mail(&self, m: &TicketMail<'_>, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO outbox (provider_id, to_email, locale, kind, subject, body, link, created_at, \
               ticket_id) \
             SELECT ?1, u.email, u.locale, ?4, \
               CASE u.locale WHEN 'ru' THEN ?5 ELSE ?6 END, \
               CASE u.locale WHEN 'ru' THEN ?7 ELSE ?8 END, ?9, ?10, ?2 \
             FROM users u WHERE u.provider_id = ?1 AND u.active = 1 AND u.id <> ?3 AND ( \
               u.id IN (SELECT user_id FROM ticket_followers WHERE ticket_id = ?2) \
               OR (?11 = 1 AND u.role = 'client_admin' \
                   AND u.org_id = (SELECT org_id FROM tickets WHERE id = ?2))) \
             AND (?12 = 0 OR (?12 = 1 AND u.role <> 'client_user') OR (?12 = 2 AND u.role = 'client_user')) \
             AND NOT EXISTS (SELECT 1 FROM json_each(u.email_muted) WHERE value = ?4)",
            &[
                int(m.provider_id),
                int(m.ticket_id),
                int(m.except),
                text(m.kind),
                text(m.subject.0),
                text(m.subject.1),
                text(m.body.0),
                text(m.body.1),
                text(m.link),
                int(now),
                int(i64::from(m.client_admins)),
                int(m.only),
            ],
        )
    }

    /// The notification-centre rows of a ticket notice: the same people as its mail.
    pub fn ticket_notification(
        &self,
        m: &TicketMail<'_>,
        data: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO notifications (user_id, kind, org_id, ticket_id, data, created_at) \
             SELECT u.id, ?4, (SELECT org_id FROM tickets WHERE id = ?2), ?2, ?5, ?6 \
             FROM users u WHERE u.provider_id = ?1 AND u.active = 1 AND u.id <> ?3 AND ( \
               u.id IN (SELECT user_id FROM ticket_followers WHERE ticket_id = ?2) \
               OR (?7 = 1 AND u.role = 'client_admin' \
                   AND u.org_id = (SELECT org_id FROM tickets WHERE id = ?2))) \
             AND (?8 = 0 OR (?8 = 1 AND u.role <> 'client_user') OR (?8 = 2 AND u.role = 'client_user'))",
            &[
                int(m.provider_id),
                int(m.ticket_id),
                int(m.except),
                text(m.kind),
                text(data),
                int(now),
                int(i64::from(m.client_admins)),
                int(m.only),
            ],
        )
    }
}
