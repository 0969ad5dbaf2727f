//! The ledger's rules, one sequence per test, each with the answer a client would expect.

use super::*;

fn pts(s: &str) -> Points {
    s.parse().unwrap()
}
fn nov() -> Period {
    Period::new(2026, 11).unwrap()
}
const T: Timestamp = Timestamp::from_unix(1_795_737_600);
const MANAGER: UserId = UserId::new(100);

/// A ledger in November 2026 and short verbs for the commands of the sequences.
struct Seq(Ledger);

impl Seq {
    fn new(overdraft: Overdraft) -> Seq {
        Seq(Ledger::new(Account::new(OrgId::new(1), overdraft, nov())))
    }
    fn ok(&mut self, f: impl FnOnce(&Account) -> Result<Decision, DomainError>) -> &mut Seq {
        assert_eq!(self.0.run(T, f), Ok(Outcome::Applied));
        self
    }
    fn grant(&mut self, p: Period, points: &str) -> &mut Seq {
        self.ok(|a| a.grant(p, pts(points)))
    }
    fn buy(&mut self, payment: i64, points: &str) -> &mut Seq {
        self.ok(|a| a.purchase(PaymentId::new(payment), pts(points), "pack"))
    }
    fn charge(&mut self, ticket: i64, points: &str) -> &mut Seq {
        self.ok(|a| a.charge_incident(TicketId::new(ticket), pts(points), "c".into(), None))
    }
    fn hold(&mut self, quote: i64, points: &str) -> &mut Seq {
        self.ok(|a| a.approve_quote(QuoteId::new(quote), pts(points), None))
    }
    fn complete(&mut self, quote: i64) -> &mut Seq {
        self.ok(|a| a.complete_quote(QuoteId::new(quote), "done".into(), None))
    }
    fn release(&mut self, quote: i64) -> &mut Seq {
        self.ok(|a| a.release_quote(QuoteId::new(quote)))
    }
    fn end_period(&mut self, rollover: Rollover) -> &mut Seq {
        let p = self.0.account().period;
        self.ok(|a| a.expire(p, rollover))
    }
    fn account(&self) -> &Account {
        self.0.account()
    }
    fn balance(&self) -> String {
        self.account().balance().unwrap().to_string()
    }
    fn available(&self) -> String {
        self.account().available().unwrap().to_string()
    }
    /// Every block's (source, remaining, reserved, expired), in draw order of the live ones.
    fn blocks(&self) -> Vec<(String, String, String, bool)> {
        self.account()
            .blocks
            .values()
            .map(|b| {
                (
                    b.source.code(),
                    b.remaining.to_string(),
                    b.reserved.to_string(),
                    b.expired,
                )
            })
            .collect()
    }
}

#[test]
fn bought_points_survive_the_end_of_the_period_while_a_hold_is_open() {
    // grant 20, charge 5, approve a 12-point quote, buy 10, period ends
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "20")
        .charge(1, "5")
        .hold(1, "12")
        .buy(1, "10")
        .end_period(Rollover::None);
    assert_eq!(
        (s.balance(), s.available()),
        ("22.00".into(), "10.00".into())
    );
    let expiry = s.0.entries().last().unwrap();
    assert_eq!(
        expiry.amount,
        pts("-3"),
        "only the free 3 of November's 15 expire"
    );
}

#[test]
fn completing_before_or_after_the_period_ends_gives_the_same_outcome() {
    // grant 20, buy 10, hold 25
    for complete_first in [true, false] {
        let mut s = Seq::new(Overdraft::IncidentsOnly);
        s.grant(nov(), "20").buy(1, "10").hold(1, "25");
        if complete_first {
            s.complete(1).end_period(Rollover::None);
        } else {
            s.end_period(Rollover::None).complete(1);
        }
        assert_eq!(s.balance(), "5.00", "complete first: {complete_first}");
    }
}

