//! The ledger: append-only entries over credit blocks, holds, debt and outstanding charges, and
//! the pure decisions that say what a business event writes.
//!
//! A decision is computed from an [`Account`] snapshot and returned as a [`Decision`]: the
//! entries to append (each with the block moves it made) and the new state of everything it
//! changed (blocks, holds, debt, outstanding charges), under one idempotency key derived from the
//! business event, and stamped with the account **version** it was decided on. Applying it to any
//! other version is refused ([`DomainError::Stale`]): the worker writes the version check into
//! the same D1 batch and retries load → decide → write. [`Ledger`] is the in-memory reference of
//! those tables.
//!
//! Balance = Σ block remainders − debt. Available = balance − Σ holds. Debt (a balance below
//! zero) and outstanding charges (what did not fit under overdraft `never`) are repaid first by
//! the next points that become free, as entries of their own (see [`Account::settle`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::credit::{Block, BlockSource, Move};
use crate::error::DomainError;
use crate::ids::{
    AdjustmentId, BlockId, DisputeId, IdempotencyKey, OrgId, PaymentId, QuoteId, TicketId, UserId,
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
    /// Arriving points paid back debt: the balance does not change (it already showed the
    /// debt), the blocks they came from do.
    Repayment,
    /// A payment refunded by the gateway takes its points back (negative).
    PurchaseRefund,
}

impl EntryKind {
    pub const ALL: [EntryKind; 8] = [
        EntryKind::Grant,
        EntryKind::Purchase,
        EntryKind::Charge,
        EntryKind::Refund,
        EntryKind::Adjustment,
        EntryKind::Expiry,
        EntryKind::Repayment,
        EntryKind::PurchaseRefund,
    ];
    pub const fn as_str(self) -> &'static str {
        match self {
            EntryKind::Grant => "grant",
            EntryKind::Purchase => "purchase",
            EntryKind::Charge => "charge",
            EntryKind::Refund => "refund",
            EntryKind::Adjustment => "adjustment",
            EntryKind::Expiry => "expiry",
            EntryKind::Repayment => "repayment",
            EntryKind::PurchaseRefund => "purchase_refund",
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
    /// The decision's key, or a part of it for a decision's second and later entries.
    pub key: IdempotencyKey,
    pub kind: EntryKind,
    pub amount: Points,
    pub reason: String,
    pub reference: EntryRef,
    pub actor: Option<UserId>,
    /// Which blocks the entry drew from (negative) or added to (positive).
    pub moves: Vec<Move>,
    /// How the entry changed the debt: amount = Σ moves − debt_change.
    pub debt_change: Points,
    pub balance_after: Points,
}

/// An appended entry: never changed, never removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub seq: u64,
    pub org: OrgId,
    pub at: Timestamp,
    pub kind: EntryKind,
    pub amount: Points,
    pub reason: String,
    pub reference: EntryRef,
    pub actor: Option<UserId>,
    pub key: IdempotencyKey,
    pub moves: Vec<Move>,
    pub debt_change: Points,
    pub balance_after: Points,
}

impl Entry {
    /// What a refund or a correction of this entry needs to know.
    pub fn trace(&self) -> Trace {
        Trace {
            amount: self.amount,
            moves: self.moves.clone(),
            debt_change: self.debt_change,
        }
    }
}

/// An entry's effect on the blocks, which a refund or a correcting adjustment reverses. The
/// worker builds it from the stored entry and its moves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub amount: Points,
    pub moves: Vec<Move>,
    pub debt_change: Points,
}

impl Trace {
    /// The block a credit entry created (for a correcting debit to draw from).
    pub fn created(&self) -> Option<BlockId> {
        self.moves
            .iter()
            .find(|m| m.points.is_positive())
            .map(|m| m.block)
    }
}

/// Points an approved quote reserves, and in which blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    pub quote: QuoteId,
    pub points: Points,
    /// Reserved points per block, in draw order. Their sum may be less than `points` only when
    /// the plan let the approval overdraw; the rest is drawn when the work is charged.
    pub reserved: Vec<Move>,
}

impl Hold {
    pub fn backed(&self) -> Result<Points, DomainError> {
        Ok(Points::sum(self.reserved.iter().map(|m| m.points))?)
    }
}

/// The new state of everything a decision changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changes {
    pub period: Period,
    pub granted: BTreeSet<Period>,
    /// New and changed blocks, as they are after the decision.
    pub blocks: Vec<Block>,
    pub next_block: BlockId,
    pub debt: Points,
    /// Outstanding charges per ticket after the decision; zero means settled.
    pub outstanding: Vec<(TicketId, Points)>,
    /// Refunded purchases' points still owed (overdraft `never`) after the decision; zero means
    /// settled.
    pub refunds_owed: Vec<(PaymentId, Points)>,
    pub holds_released: Vec<QuoteId>,
    pub holds_placed: Vec<Hold>,
}

/// What one business event changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub key: IdempotencyKey,
    /// The request as given (not the state it met): the same key with another fingerprint is a
    /// conflict, not a retry.
    pub fingerprint: String,
    /// The account version this was decided on.
    pub version: u64,
    pub entries: Vec<NewEntry>,
    pub changes: Changes,
}

impl Decision {
    /// The decision's main entry, if it writes one.
    pub fn entry(&self) -> Option<&NewEntry> {
        self.entries.first()
    }
}

