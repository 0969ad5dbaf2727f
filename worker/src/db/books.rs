//! Reading the books: the balance at a glance, ledger pages and exports, the balance history,
//! and statements (notices are in `notices.rs`, reports in `reports.rs`). Every balance figure comes from state kept beside the entries (the
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
pub struct PeriodOrg {
    pub id: i64,
    pub provider_id: i64,
    pub time_zone: String,
}

pub(super) const ENTRY_TICKET: &str = "LEFT JOIN tickets t ON t.id = (CASE \
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
