//! Paying by bank transfer, on the wire: requisites, invoices, bank statements and their
//! payments, closing acts. Money travels as integer kopecks; requisites as the digits people
//! type, checked by `domain::requisites`.

use pointdesk_domain::requisites::{self as rq, Refusal, Vat};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::WirePoints;

fn refuse(errors: &mut Vec<FieldError>, field: &str, r: Refusal) {
    errors.push(FieldError::new(field, r.code()));
}

/// ИНН and КПП: a sole trader (a 12-digit ИНН) has no КПП, so an empty one is theirs to leave.
fn inn_and_kpp(e: &mut Vec<FieldError>, inn: &str, kpp: &str) -> (Option<String>, Option<String>) {
    let inn = check(e, "inn", rq::inn(inn));
    let kpp = if kpp.trim().is_empty() && inn.as_ref().is_some_and(|i| i.len() == 12) {
        Some(String::new())
    } else {
        check(e, "kpp", rq::kpp(kpp))
    };
    (inn, kpp)
}

/// Checks one field, recording a refusal under its name.
fn check(
    errors: &mut Vec<FieldError>,
    field: &str,
    parsed: Result<String, Refusal>,
) -> Option<String> {
    parsed.map_err(|r| refuse(errors, field, r)).ok()
}

/// The provider's requisites: what its invoices and acts say about the seller. Every field is
/// a string; an unset one reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderRequisitesDto {
    pub legal_name: String,
    pub inn: String,
    /// Required with a 10-digit ИНН (an organisation); empty for a sole trader.
    #[serde(default)]
    pub kpp: String,
    /// ОГРН (13 digits) or ОГРНИП (15).
    pub ogrn: String,
    pub address: String,
    pub bank_name: String,
    pub bik: String,
    /// The settlement account (р/с) at that bank.
    pub account: String,
    /// The bank's correspondent account (к/с).
    pub corr_account: String,
    /// `none` (Без НДС), `5`, `7`, `20` or `22` (percent, included in the price).
    pub vat: String,
    /// Who signs invoices and acts (name and position).
    pub signatory: String,
}

impl ProviderRequisitesDto {
    /// The same requisites trimmed, or every refused field with its code.
    pub fn checked(&self) -> Result<ProviderRequisitesDto, Vec<FieldError>> {
        let mut e = Vec::new();
        let (inn, kpp) = inn_and_kpp(&mut e, &self.inn, &self.kpp);
        let bik = check(&mut e, "bik", rq::bik(&self.bik));
        let bank_key = bik.clone().unwrap_or_default();
        let out = ProviderRequisitesDto {
            legal_name: check(&mut e, "legal_name", rq::text(&self.legal_name, 300))
                .unwrap_or_default(),
            inn: inn.unwrap_or_default(),
            kpp: kpp.unwrap_or_default(),
            ogrn: check(&mut e, "ogrn", rq::ogrn(&self.ogrn)).unwrap_or_default(),
            address: check(&mut e, "address", rq::text(&self.address, 500)).unwrap_or_default(),
            bank_name: check(&mut e, "bank_name", rq::text(&self.bank_name, 300))
                .unwrap_or_default(),
            account: check(&mut e, "account", rq::account(&self.account, &bank_key))
                .unwrap_or_default(),
            corr_account: check(
                &mut e,
                "corr_account",
                rq::corr_account(&self.corr_account, &bank_key),
            )
            .unwrap_or_default(),
            bik: bik.unwrap_or_default(),
            vat: match Vat::parse(self.vat.trim()) {
                Some(v) => v.code(),
                None => {
                    e.push(FieldError::new("vat", "unsupported"));
                    String::new()
                }
            },
            signatory: check(&mut e, "signatory", rq::text(&self.signatory, 200))
                .unwrap_or_default(),
        };
        if e.is_empty() {
            Ok(out)
        } else {
            Err(e)
        }
    }
}

/// A client organisation's requisites: the buyer on its invoices and acts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientRequisitesDto {
    pub legal_name: String,
    pub inn: String,
    /// Required with a 10-digit ИНН; empty for a sole trader.
    #[serde(default)]
    pub kpp: String,
    pub address: String,
}

impl ClientRequisitesDto {
    pub fn checked(&self) -> Result<ClientRequisitesDto, Vec<FieldError>> {
        let mut e = Vec::new();
        let (inn, kpp) = inn_and_kpp(&mut e, &self.inn, &self.kpp);
        let out = ClientRequisitesDto {
            legal_name: check(&mut e, "legal_name", rq::text(&self.legal_name, 300))
                .unwrap_or_default(),
            inn: inn.unwrap_or_default(),
            kpp: kpp.unwrap_or_default(),
            address: check(&mut e, "address", rq::text(&self.address, 500)).unwrap_or_default(),
        };
        if e.is_empty() {
            Ok(out)
        } else {
            Err(e)
        }
    }
}

/// `createInvoice`: a pack, or a number of points at a pack's price per point. Client admins
/// invoice their own organisation; managers name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceRequest {
    pub pack_id: i64,
    /// Points at the pack's price per point instead of the pack itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<WirePoints>,
    /// The client organisation (managers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<i64>,
}

/// An invoice (счёт на оплату): a purchase paid by bank transfer. Its `id` is the purchase's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceDto {
    pub id: i64,
    /// Numbered per provider and year from 1.
    pub number: i64,
    /// `YYYY-MM-DD`, in the provider's zone.
    pub issued_on: String,
    /// What the payer writes in the payment's purpose: `Счёт № 15 от 03.12.2026`.
    pub reference: String,
    pub org_id: i64,
    pub buyer: String,
    pub description: String,
    pub points: WirePoints,
    pub amount_minor: i64,
    pub currency: String,
    /// `none` or the percent.
    pub vat: String,
    pub vat_minor: i64,
    /// `awaiting_transfer`, `succeeded` (paid and credited) or `canceled`.
    pub status: String,
    pub paid_on: Option<String>,
    pub payment_reference: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceListDto {
    pub invoices: Vec<InvoiceDto>,
}

