//! Reading tickets in D1: one with its work, quotes, dispute and figures, lists, the timeline,
//! and the numbers and terms a change is decided with. Their writes are in `ticket_writes.rs`.

use serde::Deserialize;
use wasm_bindgen::JsValue;

use super::{int, opt, text, CatalogueRow, Db};
use crate::error::{AppError, AppResult};

const TICKET_COLUMNS: &str = "t.id, t.org_id, o.name AS org_name, t.number, t.kind, \
     t.catalogue_id, t.catalogue_kind, t.title, t.description, t.priority, t.requester_id, \
     r.name AS requester_name, t.assignee_id, a.name AS assignee_name, t.status, t.cause, \
     t.cause_note, t.charge_points, t.charge_at, t.charge_lines, t.charge_detail, t.version, \
     t.created_at, t.updated_at, t.opened_by, ob.name AS opened_by_name, t.resolved_at, \
     t.sla, t.awaiting_client_since, \
     (t.awaiting_client_since IS NOT NULL OR EXISTS (SELECT 1 FROM quotes q \
       WHERE q.ticket_id = t.id AND q.status = 'awaiting_approval')) AS awaiting_client";
const TICKET_FROM: &str = "tickets t JOIN organisations o ON o.id = t.org_id \
     JOIN users r ON r.id = t.requester_id LEFT JOIN users a ON a.id = t.assignee_id \
     LEFT JOIN users ob ON ob.id = t.opened_by";

const WORK: &str = "SELECT w.id, w.engineer_id, u.name AS engineer_name, w.minutes, w.note, \
     w.on_day FROM work_entries w JOIN users u ON u.id = w.engineer_id WHERE w.ticket_id = ?1 \
     ORDER BY w.id";
const QUOTES: &str = "SELECT q.id, q.ticket_id, q.points, q.scope, q.expires_at, q.status, \
     q.created_by, c.name AS created_by_name, q.created_at, q.decided_by, \
     d.name AS decided_by_name, q.decided_at FROM quotes q JOIN users c ON c.id = q.created_by \
     LEFT JOIN users d ON d.id = q.decided_by WHERE q.ticket_id = ?1 ORDER BY q.id";
const DISPUTE: &str = "SELECT d.id, d.state, d.reason, d.opened_by, u.name AS opened_by_name, \
     d.opened_at, d.decision_reason, d.decided_at FROM disputes d \
     JOIN users u ON u.id = d.opened_by WHERE d.ticket_id = ?1";

#[derive(Clone, Debug, Deserialize)]
pub struct TicketRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub number: i64,
    pub kind: String,
    pub catalogue_kind: Option<String>,
    pub title: String,
    pub description: String,
    pub priority: String,
    pub requester_id: i64,
    pub requester_name: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub status: String,
    pub cause: Option<String>,
    pub cause_note: String,
    pub charge_points: Option<i64>,
    pub charge_at: Option<i64>,
    pub charge_lines: Option<i64>,
    pub charge_detail: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Who opened it, when not the requester.
    pub opened_by: Option<i64>,
    pub opened_by_name: Option<String>,
    /// When it was last resolved (incidents waiting for confirmation).
    pub resolved_at: Option<i64>,
    /// The service-level clocks (JSON), when its plan has targets for its priority.
    pub sla: Option<String>,
    /// Staff wait for the client's answer since then.
    pub awaiting_client_since: Option<i64>,
    pub awaiting_client: i64,
}

/// A resolved incident the hourly job closes or announces.
#[derive(Clone, Debug, Deserialize)]
pub struct ResolvedDue {
    pub ticket_id: i64,
    pub provider_id: i64,
    pub days: i64,
    /// 1: close it now; 0: announce it.
    pub close: i64,
}

/// An approval a manager recorded in a client admin's name.
#[derive(Clone, Debug, Deserialize)]
pub struct RecordedApprovalRow {
    pub quote_id: i64,
    pub approver_id: i64,
    pub approver_name: String,
    pub approved_at: i64,
    pub channel: String,
    pub note: String,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub recorded_at: i64,
    pub disputed_at: Option<i64>,
    pub dispute_reason: Option<String>,
}

const RECORDED_APPROVAL: &str = "SELECT ra.quote_id, ra.approver_id, a.name AS approver_name, \
     ra.approved_at, ra.channel, ra.note, ra.recorded_by, m.name AS recorded_by_name, \
     ra.recorded_at, ra.disputed_at, ra.dispute_reason FROM recorded_approvals ra \
     JOIN users a ON a.id = ra.approver_id JOIN users m ON m.id = ra.recorded_by \
     WHERE ra.ticket_id = ?1 ORDER BY ra.recorded_at DESC LIMIT 1";

