//! Reading the books: the balance at a glance, ledger pages and exports, the balance history,
//! statements, notices and the manager's reports; and the organisation-wide notices a ledger
//! decision writes. Every balance figure comes from state kept beside the entries (the
//! organisation's row, live blocks, holds, `ledger_days`), never from a scan of the history.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1PreparedStatement;

use super::clients::{ORG_COLUMNS, PLAN_COLUMNS};
use super::ledger::HoldRow;
use super::{int, text, Db, OrgRow, PlanRow};
use crate::error::{AppError, AppResult};

/// Free points in blocks that expire at the end of `expires`.
#[derive(Clone, Debug, Deserialize)]
pub struct ExpiringRow {
    pub expires: String,
    pub free: i64,
}

#[derive(Clone, Debug, Deserialize)]
struct Figures {
    used: i64,
    consumed: i64,
    debt: i64,
    owed: i64,
}

/// Everything the balance at a glance shows, read in one round trip.
pub struct BalanceView {
    pub org: OrgRow,
    pub plan: Option<PlanRow>,
    pub holds: Vec<HoldRow>,
    pub expiring: Vec<ExpiringRow>,
    /// Net charges since the period began (positive: consumed): the whole UTC days from the
    /// roll-up, the part of a day before the first of them from the entries (at most a day's).
    pub used: i64,
    /// Net charges over the forecast window, from the daily roll-up.
    pub consumed: i64,
    pub debt: i64,
    pub owed: i64,
}

