//! Incidents: fixed first, classified after. `new → in_progress → resolved → closed`; at or after
//! resolution the cause is set once; a client-caused incident is charged for its logged time,
//! which a client admin may dispute within the window and a manager then decides.

use crate::charging::{charge_for_minutes, TimeCharge};
use crate::error::DomainError;
use crate::ids::{DisputeId, TicketId, UserId};
use crate::ledger::{Account, Decision, Trace};
use crate::plan::Plan;
use crate::points::Points;
use crate::time::{Timestamp, SECONDS_PER_DAY};
pub use crate::worklog::WorkEntry;

pub const DEFAULT_DISPUTE_WINDOW_DAYS: u32 = 14;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncidentStatus {
    New,
    InProgress,
    Resolved,
    Closed,
}

impl IncidentStatus {
    pub const ALL: [IncidentStatus; 4] = [
        IncidentStatus::New,
        IncidentStatus::InProgress,
        IncidentStatus::Resolved,
        IncidentStatus::Closed,
    ];
    pub fn parse(s: &str) -> Option<IncidentStatus> {
        IncidentStatus::ALL.into_iter().find(|i| i.as_str() == s)
    }
    pub const fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::New => "new",
            IncidentStatus::InProgress => "in_progress",
            IncidentStatus::Resolved => "resolved",
            IncidentStatus::Closed => "closed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// An ordinary incident: no charge.
    Standard,
    /// Caused by the client's own staff: charged for the time logged.
    ClientCaused,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentCharge {
    pub points: Points,
    pub at: Timestamp,
    pub time: TimeCharge,
    /// How many work-log lines (the first `lines` of [`Incident::work`]) the charge covers.
    pub lines: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dispute {
    Open {
        id: DisputeId,
        opened_at: Timestamp,
        reason: String,
    },
    Upheld {
        id: DisputeId,
        reason: String,
    },
    Rejected {
        id: DisputeId,
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    pub id: TicketId,
    pub status: IncidentStatus,
    /// The work log, in the order it was written.
    pub work: Vec<WorkEntry>,
    pub cause: Option<Cause>,
    pub charge: Option<IncidentCharge>,
    pub dispute: Option<Dispute>,
}

impl Incident {
    pub fn new(id: TicketId) -> Incident {
        Incident {
            id,
            status: IncidentStatus::New,
            work: Vec::new(),
            cause: None,
            charge: None,
            dispute: None,
        }
    }

    fn illegal(&self, action: &'static str) -> DomainError {
        DomainError::IllegalTransition {
            entity: "incident",
            action,
            state: self.status.as_str(),
        }
    }

    /// An engineer takes the incident.
    pub fn start(&self) -> Result<Incident, DomainError> {
        match self.status {
            IncidentStatus::New => Ok(Incident {
                status: IncidentStatus::InProgress,
                ..self.clone()
            }),
            _ => Err(self.illegal("start")),
        }
    }

    /// Minutes logged over all work entries.
    pub fn logged_minutes(&self) -> Result<u32, DomainError> {
        crate::worklog::total_minutes(&self.work)
    }

    /// What finding the incident client caused would charge now (`None` once its cause is
    /// set): the logged time under the plan's rounding, exactly what [`Incident::classify`]
    /// would charge, so the engineer sees the points before pressing.
    pub fn client_caused_charge(&self, plan: &Plan) -> Result<Option<TimeCharge>, DomainError> {
        if self.cause.is_some() {
            return Ok(None);
        }
        charge_for_minutes(self.logged_minutes()?, plan).map(Some)
    }

    /// Work is logged until the incident closes or is found client caused (after that the
    /// charge is fixed); a standard incident reopened by its client takes more work.
    pub fn log_work(&self, entry: WorkEntry) -> Result<Incident, DomainError> {
        if self.status == IncidentStatus::Closed || self.cause == Some(Cause::ClientCaused) {
            return Err(self.illegal("log work on"));
        }
        let mut next = self.clone();
        next.work.push(entry.checked()?);
        next.logged_minutes()?;
        Ok(next)
    }

    pub fn resolve(&self) -> Result<Incident, DomainError> {
        match self.status {
            IncidentStatus::New | IncidentStatus::InProgress => Ok(Incident {
                status: IncidentStatus::Resolved,
                ..self.clone()
            }),
            _ => Err(self.illegal("resolve")),
        }
    }

    /// The fix did not hold: back to work, unless it was found client caused (its charge is
    /// fixed then; the client disputes it instead).
    pub fn reopen(&self) -> Result<Incident, DomainError> {
        match (self.status, self.cause) {
            (IncidentStatus::Resolved, None | Some(Cause::Standard)) => Ok(Incident {
                status: IncidentStatus::InProgress,
                ..self.clone()
            }),
            _ => Err(self.illegal("reopen")),
        }
    }

    pub fn close(&self) -> Result<Incident, DomainError> {
        match self.status {
            IncidentStatus::Resolved => Ok(Incident {
                status: IncidentStatus::Closed,
                ..self.clone()
            }),
            _ => Err(self.illegal("close")),
        }
    }

    /// The cause is decided once, at or after resolution. A client-caused incident is charged for
    /// its logged time per the plan; returns the ledger decision to commit, if any.
    pub fn classify(
        &self,
        cause: Cause,
        plan: &Plan,
        account: &Account,
        actor: Option<UserId>,
        at: Timestamp,
    ) -> Result<(Incident, Option<Decision>), DomainError> {
        if !matches!(
            self.status,
            IncidentStatus::Resolved | IncidentStatus::Closed
        ) {
            return Err(self.illegal("classify"));
        }
        if self.cause.is_some() {
            return Err(DomainError::IllegalTransition {
                entity: "incident",
                action: "classify",
                state: "classified",
            });
        }
        let mut next = Incident {
            cause: Some(cause),
            ..self.clone()
        };
        if cause == Cause::Standard {
            return Ok((next, None));
        }
        let time = charge_for_minutes(self.logged_minutes()?, plan)?;
        if time.points == Points::ZERO {
            return Ok((next, None));
        }
        let reason = format!(
            "Client-caused incident #{}: {} work entries, {} min logged, {} min billed",
            self.id,
            self.work.len(),
            time.logged_minutes,
            time.billed_minutes
        );
        let decision = account.charge_incident(self.id, time.points, reason, actor)?;
        next.charge = Some(IncidentCharge {
            points: time.points,
            at,
            time,
            lines: self.work.len(),
        });
        Ok((next, Some(decision)))
    }

    /// A client admin disputes the charge within `window_days` of it.
    pub fn open_dispute(
        &self,
        id: DisputeId,
        reason: &str,
        at: Timestamp,
        window_days: u32,
    ) -> Result<Incident, DomainError> {
        let charge = self.charge.as_ref().ok_or(DomainError::IllegalTransition {
            entity: "incident",
            action: "dispute",
            state: "not charged",
        })?;
        if self.dispute.is_some() {
            return Err(DomainError::IllegalTransition {
                entity: "incident",
                action: "dispute",
                state: "disputed",
            });
        }
        if reason.trim().is_empty() {
            return Err(DomainError::Invalid("a dispute needs a reason"));
        }
        if at.unix() > charge.at.unix() + i64::from(window_days) * SECONDS_PER_DAY {
            return Err(DomainError::DisputeWindowClosed {
                closed_on_day: window_days,
            });
        }
        Ok(Incident {
            dispute: Some(Dispute::Open {
                id,
                opened_at: at,
                reason: reason.trim().to_owned(),
            }),
            ..self.clone()
        })
    }

    /// A manager decides an open dispute. Upheld refunds what was paid of the charge (`charges`:
    /// the ticket's charge entries) to the blocks it came from and forgives what is still
    /// outstanding; the reason is shown to the client either way.
    pub fn decide_dispute(
        &self,
        upheld: bool,
        reason: &str,
        account: &Account,
        charges: &[Trace],
        actor: Option<UserId>,
    ) -> Result<(Incident, Option<Decision>), DomainError> {
        let Some(Dispute::Open { id, .. }) = self.dispute else {
            return Err(DomainError::IllegalTransition {
                entity: "dispute",
                action: "decide",
                state: "not open",
            });
        };
        if reason.trim().is_empty() {
            return Err(DomainError::Invalid("a dispute decision needs a reason"));
        }
        let reason = reason.trim().to_owned();
        if !upheld {
            return Ok((
                Incident {
                    dispute: Some(Dispute::Rejected { id, reason }),
                    ..self.clone()
                },
                None,
            ));
        }
        let charge = self
            .charge
            .as_ref()
            .ok_or(DomainError::NotFound("charge"))?;
        let paid = Points::sum(charges.iter().map(|t| t.amount.neg()))?;
        let owed = account
            .outstanding
            .get(&self.id)
            .copied()
            .unwrap_or(Points::ZERO);
        if paid.checked_add(owed)? != charge.points {
            return Err(DomainError::Invalid(
                "the charges given are not this incident's charge",
            ));
        }
        let decision = account.refund_dispute(
            id,
            self.id,
            charges,
            format!("Dispute upheld: {reason}"),
            actor,
        )?;
        Ok((
            Incident {
                dispute: Some(Dispute::Upheld { id, reason }),
                ..self.clone()
            },
            Some(decision),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;
    use crate::ledger::Ledger;
    use crate::plan::{tests::plan, Overdraft};
    use crate::time::{Date, Period};

    const T: Timestamp = Timestamp::from_unix(1_795_737_600);

    fn work(minutes: u32) -> WorkEntry {
        WorkEntry {
            engineer: UserId::new(9),
            minutes,
            note: "checked the printer queue".into(),
            on: Date::ymd(2026, 11, 27).unwrap(),
        }
    }

    fn acct() -> Account {
        Account::new(
            OrgId::new(1),
            Overdraft::IncidentsOnly,
            Period::new(2026, 11).unwrap(),
        )
    }

    fn resolved_with(minutes: u32) -> Incident {
        Incident::new(TicketId::new(1))
            .start()
            .unwrap()
            .log_work(work(minutes))
            .unwrap()
            .resolve()
            .unwrap()
    }

    #[test]
    fn lifecycle_and_illegal_moves() {
        let i = Incident::new(TicketId::new(1));
        assert!(i.close().is_err());
        assert!(i.reopen().is_err());
        let i = i.start().unwrap();
        assert!(i.start().is_err());
        let i = i
            .resolve()
            .unwrap()
            .reopen()
            .unwrap()
            .resolve()
            .unwrap()
            .close()
            .unwrap();
        assert_eq!(i.status, IncidentStatus::Closed);
        assert!(i.resolve().is_err());
        assert!(i.log_work(work(5)).is_err());
    }

    #[test]
    fn standard_is_free_and_client_caused_is_charged_once() {
        let acct = acct();
        let i = resolved_with(50);
        let (std, d) = i
            .classify(Cause::Standard, &plan(), &acct, None, T)
            .unwrap();
        assert!(d.is_none() && std.charge.is_none());
        let (cc, d) = i
            .classify(Cause::ClientCaused, &plan(), &acct, None, T)
            .unwrap();
        assert_eq!(d.unwrap().entry().unwrap().amount.to_string(), "-1.00"); // 50 → 60 min
        assert!(cc
            .classify(Cause::Standard, &plan(), &acct, None, T)
            .is_err());
        assert!(
            cc.reopen().is_err(),
            "a classified incident is not reopened"
        );
    }

    #[test]
    fn the_preview_is_what_finding_it_client_caused_charges() {
        let i = resolved_with(47);
        let preview = i.client_caused_charge(&plan()).unwrap().unwrap();
        assert_eq!((preview.logged_minutes, preview.billed_minutes), (47, 60));
        let (cc, d) = i
            .classify(Cause::ClientCaused, &plan(), &acct(), None, T)
            .unwrap();
        assert_eq!(d.unwrap().entry().unwrap().amount.to_string(), "-1.00");
        assert_eq!(preview.points.to_string(), "1.00");
        assert!(cc.client_caused_charge(&plan()).unwrap().is_none());
    }

    #[test]
    fn cause_waits_for_resolution() {
        let acct = acct();
        let i = Incident::new(TicketId::new(1)).start().unwrap();
        assert!(i
            .classify(Cause::ClientCaused, &plan(), &acct, None, T)
            .is_err());
    }

    #[test]
    fn disputes_within_the_window_and_decisions() {
        let acct = acct();
        let (cc, charge) = resolved_with(30)
            .classify(Cause::ClientCaused, &plan(), &acct, None, T)
            .unwrap();
        let charge = charge.unwrap();
        let late = T.plus_days(15);
        assert_eq!(
            cc.open_dispute(DisputeId::new(1), "not us", late, 14),
            Err(DomainError::DisputeWindowClosed { closed_on_day: 14 })
        );
        assert!(cc.open_dispute(DisputeId::new(1), " ", T, 14).is_err());
        let d = cc
            .open_dispute(DisputeId::new(1), "not us", T.plus_days(14), 14)
            .unwrap();
        assert!(d.open_dispute(DisputeId::new(2), "again", T, 14).is_err());
        let (rejected, none) = d
            .decide_dispute(false, "logs show the user deleted it", &acct, &[], None)
            .unwrap();
        assert!(none.is_none());
        assert!(matches!(rejected.dispute, Some(Dispute::Rejected { .. })));
        assert!(
            d.decide_dispute(true, "our mistake", &acct, &[], None)
                .is_err(),
            "the refund must be given the charge it refunds"
        );
        let mut l = Ledger::new(acct.clone());
        l.commit(&charge, T).unwrap();
        let (_, refund) = d
            .decide_dispute(
                true,
                "our mistake",
                l.account(),
                &l.charges_of(TicketId::new(1)),
                None,
            )
            .unwrap();
        assert_eq!(refund.unwrap().entry().unwrap().amount.to_string(), "0.50");
        assert!(rejected
            .decide_dispute(true, "changed mind", &acct, &[], None)
            .is_err());
    }

    #[test]
    fn the_charge_names_the_work_lines_it_covers() {
        let i = resolved_with(20)
            .reopen()
            .unwrap()
            .log_work(work(27))
            .unwrap();
        let i = i.resolve().unwrap();
        let (cc, d) = i
            .classify(Cause::ClientCaused, &plan(), &acct(), None, T)
            .unwrap();
        let charge = cc.charge.unwrap();
        assert_eq!((charge.lines, charge.time.logged_minutes), (2, 47));
        assert_eq!(charge.points.to_string(), "1.00");
        assert!(d
            .unwrap()
            .entry()
            .unwrap()
            .reason
            .contains("2 work entries, 47 min"));
        assert!(i
            .log_work(WorkEntry {
                minutes: 0,
                ..work(1)
            })
            .is_err());
    }

    #[test]
    fn under_overdraft_never_the_cause_is_still_recorded() {
        let a = Account::new(
            OrgId::new(1),
            Overdraft::Never,
            Period::new(2026, 11).unwrap(),
        );
        let (cc, d) = resolved_with(60)
            .classify(Cause::ClientCaused, &plan(), &a, None, T)
            .unwrap();
        assert_eq!(cc.cause, Some(Cause::ClientCaused));
        let d = d.unwrap();
        assert!(d.entries.is_empty(), "nothing could be drawn");
        assert_eq!(
            d.changes.outstanding,
            vec![(TicketId::new(1), "1".parse().unwrap())]
        );
    }

    #[test]
    fn standard_incidents_cannot_be_disputed() {
        let acct = acct();
        let (s, _) = resolved_with(30)
            .classify(Cause::Standard, &plan(), &acct, None, T)
            .unwrap();
        assert!(s.open_dispute(DisputeId::new(1), "why", T, 14).is_err());
    }
}
