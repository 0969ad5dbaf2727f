//! Plans (tariffs), subscriptions and the period allotment they yield.

use crate::error::DomainError;
use crate::points::Points;

/// What happens to unused allotment at the end of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rollover {
    /// Every unused allotment point expires.
    None,
    /// At most this many unused allotment points carry over; the rest expire.
    Capped(Points),
    /// Everything carries over.
    Full,
}

/// May a charge take available points below zero?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overdraft {
    /// Nothing may overdraw: a client-caused incident charge that does not fit is refused
    /// until the client tops up, and quote approvals need enough available points.
    Never,
    /// Incident charges may overdraw (work was already done: "fix first"); quote approvals need
    /// enough available points. The default.
    IncidentsOnly,
    /// Incident charges and quote approvals may overdraw.
    Always,
}

impl Overdraft {
    pub const fn incidents_may_overdraw(self) -> bool {
        matches!(self, Overdraft::IncidentsOnly | Overdraft::Always)
    }
    pub const fn quotes_may_overdraw(self) -> bool {
        matches!(self, Overdraft::Always)
    }
}

/// An add-on that adds points to the allotment (e.g. "server monitoring: +4 pt").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanOption {
    pub code: String,
    pub name: String,
    pub points: Points,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub name: String,
    pub base: Points,
    pub per_seat: Points,
    pub options: Vec<PlanOption>,
    /// Charged time is rounded up to a multiple of this many minutes (e.g. 15 = 0.25 h).
    pub increment_minutes: u32,
    /// No charge is smaller than this (zero for none).
    pub minimum_charge: Points,
    pub rollover: Rollover,
    pub overdraft: Overdraft,
}

impl Plan {
    /// Checks a plan a manager entered.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::Invalid("a plan needs a name"));
        }
        if self.base.is_negative()
            || self.per_seat.is_negative()
            || self.minimum_charge.is_negative()
        {
            return Err(DomainError::Invalid("plan amounts cannot be negative"));
        }
        if !(1..=24 * 60).contains(&self.increment_minutes) {
            return Err(DomainError::Invalid(
                "the billing increment must be 1 minute to 24 hours",
            ));
        }
        if let Rollover::Capped(cap) = self.rollover {
            if cap.is_negative() {
                return Err(DomainError::Invalid("a rollover cap cannot be negative"));
            }
        }
        for (i, o) in self.options.iter().enumerate() {
            if o.points.is_negative() {
                return Err(DomainError::Invalid("an option cannot remove points"));
            }
            if self.options[..i].iter().any(|p| p.code == o.code) {
                return Err(DomainError::Invalid(
                    "option codes must be unique within a plan",
                ));
            }
        }
        Ok(())
    }
}

/// What a client organisation subscribes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    pub seats: u32,
    pub option_codes: Vec<String>,
}

/// One readable line of the allotment breakdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllotmentLine {
    Base {
        points: Points,
    },
    Seats {
        seats: u32,
        per_seat: Points,
        points: Points,
    },
    Option {
        code: String,
        name: String,
        points: Points,
    },
}

impl AllotmentLine {
    pub fn points(&self) -> Points {
        match self {
            AllotmentLine::Base { points }
            | AllotmentLine::Seats { points, .. }
            | AllotmentLine::Option { points, .. } => *points,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allotment {
    pub total: Points,
    pub lines: Vec<AllotmentLine>,
}

/// The points granted each period for this subscription, with the breakdown a client reads:
/// base + seats × per-seat + each chosen option.
pub fn allotment(plan: &Plan, sub: &Subscription) -> Result<Allotment, DomainError> {
    let seats_points = Points::from_hundredths(
        plan.per_seat
            .hundredths()
            .checked_mul(i64::from(sub.seats))
            .ok_or(DomainError::Amount)?,
    )?;
    let mut lines = vec![
        AllotmentLine::Base { points: plan.base },
        AllotmentLine::Seats {
            seats: sub.seats,
            per_seat: plan.per_seat,
            points: seats_points,
        },
    ];
    for (i, code) in sub.option_codes.iter().enumerate() {
        if sub.option_codes[..i].contains(code) {
            return Err(DomainError::Invalid("an option is chosen twice"));
        }
        let option = plan
            .options
            .iter()
            .find(|o| &o.code == code)
            .ok_or(DomainError::Invalid(
                "the subscription names an option the plan does not offer",
            ))?;
        lines.push(AllotmentLine::Option {
            code: option.code.clone(),
            name: option.name.clone(),
            points: option.points,
        });
    }
    let total = Points::sum(lines.iter().map(AllotmentLine::points))?;
    Ok(Allotment { total, lines })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn plan() -> Plan {
        Plan {
            name: "Business".into(),
            base: Points::whole(10).unwrap(),
            per_seat: "0.5".parse().unwrap(),
            options: vec![
                PlanOption {
                    code: "servers".into(),
                    name: "Servers".into(),
                    points: Points::whole(4).unwrap(),
                },
                PlanOption {
                    code: "1c".into(),
                    name: "1C accounting".into(),
                    points: Points::whole(2).unwrap(),
                },
            ],
            increment_minutes: 15,
            minimum_charge: "0.25".parse().unwrap(),
            rollover: Rollover::Capped(Points::whole(5).unwrap()),
            overdraft: Overdraft::IncidentsOnly,
        }
    }

    #[test]
    fn allotment_adds_base_seats_and_options() {
        let a = allotment(
            &plan(),
            &Subscription {
                seats: 12,
                option_codes: vec!["servers".into()],
            },
        )
        .unwrap();
        assert_eq!(a.total.to_string(), "20.00"); // 10 + 12 × 0.5 + 4
        assert_eq!(a.lines.len(), 3);
        assert_eq!(a.lines[1].points().to_string(), "6.00");
    }

    #[test]
    fn allotment_refuses_unknown_or_repeated_options() {
        let p = plan();
        assert!(allotment(
            &p,
            &Subscription {
                seats: 1,
                option_codes: vec!["nope".into()]
            }
        )
        .is_err());
        assert!(allotment(
            &p,
            &Subscription {
                seats: 1,
                option_codes: vec!["1c".into(), "1c".into()]
            }
        )
        .is_err());
    }

    #[test]
    fn huge_subscriptions_fail_instead_of_wrapping() {
        let mut p = plan();
        p.per_seat = Points::from_hundredths(crate::points::MAX_HUNDREDTHS).unwrap();
        assert!(allotment(
            &p,
            &Subscription {
                seats: 2,
                option_codes: vec![]
            }
        )
        .is_err());
    }

    #[test]
    fn plan_validation() {
        assert!(plan().validate().is_ok());
        let mut p = plan();
        p.increment_minutes = 0;
        assert!(p.validate().is_err());
        let mut p = plan();
        p.options.push(p.options[0].clone());
        assert!(p.validate().is_err());
        let mut p = plan();
        p.base = Points::whole(-1).unwrap();
        assert!(p.validate().is_err());
    }
}
