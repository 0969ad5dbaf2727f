//! What incidents and service requests share: kind, priority, texts, the status changes an
//! engineer makes by hand, and the queues they are sorted into. The money-moving steps (cause,
//! approval, completion, cancellation, disputes) stay in [`crate::incident`] and
//! [`crate::service_request`].

use crate::account::Reject;
use crate::error::DomainError;
use crate::incident::{Incident, IncidentStatus};
use crate::service_request::{Catalogue, Quote, QuoteStatus, RequestStatus, ServiceRequest};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Incident,
    ServiceRequest,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::ServiceRequest => "service_request",
        }
    }
    pub fn parse(s: &str) -> Result<Kind, Reject> {
        match s {
            "incident" => Ok(Kind::Incident),
            "service_request" => Ok(Kind::ServiceRequest),
            "" => Err(Reject::Required),
            _ => Err(Reject::Malformed),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Urgent,
        Priority::High,
        Priority::Normal,
        Priority::Low,
    ];
    pub const fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
    pub fn parse(s: &str) -> Result<Priority, Reject> {
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or(if s.is_empty() {
                Reject::Required
            } else {
                Reject::Malformed
            })
    }
}

/// Trimmed text of `min..=max` characters without control characters (new lines allowed when
/// `multiline`); required text must have something visible in it (not only formatting
/// characters such as U+200B).
pub fn text(raw: &str, min: usize, max: usize, multiline: bool) -> Result<String, Reject> {
    let s = raw.trim();
    let n = s.chars().count();
    if min > 0 && !crate::text::has_visible(s) {
        return Err(Reject::Required);
    }
    if n < min {
        return Err(Reject::TooShort { min });
    }
    if n > max {
        return Err(Reject::TooLong { max });
    }
    if s.chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
    {
        return Err(Reject::Malformed);
    }
    Ok(s.to_owned())
}

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const COMMENT_MAX: usize = 10_000;
pub const NOTE_MAX: usize = 2_000;

/// A ticket's own flow: an incident or a service request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flow {
    Incident(Incident),
    Request(ServiceRequest),
}

impl Flow {
    pub fn status(&self) -> &'static str {
        match self {
            Flow::Incident(i) => i.status.as_str(),
            Flow::Request(r) => r.status.as_str(),
        }
    }

    /// Is the ticket waiting for the client (a quote to approve)?
    pub fn awaits_client(&self) -> bool {
        matches!(self, Flow::Request(r) if r.open_quote().is_some())
    }

    /// Is the ticket finished (nothing more for an engineer to do)?
    pub fn is_done(&self) -> bool {
        match self {
            Flow::Incident(i) => {
                matches!(i.status, IncidentStatus::Resolved | IncidentStatus::Closed)
            }
            Flow::Request(r) => r.status.is_final(),
        }
    }

    /// The status changes an engineer makes by hand (the money-moving ones have operations of
    /// their own): an incident is started, resolved, reopened or closed; a standard service
    /// request is started.
    pub fn change_status(&self, to: &str) -> Result<Flow, DomainError> {
        match self {
            Flow::Incident(i) => Ok(Flow::Incident(match (i.status, to) {
                (IncidentStatus::New, "in_progress") => i.start()?,
                (IncidentStatus::Resolved, "in_progress") => i.reopen()?,
                (_, "resolved") => i.resolve()?,
                (_, "closed") => i.close()?,
                (_, "new" | "in_progress") => {
                    return Err(DomainError::IllegalTransition {
                        entity: "incident",
                        action: "move back",
                        state: i.status.as_str(),
                    })
                }
                _ => return Err(DomainError::Invalid("not a status an incident can take")),
            })),
            Flow::Request(r) => match to {
                "in_progress" => Ok(Flow::Request(r.start()?)),
                "completed" | "cancelled" | "declined" | "awaiting_approval" | "new" => {
                    Err(DomainError::IllegalTransition {
                        entity: "service request",
                        action: "set this status by hand on",
                        state: r.status.as_str(),
                    })
                }
                _ => Err(DomainError::Invalid(
                    "not a status a service request can take",
                )),
            },
        }
    }
}

/// What a ticket is: an incident, or a service request that is included (`standard`) or
/// quoted first (`quoted`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Incident,
    Standard,
    Quoted,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Incident, Class::Standard, Class::Quoted];
    pub const fn as_str(self) -> &'static str {
        match self {
            Class::Incident => "incident",
            Class::Standard => "standard",
            Class::Quoted => "quoted",
        }
    }
    pub fn parse(s: &str) -> Result<Class, Reject> {
        Class::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(if s.is_empty() {
                Reject::Required
            } else {
                Reject::Malformed
            })
    }
}

