//! Who may do what: one function decides for every role, action and tenant.

use crate::ids::{OrgId, ProviderId, UserId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    ClientUser,
    ClientAdmin,
    Engineer,
    Manager,
}

impl Role {
    pub const fn is_client(self) -> bool {
        matches!(self, Role::ClientUser | Role::ClientAdmin)
    }
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::ClientUser => "client_user",
            Role::ClientAdmin => "client_admin",
            Role::Engineer => "engineer",
            Role::Manager => "manager",
        }
    }
}

/// Who is asking: provider staff have no organisation; client people belong to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub role: Role,
    pub provider: ProviderId,
    pub org: Option<OrgId>,
}

/// The tenant a resource lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    pub provider: ProviderId,
    /// `None` for provider-wide resources (plans, point packs, reports, the audit log).
    pub org: Option<OrgId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ViewTickets,
    OpenTicket,
    Comment,
    CommentInternal,
    ViewInternalComments,
    ViewBalance,
    ViewLedger,
    ApproveQuote,
    BuyPoints,
    ManageOrgUsers,
    ManageThreshold,
    Dispute,
    WorkQueue,
    LogWork,
    Quote,
    Resolve,
    Classify,
    ManageClients,
    ManagePlans,
    Adjust,
    DecideDispute,
    ViewReports,
    ViewAudit,
    /// Say a resolved ticket is fixed, or that it is not (the requester or a client admin).
    ConfirmResolution,
    /// Record an approval a client admin gave by phone, mail or in person.
    RecordApproval,
    /// Read one's own plan in plain words.
    ViewPlanTerms,
    /// Ask for an invoice (or cancel one) and keep the organisation's requisites.
    RequestInvoice,
    /// The provider's requisites, bank statements, payments by hand and the accounting export.
    ManageBilling,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("this belongs to another tenant")]
    OtherTenant,
    #[error("your role may not do this")]
    Role,
}

/// The whole policy. Tenancy first: nobody crosses providers; client people stay inside their
/// organisation and never touch provider-wide resources. Then the role table of SPEC.md.
pub fn authorize(actor: &Actor, action: Action, scope: Scope) -> Result<(), Denied> {
    if actor.provider != scope.provider {
        return Err(Denied::OtherTenant);
    }
    if actor.role.is_client() {
        match (actor.org, scope.org) {
            (Some(mine), Some(theirs)) if mine == theirs => {}
            _ => return Err(Denied::OtherTenant),
        }
    }
    use Action::*;
    let allowed = match actor.role {
        Role::ClientUser => matches!(
            action,
            ViewTickets | OpenTicket | Comment | ViewBalance | ConfirmResolution | ViewPlanTerms
        ),
        Role::ClientAdmin => matches!(
            action,
            ViewTickets
                | OpenTicket
                | Comment
                | ViewBalance
                | ViewLedger
                | ApproveQuote
                | BuyPoints
                | ManageOrgUsers
                | ManageThreshold
                | Dispute
                | ConfirmResolution
                | ViewPlanTerms
                | RequestInvoice
        ),
        // Engineers also open tickets on a client's behalf (a phone call, a walk-in).
        Role::Engineer => matches!(
            action,
            ViewTickets
                | OpenTicket
                | Comment
                | CommentInternal
                | ViewInternalComments
                | ViewBalance
                | ViewLedger
                | WorkQueue
                | LogWork
                | Quote
                | Resolve
                | Classify
        ),
        // Approving a quote, buying points, disputing a charge and confirming a fix are the
        // client's own decisions (a manager records an approval given elsewhere instead); the
        // plan in plain words is the client's view of it.
        Role::Manager => !matches!(
            action,
            ApproveQuote | BuyPoints | Dispute | ConfirmResolution | ViewPlanTerms
        ),
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Role)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Internal,
}

