//! A ticket's stored rows read as the domain's flow (an incident or a service request with
//! its work, quotes, charge and dispute); a row that does not read is a corrupt one, never a
//! default.

use pointdesk_api::ledger::ChargeExplanationDto;
use pointdesk_api::tickets as wire;
use pointdesk_domain::charging::{ChargeRule, TimeCharge};
use pointdesk_domain::ids::{DisputeId, QuoteId, TicketId, UserId};
use pointdesk_domain::incident::{Cause, Dispute, Incident, IncidentCharge, IncidentStatus};
use pointdesk_domain::service_request::{Catalogue, Quote, RequestStatus, ServiceRequest};
use pointdesk_domain::ticket::Flow;
use pointdesk_domain::time::Timestamp;
use pointdesk_domain::worklog::WorkEntry;

use super::{stored_points, DisputeRow, QuoteRow, TicketRow, WorkRow};
use crate::error::{AppError, AppResult};

fn corrupt(what: &str) -> AppError {
    AppError::Internal(format!("stored ticket is inconsistent: {what}"))
}

fn work_entry(w: &WorkRow) -> AppResult<WorkEntry> {
    Ok(WorkEntry {
        engineer: UserId::new(w.engineer_id),
        minutes: u32::try_from(w.minutes).map_err(|_| corrupt("minutes"))?,
        note: w.note.clone(),
        on: wire::parse_date(&w.on_day).ok_or_else(|| corrupt("work day"))?,
    })
}

fn time_charge(detail: &str) -> AppResult<TimeCharge> {
    let d: ChargeExplanationDto =
        serde_json::from_str(detail).map_err(|_| corrupt("charge detail"))?;
    Ok(TimeCharge {
        logged_minutes: d.logged_minutes,
        billed_minutes: d.billed_minutes,
        increment_minutes: d.increment_minutes,
        points: d.points.0,
        rule: match d.rule.as_str() {
            "exact" => ChargeRule::Exact,
            "minimum" => ChargeRule::Minimum,
            "rounded_up" => ChargeRule::RoundedUp,
            _ => return Err(corrupt("charge rule")),
        },
    })
}

pub fn flow_of(
    row: &TicketRow,
    work: &[WorkRow],
    quotes: &[QuoteRow],
    dispute: Option<&DisputeRow>,
) -> AppResult<Flow> {
    let id = TicketId::new(row.id);
    let work = work.iter().map(work_entry).collect::<AppResult<Vec<_>>>()?;
    match row.kind.as_str() {
        "incident" => {
            let status =
                IncidentStatus::parse(&row.status).ok_or_else(|| corrupt("incident status"))?;
            let charge = match (row.charge_points, row.charge_at, &row.charge_detail) {
                (Some(p), Some(at), Some(detail)) => Some(IncidentCharge {
                    points: stored_points(p)?,
                    at: Timestamp::from_unix(at),
                    time: time_charge(detail)?,
                    lines: usize::try_from(row.charge_lines.unwrap_or(0)).unwrap_or(0),
                }),
                _ => None,
            };
            let dispute = dispute.map(dispute_of).transpose()?;
            let cause = match row.cause.as_deref() {
                Some("standard") => Some(Cause::Standard),
                Some("client_caused") => Some(Cause::ClientCaused),
                None => None,
                Some(_) => return Err(corrupt("cause")),
            };
            Ok(Flow::Incident(Incident {
                id,
                status,
                work,
                cause,
                charge,
                dispute,
            }))
        }
        "service_request" => {
            let status =
                RequestStatus::parse(&row.status).ok_or_else(|| corrupt("request status"))?;
            let quotes = quotes
                .iter()
                .map(|q| {
                    Ok(Quote {
                        id: QuoteId::new(q.id),
                        points: stored_points(q.points)?,
                        scope: q.scope.clone(),
                        expires_at: Timestamp::from_unix(q.expires_at),
                        status: wire::parse_quote_status(&q.status)
                            .ok_or_else(|| corrupt("quote status"))?,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(Flow::Request(ServiceRequest {
                id,
                catalogue: if row.catalogue_kind.as_deref() == Some("standard") {
                    Catalogue::Standard
                } else {
                    Catalogue::Quoted
                },
                status,
                quotes,
                work,
            }))
        }
        _ => Err(corrupt("kind")),
    }
}

/// A stored dispute: open, or decided with its reason.
fn dispute_of(d: &DisputeRow) -> AppResult<Dispute> {
    let id = DisputeId::new(d.id);
    let decided = || {
        d.decision_reason
            .clone()
            .ok_or_else(|| corrupt("a decided dispute without its reason"))
    };
    Ok(match d.state.as_str() {
        "upheld" => Dispute::Upheld {
            id,
            reason: decided()?,
        },
        "rejected" => Dispute::Rejected {
            id,
            reason: decided()?,
        },
        "open" => Dispute::Open {
            id,
            opened_at: Timestamp::from_unix(d.opened_at),
            reason: d.reason.clone(),
        },
        _ => return Err(corrupt("dispute state")),
    })
}