/// The state of one organisation's points that decisions are made against. It must contain
/// every live block (remaining > 0) and every block a trace passed to a decision names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub org: OrgId,
    /// Bumped by every applied decision.
    pub version: u64,
    /// The open period: expiry has run for every period before it and for none after.
    pub period: Period,
    /// The periods, from the open one on, whose allotment has arrived (a grant may be posted
    /// ahead of its period). Every period is granted exactly once: a turn-over grants the next
    /// period unless it is here, whatever later periods are.
    pub granted: BTreeSet<Period>,
    pub overdraft: Overdraft,
    pub blocks: BTreeMap<BlockId, Block>,
    pub next_block: BlockId,
    /// Points owed below zero (≥ 0).
    pub debt: Points,
    /// Incident charges that did not fit under overdraft `never`, per ticket. Not part of the
    /// balance; settled by charge entries as points arrive.
    pub outstanding: BTreeMap<TicketId, Points>,
    /// Points of refunded purchases that were spent before the refund and, under overdraft
    /// `never`, could not be taken back at once: owed like outstanding charges, settled by
    /// `purchase_refund` entries as points arrive.
    pub refunds_owed: BTreeMap<PaymentId, Points>,
    pub holds: BTreeMap<QuoteId, Hold>,
}

impl Account {
    pub fn new(org: OrgId, overdraft: Overdraft, period: Period) -> Account {
        Account {
            org,
            version: 0,
            period,
            granted: BTreeSet::new(),
            overdraft,
            blocks: BTreeMap::new(),
            next_block: BlockId::new(1),
            debt: Points::ZERO,
            outstanding: BTreeMap::new(),
            refunds_owed: BTreeMap::new(),
            holds: BTreeMap::new(),
        }
    }

    /// Σ block remainders − debt.
    pub fn balance(&self) -> Result<Points, DomainError> {
        let blocks = Points::sum(self.blocks.values().map(|b| b.remaining))?;
        Ok(blocks.checked_sub(self.debt)?)
    }

    pub fn held(&self) -> Result<Points, DomainError> {
        Ok(Points::sum(self.holds.values().map(|h| h.points))?)
    }

    /// Balance minus active holds.
    pub fn available(&self) -> Result<Points, DomainError> {
        Ok(self.balance()?.checked_sub(self.held()?)?)
    }

    /// Points that may be drawn now (free in live blocks).
    pub fn free(&self) -> Result<Points, DomainError> {
        Ok(Points::sum(self.blocks.values().map(Block::free))?)
    }

    /// Everything owed outside the balance: outstanding charges and refunds owed.
    pub fn outstanding_total(&self) -> Result<Points, DomainError> {
        Ok(Points::sum(
            self.outstanding
                .values()
                .chain(self.refunds_owed.values())
                .copied(),
        )?)
    }

    /// Blocks still holding points, in draw order: what expires when.
    pub fn live_blocks(&self) -> Vec<&Block> {
        let mut live: Vec<&Block> = self
            .blocks
            .values()
            .filter(|b| b.remaining.is_positive())
            .collect();
        live.sort_by(|a, b| a.draw_order(b));
        live
    }

    // ---- decisions ------------------------------------------------------------------------

    /// A period's allotment arrives as a block that expires at that period's end (repaying debt
    /// and outstanding charges first). The open period or a later one; never a closed one.
    pub fn grant(&self, period: Period, allotment: Points) -> Result<Decision, DomainError> {
        if allotment.is_negative() {
            return Err(DomainError::Invalid("an allotment cannot be negative"));
        }
        if period < self.period {
            return Err(DomainError::Invalid(
                "an allotment cannot be granted for a period that has ended",
            ));
        }
        let key = IdempotencyKey::grant(self.org, period);
        let fingerprint = format!("grant:{period}:{allotment}");
        let mut next = self.clone();
        next.granted.insert(period);
        let mut entries = Vec::new();
        if allotment.is_positive() {
            let block = next.add_block(BlockSource::Grant(period), allotment, Some(period))?;
            entries.push(next.entry(
                key.clone(),
                EntryKind::Grant,
                allotment,
                format!("Allotment for {period}"),
                EntryRef::Period(period),
                None,
                vec![Move {
                    block,
                    points: allotment,
                }],
                Points::ZERO,
            )?);
            next.settle(&key, EntryRef::Period(period), &mut entries)?;
        }
        self.finish(next, key, fingerprint, entries)
    }

    /// The open period `ending` closes: what is free in its blocks expires, except what the
    /// rollover rule carries into a block that expires one period later. Reserved points stay.
    /// The account moves on to the next period.
    pub fn expire(&self, ending: Period, rollover: Rollover) -> Result<Decision, DomainError> {
        if ending != self.period {
            return Err(DomainError::Invalid("only the open period can end"));
        }
        let key = IdempotencyKey::expiry(self.org, ending);
        let fingerprint = format!("expiry:{ending}:{rollover:?}");
        let mut next = self.clone();
        let mut ending_blocks: Vec<BlockId> = next
            .blocks
            .values()
            .filter(|b| b.expires == Some(ending) && !b.expired)
            .map(|b| b.id)
            .collect();
        ending_blocks.sort_by(|a, b| next.blocks[a].draw_order(&next.blocks[b]));
        let mut moves = Vec::new();
        let mut unused = Points::ZERO;
        for id in ending_blocks {
            let b = next.block_mut(id)?;
            let free = b.free();
            b.remaining = b.remaining.checked_sub(free)?;
            b.expired = true;
            if free.is_positive() {
                unused = unused.checked_add(free)?;
                moves.push(Move {
                    block: id,
                    points: free.neg(),
                });
            }
        }
        let carried = match rollover {
            Rollover::None => Points::ZERO,
            Rollover::Capped(cap) => cap.max(Points::ZERO).min(unused),
            Rollover::Full => unused,
        };
        let following = ending.next();
        if carried.is_positive() {
            let block = next.add_block(BlockSource::Rollover(ending), carried, Some(following))?;
            moves.push(Move {
                block,
                points: carried,
            });
        }
        next.period = following;
        next.granted.remove(&ending);
        let mut entries = Vec::new();
        if unused.is_positive() {
            let expired = unused.checked_sub(carried)?;
            let reason = if carried.is_positive() {
                format!(
                    "Unused points of {ending}: {expired} expired, {carried} carried into {following}"
                )
            } else {
                format!("Unused points of {ending} expired")
            };
            entries.push(next.entry(
                key.clone(),
                EntryKind::Expiry,
                expired.neg(),
                reason,
                EntryRef::Period(ending),
                None,
                moves,
                Points::ZERO,
            )?);
        }
        self.finish(next, key, fingerprint, entries)
    }

