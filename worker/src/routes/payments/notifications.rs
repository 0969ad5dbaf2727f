//! A gateway's notification: verified, recorded once, and the purchase credited or refunded.

use pointdesk_api::payments::*;
use worker::Response;

use super::settle::{config, credit, event_row, take_back, Credited};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::http::{json, Call, MAX_BODY_BYTES};
use crate::pay::fetch::Fetcher;
use crate::pay::{Event, Gateway, Inbound, Outcome, PayError};

fn receipt(outcome: &str) -> AppResult<Response> {
    json(&NotificationReceiptDto {
        outcome: outcome.to_owned(),
    })
}

/// `receivePaymentNotification`: verified by the gateway's own scheme, recorded once per event,
/// and a paid payment credited once per purchase.
pub async fn notification(call: &mut Call<'_>) -> AppResult<Response> {
    let name = call.params.get("gateway").unwrap_or_default().to_owned();
    if !pointdesk_api::payments::GATEWAYS.contains(&name.as_str()) {
        return Err(AppError::NotFound);
    }
    let gateway = config(call.env)?.named(&name).map_err(|e| match e {
        PayError::NotConfigured(_) => PayError::UnknownGateway(name.clone()),
        e => e,
    })?;
    let now = call.now;
    let event = verified(call, &gateway).await?;
    let db = call.db()?;
    if db.payment_event_seen(&name, &event.id).await? {
        return receipt("duplicate");
    }
    let row = |purchase: Option<i64>| event_row(&name, &event, purchase);
    let ignore =
        |purchase: Option<i64>| db.insert_payment_event(&row(purchase), "ignored", now.unix());
    let Some(purchase) = db.purchase_by_payment(&name, &event.payment_id).await? else {
        // Not one of ours (another integration on the same account): acknowledged, kept.
        worker::console_log!(
            "payment notification {} from {name} for unknown payment {}",
            event.id,
            event.payment_id
        );
        return once(&db, vec![ignore(None)?], "ignored").await;
    };
    match &event.outcome {
        Outcome::Paid {
            amount_minor,
            currency,
        } => {
            if *amount_minor != purchase.amount_minor || *currency != purchase.currency {
                return Err(PayError::Unverified(format!(
                    "payment {} paid {amount_minor} {currency}, purchase {} costs {} {}",
                    event.payment_id, purchase.id, purchase.amount_minor, purchase.currency
                ))
                .into());
            }
            let origin = call.origin();
            match credit(&db, &origin, now, &name, &event, purchase).await? {
                Credited::Now => receipt("credited"),
                Credited::Already => receipt("duplicate"),
            }
        }
        Outcome::Failed { reason } | Outcome::Canceled { reason } => {
            let (status, outcome) = if matches!(event.outcome, Outcome::Failed { .. }) {
                ("failed", "failed")
            } else {
                ("canceled", "canceled")
            };
            let outcome = if purchase.status == "pending" {
                outcome
            } else {
                "ignored" // a late failure after a success (or a second one) changes nothing
            };
            once(
                &db,
                vec![
                    db.insert_payment_event(&row(Some(purchase.id)), outcome, now.unix())?,
                    db.settle_unpaid(purchase.id, status, reason, now.unix())?,
                ],
                outcome,
            )
            .await
        }
        Outcome::Refunded {
            refunded_minor,
            currency,
        } => {
            if *currency != purchase.currency {
                return Err(PayError::Unverified(format!(
                    "payment {} was refunded in {currency}, purchase {} was paid in {}",
                    event.payment_id, purchase.id, purchase.currency
                ))
                .into());
            }
            let origin = call.origin();
            let outcome =
                take_back(&db, &origin, now, &name, &event, purchase, *refunded_minor).await?;
            receipt(outcome)
        }
        Outcome::NotYet { status } => {
            Err(PayError::NotYet(format!("payment {} is still {status}", event.payment_id)).into())
        }
        Outcome::Ignored => once(&db, vec![ignore(Some(purchase.id))?], "ignored").await,
    }
}

/// Writes a notification's rows; the event's `UNIQUE` key makes a concurrent twin a duplicate.
async fn once(
    db: &Db,
    statements: Vec<worker::D1PreparedStatement>,
    outcome: &str,
) -> AppResult<Response> {
    match db.batch(statements).await {
        Ok(_) => receipt(outcome),
        Err(AppError::Conflict(_)) => receipt("duplicate"),
        Err(e) => Err(e),
    }
}

/// The notification's event, as its gateway vouches for it (signature, source, or a fetch of
/// the payment from the gateway itself).
async fn verified(call: &mut Call<'_>, gateway: &Gateway) -> AppResult<Event> {
    let body = call.req.bytes().await?;
    if body.len() > MAX_BODY_BYTES {
        return Err(AppError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    let headers: Vec<(String, String)> = call
        .req
        .headers()
        .entries()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let ip = call.req.headers().get("cf-connecting-ip")?;
    gateway
        .authenticate(
            &Fetcher,
            &Inbound {
                headers: &headers,
                body: &body,
                ip: ip.as_deref(),
                now: call.now.unix(),
            },
        )
        .await
        .map_err(AppError::from)
}
