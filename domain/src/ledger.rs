//! The ledger: append-only entries, holds, balance and available points, and the pure decisions
//! that say what a business event writes.
//!
//! A decision is computed from an [`Account`] snapshot and returned as a [`Decision`]: at most
//! one new entry plus at most one hold placed and one released, all under one idempotency key
//! derived from the business event. [`Ledger`] applies decisions in memory (the reference the
//! worker's D1 batch mirrors: the key is `UNIQUE`, so a retried decision writes nothing).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::DomainError;
use crate::ids::{
    AdjustmentId, DisputeId, IdempotencyKey, OrgId, PaymentId, QuoteId, TicketId, UserId,
};
use crate::plan::{Overdraft, Rollover};
use crate::points::Points;
use crate::time::{Period, Timestamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Grant,
    Purchase,
    Charge,
    Refund,
    Adjustment,
    Expiry,
}

impl EntryKind {
    pub const ALL: [EntryKind; 6] = [
        EntryKind::Grant,
        EntryKind::Purchase,
        EntryKind::Charge,
        EntryKind::Refund,
        EntryKind::Adjustment,
        EntryKind::Expiry,
    ];
    pub const fn as_str(self) -> &'static str {
        match self {
            EntryKind::Grant => "grant",
            EntryKind::Purchase => "purchase",
            EntryKind::Charge => "charge",
            EntryKind::Refund => "refund",
            EntryKind::Adjustment => "adjustment",
            EntryKind::Expiry => "expiry",
        }
    }
    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What an entry belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryRef {
    Period(Period),
    Payment(PaymentId),
    Ticket(TicketId),
    Quote(QuoteId),
    Dispute(DisputeId),
    Adjustment(AdjustmentId),
}

/// An entry a decision asks to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    pub kind: EntryKind,
    pub amount: Points,
    pub reason: String,
    pub reference: EntryRef,
    pub actor: Option<UserId>,
}

/// An appended entry: never changed, never removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub seq: u64,
    pub org: OrgId,
    pub kind: EntryKind,
    pub amount: Points,
    pub reason: String,
    pub reference: EntryRef,
    pub actor: Option<UserId>,
    pub key: IdempotencyKey,
    pub at: Timestamp,
    pub balance_after: Points,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hold {
    pub quote: QuoteId,
    pub points: Points,
}

/// What one business event changes. Empty decisions are allowed (they still record the key,
/// e.g. a zero grant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub key: IdempotencyKey,
    pub entry: Option<NewEntry>,
    pub release: Option<QuoteId>,
    pub place: Option<Hold>,
}

impl Decision {
    /// A decision that only records its key (e.g. a zero grant): a retry still finds it.
    fn nothing(key: IdempotencyKey) -> Decision {
        Decision {
            key,
            entry: None,
            release: None,
            place: None,
        }
    }

    fn entry(key: IdempotencyKey, entry: NewEntry) -> Decision {
        Decision {
            key,
            entry: Some(entry),
            release: None,
            place: None,
        }
    }
}

/// The state of one organisation's points that decisions are made against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub org: OrgId,
    pub balance: Points,
    /// Allotment points granted and not yet used: the only points that can expire. Charges and
    /// negative adjustments use allotment first; purchases and refunds never expire.
    pub grant_pool: Points,
    pub holds: BTreeMap<QuoteId, Points>,
    pub overdraft: Overdraft,
}

impl Account {
    pub fn new(org: OrgId, overdraft: Overdraft) -> Account {
        Account {
            org,
            balance: Points::ZERO,
            grant_pool: Points::ZERO,
            holds: BTreeMap::new(),
            overdraft,
        }
    }

    pub fn held(&self) -> Result<Points, DomainError> {
        Ok(Points::sum(self.holds.values().copied())?)
    }

    /// Balance minus active holds.
    pub fn available(&self) -> Result<Points, DomainError> {
        Ok(self.balance.checked_sub(self.held()?)?)
    }