#[test]
fn capped_rollover_carries_free_points_even_with_a_hold_open() {
    // grant 20, hold 12, period ends under capped 5
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "20")
        .hold(1, "12")
        .end_period(Rollover::Capped(pts("5")));
    assert_eq!(s.balance(), "17.00");
    let rollover = s.account().blocks.values().last().unwrap();
    assert_eq!(rollover.source, BlockSource::Rollover(nov()));
    assert_eq!(
        (rollover.remaining, rollover.expires),
        (pts("5"), Some(nov().next()))
    );
    let e = s.0.entries().last().unwrap();
    assert_eq!((e.kind, e.amount), (EntryKind::Expiry, pts("-3")));
}

#[test]
fn debt_is_repaid_by_the_next_grant_and_purchases_never_expire() {
    // charge 5 with overdraft (balance −5), grant 20, buy 10, period ends
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.charge(1, "5");
    assert_eq!(s.balance(), "-5.00");
    s.grant(nov(), "20").buy(1, "10").end_period(Rollover::None);
    assert_eq!(s.balance(), "10.00");
    let repayment =
        s.0.entries()
            .iter()
            .find(|e| e.kind == EntryKind::Repayment)
            .unwrap();
    assert_eq!(
        (
            repayment.amount,
            repayment.debt_change,
            repayment.balance_after
        ),
        (Points::ZERO, pts("-5"), pts("15"))
    );
    assert_eq!(repayment.reference, EntryRef::Period(nov()));
}

#[test]
fn a_period_ending_expires_its_own_blocks_only() {
    // grants for November and December posted, then November's expiry
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "20")
        .grant(nov().next(), "20")
        .end_period(Rollover::None);
    assert_eq!(s.balance(), "20.00");
    // The turnover does not grant December twice.
    let d = s
        .account()
        .turn_over(nov().next(), Rollover::None, pts("20"))
        .unwrap();
    assert_eq!(d.len(), 2, "December ends, January is granted");
    assert!(
        s.account().grant(nov(), pts("20")).is_err(),
        "November is closed"
    );
}

#[test]
fn a_correcting_adjustment_draws_from_the_block_it_corrects() {
    // grant 20, adjustment +5, an adjustment −5 that corrects it, period ends
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "20");
    s.ok(|a| a.adjust(AdjustmentId::new(1), pts("5"), "goodwill", MANAGER, None));
    let credit =
        s.0.entry_by_key(&IdempotencyKey::adjustment(AdjustmentId::new(1)))
            .unwrap()
            .trace();
    s.ok(|a| {
        a.adjust(
            AdjustmentId::new(2),
            pts("-5"),
            "typo",
            MANAGER,
            Some(&credit),
        )
    });
    s.end_period(Rollover::None);
    assert_eq!(s.balance(), "0.00");
    // Without naming it, the debit would have used November's allotment first.
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "20");
    s.ok(|a| a.adjust(AdjustmentId::new(1), pts("5"), "goodwill", MANAGER, None));
    s.ok(|a| a.adjust(AdjustmentId::new(2), pts("-5"), "other", MANAGER, None));
    s.end_period(Rollover::None);
    assert_eq!(s.balance(), "5.00");
}

#[test]
fn decisions_made_on_the_same_state_cannot_both_commit() {
    let mut s = Seq::new(Overdraft::Never);
    s.grant(nov(), "10");
    let loaded = s.account().clone();
    let first = loaded
        .approve_quote(QuoteId::new(1), pts("8"), None)
        .unwrap();
    let second = loaded
        .approve_quote(QuoteId::new(2), pts("8"), None)
        .unwrap();
    assert_eq!(s.0.commit(&first, T), Ok(Outcome::Applied));
    assert_eq!(
        s.0.commit(&second, T),
        Err(DomainError::Stale {
            decided_on: 1,
            current: 2
        })
    );
    assert_eq!(s.available(), "2.00");
    // Decided again on the fresh state, the second approval is refused for points.
    assert!(matches!(
        s.account().approve_quote(QuoteId::new(2), pts("8"), None),
        Err(DomainError::InsufficientPoints { .. })
    ));

    // An expiry decided before an approval and committed after it is refused too.
    let mut s = Seq::new(Overdraft::Never);
    s.grant(nov(), "10");
    let expiry = s.account().expire(nov(), Rollover::None).unwrap();
    s.hold(1, "6");
    assert!(matches!(
        s.0.commit(&expiry, T),
        Err(DomainError::Stale { .. })
    ));
    s.end_period(Rollover::None);
    assert_eq!(s.balance(), "6.00", "the held points did not expire");
}

