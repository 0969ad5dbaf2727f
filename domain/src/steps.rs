//! What a person may do next to a ticket: the policy (who may) and the ticket's flow (what is
//! possible now) together. The worker sends the steps with every ticket and the app draws its
//! buttons from them, so no screen re-derives a rule stated here.

use crate::incident::{Dispute, IncidentStatus};
use crate::policy::{Action, Role};
use crate::service_request::{Catalogue, RequestStatus};
use crate::ticket::Flow;
use crate::time::{Timestamp, SECONDS_PER_DAY};

/// One next step, each an operation of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Assign the ticket to oneself.
    Take,
    /// Status changes by hand (`changeTicketStatus`): start the work, resolve an incident,
    /// reopen it (before its cause is set) or close it.
    Start,
    Resolve,
    Reopen,
    Close,
    LogWork,
    Quote,
    ApproveQuote,
    DeclineQuote,
    Complete,
    Cancel,
    SetCause,
    Dispute,
    DecideDispute,
    /// Make an incident a request or back, a standard request quoted or back.
    Reclassify,
    /// The client says the resolved ticket is fixed (`confirmResolution`) or not
    /// (`reopenTicket`).
    Confirm,
    NotFixed,
    /// A manager records an approval the client admin gave elsewhere.
    RecordApproval,
}

/// Who looks at the ticket, and when.
pub struct Viewer<'a> {
    /// The policy's answer for this person and the ticket's organisation.
    pub may: &'a dyn Fn(Action) -> bool,
    pub role: Role,
    /// Is the ticket assigned to this person?
    pub is_assignee: bool,
    /// Did this person ask for it (the requester)?
    pub is_requester: bool,
    pub now: Timestamp,
    /// The provider's dispute window.
    pub dispute_window_days: u32,
}

impl Flow {
    /// Nothing more will happen: a closed incident, a completed, declined or cancelled request.
    pub fn is_final(&self) -> bool {
        match self {
            Flow::Incident(i) => i.status == IncidentStatus::Closed,
            Flow::Request(r) => r.status.is_final(),
        }
    }

    /// Has logged time gone beyond the approved quote (1 point = 60 minutes)?
    pub fn quote_exceeded(&self) -> bool {
        match self {
            Flow::Request(r) => r.quote_usage().ok().flatten().is_some_and(|u| u.exceeded),
            Flow::Incident(_) => false,
        }
    }

    /// What `viewer` may do next, in the order a screen offers it.
    pub fn steps(&self, viewer: &Viewer<'_>) -> Vec<Step> {
        let may = viewer.may;
        let mut out = Vec::new();
        if may(Action::WorkQueue) && !viewer.is_assignee && !self.is_final() {
            out.push(Step::Take);
        }
        if may(Action::Resolve) {
            out.extend(self.status_steps());
        }
        let own = viewer.is_requester || viewer.role == Role::ClientAdmin;
        if may(Action::ConfirmResolution) && own && self.awaits_confirmation() {
            out.push(Step::Confirm);
            if matches!(self, Flow::Incident(i) if i.reopen().is_ok()) {
                out.push(Step::NotFixed);
            }
        }
        match self {
            Flow::Incident(i) => {
                let settled = i.cause.is_some();
                let charged = i.cause == Some(crate::incident::Cause::ClientCaused);
                if may(Action::LogWork) && !self.is_final() && !charged {
                    out.push(Step::LogWork);
                }
                let resolved =
                    matches!(i.status, IncidentStatus::Resolved | IncidentStatus::Closed);
                if may(Action::Classify) && resolved && !settled {
                    out.push(Step::SetCause);
                }
                let window = i64::from(viewer.dispute_window_days) * SECONDS_PER_DAY;
                let in_window = i
                    .charge
                    .as_ref()
                    .is_some_and(|c| viewer.now.unix() < c.at.unix() + window);
                if may(Action::Dispute) && i.dispute.is_none() && in_window {
                    out.push(Step::Dispute);
                }
                if may(Action::DecideDispute) && matches!(i.dispute, Some(Dispute::Open { .. })) {
                    out.push(Step::DecideDispute);
                }
            }
            Flow::Request(r) => {
                if may(Action::LogWork) && !self.is_final() {
                    out.push(Step::LogWork);
                }
                if may(Action::Quote) && r.catalogue == Catalogue::Quoted && !self.is_final() {
                    out.push(Step::Quote);
                }
                if may(Action::ApproveQuote) && r.open_quote().is_some() {
                    out.extend([Step::ApproveQuote, Step::DeclineQuote]);
                }
                if may(Action::RecordApproval) && r.open_quote().is_some() {
                    out.push(Step::RecordApproval);
                }
                if may(Action::Resolve) && r.status == RequestStatus::InProgress {
                    out.push(Step::Complete);
                }
                // Staff cancel a request (charging the work done on it); so may the client admin
                // who no longer wants it, before any work was logged.
                let may_cancel = may(Action::Resolve)
                    || (viewer.role == Role::ClientAdmin
                        && may(Action::ApproveQuote)
                        && !r.has_work());
                if may_cancel && !self.is_final() {
                    out.push(Step::Cancel);
                }
            }
        }
        if may(Action::Classify) && self.reclassify_lock().is_none() {
            out.push(Step::Reclassify);
        }
        out
    }