    /// The period's allotment arrives.
    pub fn grant(&self, period: Period, allotment: Points) -> Result<Decision, DomainError> {
        if allotment.is_negative() {
            return Err(DomainError::Invalid("an allotment cannot be negative"));
        }
        let key = IdempotencyKey::grant(self.org, period);
        if allotment == Points::ZERO {
            return Ok(Decision::nothing(key));
        }
        Ok(Decision::entry(
            key,
            NewEntry {
                kind: EntryKind::Grant,
                amount: allotment,
                reason: format!("Allotment for {period}"),
                reference: EntryRef::Period(period),
                actor: None,
            },
        ))
    }

    /// Unused allotment expires at the end of `ending` per the rollover rule. Only allotment
    /// expires, never purchased or refunded points, and never points that approved quotes hold.
    pub fn expire(&self, ending: Period, rollover: Rollover) -> Result<Decision, DomainError> {
        let keep = match rollover {
            Rollover::None => Points::ZERO,
            Rollover::Capped(cap) => cap.min(self.grant_pool),
            Rollover::Full => self.grant_pool,
        };
        let expiring = self
            .grant_pool
            .checked_sub(keep)?
            .min(self.available()?.max(Points::ZERO))
            .max(Points::ZERO);
        let key = IdempotencyKey::expiry(self.org, ending);
        if expiring == Points::ZERO {
            return Ok(Decision::nothing(key));
        }
        Ok(Decision::entry(
            key,
            NewEntry {
                kind: EntryKind::Expiry,
                amount: expiring.neg(),
                reason: format!("Unused allotment of {ending} expired"),
                reference: EntryRef::Period(ending),
                actor: None,
            },
        ))
    }

    /// A paid top-up is credited.
    pub fn purchase(
        &self,
        payment: PaymentId,
        points: Points,
        pack: &str,
    ) -> Result<Decision, DomainError> {
        if !points.is_positive() {
            return Err(DomainError::Invalid("a purchase must add points"));
        }
        Ok(Decision::entry(
            IdempotencyKey::purchase(payment),
            NewEntry {
                kind: EntryKind::Purchase,
                amount: points,
                reason: format!("Top-up: {pack}"),
                reference: EntryRef::Payment(payment),
                actor: None,
            },
        ))
    }

    /// A client-caused incident is charged. Incidents are fixed first, so the plan's overdraft
    /// rule decides whether the charge may take available points below zero.
    pub fn charge_incident(
        &self,
        ticket: TicketId,
        points: Points,
        reason: String,
        actor: Option<UserId>,
    ) -> Result<Decision, DomainError> {
        if !points.is_positive() {
            return Err(DomainError::Invalid("a charge must be positive"));
        }
        let available = self.available()?;
        if !self.overdraft.incidents_may_overdraw() && available < points {
            return Err(DomainError::InsufficientPoints {
                needed: points,
                available,
            });
        }
        Ok(Decision::entry(
            IdempotencyKey::incident_charge(ticket),
            NewEntry {
                kind: EntryKind::Charge,
                amount: points.neg(),
                reason,
                reference: EntryRef::Ticket(ticket),
                actor,
            },
        ))
    }

    /// The client approves a quote: a hold for its points. A revision replaces the hold of the
    /// quote it revises in the same decision, so the points already held count as available.
    pub fn approve_quote(
        &self,
        quote: QuoteId,
        points: Points,
        replaces: Option<QuoteId>,
    ) -> Result<Decision, DomainError> {
        if !points.is_positive() {
            return Err(DomainError::Invalid(
                "a quote must be for a positive number of points",
            ));
        }
        if self.holds.contains_key(&quote) {
            return Err(DomainError::IllegalTransition {
                entity: "quote",
                action: "approve",
                state: "approved",
            });
        }
        let released = match replaces {
            Some(old) => *self
                .holds
                .get(&old)
                .ok_or(DomainError::NotFound("hold of the revised quote"))?,
            None => Points::ZERO,
        };
        let available = self.available()?.checked_add(released)?;
        if !self.overdraft.quotes_may_overdraw() && available < points {
            return Err(DomainError::InsufficientPoints {
                needed: points,
                available,
            });
        }
        Ok(Decision {
            key: IdempotencyKey::quote_hold(quote),
            entry: None,
            release: replaces,
            place: Some(Hold { quote, points }),
        })
    }

