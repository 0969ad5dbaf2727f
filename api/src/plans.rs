//! Plans and notices on the wire.

use pointdesk_domain::notify::Notice;
use pointdesk_domain::plan::{Overdraft, Plan, PlanOption, Rollover};
use pointdesk_domain::DomainError;
use serde::{Deserialize, Serialize};

use crate::WirePoints;

/// A plan as a manager edits it and a client reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDto {
    pub name: String,
    pub base: WirePoints,
    pub per_seat: WirePoints,
    #[serde(default)]
    pub options: Vec<PlanOptionDto>,
    pub increment_minutes: u32,
    pub minimum_charge: WirePoints,
    /// `none`, `capped` (with `rollover_cap`) or `full`.
    pub rollover: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollover_cap: Option<WirePoints>,
    /// `never`, `incidents_only` or `always`.
    pub overdraft: String,
    /// Service-level targets per priority; a priority not listed has no clocks.
    #[serde(default)]
    pub sla: Vec<crate::sla::SlaTargetDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanOptionDto {
    pub code: String,
    pub name: String,
    pub points: WirePoints,
}

impl From<&Plan> for PlanDto {
    fn from(p: &Plan) -> Self {
        let (rollover, rollover_cap) = match p.rollover {
            Rollover::None => ("none", None),
            Rollover::Capped(cap) => ("capped", Some(cap.into())),
            Rollover::Full => ("full", None),
        };
        PlanDto {
            name: p.name.clone(),
            base: p.base.into(),
            per_seat: p.per_seat.into(),
            options: p
                .options
                .iter()
                .map(|o| PlanOptionDto {
                    code: o.code.clone(),
                    name: o.name.clone(),
                    points: o.points.into(),
                })
                .collect(),
            increment_minutes: p.increment_minutes,
            minimum_charge: p.minimum_charge.into(),
            rollover: rollover.into(),
            rollover_cap,
            overdraft: match p.overdraft {
                Overdraft::Never => "never",
                Overdraft::IncidentsOnly => "incidents_only",
                Overdraft::Always => "always",
            }
            .into(),
            sla: Vec::new(),
        }
    }
}

impl TryFrom<PlanDto> for Plan {
    type Error = DomainError;
    fn try_from(d: PlanDto) -> Result<Plan, DomainError> {
        let rollover = match (d.rollover.as_str(), d.rollover_cap) {
            ("none", None) => Rollover::None,
            ("full", None) => Rollover::Full,
            ("capped", Some(cap)) => Rollover::Capped(cap.0),
            ("capped", None) => {
                return Err(DomainError::Invalid("a capped rollover needs rollover_cap"))
            }
            ("none" | "full", Some(_)) => {
                return Err(DomainError::Invalid("rollover_cap goes only with `capped`"))
            }
            _ => {
                return Err(DomainError::Invalid(
                    "rollover is `none`, `capped` or `full`",
                ))
            }
        };
        let overdraft = match d.overdraft.as_str() {
            "never" => Overdraft::Never,
            "incidents_only" => Overdraft::IncidentsOnly,
            "always" => Overdraft::Always,
            _ => {
                return Err(DomainError::Invalid(
                    "overdraft is `never`, `incidents_only` or `always`",
                ))
            }
        };
        let plan = Plan {
            name: d.name.trim().to_owned(),
            base: d.base.0,
            per_seat: d.per_seat.0,
            options: d
                .options
                .into_iter()
                .map(|o| PlanOption {
                    code: o.code.trim().to_owned(),
                    name: o.name.trim().to_owned(),
                    points: o.points.0,
                })
                .collect(),
            increment_minutes: d.increment_minutes,
            minimum_charge: d.minimum_charge.0,
            rollover,
            overdraft,
        };
        plan.validate()?;
        Ok(plan)
    }
}

/// A notification as the app lists it; the app words it per locale from `kind` and the amounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeDto {
    LowBalance {
        available: WirePoints,
        threshold: WirePoints,
    },
    BalanceExhausted {
        available: WirePoints,
    },
    QuoteAwaitingApproval,
    ChargeMade {
        points: WirePoints,
    },
    GrantArrived {
        points: WirePoints,
    },
    TopUpCredited {
        points: WirePoints,
    },
    Refunded {
        points: WirePoints,
    },
    PurchaseRefunded {
        points: WirePoints,
    },
}

impl From<Notice> for NoticeDto {
    fn from(n: Notice) -> Self {
        match n {
            Notice::LowBalance {
                available,
                threshold,
            } => NoticeDto::LowBalance {
                available: available.into(),
                threshold: threshold.into(),
            },
            Notice::BalanceExhausted { available } => NoticeDto::BalanceExhausted {
                available: available.into(),
            },
            Notice::QuoteAwaitingApproval => NoticeDto::QuoteAwaitingApproval,
            Notice::ChargeMade { points } => NoticeDto::ChargeMade {
                points: points.into(),
            },
            Notice::GrantArrived { points } => NoticeDto::GrantArrived {
                points: points.into(),
            },
            Notice::TopUpCredited { points } => NoticeDto::TopUpCredited {
                points: points.into(),
            },
            Notice::Refunded { points } => NoticeDto::Refunded {
                points: points.into(),
            },
            Notice::PurchaseRefunded { points } => NoticeDto::PurchaseRefunded {
                points: points.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"{"name":"Business","base":"10","per_seat":"0.5",
        "options":[{"code":"servers","name":"Servers","points":"4"}],
        "increment_minutes":15,"minimum_charge":"0.25","rollover":"capped","rollover_cap":"5",
        "overdraft":"incidents_only"}"#;

    #[test]
    fn plans_round_trip_through_the_wire() {
        let dto: PlanDto = serde_json::from_str(PLAN).unwrap();
        let plan = Plan::try_from(dto.clone()).unwrap();
        assert_eq!(plan.rollover, Rollover::Capped("5".parse().unwrap()));
        assert_eq!(PlanDto::from(&plan), dto);
    }

    #[test]
    fn plan_mistakes_are_refused_with_a_reason() {
        for (from, to) in [
            (
                r#""rollover":"capped","rollover_cap":"5""#,
                r#""rollover":"capped""#,
            ),
            (
                r#""rollover":"capped","rollover_cap":"5""#,
                r#""rollover":"sometimes""#,
            ),
            (r#""overdraft":"incidents_only""#, r#""overdraft":"yes""#),
            (r#""increment_minutes":15"#, r#""increment_minutes":0"#),
        ] {
            let dto: PlanDto = serde_json::from_str(&PLAN.replace(from, to)).unwrap();
            assert!(
                matches!(Plan::try_from(dto), Err(DomainError::Invalid(_))),
                "{to}"
            );
        }
        assert!(
            serde_json::from_str::<PlanDto>(&PLAN.replace(r#""base":"10""#, r#""base":10"#))
                .is_err()
        );
    }

    #[test]
    fn notices_are_tagged() {
        let n = NoticeDto::from(Notice::ChargeMade {
            points: "1.5".parse().unwrap(),
        });
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            r#"{"kind":"charge_made","points":"1.50"}"#
        );
    }
}
