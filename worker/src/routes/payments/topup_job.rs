//! The hourly automatic top-up: for each client that turned it on, `domain::auto_topup::step`
//! decides — announce (the admin is told an hour ahead and may turn it off), withdraw the
//! notice, hold (once a day, the monthly cap), or make it: charge the kept card without the
//! admin (the bank may want them: then a checkout link by mail) or issue an invoice. Of two runs
//! meeting the same notice only one makes the top-up (`claim_topup` changes the row once), and
//! the gateway's idempotency key is the purchase's, so a charge is never made twice.

use pointdesk_domain::auto_topup::{self, History, Method, Settings, Step};
use pointdesk_domain::money::{Currency, Money};
use pointdesk_domain::points::Points;
use pointdesk_domain::time::{Date, Timestamp};
use worker::{D1PreparedStatement, Env};

use super::invoices::{issue, Issue};
use super::settle::{config, credit};
use crate::db::{stored_points, Db, DueTopUpRow, NewPurchase, OrgNotice, PackRow};
use crate::error::{AppError, AppResult};
use crate::http::public_origin;
use crate::mail::{topup_notice, TopUpAbout, TopUpNotice, Why};
use crate::pay::fetch::Fetcher;
use crate::pay::{Charged, Config, Event, Gateway, Order, Outcome, Receipt, SavedCard};
use crate::zone;

/// What one pass did.
#[derive(Clone, Copy, Debug, Default)]
pub struct TopUps {
    pub announced: usize,
    pub made: usize,
    pub held: usize,
    pub failures: usize,
}

enum Done {
    Nothing,
    Announced,
    Made,
    Held,
}

pub async fn auto_topups(db: &Db, env: &Env, now: Timestamp) -> AppResult<TopUps> {
    let config = config(env)?;
    let origin = public_origin(env);
    let mut done = TopUps::default();
    for row in db.due_topups().await? {
        match one(db, &config, &origin, now, &row).await {
            Ok(Done::Announced) => done.announced += 1,
            Ok(Done::Made) => done.made += 1,
            Ok(Done::Held) => done.held += 1,
            Ok(Done::Nothing) => {}
            Err(e) => {
                done.failures += 1;
                worker::console_error!("auto top-up: organisation {}: {e:?}", row.org_id);
            }
        }
    }
    Ok(done)
}

/// What the job works with for one organisation.
struct Job<'a> {
    db: &'a Db,
    config: &'a Config,
    origin: &'a str,
    now: Timestamp,
    r: &'a DueTopUpRow,
}

async fn one(
    db: &Db,
    config: &Config,
    origin: &str,
    now: Timestamp,
    r: &DueTopUpRow,
) -> AppResult<Done> {
    let today = now.date(zone::offset_minutes(&r.time_zone, now).unwrap_or(0));
    let month = auto_topup::month_of(today).to_string();
    let settings = Settings {
        enabled: r.enabled == 1 && r.pack_active == 1,
        threshold: stored_points(r.threshold)?,
        method: if r.method == "invoice" {
            Method::Invoice
        } else {
            Method::Card
        },
        price_minor: r.price_minor,
        monthly_cap_minor: r.monthly_cap_minor,
    };
    let history = History {
        announced: r.announced_at.map(Timestamp::from_unix),
        last_day: r.last_day.as_deref().and_then(Date::parse),
        spent_this_month_minor: if r.month.as_deref() == Some(month.as_str()) {
            r.spent_minor
        } else {
            0
        },
    };
    let available = stored_points(r.available)?;
    let job = Job {
        db,
        config,
        origin,
        now,
        r,
    };
    match auto_topup::step(&settings, &history, available, now, today) {
        Step::Nothing => Ok(Done::Nothing),
        Step::Hold(_) => Ok(Done::Held),
        Step::Withdraw => {
            db.batch(vec![db.withdraw_topup(r.org_id)?]).await?;
            Ok(Done::Nothing)
        }
        Step::Announce => job.announce(&settings, available).await,
        Step::TopUp => {
            let announced = r.announced_at.unwrap_or_default();
            job.top_up(settings.method, announced, &today, &month).await
        }
    }
}

