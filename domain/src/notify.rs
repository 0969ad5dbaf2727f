//! Which notifications an event calls for. Low balance is edge-triggered: one notice per downward
//! crossing of the threshold, one more at zero, re-armed when available points rise again.

use crate::ledger::{Decision, EntryKind};
use crate::points::Points;
use crate::service_request::ServiceRequest;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    LowBalance {
        available: Points,
        threshold: Points,
    },
    BalanceExhausted {
        available: Points,
    },
    QuoteAwaitingApproval,
    ChargeMade {
        points: Points,
    },
    GrantArrived {
        points: Points,
    },
    TopUpCredited {
        points: Points,
    },
    Refunded {
        points: Points,
    },
    /// A refunded payment took its points back (the client admin and the managers hear of it).
    PurchaseRefunded {
        points: Points,
    },
}

/// The per-organisation alarm state, stored beside the balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LowBalanceAlarm {
    /// Will the next fall below the threshold notify?
    pub low_armed: bool,
    /// Will the next fall to zero or below notify?
    pub zero_armed: bool,
}

impl Default for LowBalanceAlarm {
    fn default() -> Self {
        LowBalanceAlarm {
            low_armed: true,
            zero_armed: true,
        }
    }
}

/// The default threshold: 20 % of the period allotment (rounded down to the hundredth).
pub fn default_threshold(allotment: Points) -> Points {
    Points::from_hundredths(allotment.hundredths() / 5).unwrap_or(Points::ZERO)
}

impl LowBalanceAlarm {
    /// Feeds the available points after a change; returns the new state and what to send.
    /// Below the threshold notifies once; reaching zero or below notifies once more; rising
    /// above the threshold re-arms both (reaching it exactly does not), rising above zero
    /// re-arms the zero notice.
    pub fn observe(self, available: Points, threshold: Points) -> (LowBalanceAlarm, Vec<Notice>) {
        let mut next = self;
        let mut out = Vec::new();
        if available > threshold && available.is_positive() {
            return (LowBalanceAlarm::default(), out);
        }
        if available.is_positive() {
            next.zero_armed = true;
        }
        if available < threshold && self.low_armed {
            next.low_armed = false;
            if available.is_positive() {
                out.push(Notice::LowBalance {
                    available,
                    threshold,
                });
            }
        }
        if !available.is_positive() && self.zero_armed {
            next.zero_armed = false;
            next.low_armed = false;
            out.push(Notice::BalanceExhausted { available });
        }
        (next, out)
    }
}

/// Notices a committed ledger decision calls for (besides the low-balance alarm): one per entry
/// that a client would want to hear of, settlements of outstanding charges included.
pub fn notices_for(decision: &Decision) -> Vec<Notice> {
    decision
        .entries
        .iter()
        .filter_map(|e| match e.kind {
            EntryKind::Charge => Some(Notice::ChargeMade {
                points: e.amount.neg(),
            }),
            EntryKind::Grant => Some(Notice::GrantArrived { points: e.amount }),
            EntryKind::Purchase => Some(Notice::TopUpCredited { points: e.amount }),
            EntryKind::Refund => Some(Notice::Refunded { points: e.amount }),
            EntryKind::PurchaseRefund => Some(Notice::PurchaseRefunded {
                points: e.amount.neg(),
            }),
            EntryKind::Adjustment | EntryKind::Expiry | EntryKind::Repayment => None,
        })
        .collect()
}

/// Points about to expire are announced this many days before their period ends.
pub const EXPIRY_NOTICE_DAYS: i64 = 7;

/// The points that would expire if `period` ended now under `rollover` (what the period's end
/// will take, less what rollover carries and what holds reserve): the figure of the "points
/// expire soon" notice. Zero when nothing would.
pub fn expiring_at_end(
    account: &crate::ledger::Account,
    period: crate::time::Period,
    rollover: crate::plan::Rollover,
) -> Points {
    account
        .expire(period, rollover)
        .ok()
        .and_then(|d| {
            Points::sum(
                d.entries
                    .iter()
                    .filter(|e| e.kind == EntryKind::Expiry)
                    .map(|e| e.amount.neg()),
            )
            .ok()
        })
        .unwrap_or(Points::ZERO)
}