impl Flow {
    pub fn class(&self) -> Class {
        match self {
            Flow::Incident(_) => Class::Incident,
            Flow::Request(r) => match r.catalogue {
                Catalogue::Standard => Class::Standard,
                Catalogue::Quoted => Class::Quoted,
            },
        }
    }

    /// Why the ticket cannot be reclassified now, if it cannot: points are held for it, were
    /// charged for it or are disputed; its cause is decided; it is resolved or finished.
    pub fn reclassify_lock(&self) -> Option<&'static str> {
        match self {
            Flow::Incident(i) if i.dispute.is_some() => Some("disputed"),
            Flow::Incident(i) if i.charge.is_some() => Some("charged"),
            Flow::Incident(i) if i.cause.is_some() => Some("classified"),
            Flow::Incident(i) if i.status == IncidentStatus::New => None,
            Flow::Incident(i) if i.status == IncidentStatus::InProgress => None,
            Flow::Incident(_) => Some("finished"),
            Flow::Request(r) if r.quotes.iter().any(|q| q.status == QuoteStatus::Charged) => {
                Some("charged")
            }
            Flow::Request(r) if r.approved_quote().is_some() => Some("points_held"),
            Flow::Request(r) if r.status.is_final() => Some("finished"),
            Flow::Request(_) => None,
        }
    }

    /// The ticket was opened as the wrong thing: it becomes `to`, keeping its logged work. A
    /// quote awaiting approval is withdrawn; a ticket that becomes `quoted` waits for a quote,
    /// one that becomes an incident or `standard` keeps going if work had started.
    pub fn reclassify(&self, to: Class) -> Result<Flow, DomainError> {
        if let Some(why) = self.reclassify_lock() {
            return Err(DomainError::Locked(why));
        }
        if self.class() == to {
            return Err(DomainError::Field {
                field: "to",
                code: "unchanged",
            });
        }
        let (id, work, started) = match self {
            Flow::Incident(i) => (i.id, i.work.clone(), i.status == IncidentStatus::InProgress),
            Flow::Request(r) => (r.id, r.work.clone(), r.status == RequestStatus::InProgress),
        };
        let quotes = match self {
            Flow::Request(r) => r
                .quotes
                .iter()
                .map(|q| Quote {
                    status: match q.status {
                        QuoteStatus::AwaitingApproval => QuoteStatus::Superseded,
                        other => other,
                    },
                    ..q.clone()
                })
                .collect(),
            Flow::Incident(_) => Vec::new(),
        };
        Ok(match to {
            Class::Incident => Flow::Incident(Incident {
                status: if started {
                    IncidentStatus::InProgress
                } else {
                    IncidentStatus::New
                },
                work,
                ..Incident::new(id)
            }),
            Class::Standard | Class::Quoted => {
                let catalogue = if to == Class::Quoted {
                    Catalogue::Quoted
                } else {
                    Catalogue::Standard
                };
                Flow::Request(ServiceRequest {
                    status: if started && to == Class::Standard {
                        RequestStatus::InProgress
                    } else {
                        RequestStatus::New
                    },
                    quotes,
                    work,
                    ..ServiceRequest::new(id, catalogue)
                })
            }
        })
    }

    /// The client confirms the fix: a resolved incident closes.
    pub fn confirm(&self) -> Result<Flow, DomainError> {
        match self {
            Flow::Incident(i) if i.status == IncidentStatus::Resolved => {
                Ok(Flow::Incident(i.close()?))
            }
            _ => Err(DomainError::IllegalTransition {
                entity: "ticket",
                action: "confirm the resolution of",
                state: self.status(),
            }),
        }
    }

    /// Is the ticket resolved and waiting for its client to confirm the fix?
    pub fn awaits_confirmation(&self) -> bool {
        matches!(self, Flow::Incident(i) if i.status == IncidentStatus::Resolved)
    }
}