#[derive(Clone, Debug, Deserialize)]
pub struct WorkRow {
    pub id: i64,
    pub engineer_id: i64,
    pub engineer_name: String,
    pub minutes: i64,
    pub note: String,
    pub on_day: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct QuoteRow {
    pub id: i64,
    pub ticket_id: i64,
    pub points: i64,
    pub scope: String,
    pub expires_at: i64,
    pub status: String,
    pub created_by: i64,
    pub created_by_name: String,
    pub created_at: i64,
    pub decided_by: Option<i64>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DisputeRow {
    pub id: i64,
    pub state: String,
    pub reason: String,
    pub opened_by: i64,
    pub opened_by_name: String,
    pub opened_at: i64,
    pub decision_reason: Option<String>,
    pub decided_at: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TimelineRow {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub internal: i64,
    pub detail: String,
    pub comment: Option<String>,
    pub entry_kind: Option<String>,
    pub entry_amount: Option<i64>,
    pub entry_balance_after: Option<i64>,
    pub entry_reason: Option<String>,
}

/// A ticket with everything its screen shows, read in one round trip.
pub struct TicketView {
    pub row: TicketRow,
    pub work: Vec<WorkRow>,
    pub quotes: Vec<QuoteRow>,
    pub dispute: Option<DisputeRow>,
    pub catalogue: Option<CatalogueRow>,
    pub dispute_window_days: i64,
    /// Net points its charges and refunds moved (negative: it cost points).
    pub net: i64,
    /// Points its approved quote holds now.
    pub held: i64,
    pub following: bool,
    /// The caller's own timer on it, running since then.
    pub timer_started_at: Option<i64>,
    pub auto_close_days: i64,
    pub recorded_approval: Option<RecordedApprovalRow>,
    /// The organisation's plan, read only while a quote is approved (what cancelling after
    /// work would charge) or an incident has no cause yet (what client caused would charge).
    pub plan: Option<super::PlanRow>,
}

#[derive(Deserialize)]
struct Figures {
    dispute_window_days: i64,
    auto_close_days: i64,
    net: i64,
    held: i64,
    following: i64,
    timer_started_at: Option<i64>,
    /// JSON objects (one statement fewer in the ticket's read than rows of their own).
    recorded_approval: Option<String>,
    plan: Option<String>,
}

/// A [`Figures`] JSON column as its row type; one that does not read is a corrupt row.
fn json_column<T: serde::de::DeserializeOwned>(
    what: &str,
    id: i64,
    json: Option<&str>,
) -> AppResult<Option<T>> {
    json.map(|j| {
        serde_json::from_str(j)
            .map_err(|e| AppError::Internal(format!("ticket {id}: its {what} does not read: {e}")))
    })
    .transpose()
}

/// What a ticket list is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub org: Option<i64>,
    pub status: Option<String>,
    /// `unassigned`, `mine`, `awaiting_client`, `open`, `done`.
    pub queue: Option<String>,
    pub me: i64,
    pub query: Option<String>,
    /// Unix seconds: what `overdue` is measured against.
    pub now: i64,
}

impl Db {
    // ---- tickets ----------------------------------------------------------------------------

    /// The ticket of this provider with its work, quotes, dispute, catalogue item and figures, in
    /// one batch of reads.
    pub async fn ticket_view(
        &self,
        provider: i64,
        id: i64,
        user: i64,
    ) -> AppResult<Option<TicketView>> {
        let ticket = format!(
            "SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.provider_id = ?1 AND t.id = ?2"
        );
        let mut results = self
            .reads(vec![
                self.statement(ticket, &[int(provider), int(id)])?,
                self.statement(WORK, &[int(id)])?,
                self.statement(QUOTES, &[int(id)])?,
                self.statement(DISPUTE, &[int(id)])?,
                self.statement(
                    "SELECT c.id, c.name, c.description, c.kind, c.estimate, c.active \
                     FROM catalogue_items c JOIN tickets t ON t.catalogue_id = c.id \
                     WHERE t.id = ?1 AND t.provider_id = ?2",
                    &[int(id), int(provider)],
                )?,
                self.statement(
                    "SELECT (SELECT dispute_window_days FROM providers WHERE id = ?2) \
                       AS dispute_window_days, \
                     (SELECT auto_close_days FROM providers WHERE id = ?2) AS auto_close_days, \
                     (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e \
                       WHERE e.org_id = (SELECT org_id FROM tickets WHERE id = ?1) \
                       AND e.kind IN ('charge', 'refund') \
                       AND (e.reference = 'ticket:' || CAST(?1 AS INTEGER) \
                         OR e.reference IN (SELECT 'quote:' || id FROM quotes WHERE ticket_id = ?1) \
                         OR e.reference IN (SELECT 'dispute:' || id FROM disputes WHERE ticket_id = ?1))) \
                       AS net, \
                     (SELECT COALESCE(SUM(h.points), 0) FROM holds h JOIN quotes q ON q.id = h.quote_id \
                       WHERE q.ticket_id = ?1) AS held, \
                     (SELECT COUNT(*) FROM ticket_followers WHERE ticket_id = ?1 AND user_id = ?3) \
                       AS following, \
                     (SELECT started_at FROM timers WHERE ticket_id = ?1 AND user_id = ?3) \
                       AS timer_started_at, \
                     (SELECT json_object('quote_id', ra.quote_id, 'approver_id', ra.approver_id, \
                       'approver_name', a.name, 'approved_at', ra.approved_at, \
                       'channel', ra.channel, 'note', ra.note, 'recorded_by', ra.recorded_by, \
                       'recorded_by_name', m.name, 'recorded_at', ra.recorded_at, \
                       'disputed_at', ra.disputed_at, 'dispute_reason', ra.dispute_reason) \
                       FROM recorded_approvals ra JOIN users a ON a.id = ra.approver_id \
                       JOIN users m ON m.id = ra.recorded_by WHERE ra.ticket_id = ?1 \
                       ORDER BY ra.recorded_at DESC LIMIT 1) AS recorded_approval, \
                     (SELECT json_object('id', p.id, 'name', p.name, 'base', p.base, \
                       'per_seat', p.per_seat, 'options', p.options, \
                       'increment_minutes', p.increment_minutes, \
                       'minimum_charge', p.minimum_charge, 'rollover', p.rollover, \
                       'rollover_cap', p.rollover_cap, 'overdraft', p.overdraft, \
                       'organizations', 0) FROM plans p JOIN organisations o ON o.plan_id = p.id \
                       WHERE o.id = (SELECT org_id FROM tickets WHERE id = ?1) \
                       AND (EXISTS (SELECT 1 FROM quotes q WHERE q.ticket_id = ?1 \
                         AND q.status = 'approved') \
                         OR EXISTS (SELECT 1 FROM tickets t WHERE t.id = ?1 \
                         AND t.kind = 'incident' AND t.cause IS NULL))) AS plan",
                    &[int(id), int(provider), int(user)],
                )?,
            ])
            .await?
            .into_iter();
        let mut next = || {
            results
                .next()
                .ok_or_else(|| crate::error::AppError::Internal("a read went missing".into()))
        };
        let Some(row) = next()?.results::<TicketRow>()?.into_iter().next() else {
            return Ok(None);
        };
        let work = next()?.results::<WorkRow>()?;
        let quotes = next()?.results::<QuoteRow>()?;
        let dispute = next()?.results::<DisputeRow>()?.into_iter().next();
        let catalogue = next()?.results::<CatalogueRow>()?.into_iter().next();
        let f = next()?
            .results::<Figures>()?
            .into_iter()
            .next()
            .ok_or_else(|| crate::error::AppError::Internal("no ticket figures".into()))?;
        let recorded_approval =
            json_column("recorded approval", id, f.recorded_approval.as_deref())?;
        let plan = json_column("plan", id, f.plan.as_deref())?;
        Ok(Some(TicketView {
            row,
            work,
            quotes,
            dispute,
            catalogue,
            dispute_window_days: f.dispute_window_days,
            net: f.net,
            held: f.held,
            following: f.following > 0,
            timer_started_at: f.timer_started_at,
            auto_close_days: f.auto_close_days,
            recorded_approval,
            plan,
        }))
    }

    /// A ticket by id alone, for the scheduled job.
    pub async fn ticket_by_id(&self, id: i64) -> AppResult<Option<TicketRow>> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.id = ?1");
        self.first(sql, &[int(id)]).await
    }

    pub async fn tickets(&self, provider: i64, f: &TicketFilter) -> AppResult<Vec<TicketRow>> {
        let number = f
            .query
            .as_deref()
            .map(|q| q.trim_start_matches('#'))
            .and_then(|q| q.parse::<i64>().ok());
        // `instr`, not LIKE: D1 refuses a LIKE pattern over 50 bytes ("pattern too complex"),
        // which a full Cyrillic title is. `lower` folds ASCII case, as LIKE did.
        let needle = f.query.as_deref().filter(|q| !q.is_empty());
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.provider_id = ?1 \
             AND (?2 IS NULL OR t.org_id = ?2) AND (?3 IS NULL OR t.status = ?3) \
             AND (?4 IS NULL OR instr(lower(t.title), lower(?4)) > 0 OR t.number = ?5) \
             AND (CASE ?6 \
                WHEN 'unassigned' THEN t.assignee_id IS NULL AND t.status IN ('new', 'in_progress', 'awaiting_approval') \
                WHEN 'mine' THEN t.assignee_id = ?7 AND t.status IN ('new', 'in_progress', 'awaiting_approval') \
                WHEN 'awaiting_client' THEN t.awaiting_client_since IS NOT NULL OR EXISTS (SELECT 1 FROM quotes q WHERE q.ticket_id = t.id AND q.status = 'awaiting_approval') \
                WHEN 'overdue' THEN t.sla_due IS NOT NULL AND t.sla_due <= ?8 \
                WHEN 'disputes' THEN EXISTS (SELECT 1 FROM disputes d WHERE d.ticket_id = t.id AND d.state = 'open') \
                WHEN 'open' THEN t.status IN ('new', 'in_progress', 'awaiting_approval') \
                WHEN 'done' THEN t.status IN ('resolved', 'closed', 'completed', 'declined', 'cancelled') \
                ELSE 1 END) \
             ORDER BY CASE WHEN t.status IN ('new', 'in_progress', 'awaiting_approval') THEN 0 ELSE 1 END, \
             CASE WHEN t.sla_due IS NULL THEN 1 ELSE 0 END, t.sla_due, \
             CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, \
             t.updated_at DESC, t.id DESC LIMIT 200"
        );
        self.all(
            sql,
            &[
                int(provider),
                opt(f.org),
                f.status.as_deref().map_or(JsValue::NULL, text),
                needle.map_or(JsValue::NULL, text),
                opt(number),
                f.queue.as_deref().map_or(JsValue::NULL, text),
                int(f.me),
                int(f.now),
            ],
        )
        .await
    }