    /// The quoted work is done: its hold becomes a charge of the quoted points.
    pub fn complete_quote(
        &self,
        quote: QuoteId,
        reason: String,
        actor: Option<UserId>,
    ) -> Result<Decision, DomainError> {
        let held = *self
            .holds
            .get(&quote)
            .ok_or(DomainError::NotFound("hold of the quote"))?;
        Ok(Decision {
            key: IdempotencyKey::quote_charge(quote),
            entry: Some(NewEntry {
                kind: EntryKind::Charge,
                amount: held.neg(),
                reason,
                reference: EntryRef::Quote(quote),
                actor,
            }),
            release: Some(quote),
            place: None,
        })
    }

    /// The request is cancelled: the hold is released, nothing is charged.
    pub fn release_quote(&self, quote: QuoteId) -> Result<Decision, DomainError> {
        if !self.holds.contains_key(&quote) {
            return Err(DomainError::NotFound("hold of the quote"));
        }
        Ok(Decision {
            key: IdempotencyKey::quote_release(quote),
            entry: None,
            release: Some(quote),
            place: None,
        })
    }

    /// A manager upholds a dispute: the charge is refunded in full.
    pub fn refund_dispute(
        &self,
        dispute: DisputeId,
        points: Points,
        reason: String,
        actor: Option<UserId>,
    ) -> Result<Decision, DomainError> {
        if !points.is_positive() {
            return Err(DomainError::Invalid("a refund must add points"));
        }
        Ok(Decision::entry(
            IdempotencyKey::dispute_refund(dispute),
            NewEntry {
                kind: EntryKind::Refund,
                amount: points,
                reason,
                reference: EntryRef::Dispute(dispute),
                actor,
            },
        ))
    }

    /// A manager corrects the balance, with a reason.
    pub fn adjust(
        &self,
        adjustment: AdjustmentId,
        amount: Points,
        reason: &str,
        actor: UserId,
    ) -> Result<Decision, DomainError> {
        if amount == Points::ZERO {
            return Err(DomainError::Invalid(
                "an adjustment must change the balance",
            ));
        }
        if reason.trim().is_empty() {
            return Err(DomainError::Invalid("an adjustment needs a reason"));
        }
        Ok(Decision::entry(
            IdempotencyKey::adjustment(adjustment),
            NewEntry {
                kind: EntryKind::Adjustment,
                amount,
                reason: reason.trim().to_owned(),
                reference: EntryRef::Adjustment(adjustment),
                actor: Some(actor),
            },
        ))
    }

    /// Applies a decision's effects to this snapshot (the in-memory twin of the D1 batch).
    /// Returns the new balance.
    pub fn apply(&mut self, d: &Decision) -> Result<Points, DomainError> {
        let mut next = self.clone();
        if let Some(q) = d.release {
            next.holds
                .remove(&q)
                .ok_or(DomainError::NotFound("hold to release"))?;
        }
        if let Some(h) = d.place {
            if next.holds.insert(h.quote, h.points).is_some() {
                return Err(DomainError::Invalid("a quote has at most one hold"));
            }
        }
        if let Some(e) = &d.entry {
            next.balance = next.balance.checked_add(e.amount)?;
            next.grant_pool = pool_after(next.grant_pool, e.kind, e.amount)?;
        }
        *self = next;
        Ok(self.balance)
    }
}

/// How an entry changes the expirable allotment pool. Grants fill it; expiry drains it by the
/// expired amount; charges and negative adjustments use allotment before purchased points.
pub fn pool_after(pool: Points, kind: EntryKind, amount: Points) -> Result<Points, DomainError> {
    Ok(match kind {
        EntryKind::Grant => pool.checked_add(amount)?,
        EntryKind::Expiry | EntryKind::Charge | EntryKind::Adjustment if amount.is_negative() => {
            pool.checked_add(amount)?.max(Points::ZERO)
        }
        _ => pool,
    })
}

/// What committing a decision did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// The key was seen before: nothing changed.
    Duplicate,
}

/// An organisation's ledger in memory: the reference semantics of the D1 tables.
#[derive(Clone, Debug)]
pub struct Ledger {
    account: Account,
    entries: Vec<Entry>,
    keys: BTreeSet<IdempotencyKey>,
}