    /// The status changes an engineer may make by hand now.
    fn status_steps(&self) -> Vec<Step> {
        let candidates: &[Step] = match self {
            Flow::Incident(i) => match i.status {
                IncidentStatus::New => &[Step::Start],
                IncidentStatus::InProgress => &[Step::Resolve],
                IncidentStatus::Resolved => &[Step::Reopen, Step::Close],
                IncidentStatus::Closed => &[],
            },
            Flow::Request(r) => match (r.status, r.catalogue) {
                (RequestStatus::New, Catalogue::Standard) => &[Step::Start],
                _ => &[],
            },
        };
        candidates
            .iter()
            .copied()
            .filter(|s| s.status().is_some_and(|to| self.change_status(to).is_ok()))
            .collect()
    }
}

impl Step {
    /// The status a status change moves the ticket to.
    pub const fn status(self) -> Option<&'static str> {
        match self {
            Step::Start | Step::Reopen => Some("in_progress"),
            Step::Resolve => Some("resolved"),
            Step::Close => Some("closed"),
            _ => None,
        }
    }

    pub const ALL: [Step; 18] = [
        Step::Take,
        Step::Start,
        Step::Resolve,
        Step::Reopen,
        Step::Close,
        Step::LogWork,
        Step::Quote,
        Step::ApproveQuote,
        Step::DeclineQuote,
        Step::Complete,
        Step::Cancel,
        Step::SetCause,
        Step::Dispute,
        Step::DecideDispute,
        Step::Reclassify,
        Step::Confirm,
        Step::NotFixed,
        Step::RecordApproval,
    ];

    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.as_str() == s)
    }

    /// The step's name, as the app's buttons say it (`data-action`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::Take => "take",
            Step::Start => "start",
            Step::Resolve => "resolve",
            Step::Reopen => "reopen",
            Step::Close => "close",
            Step::LogWork => "log_work",
            Step::Quote => "quote",
            Step::ApproveQuote => "approve",
            Step::DeclineQuote => "decline",
            Step::Complete => "complete",
            Step::Cancel => "cancel",
            Step::SetCause => "set_cause",
            Step::Dispute => "dispute",
            Step::DecideDispute => "decide",
            Step::Reclassify => "reclassify",
            Step::Confirm => "confirm",
            Step::NotFixed => "not_fixed",
            Step::RecordApproval => "record_approval",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{OrgId, ProviderId, TicketId, UserId};
    use crate::incident::Incident;
    use crate::policy::{authorize, Actor, Scope};
    use crate::service_request::ServiceRequest;

    const T: Timestamp = Timestamp::from_unix(1_795_737_600);

    fn as_role(role: Role, flow: &Flow, is_assignee: bool) -> Vec<Step> {
        let actor = Actor {
            user: UserId::new(1),
            role,
            provider: ProviderId::new(1),
            org: role.is_client().then(|| OrgId::new(9)),
        };
        let scope = Scope {
            provider: ProviderId::new(1),
            org: Some(OrgId::new(9)),
        };
        let may = |a: Action| authorize(&actor, a, scope).is_ok();
        flow.steps(&Viewer {
            may: &may,
            role,
            is_assignee,
            is_requester: role == Role::ClientUser,
            now: T,
            dispute_window_days: 14,
        })
    }

    #[test]
    fn an_incident_offers_the_engineer_its_next_status_and_the_client_nothing() {
        let new = Flow::Incident(Incident::new(TicketId::new(1)));
        assert_eq!(
            as_role(Role::Engineer, &new, false),
            vec![Step::Take, Step::Start, Step::LogWork, Step::Reclassify]
        );
        assert_eq!(
            as_role(Role::Engineer, &new, true),
            vec![Step::Start, Step::LogWork, Step::Reclassify]
        );
        assert!(as_role(Role::ClientAdmin, &new, false).is_empty());
        assert!(as_role(Role::ClientUser, &new, false).is_empty());
        let resolved = new
            .change_status("in_progress")
            .and_then(|f| f.change_status("resolved"))
            .unwrap();
        assert_eq!(
            as_role(Role::Engineer, &resolved, true),
            vec![Step::Reopen, Step::Close, Step::LogWork, Step::SetCause]
        );
        // The requester (here the client user) and the client admin confirm the fix or not.
        assert_eq!(
            as_role(Role::ClientUser, &resolved, false),
            vec![Step::Confirm, Step::NotFixed]
        );
        assert_eq!(
            as_role(Role::ClientAdmin, &resolved, false),
            vec![Step::Confirm, Step::NotFixed]
        );
        let closed = resolved.change_status("closed").unwrap();
        assert!(closed.is_final());
        assert_eq!(
            as_role(Role::Engineer, &closed, false),
            vec![Step::SetCause]
        );
    }

    #[test]
    fn a_quoted_request_is_quoted_by_staff_and_cancelled_by_staff_or_its_admin() {
        let r = Flow::Request(ServiceRequest::new(TicketId::new(2), Catalogue::Quoted));
        assert_eq!(
            as_role(Role::Manager, &r, true),
            vec![Step::LogWork, Step::Quote, Step::Cancel, Step::Reclassify]
        );
        assert_eq!(as_role(Role::ClientAdmin, &r, false), vec![Step::Cancel]);
        assert!(as_role(Role::ClientUser, &r, false).is_empty());
        let standard = Flow::Request(ServiceRequest::new(TicketId::new(3), Catalogue::Standard));
        assert_eq!(
            as_role(Role::Engineer, &standard, true),
            vec![Step::Start, Step::LogWork, Step::Cancel, Step::Reclassify]
        );
        assert!(!standard.is_final() && !standard.quote_exceeded());
        for step in Step::ALL {
            assert_eq!(Step::parse(step.as_str()), Some(step));
        }
    }
}