    pub async fn work(&self, ticket: i64) -> AppResult<Vec<WorkRow>> {
        self.all(WORK, &[int(ticket)]).await
    }

    pub async fn quotes(&self, ticket: i64) -> AppResult<Vec<QuoteRow>> {
        self.all(QUOTES, &[int(ticket)]).await
    }

    /// The ticket a quote belongs to, within the provider.
    pub async fn quote_ticket(&self, provider: i64, quote: i64) -> AppResult<Option<i64>> {
        #[derive(Deserialize)]
        struct T {
            ticket_id: i64,
        }
        let t: Option<T> = self
            .first(
                "SELECT q.ticket_id FROM quotes q JOIN tickets t ON t.id = q.ticket_id \
                 WHERE t.provider_id = ?1 AND q.id = ?2",
                &[int(provider), int(quote)],
            )
            .await?;
        Ok(t.map(|t| t.ticket_id))
    }

    /// Resolved incidents whose auto-close is due (`close`) or a day away and not yet
    /// announced, oldest first.
    pub async fn resolved_due(&self, now: i64, limit: i64) -> AppResult<Vec<ResolvedDue>> {
        self.all(
            "SELECT t.id AS ticket_id, t.provider_id, p.auto_close_days AS days, \
             (t.resolved_at + p.auto_close_days * 86400 <= ?1) AS close \
             FROM tickets t JOIN providers p ON p.id = t.provider_id \
             WHERE t.status = 'resolved' AND t.kind = 'incident' AND t.resolved_at IS NOT NULL \
             AND (t.resolved_at + p.auto_close_days * 86400 <= ?1 OR (t.close_warned_at IS NULL \
               AND t.resolved_at + (p.auto_close_days - 1) * 86400 <= ?1)) \
             ORDER BY t.resolved_at LIMIT ?2",
            &[int(now), int(limit)],
        )
        .await
    }

