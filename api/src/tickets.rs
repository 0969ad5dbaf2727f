//! Tickets, quotes, causes and disputes on the wire.

use pointdesk_domain::incident::{Cause, Dispute, Incident};
use pointdesk_domain::points::Points;
use pointdesk_domain::service_request::{Quote, QuoteStatus, ServiceRequest};
use pointdesk_domain::worklog::WorkEntry;
use pointdesk_domain::DomainError;
use serde::{Deserialize, Serialize};

use crate::ledger::ChargeExplanationDto;
use crate::WirePoints;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentDto {
    pub id: i64,
    pub status: String,
    pub logged_minutes: u32,
    pub work: Vec<WorkEntryDto>,
    /// How many of the first work lines the charge covers (absent while not charged).
    pub charged_lines: Option<usize>,
    /// `standard`, `client_caused` or absent while undecided.
    pub cause: Option<String>,
    pub charge: Option<ChargeExplanationDto>,
    pub dispute: Option<DisputeDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeDto {
    pub id: i64,
    /// `open`, `upheld` or `rejected`.
    pub state: String,
    pub reason: String,
}

/// One line of a ticket's work log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkEntryDto {
    pub engineer_id: i64,
    pub minutes: u32,
    pub note: String,
    /// `YYYY-MM-DD`, the provider's calendar day.
    pub on: String,
}

impl From<&WorkEntry> for WorkEntryDto {
    fn from(w: &WorkEntry) -> Self {
        WorkEntryDto {
            engineer_id: w.engineer.get(),
            minutes: w.minutes,
            note: w.note.clone(),
            on: w.on.to_string(),
        }
    }
}

pub fn cause_str(c: Cause) -> &'static str {
    match c {
        Cause::Standard => "standard",
        Cause::ClientCaused => "client_caused",
    }
}

impl From<&Incident> for IncidentDto {
    fn from(i: &Incident) -> Self {
        IncidentDto {
            id: i.id.get(),
            status: i.status.as_str().to_owned(),
            // The domain refuses a work entry that would overflow the total.
            logged_minutes: i.logged_minutes().unwrap_or(u32::MAX),
            work: i.work.iter().map(WorkEntryDto::from).collect(),
            charged_lines: i.charge.as_ref().map(|c| c.lines),
            cause: i.cause.map(|c| cause_str(c).to_owned()),
            charge: i
                .charge
                .as_ref()
                .map(|c| ChargeExplanationDto::from(&c.time)),
            dispute: i.dispute.as_ref().map(|d| match d {
                Dispute::Open { id, reason, .. } => DisputeDto {
                    id: id.get(),
                    state: "open".into(),
                    reason: reason.clone(),
                },
                Dispute::Upheld { id, reason } => DisputeDto {
                    id: id.get(),
                    state: "upheld".into(),
                    reason: reason.clone(),
                },
                Dispute::Rejected { id, reason } => DisputeDto {
                    id: id.get(),
                    state: "rejected".into(),
                    reason: reason.clone(),
                },
            }),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteDto {
    pub id: i64,
    pub points: WirePoints,
    pub scope: String,
    pub expires_at: i64,
    pub status: String,
}

pub fn quote_status_str(s: QuoteStatus) -> &'static str {
    match s {
        QuoteStatus::AwaitingApproval => "awaiting_approval",
        QuoteStatus::Approved => "approved",
        QuoteStatus::Declined => "declined",
        QuoteStatus::Expired => "expired",
        QuoteStatus::Superseded => "superseded",
        QuoteStatus::Charged => "charged",
        QuoteStatus::Released => "released",
    }
}

impl From<&Quote> for QuoteDto {
    fn from(q: &Quote) -> Self {
        QuoteDto {
            id: q.id.get(),
            points: q.points.into(),
            scope: q.scope.clone(),
            expires_at: q.expires_at.unix(),
            status: quote_status_str(q.status).to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRequestDto {
    pub id: i64,
    pub status: String,
    pub quotes: Vec<QuoteDto>,
    pub work: Vec<WorkEntryDto>,
    /// Logged work is more than the approved quote: a revised quote is due.
    pub beyond_quote: bool,
}

impl From<&ServiceRequest> for ServiceRequestDto {
    fn from(s: &ServiceRequest) -> Self {
        ServiceRequestDto {
            id: s.id.get(),
            status: s.status.as_str().to_owned(),
            quotes: s.quotes.iter().map(QuoteDto::from).collect(),
            work: s.work.iter().map(WorkEntryDto::from).collect(),
            beyond_quote: matches!(s.quote_usage(), Ok(Some(u)) if u.exceeded),
        }
    }
}

/// An engineer's quote or revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRequest {
    pub points: WirePoints,
    pub scope: String,
    /// Days until the quote lapses (1–90).
    pub valid_days: u32,
}

pub struct NewQuote {
    pub points: Points,
    pub scope: String,
    pub valid_days: u32,
}

impl TryFrom<QuoteRequest> for NewQuote {
    type Error = DomainError;
    fn try_from(r: QuoteRequest) -> Result<Self, DomainError> {
        if !r.points.0.is_positive() {
            return Err(DomainError::Invalid(
                "a quote must be for a positive number of points",
            ));
        }
        if r.scope.trim().is_empty() {
            return Err(DomainError::Invalid("a quote must say what is included"));
        }
        if !(1..=90).contains(&r.valid_days) {
            return Err(DomainError::Invalid("a quote is valid for 1 to 90 days"));
        }
        Ok(NewQuote {
            points: r.points.0,
            scope: r.scope.trim().to_owned(),
            valid_days: r.valid_days,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassifyRequest {
    /// `standard` or `client_caused`.
    pub cause: String,
}

impl TryFrom<ClassifyRequest> for Cause {
    type Error = DomainError;
    fn try_from(r: ClassifyRequest) -> Result<Self, DomainError> {
        match r.cause.as_str() {
            "standard" => Ok(Cause::Standard),
            "client_caused" => Ok(Cause::ClientCaused),
            _ => Err(DomainError::Invalid(
                "the cause is `standard` or `client_caused`",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_requests_are_checked() {
        let bad: QuoteRequest =
            serde_json::from_str(r#"{"points":"0","scope":"x","valid_days":7}"#).unwrap();
        assert!(NewQuote::try_from(bad).is_err());
        let bad: QuoteRequest =
            serde_json::from_str(r#"{"points":"2","scope":"x","valid_days":0}"#).unwrap();
        assert!(NewQuote::try_from(bad).is_err());
        let ok: QuoteRequest =
            serde_json::from_str(r#"{"points":"2.5","scope":" printer ","valid_days":7}"#).unwrap();
        assert_eq!(NewQuote::try_from(ok).unwrap().scope, "printer");
        assert!(Cause::try_from(ClassifyRequest {
            cause: "user_error".into()
        })
        .is_err());
    }
}

/// A client admin disputes an incident charge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputeRequest {
    pub reason: String,
}

/// A manager decides a dispute; the reason is shown to the client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputeDecisionRequest {
    pub upheld: bool,
    pub reason: String,
}
