//! The period job: every active organisation with a plan receives each period's allotment at the
//! period's start in its provider's time zone, and each ended period's expiry per the plan's
//! rollover rule — in order, each exactly once, however late or often the job runs (the domain's
//! `catch_up`, one decision per batch, keyed `grant:{org}:{period}` / `expiry:{org}:{period}`).

use pointdesk_domain::time::Timestamp;
use worker::Env;

use crate::books::{allotment_of, plan_of, record};
use crate::db::decide_and_write;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::zone;

/// At most this many decisions per organisation and run (three years of missed periods); the
/// next run goes on from there.
const MAX_STEPS: usize = 72;

/// What one run did.
#[derive(Debug, Default)]
pub struct TurnOver {
    pub organisations: usize,
    pub decisions: usize,
    pub failures: usize,
}

fn origin(env: &Env) -> String {
    env.var("PUBLIC_ORIGIN")
        .map(|v| v.to_string().trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// Turns every organisation over to the current period.
pub async fn turn_over(db: &Db, env: &Env, now: Timestamp) -> AppResult<TurnOver> {
    let mut done = TurnOver::default();
    let origin = origin(env);
    for o in db.period_orgs().await? {
        done.organisations += 1;
        match one(db, o.id, o.provider_id, &o.time_zone, now, &origin).await {
            Ok(n) => done.decisions += n,
            Err(e) => {
                done.failures += 1;
                worker::console_error!("periods: organisation {}: {e:?}", o.id);
            }
        }
    }
    Ok(done)
}

async fn one(
    db: &Db,
    org: i64,
    provider: i64,
    time_zone: &str,
    now: Timestamp,
    origin: &str,
) -> AppResult<usize> {
    let current = zone::period_at(time_zone, now);
    let mut written = 0;
    while written < MAX_STEPS {
        let wrote = decide_and_write(&format!("organisation {org}'s periods"), async |_| {
            let row = db
                .organization(provider, org)
                .await?
                .ok_or(AppError::NotFound)?;
            let Some(plan) = plan_of(db, provider, &row).await? else {
                return Ok(false);
            };
            let allotment = allotment_of(&row, Some(&plan))?;
            let books = db.account(org, plan.overdraft, current, &[]).await?;
            let decisions = books.account.catch_up(current, plan.rollover, allotment)?;
            let Some(first) = decisions.first() else {
                return Ok(false);
            };
            db.batch(record(db, &books, first, now, origin)?).await?;
            Ok(true)
        })
        .await?;
        if !wrote {
            break;
        }
        written += 1;
    }
    Ok(written)
}
