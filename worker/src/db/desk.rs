//! What waits for whom (queue counts, decisions), the provider's desk settings, who is on duty
//! for a client, and the announcements of points about to expire.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{int, text, CatalogueRow, Db};
use crate::error::{AppError, AppResult};

const OPEN: &str = "('new', 'in_progress', 'awaiting_approval')";

/// Staff's queue counts.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct QueueCounts {
    pub unassigned: Option<i64>,
    pub mine: Option<i64>,
    pub awaiting_client: Option<i64>,
    pub disputes: Option<i64>,
    /// Open tickets past their running deadline.
    pub overdue: Option<i64>,
    pub open: Option<i64>,
}

/// One decision waiting for a client person (`kind`: quote, charge, approval, confirmation).
#[derive(Clone, Debug, Deserialize)]
pub struct DecisionRow {
    pub kind: String,
    pub ticket_id: i64,
    pub number: i64,
    pub title: String,
    pub points: Option<i64>,
    pub scope: Option<String>,
    pub until: Option<i64>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
pub struct DeskSettingsRow {
    pub auto_close_days: i64,
    pub dispute_window_days: i64,
}

impl Db {
    /// How many tickets each queue holds for `me`.
    pub async fn queue_counts(&self, provider: i64, me: i64, now: i64) -> AppResult<QueueCounts> {
        let sql = format!(
            "SELECT SUM(t.assignee_id IS NULL AND t.status IN {OPEN}) AS unassigned, \
             SUM(t.assignee_id = ?2 AND t.status IN {OPEN}) AS mine, \
             SUM(t.awaiting_client_since IS NOT NULL OR EXISTS (SELECT 1 FROM quotes q \
               WHERE q.ticket_id = t.id AND q.status = 'awaiting_approval')) AS awaiting_client, \
             SUM(t.sla_due IS NOT NULL AND t.sla_due <= ?3) AS overdue, \
             SUM(EXISTS (SELECT 1 FROM disputes d WHERE d.ticket_id = t.id \
               AND d.state = 'open')) AS disputes, \
             SUM(t.status IN {OPEN}) AS open FROM tickets t WHERE t.provider_id = ?1"
        );
        Ok(self
            .first(sql, &[int(provider), int(me), int(now)])
            .await?
            .unwrap_or_default())
    }

    /// What waits for a client person of `org`: as its admin (`admin`), quotes to approve,
    /// charges open to dispute and approvals recorded in their name; for everyone, resolved
    /// incidents to confirm (their own, or all of the organisation's for its admin).
    pub async fn decisions(
        &self,
        provider: i64,
        org: i64,
        me: i64,
        admin: bool,
        now: i64,
    ) -> AppResult<Vec<DecisionRow>> {
        let params = [
            int(provider),
            int(org),
            int(me),
            int(i64::from(admin)),
            int(now),
        ];
        let statements = vec![
            self.statement(
                "SELECT 'quote' AS kind, t.id AS ticket_id, t.number, t.title, q.points, \
                 q.scope, q.expires_at AS until FROM quotes q JOIN tickets t ON t.id = q.ticket_id \
                 WHERE t.provider_id = ?1 AND t.org_id = ?2 AND ?4 = 1 AND ?3 = ?3 \
                 AND q.status = 'awaiting_approval' AND q.expires_at > ?5 ORDER BY q.expires_at",
                &params,
            )?,
            self.statement(
                "SELECT 'charge' AS kind, t.id AS ticket_id, t.number, t.title, \
                 t.charge_points AS points, NULL AS scope, \
                 t.charge_at + p.dispute_window_days * 86400 AS until \
                 FROM tickets t JOIN providers p ON p.id = t.provider_id \
                 WHERE t.provider_id = ?1 AND t.org_id = ?2 AND ?4 = 1 AND ?3 = ?3 \
                 AND t.charge_points IS NOT NULL \
                 AND t.charge_at + p.dispute_window_days * 86400 > ?5 \
                 AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.ticket_id = t.id) \
                 ORDER BY until",
                &params,
            )?,
            self.statement(
                "SELECT 'approval' AS kind, t.id AS ticket_id, t.number, t.title, \
                 q.points, q.scope, ra.recorded_at + p.dispute_window_days * 86400 AS until \
                 FROM recorded_approvals ra JOIN tickets t ON t.id = ra.ticket_id \
                 JOIN quotes q ON q.id = ra.quote_id JOIN providers p ON p.id = t.provider_id \
                 WHERE t.provider_id = ?1 AND t.org_id = ?2 AND ra.approver_id = ?3 AND ?4 = 1 \
                 AND ra.disputed_at IS NULL \
                 AND ra.recorded_at + p.dispute_window_days * 86400 > ?5 ORDER BY until",
                &params,
            )?,
            self.statement(
                "SELECT 'confirmation' AS kind, t.id AS ticket_id, t.number, t.title, \
                 NULL AS points, NULL AS scope, \
                 t.resolved_at + p.auto_close_days * 86400 AS until \
                 FROM tickets t JOIN providers p ON p.id = t.provider_id \
                 WHERE t.provider_id = ?1 AND t.org_id = ?2 AND t.status = 'resolved' \
                 AND t.kind = 'incident' AND (t.requester_id = ?3 OR ?4 = 1) AND ?5 = ?5 \
                 ORDER BY until",
                &params,
            )?,
        ];
        let mut out = Vec::new();
        for r in self.reads(statements).await? {
            out.extend(r.results::<DecisionRow>()?);
        }
        Ok(out)
    }