#[test]
fn a_downward_revision_needs_no_points_even_when_overdrawn() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "10").hold(1, "8").charge(1, "12");
    assert_eq!(s.available(), "-10.00");
    s.ok(|a| a.approve_quote(QuoteId::new(2), pts("6"), Some(QuoteId::new(1))));
    assert_eq!(s.account().held().unwrap(), pts("6"));
    // The 2 points given back repaid debt at once.
    assert_eq!(
        (s.balance(), s.available()),
        ("-2.00".into(), "-8.00".into())
    );
    // Upwards, only the increase needs available points.
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "10").hold(1, "8");
    assert!(s
        .account()
        .approve_quote(QuoteId::new(2), pts("10"), Some(QuoteId::new(1)))
        .is_ok());
    assert_eq!(
        s.account()
            .approve_quote(QuoteId::new(2), pts("10.01"), Some(QuoteId::new(1))),
        Err(DomainError::InsufficientPoints {
            needed: pts("2.01"),
            available: pts("2")
        })
    );
}

#[test]
fn the_same_key_for_a_different_request_is_a_conflict() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.buy(1, "10");
    let same = s
        .account()
        .purchase(PaymentId::new(1), pts("10"), "pack")
        .unwrap();
    assert_eq!(s.0.commit(&same, T), Ok(Outcome::Duplicate));
    let other = s
        .account()
        .purchase(PaymentId::new(1), pts("50"), "pack")
        .unwrap();
    assert_eq!(
        s.0.commit(&other, T),
        Err(DomainError::IdempotencyConflict {
            key: "purchase:1".into()
        })
    );
    assert_eq!(s.balance(), "10.00");
}

#[test]
fn holds_cannot_add_up_out_of_range() {
    let mut s = Seq::new(Overdraft::Always);
    let huge = Points::from_hundredths(crate::points::MAX_HUNDREDTHS).unwrap();
    s.ok(|a| a.approve_quote(QuoteId::new(1), huge, None));
    assert_eq!(
        s.account()
            .approve_quote(QuoteId::new(2), pts("0.01"), None),
        Err(DomainError::Amount)
    );
    assert_eq!(s.account().available().unwrap(), huge.neg());
    s.buy(1, "1");
    assert_eq!(
        s.available(),
        huge.neg().checked_add(pts("1")).unwrap().to_string()
    );
}

#[test]
fn a_release_after_the_block_expired_returns_points_for_the_current_period() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "20")
        .hold(1, "12")
        .end_period(Rollover::None);
    assert_eq!(s.balance(), "12.00");
    s.release(1);
    assert_eq!(
        (s.balance(), s.available()),
        ("12.00".into(), "12.00".into())
    );
    let returned = s.account().live_blocks()[0].clone();
    assert_eq!(returned.source, BlockSource::Returned(BlockId::new(1)));
    assert_eq!(returned.expires, Some(nov().next()));
    s.end_period(Rollover::None);
    assert_eq!(s.balance(), "0.00", "they expire with December's allotment");
}

#[test]
fn a_refund_is_a_never_expiring_block_whichever_blocks_paid_the_charge() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "4").buy(1, "10").charge(7, "6");
    // 4 from November's allotment, 2 from the purchase.
    let charges = s.0.charges_of(TicketId::new(7));
    assert_eq!(
        charges[0].moves,
        vec![
            Move {
                block: BlockId::new(1),
                points: pts("-4")
            },
            Move {
                block: BlockId::new(2),
                points: pts("-2")
            }
        ]
    );
    s.end_period(Rollover::None);
    s.ok(|a| {
        a.refund_dispute(
            DisputeId::new(1),
            TicketId::new(7),
            &charges,
            "ours".into(),
            None,
        )
    });
    assert_eq!(s.balance(), "14.00");
    assert_eq!(
        s.blocks(),
        vec![
            ("grant:2026-11".into(), "0.00".into(), "0.00".into(), true),
            ("purchase:1".into(), "8.00".into(), "0.00".into(), false),
            ("refund:1".into(), "6.00".into(), "0.00".into(), false),
        ],
        "the refunded 6 never expire"
    );
    s.end_period(Rollover::None);
    assert_eq!(
        s.balance(),
        "14.00",
        "nothing of the refund expires with December"
    );
}

