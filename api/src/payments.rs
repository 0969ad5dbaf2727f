//! Top-ups on the wire: the point packs a provider sells, checkouts, purchases and their
//! receipts, the gateways' notifications and the revenue report. Money travels as integer minor
//! units with an ISO 4217 code; the app formats it per locale.

use pointdesk_domain::account::Reject;
use pointdesk_domain::money::{Currency, Money};
use pointdesk_domain::points::Points;
use pointdesk_domain::ticket;
use serde::{Deserialize, Serialize};

use crate::accounts::{Fields, OrgRefDto};
use crate::problem::FieldError;
use crate::WirePoints;

/// The most points one pack sells: 1 000 000.
pub const MAX_PACK_POINTS: i64 = 100_000_000;

/// The gateways a purchase may go through (`{gateway}` of the notification path).
pub const GATEWAYS: [&str; 3] = ["sandbox", "stripe", "yookassa"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointPackDto {
    pub id: i64,
    pub name: String,
    pub points: WirePoints,
    /// In the currency's minor units (kopecks, cents).
    pub price_minor: i64,
    /// ISO 4217: `RUB`, `EUR`, `USD`.
    pub currency: String,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointPackListDto {
    pub packs: Vec<PointPackDto>,
}

/// A pack as a manager writes it (create, or replace its terms).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointPackRequest {
    pub name: String,
    pub points: WirePoints,
    pub price_minor: i64,
    pub currency: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A checked pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointPack {
    pub name: String,
    pub points: Points,
    pub price: Money,
    pub active: bool,
}

impl TryFrom<PointPackRequest> for PointPack {
    type Error = Vec<FieldError>;
    fn try_from(r: PointPackRequest) -> Result<Self, Vec<FieldError>> {
        let mut f = Fields::default();
        let name = f.take("name", ticket::text(&r.name, 1, 80, false));
        let points = r.points.0;
        let points = if !points.is_positive() {
            f.push(FieldError::new("points", "not_positive"));
            None
        } else if points.hundredths() > MAX_PACK_POINTS {
            f.push(FieldError {
                limit: Some(MAX_PACK_POINTS.unsigned_abs() / 100),
                ..FieldError::new("points", "too_large")
            });
            None
        } else {
            Some(points)
        };
        let currency = match Currency::parse(&r.currency) {
            Ok(c) => Some(c),
            Err(_) if r.currency.is_empty() => {
                f.refuse("currency", Reject::Required);
                None
            }
            Err(_) => {
                f.push(FieldError::new("currency", "unsupported"));
                None
            }
        };
        let price = currency.and_then(|c| match Money::price(r.price_minor, c) {
            Ok(m) => Some(m),
            Err(_) => {
                f.push(FieldError::new(
                    "price_minor",
                    if r.price_minor <= 0 {
                        "not_positive"
                    } else {
                        "too_large"
                    },
                ));
                None
            }
        });
        f.finish(|| {
            Some(PointPack {
                name: name?,
                points: points?,
                price: price?,
                active: r.active,
            })
        })
    }
}

/// Start paying for a pack: the answer says where to send the buyer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutRequest {
    pub pack_id: i64,
    /// Keep the card for automatic top-ups (the gateway saves it for charges without the
    /// buyer; `updateAutoTopUp` then charges it).
    #[serde(default)]
    pub save_card: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutDto {
    pub purchase: PurchaseDto,
    /// The gateway's hosted checkout page.
    pub redirect_url: String,
}

/// One purchase: what was bought, for how much, through which gateway, and how it ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseDto {
    pub id: i64,
    pub organization: OrgRefDto,
    pub pack_name: String,
    pub points: WirePoints,
    pub amount_minor: i64,
    pub currency: String,
    /// `sandbox`, `stripe`, `yookassa`.
    pub gateway: String,
    /// The gateway's id for the payment.
    pub payment_id: Option<String>,
    /// `pending`, `succeeded`, `failed`, `canceled`.
    pub status: String,
    /// Why it failed, as the gateway said.
    pub failure: Option<String>,
    /// Who bought.
    pub buyer: String,
    /// Unix seconds.
    pub created_at: i64,
    pub settled_at: Option<i64>,
    /// The balance right after the points arrived.
    pub balance_after: Option<WirePoints>,
    /// The automatic top-up made it (not a person at a checkout).
    #[serde(default)]
    pub automatic: bool,
    /// While it is pending: the gateway's checkout where it is paid (an automatic top-up the
    /// bank wants the cardholder for, or a checkout left unfinished).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseListDto {
    pub purchases: Vec<PurchaseDto>,
}

/// What became of a gateway's notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationReceiptDto {
    /// `credited`, `failed`, `canceled`, `ignored`, or `duplicate` (already handled).
    pub outcome: String,
}

/// Top-up revenue by month (the provider's calendar) and currency, succeeded purchases only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevenueRowDto {
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    pub purchases: i64,
    pub points: WirePoints,
    pub amount_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevenueReportDto {
    pub from: String,
    pub to: String,
    pub rows: Vec<RevenueRowDto>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(name: &str, points: &str, price: i64, currency: &str) -> PointPackRequest {
        PointPackRequest {
            name: name.into(),
            points: WirePoints(points.parse().unwrap()),
            price_minor: price,
            currency: currency.into(),
            active: true,
        }
    }

    fn codes(r: PointPackRequest) -> Vec<(String, String)> {
        PointPack::try_from(r)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_pack_is_named_positive_and_priced_in_a_known_currency() {
        let p = PointPack::try_from(req(" 10 баллов ", "10", 1_400_000, "RUB")).unwrap();
        assert_eq!(p.name, "10 баллов");
        assert_eq!(p.price.to_string(), "14000.00 RUB");
        let all = codes(req(" ", "0", 0, "GBP"));
        assert_eq!(
            all,
            vec![
                ("name".into(), "required".into()),
                ("points".into(), "not_positive".into()),
                ("currency".into(), "unsupported".into()),
            ]
        );
        assert_eq!(
            codes(req("x", "1000000.01", 1, "EUR")),
            vec![("points".into(), "too_large".into())]
        );
        assert_eq!(
            codes(req("x", "1", -5, "EUR")),
            vec![("price_minor".into(), "not_positive".into())]
        );
        assert_eq!(
            codes(req("x", "1", 1 << 60, "EUR")),
            vec![("price_minor".into(), "too_large".into())]
        );
        assert_eq!(
            codes(req("x", "1", 1, "")),
            vec![("currency".into(), "required".into())]
        );
    }
}

/// The provider's payment settings (managers): the VAT code every 54-FZ receipt line carries, as
/// YooKassa numbers them — 1 без НДС (the default), 2 0 %, 3 10 %, 4 20 %, 5 10/110, 6 20/120,
/// 7 5 %, 8 7 %, 9 5/105, 10 7/107, 11 22 %, 12 22/122.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentSettingsDto {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 12))]
    pub vat_code: u8,
}

/// The VAT codes a receipt may carry.
pub const VAT_CODES: std::ops::RangeInclusive<u8> = 1..=12;

impl PaymentSettingsDto {
    /// Refuses a VAT code YooKassa does not know (`out_of_range`).
    pub fn checked(self) -> Result<PaymentSettingsDto, Vec<FieldError>> {
        if VAT_CODES.contains(&self.vat_code) {
            Ok(self)
        } else {
            Err(vec![FieldError {
                limit: Some(u64::from(*VAT_CODES.end())),
                ..FieldError::new("vat_code", "out_of_range")
            }])
        }
    }
}