    /// Turns the account over from its open period `ending` to the next: expire, then grant.
    /// The decisions are chained (each decided on the state the previous one leaves) and must be
    /// applied in order.
    pub fn turn_over(
        &self,
        ending: Period,
        rollover: Rollover,
        allotment: Points,
    ) -> Result<Vec<Decision>, DomainError> {
        let mut acct = self.clone();
        let expire = acct.expire(ending, rollover)?;
        acct.apply(&expire)?;
        if acct.granted.contains(&ending.next()) {
            return Ok(vec![expire]); // granted ahead of time
        }
        let grant = acct.grant(ending.next(), allotment)?;
        Ok(vec![expire, grant])
    }

    /// Everything missing up to `current`, in order: the open period's grant if it has not
    /// arrived, then for each period that has ended its expiry and the next one's grant.
    /// Nothing when the account is already there, so a retry after any prefix of the decisions
    /// was written changes nothing twice.
    pub fn catch_up(
        &self,
        current: Period,
        rollover: Rollover,
        allotment: Points,
    ) -> Result<Vec<Decision>, DomainError> {
        let mut acct = self.clone();
        let mut out = Vec::new();
        loop {
            let d = if !acct.granted.contains(&acct.period) && acct.period <= current {
                acct.grant(acct.period, allotment)?
            } else if acct.period < current {
                acct.expire(acct.period, rollover)?
            } else {
                return Ok(out);
            };
            acct.apply(&d)?;
            out.push(d);
        }
    }

    /// A paid top-up is credited as a block that never expires.
    pub fn purchase(
        &self,
        payment: PaymentId,
        points: Points,
        pack: &str,
    ) -> Result<Decision, DomainError> {
        if !points.is_positive() {
            return Err(DomainError::Invalid("a purchase must add points"));
        }
        let key = IdempotencyKey::purchase(payment);
        let fingerprint = format!("purchase:{payment}:{points}");
        let mut next = self.clone();
        let block = next.add_block(BlockSource::Purchase(payment), points, None)?;
        let mut entries = vec![next.entry(
            key.clone(),
            EntryKind::Purchase,
            points,
            format!("Top-up: {pack}"),
            EntryRef::Payment(payment),
            None,
            vec![Move { block, points }],
            Points::ZERO,
        )?];
        next.settle(&key, EntryRef::Payment(payment), &mut entries)?;
        self.finish(next, key, fingerprint, entries)
    }