    /// The approval recorded for a quote, if a manager recorded one.
    pub async fn recorded_approval(&self, quote: i64) -> AppResult<Option<RecordedApprovalRow>> {
        let sql = RECORDED_APPROVAL.replace(
            "WHERE ra.ticket_id = ?1 ORDER BY ra.recorded_at DESC LIMIT 1",
            "WHERE ra.quote_id = ?1",
        );
        self.first(sql, &[int(quote)]).await
    }

    pub async fn dispute(&self, ticket: i64) -> AppResult<Option<DisputeRow>> {
        self.first(DISPUTE, &[int(ticket)]).await
    }

    pub async fn timeline(&self, ticket: i64, with_internal: bool) -> AppResult<Vec<TimelineRow>> {
        self.all(
            "SELECT t.id, t.at, t.actor_id, u.name AS actor_name, t.kind, t.internal, t.detail, \
             c.body AS comment, e.kind AS entry_kind, e.amount AS entry_amount, \
             e.balance_after AS entry_balance_after, e.reason AS entry_reason \
             FROM timeline t LEFT JOIN users u ON u.id = t.actor_id \
             LEFT JOIN comments c ON c.id = t.comment_id \
             LEFT JOIN ledger_entries e ON e.idempotency_key = t.entry_key \
             WHERE t.ticket_id = ?1 AND (t.internal = 0 OR ?2 = 1) ORDER BY t.id",
            &[int(ticket), int(i64::from(with_internal))],
        )
        .await
    }

