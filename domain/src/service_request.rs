//! Service requests: `standard` catalogue items are included; the others are quoted in points,
//! and work starts only after the client approves. A revision replaces the open quote and needs
//! approval again; completion charges the approved quote; cancellation releases its hold.

use crate::charging::charge_for_minutes;
use crate::error::DomainError;
use crate::ids::{QuoteId, TicketId, UserId};
use crate::ledger::{Account, Decision};
use crate::plan::Plan;
use crate::points::Points;
use crate::time::Timestamp;
use crate::worklog::{total_minutes, WorkEntry};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Catalogue {
    /// Included in the subscription: no quote, no charge.
    Standard,
    /// Needs a quote approved before work starts.
    Quoted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    New,
    AwaitingApproval,
    InProgress,
    Completed,
    Declined,
    Cancelled,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::New,
        RequestStatus::AwaitingApproval,
        RequestStatus::InProgress,
        RequestStatus::Completed,
        RequestStatus::Declined,
        RequestStatus::Cancelled,
    ];
    pub fn parse(s: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestStatus::New => "new",
            RequestStatus::AwaitingApproval => "awaiting_approval",
            RequestStatus::InProgress => "in_progress",
            RequestStatus::Completed => "completed",
            RequestStatus::Declined => "declined",
            RequestStatus::Cancelled => "cancelled",
        }
    }
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            RequestStatus::Completed | RequestStatus::Declined | RequestStatus::Cancelled
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteStatus {
    AwaitingApproval,
    Approved,
    Declined,
    Expired,
    /// Replaced by a revision (or withdrawn when the request ended).
    Superseded,
    /// Its hold became a charge.
    Charged,
    /// Its hold was released by cancellation.
    Released,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub id: QuoteId,
    pub points: Points,
    pub scope: String,
    pub expires_at: Timestamp,
    pub status: QuoteStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRequest {
    pub id: TicketId,
    pub catalogue: Catalogue,
    pub status: RequestStatus,
    /// Every quote ever made, oldest first.
    pub quotes: Vec<Quote>,
    /// The work log, in the order it was written.
    pub work: Vec<WorkEntry>,
}

/// Logged work measured against the approved quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuoteUsage {
    pub quoted: Points,
    pub logged_minutes: u32,
    /// Logged time is more than the quoted points (1 point = 60 minutes): work beyond this
    /// needs a revised quote, approved again.
    pub exceeded: bool,
}

impl ServiceRequest {
    pub fn new(id: TicketId, catalogue: Catalogue) -> ServiceRequest {
        ServiceRequest {
            id,
            catalogue,
            status: RequestStatus::New,
            quotes: Vec::new(),
            work: Vec::new(),
        }
    }

    fn illegal(&self, action: &'static str) -> DomainError {
        DomainError::IllegalTransition {
            entity: "service request",
            action,
            state: self.status.as_str(),
        }
    }

    pub fn open_quote(&self) -> Option<&Quote> {
        self.quotes
            .iter()
            .find(|q| q.status == QuoteStatus::AwaitingApproval)
    }

    pub fn approved_quote(&self) -> Option<&Quote> {
        self.quotes
            .iter()
            .find(|q| q.status == QuoteStatus::Approved)
    }

    fn set_quote(&mut self, id: QuoteId, status: QuoteStatus) {
        if let Some(q) = self.quotes.iter_mut().find(|q| q.id == id) {
            q.status = status;
        }
    }

    /// Work is logged while the request is in progress.
    pub fn log_work(&self, entry: WorkEntry) -> Result<ServiceRequest, DomainError> {
        if self.status != RequestStatus::InProgress {
            return Err(self.illegal("log work on"));
        }
        let mut next = self.clone();
        next.work.push(entry.checked()?);
        total_minutes(&next.work)?;
        Ok(next)
    }

