//! Top-ups: the packs a manager sells, a client admin's checkout, the gateways' notifications
//! (credited exactly once), purchases with their receipts, and the sandbox gateway's hosted page.

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::payments::{
    CheckoutDto, CheckoutRequest, NotificationReceiptDto, PaymentSettingsDto, PointPack,
    PointPackDto, PointPackListDto, PointPackRequest, PurchaseDto, PurchaseListDto,
};
use pointdesk_domain::ids::PaymentId;
use pointdesk_domain::money::{Currency, Money};
use pointdesk_domain::points::Points;
use pointdesk_domain::policy::Action;
use pointdesk_domain::time::Timestamp;
use worker::{Env, Headers, Method as HttpMethod, Request, RequestInit, Response};

use crate::db::{Db, NewPaymentEvent, NewPurchase, PackColumns, PackRow, PurchaseRow};
use crate::error::{AppError, AppResult};
use crate::pay::fetch::Fetcher;
use crate::pay::sandbox::{self, Choice, SandboxPayment};
use crate::pay::{Config, Gateway, Inbound, Order, Outcome, PayError, Receipt};
use crate::routes::ledger::{overdraft_of, record, wp};
use crate::routes::tickets::change::body_of;
use crate::routes::tickets::idem::{Begun, Idem};
use crate::routes::tickets::{lost, respond};
use crate::routes::{json, read_json, Call, Session, MAX_BODY_BYTES};
use crate::zone;

/// The gateways' settings from the Worker's variables and secrets.
fn config(env: &Env) -> AppResult<Config> {
    Ok(Config::from_vars(|name| {
        env.secret(name)
            .or_else(|_| env.var(name))
            .ok()
            .map(|v| v.to_string())
            .filter(|v| !v.trim().is_empty())
    })?)
}

// ---- packs ---------------------------------------------------------------------------------------

fn pack_dto(p: &PackRow) -> PointPackDto {
    PointPackDto {
        id: p.id,
        name: p.name.clone(),
        points: wp(p.points),
        price_minor: p.price_minor,
        currency: p.currency.clone(),
        active: p.active == 1,
    }
}

fn pack_columns(p: &PointPack) -> PackColumns<'_> {
    PackColumns {
        name: &p.name,
        points: p.points.hundredths(),
        price_minor: p.price.minor(),
        currency: p.price.currency().code(),
        active: p.active,
    }
}

fn pack_json(p: &PointPack) -> String {
    serde_json::json!({
        "name": p.name,
        "points": p.points.to_string(),
        "price": p.price.to_string(),
        "active": p.active,
    })
    .to_string()
}

/// `listPointPacks`: client people see what is for sale, managers every pack.
pub async fn list_packs(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let staff = !who.actor.role.is_client();
    if staff {
        who.may_provider_wide(Action::ViewBalance)?;
    } else {
        who.may(Action::ViewBalance, who.org())?;
    }
    let db = Db::new(call.env)?;
    let packs = db.packs(who.provider(), !staff).await?;
    json(&PointPackListDto {
        packs: packs.iter().map(pack_dto).collect(),
    })
}

/// `createPointPack`.
pub async fn create_pack(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let req: PointPackRequest = read_json(&mut call.req).await?;
    let pack = PointPack::try_from(req)?;
    let db = Db::new(call.env)?;
    let now = call.now.unix();
    let after = pack_json(&pack);
    let id = db
        .batch_returning_id(vec![
            db.insert_pack(who.provider(), &pack_columns(&pack), now)?,
            db.insert_audit(&who.audit(
                "point_pack.create",
                &pack.name,
                None,
                (None, Some(&after)),
                now,
            ))?,
        ])
        .await?;
    let row = db
        .pack(who.provider(), id)
        .await?
        .ok_or_else(|| AppError::Internal("the new pack vanished".into()))?;
    Ok(json(&pack_dto(&row))?.with_status(201))
}

