//! The hourly reconciliation: purchases pending too long are asked about at their gateway.

use pointdesk_domain::time::Timestamp;
use worker::Env;

use super::settle::{config, credit, Credited};
use crate::db::{Db, NewPaymentEvent, PurchaseRow};
use crate::error::{AppError, AppResult};
use crate::http::public_origin;
use crate::pay::fetch::Fetcher;
use crate::pay::sandbox::{self};
use crate::pay::{Config, Gateway, Outcome};

/// How long a purchase may stay pending before the hourly job asks its gateway.
pub const RECONCILE_AFTER_SECS: i64 = 10 * 60;

/// What one reconciliation pass did.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reconciled {
    pub checked: usize,
    pub credited: usize,
    pub failures: usize,
}

/// The hourly reconciliation: every purchase still pending ten minutes after it began is asked
/// of its gateway (the payment read back from its API; the sandbox's own rows), so a payment
/// whose notification was lost, or answered while the payment was still pending, is credited
/// all the same — once, through the same `credit` as a notification (its event is
/// `reconcile:{payment}`, and the purchase's ledger key is `UNIQUE`).
pub async fn reconcile(db: &Db, env: &Env, now: Timestamp) -> AppResult<Reconciled> {
    let config = config(env)?;
    let origin = public_origin(env);
    let mut done = Reconciled::default();
    for purchase in db
        .stale_pending_purchases(now.unix() - RECONCILE_AFTER_SECS, 50)
        .await?
    {
        done.checked += 1;
        let id = purchase.id;
        match reconcile_one(db, &config, &origin, now, purchase).await {
            Ok(Some(Credited::Now)) => done.credited += 1,
            Ok(Some(Credited::Already)) => {}
            Ok(None) => {}
            Err(e) => {
                done.failures += 1;
                worker::console_error!("reconcile: purchase {id}: {e:?}");
            }
        }
    }
    Ok(done)
}

/// One purchase: `Some` when it was credited (now or before), `None` when it stays pending or
/// was settled unpaid.
async fn reconcile_one(
    db: &Db,
    config: &Config,
    origin: &str,
    now: Timestamp,
    purchase: PurchaseRow,
) -> AppResult<Option<Credited>> {
    let payment = purchase
        .payment_id
        .clone()
        .ok_or_else(|| AppError::Internal("a pending purchase without a payment".into()))?;
    let gateway = config.named(&purchase.gateway)?;
    let outcome = match &gateway {
        Gateway::Sandbox(_) => match db.sandbox_payment(&payment).await? {
            Some(row) => sandbox::settled_outcome(&row.status, row.amount_minor, &row.currency),
            None => return Ok(None),
        },
        g => g.status(&Fetcher, &payment).await?,
    };
    let event = |kind: &str, outcome: Outcome| crate::pay::Event {
        id: format!("reconcile:{payment}"),
        kind: kind.to_owned(),
        payment_id: payment.clone(),
        outcome,
        saved: None,
    };
    match outcome {
        Outcome::Paid {
            amount_minor,
            currency,
        } => {
            if amount_minor != purchase.amount_minor || currency != purchase.currency {
                return Err(AppError::Internal(format!(
                    "payment {payment} paid {amount_minor} {currency}, purchase {} costs {} {}",
                    purchase.id, purchase.amount_minor, purchase.currency
                )));
            }
            let e = event(
                "reconciliation.paid",
                Outcome::Paid {
                    amount_minor,
                    currency,
                },
            );
            let name = purchase.gateway.clone();
            Ok(Some(credit(db, origin, now, &name, &e, purchase).await?))
        }
        Outcome::Failed { ref reason } | Outcome::Canceled { ref reason } => {
            let (status, kind) = if matches!(outcome, Outcome::Failed { .. }) {
                ("failed", "reconciliation.failed")
            } else {
                ("canceled", "reconciliation.canceled")
            };
            let statements = vec![
                db.insert_payment_event(
                    &NewPaymentEvent {
                        gateway: &purchase.gateway,
                        event_id: &format!("reconcile:{payment}"),
                        kind,
                        payment_id: &payment,
                        purchase: Some(purchase.id),
                    },
                    status,
                    now.unix(),
                )?,
                db.settle_unpaid(purchase.id, status, reason, now.unix())?,
            ];
            match db.batch(statements).await {
                // A notification settled it meanwhile: nothing more to do.
                Ok(_) => Ok(None),
                Err(AppError::Conflict(_)) => Ok(None),
                Err(e) => Err(e),
            }
        }
        Outcome::NotYet { .. } | Outcome::Ignored | Outcome::Refunded { .. } => Ok(None),
    }
}
