//! Automatic top-ups in D1: a client's settings and history, and the cards gateways saved.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{int, text, Db};
use crate::error::AppResult;

#[derive(Clone, Debug, Deserialize)]
pub struct AutoTopUpRow {
    pub enabled: i64,
    pub threshold: i64,
    pub pack_id: i64,
    pub method: String,
    pub monthly_cap_minor: i64,
    pub card: Option<String>,
}

/// A client's settings as an admin writes them.
pub struct AutoTopUpColumns<'a> {
    pub enabled: bool,
    pub threshold: i64,
    pub pack_id: i64,
    pub method: &'a str,
    pub monthly_cap_minor: i64,
}

impl Db {
    pub async fn auto_topup(&self, org: i64) -> AppResult<Option<AutoTopUpRow>> {
        self.first(
            "SELECT a.enabled, a.threshold, a.pack_id, a.method, a.monthly_cap_minor, \
             (SELECT s.label FROM saved_payment_methods s WHERE s.org_id = a.org_id \
              ORDER BY s.saved_at DESC LIMIT 1) AS card \
             FROM auto_topups a WHERE a.org_id = ?1",
            &[int(org)],
        )
        .await
    }

    /// The settings; turning it off (or changing it) withdraws a standing notice.
    pub fn set_auto_topup(
        &self,
        org: i64,
        c: &AutoTopUpColumns<'_>,
        by: i64,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO auto_topups (org_id, enabled, threshold, pack_id, method, \
             monthly_cap_minor, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
             ON CONFLICT (org_id) DO UPDATE SET enabled = ?2, threshold = ?3, pack_id = ?4, \
             method = ?5, monthly_cap_minor = ?6, updated_by = ?7, updated_at = ?8, \
             announced_at = NULL",
            &[
                int(org),
                int(i64::from(c.enabled)),
                int(c.threshold),
                int(c.pack_id),
                text(c.method),
                int(c.monthly_cap_minor),
                int(by),
                int(now),
            ],
        )
    }
}