    pub async fn desk_settings(&self, provider: i64) -> AppResult<DeskSettingsRow> {
        self.first(
            "SELECT auto_close_days, dispute_window_days FROM providers WHERE id = ?1",
            &[int(provider)],
        )
        .await?
        .ok_or_else(|| AppError::Internal(format!("provider {provider} is missing")))
    }

    pub fn set_desk_settings(
        &self,
        provider: i64,
        auto_close_days: u32,
        dispute_window_days: u32,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE providers SET auto_close_days = ?2, dispute_window_days = ?3 WHERE id = ?1",
            &[
                int(provider),
                int(i64::from(auto_close_days)),
                int(i64::from(dispute_window_days)),
            ],
        )
    }

    /// Replaces who is on duty for an organisation with `engineers` (ids of the provider's
    /// active engineers; others are left out).
    pub fn set_on_duty(
        &self,
        provider: i64,
        org: i64,
        engineers: &[i64],
    ) -> AppResult<Vec<D1PreparedStatement>> {
        let ids = serde_json::to_string(engineers).unwrap_or_else(|_| "[]".into());
        Ok(vec![
            self.statement("DELETE FROM org_duty WHERE org_id = ?1", &[int(org)])?,
            self.statement(
                "INSERT INTO org_duty (org_id, user_id) SELECT ?2, u.id FROM users u \
                 WHERE u.provider_id = ?1 AND u.role = 'engineer' AND u.active = 1 \
                 AND u.id IN (SELECT value FROM json_each(?3))",
                &[int(provider), int(org), text(&ids)],
            )?,
        ])
    }

    /// The provider's active catalogue items (what a plan includes and what is quoted).
    pub async fn active_catalogue(&self, provider: i64) -> AppResult<Vec<CatalogueRow>> {
        self.all(
            "SELECT id, name, description, kind, estimate, active FROM catalogue_items \
             WHERE provider_id = ?1 AND active = 1 ORDER BY name",
            &[int(provider)],
        )
        .await
    }

    /// Records that `org` was told `points` expire with `period`; `false` when it already was.
    pub fn expiry_announced(
        &self,
        org: i64,
        period: &str,
        points: i64,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO expiry_notices (org_id, period, points, at) VALUES (?1, ?2, ?3, ?4)",
            &[int(org), text(period), int(points), int(now)],
        )
    }

    /// Organisations not yet told about the expiry of `period`.
    pub async fn unannounced(&self, provider: i64, period: &str) -> AppResult<Vec<i64>> {
        #[derive(Deserialize)]
        struct O {
            id: i64,
        }
        let rows: Vec<O> = self
            .all(
                "SELECT o.id FROM organisations o WHERE o.provider_id = ?1 AND o.active = 1 \
                 AND NOT EXISTS (SELECT 1 FROM expiry_notices e WHERE e.org_id = o.id \
                 AND e.period = ?2) ORDER BY o.id",
                &[int(provider), text(period)],
            )
            .await?;
        Ok(rows.into_iter().map(|o| o.id).collect())
    }

    /// A default threshold follows the allotment (a client's own stays as they set it).
    pub fn default_threshold(&self, org: i64, threshold: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE organisations SET threshold = ?2 WHERE id = ?1 AND threshold_custom = 0",
            &[int(org), int(threshold)],
        )
    }
}
