//! The desk's daily flow on the wire: what waits for whom (`getDesk`), setting a ticket right
//! (`reclassifyTicket`), the client's word on a fix (`confirmResolution`, `reopenTicket`),
//! approvals given elsewhere (`recordApproval`, `disputeRecordedApproval`), a client's plan in
//! plain words (`getPlanTerms`) and the provider's desk settings.

use pointdesk_domain::account::Reject;
use pointdesk_domain::ticket::{self, Class};
use serde::{Deserialize, Serialize};

use crate::accounts::{Fields, OrgRefDto};
use crate::ledger::AllotmentDto;
use crate::problem::FieldError;
use crate::WirePoints;

/// How many tickets a queue holds now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueCountDto {
    /// One of `listTickets`' queues.
    pub queue: String,
    pub count: u32,
}

/// Something a client admin (or the requester) must decide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionDto {
    /// `quote` (approve or decline), `charge` (open to dispute), `approval` (an approval
    /// recorded in your name, open to dispute) or `confirmation` (is the fix good?).
    pub kind: String,
    pub ticket_id: i64,
    pub ticket_number: i64,
    pub title: String,
    pub points: Option<WirePoints>,
    /// What a quote includes.
    pub scope: Option<String>,
    /// Until when it can be decided: the quote's expiry, the dispute window's end, the day
    /// the ticket closes by itself.
    pub until: Option<i64>,
}

/// What waits for the person signed in: queue counts for staff, decisions for client people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskDto {
    pub queues: Vec<QueueCountDto>,
    pub decisions: Vec<DecisionDto>,
}

/// `reclassifyTicket`: what the ticket really is, and why (the client reads it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReclassifyRequest {
    /// `incident`, `standard` (an included service request) or `quoted` (quoted first).
    pub to: String,
    pub reason: String,
}

pub struct NewClass {
    pub to: Class,
    pub reason: String,
}

impl TryFrom<ReclassifyRequest> for NewClass {
    type Error = Vec<FieldError>;
    fn try_from(r: ReclassifyRequest) -> Result<Self, Vec<FieldError>> {
        let mut f = Fields::default();
        let to = f.take("to", Class::parse(&r.to));
        let reason = f.take("reason", ticket::text(&r.reason, 1, ticket::NOTE_MAX, true));
        f.finish(|| {
            Some(NewClass {
                to: to?,
                reason: reason?,
            })
        })
    }
}

/// `reopenTicket`: what is still wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReopenRequest {
    pub reason: String,
}

/// How a client admin gave an approval a manager records.
pub const APPROVAL_CHANNELS: &[&str] = &["phone", "email", "in_person"];

/// `recordApproval`: who approved, when and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordApprovalRequest {
    /// A client admin of the ticket's organisation.
    pub approver_id: i64,
    /// When they approved (Unix seconds; not in the future).
    pub approved_at: i64,
    /// `phone`, `email` or `in_person`.
    pub channel: String,
    #[serde(default)]
    pub note: String,
}

pub struct NewRecordedApproval {
    pub approver_id: i64,
    pub approved_at: i64,
    pub channel: &'static str,
    pub note: String,
}

impl RecordApprovalRequest {
    /// Checks every field; `now` bounds `approved_at`.
    pub fn check(&self, now: i64) -> Result<NewRecordedApproval, Vec<FieldError>> {
        let mut f = Fields::default();
        let channel = APPROVAL_CHANNELS
            .iter()
            .find(|c| **c == self.channel)
            .copied();
        if channel.is_none() {
            f.refuse(
                "channel",
                if self.channel.is_empty() {
                    Reject::Required
                } else {
                    Reject::Malformed
                },
            );
        }
        // A minute of clock skew is allowed; a year back is the limit of a plausible record.
        if self.approved_at > now + 60 || self.approved_at < now - 366 * 86_400 {
            f.push(FieldError::new("approved_at", "out_of_range"));
        }
        let note = f.take("note", ticket::text(&self.note, 0, ticket::NOTE_MAX, true));
        f.finish(|| {
            Some(NewRecordedApproval {
                approver_id: self.approver_id,
                approved_at: self.approved_at,
                channel: channel?,
                note: note?,
            })
        })
    }
}

/// A client's plan in figures the app words in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanTermsDto {
    pub organization: OrgRefDto,
    pub plan: String,
    /// Every period's allotment with its breakdown (base, seats, options).
    pub allotment: AllotmentDto,
    pub increment_minutes: u32,
    pub minimum_charge: WirePoints,
    /// `none`, `full` or `capped` (at `rollover_cap`).
    pub rollover: String,
    pub rollover_cap: Option<WirePoints>,
    /// `never`, `incidents_only` or `always`.
    pub overdraft: String,
    pub dispute_window_days: u32,
    /// How long a quote usually stays open for approval.
    pub quote_validity_days: u32,
    /// Resolved incidents nobody confirms close after this many days.
    pub auto_close_days: u32,
    /// Catalogue items included in the plan, and those quoted first.
    pub standard_items: Vec<String>,
    pub quoted_items: Vec<String>,
    pub threshold: WirePoints,
    /// The client set their own threshold (otherwise a fifth of the allotment).
    pub threshold_custom: bool,
}

/// The provider's desk settings (managers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskSettingsDto {
    /// Days after which a resolved incident nobody confirmed closes by itself (1–60).
    pub auto_close_days: u32,
    /// Days after a charge during which the client admin may dispute it (1–365).
    pub dispute_window_days: u32,
}

impl DeskSettingsDto {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut f = Fields::default();
        for (field, value, max) in [
            ("auto_close_days", self.auto_close_days, 60),
            ("dispute_window_days", self.dispute_window_days, 365),
        ] {
            if !(1..=max).contains(&value) {
                f.push(FieldError {
                    field: field.into(),
                    code: "out_of_range".into(),
                    limit: Some(u64::from(max)),
                });
            }
        }
        f.finish(|| Some(()))
    }
}

/// The usual validity of a quote, in days (the quote form's default).
pub const QUOTE_VALIDITY_DAYS: u32 = 14;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reclassification_needs_a_class_and_a_reason() {
        let e = NewClass::try_from(ReclassifyRequest {
            to: "bug".into(),
            reason: " ".into(),
        })
        .err()
        .unwrap();
        let codes: Vec<_> = e
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(codes, [("to", "malformed"), ("reason", "required")]);
        let ok = NewClass::try_from(ReclassifyRequest {
            to: "quoted".into(),
            reason: "A new laptop is a request".into(),
        })
        .ok()
        .unwrap();
        assert_eq!(ok.to, Class::Quoted);
    }

    #[test]
    fn a_recorded_approval_is_in_the_past_by_a_known_channel() {
        let now = 1_800_000_000;
        let r = RecordApprovalRequest {
            approver_id: 4,
            approved_at: now + 3600,
            channel: "fax".into(),
            note: String::new(),
        };
        let e = r.check(now).err().unwrap();
        let fields: Vec<_> = e.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["channel", "approved_at"]);
        let ok = RecordApprovalRequest {
            approved_at: now - 600,
            channel: "phone".into(),
            ..r
        };
        assert_eq!(ok.check(now).ok().unwrap().channel, "phone");
        assert!(DeskSettingsDto {
            auto_close_days: 0,
            dispute_window_days: 14
        }
        .check()
        .is_err());
    }
}