/// Internal comments are never shown to client roles.
pub fn can_see(role: Role, visibility: Visibility) -> bool {
    visibility == Visibility::Public || !role.is_client()
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ProviderId = ProviderId::new(1);
    const ACME: OrgId = OrgId::new(10);
    const GLOBEX: OrgId = OrgId::new(11);

    fn actor(role: Role, org: Option<OrgId>) -> Actor {
        Actor {
            user: UserId::new(1),
            role,
            provider: P,
            org,
        }
    }
    fn at(org: Option<OrgId>) -> Scope {
        Scope { provider: P, org }
    }

    #[test]
    fn role_table() {
        use Action::*;
        // (role, action, allowed) inside the actor's own tenant
        let cases = [
            (Role::ClientUser, OpenTicket, true),
            (Role::ClientUser, ViewBalance, true),
            (Role::ClientUser, ApproveQuote, false),
            (Role::ClientUser, ViewLedger, false),
            (Role::ClientUser, ViewInternalComments, false),
            (Role::ClientAdmin, ApproveQuote, true),
            (Role::ClientAdmin, BuyPoints, true),
            (Role::ClientAdmin, Dispute, true),
            (Role::ClientAdmin, CommentInternal, false),
            (Role::ClientAdmin, Adjust, false),
            (Role::Engineer, Classify, true),
            (Role::Engineer, OpenTicket, true),
            (Role::Engineer, ManageThreshold, false),
            (Role::Engineer, Quote, true),
            (Role::Engineer, Adjust, false),
            (Role::Engineer, DecideDispute, false),
            (Role::Engineer, ApproveQuote, false),
            (Role::Manager, Adjust, true),
            (Role::Manager, DecideDispute, true),
            (Role::Manager, ViewAudit, true),
            (Role::Manager, ApproveQuote, false),
            (Role::Manager, BuyPoints, false),
            (Role::Manager, Dispute, false),
            (Role::Manager, ManageOrgUsers, true),
            (Role::ClientUser, ConfirmResolution, true),
            (Role::ClientUser, ViewPlanTerms, true),
            (Role::ClientAdmin, ConfirmResolution, true),
            (Role::Engineer, ConfirmResolution, false),
            (Role::Engineer, RecordApproval, false),
            (Role::Engineer, ViewPlanTerms, false),
            (Role::ClientAdmin, RequestInvoice, true),
            (Role::ClientUser, RequestInvoice, false),
            (Role::Engineer, RequestInvoice, false),
            (Role::Manager, RequestInvoice, true),
            (Role::ClientAdmin, ManageBilling, false),
            (Role::Engineer, ManageBilling, false),
            (Role::Manager, ManageBilling, true),
            (Role::Manager, RecordApproval, true),
            (Role::Manager, ConfirmResolution, false),
            (Role::ClientAdmin, RecordApproval, false),
        ];
        for (role, action, allowed) in cases {
            let org = if role.is_client() { Some(ACME) } else { None };
            assert_eq!(
                authorize(&actor(role, org), action, at(Some(ACME))).is_ok(),
                allowed,
                "{role:?} {action:?}"
            );
        }
    }

    #[test]
    fn tenancy_is_checked_before_roles() {
        let admin = actor(Role::ClientAdmin, Some(ACME));
        assert_eq!(
            authorize(&admin, Action::ViewTickets, at(Some(GLOBEX))),
            Err(Denied::OtherTenant)
        );
        assert_eq!(
            authorize(&admin, Action::ViewTickets, at(None)),
            Err(Denied::OtherTenant)
        );
        let engineer = actor(Role::Engineer, None);
        assert!(authorize(&engineer, Action::WorkQueue, at(Some(GLOBEX))).is_ok());
        let other_provider = Scope {
            provider: ProviderId::new(2),
            org: Some(ACME),
        };
        assert_eq!(
            authorize(
                &actor(Role::Manager, None),
                Action::ViewReports,
                other_provider
            ),
            Err(Denied::OtherTenant)
        );
        let orphan = actor(Role::ClientUser, None);
        assert_eq!(
            authorize(&orphan, Action::ViewTickets, at(Some(ACME))),
            Err(Denied::OtherTenant)
        );
    }

    #[test]
    fn internal_comments_stay_internal() {
        assert!(!can_see(Role::ClientUser, Visibility::Internal));
        assert!(!can_see(Role::ClientAdmin, Visibility::Internal));
        assert!(can_see(Role::Engineer, Visibility::Internal));
        assert!(can_see(Role::ClientUser, Visibility::Public));
    }
}
