//! The wire's words for the enums a DTO carries: the domain's roles and ticket kinds (through
//! `#[serde(with = …)]`, so the domain stays free of serde) and a ticket's status. The JSON
//! keeps the word; the code on either side holds the enum.

use pointdesk_domain::policy::Role;
use pointdesk_domain::ticket::Kind;
use serde::de::Error;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `client_user`, `client_admin`, `engineer`, `manager`.
pub mod role {
    use super::*;

    pub fn serialize<S: Serializer>(r: &Role, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(r.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        let s = String::deserialize(d)?;
        [
            Role::ClientUser,
            Role::ClientAdmin,
            Role::Engineer,
            Role::Manager,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| D::Error::custom(format!("no role `{s}`")))
    }
}

/// `incident`, `service_request`.
pub mod kind {
    use super::*;

    pub fn serialize<S: Serializer>(k: &Kind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(k.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        let s = String::deserialize(d)?;
        Kind::parse(&s).map_err(|_| D::Error::custom(format!("no ticket kind `{s}`")))
    }
}

/// A ticket's status: an incident's (`new`, `in_progress`, `resolved`, `closed`) or a service
/// request's (`new`, `awaiting_approval`, `in_progress`, `completed`, `declined`, `cancelled`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    New,
    InProgress,
    AwaitingApproval,
    Resolved,
    Closed,
    Completed,
    Declined,
    Cancelled,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 8] = [
        TicketStatus::New,
        TicketStatus::InProgress,
        TicketStatus::AwaitingApproval,
        TicketStatus::Resolved,
        TicketStatus::Closed,
        TicketStatus::Completed,
        TicketStatus::Declined,
        TicketStatus::Cancelled,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TicketStatus::New => "new",
            TicketStatus::InProgress => "in_progress",
            TicketStatus::AwaitingApproval => "awaiting_approval",
            TicketStatus::Resolved => "resolved",
            TicketStatus::Closed => "closed",
            TicketStatus::Completed => "completed",
            TicketStatus::Declined => "declined",
            TicketStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TicketStatus> {
        TicketStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_a_declared_word_and_back() {
        for s in TicketStatus::ALL {
            assert!(crate::routes::TICKET_STATUSES.contains(&s.as_str()));
            assert_eq!(TicketStatus::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).expect("a word");
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(
            TicketStatus::ALL.len(),
            crate::routes::TICKET_STATUSES.len()
        );
    }

    #[test]
    fn roles_and_kinds_travel_as_their_words() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Both {
            #[serde(with = "role")]
            role: Role,
            #[serde(with = "kind")]
            kind: Kind,
        }
        let json = r#"{"role":"client_admin","kind":"service_request"}"#;
        let both: Both = serde_json::from_str(json).expect("words");
        assert_eq!(
            both,
            Both {
                role: Role::ClientAdmin,
                kind: Kind::ServiceRequest
            }
        );
        assert_eq!(serde_json::to_string(&both).expect("json"), json);
        assert!(serde_json::from_str::<Both>(r#"{"role":"admin","kind":"incident"}"#).is_err());
    }
}