/// The filters of a ledger page or export.
#[derive(Clone, Debug, Default)]
pub struct LedgerFilter {
    pub kind: Option<String>,
    /// `[from, to)` in unix seconds.
    pub between: Option<(i64, i64)>,
    /// A ticket number: its own entries and those of its quotes and dispute.
    pub ticket: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EntryRow {
    pub id: i64,
    pub kind: String,
    pub amount: i64,
    pub balance_after: i64,
    pub reason: String,
    pub reference: String,
    pub at: i64,
    pub actor: Option<String>,
    pub ticket_id: Option<i64>,
    pub ticket_number: Option<i64>,
    pub ticket_title: Option<String>,
    /// JSON `[[block, points, source], ...]` (absent in exports).
    #[serde(default)]
    pub moves: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DayRow {
    pub day: i64,
    pub closing: i64,
    pub grants: i64,
    pub purchases: i64,
    pub charges: i64,
}

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

#[derive(Clone, Debug, Deserialize)]
pub struct ConsumptionRow {
    pub org_id: i64,
    pub organization: String,
    pub month: String,
    pub charged: i64,
    pub billable: i64,
    pub non_billable: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct BalanceRow {
    pub org_id: i64,
    pub organization: String,
    pub balance: i64,
    pub held: i64,
    pub threshold: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DisputeReportRow {
    pub ticket_id: i64,
    pub ticket_number: i64,
    pub organization: String,
    pub points: i64,
    pub state: String,
    pub opened_at: i64,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
}

/// An organisation the period job turns over.
#[derive(Clone, Debug, Deserialize)]
pub struct PeriodOrg {
    pub id: i64,
    pub provider_id: i64,
    pub time_zone: String,
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

/// The ticket an entry's reference belongs to.
const ENTRY_TICKET: &str = "LEFT JOIN tickets t ON t.id = (CASE \
       WHEN e.reference GLOB 'ticket:*' THEN CAST(substr(e.reference, 8) AS INTEGER) \
       WHEN e.reference GLOB 'quote:*' THEN (SELECT q.ticket_id FROM quotes q \
         WHERE q.id = CAST(substr(e.reference, 7) AS INTEGER)) \
       WHEN e.reference GLOB 'dispute:*' THEN (SELECT d.ticket_id FROM disputes d \
         WHERE d.id = CAST(substr(e.reference, 9) AS INTEGER)) END)";

const ENTRY_COLUMNS: &str = "e.id, e.kind, e.amount, e.balance_after, e.reason, e.reference, \
     e.at, u.name AS actor, t.id AS ticket_id, t.number AS ticket_number, t.title AS ticket_title";

impl Db {
    // ---- the balance at a glance ------------------------------------------------------------

    pub async fn balance_view(
        &self,
        provider: i64,
        org: i64,
        period_start: i64,
        window_first_day: i64,
    ) -> AppResult<Option<BalanceView>> {
        let mut results = self
            .reads(vec![
                self.statement(
                    format!(
                        "SELECT {ORG_COLUMNS} FROM organisations o \
                         WHERE o.provider_id = ?1 AND o.id = ?2"
                    ),
                    &[int(provider), int(org)],
                )?,
                self.statement(
                    format!(
                        "SELECT {PLAN_COLUMNS} FROM plans p JOIN organisations o \
                         ON o.plan_id = p.id WHERE o.id = ?1"
                    ),
                    &[int(org)],
                )?,
                self.statement(
                    "SELECT h.quote_id, q.ticket_id, t.number AS ticket_number, t.title, h.points \
                     FROM holds h JOIN quotes q ON q.id = h.quote_id \
                     JOIN tickets t ON t.id = q.ticket_id \
                     WHERE h.org_id = ?1 ORDER BY h.placed_at, h.quote_id",
                    &[int(org)],
                )?,
                self.statement(
                    "SELECT expires, SUM(remaining - reserved) AS free FROM credit_blocks \
                     WHERE org_id = ?1 AND remaining > 0 AND expires IS NOT NULL AND expired = 0 \
                     GROUP BY expires HAVING free > 0 ORDER BY expires",
                    &[int(org)],
                )?,
                self.statement(
                    "SELECT \
                     (SELECT -COALESCE(SUM(amount), 0) FROM ledger_entries \
                       WHERE org_id = ?1 AND at >= ?2 AND at < ?4 * 86400 \
                       AND kind IN ('charge', 'refund')) \
                     - (SELECT COALESCE(SUM(charges + refunds), 0) FROM ledger_days \
                       WHERE org_id = ?1 AND day >= ?4) AS used, \
                     (SELECT -COALESCE(SUM(charges + refunds), 0) FROM ledger_days \
                       WHERE org_id = ?1 AND day >= ?3) AS consumed, \
                     (SELECT debt FROM organisations WHERE id = ?1) AS debt, \
                     (SELECT COALESCE(SUM(points), 0) FROM outstanding_charges WHERE org_id = ?1) \
                     + (SELECT COALESCE(SUM(points), 0) FROM outstanding_refunds WHERE org_id = ?1) \
                       AS owed",
                    &[
                        int(org),
                        int(period_start),
                        int(window_first_day),
                        int(period_start.div_euclid(86_400)
                            + i64::from(period_start.rem_euclid(86_400) > 0)),
                    ],
                )?,
            ])
            .await?
            .into_iter();
        let mut next = || {
            results
                .next()
                .ok_or_else(|| AppError::Internal("a read went missing".into()))
        };
        let Some(org) = next()?.results::<OrgRow>()?.into_iter().next() else {
            return Ok(None);
        };
        let plan = next()?.results::<PlanRow>()?.into_iter().next();
        let holds = next()?.results::<HoldRow>()?;
        let expiring = next()?.results::<ExpiringRow>()?;
        let f = next()?
            .results::<Figures>()?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Internal("no balance figures".into()))?;
        Ok(Some(BalanceView {
            org,
            plan,
            holds,
            expiring,
            used: f.used,
            consumed: f.consumed,
            debt: f.debt,
            owed: f.owed,
        }))
    }

    // ---- the ledger -------------------------------------------------------------------------

    /// The `WHERE` of a filtered ledger read and its arguments (from `?3` on; `?1` is the
    /// organisation, `?2` the cursor).
    fn ledger_where(provider: i64, f: &LedgerFilter) -> (String, Vec<JsValue>) {
        let arg = |v: JsValue, args: &mut Vec<JsValue>| {
            args.push(v);
            args.len() + 2
        };
        let mut sql = String::from("e.org_id = ?1 AND e.id < ?2");
        let mut args = Vec::new();
        // Only the provider's own organisations have entries for its people.
        let n = arg(int(provider), &mut args);
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM organisations WHERE id = ?1 AND provider_id = ?{n})"
        ));
        if let Some(kind) = &f.kind {
            let n = arg(text(kind), &mut args);
            sql.push_str(&format!(" AND e.kind = ?{n}"));
        }
        if let Some((from, to)) = f.between {
            let a = arg(int(from), &mut args);
            let b = arg(int(to), &mut args);
            sql.push_str(&format!(" AND e.at >= ?{a} AND e.at < ?{b}"));
        }
        if let Some(number) = f.ticket {
            let p = 3;
            let n = arg(int(number), &mut args);
            sql.push_str(&format!(
                " AND e.reference IN ( \
                 SELECT 'ticket:' || x.id FROM tickets x WHERE x.provider_id = ?{p} AND x.number = ?{n} \
                 UNION ALL SELECT 'quote:' || q.id FROM quotes q JOIN tickets x ON x.id = q.ticket_id \
                   WHERE x.provider_id = ?{p} AND x.number = ?{n} \
                 UNION ALL SELECT 'dispute:' || d.id FROM disputes d JOIN tickets x ON x.id = d.ticket_id \
                   WHERE x.provider_id = ?{p} AND x.number = ?{n})"
            ));
        }
        (sql, args)
    }

    /// A page of entries older than `before`, newest first, each with its block moves.
    pub async fn ledger_page(
        &self,
        provider: i64,
        org: i64,
        f: &LedgerFilter,
        before: i64,
        limit: i64,
        with_moves: bool,
    ) -> AppResult<Vec<EntryRow>> {
        let (condition, extra) = Self::ledger_where(provider, f);
        let moves = if with_moves {
            ", (SELECT json_group_array(json_array(m.block_no, m.points, b.source)) \
             FROM entry_moves m JOIN credit_blocks b ON b.org_id = m.org_id \
             AND b.block_no = m.block_no WHERE m.entry_id = e.id) AS moves"
        } else {
            ""
        };
        let limit_arg = extra.len() + 3;
        let sql = format!(
            "SELECT {ENTRY_COLUMNS}{moves} FROM ledger_entries e \
             LEFT JOIN users u ON u.id = e.actor_id {ENTRY_TICKET} \
             WHERE {condition} ORDER BY e.id DESC LIMIT ?{limit_arg}"
        );
        let mut args = vec![int(org), int(before)];
        args.extend(extra);
        args.push(int(limit));
        self.all(sql, &args).await
    }

    /// One entry of an organisation, for the answer to the request that made it.
    pub async fn entry_by_key(&self, org: i64, key: &str) -> AppResult<Option<EntryRow>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS}, (SELECT json_group_array(json_array(m.block_no, m.points, \
             b.source)) FROM entry_moves m JOIN credit_blocks b ON b.org_id = m.org_id \
             AND b.block_no = m.block_no WHERE m.entry_id = e.id) AS moves \
             FROM ledger_entries e LEFT JOIN users u ON u.id = e.actor_id {ENTRY_TICKET} \
             WHERE e.org_id = ?1 AND e.idempotency_key = ?2"
        );
        self.first(sql, &[int(org), text(key)]).await
    }

    /// The balance before `at`: the last entry's balance after it, or zero.
    pub async fn balance_before(&self, org: i64, at: i64) -> AppResult<i64> {
        #[derive(Deserialize)]
        struct B {
            balance_after: i64,
        }
        let b: Option<B> = self
            .first(
                "SELECT balance_after FROM ledger_entries WHERE org_id = ?1 AND at < ?2 \
                 ORDER BY at DESC, id DESC LIMIT 1",
                &[int(org), int(at)],
            )
            .await?;
        Ok(b.map_or(0, |b| b.balance_after))
    }

    /// The roll-up days from `first_day` on, and the closing balance before it.
    pub async fn balance_days(&self, org: i64, first_day: i64) -> AppResult<(i64, Vec<DayRow>)> {
        let mut results = self
            .reads(vec![
                self.statement(
                    "SELECT COALESCE((SELECT closing FROM ledger_days WHERE org_id = ?1 \
                     AND day < ?2 ORDER BY day DESC LIMIT 1), 0) AS closing, 0 AS day, \
                     0 AS grants, 0 AS purchases, 0 AS charges",
                    &[int(org), int(first_day)],
                )?,
                self.statement(
                    "SELECT day, closing, grants, purchases, charges FROM ledger_days \
                     WHERE org_id = ?1 AND day >= ?2 ORDER BY day",
                    &[int(org), int(first_day)],
                )?,
            ])
            .await?
            .into_iter();
        let opening = results
            .next()
            .map(|r| r.results::<DayRow>())
            .transpose()?
            .and_then(|r| r.into_iter().next())
            .map_or(0, |d| d.closing);
        let days = results
            .next()
            .map(|r| r.results::<DayRow>())
            .transpose()?
            .unwrap_or_default();
        Ok((opening, days))
    }

    // ---- adjustments ------------------------------------------------------------------------

    pub async fn next_adjustment_id(&self) -> AppResult<i64> {
        #[derive(Deserialize)]
        struct N {
            id: i64,
        }
        let n: Option<N> = self
            .first(
                "SELECT COALESCE(MAX(id), 0) + 1 AS id FROM adjustments",
                &[],
            )
            .await?;
        Ok(n.map_or(1, |n| n.id))
    }

    pub fn insert_adjustment(
        &self,
        id: i64,
        org: i64,
        amount: i64,
        reason: &str,
        actor: i64,
        at: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO adjustments (id, org_id, amount, reason, actor_id, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                int(id),
                int(org),
                int(amount),
                text(reason),
                int(actor),
                int(at),
            ],
        )
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

    // ---- reports ----------------------------------------------------------------------------

    /// Points charged (net) and minutes worked by client and month, `[from, to]` as `YYYY-MM`
    /// months; `[from_at, to_at)` the same range in unix seconds.
    pub async fn consumption(
        &self,
        provider: i64,
        months: (&str, &str),
        between: (i64, i64),
        offset_minutes: i32,
    ) -> AppResult<Vec<ConsumptionRow>> {
        self.all(
            "WITH charged AS ( \
               SELECT e.org_id, strftime('%Y-%m', e.at + ?5 * 60, 'unixepoch') AS month, \
                 -SUM(e.amount) AS points FROM ledger_entries e \
               JOIN organisations o ON o.id = e.org_id AND o.provider_id = ?1 \
               WHERE e.kind IN ('charge', 'refund') AND e.at >= ?3 AND e.at < ?4 \
               GROUP BY e.org_id, month), \
             worked AS ( \
               SELECT t.org_id, substr(w.on_day, 1, 7) AS month, \
                 SUM(CASE WHEN t.cause = 'client_caused' OR (t.kind = 'service_request' \
                   AND t.catalogue_kind = 'quoted' AND t.status = 'completed') \
                   THEN w.minutes ELSE 0 END) AS billable, \
                 SUM(CASE WHEN t.cause = 'client_caused' OR (t.kind = 'service_request' \
                   AND t.catalogue_kind = 'quoted' AND t.status = 'completed') \
                   THEN 0 ELSE w.minutes END) AS non_billable \
               FROM work_entries w JOIN tickets t ON t.id = w.ticket_id \
               WHERE t.provider_id = ?1 AND substr(w.on_day, 1, 7) BETWEEN ?2 AND ?6 \
               GROUP BY t.org_id, month), \
             keys AS (SELECT org_id, month FROM charged UNION SELECT org_id, month FROM worked) \
             SELECT k.org_id, o.name AS organization, k.month, \
               COALESCE(c.points, 0) AS charged, COALESCE(w.billable, 0) AS billable, \
               COALESCE(w.non_billable, 0) AS non_billable \
             FROM keys k JOIN organisations o ON o.id = k.org_id \
             LEFT JOIN charged c ON c.org_id = k.org_id AND c.month = k.month \
             LEFT JOIN worked w ON w.org_id = k.org_id AND w.month = k.month \
             ORDER BY k.month, o.name",
            &[
                int(provider),
                text(months.0),
                int(between.0),
                int(between.1),
                int(i64::from(offset_minutes)),
                text(months.1),
            ],
        )
        .await
    }

    pub async fn balance_report(&self, provider: i64) -> AppResult<Vec<BalanceRow>> {
        self.all(
            "SELECT o.id AS org_id, o.name AS organization, o.balance, o.threshold, \
             (SELECT COALESCE(SUM(points), 0) FROM holds WHERE org_id = o.id) AS held \
             FROM organisations o WHERE o.provider_id = ?1 AND o.active = 1 ORDER BY o.name",
            &[int(provider)],
        )
        .await
    }

    pub async fn dispute_report(&self, provider: i64) -> AppResult<Vec<DisputeReportRow>> {
        self.all(
            "SELECT t.id AS ticket_id, t.number AS ticket_number, o.name AS organization, \
             COALESCE(t.charge_points, 0) AS points, d.state, d.opened_at, d.decided_at, \
             d.decision_reason FROM disputes d JOIN tickets t ON t.id = d.ticket_id \
             JOIN organisations o ON o.id = t.org_id WHERE t.provider_id = ?1 \
             ORDER BY d.opened_at DESC",
            &[int(provider)],
        )
        .await
    }

    // ---- periods ----------------------------------------------------------------------------

    /// Active organisations with a plan, with their provider's time zone.
    pub async fn period_orgs(&self) -> AppResult<Vec<PeriodOrg>> {
        self.all(
            "SELECT o.id, o.provider_id, p.time_zone FROM organisations o \
             JOIN providers p ON p.id = o.provider_id \
             WHERE o.active = 1 AND o.plan_id IS NOT NULL ORDER BY o.id",
            &[],
        )
        .await
    }
}
