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
    pub announced_at: Option<i64>,
    pub month: Option<String>,
    pub spent_minor: i64,
}

/// An organisation whose automatic top-up the hourly job looks at: its settings and history,
/// its available points, the pack and the provider's zone.
#[derive(Clone, Debug, Deserialize)]
pub struct DueTopUpRow {
    pub org_id: i64,
    pub provider_id: i64,
    pub enabled: i64,
    pub threshold: i64,
    pub method: String,
    pub monthly_cap_minor: i64,
    pub announced_at: Option<i64>,
    pub last_day: Option<String>,
    pub month: Option<String>,
    pub spent_minor: i64,
    /// The admin who set it: the automatic purchase is theirs.
    pub updated_by: i64,
    pub email: String,
    pub available: i64,
    pub pack_id: i64,
    pub price_minor: i64,
    pub currency: String,
    pub pack_active: i64,
    pub time_zone: String,
}

/// A card a gateway kept.
#[derive(Clone, Debug, Deserialize)]
pub struct SavedCardRow {
    pub method_id: String,
    pub customer_id: Option<String>,
    pub label: String,
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
             a.announced_at, a.month, a.spent_minor, \
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

    /// The card a gateway kept for an organisation (the newest replaces the gateway's last).
    pub fn keep_card(
        &self,
        org: i64,
        gateway: &str,
        card: &crate::pay::SavedCard,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO saved_payment_methods (org_id, gateway, method_id, customer_id, label, \
             saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (org_id, gateway) DO UPDATE \
             SET method_id = ?3, customer_id = ?4, label = ?5, saved_at = ?6",
            &[
                int(org),
                text(gateway),
                text(&card.method_id),
                super::opt_text(card.customer_id.as_deref()),
                text(&card.label),
                int(now),
            ],
        )
    }

    /// The label of the card kept last for the organisation (by any gateway).
    pub async fn card_label(&self, org: i64) -> AppResult<Option<String>> {
        #[derive(Deserialize)]
        struct Label {
            label: String,
        }
        let row: Option<Label> = self
            .first(
                "SELECT label FROM saved_payment_methods WHERE org_id = ?1 \
                 ORDER BY saved_at DESC LIMIT 1",
                &[int(org)],
            )
            .await?;
        Ok(row.map(|r| r.label))
    }

    /// Every automatic top-up that is on or has a notice standing, with what the job decides on.
    pub async fn due_topups(&self) -> AppResult<Vec<DueTopUpRow>> {
        self.all(
            "SELECT a.org_id, o.provider_id, a.enabled, a.threshold, a.method, \
             a.monthly_cap_minor, a.announced_at, a.last_day, a.month, a.spent_minor, \
             a.updated_by, u.email, o.balance - (SELECT COALESCE(SUM(h.points), 0) FROM holds h \
             WHERE h.org_id = o.id) AS available, p.id AS pack_id, p.price_minor, p.currency, \
             p.active AS pack_active, v.time_zone FROM auto_topups a JOIN organisations o ON o.id = a.org_id \
             JOIN point_packs p ON p.id = a.pack_id JOIN providers v ON v.id = o.provider_id \
             JOIN users u ON u.id = a.updated_by \
             WHERE (a.enabled = 1 AND o.active = 1) OR a.announced_at IS NOT NULL \
             ORDER BY a.org_id LIMIT 500",
            &[],
        )
        .await
    }

    /// The card `gateway` kept for the organisation.
    pub async fn saved_card(&self, org: i64, gateway: &str) -> AppResult<Option<SavedCardRow>> {
        self.first(
            "SELECT method_id, customer_id, label FROM saved_payment_methods \
             WHERE org_id = ?1 AND gateway = ?2",
            &[int(org), text(gateway)],
        )
        .await
    }

    /// The notice of a coming top-up stands from `now` (changes nothing when one stands).
    pub fn announce_topup(&self, org: i64, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE auto_topups SET announced_at = ?2 WHERE org_id = ?1 AND announced_at IS NULL",
            &[int(org), int(now)],
        )
    }

    /// The notice is withdrawn (the points came back, or it was turned off).
    pub fn withdraw_topup(&self, org: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE auto_topups SET announced_at = NULL WHERE org_id = ?1",
            &[int(org)],
        )
    }

    /// The job takes the top-up announced at `announced` as made on `today`, costing `cost`
    /// of `month`'s cap; of two runs meeting the same notice only one changes the row.
    pub fn claim_topup(
        &self,
        org: i64,
        announced: i64,
        today: &str,
        month: &str,
        cost: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE auto_topups SET announced_at = NULL, last_day = ?3, \
             spent_minor = CASE WHEN month IS ?4 THEN spent_minor ELSE 0 END + ?5, month = ?4 \
             WHERE org_id = ?1 AND announced_at = ?2",
            &[
                int(org),
                int(announced),
                text(today),
                text(month),
                int(cost),
            ],
        )
    }

    /// A top-up that charged nothing gives its cost back to `month`'s cap.
    pub fn unspend_topup(
        &self,
        org: i64,
        month: &str,
        cost: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE auto_topups SET spent_minor = MAX(spent_minor - ?3, 0) \
             WHERE org_id = ?1 AND month = ?2",
            &[int(org), text(month), int(cost)],
        )
    }
}