    /// The next free ticket id and number of a provider (a concurrent opening takes the same and
    /// one of the two batches fails on `UNIQUE`; the caller tries again).
    pub async fn next_ticket(&self, provider: i64) -> AppResult<(i64, i64)> {
        #[derive(Deserialize)]
        struct N {
            id: i64,
            number: i64,
        }
        let n: Option<N> = self
            .first(
                "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM tickets) AS id, \
                 (SELECT COALESCE(MAX(number), 0) + 1 FROM tickets WHERE provider_id = ?1) AS number",
                &[int(provider)],
            )
            .await?;
        Ok(n.map_or((1, 1), |n| (n.id, n.number)))
    }

    /// The next free id of `quotes` or `disputes`.
    pub async fn next_id(&self, table: IdTable) -> AppResult<i64> {
        #[derive(Deserialize)]
        struct N {
            id: i64,
        }
        let sql = match table {
            IdTable::Quotes => "SELECT COALESCE(MAX(id), 0) + 1 AS id FROM quotes",
            IdTable::Disputes => "SELECT COALESCE(MAX(id), 0) + 1 AS id FROM disputes",
        };
        let n: Option<N> = self.first(sql, &[]).await?;
        Ok(n.map_or(1, |n| n.id))
    }

    /// A staff member of the provider who may be assigned tickets.
    pub async fn is_staff(&self, provider: i64, user: i64) -> AppResult<bool> {
        #[derive(Deserialize)]
        struct F {
            n: i64,
        }
        let f: Option<F> = self
            .first(
                "SELECT COUNT(*) AS n FROM users WHERE provider_id = ?1 AND id = ?2 AND active = 1 \
                 AND role IN ('engineer', 'manager')",
                &[int(provider), int(user)],
            )
            .await?;
        Ok(f.is_some_and(|f| f.n > 0))
    }

    /// Open quotes whose time ran out, for the scheduled job.
    pub async fn lapsed_quotes(&self, now: i64, limit: i64) -> AppResult<Vec<QuoteRow>> {
        self.all(
            "SELECT q.id, q.ticket_id, q.points, q.scope, q.expires_at, q.status, q.created_by, \
             c.name AS created_by_name, q.created_at, q.decided_by, NULL AS decided_by_name, \
             q.decided_at FROM quotes q JOIN users c ON c.id = q.created_by \
             WHERE q.status = 'awaiting_approval' AND q.expires_at <= ?1 ORDER BY q.expires_at \
             LIMIT ?2",
            &[int(now), int(limit)],
        )
        .await
    }

    /// The provider's settings a decision needs: its time zone (IANA name) and dispute window.
    pub async fn provider_terms(&self, provider: i64) -> AppResult<(String, u32)> {
        #[derive(Deserialize)]
        struct P {
            time_zone: String,
            dispute_window_days: i64,
        }
        let p: Option<P> = self
            .first(
                "SELECT time_zone, dispute_window_days FROM providers WHERE id = ?1",
                &[int(provider)],
            )
            .await?;
        match p {
            Some(p) => Ok((
                p.time_zone,
                u32::try_from(p.dispute_window_days)
                    .map_err(|e| super::corrupt(&format!("provider {provider}"), &e))?,
            )),
            None => Err(AppError::Internal(format!(
                "provider {provider} is missing"
            ))),
        }
    }
}

#[derive(Clone, Copy)]
pub enum IdTable {
    Quotes,
    Disputes,
}
