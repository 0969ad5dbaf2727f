//! Paying by bank transfer in D1: requisites, invoices (purchases with `gateway = 'invoice'`),
//! payments read from bank statements, and closing acts.

use pointdesk_api::invoices::{ClientRequisitesDto, ProviderRequisitesDto};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1PreparedStatement;

use super::books::ENTRY_TICKET;
use super::{int, opt, text, Db};
use crate::error::AppResult;

#[derive(Clone, Debug, Deserialize)]
pub struct InvoiceRow {
    pub id: i64,
    pub org_id: i64,
    pub organization: String,
    pub points: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub status: String,
    pub number: i64,
    pub issued_on: String,
    pub description: String,
    pub vat: String,
    pub vat_minor: i64,
    pub document: String,
    pub paid_on: Option<String>,
    pub payment_reference: Option<String>,
}

/// An invoice about to be issued.
pub struct NewInvoice<'a> {
    pub provider: i64,
    pub org: i64,
    pub pack_id: i64,
    pub pack_name: &'a str,
    pub user: i64,
    pub points: i64,
    pub amount_minor: i64,
    pub year: i32,
    pub issued_on: &'a str,
    pub description: &'a str,
    pub vat: &'a str,
    pub vat_minor: i64,
    pub buyer_inn: &'a str,
    pub document: &'a str,
    pub now: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct BankPaymentRow {
    pub id: i64,
    pub number: String,
    pub doc_date: String,
    pub amount_minor: i64,
    pub payer_name: String,
    pub payer_inn: String,
    pub payer_account: String,
    pub purpose: String,
    pub state: String,
    pub reason: Option<String>,
    pub invoice_id: Option<i64>,
    pub invoice_number: Option<i64>,
    pub invoice_issued_on: Option<String>,
    pub note: Option<String>,
}

/// A payment read from a statement, as it is kept.
pub struct NewBankPayment<'a> {
    pub provider: i64,
    pub doc: &'a pointdesk_domain::bank::Document,
    pub state: &'a str,
    pub reason: Option<&'a str>,
    pub invoice: Option<i64>,
    pub now: i64,
}

/// A purchase that was paid (by card or invoice), with its buyer's requisites.
#[derive(Clone, Debug, Deserialize)]
pub struct SettledRow {
    pub id: i64,
    pub gateway: String,
    pub settled_at: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub organization: String,
    pub legal_name: Option<String>,
    pub inn: Option<String>,
    pub kpp: Option<String>,
    pub address: Option<String>,
    pub invoice_number: Option<i64>,
    pub invoice_issued_on: Option<String>,
    pub payment_reference: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ActRow {
    pub number: i64,
    pub issued_on: String,
    pub document: String,
}

/// A block move of a charge, refund or adjustment in a month, with what the block's points cost
/// when they were bought (`purchase_*`: NULL for points that were not bought).
#[derive(Clone, Debug, Deserialize)]
pub struct ActMoveRow {
    pub entry_id: i64,
    pub at: i64,
    pub reason: String,
    pub points: i64,
    pub ticket_number: Option<i64>,
    pub ticket_title: Option<String>,
    pub purchase_points: Option<i64>,
    pub purchase_minor: Option<i64>,
}

const INVOICE_SELECT: &str = "SELECT p.id, p.org_id, o.name AS organization, \
     p.points, p.amount_minor, p.currency, p.status, i.number, i.issued_on, \
     i.description, i.vat, i.vat_minor, i.document, i.paid_on, i.payment_reference \
     FROM invoices i JOIN purchases p ON p.id = i.purchase_id JOIN organisations o ON o.id = p.org_id";

const BANK_SELECT: &str = "SELECT b.id, b.number, b.doc_date, b.amount_minor, b.payer_name, \
     b.payer_inn, b.payer_account, b.purpose, b.state, b.reason, b.invoice_id, \
     i.number AS invoice_number, i.issued_on AS invoice_issued_on, b.note \
     FROM bank_payments b LEFT JOIN invoices i ON i.purchase_id = b.invoice_id";

impl Db {
    // ---- requisites -------------------------------------------------------------------------

    pub async fn provider_requisites(
        &self,
        provider: i64,
    ) -> AppResult<Option<ProviderRequisitesDto>> {
        self.first(
            "SELECT legal_name, inn, kpp, ogrn, address, bank_name, bik, account, corr_account, \
             vat, signatory FROM provider_requisites WHERE provider_id = ?1",
            &[int(provider)],
        )
        .await
    }

