//! Settling a purchase from a gateway's word: its points credited, or taken back after a refund,
//! each exactly once, whichever way the word came (notification or reconciliation).

use pointdesk_domain::ids::PaymentId;
use pointdesk_domain::points::Points;
use pointdesk_domain::time::Timestamp;
use worker::Env;

use crate::books::{overdraft_of, record};
use crate::db::{decide_and_write, Db, NewPaymentEvent, PurchaseRow};
use crate::error::{AppError, AppResult};
use crate::pay::Config;
use crate::zone;

pub(super) fn config(env: &Env) -> AppResult<Config> {
    Ok(Config::from_vars(|name| {
        env.secret(name)
            .or_else(|_| env.var(name))
            .ok()
            .map(|v| v.to_string())
            .filter(|v| !v.trim().is_empty())
    })?)
}

/// The row that records `event` of `gateway` (about `purchase`, when it is one of ours).
pub(super) fn event_row<'a>(
    gateway: &'a str,
    event: &'a crate::pay::Event,
    purchase: Option<i64>,
) -> NewPaymentEvent<'a> {
    NewPaymentEvent {
        gateway,
        event_id: &event.id,
        kind: &event.kind,
        payment_id: &event.payment_id,
        purchase,
    }
}

/// How a credit ended: written now, or found written already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Credited {
    Now,
    Already,
}

/// What a decision about a purchase's points is made with: its organisation's overdraft rule,
/// the open period in its provider's zone, and the points it bought.
pub(super) struct Terms {
    pub(super) overdraft: pointdesk_domain::plan::Overdraft,
    pub(super) period: pointdesk_domain::time::Period,
    pub(super) points: Points,
}

pub(super) async fn terms(db: &Db, purchase: &PurchaseRow, now: Timestamp) -> AppResult<Terms> {
    let org = db
        .organization(purchase.provider_id, purchase.org_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("purchase {}: no organisation", purchase.id)))?;
    let (time_zone, _) = db.provider_terms(purchase.provider_id).await?;
    Ok(Terms {
        overdraft: overdraft_of(db, purchase.provider_id, &org).await?,
        period: zone::period_at(&time_zone, now),
        points: Points::from_hundredths(purchase.points)
            .map_err(|e| AppError::Internal(format!("purchase {}: {e}", purchase.id)))?,
    })
}

/// The purchase's points, as one decision written once: the ledger's `purchase:{id}` key and the
/// event's key are both `UNIQUE`, so of any number of concurrent deliveries one writes.
pub(super) async fn credit(
    db: &Db,
    origin: &str,
    now: Timestamp,
    gateway: &str,
    event: &crate::pay::Event,
    purchase: PurchaseRow,
) -> AppResult<Credited> {
    let Terms {
        overdraft,
        period,
        points,
    } = terms(db, &purchase, now).await?;
    decide_and_write(&format!("purchase {}", purchase.id), async |_| {
        if db.payment_event_seen(gateway, &event.id).await? {
            return Ok(Credited::Already);
        }
        let settled = db
            .purchase(purchase.provider_id, purchase.id)
            .await?
            .is_some_and(|p| p.balance_after.is_some());
        let record_event = |outcome: &str| {
            db.insert_payment_event(
                &event_row(gateway, event, Some(purchase.id)),
                outcome,
                now.unix(),
            )
        };
        if settled {
            // Credited already (by another event of the same payment).
            match db.batch(vec![record_event("ignored")?]).await {
                Ok(_) => return Ok(Credited::Already),
                Err(AppError::Conflict(_)) => return Ok(Credited::Already),
                Err(e) => return Err(e),
            }
        }
        let books = db.account(purchase.org_id, overdraft, period, &[]).await?;
        let decision =
            books
                .account
                .purchase(PaymentId::new(purchase.id), points, &purchase.pack_name)?;
        let mut statements = vec![
            record_event("credited")?,
            db.settle_paid(purchase.id, now.unix())?,
        ];
        if let (Some(card), 1) = (&event.saved, purchase.save_card) {
            statements.push(db.keep_card(purchase.org_id, gateway, card, now.unix())?);
        }
        statements.extend(record(db, &books, &decision, now, origin)?);
        db.batch(statements).await?;
        Ok(Credited::Now)
    })
    .await
}

// ---- refunds ------------------------------------------------------------------------------------

/// A refund the gateway made takes the purchase's points back, in proportion to what was
/// refunded in all (`Account::refund_purchase`), exactly once per refunded total: the
/// decision's key is `purchase_refund:{purchase}:{refunded_minor}` and the event's key is its
/// own. A refund of a purchase that was never credited takes nothing.
pub(super) async fn take_back(
    db: &Db,
    origin: &str,
    now: Timestamp,
    gateway: &str,
    event: &crate::pay::Event,
    purchase: PurchaseRow,
    refunded_minor: i64,
) -> AppResult<&'static str> {
    let record_event = |outcome: &str| {
        db.insert_payment_event(
            &event_row(gateway, event, Some(purchase.id)),
            outcome,
            now.unix(),
        )
    };
    if db.payment_event_seen(gateway, &event.id).await? {
        return Ok("duplicate");
    }
    if purchase.status != "succeeded" {
        return settle_event(db, "ignored", vec![record_event("ignored")?]).await;
    }
    let Terms {
        overdraft,
        period,
        points,
    } = terms(db, &purchase, now).await?;
    let corrupt = |e: String| AppError::Internal(format!("purchase {}: {e}", purchase.id));
    let payment = PaymentId::new(purchase.id);
    let key = pointdesk_domain::ids::IdempotencyKey::purchase_refund(payment, refunded_minor);
    let extra: Vec<i64> = db
        .purchase_block(purchase.org_id, purchase.id)
        .await?
        .into_iter()
        .collect();
    decide_and_write(&format!("purchase {}", purchase.id), async |_| {
        if db.payment_event_seen(gateway, &event.id).await? {
            return Ok("duplicate");
        }
        if db.applied(key.as_str()).await? {
            // The same refunded total, reported by another event: taken back already.
            return settle_event(db, "duplicate", vec![record_event("ignored")?]).await;
        }
        let books = db
            .account(purchase.org_id, overdraft, period, &extra)
            .await?;
        let taken =
            Points::from_hundredths(db.refunded_points(purchase.org_id, purchase.id).await?)
                .map_err(|e| corrupt(e.to_string()))?;
        let decision = books.account.refund_purchase(
            payment,
            points,
            purchase.amount_minor,
            refunded_minor,
            taken,
            format!("Payment refunded: {}", purchase.pack_name),
        )?;
        let mut statements = vec![record_event("refunded")?];
        statements.extend(record(db, &books, &decision, now, origin)?);
        db.batch(statements).await?;
        Ok("refunded")
    })
    .await
}

/// Writes an event's rows; a concurrent twin that got there first makes it a duplicate.
async fn settle_event(
    db: &Db,
    outcome: &'static str,
    statements: Vec<worker::D1PreparedStatement>,
) -> AppResult<&'static str> {
    match db.batch(statements).await {
        Ok(_) => Ok(outcome),
        Err(AppError::Conflict(_)) => Ok("duplicate"),
        Err(e) => Err(e),
    }
}