/// `markInvoicePaid`: a transfer the manager saw arrive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoicePaymentRequest {
    /// `YYYY-MM-DD`.
    pub paid_on: String,
    /// The payment order's number or the bank's reference.
    pub reference: String,
}

/// `importBankStatement`: a 1C bank exchange file (`1CClientBankExchange` 1.03), its bytes in
/// base64 (Windows-1251 or UTF-8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankStatementRequest {
    pub file_base64: String,
}

/// An incoming payment read from a statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankPaymentDto {
    pub id: i64,
    pub number: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub amount_minor: i64,
    pub payer_name: String,
    pub payer_inn: String,
    pub payer_account: String,
    pub purpose: String,
    /// `credited` (it paid `invoice_id`), `open` (waiting for the manager), `refund` (to be
    /// returned), `ignored`.
    pub state: String,
    /// Why it is open: `no_invoice_number`, `unknown_invoice`, `other_payer`, `short`,
    /// `excess`, `invoice_closed`.
    pub reason: Option<String>,
    pub invoice_id: Option<i64>,
    /// The invoice it names or pays, as its reference.
    pub invoice_reference: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankPaymentListDto {
    pub payments: Vec<BankPaymentDto>,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankImportDto {
    /// Payment documents in the file.
    pub documents: i64,
    /// Incoming payments that paid an invoice now.
    pub credited: i64,
    /// Payments read from an earlier file (changed nothing).
    pub already_imported: i64,
    /// Documents that are not incoming payments to the provider's account.
    pub not_incoming: i64,
    /// The new payments the manager must resolve.
    pub to_resolve: i64,
    /// This file's new payments, credited or open.
    pub payments: Vec<BankPaymentDto>,
}

/// `resolveBankPayment`: what becomes of a payment that matched nothing exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankResolutionRequest {
    /// `credit` (pay `invoice_id` with it, whatever the difference), `refund` (the money goes
    /// back: a note for the accountant), `ignore` (not a client's payment).
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// One line of an act: a ticket's (or an adjustment's) points consumed in the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActLineDto {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub ticket: Option<i64>,
    pub description: String,
    pub points: WirePoints,
    /// The money value of the points: bought points at their purchase's price per point;
    /// points of the plan's allotment are part of the subscription (0).
    pub amount_minor: i64,
}

/// A closing act (акт оказанных услуг) of one client and month: numbered when first issued,
/// the same on every reprint. A month still running has a draft (no number, not kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActDto {
    pub org_id: i64,
    pub period: String,
    /// None while the month runs.
    pub number: Option<i64>,
    pub issued_on: Option<String>,
    pub seller: ProviderRequisitesDto,
    pub buyer: ClientRequisitesDto,
    pub lines: Vec<ActLineDto>,
    pub points: WirePoints,
    pub amount_minor: i64,
    pub vat: String,
    pub vat_minor: i64,
}

/// `getAutoTopUp`/`updateAutoTopUp`: buy a pack when the available points fall below a
/// threshold — with the saved card (`card`) or as a draft invoice (`invoice`) — at most once a
/// day and within a monthly cap; the admin is told an hour before each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutoTopUpDto {
    pub enabled: bool,
    pub threshold: WirePoints,
    pub pack_id: i64,
    /// `card` or `invoice`.
    pub method: String,
    pub monthly_cap_minor: i64,
    /// The saved card's label (`Visa •• 4242`), when a gateway saved one (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
    /// When the admin was told of the coming top-up (read only): it is made an hour later
    /// unless the points come back or it is turned off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced_at: Option<i64>,
    /// What automatic top-ups cost this calendar month so far, in minor units (read only).
    #[serde(default)]
    pub spent_this_month_minor: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> ProviderRequisitesDto {
        ProviderRequisitesDto {
            legal_name: " ООО «Пойнтдеск» ".into(),
            inn: "7707083893".into(),
            kpp: "773601001".into(),
            ogrn: "1027700132195".into(),
            address: "Москва".into(),
            bank_name: "ПАО Сбербанк".into(),
            bik: "044525225".into(),
            account: "40702810138000000005".into(),
            corr_account: "30101810400000000225".into(),
            vat: "none".into(),
            signatory: "Иванов И. И., директор".into(),
        }
    }

    #[test]
    fn provider_requisites_report_every_refused_field() {
        let ok = provider().checked().expect("valid");
        assert_eq!(ok.legal_name, "ООО «Пойнтдеск»");
        let bad = ProviderRequisitesDto {
            inn: "7707083894".into(),
            bik: "04452522".into(),
            account: "40702810138000000006".into(),
            vat: "18".into(),
            ..provider()
        };
        let codes: Vec<(String, String)> = bad
            .checked()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("inn", "check_digit"),
                ("bik", "digits"),
                ("account", "bank_key"),
                ("corr_account", "bank_key"),
                ("vat", "unsupported"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }

    #[test]
    fn a_sole_trader_needs_no_kpp_an_organisation_does() {
        let ip = ClientRequisitesDto {
            legal_name: "ИП Иванов".into(),
            inn: "500100732259".into(),
            kpp: String::new(),
            address: "Тула".into(),
        };
        assert!(ip.checked().is_ok());
        let org = ClientRequisitesDto {
            inn: "7707083893".into(),
            ..ip
        };
        assert_eq!(org.checked().unwrap_err()[0].code, "required");
    }
}