    pub fn set_provider_requisites(
        &self,
        provider: i64,
        r: &ProviderRequisitesDto,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO provider_requisites (provider_id, legal_name, inn, kpp, ogrn, address, \
             bank_name, bik, account, corr_account, vat, signatory, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
             ON CONFLICT (provider_id) DO UPDATE SET legal_name = ?2, inn = ?3, kpp = ?4, \
             ogrn = ?5, address = ?6, bank_name = ?7, bik = ?8, account = ?9, \
             corr_account = ?10, vat = ?11, signatory = ?12, updated_at = ?13",
            &[
                int(provider),
                text(&r.legal_name),
                text(&r.inn),
                text(&r.kpp),
                text(&r.ogrn),
                text(&r.address),
                text(&r.bank_name),
                text(&r.bik),
                text(&r.account),
                text(&r.corr_account),
                text(&r.vat),
                text(&r.signatory),
                int(now),
            ],
        )
    }

    pub async fn org_requisites(&self, org: i64) -> AppResult<Option<ClientRequisitesDto>> {
        self.first(
            "SELECT legal_name, inn, kpp, address FROM org_requisites WHERE org_id = ?1",
            &[int(org)],
        )
        .await
    }

    pub fn set_org_requisites(
        &self,
        org: i64,
        r: &ClientRequisitesDto,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO org_requisites (org_id, legal_name, inn, kpp, address, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (org_id) DO UPDATE SET \
             legal_name = ?2, inn = ?3, kpp = ?4, address = ?5, updated_at = ?6",
            &[
                int(org),
                text(&r.legal_name),
                text(&r.inn),
                text(&r.kpp),
                text(&r.address),
                int(now),
            ],
        )
    }

    // ---- invoices ---------------------------------------------------------------------------

    /// The purchase an invoice is (first in its batch: `RETURNING id`) and the invoice itself,
    /// numbered one above the provider's last of the year.
    pub fn insert_invoice(&self, n: &NewInvoice<'_>) -> AppResult<Vec<D1PreparedStatement>> {
        Ok(vec![
            self.statement(
                "INSERT INTO purchases (provider_id, org_id, pack_id, pack_name, user_id, points, \
                 amount_minor, currency, gateway, status, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'RUB', 'invoice', 'awaiting_transfer', ?8) \
                 RETURNING id",
                &[
                    int(n.provider),
                    int(n.org),
                    int(n.pack_id),
                    text(n.pack_name),
                    int(n.user),
                    int(n.points),
                    int(n.amount_minor),
                    int(n.now),
                ],
            )?,
            // The batch is one transaction: the purchase just made has the highest id.
            self.statement(
                "INSERT INTO invoices (purchase_id, provider_id, org_id, year, number, issued_on, \
                 description, vat, vat_minor, buyer_inn, document) \
                 SELECT (SELECT MAX(id) FROM purchases), ?1, ?2, ?3, \
                 COALESCE((SELECT MAX(number) FROM invoices WHERE provider_id = ?1 AND year = ?3), 0) + 1, \
                 ?4, ?5, ?6, ?7, ?8, ?9",
                &[
                    int(n.provider),
                    int(n.org),
                    int(i64::from(n.year)),
                    text(n.issued_on),
                    text(n.description),
                    text(n.vat),
                    int(n.vat_minor),
                    text(n.buyer_inn),
                    text(n.document),
                ],
            )?,
        ])
    }

    pub async fn invoice(&self, provider: i64, id: i64) -> AppResult<Option<InvoiceRow>> {
        self.first(
            format!("{INVOICE_SELECT} WHERE p.provider_id = ?1 AND p.id = ?2"),
            &[int(provider), int(id)],
        )
        .await
    }

    pub async fn invoices(
        &self,
        provider: i64,
        org: Option<i64>,
        status: Option<&str>,
        limit: i64,
    ) -> AppResult<Vec<InvoiceRow>> {
        self.all(
            format!(
                "{INVOICE_SELECT} WHERE p.provider_id = ?1 AND (?2 IS NULL OR p.org_id = ?2) \
                 AND (?3 IS NULL OR p.status = ?3) ORDER BY p.id DESC LIMIT ?4"
            ),
            &[
                int(provider),
                opt(org),
                status.map_or(JsValue::NULL, text),
                int(limit),
            ],
        )
        .await
    }

