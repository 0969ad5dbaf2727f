//! Turning logged time into points: rounded up to the plan's increment, never below its minimum.

use crate::error::DomainError;
use crate::plan::Plan;
use crate::points::Points;

/// Why the charge is what it is, for the UI to explain ("12 min → 0.25 pt: rounded up to 15 min").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChargeRule {
    /// The logged time was already a multiple of the increment.
    Exact,
    /// Rounded up to the next multiple of the increment.
    RoundedUp,
    /// Raised to the plan's minimum charge.
    Minimum,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeCharge {
    pub logged_minutes: u32,
    pub billed_minutes: u32,
    pub increment_minutes: u32,
    pub points: Points,
    pub rule: ChargeRule,
}

/// Minutes to points: billed = logged rounded up to the increment; points = billed / 60,
/// rounded up to the hundredth (an increment of 1 min gives 0.02 pt per minute; the usual
/// 5, 6, 10, 15, 30, 60 min increments are exact); then raised to the minimum charge.
/// Zero logged minutes charge nothing (there is nothing to bill, so no minimum either).
pub fn charge_for_minutes(logged_minutes: u32, plan: &Plan) -> Result<TimeCharge, DomainError> {
    let inc = plan.increment_minutes;
    if inc == 0 {
        return Err(DomainError::Invalid(
            "the billing increment must be at least one minute",
        ));
    }
    if logged_minutes == 0 {
        return Ok(TimeCharge {
            logged_minutes,
            billed_minutes: 0,
            increment_minutes: inc,
            points: Points::ZERO,
            rule: ChargeRule::Exact,
        });
    }
    let billed = logged_minutes
        .div_ceil(inc)
        .checked_mul(inc)
        .ok_or(DomainError::Amount)?;
    let hundredths =
        (i64::from(billed) * 100).div_euclid(60) + i64::from((i64::from(billed) * 100) % 60 != 0);
    let by_time = Points::from_hundredths(hundredths)?;
    let (points, rule) = if by_time < plan.minimum_charge {
        (plan.minimum_charge, ChargeRule::Minimum)
    } else if billed == logged_minutes {
        (by_time, ChargeRule::Exact)
    } else {
        (by_time, ChargeRule::RoundedUp)
    };
    Ok(TimeCharge {
        logged_minutes,
        billed_minutes: billed,
        increment_minutes: inc,
        points,
        rule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::tests::plan;

    #[test]
    fn table() {
        // (increment, minimum, logged) → (billed, points, rule)
        let cases = [
            (15, "0", 12, 15, "0.25", ChargeRule::RoundedUp),
            (15, "0", 15, 15, "0.25", ChargeRule::Exact),
            (15, "0", 16, 30, "0.50", ChargeRule::RoundedUp),
            (15, "0", 60, 60, "1.00", ChargeRule::Exact),
            (15, "0.5", 10, 15, "0.50", ChargeRule::Minimum),
            (15, "0.5", 31, 45, "0.75", ChargeRule::RoundedUp),
            (6, "0", 7, 12, "0.20", ChargeRule::RoundedUp),
            (1, "0", 1, 1, "0.02", ChargeRule::Exact),
            (60, "0", 61, 120, "2.00", ChargeRule::RoundedUp),
            (15, "1", 0, 0, "0.00", ChargeRule::Exact),
        ];
        for (inc, min, logged, billed, points, rule) in cases {
            let mut p = plan();
            p.increment_minutes = inc;
            p.minimum_charge = min.parse().unwrap();
            let c = charge_for_minutes(logged, &p).unwrap();
            assert_eq!(
                (c.billed_minutes, c.points.to_string().as_str(), c.rule),
                (billed, points, rule),
                "inc {inc} min {min} logged {logged}"
            );
        }
    }

    #[test]
    fn never_less_than_the_logged_time() {
        for inc in [1, 5, 7, 15, 60] {
            let mut p = plan();
            p.increment_minutes = inc;
            for logged in 0..300u32 {
                let c = charge_for_minutes(logged, &p).unwrap();
                assert!(c.billed_minutes >= logged && c.billed_minutes.is_multiple_of(inc));
                assert!(c.points.hundredths() * 60 >= i64::from(logged) * 100);
            }
        }
    }
}
