//! Top-ups in D1: point packs, purchases, the gateways' notifications as received, the sandbox
//! gateway's own payments and the revenue report.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{int, text, Db};
use crate::error::{AppError, AppResult};

#[derive(Clone, Debug, Deserialize)]
pub struct PackRow {
    pub id: i64,
    pub name: String,
    pub points: i64,
    pub price_minor: i64,
    pub currency: String,
    pub active: i64,
}

/// A pack's columns as a manager wrote them.
pub struct PackColumns<'a> {
    pub name: &'a str,
    pub points: i64,
    pub price_minor: i64,
    pub currency: &'a str,
    pub active: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PurchaseRow {
    pub id: i64,
    pub provider_id: i64,
    pub org_id: i64,
    pub organization: String,
    pub pack_name: String,
    pub points: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub gateway: String,
    pub payment_id: Option<String>,
    pub status: String,
    pub failure: Option<String>,
    pub buyer: String,
    pub created_at: i64,
    pub settled_at: Option<i64>,
    pub balance_after: Option<i64>,
    pub save_card: i64,
    pub automatic: i64,
    pub checkout_url: Option<String>,
}

pub struct NewPurchase<'a> {
    pub provider: i64,
    pub org: i64,
    pub pack: &'a PackRow,
    pub user: i64,
    pub gateway: &'a str,
    pub now: i64,
    /// The buyer agreed to keep the card for automatic top-ups.
    pub save_card: bool,
    /// The automatic top-up made it.
    pub automatic: bool,
}