    /// How the logged work compares with the approved quote, if there is one.
    pub fn quote_usage(&self) -> Result<Option<QuoteUsage>, DomainError> {
        let Some(q) = self.approved_quote() else {
            return Ok(None);
        };
        let logged_minutes = total_minutes(&self.work)?;
        // minutes / 60 > hundredths / 100  ⇔  minutes × 100 > hundredths × 60
        let exceeded = i128::from(logged_minutes) * 100 > i128::from(q.points.hundredths()) * 60;
        Ok(Some(QuoteUsage {
            quoted: q.points,
            logged_minutes,
            exceeded,
        }))
    }

    /// Standard items start at once.
    pub fn start(&self) -> Result<ServiceRequest, DomainError> {
        match (self.catalogue, self.status) {
            (Catalogue::Standard, RequestStatus::New) => Ok(ServiceRequest {
                status: RequestStatus::InProgress,
                ..self.clone()
            }),
            _ => Err(self.illegal("start")),
        }
    }

    /// An engineer quotes (or re-quotes) the work. An open quote is superseded; an approved
    /// quote keeps its hold until the revision is approved.
    pub fn quote(
        &self,
        id: QuoteId,
        points: Points,
        scope: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<ServiceRequest, DomainError> {
        if self.catalogue == Catalogue::Standard || self.status.is_final() {
            return Err(self.illegal("quote"));
        }
        if !points.is_positive() {
            return Err(DomainError::Invalid(
                "a quote must be for a positive number of points",
            ));
        }
        if scope.trim().is_empty() {
            return Err(DomainError::Invalid("a quote must say what is included"));
        }
        if expires_at <= now {
            return Err(DomainError::Invalid("a quote must expire in the future"));
        }
        if self.quotes.iter().any(|q| q.id == id) {
            return Err(DomainError::Invalid("a quote id is used once"));
        }
        let mut next = self.clone();
        if let Some(open) = self.open_quote() {
            next.set_quote(open.id, QuoteStatus::Superseded);
        }
        next.quotes.push(Quote {
            id,
            points,
            scope: scope.trim().to_owned(),
            expires_at,
            status: QuoteStatus::AwaitingApproval,
        });
        if next.status == RequestStatus::New {
            next.status = RequestStatus::AwaitingApproval;
        }
        Ok(next)
    }

    /// The client approves the open quote: a hold for its points (replacing the hold of the quote
    /// it revises). Work may start.
    pub fn approve(
        &self,
        quote: QuoteId,
        account: &Account,
        now: Timestamp,
    ) -> Result<(ServiceRequest, Decision), DomainError> {
        let q = self
            .open_quote()
            .filter(|q| q.id == quote)
            .ok_or(DomainError::NotFound("open quote"))?;
        if now >= q.expires_at {
            return Err(DomainError::QuoteExpired);
        }
        let replaces = self.approved_quote().map(|a| a.id);
        let decision = account.approve_quote(q.id, q.points, replaces)?;
        let mut next = self.clone();
        if let Some(old) = replaces {
            next.set_quote(old, QuoteStatus::Superseded);
        }
        next.set_quote(quote, QuoteStatus::Approved);
        next.status = RequestStatus::InProgress;
        Ok((next, decision))
    }

    /// The client declines the open quote. A declined revision leaves the approved work going.
    pub fn decline(&self, quote: QuoteId) -> Result<ServiceRequest, DomainError> {
        let q = self
            .open_quote()
            .filter(|q| q.id == quote)
            .ok_or(DomainError::NotFound("open quote"))?;
        let mut next = self.clone();
        next.set_quote(q.id, QuoteStatus::Declined);
        if self.approved_quote().is_none() {
            next.status = RequestStatus::Declined;
        }
        Ok(next)
    }

    /// The open quote lapses at its expiry; the request waits for a new quote.
    pub fn expire(&self, now: Timestamp) -> Result<ServiceRequest, DomainError> {
        let q = self
            .open_quote()
            .ok_or(DomainError::NotFound("open quote"))?;
        if now < q.expires_at {
            return Err(DomainError::Invalid("the quote has not expired yet"));
        }
        let mut next = self.clone();
        next.set_quote(q.id, QuoteStatus::Expired);
        if self.approved_quote().is_none() {
            next.status = RequestStatus::New;
        }
        Ok(next)
    }

    /// Work is done. A quoted request is charged the approved quote's points (its hold becomes
    /// the charge); an open revision is withdrawn.
    pub fn complete(
        &self,
        account: &Account,
        actor: Option<UserId>,
    ) -> Result<(ServiceRequest, Option<Decision>), DomainError> {
        if self.status != RequestStatus::InProgress {
            return Err(self.illegal("complete"));
        }
        let mut next = self.clone();
        if let Some(open) = self.open_quote() {
            next.set_quote(open.id, QuoteStatus::Superseded);
        }
        next.status = RequestStatus::Completed;
        let Some(approved) = self.approved_quote() else {
            return Ok((next, None));
        };
        let reason = format!("Service request #{}: {}", self.id, approved.scope);
        let decision = account.complete_quote(approved.id, reason, actor)?;
        next.set_quote(approved.id, QuoteStatus::Charged);
        Ok((next, Some(decision)))
    }

    /// The request is cancelled. Before any work was logged the hold is released and nothing
    /// is charged; after, the logged time is charged under the plan's rounding, at most the
    /// approved quote ("charged by the resources spent"), and the rest of the hold is released.
    pub fn cancel(
        &self,
        account: &Account,
        plan: Option<&Plan>,
        actor: Option<UserId>,
    ) -> Result<(ServiceRequest, Option<Decision>), DomainError> {
        if self.status.is_final() {
            return Err(self.illegal("cancel"));
        }
        let mut next = self.clone();
        if let Some(open) = self.open_quote() {
            next.set_quote(open.id, QuoteStatus::Superseded);
        }
        next.status = RequestStatus::Cancelled;
        let Some(approved) = self.approved_quote() else {
            return Ok((next, None));
        };
        let spent = self.cancellation_charge(plan)?;
        if let Some(spent) = spent.filter(|c| c.points.is_positive()) {
            let reason = format!(
                "Service request #{} cancelled: {} min logged, {} min billed (quote {})",
                self.id, spent.logged_minutes, spent.billed_minutes, approved.points
            );
            let decision =
                account.charge_part_of_quote(approved.id, spent.points, reason, actor)?;
            next.set_quote(approved.id, QuoteStatus::Charged);
            return Ok((next, Some(decision)));
        }
        let decision = account.release_quote(approved.id)?;
        next.set_quote(approved.id, QuoteStatus::Released);
        Ok((next, Some(decision)))
    }

    /// What cancelling now would charge: the logged time under the plan's rounding, capped at
    /// the approved quote. `None` when nothing is approved or nothing was logged.
    pub fn cancellation_charge(
        &self,
        plan: Option<&Plan>,
    ) -> Result<Option<CancellationCharge>, DomainError> {
        let Some(approved) = self.approved_quote() else {
            return Ok(None);
        };
        let logged = total_minutes(&self.work)?;
        if logged == 0 {
            return Ok(None);
        }
        let plan = plan.ok_or(DomainError::Invalid("the organisation has no plan"))?;
        let time = charge_for_minutes(logged, plan)?;
        Ok(Some(CancellationCharge {
            logged_minutes: logged,
            billed_minutes: time.billed_minutes,
            points: time.points.min(approved.points),
            capped: time.points > approved.points,
        }))
    }
}

/// The charge of a request cancelled after work was logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CancellationCharge {
    pub logged_minutes: u32,
    pub billed_minutes: u32,
    pub points: Points,
    /// The logged time was worth more than the quote: the quote is charged.
    pub capped: bool,
}

