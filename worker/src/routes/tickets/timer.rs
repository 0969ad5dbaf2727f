//! The engineer's timer on a ticket, kept on the server (so it survives a reload, a phone
//! change and a start made offline): starting records when; stopping logs the minutes it ran as
//! work, through the same domain step as `logWork`, and removes it in the same batch.

use pointdesk_api::accounts::Fields;
use pointdesk_api::routes::Op;
use pointdesk_api::tickets::{TimerRequest, TimerStopRequest};
use pointdesk_domain::ids::UserId;
use pointdesk_domain::policy::Action;
use pointdesk_domain::ticket::{text, NOTE_MAX};
use pointdesk_domain::time::Timestamp;
use pointdesk_domain::worklog::{check_day, timer_instant, timer_minutes, WorkEntry};
use pointdesk_domain::DomainError;
use worker::Response;

use super::change::{change, Change, Needs};
use super::load::Loaded;
use super::work::logged;
use crate::error::AppResult;
use crate::http::{body_of, Call, Session};

/// Time worked: `logWork` (by hand), `startTimer` and `stopTimer`.
pub async fn time(op: Op, call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    match op {
        Op::startTimer => start(call, who).await,
        Op::stopTimer => stop(call, who).await,
        _ => super::work::log_work(call, who).await,
    }
}

/// The caller's running timer on the loaded ticket.
fn running(l: &Loaded) -> Option<i64> {
    l.view.as_ref().and_then(|v| v.timer)
}

/// `startTimer`.
async fn start(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (TimerRequest, _) = body_of(call).await?;
    let me = who.user.id;
    let db = call.db()?;
    change(
        call,
        who,
        id,
        Action::LogWork,
        Needs::default(),
        &body,
        201,
        |l, ctx| {
            if l.flow.is_final() {
                return Err(DomainError::Locked("finished").into());
            }
            if running(l).is_some() {
                return Err(DomainError::IllegalTransition {
                    entity: "timer",
                    action: "start",
                    state: "running",
                }
                .into());
            }
            let at = timer_instant(req.at, ctx.now.unix())?;
            let mut c = Change::of(l, l.flow.clone());
            c.keep_version = true;
            c.extra.push(db.start_timer(id, me, at)?);
            Ok(c)
        },
    )
    .await
}

/// `stopTimer`.
async fn stop(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let (req, body): (TimerStopRequest, _) = body_of(call).await?;
    let mut f = Fields::default();
    let note = f.take("note", text(&req.note, 0, NOTE_MAX, true));
    let note = f.finish(|| note)?;
    let engineer = UserId::new(who.user.id);
    let db = call.db()?;
    change(
        call,
        who,
        id,
        Action::LogWork,
        Needs::default(),
        &body,
        201,
        |l, ctx| {
            let Some(started) = running(l) else {
                return Err(DomainError::IllegalTransition {
                    entity: "timer",
                    action: "stop",
                    state: "not running",
                }
                .into());
            };
            let now = ctx.now.unix();
            let stopped = timer_instant(req.at, now)?;
            let minutes = timer_minutes(started, stopped)?;
            let on = Timestamp::from_unix(started).date(ctx.offset);
            let opened = Timestamp::from_unix(l.row.created_at).date(ctx.offset);
            check_day(on.max(opened), opened, ctx.now.date(ctx.offset))?;
            let entry = WorkEntry {
                engineer,
                minutes,
                note: note.clone(),
                on: on.max(opened),
            };
            let mut c = logged(l, entry)?;
            c.extra.push(db.stop_timer(id, engineer.get())?);
            Ok(c)
        },
    )
    .await
}