/// The same history under every overdraft rule: a charge that did not fit, settled by later
/// arrivals, then refunded. Under `never` it was an outstanding charge paid by November's
/// allotment; under the others it was debt repaid by it. Either way the refund is a block that
/// never expires, and November's end takes nothing of it.
#[test]
fn a_refund_means_the_same_under_every_overdraft_rule() {
    for overdraft in [
        Overdraft::Never,
        Overdraft::IncidentsOnly,
        Overdraft::Always,
    ] {
        let mut s = Seq::new(overdraft);
        s.charge(3, "5").grant(nov(), "20");
        assert_eq!(
            s.balance(),
            "15.00",
            "{overdraft:?}: the charge was settled"
        );
        let charges = s.0.charges_of(TicketId::new(3));
        s.ok(|a| {
            a.refund_dispute(
                DisputeId::new(1),
                TicketId::new(3),
                &charges,
                "ours".into(),
                None,
            )
        });
        assert_eq!(s.balance(), "20.00", "{overdraft:?}");
        s.end_period(Rollover::None);
        assert_eq!(
            s.balance(),
            "5.00",
            "{overdraft:?}: the refunded 5 outlive November"
        );
        let refund = s.account().live_blocks()[0].clone();
        assert_eq!(refund.source, BlockSource::Refund(DisputeId::new(1)));
        assert_eq!(refund.expires, None);
    }
}

#[test]
fn under_overdraft_never_an_incident_charge_that_does_not_fit_is_outstanding() {
    let mut s = Seq::new(Overdraft::Never);
    s.grant(nov(), "3").charge(5, "8");
    assert_eq!(s.balance(), "0.00", "never below zero");
    assert_eq!(s.account().outstanding[&TicketId::new(5)], pts("5"));
    s.buy(1, "10");
    let entries = s.0.entries();
    let (buy, settle) = (&entries[2], &entries[3]);
    assert_eq!((buy.kind, buy.amount), (EntryKind::Purchase, pts("10")));
    assert_eq!(
        (settle.kind, settle.amount, settle.reference),
        (
            EntryKind::Charge,
            pts("-5"),
            EntryRef::Ticket(TicketId::new(5))
        )
    );
    assert!(s.account().outstanding.is_empty());
    assert_eq!(s.balance(), "5.00");
    // Upheld, the dispute refunds all 8 that were paid, in two charges.
    let charges = s.0.charges_of(TicketId::new(5));
    s.ok(|a| {
        a.refund_dispute(
            DisputeId::new(1),
            TicketId::new(5),
            &charges,
            "x".into(),
            None,
        )
    });
    assert_eq!(s.balance(), "13.00");
}

#[test]
fn catch_up_turns_over_every_missed_period_once() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "20");
    let feb = Period::new(2027, 2).unwrap();
    let ds = s
        .account()
        .catch_up(feb, Rollover::Capped(pts("5")), pts("20"))
        .unwrap();
    assert_eq!(ds.len(), 6, "Nov, Dec, Jan end; Dec, Jan, Feb granted");
    // Written halfway, then retried from a fresh load: nothing twice.
    for d in &ds[..3] {
        assert_eq!(s.0.commit(d, T), Ok(Outcome::Applied));
    }
    let rest = s
        .account()
        .catch_up(feb, Rollover::Capped(pts("5")), pts("20"))
        .unwrap();
    assert_eq!(rest.len(), 3);
    for d in ds.iter().chain(&rest) {
        s.0.commit(d, T).unwrap();
    }
    assert!(s
        .account()
        .catch_up(feb, Rollover::Capped(pts("5")), pts("20"))
        .unwrap()
        .is_empty());
    assert_eq!(s.account().period, feb);
    // Feb's 20 + January's 5 carried (which were December's 5 carried, then capped again).
    assert_eq!(s.balance(), "25.00");
}

