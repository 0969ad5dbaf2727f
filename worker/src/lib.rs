//! Pointdesk's Cloudflare Worker: event entry points and nothing else.
//!
//! `fetch` hands `/api/*` to [`routes::dispatch`] (static assets are served by the `[assets]`
//! binding before the worker runs); `scheduled` runs the periodic jobs.

mod auth;
mod db;
mod error;
mod guard;
mod mail;
mod routes;

use worker::{event, Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent};

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

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    // Period grants and expiry, quote expiry and low-balance checks join here as they land.
    let d1 = match db::Db::new(&env) {
        Ok(db) => db.ping().await.map(|_| "ok").unwrap_or("failing"),
        Err(_) => "unbound",
    };
    worker::console_log!(
        "scheduled: cron {} at {} (D1 {d1})",
        event.cron(),
        event.schedule()
    );
}