    /// A client-caused incident is charged. Incidents are fixed first, so the charge always
    /// stands: under a plan that lets incidents overdraw, what free points do not cover becomes
    /// debt; under `never`, it becomes an outstanding charge of the ticket, settled from the
    /// next points that arrive.
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
        let key = IdempotencyKey::incident_charge(ticket);
        let fingerprint = format!("charge:ticket:{ticket}:{points}");
        let mut next = self.clone();
        let mut entries = Vec::new();
        if self.overdraft.incidents_may_overdraw() {
            let (moves, rest) = next.draw_or_owe(points, None)?;
            entries.push(next.entry(
                key.clone(),
                EntryKind::Charge,
                points.neg(),
                reason,
                EntryRef::Ticket(ticket),
                actor,
                moves,
                rest,
            )?);
        } else {
            let fits = points.min(next.free()?);
            let moves = next.draw(fits, None)?;
            let rest = points.checked_sub(fits)?;
            if fits.is_positive() {
                entries.push(next.entry(
                    key.clone(),
                    EntryKind::Charge,
                    fits.neg(),
                    reason,
                    EntryRef::Ticket(ticket),
                    actor,
                    moves,
                    Points::ZERO,
                )?);
            }
            if rest.is_positive() {
                let owed = next.outstanding.entry(ticket).or_insert(Points::ZERO);
                *owed = owed.checked_add(rest)?;
            }
        }
        self.finish(next, key, fingerprint, entries)
    }

    /// The gateway refunded `refunded_minor` (in all, so far) of the `paid_minor` a purchase of
    /// `points` cost: its points come back out, in proportion, rounded down to hundredths —
    /// less what earlier refunds of it took (`taken` by entries so far; what is still owed of it
    /// counts too). They come first from the purchase's own block, as far as its points are free;
    /// what was already spent is drawn from other free points, and the rest becomes debt — or,
    /// under overdraft `never`, is owed (`refunds_owed`) and taken as points arrive.
    #[allow(clippy::too_many_arguments)]
    pub fn refund_purchase(
        &self,
        payment: PaymentId,
        points: Points,
        paid_minor: i64,
        refunded_minor: i64,
        taken: Points,
        reason: String,
    ) -> Result<Decision, DomainError> {
        if !points.is_positive() || paid_minor <= 0 || refunded_minor <= 0 {
            return Err(DomainError::Invalid(
                "a refund needs a paid purchase and a refunded amount",
            ));
        }
        let key = IdempotencyKey::purchase_refund(payment, refunded_minor);
        let fingerprint = format!("purchase_refund:{payment}:{refunded_minor}:{paid_minor}");
        let share = refund_share(points, paid_minor, refunded_minor)?;
        let owed_before = self
            .refunds_owed
            .get(&payment)
            .copied()
            .unwrap_or(Points::ZERO);
        let take = share
            .checked_sub(taken)?
            .checked_sub(owed_before)?
            .max(Points::ZERO);
        let mut next = self.clone();
        let mut entries = Vec::new();
        if take.is_positive() {
            let own = next
                .blocks
                .values()
                .find(|b| b.source == BlockSource::Purchase(payment))
                .map(|b| b.id);
            let mut moves = Vec::new();
            let mut left = take;
            if let Some(id) = own {
                let b = next.block_mut(id)?;
                let back = b.free().min(left);
                if back.is_positive() {
                    b.remaining = b.remaining.checked_sub(back)?;
                    left = left.checked_sub(back)?;
                    moves.push(Move {
                        block: id,
                        points: back.neg(),
                    });
                }
            }
            let (debt_change, owed) = if self.overdraft == Overdraft::Never {
                let fits = left.min(next.free()?);
                moves.extend(next.draw(fits, None)?);
                (Points::ZERO, left.checked_sub(fits)?)
            } else {
                let (drawn, debt) = next.draw_or_owe(left, None)?;
                moves.extend(drawn);
                (debt, Points::ZERO)
            };
            if owed.is_positive() {
                next.refunds_owed
                    .insert(payment, owed_before.checked_add(owed)?);
            }
            let amount = take.checked_sub(owed)?.neg();
            if amount != Points::ZERO {
                entries.push(next.entry(
                    key.clone(),
                    EntryKind::PurchaseRefund,
                    amount,
                    reason,
                    EntryRef::Payment(payment),
                    None,
                    moves,
                    debt_change,
                )?);
            }
        }
        self.finish(next, key, fingerprint, entries)
    }

    /// The client approves a quote: its points are reserved in blocks, in draw order. A revision
    /// replaces the hold of the quote it revises in the same decision and needs available points
    /// only for its increase; the points it keeps stay reserved where they were. A reservation
    /// protects points from expiry, so a revision downwards keeps the reservations that expire
    /// soonest and releases those that expire last (never-expiring points before an
    /// allotment's); an increase reserves more in draw order.
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
        let old = match replaces {
            Some(old) => Some(
                self.holds
                    .get(&old)
                    .cloned()
                    .ok_or(DomainError::NotFound("hold of the revised quote"))?,
            ),
            None => None,
        };
        let already = old.as_ref().map_or(Points::ZERO, |h| h.points);
        let increase = points.checked_sub(already)?.max(Points::ZERO);
        // Both totals must stay in range, or the approval is refused.
        let held_after = self.held()?.checked_sub(already)?.checked_add(points)?;
        self.balance()?.checked_sub(held_after)?;
        let available = self.available()?;
        if increase.is_positive() && !self.overdraft.quotes_may_overdraw() && available < increase {
            return Err(DomainError::InsufficientPoints {
                needed: increase,
                available,
            });
        }
        let key = IdempotencyKey::quote_hold(quote);
        let fingerprint = format!(
            "hold:quote:{quote}:{points}:{}",
            replaces.map_or(String::new(), |q| q.to_string())
        );
        let mut next = self.clone();
        let mut reserved = Vec::new();
        if let Some(old) = old {
            next.holds.remove(&old.quote);
            // Keep the reservations that expire soonest up to the new amount; give back the rest.
            let mut keep = points;
            let mut give_back = Vec::new();
            for m in next.in_draw_order(old.reserved)? {
                let kept = m.points.min(keep);
                keep = keep.checked_sub(kept)?;
                if kept.is_positive() {
                    reserved.push(Move {
                        block: m.block,
                        points: kept,
                    });
                }
                let back = m.points.checked_sub(kept)?;
                if back.is_positive() {
                    give_back.push(Move {
                        block: m.block,
                        points: back,
                    });
                }
            }
            next.unreserve(&give_back)?;
        }
        let backed = Points::sum(reserved.iter().map(|m| m.points))?;
        let want = points.checked_sub(backed)?.min(next.free()?);
        for m in next.reserve(want)? {
            match reserved.iter_mut().find(|r| r.block == m.block) {
                Some(r) => r.points = r.points.checked_add(m.points)?,
                None => reserved.push(m),
            }
        }
        let reserved = next.in_draw_order(reserved)?;
        next.holds.insert(
            quote,
            Hold {
                quote,
                points,
                reserved,
            },
        );
        let mut entries = Vec::new();
        next.settle(&key, EntryRef::Quote(quote), &mut entries)?;
        self.finish(next, key, fingerprint, entries)
    }

    /// The quoted work is done: its hold becomes a charge of the quoted points, drawn from the
    /// reserved blocks (whatever the approval could not reserve is drawn now, or owed).
    pub fn complete_quote(
        &self,
        quote: QuoteId,
        reason: String,
        actor: Option<UserId>,
    ) -> Result<Decision, DomainError> {
        let hold = self.hold(quote)?;
        let key = IdempotencyKey::quote_charge(quote);
        let fingerprint = format!("charge:quote:{quote}");
        let mut next = self.clone();
        next.holds.remove(&quote);
        let mut moves = Vec::new();
        for m in &hold.reserved {
            let b = next.block_mut(m.block)?;
            b.reserved = b.reserved.checked_sub(m.points)?;
            b.remaining = b.remaining.checked_sub(m.points)?;
            moves.push(Move {
                block: m.block,
                points: m.points.neg(),
            });
        }
        let unbacked = hold.points.checked_sub(hold.backed()?)?;
        let (drawn, rest) = next.draw_or_owe(unbacked, None)?;
        moves.extend(drawn);
        let entries = vec![next.entry(
            key.clone(),
            EntryKind::Charge,
            hold.points.neg(),
            reason,
            EntryRef::Quote(quote),
            actor,
            moves,
            rest,
        )?];
        self.finish(next, key, fingerprint, entries)
    }

    /// The request is cancelled after work was done on it: `points` of the hold (the logged
    /// time, at most the quote) become a charge, drawn from the reservations in draw order, and
    /// the rest of the hold is released. All of it is the same as completing the quote.
    pub fn charge_part_of_quote(
        &self,
        quote: QuoteId,
        points: Points,
        reason: String,
        actor: Option<UserId>,
    ) -> Result<Decision, DomainError> {
        let hold = self.hold(quote)?;
        if !points.is_positive() || points > hold.points {
            return Err(DomainError::Invalid(
                "a part of a quote is more than nothing and at most the quote",
            ));
        }
        if points == hold.points {
            return self.complete_quote(quote, reason, actor);
        }
        let key = IdempotencyKey::quote_charge(quote);
        let fingerprint = format!("charge:quote:{quote}:part:{points}");
        let mut next = self.clone();
        next.holds.remove(&quote);
        let mut left = points;
        let mut moves = Vec::new();
        let mut give_back = Vec::new();
        for m in next.in_draw_order(hold.reserved.clone())? {
            let take = m.points.min(left);
            left = left.checked_sub(take)?;
            if take.is_positive() {
                let b = next.block_mut(m.block)?;
                b.reserved = b.reserved.checked_sub(take)?;
                b.remaining = b.remaining.checked_sub(take)?;
                moves.push(Move {
                    block: m.block,
                    points: take.neg(),
                });
            }
            let back = m.points.checked_sub(take)?;
            if back.is_positive() {
                give_back.push(Move {
                    block: m.block,
                    points: back,
                });
            }
        }
        next.unreserve(&give_back)?;
        let (drawn, rest) = next.draw_or_owe(left, None)?;
        moves.extend(drawn);
        let mut entries = vec![next.entry(
            key.clone(),
            EntryKind::Charge,
            points.neg(),
            reason,
            EntryRef::Quote(quote),
            actor,
            moves,
            rest,
        )?];
        next.settle(&key, EntryRef::Quote(quote), &mut entries)?;
        self.finish(next, key, fingerprint, entries)
    }

    /// The request is cancelled: the hold is released, nothing is charged.
    pub fn release_quote(&self, quote: QuoteId) -> Result<Decision, DomainError> {
        let hold = self.hold(quote)?;
        let key = IdempotencyKey::quote_release(quote);
        let fingerprint = format!("release:quote:{quote}");
        let mut next = self.clone();
        next.holds.remove(&quote);
        next.unreserve(&hold.reserved)?;
        let mut entries = Vec::new();
        next.settle(&key, EntryRef::Quote(quote), &mut entries)?;
        self.finish(next, key, fingerprint, entries)
    }

    /// A manager upholds a dispute of `ticket`'s charge: what is still outstanding is forgiven,
    /// and what was paid (the `charges`, the ticket's charge entries) comes back as points that
    /// never expire (a `refund` block), after cancelling what the account still owes — the
    /// same whichever blocks paid the charge and whatever the plan's overdraft rule.
    pub fn refund_dispute(
        &self,
        dispute: DisputeId,
        ticket: TicketId,
        charges: &[Trace],
        reason: String,
        actor: Option<UserId>,
    ) -> Result<Decision, DomainError> {
        let key = IdempotencyKey::dispute_refund(dispute);
        let paid = Points::sum(charges.iter().map(|t| t.amount.neg()))?;
        let fingerprint = format!("refund:dispute:{dispute}:{ticket}:{paid}");
        if charges.iter().any(|t| !t.amount.is_negative()) {
            return Err(DomainError::Invalid("only charges are refunded"));
        }
        let mut next = self.clone();
        next.outstanding.remove(&ticket);
        let mut entries = Vec::new();
        if paid.is_positive() {
            let (moves, debt_change) = next.give_back(&[], paid, BlockSource::Refund(dispute))?;
            entries.push(next.entry(
                key.clone(),
                EntryKind::Refund,
                paid,
                reason,
                EntryRef::Dispute(dispute),
                actor,
                moves,
                debt_change,
            )?);
            next.settle(&key, EntryRef::Dispute(dispute), &mut entries)?;
        }
        self.finish(next, key, fingerprint, entries)
    }

    /// A manager corrects the balance, with a reason. A credit becomes a block that never
    /// expires; a debit draws in the usual order (and may leave debt, unless the plan's
    /// overdraft is `never`: then it may take free points only). A correcting adjustment
    /// names the entry it corrects and has the opposite sign (a debit corrects a credit and
    /// draws from the block that credit created first; a credit corrects a debit and returns
    /// points to the blocks that debit drew from); the same sign is refused on `amount`.
    pub fn adjust(
        &self,
        adjustment: AdjustmentId,
        amount: Points,
        reason: &str,
        actor: UserId,
        corrects: Option<&Trace>,
    ) -> Result<Decision, DomainError> {
        if amount == Points::ZERO {
            return Err(DomainError::Invalid(
                "an adjustment must change the balance",
            ));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DomainError::Invalid("an adjustment needs a reason"));
        }
        if let Some(t) = corrects {
            // A correction reverses: a debit corrects a credit and a credit a debit.
            if t.amount.is_positive() == amount.is_positive() || t.amount == Points::ZERO {
                return Err(DomainError::Field {
                    field: "amount",
                    code: "opposite_sign",
                });
            }
        }
        let key = IdempotencyKey::adjustment(adjustment);
        let fingerprint = format!(
            "adjustment:{adjustment}:{amount}:{reason}:{}",
            corrects.map_or(String::new(), |t| format!("{:?}", t.moves))
        );
        let mut next = self.clone();
        let (moves, debt_change) = if amount.is_positive() {
            match corrects {
                Some(t) => next.give_back(&t.moves, amount, BlockSource::Adjustment(adjustment))?,
                None => {
                    let block =
                        next.add_block(BlockSource::Adjustment(adjustment), amount, None)?;
                    (
                        vec![Move {
                            block,
                            points: amount,
                        }],
                        Points::ZERO,
                    )
                }
            }
        } else {
            let want = amount.neg();
            let first = corrects.and_then(Trace::created);
            let free = next.free()?;
            if self.overdraft == Overdraft::Never && want > free {
                return Err(DomainError::InsufficientPoints {
                    needed: want,
                    available: free,
                });
            }
            next.draw_or_owe(want, first)?
        };
        let mut entries = vec![next.entry(
            key.clone(),
            EntryKind::Adjustment,
            amount,
            reason.to_owned(),
            EntryRef::Adjustment(adjustment),
            Some(actor),
            moves,
            debt_change,
        )?];
        next.settle(&key, EntryRef::Adjustment(adjustment), &mut entries)?;
        self.finish(next, key, fingerprint, entries)
    }

    /// Applies a decision (the in-memory twin of the D1 batch). Refused unless it was decided on
    /// this very version; changes nothing when it fails.
    pub fn apply(&mut self, d: &Decision) -> Result<(), DomainError> {
        if d.version != self.version {
            return Err(DomainError::Stale {
                decided_on: d.version,
                current: self.version,
            });
        }
        for e in &d.entries {
            let moved = Points::sum(e.moves.iter().map(|m| m.points))?;
            if moved.checked_sub(e.debt_change)? != e.amount {
                return Err(DomainError::Invalid(
                    "an entry's amount must equal its block moves less its debt change",
                ));
            }
        }
        let mut next = self.clone();
        let c = &d.changes;
        next.period = c.period;
        next.granted = c.granted.clone();
        next.next_block = c.next_block;
        next.debt = c.debt;
        for b in &c.blocks {
            next.blocks.insert(b.id, b.clone());
        }
        for (ticket, owed) in &c.outstanding {
            owe(&mut next.outstanding, *ticket, *owed);
        }
        for (payment, owed) in &c.refunds_owed {
            owe(&mut next.refunds_owed, *payment, *owed);
        }
        for q in &c.holds_released {
            next.holds
                .remove(q)
                .ok_or(DomainError::NotFound("hold to release"))?;
        }
        for h in &c.holds_placed {
            if next.holds.insert(h.quote, h.clone()).is_some() {
                return Err(DomainError::Invalid("a quote has at most one hold"));
            }
        }
        next.version += 1;
        next.balance()?;
        next.held()?;
        *self = next;
        Ok(())
    }

    // ---- the moves decisions are made of ----------------------------------------------------

    fn block_mut(&mut self, id: BlockId) -> Result<&mut Block, DomainError> {
        self.blocks
            .get_mut(&id)
            .ok_or(DomainError::NotFound("credit block"))
    }

    fn add_block(
        &mut self,
        source: BlockSource,
        amount: Points,
        expires: Option<Period>,
    ) -> Result<BlockId, DomainError> {
        let id = self.next_block;
        self.blocks
            .insert(id, Block::new(id, source, amount, expires)?);
        self.next_block = BlockId::new(id.get() + 1);
        self.balance()?;
        Ok(id)
    }

    /// Live blocks with free points, in draw order; `first` (if alive) goes to the front.
    fn draw_sequence(&self, first: Option<BlockId>) -> Vec<BlockId> {
        let mut ids: Vec<&Block> = self
            .blocks
            .values()
            .filter(|b| b.free().is_positive())
            .collect();
        ids.sort_by(|a, b| {
            let front = |x: &Block| Some(x.id) != first;
            front(a).cmp(&front(b)).then(a.draw_order(b))
        });
        ids.into_iter().map(|b| b.id).collect()
    }

    /// Draws as much of `owed` as is free; `None` when nothing is.
    fn draw_what_is_free(
        &mut self,
        owed: Points,
    ) -> Result<Option<(Points, Vec<Move>)>, DomainError> {
        let pay = owed.min(self.free()?);
        if !pay.is_positive() {
            return Ok(None);
        }
        Ok(Some((pay, self.draw(pay, None)?)))
    }

    /// Moves sorted by their blocks' draw order (soonest expiry first).
    fn in_draw_order(&self, mut moves: Vec<Move>) -> Result<Vec<Move>, DomainError> {
        for m in &moves {
            self.blocks
                .get(&m.block)
                .ok_or(DomainError::NotFound("credit block"))?;
        }
        moves.sort_by(|a, b| self.blocks[&a.block].draw_order(&self.blocks[&b.block]));
        Ok(moves)
    }

    fn hold(&self, quote: QuoteId) -> Result<Hold, DomainError> {
        self.holds
            .get(&quote)
            .cloned()
            .ok_or(DomainError::NotFound("hold of the quote"))
    }

    /// Draws what is free of `want` (from `first` first) and owes the rest as debt; returns the
    /// moves and the debt added.
    fn draw_or_owe(
        &mut self,
        want: Points,
        first: Option<BlockId>,
    ) -> Result<(Vec<Move>, Points), DomainError> {
        let fits = want.min(self.free()?);
        let moves = self.draw(fits, first)?;
        let rest = want.checked_sub(fits)?;
        self.debt = self.debt.checked_add(rest)?;
        Ok((moves, rest))
    }

    /// Takes `want` free points (the caller made sure they are there) in draw order.
    fn draw(&mut self, want: Points, first: Option<BlockId>) -> Result<Vec<Move>, DomainError> {
        self.take_free(want, first, Use::Draw)
    }

    /// Reserves `want` free points in draw order; returns the reservations.
    fn reserve(&mut self, want: Points) -> Result<Vec<Move>, DomainError> {
        self.take_free(want, None, Use::Reserve)
    }

    /// The one walk down the blocks that drawing and reserving share.
    fn take_free(
        &mut self,
        want: Points,
        first: Option<BlockId>,
        how: Use,
    ) -> Result<Vec<Move>, DomainError> {
        let mut left = want;
        let mut moves = Vec::new();
        for id in self.draw_sequence(first) {
            if !left.is_positive() {
                break;
            }
            let b = self.block_mut(id)?;
            let take = b.free().min(left);
            let points = match how {
                Use::Draw => {
                    b.remaining = b.remaining.checked_sub(take)?;
                    take.neg()
                }
                Use::Reserve => {
                    b.reserved = b.reserved.checked_add(take)?;
                    take
                }
            };
            left = left.checked_sub(take)?;
            moves.push(Move { block: id, points });
        }
        if left.is_positive() {
            return Err(DomainError::Invalid("took more points than are free"));
        }
        Ok(moves)
    }

    /// Ends reservations. Points reserved in a block that has expired meanwhile come back in a
    /// new block that expires with the open period.
    fn unreserve(&mut self, reserved: &[Move]) -> Result<(), DomainError> {
        let period = self.period;
        for m in reserved {
            let b = self.block_mut(m.block)?;
            b.reserved = b.reserved.checked_sub(m.points)?;
            if b.expired {
                b.remaining = b.remaining.checked_sub(m.points)?;
                self.add_block(BlockSource::Returned(m.block), m.points, Some(period))?;
            }
        }
        Ok(())
    }

    /// Returns `amount` points along the blocks a charge drew from (`drawn`, its negative
    /// moves): into each block as long as it lives, otherwise into a returned block that expires
    /// with the open period. What the charge did not draw from blocks (it was owed) cancels debt
    /// first; the rest becomes a never-expiring block of `leftover`. Returns the moves and the
    /// debt change.
    fn give_back(
        &mut self,
        drawn: &[Move],
        amount: Points,
        leftover: BlockSource,
    ) -> Result<(Vec<Move>, Points), DomainError> {
        let period = self.period;
        let mut left = amount;
        let mut moves = Vec::new();
        for m in drawn.iter().filter(|m| m.points.is_negative()) {
            let back = m.points.neg().min(left);
            if !back.is_positive() {
                break;
            }
            left = left.checked_sub(back)?;
            let b = self.block_mut(m.block)?;
            if b.expired {
                let id = self.add_block(BlockSource::Returned(m.block), back, Some(period))?;
                moves.push(Move {
                    block: id,
                    points: back,
                });
            } else {
                b.remaining = b.remaining.checked_add(back)?;
                if b.remaining > b.amount {
                    return Err(DomainError::Invalid(
                        "a block cannot get back more than it gave",
                    ));
                }
                moves.push(Move {
                    block: m.block,
                    points: back,
                });
            }
        }
        let cancels = left.min(self.debt);
        self.debt = self.debt.checked_sub(cancels)?;
        left = left.checked_sub(cancels)?;
        if left.is_positive() {
            let id = self.add_block(leftover, left, None)?;
            moves.push(Move {
                block: id,
                points: left,
            });
        }
        Ok((moves, cancels.neg()))
    }

    /// Free points pay what is owed, first debt (a `repayment` entry: the balance already
    /// showed it), then outstanding charges, oldest ticket first (a `charge` entry each), then
    /// refunds owed, oldest purchase first (a `purchase_refund` entry each). Run at
    /// the end of every decision that can free points, so that while anything is owed no point
    /// is free.
    fn settle(
        &mut self,
        key: &IdempotencyKey,
        reference: EntryRef,
        entries: &mut Vec<NewEntry>,
    ) -> Result<(), DomainError> {
        let repay = self.debt.min(self.free()?);
        if repay.is_positive() {
            let moves = self.draw(repay, None)?;
            self.debt = self.debt.checked_sub(repay)?;
            entries.push(self.entry(
                key.part("repay"),
                EntryKind::Repayment,
                Points::ZERO,
                format!("{repay} repaid from the points that arrived"),
                reference,
                None,
                moves,
                repay.neg(),
            )?);
        }
        let owed: Vec<(TicketId, Points)> =
            self.outstanding.iter().map(|(t, p)| (*t, *p)).collect();
        for (ticket, points) in owed {
            let Some((pay, moves)) = self.draw_what_is_free(points)? else {
                break;
            };
            owe(&mut self.outstanding, ticket, points.checked_sub(pay)?);
            entries.push(self.entry(
                key.part(&format!("settle:{ticket}")),
                EntryKind::Charge,
                pay.neg(),
                format!("Outstanding charge of incident #{ticket} settled"),
                EntryRef::Ticket(ticket),
                None,
                moves,
                Points::ZERO,
            )?);
        }
        let owed: Vec<(PaymentId, Points)> =
            self.refunds_owed.iter().map(|(p, o)| (*p, *o)).collect();
        for (payment, points) in owed {
            let Some((pay, moves)) = self.draw_what_is_free(points)? else {
                break;
            };
            owe(&mut self.refunds_owed, payment, points.checked_sub(pay)?);
            entries.push(self.entry(
                key.part(&format!("settle-refund:{payment}")),
                EntryKind::PurchaseRefund,
                pay.neg(),
                format!("Points of refunded purchase {payment} taken back"),
                EntryRef::Payment(payment),
                None,
                moves,
                Points::ZERO,
            )?);
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn entry(
        &self,
        key: IdempotencyKey,
        kind: EntryKind,
        amount: Points,
        reason: String,
        reference: EntryRef,
        actor: Option<UserId>,
        moves: Vec<Move>,
        debt_change: Points,
    ) -> Result<NewEntry, DomainError> {
        Ok(NewEntry {
            key,
            kind,
            amount,
            reason,
            reference,
            actor,
            moves,
            debt_change,
            balance_after: self.balance()?,
        })
    }

    /// The decision that takes `self` to `next`.
    fn finish(
        &self,
        next: Account,
        key: IdempotencyKey,
        fingerprint: String,
        entries: Vec<NewEntry>,
    ) -> Result<Decision, DomainError> {
        next.available()?;
        next.outstanding_total()?;
        let blocks = next
            .blocks
            .values()
            .filter(|b| self.blocks.get(&b.id) != Some(b))
            .cloned()
            .collect();
        let mut outstanding: Vec<(TicketId, Points)> = next
            .outstanding
            .iter()
            .filter(|(t, p)| self.outstanding.get(t) != Some(p))
            .map(|(t, p)| (*t, *p))
            .collect();
        outstanding.extend(
            self.outstanding
                .keys()
                .filter(|t| !next.outstanding.contains_key(t))
                .map(|t| (*t, Points::ZERO)),
        );
        let mut refunds_owed: Vec<(PaymentId, Points)> = next
            .refunds_owed
            .iter()
            .filter(|(p, owed)| self.refunds_owed.get(p) != Some(owed))
            .map(|(p, owed)| (*p, *owed))
            .collect();
        refunds_owed.extend(
            self.refunds_owed
                .keys()
                .filter(|p| !next.refunds_owed.contains_key(p))
                .map(|p| (*p, Points::ZERO)),
        );
        let holds_released = self
            .holds
            .iter()
            .filter(|(q, h)| next.holds.get(q) != Some(h))
            .map(|(q, _)| *q)
            .collect();
        let holds_placed = next
            .holds
            .iter()
            .filter(|(q, h)| self.holds.get(q) != Some(h))
            .map(|(_, h)| h.clone())
            .collect();
        Ok(Decision {
            key,
            fingerprint,
            version: self.version,
            entries,
            changes: Changes {
                period: next.period,
                granted: next.granted.clone(),
                blocks,
                next_block: next.next_block,
                debt: next.debt,
                outstanding,
                refunds_owed,
                holds_released,
                holds_placed,
            },
        })
    }
}

/// What is still owed under `key`: kept when positive, gone when settled.
fn owe<K: Ord>(owed: &mut BTreeMap<K, Points>, key: K, still: Points) {
    if still.is_positive() {
        owed.insert(key, still);
    } else {
        owed.remove(&key);
    }
}

/// The points a refund of `refunded_minor` of the `paid_minor` a purchase of `points` cost
/// takes back in all: in proportion, rounded down to hundredths (never more than the purchase).
pub fn refund_share(
    points: Points,
    paid_minor: i64,
    refunded_minor: i64,
) -> Result<Points, DomainError> {
    if paid_minor <= 0 {
        return Err(DomainError::Invalid("a refund needs a paid amount"));
    }
    let refunded = i128::from(refunded_minor.clamp(0, paid_minor));
    let share = i128::from(points.hundredths()) * refunded / i128::from(paid_minor);
    let share = i64::try_from(share).map_err(|_| DomainError::Amount)?;
    Ok(Points::from_hundredths(share)?)
}

/// What a walk down the free points does with them.
#[derive(Clone, Copy)]
enum Use {
    Draw,
    Reserve,
}

/// What committing a decision did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// The key was seen before, for the same request: nothing changed.
    Duplicate,
}

