//! Checkout: a purchase of a pack, sent to its gateway; a client's purchases.

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::payments::*;
use pointdesk_domain::money::{Currency, Money};
use pointdesk_domain::policy::Action;
use worker::Response;

use super::settle::config;
use crate::db::{Db, NewPurchase, PackRow, PurchaseRow};
use crate::error::{AppError, AppResult};
use crate::http::{body_of, json, respond, wire_points, Call, Session};
use crate::idempotency::{Begun, Idem};
use crate::pay::fetch::Fetcher;
use crate::pay::{Order, PayError, Receipt};

fn purchase_dto(p: PurchaseRow) -> PurchaseDto {
    PurchaseDto {
        id: p.id,
        organization: OrgRefDto {
            id: p.org_id,
            name: p.organization,
        },
        pack_name: p.pack_name,
        points: wire_points(p.points),
        amount_minor: p.amount_minor,
        currency: p.currency,
        gateway: p.gateway,
        payment_id: p.payment_id,
        status: p.status,
        failure: p.failure,
        buyer: p.buyer,
        created_at: p.created_at,
        settled_at: p.settled_at,
        balance_after: p.balance_after.map(wire_points),
        automatic: p.automatic == 1,
        checkout_url: p.checkout_url,
    }
}

/// `listPurchases`: a client admin's organisation, or (staff) every client or one (`org`).
pub async fn list_purchases(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let org = if who.actor.role.is_client() {
        who.org()
    } else {
        let q = call
            .req
            .url()?
            .query_pairs()
            .find(|(k, _)| k == "org")
            .map(|(_, v)| v.into_owned());
        match q {
            None => None,
            Some(v) => Some(v.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| {
                AppError::Fields(vec![pointdesk_api::problem::FieldError::new(
                    "org",
                    "malformed",
                )])
            })?),
        }
    };
    match org {
        Some(o) => who.may(Action::ViewLedger, Some(o))?,
        None => who.may_provider_wide(Action::ViewLedger)?,
    }
    let db = call.db()?;
    let rows = db.purchases(who.provider(), org, 100).await?;
    json(&PurchaseListDto {
        purchases: rows.into_iter().map(purchase_dto).collect(),
    })
}

/// `getPurchase`: the receipt, and the state the return page waits on.
pub async fn get_purchase(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    let p = db
        .purchase(who.provider(), call.id()?)
        .await?
        .ok_or(AppError::NotFound)?;
    who.may(Action::ViewLedger, Some(p.org_id))?;
    json(&purchase_dto(p))
}

/// `createCheckout`: a pending purchase, the payment at the gateway, and where to send the buyer.
pub async fn checkout(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    // Only a client admin buys, for their own organisation.
    who.may(Action::BuyPoints, who.org())?;
    let org = who.org().ok_or(AppError::Forbidden)?;
    let (req, body): (CheckoutRequest, Vec<u8>) = body_of(call).await?;
    let db = call.db()?;
    let idem = match Idem::begin(call, who, &db, &body).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let pack = db
        .pack(who.provider(), req.pack_id)
        .await?
        .filter(|p| p.active == 1)
        .ok_or(AppError::NotFound)?;
    let currency = Currency::parse(&pack.currency)
        .map_err(|e| AppError::Internal(format!("pack {}: {e}", pack.id)))?;
    let price = Money::price(pack.price_minor, currency)
        .map_err(|e| AppError::Internal(format!("pack {}: {e}", pack.id)))?;
    let gateway = config(call.env)?.for_currency(currency)?;
    let now = call.now.unix();
    let mut first = vec![
        db.insert_purchase(&NewPurchase {
            provider: who.provider(),
            org,
            pack: &pack,
            user: who.user.id,
            gateway: gateway.name(),
            now,
            save_card: req.save_card,
            automatic: false,
        })?,
        db.insert_audit(&who.audit(
            "purchase.start",
            &pack.name,
            Some(org),
            (None, Some(&pack_json_row(&pack))),
            now,
        ))?,
    ];
    first.extend(idem.claim(who, &db, now)?);
    let purchase = match db.batch_returning_id(first).await {
        Ok(id) => id,
        Err(e) => {
            // Another request with this key got there first: its answer is this one's.
            if matches!(e, AppError::Conflict(_)) {
                if let Some(answer) = idem.replay(who, &db).await? {
                    return respond(answer);
                }
            }
            return Err(e);
        }
    };
    let origin = call.origin();
    let return_url = format!("{origin}/purchases/{purchase}");
    let description = format!("Pointdesk: {}", pack.name);
    let order = Order {
        purchase,
        description: &description,
        price,
        return_url: &return_url,
        idempotence_key: &format!("pointdesk-{}-purchase-{purchase}", db.deployment().await?),
        origin: &origin,
        receipt: Receipt {
            email: &who.user.email,
            vat_code: db.vat_code(who.provider()).await?,
        },
        save_card: req.save_card,
    };
    let made = match gateway.checkout(&Fetcher, &order).await {
        Ok(made) => made,
        Err(e) => return Err(refused(&db, who, &idem, purchase, e, now).await?),
    };
    let mut statements = vec![db.set_payment(purchase, &made.payment_id, &made.redirect_url)?];
    if gateway.name() == "sandbox" {
        statements.push(db.insert_sandbox_payment(
            &made.payment_id,
            price.minor(),
            currency.code(),
            &description,
            &format!("purchase:{purchase}"),
            &return_url,
            now,
        )?);
        if req.save_card {
            statements.push(db.sandbox_keeps_card(&made.payment_id)?);
        }
    }
    db.batch(statements).await?;
    let row = db
        .purchase(who.provider(), purchase)
        .await?
        .ok_or_else(|| AppError::Internal("the purchase vanished".into()))?;
    let dto = CheckoutDto {
        purchase: purchase_dto(row),
        redirect_url: made.redirect_url,
    };
    let body = serde_json::to_string(&dto).map_err(|e| AppError::Internal(e.to_string()))?;
    idem.finish(who, &db, (201, body)).await
}

fn pack_json_row(p: &PackRow) -> String {
    serde_json::json!({
        "pack": p.id,
        "points": wire_points(p.points).0.to_string(),
        "price_minor": p.price_minor,
        "currency": p.currency,
    })
    .to_string()
}

/// A checkout the gateway refused: the purchase is marked failed, and the problem is the answer
/// kept for the request's idempotency key (so a retry gets it too).
async fn refused(
    db: &Db,
    who: &Session,
    idem: &Idem,
    purchase: i64,
    e: PayError,
    now: i64,
) -> AppResult<AppError> {
    let why = match &e {
        PayError::Gateway(m)
        | PayError::NotConfigured(m)
        | PayError::Unverified(m)
        | PayError::UnknownGateway(m)
        | PayError::NotYet(m) => m,
    };
    db.batch(vec![db.settle_unpaid(purchase, "failed", why, now)?])
        .await?;
    let err = AppError::from(e);
    let problem = err.problem();
    let answer = (
        problem.status,
        serde_json::to_string(&problem).unwrap_or_default(),
    );
    if let Some(key) = &idem.key {
        db.answer_key(who.user.id, key, answer.0, &answer.1).await?;
    }
    Ok(err)
}
