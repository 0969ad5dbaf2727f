//! Incidents: fixed first, classified after. `new → in_progress → resolved → closed`; at or after
//! resolution the cause is set once; a client-caused incident is charged for its logged time,
//! which a client admin may dispute within the window and a manager then decides.

use crate::charging::{charge_for_minutes, TimeCharge};
use crate::error::DomainError;
use crate::ids::{DisputeId, TicketId, UserId};
use crate::ledger::{Account, Decision};
use crate::plan::Plan;
use crate::points::Points;
use crate::time::{Timestamp, SECONDS_PER_DAY};

pub const DEFAULT_DISPUTE_WINDOW_DAYS: u32 = 14;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncidentStatus {
    New,
    InProgress,
    Resolved,
    Closed,
}

impl IncidentStatus {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IncidentCharge {
    pub points: Points,
    pub at: Timestamp,
    pub time: TimeCharge,
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
    pub logged_minutes: u32,
    pub cause: Option<Cause>,
    pub charge: Option<IncidentCharge>,
    pub dispute: Option<Dispute>,
}

impl Incident {
    pub fn new(id: TicketId) -> Incident {
        Incident {
            id,
            status: IncidentStatus::New,
            logged_minutes: 0,
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

    /// Work time is logged until the cause is decided (after that the charge is fixed).
    pub fn log_work(&self, minutes: u32) -> Result<Incident, DomainError> {
        if minutes == 0 || minutes > 24 * 60 {
            return Err(DomainError::Invalid("a work entry is 1 minute to 24 hours"));
        }
        if self.status == IncidentStatus::Closed || self.cause.is_some() {
            return Err(self.illegal("log work on"));
        }
        let logged_minutes = self
            .logged_minutes
            .checked_add(minutes)
            .ok_or(DomainError::Amount)?;
        Ok(Incident {
            logged_minutes,
            ..self.clone()
        })
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

    /// The fix did not hold: back to work, as long as the cause is not decided yet.
    pub fn reopen(&self) -> Result<Incident, DomainError> {
        match (self.status, self.cause) {
            (IncidentStatus::Resolved, None) => Ok(Incident {
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
        let time = charge_for_minutes(self.logged_minutes, plan)?;
        if time.points == Points::ZERO {
            return Ok((next, None));
        }
        let reason = format!(
            "Client-caused incident #{}: {} min logged, {} min billed",
            self.id, time.logged_minutes, time.billed_minutes
        );
        let decision = account.charge_incident(self.id, time.points, reason, actor)?;
        next.charge = Some(IncidentCharge {
            points: time.points,
            at,
            time,
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
        let charge = self.charge.ok_or(DomainError::IllegalTransition {
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

    /// A manager decides an open dispute. Upheld refunds the whole charge; the reason is shown
    /// to the client either way.
    pub fn decide_dispute(
        &self,
        upheld: bool,
        reason: &str,
        account: &Account,
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
        let charge = self.charge.ok_or(DomainError::NotFound("charge"))?;
        let decision = account.refund_dispute(
            id,
            charge.points,
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
    use crate::plan::{tests::plan, Overdraft};

    const T: Timestamp = Timestamp::from_unix(1_795_737_600);

    fn resolved_with(minutes: u32) -> Incident {
        Incident::new(TicketId::new(1))
            .start()
            .unwrap()
            .log_work(minutes)
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
        assert!(i.log_work(5).is_err());
    }

    #[test]
    fn standard_is_free_and_client_caused_is_charged_once() {
        let acct = Account::new(OrgId::new(1), Overdraft::IncidentsOnly);
        let i = resolved_with(50);
        let (std, d) = i
            .classify(Cause::Standard, &plan(), &acct, None, T)
            .unwrap();
        assert!(d.is_none() && std.charge.is_none());
        let (cc, d) = i
            .classify(Cause::ClientCaused, &plan(), &acct, None, T)
            .unwrap();
        assert_eq!(d.unwrap().entry.unwrap().amount.to_string(), "-1.00"); // 50 → 60 min
        assert!(cc
            .classify(Cause::Standard, &plan(), &acct, None, T)
            .is_err());
        assert!(
            cc.reopen().is_err(),
            "a classified incident is not reopened"
        );
    }

    #[test]
    fn cause_waits_for_resolution() {
        let acct = Account::new(OrgId::new(1), Overdraft::IncidentsOnly);
        let i = Incident::new(TicketId::new(1)).start().unwrap();
        assert!(i
            .classify(Cause::ClientCaused, &plan(), &acct, None, T)
            .is_err());
    }

    #[test]
    fn disputes_within_the_window_and_decisions() {
        let acct = Account::new(OrgId::new(1), Overdraft::IncidentsOnly);
        let (cc, _) = resolved_with(30)
            .classify(Cause::ClientCaused, &plan(), &acct, None, T)
            .unwrap();
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
            .decide_dispute(false, "logs show the user deleted it", &acct, None)
            .unwrap();
        assert!(none.is_none());
        assert!(matches!(rejected.dispute, Some(Dispute::Rejected { .. })));
        let (_, refund) = d.decide_dispute(true, "our mistake", &acct, None).unwrap();
        assert_eq!(refund.unwrap().entry.unwrap().amount.to_string(), "0.50");
        assert!(rejected
            .decide_dispute(true, "changed mind", &acct, None)
            .is_err());
    }

    #[test]
    fn standard_incidents_cannot_be_disputed() {
        let acct = Account::new(OrgId::new(1), Overdraft::IncidentsOnly);
        let (s, _) = resolved_with(30)
            .classify(Cause::Standard, &plan(), &acct, None, T)
            .unwrap();
        assert!(s.open_dispute(DisputeId::new(1), "why", T, 14).is_err());
    }
}