/// `updatePointPack`: new terms apply to purchases from now on.
pub async fn update_pack(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let id = call.id()?;
    let req: PointPackRequest = read_json(&mut call.req).await?;
    let pack = PointPack::try_from(req)?;
    let db = Db::new(call.env)?;
    let before = db
        .pack(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = call.now.unix();
    let was = serde_json::to_string(&pack_dto(&before)).unwrap_or_default();
    let after = pack_json(&pack);
    db.batch(vec![
        db.update_pack(who.provider(), id, &pack_columns(&pack))?,
        db.insert_audit(&who.audit(
            "point_pack.update",
            &pack.name,
            None,
            (Some(&was), Some(&after)),
            now,
        ))?,
    ])
    .await?;
    let row = db
        .pack(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    json(&pack_dto(&row))
}

// ---- purchases -----------------------------------------------------------------------------------

fn purchase_dto(p: PurchaseRow) -> PurchaseDto {
    PurchaseDto {
        id: p.id,
        organization: OrgRefDto {
            id: p.org_id,
            name: p.organization,
        },
        pack_name: p.pack_name,
        points: wp(p.points),
        amount_minor: p.amount_minor,
        currency: p.currency,
        gateway: p.gateway,
        payment_id: p.payment_id,
        status: p.status,
        failure: p.failure,
        buyer: p.buyer,
        created_at: p.created_at,
        settled_at: p.settled_at,
        balance_after: p.balance_after.map(wp),
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
    let db = Db::new(call.env)?;
    let rows = db.purchases(who.provider(), org, 100).await?;
    json(&PurchaseListDto {
        purchases: rows.into_iter().map(purchase_dto).collect(),
    })
}

/// `getPurchase`: the receipt, and the state the return page waits on.
pub async fn get_purchase(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = Db::new(call.env)?;
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
    let db = Db::new(call.env)?;
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
            if lost(&e).is_some() {
                if let Some(answer) = idem.replay(who, &db).await? {
                    return respond(answer);
                }
            }
            return Err(e);
        }
    };
    let origin = crate::mail::origin(call);
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
    };
    let made = match gateway.checkout(&Fetcher, &order).await {
        Ok(made) => made,
        Err(e) => {
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
            return Err(err);
        }
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
        "points": wp(p.points).0.to_string(),
        "price_minor": p.price_minor,
        "currency": p.currency,
    })
    .to_string()
}

// ---- settings ------------------------------------------------------------------------------------

/// `getPaymentSettings`.
pub async fn settings(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let db = Db::new(call.env)?;
    json(&PaymentSettingsDto {
        vat_code: db.vat_code(who.provider()).await?,
    })
}

/// `updatePaymentSettings`: audit-logged.
pub async fn set_settings(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let req: PaymentSettingsDto = read_json(&mut call.req).await?;
    let next = req.checked()?;
    let db = Db::new(call.env)?;
    let before = db.vat_code(who.provider()).await?;
    let now = call.now.unix();
    let (b, a) = (
        serde_json::json!({ "vat_code": before }).to_string(),
        serde_json::json!({ "vat_code": next.vat_code }).to_string(),
    );
    db.batch(vec![
        db.set_vat_code(who.provider(), next.vat_code)?,
        db.insert_audit(&who.audit(
            "payment_settings.update",
            "payment_settings",
            None,
            (Some(&b), Some(&a)),
            now,
        ))?,
    ])
    .await?;
    json(&next)
}

// ---- notifications -------------------------------------------------------------------------------

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
    let now = call.now;
    let event = gateway
        .authenticate(
            &Fetcher,
            &Inbound {
                headers: &headers,
                body: &body,
                ip: ip.as_deref(),
                now: now.unix(),
            },
        )
        .await?;
    let db = Db::new(call.env)?;
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
            let origin = crate::mail::origin(call);
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
            let origin = crate::mail::origin(call);
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

/// The row that records `event` of `gateway` (about `purchase`, when it is one of ours).
fn event_row<'a>(
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

/// Writes a notification's rows; the event's `UNIQUE` key makes a concurrent twin a duplicate.
async fn once(
    db: &Db,
    statements: Vec<worker::D1PreparedStatement>,
    outcome: &str,
) -> AppResult<Response> {
    match db.batch(statements).await {
        Ok(_) => receipt(outcome),
        Err(e) if lost(&e).is_some() => receipt("duplicate"),
        Err(e) => Err(e),
    }
}

/// How a credit ended: written now, or found written already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Credited {
    Now,
    Already,
}

/// What a decision about a purchase's points is made with: its organisation's overdraft rule,
/// the open period in its provider's zone, and the points it bought.
struct Terms {
    overdraft: pointdesk_domain::plan::Overdraft,
    period: pointdesk_domain::time::Period,
    points: Points,
}