/// A quote now awaits the client's approval that did not before (a first quote or a revision).
pub fn quote_notice(before: &ServiceRequest, after: &ServiceRequest) -> Option<Notice> {
    let new_open = after.open_quote().map(|q| q.id);
    (new_open.is_some() && new_open != before.open_quote().map(|q| q.id))
        .then_some(Notice::QuoteAwaitingApproval)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(s: &str) -> Points {
        s.parse().unwrap()
    }

    /// Runs a sequence of available-point readings and collects the notice kinds.
    fn run(readings: &[&str], threshold: &str) -> Vec<&'static str> {
        let mut alarm = LowBalanceAlarm::default();
        let mut kinds = Vec::new();
        for r in readings {
            let (next, notices) = alarm.observe(pts(r), pts(threshold));
            alarm = next;
            kinds.extend(notices.iter().map(|n| match n {
                Notice::LowBalance { .. } => "low",
                Notice::BalanceExhausted { .. } => "zero",
                _ => "other",
            }));
        }
        kinds
    }

    #[test]
    fn edge_triggered_table() {
        let cases: [(&[&str], &[&str]); 9] = [
            (&["10", "3", "5", "3"], &["low"]), // reaching the threshold does not re-arm
            (&["10", "3", "5.01", "3"], &["low", "low"]), // rising above it does
            (&["10", "5", "3", "1"], &["low"]),
            (&["10", "3", "0", "-2"], &["low", "zero"]),
            (&["10", "3", "12", "3"], &["low", "low"]),
            (&["10", "3", "4", "3"], &["low"]),
            (&["10", "-1"], &["zero"]),
            (&["-1", "2", "-1"], &["zero", "zero"]),
            (&["4", "4", "4"], &["low"]),
        ];
        for (readings, expected) in cases {
            assert_eq!(run(readings, "5"), expected, "{readings:?}");
        }
    }

    #[test]
    fn a_new_or_revised_quote_asks_for_approval_once() {
        use crate::ids::{QuoteId, TicketId};
        use crate::service_request::Catalogue;
        use crate::time::Timestamp;
        let t = Timestamp::from_unix(0);
        let sr = ServiceRequest::new(TicketId::new(1), Catalogue::Quoted);
        let quoted = sr
            .quote(QuoteId::new(1), pts("2"), "x", t, t.plus_days(7))
            .unwrap();
        assert_eq!(
            quote_notice(&sr, &quoted),
            Some(Notice::QuoteAwaitingApproval)
        );
        assert_eq!(quote_notice(&quoted, &quoted), None);
        let revised = quoted
            .quote(QuoteId::new(2), pts("3"), "y", t, t.plus_days(7))
            .unwrap();
        assert_eq!(
            quote_notice(&quoted, &revised),
            Some(Notice::QuoteAwaitingApproval)
        );
        let declined = revised.decline(QuoteId::new(2)).unwrap();
        assert_eq!(quote_notice(&revised, &declined), None);
    }

    #[test]
    fn ledger_decisions_call_for_their_notices() {
        use crate::ids::{OrgId, PaymentId, TicketId};
        use crate::ledger::Account;
        use crate::plan::Overdraft;
        let a = Account::new(
            OrgId::new(1),
            Overdraft::IncidentsOnly,
            crate::time::Period::new(2026, 11).unwrap(),
        );
        let charge = a
            .charge_incident(TicketId::new(1), pts("1.5"), "x".into(), None)
            .unwrap();
        assert_eq!(
            notices_for(&charge),
            vec![Notice::ChargeMade { points: pts("1.5") }]
        );
        let topup = a.purchase(PaymentId::new(1), pts("10"), "pack").unwrap();
        assert_eq!(
            notices_for(&topup),
            vec![Notice::TopUpCredited { points: pts("10") }]
        );
        let grant = a
            .grant(crate::time::Period::new(2026, 12).unwrap(), pts("20"))
            .unwrap();
        assert_eq!(
            notices_for(&grant),
            vec![Notice::GrantArrived { points: pts("20") }]
        );
    }

    #[test]
    fn the_expiry_notice_counts_what_the_end_of_the_period_would_take() {
        use crate::ids::{OrgId, PaymentId};
        use crate::ledger::{Account, Ledger};
        use crate::plan::{Overdraft, Rollover};
        use crate::time::{Period, Timestamp};
        let nov = Period::new(2026, 11).unwrap();
        let t = Timestamp::from_unix(1_795_737_600);
        let mut l = Ledger::new(Account::new(OrgId::new(1), Overdraft::IncidentsOnly, nov));
        l.commit(&l.account().grant(nov, pts("20")).unwrap(), t)
            .unwrap();
        l.commit(
            &l.account()
                .purchase(PaymentId::new(1), pts("10"), "pack")
                .unwrap(),
            t,
        )
        .unwrap();
        // Bought points never expire; 5 of the allotment roll over under a capped rule.
        assert_eq!(expiring_at_end(l.account(), nov, Rollover::None), pts("20"));
        assert_eq!(
            expiring_at_end(l.account(), nov, Rollover::Capped(pts("5"))),
            pts("15")
        );
        assert_eq!(
            expiring_at_end(l.account(), nov, Rollover::Full),
            Points::ZERO
        );
    }

    #[test]
    fn default_threshold_is_a_fifth_of_the_allotment() {
        assert_eq!(default_threshold(pts("20")), pts("4"));
        assert_eq!(default_threshold(pts("0.99")), pts("0.19"));
    }
}