#[test]
fn grant_purchase_charge_and_running_balance() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "20").buy(9, "10").charge(4, "0.75");
    let after: Vec<String> =
        s.0.entries()
            .iter()
            .map(|e| e.balance_after.to_string())
            .collect();
    assert_eq!(after, ["20.00", "30.00", "29.25"]);
    assert_eq!(s.account().blocks[&BlockId::new(1)].remaining, pts("19.25"));
}

#[test]
fn approval_needs_available_points_unless_quotes_may_overdraw() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.buy(1, "3");
    assert_eq!(
        s.account().approve_quote(QuoteId::new(1), pts("4"), None),
        Err(DomainError::InsufficientPoints {
            needed: pts("4"),
            available: pts("3")
        })
    );
    let mut s = Seq::new(Overdraft::Always);
    s.buy(1, "3").hold(1, "4");
    assert_eq!(
        s.account().holds[&QuoteId::new(1)].backed().unwrap(),
        pts("3")
    );
    s.complete(1);
    assert_eq!(s.balance(), "-1.00");
}

#[test]
fn completing_turns_the_hold_into_one_charge_and_cancelling_releases_it() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "10").hold(1, "4");
    assert_eq!(s.available(), "6.00");
    s.complete(1);
    assert_eq!((s.balance(), s.available()), ("6.00".into(), "6.00".into()));
    assert!(s
        .account()
        .complete_quote(QuoteId::new(1), "again".into(), None)
        .is_err());
    s.hold(2, "2").release(2);
    assert_eq!((s.balance(), s.available()), ("6.00".into(), "6.00".into()));
}

#[test]
fn adjustments_need_a_reason_and_an_amount() {
    let a = Account::new(OrgId::new(1), Overdraft::IncidentsOnly, nov());
    assert!(a
        .adjust(AdjustmentId::new(1), pts("1"), "  ", MANAGER, None)
        .is_err());
    assert!(a
        .adjust(AdjustmentId::new(1), Points::ZERO, "typo", MANAGER, None)
        .is_err());
    let d = a
        .adjust(AdjustmentId::new(1), pts("-1"), " typo ", MANAGER, None)
        .unwrap();
    assert_eq!(d.entry().unwrap().reason, "typo");
    assert_eq!(d.entry().unwrap().debt_change, pts("1"));
}

#[test]
fn every_entry_moves_exactly_its_amount() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.charge(1, "2")
        .grant(nov(), "5")
        .hold(1, "2")
        .buy(1, "1")
        .end_period(Rollover::Capped(pts("1")))
        .complete(1);
    for e in s.0.entries() {
        let moved = Points::sum(e.moves.iter().map(|m| m.points)).unwrap();
        assert_eq!(moved.checked_sub(e.debt_change).unwrap(), e.amount, "{e:?}");
    }
}

#[test]
fn a_grant_posted_ahead_leaves_no_hole() {
    // grant(Nov), grant(Jan), then November and December turn over: December is granted too.
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    let (dec, jan) = (nov().next(), nov().next().next());
    s.grant(nov(), "20").grant(jan, "20");
    for d in s
        .account()
        .turn_over(nov(), Rollover::None, pts("20"))
        .unwrap()
    {
        s.ok(|_| Ok(d));
    }
    assert_eq!(s.account().period, dec);
    assert_eq!(s.balance(), "40.00", "December's and January's allotments");
    // December ends: January was posted ahead, so nothing is granted twice.
    let ds = s
        .account()
        .catch_up(jan, Rollover::None, pts("20"))
        .unwrap();
    assert_eq!(ds.len(), 1, "December's expiry only");
    for d in ds {
        s.ok(|_| Ok(d));
    }
    assert_eq!(s.balance(), "20.00");
    let granted: Vec<String> = s
        .blocks()
        .into_iter()
        .filter(|b| b.0.starts_with("grant:"))
        .map(|b| b.0)
        .collect();
    assert_eq!(
        granted,
        ["grant:2026-11", "grant:2027-01", "grant:2026-12"],
        "every period once"
    );
}