async fn terms(db: &Db, purchase: &PurchaseRow, now: Timestamp) -> AppResult<Terms> {
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
async fn credit(
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
    for _ in 0..12 {
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
                Err(e) if lost(&e).is_some() => return Ok(Credited::Already),
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
        statements.extend(record(db, &books, &decision, now, origin)?);
        match db.batch(statements).await {
            Ok(_) => return Ok(Credited::Now),
            Err(e) if lost(&e).is_some() => continue,
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Internal(format!(
        "purchase {}: still contended after 12 attempts",
        purchase.id
    )))
}

// ---- refunds ------------------------------------------------------------------------------------

/// A refund the gateway made takes the purchase's points back, in proportion to what was
/// refunded in all (`Account::refund_purchase`), exactly once per refunded total: the
/// decision's key is `purchase_refund:{purchase}:{refunded_minor}` and the event's key is its
/// own. A refund of a purchase that was never credited takes nothing.
async fn take_back(
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
    for _ in 0..12 {
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
        match db.batch(statements).await {
            Ok(_) => return Ok("refunded"),
            Err(e) if lost(&e).is_some() => continue,
            Err(e) => return Err(e),
        }
    }
    Err(corrupt("still contended after 12 attempts".into()))
}

/// Writes an event's rows; a concurrent twin that got there first makes it a duplicate.
async fn settle_event(
    db: &Db,
    outcome: &'static str,
    statements: Vec<worker::D1PreparedStatement>,
) -> AppResult<&'static str> {
    match db.batch(statements).await {
        Ok(_) => Ok(outcome),
        Err(e) if lost(&e).is_some() => Ok("duplicate"),
        Err(e) => Err(e),
    }
}

// ---- reconciliation ----------------------------------------------------------------------------

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
    let origin = env
        .var("PUBLIC_ORIGIN")
        .map(|v| v.to_string().trim_end_matches('/').to_owned())
        .unwrap_or_default();
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
                Err(e) if lost(&e).is_some() => Ok(None),
                Err(e) => Err(e),
            }
        }
        Outcome::NotYet { .. } | Outcome::Ignored | Outcome::Refunded { .. } => Ok(None),
    }
}

// ---- the sandbox gateway's hosted checkout -----------------------------------------------------