impl Job<'_> {
    async fn pack(&self) -> AppResult<PackRow> {
        self.db
            .pack(self.r.provider_id, self.r.pack_id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("pack {} is gone", self.r.pack_id)))
    }

    fn gateway(&self) -> AppResult<Gateway> {
        let currency = Currency::parse(&self.r.currency)
            .map_err(|e| AppError::Internal(format!("pack {}: {e}", self.r.pack_id)))?;
        Ok(self.config.for_currency(currency)?)
    }

    /// The saved card the top-up would charge (its gateway's, for the pack's currency).
    async fn card(&self) -> AppResult<Option<(Gateway, SavedCard)>> {
        let gateway = self.gateway()?;
        Ok(self
            .db
            .saved_card(self.r.org_id, gateway.name())
            .await?
            .map(|c| {
                (
                    gateway,
                    SavedCard {
                        method_id: c.method_id,
                        customer_id: c.customer_id,
                        label: c.label,
                    },
                )
            }))
    }

    /// The notice rows of `n` to the organisation's alert recipients (and its managers when a
    /// top-up failed), about `points` (and a `threshold`).
    fn notice(
        &self,
        n: TopUpNotice,
        about: &TopUpAbout<'_>,
        link: &str,
        points: Points,
        threshold: Option<Points>,
    ) -> AppResult<Vec<D1PreparedStatement>> {
        let words = topup_notice(n, about, link);
        let data = serde_json::json!({
            "points": points.to_string(),
            "threshold": threshold.map(|t| t.to_string()),
        })
        .to_string();
        self.db.org_notice(
            &OrgNotice {
                org: self.r.org_id,
                kind: words.kind,
                data: &data,
                subject: (&words.ru.subject, &words.en.subject),
                body: (&words.ru.body, &words.en.body),
                link,
                managers: matches!(n, TopUpNotice::Failed(_)),
            },
            self.now.unix(),
        )
    }

    /// Tells the admin a top-up will be made in an hour, with the way to stop it.
    async fn announce(&self, s: &Settings, available: Points) -> AppResult<Done> {
        let db = self.db;
        let changed = db
            .batch(vec![db.announce_topup(self.r.org_id, self.now.unix())?])
            .await?;
        if changed.first() != Some(&1) {
            return Ok(Done::Nothing); // another run announced it
        }
        let pack = self.pack().await?;
        let card = match s.method {
            Method::Card => self.card().await?.map(|(_, c)| c.label),
            Method::Invoice => None,
        };
        let about = TopUpAbout {
            pack: &pack.name,
            price_minor: pack.price_minor,
            currency: &pack.currency,
            card: card.as_deref(),
        };
        let link = format!("{}/buy-points", self.origin);
        db.batch(self.notice(
            TopUpNotice::Due {
                available,
                threshold: s.threshold,
            },
            &about,
            &link,
            available,
            Some(s.threshold),
        )?)
        .await?;
        Ok(Done::Announced)
    }

    /// Takes the standing notice as today's top-up costing `cost`: false when another run did.
    async fn claim(&self, announced: i64, today: &Date, month: &str, cost: i64) -> AppResult<bool> {
        let db = self.db;
        let changed = db
            .batch(vec![db.claim_topup(
                self.r.org_id,
                announced,
                &today.to_string(),
                month,
                cost,
            )?])
            .await?;
        Ok(changed.first() == Some(&1))
    }

    async fn top_up(
        &self,
        method: Method,
        announced: i64,
        today: &Date,
        month: &str,
    ) -> AppResult<Done> {
        let pack = self.pack().await?;
        let points = stored_points(pack.points)?;
        let purchases = format!("{}/purchases", self.origin);
        if method == Method::Invoice {
            return self
                .invoice(&pack, announced, today, month, &purchases)
                .await;
        }
        let Some((gateway, card)) = self.card().await? else {
            // Nothing to charge: today's turn is spent, the cap is not.
            if !self.claim(announced, today, month, 0).await? {
                return Ok(Done::Nothing);
            }
            let about = about(&pack, None);
            let link = format!("{}/buy-points", self.origin);
            self.db
                .batch(self.notice(
                    TopUpNotice::Failed(Why::NoCard),
                    &about,
                    &link,
                    points,
                    None,
                )?)
                .await?;
            return Ok(Done::Made);
        };
        if !self
            .claim(announced, today, month, pack.price_minor)
            .await?
        {
            return Ok(Done::Nothing);
        }
        self.charge(&pack, &gateway, &card, month).await
    }

    /// An invoice for the pack instead of a charge (a client that pays by transfer).
    async fn invoice(
        &self,
        pack: &PackRow,
        announced: i64,
        today: &Date,
        month: &str,
        purchases: &str,
    ) -> AppResult<Done> {
        let db = self.db;
        let points = stored_points(pack.points)?;
        let issued = issue(
            db,
            &Issue {
                provider: self.r.provider_id,
                org: self.r.org_id,
                user: self.r.updated_by,
                issued: *today,
                now: self.now.unix(),
            },
            pack,
            None,
        )
        .await;
        let about = about(pack, None);
        let statements = match issued {
            Ok((statements, _, _)) => statements,
            Err(AppError::Fields(_)) => {
                // No requisites to issue it with: today's turn is spent, the cap is not.
                if !self.claim(announced, today, month, 0).await? {
                    return Ok(Done::Nothing);
                }
                let link = format!("{}/settings", self.origin);
                let why = TopUpNotice::Failed(Why::NoRequisites);
                db.batch(self.notice(why, &about, &link, points, None)?)
                    .await?;
                return Ok(Done::Made);
            }
            Err(e) => return Err(e),
        };
        if !self
            .claim(announced, today, month, pack.price_minor)
            .await?
        {
            return Ok(Done::Nothing);
        }
        let purchase = db.batch_returning_id(statements).await?;
        let link = format!("{purchases}/{purchase}");
        let mut rows = vec![db.mark_automatic(purchase)?];
        rows.extend(self.notice(TopUpNotice::Invoiced, &about, &link, points, None)?);
        db.batch(rows).await?;
        Ok(Done::Made)
    }

    /// Charges the kept card for a new automatic purchase of the pack.
    async fn charge(
        &self,
        pack: &PackRow,
        gateway: &Gateway,
        card: &SavedCard,
        month: &str,
    ) -> AppResult<Done> {
        let db = self.db;
        let purchase = db
            .batch_returning_id(vec![db.insert_purchase(&NewPurchase {
                provider: self.r.provider_id,
                org: self.r.org_id,
                pack,
                user: self.r.updated_by,
                gateway: gateway.name(),
                now: self.now.unix(),
                save_card: false,
                automatic: true,
            })?])
            .await?;
        let corrupt = |e: String| AppError::Internal(format!("pack {}: {e}", pack.id));
        let currency = Currency::parse(&pack.currency).map_err(|e| corrupt(e.to_string()))?;
        let a = Attempt {
            purchase,
            pack,
            gateway,
            month,
            card: &card.label,
            price: Money::price(pack.price_minor, currency).map_err(|e| corrupt(e.to_string()))?,
            description: format!("Pointdesk: {}", pack.name),
            return_url: format!("{}/purchases/{purchase}", self.origin),
            key: format!("pointdesk-{}-purchase-{purchase}", db.deployment().await?),
            vat_code: db.vat_code(self.r.provider_id).await?,
        };
        let charged = gateway
            .charge_saved(&Fetcher, &self.order(&a, &a.key, false), card)
            .await;
        match charged {
            Ok(Charged::Paid {
                payment_id,
                amount_minor,
                currency,
            }) => self.paid(&a, payment_id, amount_minor, currency).await?,
            Ok(Charged::Pending { payment_id }) => {
                // Its notification (or the hourly reconciliation) credits it.
                db.batch(vec![db.set_payment(purchase, &payment_id, "")?])
                    .await?;
            }
            Ok(Charged::NeedsCardholder { reason }) => {
                worker::console_log!("auto top-up: purchase {purchase}: {reason}");
                self.ask_cardholder(&a).await?;
            }
            Ok(Charged::Declined { reason }) => self.fail(&a, Why::Declined, &reason).await?,
            Err(e) => {
                worker::console_error!("auto top-up: purchase {purchase}: {e:?}");
                self.fail(&a, Why::Unreachable, "the gateway did not answer")
                    .await?;
            }
        }
        Ok(Done::Made)
    }

    /// The attempt's order, under the gateway idempotency `key`.
    fn order<'a>(&'a self, a: &'a Attempt<'_>, key: &'a str, save_card: bool) -> Order<'a> {
        Order {
            purchase: a.purchase,
            description: &a.description,
            price: a.price,
            return_url: &a.return_url,
            idempotence_key: key,
            origin: self.origin,
            receipt: Receipt {
                email: &self.r.email,
                vat_code: a.vat_code,
            },
            save_card,
        }
    }

    /// Paid at once: the points credited (once, as any payment is) and the admin told.
    async fn paid(
        &self,
        a: &Attempt<'_>,
        payment_id: String,
        amount_minor: i64,
        currency: String,
    ) -> AppResult<()> {
        let db = self.db;
        let mut rows = vec![db.set_payment(a.purchase, &payment_id, "")?];
        if a.gateway.name() == "sandbox" {
            rows.push(db.insert_sandbox_payment(
                &payment_id,
                amount_minor,
                &currency,
                &a.description,
                &format!("purchase:{}", a.purchase),
                &a.return_url,
                self.now.unix(),
            )?);
            rows.push(db.sandbox_charged(&payment_id)?);
        }
        db.batch(rows).await?;
        let row = db
            .purchase(self.r.provider_id, a.purchase)
            .await?
            .ok_or_else(|| AppError::Internal("the purchase vanished".into()))?;
        let event = Event {
            id: format!("charge:{payment_id}"),
            kind: "auto_topup.charged".into(),
            payment_id,
            outcome: Outcome::Paid {
                amount_minor,
                currency,
            },
            saved: None,
        };
        credit(db, self.origin, self.now, a.gateway.name(), &event, row).await?;
        db.batch(self.told(a, TopUpNotice::Charged, &a.return_url)?)
            .await?;
        Ok(())
    }

    /// The bank wants the cardholder: the same purchase is paid at a checkout the admin is
    /// sent by mail, and the card they pay with is kept in place of the one the bank stopped.
    async fn ask_cardholder(&self, a: &Attempt<'_>) -> AppResult<()> {
        let db = self.db;
        let key = format!("{}-checkout", a.key);
        let made = match a
            .gateway
            .checkout(&Fetcher, &self.order(a, &key, true))
            .await
        {
            Ok(made) => made,
            Err(e) => {
                worker::console_error!("auto top-up: purchase {}: {e:?}", a.purchase);
                return self
                    .fail(a, Why::Unreachable, "the gateway did not answer")
                    .await;
            }
        };
        let mut rows = vec![
            db.repay(a.purchase, &made.payment_id, &made.redirect_url)?,
            db.keeps_card(a.purchase)?,
        ];
        if a.gateway.name() == "sandbox" {
            rows.push(db.insert_sandbox_payment(
                &made.payment_id,
                a.price.minor(),
                a.price.currency().code(),
                &a.description,
                &format!("purchase:{}", a.purchase),
                &a.return_url,
                self.now.unix(),
            )?);
            rows.push(db.sandbox_keeps_card(&made.payment_id)?);
        }
        rows.extend(self.told(a, TopUpNotice::Confirm, &made.redirect_url)?);
        db.batch(rows).await?;
        Ok(())
    }

    /// Nothing was charged: the purchase failed, the cap gets the price back, people are told.
    async fn fail(&self, a: &Attempt<'_>, why: Why, reason: &str) -> AppResult<()> {
        let db = self.db;
        let mut rows = vec![
            db.settle_unpaid(a.purchase, "failed", reason, self.now.unix())?,
            db.unspend_topup(self.r.org_id, a.month, a.pack.price_minor)?,
        ];
        rows.extend(self.told(a, TopUpNotice::Failed(why), &a.return_url)?);
        db.batch(rows).await?;
        Ok(())
    }

    /// The notice rows of `n` about the attempt, linking to `link`.
    fn told(
        &self,
        a: &Attempt<'_>,
        n: TopUpNotice,
        link: &str,
    ) -> AppResult<Vec<D1PreparedStatement>> {
        let points = stored_points(a.pack.points)?;
        self.notice(n, &about(a.pack, Some(a.card)), link, points, None)
    }
}

/// One charge of a kept card: the automatic purchase and what its order is made of.
struct Attempt<'a> {
    purchase: i64,
    pack: &'a PackRow,
    gateway: &'a Gateway,
    month: &'a str,
    /// The kept card's label.
    card: &'a str,
    price: Money,
    description: String,
    return_url: String,
    /// The gateway's idempotency key for this purchase.
    key: String,
    vat_code: u8,
}

fn about<'a>(pack: &'a PackRow, card: Option<&'a str>) -> TopUpAbout<'a> {
    TopUpAbout {
        pack: &pack.name,
        price_minor: pack.price_minor,
        currency: &pack.currency,
        card,
    }
}