    /// Invoices of the provider issued, or paid, within `[from, to)` (dates `YYYY-MM-DD`).
    pub async fn invoices_between(
        &self,
        provider: i64,
        (from, to): (&str, &str),
    ) -> AppResult<Vec<InvoiceRow>> {
        self.all(
            format!(
                "{INVOICE_SELECT} WHERE p.provider_id = ?1 AND ((i.issued_on >= ?2 AND i.issued_on < ?3) \
                 OR (i.paid_on >= ?2 AND i.paid_on < ?3)) ORDER BY i.year, i.number"
            ),
            &[int(provider), text(from), text(to)],
        )
        .await
    }

    /// The provider's invoices waiting for their transfer, as matching sees them.
    pub async fn open_invoices(
        &self,
        provider: i64,
    ) -> AppResult<Vec<pointdesk_domain::bank::OpenInvoice>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            number: i64,
            year: i64,
            buyer_inn: String,
            amount_minor: i64,
        }
        let rows: Vec<Row> = self
            .all(
                "SELECT p.id, i.number, i.year, i.buyer_inn, p.amount_minor FROM invoices i \
                 JOIN purchases p ON p.id = i.purchase_id \
                 WHERE i.provider_id = ?1 AND p.status = 'awaiting_transfer'",
                &[int(provider)],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| pointdesk_domain::bank::OpenInvoice {
                id: r.id,
                number: u32::try_from(r.number).unwrap_or(0),
                year: i32::try_from(r.year).unwrap_or(0),
                inn: r.buyer_inn,
                amount_minor: r.amount_minor,
            })
            .collect())
    }

    /// An invoice still waiting is cancelled (nothing else moves).
    pub fn cancel_invoice(&self, id: i64, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE purchases SET status = 'canceled', settled_at = ?2 \
             WHERE id = ?1 AND status = 'awaiting_transfer'",
            &[int(id), int(now)],
        )
    }

    /// The transfer that paid an invoice: when and which.
    pub fn invoice_paid(
        &self,
        id: i64,
        paid_on: &str,
        reference: &str,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE invoices SET paid_on = ?2, payment_reference = ?3 \
             WHERE purchase_id = ?1 AND paid_on IS NULL",
            &[int(id), text(paid_on), text(reference)],
        )
    }

    // ---- bank payments ----------------------------------------------------------------------

    pub async fn bank_payment_known(&self, provider: i64, key: &str) -> AppResult<bool> {
        Ok(self
            .first_id(
                "SELECT id FROM bank_payments WHERE provider_id = ?1 AND doc_key = ?2",
                &[int(provider), text(key)],
            )
            .await?
            .is_some())
    }

    pub fn insert_bank_payment(&self, p: &NewBankPayment<'_>) -> AppResult<D1PreparedStatement> {
        let d = p.doc;
        self.statement(
            "INSERT INTO bank_payments (provider_id, doc_key, number, doc_date, amount_minor, \
             payer_name, payer_inn, payer_account, purpose, state, reason, invoice_id, imported_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            &[
                int(p.provider),
                text(&d.key()),
                text(&d.number),
                text(&d.date.to_string()),
                int(d.amount_minor),
                text(&d.payer_name),
                text(&d.payer_inn),
                text(&d.payer_account),
                text(&d.purpose),
                text(p.state),
                p.reason.map_or(JsValue::NULL, text),
                opt(p.invoice),
                int(p.now),
            ],
        )
    }

    pub async fn bank_payments(
        &self,
        provider: i64,
        open_only: bool,
        keys: Option<&[String]>,
    ) -> AppResult<Vec<BankPaymentRow>> {
        let keys = keys.map(|k| serde_json::to_string(k).unwrap_or_default());
        self.all(
            format!(
                "{BANK_SELECT} WHERE b.provider_id = ?1 AND (?2 = 0 OR b.state = 'open') \
                 AND (?3 IS NULL OR b.doc_key IN (SELECT value FROM json_each(?3))) \
                 ORDER BY b.id DESC LIMIT 200"
            ),
            &[
                int(provider),
                int(i64::from(open_only)),
                keys.as_deref().map_or(JsValue::NULL, text),
            ],
        )
        .await
    }

    pub async fn bank_payment(&self, provider: i64, id: i64) -> AppResult<Option<BankPaymentRow>> {
        self.first(
            format!("{BANK_SELECT} WHERE b.provider_id = ?1 AND b.id = ?2"),
            &[int(provider), int(id)],
        )
        .await
    }

    /// An open payment decided: `state` with the invoice it paid (if any) and the note.
    pub fn resolve_bank_payment(
        &self,
        id: i64,
        (state, invoice, note): (&str, Option<i64>, &str),
        by: i64,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE bank_payments SET state = ?2, invoice_id = COALESCE(?3, invoice_id), \
             note = ?4, resolved_by = ?5, resolved_at = ?6 WHERE id = ?1 AND state = 'open'",
            &[
                int(id),
                text(state),
                opt(invoice),
                text(note),
                int(by),
                int(now),
            ],
        )
    }

    /// Purchases paid within `[start, end)` (what the revenue report sums), oldest first.
    pub async fn settled_purchases(
        &self,
        provider: i64,
        (start, end): (i64, i64),
    ) -> AppResult<Vec<SettledRow>> {
        self.all(
            "SELECT p.id, p.gateway, p.settled_at, p.amount_minor, p.currency, \
             o.name AS organization, r.legal_name, r.inn, r.kpp, r.address, \
             i.number AS invoice_number, i.issued_on AS invoice_issued_on, i.payment_reference \
             FROM purchases p JOIN organisations o ON o.id = p.org_id \
             LEFT JOIN org_requisites r ON r.org_id = p.org_id \
             LEFT JOIN invoices i ON i.purchase_id = p.id \
             WHERE p.provider_id = ?1 AND p.status = 'succeeded' \
             AND p.settled_at >= ?2 AND p.settled_at < ?3 ORDER BY p.settled_at, p.id",
            &[int(provider), int(start), int(end)],
        )
        .await
    }

    // ---- acts -------------------------------------------------------------------------------

    pub async fn act(&self, org: i64, period: &str) -> AppResult<Option<ActRow>> {
        self.first(
            "SELECT number, issued_on, document FROM acts WHERE org_id = ?1 AND period = ?2",
            &[int(org), text(period)],
        )
        .await
    }

    /// The act issued, numbered one above the provider's last of the year (a second issue of
    /// the same month loses on `UNIQUE (org_id, period)`).
    pub fn insert_act(
        &self,
        provider: i64,
        org: i64,
        (period, year, issued_on): (&str, i32, &str),
        document: &str,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO acts (provider_id, org_id, period, year, number, issued_on, document) \
             SELECT ?1, ?2, ?3, ?4, \
             COALESCE((SELECT MAX(number) FROM acts WHERE provider_id = ?1 AND year = ?4), 0) + 1, \
             ?5, ?6",
            &[
                int(provider),
                int(org),
                text(period),
                int(i64::from(year)),
                text(issued_on),
                text(document),
            ],
        )
    }

    /// Acts of the provider for the periods `from..=to` (`YYYY-MM`).
    pub async fn acts_between(
        &self,
        provider: i64,
        (from, to): (&str, &str),
    ) -> AppResult<Vec<ActRow>> {
        self.all(
            "SELECT number, issued_on, document FROM acts WHERE provider_id = ?1 \
             AND period >= ?2 AND period <= ?3 ORDER BY year, number",
            &[int(provider), text(from), text(to)],
        )
        .await
    }

    /// The block moves of an organisation's charges within
    /// `[start, end)`, each with the price of the points it moved when they were bought.
    pub async fn act_moves(
        &self,
        org: i64,
        (start, end): (i64, i64),
    ) -> AppResult<Vec<ActMoveRow>> {
        self.all(
            format!(
                "SELECT e.id AS entry_id, e.at, e.reason, m.points, \
             t.number AS ticket_number, t.title AS ticket_title, \
             p.points AS purchase_points, p.amount_minor AS purchase_minor \
             FROM ledger_entries e JOIN entry_moves m ON m.entry_id = e.id {ENTRY_TICKET} \
             JOIN credit_blocks b ON b.org_id = m.org_id AND b.block_no = m.block_no \
             LEFT JOIN purchases p ON b.source GLOB 'purchase:*' \
               AND p.id = CAST(substr(b.source, 10) AS INTEGER) \
             WHERE e.org_id = ?1 AND e.at >= ?2 AND e.at < ?3 \
               AND e.kind = 'charge' \
             ORDER BY e.id, m.block_no"
            ),
            &[int(org), int(start), int(end)],
        )
        .await
    }
}