impl ServiceRequest {
    /// Has work been logged on it (a client may then no longer cancel it)?
    pub fn has_work(&self) -> bool {
        !self.work.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;
    use crate::ledger::Ledger;
    use crate::plan::Overdraft;

    const T: Timestamp = Timestamp::from_unix(1_795_737_600);

    fn pts(s: &str) -> Points {
        s.parse().unwrap()
    }

    fn nov() -> crate::time::Period {
        crate::time::Period::new(2026, 11).unwrap()
    }

    fn funded(points: &str) -> Ledger {
        let mut l = Ledger::new(Account::new(OrgId::new(1), Overdraft::IncidentsOnly, nov()));
        l.commit(&l.account().grant(nov(), pts(points)).unwrap(), T)
            .unwrap();
        l
    }

    #[test]
    fn logged_work_is_measured_against_the_approved_quote() {
        let l = funded("10");
        let w = |minutes| WorkEntry {
            engineer: UserId::new(2),
            minutes,
            note: String::new(),
            on: T.date(0),
        };
        let sr = ServiceRequest::new(TicketId::new(1), Catalogue::Quoted);
        assert!(sr.log_work(w(10)).is_err(), "no work before approval");
        let sr = sr
            .quote(QuoteId::new(1), pts("1.5"), "a", T, T.plus_days(7))
            .unwrap();
        let (sr, _) = sr.approve(QuoteId::new(1), l.account(), T).unwrap();
        let sr = sr.log_work(w(60)).unwrap().log_work(w(30)).unwrap();
        let usage = sr.quote_usage().unwrap().unwrap();
        assert_eq!((usage.logged_minutes, usage.exceeded), (90, false));
        let sr = sr.log_work(w(1)).unwrap();
        assert!(sr.quote_usage().unwrap().unwrap().exceeded);
    }

    #[test]
    fn standard_items_need_no_quote() {
        let sr = ServiceRequest::new(TicketId::new(1), Catalogue::Standard);
        assert!(sr
            .quote(QuoteId::new(1), pts("1"), "x", T, T.plus_days(7))
            .is_err());
        let (done, d) = sr
            .start()
            .unwrap()
            .complete(&Account::new(OrgId::new(1), Overdraft::Never, nov()), None)
            .unwrap();
        assert_eq!(done.status, RequestStatus::Completed);
        assert!(d.is_none());
    }

    #[test]
    fn work_waits_for_approval_then_hold_becomes_charge() {
        let mut l = funded("10");
        let sr = ServiceRequest::new(TicketId::new(1), Catalogue::Quoted);
        assert!(sr.start().is_err());
        let sr = sr
            .quote(
                QuoteId::new(1),
                pts("3"),
                "Set up a printer",
                T,
                T.plus_days(7),
            )
            .unwrap();
        assert_eq!(sr.status, RequestStatus::AwaitingApproval);
        assert!(
            sr.complete(l.account(), None).is_err(),
            "no work before approval"
        );
        let (sr, hold) = sr.approve(QuoteId::new(1), l.account(), T).unwrap();
        l.commit(&hold, T).unwrap();
        assert_eq!(l.account().available().unwrap(), pts("7"));
        let (sr, charge) = sr.complete(l.account(), None).unwrap();
        l.commit(&charge.unwrap(), T).unwrap();
        assert_eq!(sr.status, RequestStatus::Completed);
        assert_eq!(
            (
                l.account().balance().unwrap(),
                l.account().available().unwrap()
            ),
            (pts("7"), pts("7"))
        );
    }

    #[test]
    fn revision_replaces_the_open_quote_and_needs_approval_again() {
        let mut l = funded("10");
        let sr = ServiceRequest::new(TicketId::new(1), Catalogue::Quoted)
            .quote(QuoteId::new(1), pts("3"), "a", T, T.plus_days(7))
            .unwrap();
        let (sr, hold) = sr.approve(QuoteId::new(1), l.account(), T).unwrap();
        l.commit(&hold, T).unwrap();
        let sr = sr
            .quote(QuoteId::new(2), pts("5"), "a and b", T, T.plus_days(7))
            .unwrap();
        assert_eq!(
            sr.status,
            RequestStatus::InProgress,
            "approved work goes on meanwhile"
        );
        let sr2 = sr
            .quote(QuoteId::new(3), pts("4"), "a and less b", T, T.plus_days(7))
            .unwrap();
        assert_eq!(sr2.quotes[1].status, QuoteStatus::Superseded);
        assert!(
            sr2.approve(QuoteId::new(2), l.account(), T).is_err(),
            "a superseded quote cannot be approved"
        );
        let (sr, swap) = sr2.approve(QuoteId::new(3), l.account(), T).unwrap();
        l.commit(&swap, T).unwrap();
        assert_eq!(l.account().held().unwrap(), pts("4"));
        let (_, charge) = sr.complete(l.account(), None).unwrap();
        assert_eq!(charge.unwrap().entry().unwrap().amount, pts("-4"));
    }

    #[test]
    fn decline_expire_cancel() {
        let mut l = funded("10");
        let sr = ServiceRequest::new(TicketId::new(1), Catalogue::Quoted)
            .quote(QuoteId::new(1), pts("3"), "a", T, T.plus_days(1))
            .unwrap();
        assert_eq!(
            sr.decline(QuoteId::new(1)).unwrap().status,
            RequestStatus::Declined
        );
        assert_eq!(
            sr.approve(QuoteId::new(1), l.account(), T.plus_days(1)),
            Err(DomainError::QuoteExpired)
        );
        assert!(sr.expire(T).is_err());
        let lapsed = sr.expire(T.plus_days(1)).unwrap();
        assert_eq!(
            (lapsed.status, lapsed.quotes[0].status),
            (RequestStatus::New, QuoteStatus::Expired)
        );
        let (sr, hold) = sr.approve(QuoteId::new(1), l.account(), T).unwrap();
        l.commit(&hold, T).unwrap();
        let (sr, release) = sr.cancel(l.account(), None, None).unwrap();
        l.commit(&release.unwrap(), T).unwrap();
        assert_eq!(sr.quotes[0].status, QuoteStatus::Released);
        assert_eq!(l.account().available().unwrap(), pts("10"));
        assert!(sr.cancel(l.account(), None, None).is_err());
    }

    #[test]
    fn approval_without_enough_points_is_refused() {
        let l = funded("2");
        let sr = ServiceRequest::new(TicketId::new(1), Catalogue::Quoted)
            .quote(QuoteId::new(1), pts("3"), "a", T, T.plus_days(7))
            .unwrap();
        assert!(matches!(
            sr.approve(QuoteId::new(1), l.account(), T),
            Err(DomainError::InsufficientPoints { .. })
        ));
    }

    #[test]
    fn cancelling_after_work_charges_the_logged_time_at_most_the_quote() {
        let plan = crate::plan::tests::plan(); // 15-minute increments
        let w = |minutes| WorkEntry {
            engineer: UserId::new(2),
            minutes,
            note: String::new(),
            on: T.date(0),
        };
        let mut l = funded("10");
        let sr = ServiceRequest::new(TicketId::new(1), Catalogue::Quoted)
            .quote(QuoteId::new(1), pts("2"), "a", T, T.plus_days(7))
            .unwrap();
        let (sr, hold) = sr.approve(QuoteId::new(1), l.account(), T).unwrap();
        l.commit(&hold, T).unwrap();
        let worked = sr.log_work(w(50)).unwrap();
        let c = worked.cancellation_charge(Some(&plan)).unwrap().unwrap();
        assert_eq!(
            (c.billed_minutes, c.points, c.capped),
            (60, pts("1"), false)
        );
        let (done, d) = worked.cancel(l.account(), Some(&plan), None).unwrap();
        l.commit(&d.unwrap(), T).unwrap();
        assert_eq!(done.quotes[0].status, QuoteStatus::Charged);
        assert_eq!(l.account().balance().unwrap(), pts("9"));
        assert_eq!(l.account().held().unwrap(), Points::ZERO);
        // Three hours of work on a two-point quote charge the quote.
        let over = sr.log_work(w(180)).unwrap();
        let c = over.cancellation_charge(Some(&plan)).unwrap().unwrap();
        assert_eq!((c.points, c.capped), (pts("2"), true));
        // No work: nothing to charge.
        assert_eq!(sr.cancellation_charge(Some(&plan)), Ok(None));
    }
}
