//! Automatic top-up settings: the client admin chooses the threshold, the pack, card or invoice,
//! and the monthly cap.

use pointdesk_api::invoices::AutoTopUpDto;
use pointdesk_api::problem::FieldError;
use pointdesk_domain::policy::Action;
use worker::Response;

use crate::db::{AutoTopUpColumns, Db};
use crate::error::{AppError, AppResult};
use pointdesk_domain::money::Currency;

use super::requisites::organisation;
use super::settle::config;
use crate::http::{body_of, json, wire_points, Call, Session};
use crate::zone;

async fn read(call: &Call<'_>, who: &Session, db: &Db, org: i64) -> AppResult<AutoTopUpDto> {
    let month = zone::period_at(&who.user.time_zone, call.now).to_string();
    Ok(match db.auto_topup(org).await? {
        Some(r) => AutoTopUpDto {
            enabled: r.enabled == 1,
            threshold: wire_points(r.threshold),
            pack_id: r.pack_id,
            method: r.method,
            monthly_cap_minor: r.monthly_cap_minor,
            card: r.card,
            announced_at: r.announced_at,
            spent_this_month_minor: if r.month.as_deref() == Some(month.as_str()) {
                r.spent_minor
            } else {
                0
            },
        },
        // Not set: off, with nothing chosen (a card may be kept already).
        None => AutoTopUpDto {
            enabled: false,
            threshold: wire_points(0),
            pack_id: 0,
            method: "card".to_owned(),
            monthly_cap_minor: 0,
            card: db.card_label(org).await?,
            announced_at: None,
            spent_this_month_minor: 0,
        },
    })
}

/// `getAutoTopUp`.
pub async fn get(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = organisation(call, who, Action::ViewLedger).await?;
    json(&read(call, who, &call.db()?, id).await?)
}

/// `updateAutoTopUp` (the client admin: it spends the organisation's money).
pub async fn set(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = organisation(call, who, Action::BuyPoints).await?;
    let (req, _): (AutoTopUpDto, Vec<u8>) = body_of(call).await?;
    let db = call.db()?;
    let mut bad = Vec::new();
    if req.threshold.0.hundredths() < 0 {
        bad.push(FieldError::new("threshold", "negative"));
    }
    if !matches!(req.method.as_str(), "card" | "invoice") {
        bad.push(FieldError::new("method", "malformed"));
    }
    let pack = db
        .pack(who.provider(), req.pack_id)
        .await?
        .filter(|p| p.active == 1);
    match &pack {
        None => bad.push(FieldError::new("pack_id", "unknown")),
        Some(p) if req.method == "invoice" && p.currency != "RUB" => {
            bad.push(FieldError::new("pack_id", "not_rub"));
        }
        Some(p) if req.monthly_cap_minor < p.price_minor => {
            bad.push(FieldError::new("monthly_cap_minor", "below_pack_price"));
        }
        Some(p) if req.enabled && req.method == "card" => {
            // A card is charged without the admin: one must have been kept at a checkout.
            let currency = Currency::parse(&p.currency)
                .map_err(|e| AppError::Internal(format!("pack {}: {e}", p.id)))?;
            let gateway = config(call.env)?.for_currency(currency)?;
            if db.saved_card(id, gateway.name()).await?.is_none() {
                bad.push(FieldError::new("method", "no_saved_card"));
            }
        }
        Some(_) => {}
    }
    if !bad.is_empty() {
        return Err(AppError::Fields(bad));
    }
    let now = call.now.unix();
    let after = serde_json::to_string(&req).map_err(|e| AppError::Internal(e.to_string()))?;
    db.batch(vec![
        db.set_auto_topup(
            id,
            &AutoTopUpColumns {
                enabled: req.enabled,
                threshold: req.threshold.0.hundredths(),
                pack_id: req.pack_id,
                method: &req.method,
                monthly_cap_minor: req.monthly_cap_minor,
            },
            who.user.id,
            now,
        )?,
        db.insert_audit(&who.audit(
            "auto_topup.update",
            "auto top-up",
            Some(id),
            (None, Some(&after)),
            now,
        ))?,
    ])
    .await?;
    json(&read(call, who, &db, id).await?)
}
