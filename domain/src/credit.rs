//! Credit blocks: every point that arrives is a block with a source, an amount, what remains of
//! it, what approved quotes reserve in it, and when it expires.
//!
//! The draw-down order, used by charges, holds, debit adjustments, repayments and settlements
//! alike: **the block that expires soonest first, then the oldest**; blocks that never expire
//! (purchases, credits, refunds) come last. So a client always spends the points that would be
//! lost first, and bought points are the last to be touched.
//!
//! Expiry at the end of a period takes what is left *free* (remaining minus reserved) in the
//! blocks that expire with that period, and nothing else. Reserved points stay in their block
//! until the hold ends; if the block has expired by then, the points returned by a release or a
//! refund go into a new [`BlockSource::Returned`] block that expires with the current period.

use std::cmp::Ordering;
use std::fmt;

use crate::error::DomainError;
use crate::ids::{AdjustmentId, BlockId, DisputeId, PaymentId};
use crate::points::Points;
use crate::time::Period;

/// Where a block's points came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockSource {
    /// A period's allotment; expires at that period's end.
    Grant(Period),
    /// A paid top-up; never expires.
    Purchase(PaymentId),
    /// Points a manager credited; never expire.
    Adjustment(AdjustmentId),
    /// A refunded charge whose points had no block to return to (they were owed as debt that
    /// has since been repaid); never expires.
    Refund(DisputeId),
    /// Unused points of a period carried over by the rollover rule; expires one period later.
    Rollover(Period),
    /// Points released or refunded to a block that had expired meanwhile; they expire with the
    /// period in which they came back.
    Returned(BlockId),
}

impl BlockSource {
    /// Sources whose points may ever expire. Purchases, credits and refunds never do.
    pub const fn may_expire(self) -> bool {
        matches!(
            self,
            BlockSource::Grant(_) | BlockSource::Rollover(_) | BlockSource::Returned(_)
        )
    }

    /// A stable machine form: `grant:2026-11`, `purchase:7`, `returned:3`, ...
    pub fn code(self) -> String {
        match self {
            BlockSource::Grant(p) => format!("grant:{p}"),
            BlockSource::Purchase(id) => format!("purchase:{id}"),
            BlockSource::Adjustment(id) => format!("adjustment:{id}"),
            BlockSource::Refund(id) => format!("refund:{id}"),
            BlockSource::Rollover(p) => format!("rollover:{p}"),
            BlockSource::Returned(b) => format!("returned:{b}"),
        }
    }

    /// The inverse of [`BlockSource::code`].
    pub fn parse(s: &str) -> Option<BlockSource> {
        let (kind, rest) = s.split_once(':')?;
        let id = || {
            rest.parse::<i64>()
                .ok()
                .filter(|_| rest.bytes().all(|b| b.is_ascii_digit()))
        };
        Some(match kind {
            "grant" => BlockSource::Grant(Period::parse(rest).ok()?),
            "rollover" => BlockSource::Rollover(Period::parse(rest).ok()?),
            "purchase" => BlockSource::Purchase(PaymentId::new(id()?)),
            "adjustment" => BlockSource::Adjustment(AdjustmentId::new(id()?)),
            "refund" => BlockSource::Refund(DisputeId::new(id()?)),
            "returned" => BlockSource::Returned(BlockId::new(id()?)),
            _ => return None,
        })
    }
}

impl fmt::Display for BlockSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// One block of credit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub id: BlockId,
    pub source: BlockSource,
    /// Points the block arrived with.
    pub amount: Points,
    /// Points still in the block, reserved ones included. Never negative.
    pub remaining: Points,
    /// Points approved quotes hold in this block (≤ remaining).
    pub reserved: Points,
    /// The period at whose end the block expires; `None` for never.
    pub expires: Option<Period>,
    /// The block's period has ended: its free points are gone, only reserved ones remain.
    pub expired: bool,
}

impl Block {
    pub fn new(
        id: BlockId,
        source: BlockSource,
        amount: Points,
        expires: Option<Period>,
    ) -> Result<Block, DomainError> {
        if !amount.is_positive() {
            return Err(DomainError::Invalid(
                "a credit block holds a positive amount",
            ));
        }
        if expires.is_some() != source.may_expire() {
            return Err(DomainError::Invalid(
                "only allotment, rollover and returned blocks expire",
            ));
        }
        Ok(Block {
            id,
            source,
            amount,
            remaining: amount,
            reserved: Points::ZERO,
            expires,
            expired: false,
        })
    }

    /// Points that may be drawn now: remaining and not reserved, in a block still alive.
    pub fn free(&self) -> Points {
        if self.expired {
            return Points::ZERO;
        }
        // 0 ≤ reserved ≤ remaining ≤ 2^53, so this cannot leave the range.
        self.remaining
            .checked_sub(self.reserved)
            .unwrap_or(Points::ZERO)
    }

    /// The draw-down order: soonest expiry first (never-expiring last), then oldest.
    pub fn draw_order(&self, other: &Block) -> Ordering {
        let key = |b: &Block| (b.expires.is_none(), b.expires, b.id);
        key(self).cmp(&key(other))
    }
}

/// Points moved into (positive) or out of (negative) a block by one entry or hold; for a hold's
/// reservations, the points reserved in the block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Move {
    pub block: BlockId,
    pub points: Points,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(y: i32, m: u8) -> Period {
        Period::new(y, m).unwrap()
    }

    #[test]
    fn sources_round_trip_and_only_allotment_like_ones_expire() {
        let all = [
            BlockSource::Grant(p(2026, 11)),
            BlockSource::Purchase(PaymentId::new(7)),
            BlockSource::Adjustment(AdjustmentId::new(2)),
            BlockSource::Refund(DisputeId::new(4)),
            BlockSource::Rollover(p(2026, 10)),
            BlockSource::Returned(BlockId::new(3)),
        ];
        for s in all {
            assert_eq!(BlockSource::parse(&s.code()), Some(s), "{s}");
        }
        assert_eq!(
            all.map(BlockSource::may_expire),
            [true, false, false, false, true, true]
        );
        for bad in [
            "",
            "grant",
            "grant:2026-1",
            "purchase:-1",
            "purchase:+1",
            "x:1",
        ] {
            assert_eq!(BlockSource::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn soonest_expiry_first_then_oldest_never_expiring_last() {
        let pts = Points::whole(1).unwrap();
        let b = |id, source, expires| Block::new(BlockId::new(id), source, pts, expires).unwrap();
        let mut blocks = [
            b(1, BlockSource::Purchase(PaymentId::new(1)), None),
            b(2, BlockSource::Grant(p(2026, 12)), Some(p(2026, 12))),
            b(3, BlockSource::Rollover(p(2026, 10)), Some(p(2026, 11))),
            b(4, BlockSource::Grant(p(2026, 11)), Some(p(2026, 11))),
            b(5, BlockSource::Adjustment(AdjustmentId::new(1)), None),
        ];
        blocks.sort_by(Block::draw_order);
        assert_eq!(blocks.map(|b| b.id.get()), [3, 4, 2, 1, 5]);
    }

    #[test]
    fn purchases_cannot_be_given_an_expiry() {
        assert!(Block::new(
            BlockId::new(1),
            BlockSource::Purchase(PaymentId::new(1)),
            Points::whole(1).unwrap(),
            Some(p(2026, 11))
        )
        .is_err());
    }
}
