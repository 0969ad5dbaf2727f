//! The manager's reports: consumption per organisation and period, balances, disputes.

use serde::Deserialize;

use super::{int, text, Db};
use crate::error::AppResult;

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
impl Db {
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
}