/// Statuses a request may have, for filters.
pub fn is_status(kind: Kind, s: &str) -> bool {
    match kind {
        Kind::Incident => IncidentStatus::parse(s).is_some(),
        Kind::ServiceRequest => RequestStatus::parse(s).is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TicketId;
    use crate::service_request::Catalogue;
    use crate::worklog::WorkEntry;

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(text("  Printer  ", 1, 10, false), Ok("Printer".into()));
        assert_eq!(text("   ", 1, 10, false), Err(Reject::Required));
        assert_eq!(
            text("abcdefghijk", 1, 10, false),
            Err(Reject::TooLong { max: 10 })
        );
        assert_eq!(text("a\u{7}b", 1, 10, true), Err(Reject::Malformed));
        assert_eq!(text("a\nb", 1, 10, false), Err(Reject::Malformed));
        assert_eq!(text("a\nb", 1, 10, true), Ok("a\nb".into()));
        assert_eq!(text("", 0, 10, true), Ok(String::new()));
    }

    #[test]
    fn kinds_and_priorities_parse() {
        assert_eq!(Kind::parse("incident"), Ok(Kind::Incident));
        assert_eq!(Kind::parse("bug"), Err(Reject::Malformed));
        assert_eq!(Priority::parse("urgent"), Ok(Priority::Urgent));
        assert_eq!(Priority::parse(""), Err(Reject::Required));
        assert!(Priority::Urgent > Priority::Low);
    }

    #[test]
    fn incidents_move_forward_and_reopen_only_before_the_cause() {
        let i = Flow::Incident(Incident::new(TicketId::new(1)));
        let started = i.change_status("in_progress").unwrap();
        assert_eq!(started.status(), "in_progress");
        let resolved = started.change_status("resolved").unwrap();
        assert!(resolved.is_done());
        assert_eq!(
            resolved.change_status("in_progress").unwrap().status(),
            "in_progress"
        );
        assert!(matches!(
            resolved.change_status("new"),
            Err(DomainError::IllegalTransition { .. })
        ));
        assert!(matches!(
            resolved.change_status("flying"),
            Err(DomainError::Invalid(_))
        ));
        let closed = resolved.change_status("closed").unwrap();
        assert!(closed.change_status("resolved").is_err());
    }

    #[test]
    fn only_standard_requests_start_by_hand() {
        let standard = Flow::Request(ServiceRequest::new(TicketId::new(2), Catalogue::Standard));
        assert_eq!(
            standard.change_status("in_progress").unwrap().status(),
            "in_progress"
        );
        let quoted = Flow::Request(ServiceRequest::new(TicketId::new(3), Catalogue::Quoted));
        assert!(quoted.change_status("in_progress").is_err());
        assert!(quoted.change_status("completed").is_err());
        assert!(is_status(Kind::ServiceRequest, "awaiting_approval"));
        assert!(!is_status(Kind::Incident, "awaiting_approval"));
    }

    #[test]
    fn reclassifying_keeps_the_work_and_refuses_once_points_moved() {
        use crate::ids::{OrgId, QuoteId, UserId};
        use crate::ledger::{Account, Ledger};
        use crate::plan::Overdraft;
        use crate::time::{Period, Timestamp};
        let t = Timestamp::from_unix(1_795_737_600);
        let work = WorkEntry {
            engineer: UserId::new(2),
            minutes: 20,
            note: String::new(),
            on: t.date(0),
        };
        let incident = Flow::Incident(Incident::new(TicketId::new(1)).start().unwrap())
            .log_work_for_test(work);
        // An incident that is really a request for something new: quoted, waiting for a quote.
        let quoted = incident.reclassify(Class::Quoted).unwrap();
        assert_eq!((quoted.class(), quoted.status()), (Class::Quoted, "new"));
        assert!(matches!(&quoted, Flow::Request(r) if r.work.len() == 1));
        // A standard request keeps going when work had started.
        let standard = incident.reclassify(Class::Standard).unwrap();
        assert_eq!(standard.status(), "in_progress");
        assert_eq!(
            incident.reclassify(Class::Incident),
            Err(DomainError::Field {
                field: "to",
                code: "unchanged"
            })
        );
        // An open quote is withdrawn; an approved one holds points and locks the class.
        let Flow::Request(r) = quoted else {
            unreachable!()
        };
        let asked = r
            .quote(
                QuoteId::new(1),
                "2".parse().unwrap(),
                "x",
                t,
                t.plus_days(7),
            )
            .unwrap();
        let back = Flow::Request(asked.clone())
            .reclassify(Class::Incident)
            .unwrap();
        assert_eq!(back.status(), "new");
        let nov = Period::new(2026, 11).unwrap();
        let mut l = Ledger::new(Account::new(OrgId::new(1), Overdraft::Always, nov));
        l.commit(&l.account().grant(nov, "5".parse().unwrap()).unwrap(), t)
            .unwrap();
        let (approved, _) = asked.approve(QuoteId::new(1), l.account(), t).unwrap();
        assert_eq!(
            Flow::Request(approved).reclassify(Class::Incident),
            Err(DomainError::Locked("points_held"))
        );
        let closed = Flow::Incident(Incident::new(TicketId::new(3)).resolve().unwrap());
        assert_eq!(closed.reclassify_lock(), Some("finished"));
        assert!(closed.awaits_confirmation());
        assert_eq!(closed.confirm().unwrap().status(), "closed");
    }

    impl Flow {
        fn log_work_for_test(&self, w: WorkEntry) -> Flow {
            match self {
                Flow::Incident(i) => Flow::Incident(i.log_work(w).unwrap()),
                Flow::Request(r) => Flow::Request(r.log_work(w).unwrap()),
            }
        }
    }
}