/// An organisation's ledger in memory: the reference semantics of the D1 tables.
#[derive(Clone, Debug)]
pub struct Ledger {
    account: Account,
    entries: Vec<Entry>,
    /// Decision keys seen, with the fingerprint of the request they were first used for.
    keys: BTreeMap<IdempotencyKey, String>,
}

impl Ledger {
    pub fn new(account: Account) -> Ledger {
        Ledger {
            account,
            entries: Vec::new(),
            keys: BTreeMap::new(),
        }
    }
    pub fn account(&self) -> &Account {
        &self.account
    }
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
    pub fn has_key(&self, key: &IdempotencyKey) -> bool {
        self.keys.contains_key(key)
    }

    /// The traces of a ticket's charge entries, for a refund.
    pub fn charges_of(&self, ticket: TicketId) -> Vec<Trace> {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::Charge && e.reference == EntryRef::Ticket(ticket))
            .map(Entry::trace)
            .collect()
    }

    pub fn entry_by_key(&self, key: &IdempotencyKey) -> Option<&Entry> {
        self.entries.iter().find(|e| &e.key == key)
    }

    /// Applies a decision at most once per key, all or nothing. The same key for a different
    /// request is a conflict; a decision made on an older version is stale.
    pub fn commit(&mut self, d: &Decision, at: Timestamp) -> Result<Outcome, DomainError> {
        if let Some(first) = self.keys.get(&d.key) {
            return if first == &d.fingerprint {
                Ok(Outcome::Duplicate)
            } else {
                Err(DomainError::IdempotencyConflict {
                    key: d.key.to_string(),
                })
            };
        }
        self.account.apply(d)?;
        for e in &d.entries {
            self.entries.push(Entry {
                seq: self.entries.len() as u64 + 1,
                org: self.account.org,
                at,
                kind: e.kind,
                amount: e.amount,
                reason: e.reason.clone(),
                reference: e.reference,
                actor: e.actor,
                key: e.key.clone(),
                moves: e.moves.clone(),
                debt_change: e.debt_change,
                balance_after: e.balance_after,
            });
        }
        self.keys.insert(d.key.clone(), d.fingerprint.clone());
        Ok(Outcome::Applied)
    }

    /// Decides with `f` on the current account and commits: the load → decide → write loop.
    pub fn run(
        &mut self,
        at: Timestamp,
        f: impl FnOnce(&Account) -> Result<Decision, DomainError>,
    ) -> Result<Outcome, DomainError> {
        let d = f(&self.account)?;
        self.commit(&d, at)
    }
}

#[cfg(test)]
mod tests;
