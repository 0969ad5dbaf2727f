//! A ticket's service-level clocks follow its changes: the first answer, waiting for the client,
//! the fix, a reopening, a priority change and staff saying they wait for the client.

use pointdesk_domain::sla::{Clocks, Moment};
use pointdesk_domain::ticket::{Flow, Priority};
use pointdesk_domain::time::Timestamp;
use pointdesk_domain::DomainError;
use worker::D1PreparedStatement;

use super::load::Loaded;
use crate::db::{clocks_of, Db, SlaTerms};
use crate::error::AppResult;

/// What a change does that the clocks care about, besides the flow.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ClockMove {
    /// Staff answered the client (a public comment, a status change).
    pub(super) responded: bool,
    /// Staff now wait for the client since then (`Some(None)`: no longer).
    pub(super) awaiting: Option<Option<i64>>,
    /// The priority changed to this.
    pub(super) retarget: Option<Priority>,
}

/// The clocks of a ticket opened now, if its plan has a target for its priority.
pub(super) fn opening(terms: &SlaTerms, p: Priority, now: Timestamp) -> AppResult<Option<Clocks>> {
    let Some(target) = terms.target(p) else {
        return Ok(None);
    };
    let clocks =
        terms.with_calendar(target.round_the_clock, |cal| Clocks::open(now, target, cal))?;
    Ok(Some(clocks))
}

/// The statement that stores what `after` (and `m`) does to `l`'s clocks, when it does
/// anything; the calendar is read only then.
pub(super) async fn clock_statement(
    db: &Db,
    l: &Loaded,
    after: &Flow,
    staff: bool,
    m: ClockMove,
    now: Timestamp,
) -> AppResult<Option<D1PreparedStatement>> {
    let stored = clocks_of(l.row.id, l.row.sla.as_deref())?;
    let was = l.row.awaiting_client_since;
    let done = after.is_done();
    let awaiting = if done {
        None
    } else {
        m.awaiting.unwrap_or(was)
    };
    let before = Moment {
        waiting: l.flow.awaits_client() || was.is_some(),
        done: l.flow.is_done(),
    };
    let moment = Moment {
        waiting: after.awaits_client() || awaiting.is_some(),
        done,
    };
    // Only staff answer: a client confirming or reopening is not the desk's response.
    let responded = staff && (m.responded || after.status() != l.flow.status());
    let first = stored.is_some_and(|c| c.first_response_at.is_none());
    let moves = before != moment || m.retarget.is_some() || awaiting != was || (responded && first);
    if !moves {
        return Ok(None);
    }
    if stored.is_none() && m.retarget.is_none() {
        return (awaiting != was)
            .then(|| db.set_clocks(l.row.id, None, awaiting))
            .transpose();
    }
    let terms = db.sla_terms(None, Some(l.row.org_id)).await?;
    let mut clocks = match stored {
        Some(c) => Some(terms.with_calendar(c.target.round_the_clock, |cal| {
            c.step(before, moment, responded, now, cal)
        })?),
        None => None,
    };
    if let Some(p) = m.retarget {
        clocks = match (terms.target(p), clocks) {
            (None, _) => None,
            (Some(t), Some(c)) => {
                Some(terms.with_calendar(t.round_the_clock, |cal| c.retarget(t, cal))?)
            }
            // A ticket with no clocks gets them from its opening.
            (Some(t), None) => terms.with_calendar(t.round_the_clock, |cal| {
                let c = Clocks::open(Timestamp::from_unix(l.row.created_at), t, cal)?;
                Ok::<_, DomainError>(Some(c.step(Moment::default(), moment, false, now, cal)?))
            })?,
        };
    }
    Ok(Some(db.set_clocks(l.row.id, clocks.as_ref(), awaiting)?))
}