/// A verified notification, as `payment_events` keeps it.
pub struct NewPaymentEvent<'a> {
    pub gateway: &'a str,
    pub event_id: &'a str,
    pub kind: &'a str,
    pub payment_id: &'a str,
    pub purchase: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SandboxRow {
    pub amount_minor: i64,
    pub currency: String,
    pub description: String,
    pub reference: String,
    pub return_url: String,
    pub status: String,
    pub save_card: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RevenueRow {
    pub month: String,
    pub currency: String,
    pub purchases: i64,
    pub points: i64,
    pub amount_minor: i64,
}

const PACK_COLUMNS: &str = "id, name, points, price_minor, currency, active";

const PURCHASE_SELECT: &str =
    "SELECT p.id, p.provider_id, p.org_id, o.name AS organization, p.pack_name, \
     p.points, p.amount_minor, p.currency, p.gateway, p.payment_id, p.status, p.failure, \
     u.name AS buyer, p.created_at, p.settled_at, p.save_card, p.automatic, \
     CASE WHEN p.status = 'pending' THEN NULLIF(p.checkout_url, '') END AS checkout_url, \
     (SELECT e.balance_after FROM ledger_entries e \
      WHERE e.idempotency_key = 'purchase:' || CAST(p.id AS INTEGER)) AS balance_after \
     FROM purchases p JOIN organisations o ON o.id = p.org_id JOIN users u ON u.id = p.user_id";

impl Db {
    /// Runs a batch whose first statement ends in `RETURNING id`; that id.
    pub async fn batch_returning_id(&self, statements: Vec<D1PreparedStatement>) -> AppResult<i64> {
        let results = self.d1.batch(statements).await.map_err(super::refused)?;
        let first = results
            .first()
            .ok_or_else(|| AppError::Internal("an empty batch".into()))?;
        first
            .results::<super::IdRow>()?
            .first()
            .map(|r| r.id)
            .ok_or_else(|| AppError::Internal("the insert returned no id".into()))
    }

    // ---- packs ------------------------------------------------------------------------------

    pub async fn packs(&self, provider: i64, active_only: bool) -> AppResult<Vec<PackRow>> {
        self.all(
            format!(
                "SELECT {PACK_COLUMNS} FROM point_packs WHERE provider_id = ?1 \
                 AND (active = 1 OR ?2 = 0) ORDER BY active DESC, id"
            ),
            &[int(provider), int(i64::from(active_only))],
        )
        .await
    }

    pub async fn pack(&self, provider: i64, id: i64) -> AppResult<Option<PackRow>> {
        self.first(
            format!("SELECT {PACK_COLUMNS} FROM point_packs WHERE provider_id = ?1 AND id = ?2"),
            &[int(provider), int(id)],
        )
        .await
    }

    pub fn insert_pack(
        &self,
        provider: i64,
        c: &PackColumns<'_>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO point_packs (provider_id, name, points, price_minor, currency, active, \
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            &[
                int(provider),
                text(c.name),
                int(c.points),
                int(c.price_minor),
                text(c.currency),
                int(i64::from(c.active)),
                int(now),
            ],
        )
    }

    pub fn update_pack(
        &self,
        provider: i64,
        id: i64,
        c: &PackColumns<'_>,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE point_packs SET name = ?3, points = ?4, price_minor = ?5, currency = ?6, \
             active = ?7 WHERE provider_id = ?1 AND id = ?2 RETURNING id",
            &[
                int(provider),
                int(id),
                text(c.name),
                int(c.points),
                int(c.price_minor),
                text(c.currency),
                int(i64::from(c.active)),
            ],
        )
    }

    // ---- purchases --------------------------------------------------------------------------

    pub fn insert_purchase(&self, p: &NewPurchase<'_>) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO purchases (provider_id, org_id, pack_id, pack_name, user_id, points, \
             amount_minor, currency, gateway, created_at, save_card, automatic) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
            &[
                int(p.provider),
                int(p.org),
                int(p.pack.id),
                text(&p.pack.name),
                int(p.user),
                int(p.pack.points),
                int(p.pack.price_minor),
                text(&p.pack.currency),
                text(p.gateway),
                int(p.now),
                int(i64::from(p.save_card)),
                int(i64::from(p.automatic)),
            ],
        )
    }

    /// A purchase paid again at a checkout (an automatic top-up the bank wanted the cardholder
    /// for): its payment is now the checkout's.
    pub fn repay(
        &self,
        purchase: i64,
        payment_id: &str,
        checkout_url: &str,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE purchases SET payment_id = ?2, checkout_url = ?3 \
             WHERE id = ?1 AND status = 'pending'",
            &[int(purchase), text(payment_id), text(checkout_url)],
        )
    }

    /// A purchase the automatic top-up made (an invoice it issued).
    pub fn mark_automatic(&self, purchase: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE purchases SET automatic = 1 WHERE id = ?1",
            &[int(purchase)],
        )
    }

    /// The card this purchase is paid with is to be kept (an automatic top-up's checkout).
    pub fn keeps_card(&self, purchase: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE purchases SET save_card = 1 WHERE id = ?1",
            &[int(purchase)],
        )
    }

    /// A sandbox payment charged without the buyer: paid at once.
    pub fn sandbox_charged(&self, id: &str) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE sandbox_payments SET status = 'succeeded' WHERE id = ?1",
            &[text(id)],
        )
    }

    /// The sandbox keeps the card of this payment once it is paid.
    pub fn sandbox_keeps_card(&self, id: &str) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE sandbox_payments SET save_card = 1 WHERE id = ?1",
            &[text(id)],
        )
    }

    /// The gateway's payment for a purchase, once it answered.
    pub fn set_payment(
        &self,
        purchase: i64,
        payment_id: &str,
        checkout_url: &str,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE purchases SET payment_id = ?2, checkout_url = ?3 \
             WHERE id = ?1 AND payment_id IS NULL",
            &[int(purchase), text(payment_id), text(checkout_url)],
        )
    }

    /// A pending purchase fails or is cancelled (a settled one stays as it is).
    pub fn settle_unpaid(
        &self,
        purchase: i64,
        status: &str,
        failure: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE purchases SET status = ?2, failure = ?3, settled_at = ?4 \
             WHERE id = ?1 AND status = 'pending'",
            &[int(purchase), text(status), text(failure), int(now)],
        )
    }

    /// The purchase is paid (also after a failure the gateway later reversed).
    pub fn settle_paid(&self, purchase: i64, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE purchases SET status = 'succeeded', failure = NULL, settled_at = ?2 \
             WHERE id = ?1 AND status <> 'succeeded'",
            &[int(purchase), int(now)],
        )
    }

    /// The VAT code of the provider's 54-FZ receipts.
    pub async fn vat_code(&self, provider: i64) -> AppResult<u8> {
        #[derive(serde::Deserialize)]
        struct Row {
            vat_code: i64,
        }
        let row: Option<Row> = self
            .first(
                "SELECT vat_code FROM providers WHERE id = ?1",
                &[int(provider)],
            )
            .await?;
        let code = row.ok_or(AppError::NotFound)?.vat_code;
        u8::try_from(code).map_err(|_| AppError::Internal(format!("vat_code {code}")))
    }

    pub fn set_vat_code(&self, provider: i64, code: u8) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE providers SET vat_code = ?2 WHERE id = ?1",
            &[int(provider), int(i64::from(code))],
        )
    }

    /// This database's random id (migration 0007): the prefix of the keys sent to gateways.
    pub async fn deployment(&self) -> AppResult<String> {
        #[derive(serde::Deserialize)]
        struct Row {
            deployment: String,
        }
        let row: Option<Row> = self
            .first("SELECT deployment FROM schema_info WHERE id = 1", &[])
            .await?;
        row.map(|r| r.deployment)
            .filter(|d| !d.is_empty())
            .ok_or_else(|| AppError::Internal("schema_info has no deployment id".into()))
    }

    /// Purchases still pending that began at or before `began_by`, oldest first: the hourly
    /// reconciliation asks their gateways where they stand.
    pub async fn stale_pending_purchases(
        &self,
        began_by: i64,
        limit: i64,
    ) -> AppResult<Vec<PurchaseRow>> {
        self.all(
            format!(
                "{PURCHASE_SELECT} WHERE p.status = 'pending' AND p.payment_id IS NOT NULL \
                 AND p.created_at <= ?1 ORDER BY p.id LIMIT ?2"
            ),
            &[int(began_by), int(limit)],
        )
        .await
    }

    /// The credit block a purchase made, if it was credited.
    pub async fn purchase_block(&self, org: i64, purchase: i64) -> AppResult<Option<i64>> {
        #[derive(serde::Deserialize)]
        struct Row {
            block_no: i64,
        }
        let row: Option<Row> = self
            .first(
                "SELECT block_no FROM credit_blocks WHERE org_id = ?1 \
                 AND source = 'purchase:' || CAST(?2 AS INTEGER)",
                &[int(org), int(purchase)],
            )
            .await?;
        Ok(row.map(|r| r.block_no))
    }

    /// The points refunds of a purchase have taken back so far (by entries; what is still owed
    /// of it is in the account).
    pub async fn refunded_points(&self, org: i64, purchase: i64) -> AppResult<i64> {
        #[derive(serde::Deserialize)]
        struct Row {
            taken: i64,
        }
        let row: Option<Row> = self
            .first(
                "SELECT -COALESCE(SUM(amount), 0) AS taken FROM ledger_entries \
                 WHERE org_id = ?1 AND kind = 'purchase_refund' \
                 AND reference = 'payment:' || CAST(?2 AS INTEGER)",
                &[int(org), int(purchase)],
            )
            .await?;
        Ok(row.map_or(0, |r| r.taken))
    }

    /// Was a decision with this business key written already?
    pub async fn applied(&self, key: &str) -> AppResult<bool> {
        #[derive(serde::Deserialize)]
        struct Row {
            n: i64,
        }
        let row: Option<Row> = self
            .first(
                "SELECT COUNT(*) AS n FROM applied_events WHERE idempotency_key = ?1",
                &[text(key)],
            )
            .await?;
        Ok(row.is_some_and(|r| r.n > 0))
    }

    pub async fn purchase_by_payment(
        &self,
        gateway: &str,
        payment_id: &str,
    ) -> AppResult<Option<PurchaseRow>> {
        self.first(
            format!("{PURCHASE_SELECT} WHERE p.gateway = ?1 AND p.payment_id = ?2"),
            &[text(gateway), text(payment_id)],
        )
        .await
    }

    pub async fn purchase(&self, provider: i64, id: i64) -> AppResult<Option<PurchaseRow>> {
        self.first(
            format!("{PURCHASE_SELECT} WHERE p.provider_id = ?1 AND p.id = ?2"),
            &[int(provider), int(id)],
        )
        .await
    }

    /// The newest purchases of the provider, or of one organisation.
    pub async fn purchases(
        &self,
        provider: i64,
        org: Option<i64>,
        limit: i64,
    ) -> AppResult<Vec<PurchaseRow>> {
        self.all(
            format!(
                "{PURCHASE_SELECT} WHERE p.provider_id = ?1 AND (?2 IS NULL OR p.org_id = ?2) \
                 ORDER BY p.id DESC LIMIT ?3"
            ),
            &[
                int(provider),
                org.map_or(wasm_bindgen::JsValue::NULL, int),
                int(limit),
            ],
        )
        .await
    }

    // ---- notifications ----------------------------------------------------------------------

    /// Records a verified notification (`UNIQUE` per gateway event: a replay fails the batch).
    pub fn insert_payment_event(
        &self,
        e: &NewPaymentEvent<'_>,
        outcome: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO payment_events (gateway, event_id, kind, payment_id, purchase_id, \
             outcome, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                text(e.gateway),
                text(e.event_id),
                text(e.kind),
                text(e.payment_id),
                e.purchase.map_or(wasm_bindgen::JsValue::NULL, int),
                text(outcome),
                int(now),
            ],
        )
    }

    pub async fn payment_event_seen(&self, gateway: &str, event_id: &str) -> AppResult<bool> {
        Ok(self
            .first_id(
                "SELECT id FROM payment_events WHERE gateway = ?1 AND event_id = ?2",
                &[text(gateway), text(event_id)],
            )
            .await?
            .is_some())
    }

    // ---- the sandbox gateway's books ----------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    pub fn insert_sandbox_payment(
        &self,
        id: &str,
        amount_minor: i64,
        currency: &str,
        description: &str,
        reference: &str,
        return_url: &str,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO sandbox_payments (id, amount_minor, currency, description, reference, \
             return_url, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                text(id),
                int(amount_minor),
                text(currency),
                text(description),
                text(reference),
                text(return_url),
                int(now),
            ],
        )
    }

    pub async fn sandbox_payment(&self, id: &str) -> AppResult<Option<SandboxRow>> {
        self.first(
            "SELECT amount_minor, currency, description, reference, return_url, status, \
             save_card FROM sandbox_payments WHERE id = ?1",
            &[text(id)],
        )
        .await
    }

    /// The sandbox settles a pending payment and keeps the notification it sends.
    pub async fn settle_sandbox_payment(
        &self,
        id: &str,
        status: &str,
        notification: &str,
        signature: &str,
    ) -> AppResult<bool> {
        let changed = self
            .batch(vec![self.statement(
                "UPDATE sandbox_payments SET status = ?2, notification = ?3, signature = ?4 \
                 WHERE id = ?1 AND status = 'pending'",
                &[text(id), text(status), text(notification), text(signature)],
            )?])
            .await?;
        Ok(changed.first().copied().unwrap_or(0) == 1)
    }

    // ---- the revenue report -------------------------------------------------------------------

    /// Succeeded purchases by month of the provider's calendar and currency; `[from, to)` in unix
    /// seconds.
    pub async fn revenue(
        &self,
        provider: i64,
        between: (i64, i64),
        offset_minutes: i32,
    ) -> AppResult<Vec<RevenueRow>> {
        self.all(
            "SELECT strftime('%Y-%m', settled_at + ?4 * 60, 'unixepoch') AS month, currency, \
             COUNT(*) AS purchases, SUM(points) AS points, SUM(amount_minor) AS amount_minor \
             FROM purchases WHERE provider_id = ?1 AND status = 'succeeded' \
             AND settled_at >= ?2 AND settled_at < ?3 \
             GROUP BY month, currency ORDER BY month, currency",
            &[
                int(provider),
                int(between.0),
                int(between.1),
                int(i64::from(offset_minutes)),
            ],
        )
        .await
    }
}