#[test]
fn a_downward_revision_releases_the_points_that_expire_last() {
    // Buy 10, approve 10 (the bought points), grant November 20, revise to 15 (5 of November
    // more), revise to 10: the bought 5 go back, November's reserved 5 stay protected.
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.buy(1, "10").hold(1, "10").grant(nov(), "20");
    s.ok(|a| a.approve_quote(QuoteId::new(2), pts("15"), Some(QuoteId::new(1))));
    assert_eq!(
        s.account().holds[&QuoteId::new(2)].reserved,
        vec![
            Move {
                block: BlockId::new(2),
                points: pts("5")
            },
            Move {
                block: BlockId::new(1),
                points: pts("10")
            }
        ],
        "an increase reserves in draw order; the list reads in draw order"
    );
    s.ok(|a| a.approve_quote(QuoteId::new(3), pts("10"), Some(QuoteId::new(2))));
    assert_eq!(
        s.account().holds[&QuoteId::new(3)].reserved,
        vec![
            Move {
                block: BlockId::new(2),
                points: pts("5")
            },
            Move {
                block: BlockId::new(1),
                points: pts("5")
            }
        ]
    );
    s.end_period(Rollover::None);
    assert_eq!(
        s.blocks(),
        vec![
            ("purchase:1".into(), "10.00".into(), "5.00".into(), false),
            ("grant:2026-11".into(), "5.00".into(), "5.00".into(), true),
        ],
        "November's reserved 5 outlive the month; the bought 10 are whole"
    );
    assert_eq!(s.balance(), "15.00");
    s.complete(3);
    assert_eq!(s.balance(), "5.00");
}

#[test]
fn a_correction_must_reverse_the_entry_it_corrects() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.ok(|a| a.adjust(AdjustmentId::new(1), pts("5"), "goodwill", MANAGER, None));
    let credit = s.0.entries()[0].trace();
    let same_sign = s.account().adjust(
        AdjustmentId::new(2),
        pts("5"),
        "again",
        MANAGER,
        Some(&credit),
    );
    assert_eq!(
        same_sign,
        Err(DomainError::Field {
            field: "amount",
            code: "opposite_sign"
        }),
        "a credit cannot correct a credit"
    );
    s.ok(|a| {
        a.adjust(
            AdjustmentId::new(2),
            pts("-5"),
            "undo",
            MANAGER,
            Some(&credit),
        )
    });
    assert_eq!(s.balance(), "0.00");
    let debit = s.0.entries()[1].trace();
    assert!(matches!(
        s.account()
            .adjust(AdjustmentId::new(3), pts("-1"), "x", MANAGER, Some(&debit)),
        Err(DomainError::Field { .. })
    ));
    s.ok(|a| {
        a.adjust(
            AdjustmentId::new(3),
            pts("5"),
            "redo",
            MANAGER,
            Some(&debit),
        )
    });
    assert_eq!(s.balance(), "5.00");
}

impl Seq {
    /// The gateway refunded `refunded` (minor units, in all so far) of a 1 000.00 purchase.
    fn refund_purchase(&mut self, payment: i64, points: &str, refunded: i64) -> &mut Seq {
        let taken = Points::sum(
            self.0
                .entries()
                .iter()
                .filter(|e| {
                    e.kind == EntryKind::PurchaseRefund
                        && e.reference == EntryRef::Payment(PaymentId::new(payment))
                })
                .map(|e| e.amount.neg()),
        )
        .unwrap();
        self.ok(|a| {
            a.refund_purchase(
                PaymentId::new(payment),
                pts(points),
                100_000,
                refunded,
                taken,
                "refunded".into(),
            )
        })
    }
}

#[test]
fn a_full_refund_takes_the_unspent_points_back_and_the_spent_become_debt() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.buy(1, "10").charge(1, "4");
    assert_eq!(s.balance(), "6.00");
    s.refund_purchase(1, "10", 100_000);
    assert_eq!(s.balance(), "-4.00", "the 4 already spent are owed");
    assert_eq!(s.account().debt, pts("4"));
    let e = s.0.entries().last().unwrap().clone();
    assert_eq!(
        (e.kind, e.amount, e.debt_change),
        (EntryKind::PurchaseRefund, pts("-10"), pts("4"))
    );
    // A replay of the same refund is the same decision; the next points repay the debt.
    let replay = s.account().refund_purchase(
        PaymentId::new(1),
        pts("10"),
        100_000,
        100_000,
        Points::ZERO,
        "refunded".into(),
    );
    assert_eq!(s.0.commit(&replay.unwrap(), T), Ok(Outcome::Duplicate));
    assert_eq!(s.0.entries().len(), 3);
    s.grant(nov(), "20");
    assert_eq!(s.balance(), "16.00");
}

