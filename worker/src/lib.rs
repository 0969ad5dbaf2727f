//! Pointdesk's Cloudflare Worker: event entry points and nothing else.
//!
//! `fetch` hands `/api/*` to [`routes::dispatch`] (static assets are served by the `[assets]`
//! binding before the worker runs); `scheduled` runs the periodic jobs.

mod auth;
mod books;
mod db;
mod docs;
mod error;
mod guard;
mod http;
mod idempotency;
mod mail;
mod pay;
mod routes;
mod zone;

use worker::{
    event, Context, Env, ForwardableEmailMessage, Request, Response, Result, ScheduleContext,
    ScheduledEvent,
};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let instance = req.path();
    let mut resp = match routes::dispatch(req, &env).await {
        Ok(resp) => resp,
        Err(err) => err.into_response(&instance)?,
    };
    guard::add_headers(&mut resp)?;
    Ok(resp)
}

/// Mail to the desk's address (Cloudflare Email Routing; locally `POST /cdn-cgi/local/email`).
/// A failure refuses the mail with a reason, so the sender learns it did not arrive rather
/// than it being lost.
#[event(email)]
async fn email(message: ForwardableEmailMessage, env: Env, _ctx: Context) -> Result<()> {
    #[allow(clippy::cast_possible_truncation)]
    let now = pointdesk_domain::time::Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64);
    match routes::receive_mail(&message, &env, now).await {
        Ok(outcome) => worker::console_log!("mail from {}: {outcome}", message.from()),
        Err(e) => {
            worker::console_error!("mail from {}: {e:?}", message.from());
            message.set_reject(
                "The support desk could not take this mail now; please send it again later.",
            );
        }
    }
    Ok(())
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    // Period grants and expiry, payment reconciliation, quote expiry and mail delivery.
    let db = match db::Db::new(&env) {
        Ok(db) => db,
        Err(_) => return worker::console_error!("scheduled: D1 is not bound"),
    };
    let d1 = db.ping().await.map(|_| "ok").unwrap_or("failing");
    // The instant the run was scheduled for (a cron's minute; `wrangler dev --test-scheduled`
    // takes it as `?time=`, which lets the tests run the job at a chosen instant).
    #[allow(clippy::cast_possible_truncation)]
    let now = (event.schedule() / 1000.0) as i64;
    let at = pointdesk_domain::time::Timestamp::from_unix(now);
    // Every five minutes: only the service-level warnings (and the mail they write).
    if event.cron() == SLA_CRON {
        let sla = service_levels(&db, &env, at).await;
        let mail = send_mail(&db, &env, now).await;
        return worker::console_log!("scheduled: {sla}; {mail}");
    }
    // Periods first: a grant that arrives may matter to anything after it.
    let periods = match routes::turn_over(&db, &env, at).await {
        Ok(t) => format!(
            "periods: {} organisations, {} decisions, {} failed",
            t.organisations, t.decisions, t.failures
        ),
        Err(e) => format!("periods failed: {e:?}"),
    };
    // Purchases whose notification was lost (or came while the payment was still pending).
    let payments = match routes::reconcile_payments(&db, &env, at).await {
        Ok(r) => format!(
            "payments: {} pending checked, {} credited, {} failed",
            r.checked, r.credited, r.failures
        ),
        Err(e) => format!("payment reconciliation failed: {e:?}"),
    };
    // Automatic top-ups after the reconciliation: a purchase it credited counts as available.
    let topups = match routes::auto_topups(&db, &env, at).await {
        Ok(t) => format!(
            "auto top-ups: {} announced, {} made, {} held, {} failed",
            t.announced, t.made, t.held, t.failures
        ),
        Err(e) => format!("auto top-ups failed: {e:?}"),
    };
    let quotes = match routes::expire_quotes(&db, at).await {
        Ok(n) => format!("{n} quotes lapsed"),
        Err(e) => format!("quote expiry failed: {e:?}"),
    };
    let sla = service_levels(&db, &env, at).await;
    let desk = match routes::desk_jobs(&db, &env, at).await {
        Ok(d) => format!(
            "desk: {} closing soon, {} closed, {} expiry notices, {} failed",
            d.warned, d.closed, d.announced, d.failures
        ),
        Err(e) => format!("desk jobs failed: {e:?}"),
    };
    let mail = send_mail(&db, &env, now).await;
    worker::console_log!(
        "scheduled: cron {} at {} (D1 {d1}; {periods}; {payments}; {topups}; {quotes}; {sla}; {desk}; {mail})",
        event.cron(),
        event.schedule()
    );
}

/// The cron that runs only the service-level warnings (`wrangler.toml`'s second trigger).
const SLA_CRON: &str = "*/5 * * * *";

async fn service_levels(db: &db::Db, env: &Env, at: pointdesk_domain::time::Timestamp) -> String {
    match routes::sla_jobs(db, at, &http::public_origin(env)).await {
        Ok(s) => format!(
            "service levels: {} warnings, {} breaches, {} failed",
            s.warnings, s.breaches, s.failures
        ),
        Err(e) => format!("service-level job failed: {e:?}"),
    }
}

/// Mail waits in the outbox until a sender is bound (production: Cloudflare Email Service).
async fn send_mail(db: &db::Db, env: &Env, now: i64) -> String {
    match mail::CloudflareEmail::from_env(env) {
        Some(sender) => match mail::deliver(db, &sender, now, 100).await {
            Ok(n) => format!("{n} mail sent"),
            Err(e) => format!("mail delivery failed: {e:?}"),
        },
        None => "no mail sender bound".to_owned(),
    }
}