impl Ledger {
    pub fn new(account: Account) -> Ledger {
        Ledger {
            account,
            entries: Vec::new(),
            keys: BTreeSet::new(),
        }
    }
    pub fn account(&self) -> &Account {
        &self.account
    }
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
    pub fn has_key(&self, key: &IdempotencyKey) -> bool {
        self.keys.contains(key)
    }

    /// Applies a decision at most once per key. All or nothing.
    pub fn commit(&mut self, d: &Decision, at: Timestamp) -> Result<Outcome, DomainError> {
        if self.keys.contains(&d.key) {
            return Ok(Outcome::Duplicate);
        }
        // `apply` changes nothing when it fails, so the account needs no copy here.
        let balance_after = self.account.apply(d)?;
        if let Some(e) = &d.entry {
            self.entries.push(Entry {
                seq: self.entries.len() as u64 + 1,
                org: self.account.org,
                kind: e.kind,
                amount: e.amount,
                reason: e.reason.clone(),
                reference: e.reference,
                actor: e.actor,
                key: d.key.clone(),
                at,
                balance_after,
            });
        }
        self.keys.insert(d.key.clone());
        Ok(Outcome::Applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(s: &str) -> Points {
        s.parse().unwrap()
    }
    fn acct(overdraft: Overdraft) -> Account {
        Account::new(OrgId::new(1), overdraft)
    }
    fn nov() -> Period {
        Period::new(2026, 11).unwrap()
    }
    const T: Timestamp = Timestamp::from_unix(1_795_737_600);

    #[test]
    fn grant_purchase_charge_and_running_balance() {
        let mut l = Ledger::new(acct(Overdraft::IncidentsOnly));
        l.commit(&l.account().grant(nov(), pts("20")).unwrap(), T)
            .unwrap();
        l.commit(
            &l.account()
                .purchase(PaymentId::new(9), pts("10"), "10 pt")
                .unwrap(),
            T,
        )
        .unwrap();
        l.commit(
            &l.account()
                .charge_incident(TicketId::new(4), pts("0.75"), "45 min".into(), None)
                .unwrap(),
            T,
        )
        .unwrap();
        let after: Vec<String> = l
            .entries()
            .iter()
            .map(|e| e.balance_after.to_string())
            .collect();
        assert_eq!(after, ["20.00", "30.00", "29.25"]);
        assert_eq!(l.account().grant_pool, pts("19.25"));
    }

    #[test]
    fn retried_events_write_once() {
        let mut l = Ledger::new(acct(Overdraft::IncidentsOnly));
        let d = l
            .account()
            .purchase(PaymentId::new(1), pts("5"), "5 pt")
            .unwrap();
        assert_eq!(l.commit(&d, T), Ok(Outcome::Applied));
        let again = l
            .account()
            .purchase(PaymentId::new(1), pts("5"), "5 pt")
            .unwrap();
        assert_eq!(l.commit(&again, T), Ok(Outcome::Duplicate));
        assert_eq!(l.entries().len(), 1);
        assert_eq!(l.account().balance, pts("5"));
    }

    #[test]
    fn approval_needs_available_points_unless_quotes_may_overdraw() {
        let mut a = acct(Overdraft::IncidentsOnly);
        a.balance = pts("3");
        assert_eq!(
            a.approve_quote(QuoteId::new(1), pts("4"), None),
            Err(DomainError::InsufficientPoints {
                needed: pts("4"),
                available: pts("3")
            })
        );
        a.overdraft = Overdraft::Always;
        assert!(a.approve_quote(QuoteId::new(1), pts("4"), None).is_ok());
    }

    #[test]
    fn a_revision_counts_the_replaced_hold_as_available() {
        let mut a = acct(Overdraft::IncidentsOnly);
        a.balance = pts("5");
        a.apply(&a.approve_quote(QuoteId::new(1), pts("4"), None).unwrap())
            .unwrap();
        assert_eq!(a.available().unwrap(), pts("1"));
        assert!(a
            .approve_quote(QuoteId::new(2), pts("5"), Some(QuoteId::new(1)))
            .is_ok());
        assert!(a
            .approve_quote(QuoteId::new(2), pts("5.01"), Some(QuoteId::new(1)))
            .is_err());
    }

    #[test]
    fn incidents_overdraw_only_when_the_plan_allows() {
        let a = acct(Overdraft::Never);
        assert!(matches!(
            a.charge_incident(TicketId::new(1), pts("1"), String::new(), None),
            Err(DomainError::InsufficientPoints { .. })
        ));
        let a = acct(Overdraft::IncidentsOnly);
        assert!(a
            .charge_incident(TicketId::new(1), pts("1"), String::new(), None)
            .is_ok());
    }

    #[test]
    fn expiry_follows_the_rollover_rule_and_spares_purchases_and_holds() {
        // (rollover, granted, bought, charged, held) → expired
        let cases = [
            (Rollover::None, "20", "0", "5", "0", "15.00"),
            (Rollover::Capped(pts("4")), "20", "0", "5", "0", "11.00"),
            (Rollover::Full, "20", "0", "5", "0", "0.00"),
            (Rollover::None, "20", "10", "25", "0", "0.00"), // allotment used up first
            (Rollover::None, "20", "10", "5", "0", "15.00"), // purchased 10 stay
            (Rollover::None, "20", "0", "5", "12", "3.00"),  // held points do not expire
        ];
        for (rollover, granted, bought, charged, held, expired) in cases {
            let mut l = Ledger::new(acct(Overdraft::Always));
            l.commit(&l.account().grant(nov(), pts(granted)).unwrap(), T)
                .unwrap();
            if pts(bought).is_positive() {
                l.commit(
                    &l.account()
                        .purchase(PaymentId::new(1), pts(bought), "p")
                        .unwrap(),
                    T,
                )
                .unwrap();
            }
            l.commit(
                &l.account()
                    .charge_incident(TicketId::new(1), pts(charged), "c".into(), None)
                    .unwrap(),
                T,
            )
            .unwrap();
            if pts(held).is_positive() {
                l.commit(
                    &l.account()
                        .approve_quote(QuoteId::new(1), pts(held), None)
                        .unwrap(),
                    T,
                )
                .unwrap();
            }
            let d = l.account().expire(nov(), rollover).unwrap();
            let got = d.entry.as_ref().map_or(Points::ZERO, |e| e.amount.neg());
            assert_eq!(
                got.to_string(),
                expired,
                "{rollover:?} {granted} {bought} {charged} {held}"
            );
        }
    }

    #[test]
    fn completing_turns_the_hold_into_one_charge_and_cancelling_releases_it() {
        let mut l = Ledger::new(acct(Overdraft::IncidentsOnly));
        l.commit(&l.account().grant(nov(), pts("10")).unwrap(), T)
            .unwrap();
        l.commit(
            &l.account()
                .approve_quote(QuoteId::new(1), pts("4"), None)
                .unwrap(),
            T,
        )
        .unwrap();
        assert_eq!(l.account().available().unwrap(), pts("6"));
        l.commit(
            &l.account()
                .complete_quote(QuoteId::new(1), "done".into(), None)
                .unwrap(),
            T,
        )
        .unwrap();
        assert_eq!(
            (l.account().balance, l.account().available().unwrap()),
            (pts("6"), pts("6"))
        );
        assert!(l
            .account()
            .complete_quote(QuoteId::new(1), "again".into(), None)
            .is_err());

        l.commit(
            &l.account()
                .approve_quote(QuoteId::new(2), pts("2"), None)
                .unwrap(),
            T,
        )
        .unwrap();
        l.commit(&l.account().release_quote(QuoteId::new(2)).unwrap(), T)
            .unwrap();
        assert_eq!(
            (l.account().balance, l.account().available().unwrap()),
            (pts("6"), pts("6"))
        );
    }

    #[test]
    fn adjustments_need_a_reason_and_an_amount() {
        let a = acct(Overdraft::IncidentsOnly);
        let m = UserId::new(1);
        assert!(a.adjust(AdjustmentId::new(1), pts("1"), "  ", m).is_err());
        assert!(a
            .adjust(AdjustmentId::new(1), Points::ZERO, "typo", m)
            .is_err());
        assert_eq!(
            a.adjust(AdjustmentId::new(1), pts("-1"), " typo ", m)
                .unwrap()
                .entry
                .unwrap()
                .reason,
            "typo"
        );
    }
}