#[test]
fn partial_refunds_take_back_in_proportion_rounded_down() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "5").buy(1, "10");
    // 333.33 of 1 000.00 refunded: 3.3333 points → 3.33.
    s.refund_purchase(1, "10", 33_333);
    assert_eq!(s.balance(), "11.67");
    // Then the rest of it, in all 1 000.00: the whole 10, less the 3.33 already taken.
    s.refund_purchase(1, "10", 100_000);
    assert_eq!(s.balance(), "5.00", "November's 5 were never touched");
    assert_eq!(
        s.blocks(),
        vec![
            ("grant:2026-11".into(), "5.00".into(), "0.00".into(), false),
            ("purchase:1".into(), "0.00".into(), "0.00".into(), false),
        ]
    );
    assert_eq!(refund_share(pts("10"), 100_000, 33_333), Ok(pts("3.33")));
    assert_eq!(refund_share(pts("10"), 100_000, 250_000), Ok(pts("10")));
}

#[test]
fn under_overdraft_never_what_was_spent_is_owed_and_taken_as_points_arrive() {
    let mut s = Seq::new(Overdraft::Never);
    s.buy(1, "10")
        .charge(1, "4")
        .refund_purchase(1, "10", 100_000);
    assert_eq!(s.balance(), "0.00", "never below zero");
    assert_eq!(s.account().debt, Points::ZERO);
    assert_eq!(s.account().refunds_owed[&PaymentId::new(1)], pts("4"));
    assert_eq!(s.available(), "0.00");
    s.grant(nov(), "20");
    assert!(s.account().refunds_owed.is_empty());
    assert_eq!(s.balance(), "16.00");
    let settle = s.0.entries().last().unwrap().clone();
    assert_eq!(
        (settle.kind, settle.amount, settle.reference),
        (
            EntryKind::PurchaseRefund,
            pts("-4"),
            EntryRef::Payment(PaymentId::new(1))
        )
    );
}

#[test]
fn reserved_points_of_a_refunded_purchase_stay_with_their_quote() {
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.buy(1, "10")
        .hold(1, "6")
        .refund_purchase(1, "10", 100_000);
    // The 4 free are taken back; the 6 held for the approved quote stay reserved and the
    // account owes them.
    assert_eq!(s.balance(), "0.00");
    assert_eq!(s.account().debt, pts("6"));
    assert_eq!(
        s.blocks()[0],
        ("purchase:1".into(), "6.00".into(), "6.00".into(), false)
    );
}

#[test]
fn cancelling_after_work_charges_part_of_the_hold_and_releases_the_rest() {
    // 3 points of November's allotment and 2 bought points reserved for a 5-point quote.
    let mut s = Seq::new(Overdraft::IncidentsOnly);
    s.grant(nov(), "3").buy(1, "4").hold(1, "5");
    assert_eq!(s.available(), "2.00");
    // 1.25 points of work were done: they come from the allotment (it expires first).
    s.ok(|a| a.charge_part_of_quote(QuoteId::new(1), pts("1.25"), "cancelled".into(), None));
    assert_eq!((s.balance(), s.available()), ("5.75".into(), "5.75".into()));
    assert_eq!(
        s.blocks(),
        vec![
            ("grant:2026-11".into(), "1.75".into(), "0.00".into(), false),
            ("purchase:1".into(), "4.00".into(), "0.00".into(), false),
        ]
    );
    assert!(s.account().holds.is_empty());
    // More than the quote, or nothing, is refused; the whole quote is a completion.
    s.hold(2, "1");
    for wrong in ["1.01", "0"] {
        assert!(s
            .account()
            .charge_part_of_quote(QuoteId::new(2), pts(wrong), "x".into(), None)
            .is_err());
    }
    s.ok(|a| a.charge_part_of_quote(QuoteId::new(2), pts("1"), "all".into(), None));
    assert_eq!(s.balance(), "4.75");
}