const SANDBOX_STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#eef1f7;color:#1b2230}\
main{max-width:26rem;margin:0 auto;padding:1.5rem 1rem}\
.badge{display:inline-block;background:#ffe7a3;color:#5a4200;border-radius:1rem;padding:.2rem .8rem;font-size:.85rem}\
h1{font-size:1.3rem;margin:1rem 0 .25rem}.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1.5rem}\
form{display:grid;gap:.75rem}button{font:inherit;min-height:3rem;border-radius:.6rem;border:1px solid #b8c0d0;background:#fff;cursor:pointer}\
button.pay{background:#1f4fd1;border-color:#1f4fd1;color:#fff;font-weight:600}\
p.done{background:#fff;border-radius:.6rem;padding:1rem}";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn sandbox_id(call: &Call<'_>) -> AppResult<String> {
    let id = call.params.get("payment").unwrap_or_default();
    if sandbox::is_payment_id(id) {
        Ok(id.to_owned())
    } else {
        Err(AppError::NotFound)
    }
}

/// `showSandboxCheckout`: the sandbox gateway's payment page.
pub async fn sandbox_page(call: &Call<'_>) -> AppResult<Response> {
    config(call.env)?.named("sandbox")?;
    let id = sandbox_id(call)?;
    let db = Db::new(call.env)?;
    let p = db.sandbox_payment(&id).await?.ok_or(AppError::NotFound)?;
    let amount = format!(
        "{}.{:02} {}",
        p.amount_minor / 100,
        p.amount_minor % 100,
        escape(&p.currency)
    );
    let action = if p.status == "pending" {
        "<form method=\"post\">\
         <button class=\"pay\" name=\"action\" value=\"pay\" data-testid=\"sandbox-pay\">Pay · Оплатить</button>\
         <button name=\"action\" value=\"decline\" data-testid=\"sandbox-decline\">Decline · Отклонить</button>\
         <button name=\"action\" value=\"cancel\" data-testid=\"sandbox-cancel\">Cancel · Отменить</button>\
         </form>"
            .to_owned()
    } else {
        format!(
            "<p class=\"done\" data-testid=\"sandbox-status\">{} · <a href=\"{}\">Back · Назад</a></p>",
            escape(&p.status),
            escape(&p.return_url)
        )
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sandbox checkout · Pointdesk</title><style>{SANDBOX_STYLE}</style></head><body><main>\
         <span class=\"badge\">Sandbox: no real money · Тестовая оплата</span>\
         <h1>{}</h1><p class=\"amount\" data-testid=\"sandbox-amount\">{amount}</p>{action}</main></body></html>",
        escape(&p.description)
    );
    let mut resp = Response::from_html(html)?;
    resp.headers_mut().set("cache-control", "no-store")?;
    resp.headers_mut().set(
        "content-security-policy",
        &format!("{}; style-src '{}'", crate::guard::CSP, style_hash()),
    )?;
    Ok(resp)
}

/// The page's one inline style, allowed by its hash.
fn style_hash() -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(SANDBOX_STYLE.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `decideSandboxPayment`: the buyer's choice settles the sandbox payment, its signed notification
/// goes through the webhook exactly as a real gateway's would, and the buyer returns.
pub async fn sandbox_decide(call: &mut Call<'_>) -> AppResult<Response> {
    let config = config(call.env)?;
    let sandbox = config
        .sandbox()
        .ok_or_else(|| PayError::NotConfigured("the sandbox".into()))?
        .clone();
    let id = sandbox_id(call)?;
    let content_type = call.req.headers().get("content-type")?.unwrap_or_default();
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedMediaType);
    }
    let form = String::from_utf8_lossy(&call.req.bytes().await?).into_owned();
    let choice = crate::pay::form_decode(&form)
        .into_iter()
        .find(|(k, _)| k == "action")
        .and_then(|(_, v)| Choice::parse(&v))
        .ok_or_else(|| {
            AppError::Fields(vec![pointdesk_api::problem::FieldError::new(
                "action",
                "malformed",
            )])
        })?;
    let db = Db::new(call.env)?;
    let p = db.sandbox_payment(&id).await?.ok_or(AppError::NotFound)?;
    let now = call.now.unix();
    if p.status == "pending" {
        let status = choice.status();
        let (body, signature) = sandbox.notification(
            &format!("evt_{id}_{status}"),
            SandboxPayment {
                id: id.clone(),
                status: status.into(),
                amount_minor: p.amount_minor,
                currency: p.currency.clone(),
                reference: p.reference.clone(),
                refunded_minor: None,
                failure: match choice {
                    Choice::Pay => None,
                    Choice::Decline => Some("the card was declined (sandbox)".into()),
                    Choice::Cancel => Some("the buyer cancelled the payment".into()),
                },
            },
            now,
        );
        if db
            .settle_sandbox_payment(&id, status, &body, &signature)
            .await?
        {
            deliver(call, &body, &signature).await;
        }
    }
    let headers = Headers::new();
    headers.set("location", &p.return_url)?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}

/// Posts the sandbox's notification to the webhook path, through the router like any request.
async fn deliver(call: &Call<'_>, body: &str, signature: &str) {
    let result: AppResult<u16> = async {
        let url = call.req.url()?;
        let target = format!(
            "{}{}/payments/sandbox/notifications",
            url.origin().ascii_serialization(),
            pointdesk_api::API_PREFIX
        );
        let headers = Headers::new();
        headers.set("content-type", "application/json")?;
        headers.set("sandbox-signature", signature)?;
        let mut init = RequestInit::new();
        init.with_method(HttpMethod::Post)
            .with_headers(headers)
            .with_body(Some(body.into()));
        let req = Request::new_with_init(&target, &init)?;
        let fut: std::pin::Pin<Box<dyn std::future::Future<Output = AppResult<Response>>>> =
            Box::pin(crate::routes::dispatch(req, call.env));
        Ok(match fut.await {
            Ok(resp) => resp.status_code(),
            Err(e) => e.problem().status,
        })
    }
    .await;
    match result {
        Ok(200) => {}
        other => worker::console_error!("sandbox: notification delivery answered {other:?}"),
    }
}
