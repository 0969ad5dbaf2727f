//! The ledger in D1: an organisation's [`Account`] is loaded from its row, its live blocks, holds
//! and outstanding charges; a [`Decision`] becomes statements for the caller's batch. The first
//! statement steps the account's version from the one the decision was made on (a trigger aborts
//! the batch otherwise), the second records the decision's key (`UNIQUE`: a business event
//! happens once), then the entries with their block moves and the new state of every block,
//! hold and outstanding charge it changed.

use std::collections::BTreeMap;

use pointdesk_domain::credit::{Block, BlockSource, Move};
use pointdesk_domain::ids::{BlockId, OrgId, PaymentId, QuoteId, TicketId};
use pointdesk_domain::ledger::{Account, Decision, Hold, Trace};
use pointdesk_domain::notify::LowBalanceAlarm;
use pointdesk_domain::plan::Overdraft;
use pointdesk_domain::points::Points;
use pointdesk_domain::time::{Period, Timestamp};
use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{int, stored_points, text, Db};
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
struct AccountRow {
    low_armed: i64,
    zero_armed: i64,
    threshold: i64,
    version: i64,
    open_period: Option<String>,
    granted: String,
    debt: i64,
    next_block: i64,
}

#[derive(Deserialize)]
struct BlockRow {
    block_no: i64,
    source: String,
    amount: i64,
    remaining: i64,
    reserved: i64,
    expires: Option<String>,
    expired: i64,
}

#[derive(Deserialize)]
struct ReservationRow {
    quote_id: i64,
    hold_points: i64,
    block_no: Option<i64>,
    points: Option<i64>,
}

#[derive(Deserialize)]
struct OwedRow {
    ticket_id: i64,
    points: i64,
}

#[derive(Deserialize)]
struct RefundOwedRow {
    purchase_id: i64,
    points: i64,
}

#[derive(Deserialize)]
struct MoveRow {
    entry_id: i64,
    amount: i64,
    debt_change: i64,
    block_no: Option<i64>,
    points: Option<i64>,
}

/// An account as loaded, with the alarm state and threshold stored beside it.
#[derive(Clone, Debug)]
pub struct Books {
    pub account: Account,
    pub alarm: LowBalanceAlarm,
    pub threshold: Points,
}

/// An organisation's points as the quote screen shows them.
#[derive(Clone, Debug, Deserialize)]
pub struct HoldRow {
    pub quote_id: i64,
    pub ticket_id: i64,
    pub ticket_number: i64,
    pub title: String,
    pub points: i64,
}

fn period(s: &str) -> AppResult<Period> {
    Period::parse(s).map_err(|e| AppError::Internal(e.0))
}

fn corrupt(what: &str) -> AppError {
    AppError::Internal(format!("stored ledger state is inconsistent: {what}"))
}

/// What `Db::account` read besides the organisation's row.
struct StoredAccount {
    blocks: Vec<BlockRow>,
    reservations: Vec<ReservationRow>,
    owed: Vec<OwedRow>,
    refunds_owed: Vec<RefundOwedRow>,
}

/// The domain's account from its stored rows; a row that does not read is a corrupt one.
fn assemble(
    org: i64,
    overdraft: Overdraft,
    now_period: Period,
    row: AccountRow,
    stored: StoredAccount,
) -> AppResult<Books> {
    let mut account = Account::new(
        OrgId::new(org),
        overdraft,
        match &row.open_period {
            Some(p) => period(p)?,
            None => now_period,
        },
    );
    account.version = u64::try_from(row.version).map_err(|_| corrupt("version"))?;
    account.granted = row
        .granted
        .split(',')
        .filter(|p| !p.is_empty())
        .map(period)
        .collect::<AppResult<_>>()?;
    account.debt = stored_points(row.debt)?;
    account.next_block = BlockId::new(row.next_block);
    for b in stored.blocks {
        let source = BlockSource::parse(&b.source).ok_or_else(|| corrupt("block source"))?;
        let id = BlockId::new(b.block_no);
        account.blocks.insert(
            id,
            Block {
                id,
                source,
                amount: stored_points(b.amount)?,
                remaining: stored_points(b.remaining)?,
                reserved: stored_points(b.reserved)?,
                expires: b.expires.as_deref().map(period).transpose()?,
                expired: b.expired == 1,
            },
        );
    }
    for r in stored.reservations {
        let quote = QuoteId::new(r.quote_id);
        let hold = account.holds.entry(quote).or_insert(Hold {
            quote,
            points: stored_points(r.hold_points)?,
            reserved: Vec::new(),
        });
        if let (Some(block), Some(points)) = (r.block_no, r.points) {
            hold.reserved.push(Move {
                block: BlockId::new(block),
                points: stored_points(points)?,
            });
        }
    }
    for o in stored.owed {
        account
            .outstanding
            .insert(TicketId::new(o.ticket_id), stored_points(o.points)?);
    }
    for o in stored.refunds_owed {
        account
            .refunds_owed
            .insert(PaymentId::new(o.purchase_id), stored_points(o.points)?);
    }
    Ok(Books {
        account,
        alarm: LowBalanceAlarm {
            low_armed: row.low_armed == 1,
            zero_armed: row.zero_armed == 1,
        },
        threshold: stored_points(row.threshold)?,
    })
}

impl Db {
    /// The account as decisions need it: every live block plus the blocks in `extra` (those a
    /// trace passed to the decision names), every hold and outstanding charge; with the
    /// low-balance alarm and threshold of the same version.
    pub async fn account(
        &self,
        org: i64,
        overdraft: Overdraft,
        now_period: Period,
        extra: &[i64],
    ) -> AppResult<Books> {
        let extra_json = serde_json::to_string(extra).unwrap_or_else(|_| "[]".into());
        // One round trip: a batch is one transaction, so every part is of the same version.
        let results = self
            .reads(vec![
                self.statement(
                    "SELECT low_armed, zero_armed, threshold, version, open_period, granted, \
                     debt, next_block FROM organisations WHERE id = ?1",
                    &[int(org)],
                )?,
                self.statement(
                    "SELECT block_no, source, amount, remaining, reserved, expires, expired \
                     FROM credit_blocks WHERE org_id = ?1 AND (remaining > 0 \
                     OR block_no IN (SELECT value FROM json_each(?2)))",
                    &[int(org), text(&extra_json)],
                )?,
                self.statement(
                    "SELECT h.quote_id, h.points AS hold_points, r.block_no, r.points \
                     FROM holds h LEFT JOIN hold_reservations r ON r.quote_id = h.quote_id \
                     WHERE h.org_id = ?1 ORDER BY h.quote_id, r.block_no",
                    &[int(org)],
                )?,
                self.statement(
                    "SELECT ticket_id, points FROM outstanding_charges WHERE org_id = ?1",
                    &[int(org)],
                )?,
                self.statement(
                    "SELECT purchase_id, points FROM outstanding_refunds WHERE org_id = ?1",
                    &[int(org)],
                )?,
            ])
            .await?;
        let [row, blocks, reservations, owed, refunds_owed] = &results[..] else {
            return Err(AppError::Internal(
                "the account batch answered oddly".into(),
            ));
        };
        let row: AccountRow = row
            .results()?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?;
        let stored = StoredAccount {
            blocks: blocks.results()?,
            reservations: reservations.results()?,
            owed: owed.results()?,
            refunds_owed: refunds_owed.results()?,
        };
        assemble(org, overdraft, now_period, row, stored)
    }

    /// The charge entries of these references (`ticket:3`, `quote:7`) with their block moves: what
    /// a refund gives back.
    pub async fn charges(&self, org: i64, references: &[String]) -> AppResult<Vec<Trace>> {
        let refs = serde_json::to_string(references).unwrap_or_else(|_| "[]".into());
        let rows: Vec<MoveRow> = self
            .all(
                "SELECT e.id AS entry_id, e.amount, e.debt_change, m.block_no, m.points \
                 FROM ledger_entries e LEFT JOIN entry_moves m ON m.entry_id = e.id \
                 WHERE e.org_id = ?1 AND e.kind = 'charge' \
                 AND e.reference IN (SELECT value FROM json_each(?2)) ORDER BY e.id, m.block_no",
                &[int(org), text(&refs)],
            )
            .await?;
        let mut traces: BTreeMap<i64, Trace> = BTreeMap::new();
        for r in rows {
            let t = traces.entry(r.entry_id).or_insert(Trace {
                amount: stored_points(r.amount)?,
                moves: Vec::new(),
                debt_change: stored_points(r.debt_change)?,
            });
            if let (Some(block), Some(points)) = (r.block_no, r.points) {
                t.moves.push(Move {
                    block: BlockId::new(block),
                    points: stored_points(points)?,
                });
            }
        }
        Ok(traces.into_values().collect())
    }

    /// The statements that write `d`, decided on `before`, at `at`.
    pub fn decision(
        &self,
        before: &Account,
        d: &Decision,
        at: Timestamp,
    ) -> AppResult<Vec<D1PreparedStatement>> {
        let mut after = before.clone();
        after.apply(d)?;
        let org = before.org.get();
        let version = i64::try_from(d.version).map_err(|_| corrupt("version"))?;
        let at = at.unix();
        let mut out = vec![
            self.statement(
                "UPDATE organisations SET version = ?2, balance = ?3, open_period = ?4, \
                 granted = ?5, debt = ?6, next_block = ?7 WHERE id = ?1",
                &[
                    int(org),
                    int(version + 1),
                    int(after.balance()?.hundredths()),
                    text(&d.changes.period.to_string()),
                    text(
                        &d.changes
                            .granted
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(","),
                    ),
                    int(d.changes.debt.hundredths()),
                    int(d.changes.next_block.get()),
                ],
            )?,
            self.statement(
                "INSERT INTO applied_events (idempotency_key, org_id, at, fingerprint) \
                 VALUES (?1, ?2, ?3, ?4)",
                &[
                    text(d.key.as_str()),
                    int(org),
                    int(at),
                    text(&d.fingerprint),
                ],
            )?,
        ];
        for b in &d.changes.blocks {
            out.push(self.statement(
                "INSERT INTO credit_blocks (org_id, block_no, source, amount, remaining, reserved, \
                 expires, expired, created_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, \
                 ?8, ?9, ?10) ON CONFLICT (org_id, block_no) DO UPDATE SET \
                 remaining = excluded.remaining, reserved = excluded.reserved, \
                 expired = excluded.expired",
                &[
                    int(org),
                    int(b.id.get()),
                    text(&b.source.code()),
                    int(b.amount.hundredths()),
                    int(b.remaining.hundredths()),
                    int(b.reserved.hundredths()),
                    b.expires
                        .map_or(wasm_bindgen::JsValue::NULL, |p| text(&p.to_string())),
                    int(i64::from(b.expired)),
                    text(d.key.as_str()),
                    int(at),
                ],
            )?);
        }
        self.entry_statements(org, d, at, &mut out)?;
        self.owed_statements(org, d, &mut out)?;
        self.hold_statements(org, d, at, &mut out)?;
        Ok(out)
    }

    /// The decision's entries, each with its block moves.
    fn entry_statements(
        &self,
        org: i64,
        d: &Decision,
        at: i64,
        out: &mut Vec<D1PreparedStatement>,
    ) -> AppResult<()> {
        for e in &d.entries {
            out.push(self.statement(
                "INSERT INTO ledger_entries (org_id, kind, amount, reason, reference, actor_id, \
                 idempotency_key, at, balance_after, debt_change) VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
                 ?7, ?8, ?9, ?10)",
                &[
                    int(org),
                    text(e.kind.as_str()),
                    int(e.amount.hundredths()),
                    text(&e.reason),
                    text(&pointdesk_api::ledger::reference_str(e.reference)),
                    e.actor
                        .map_or(wasm_bindgen::JsValue::NULL, |u| int(u.get())),
                    text(e.key.as_str()),
                    int(at),
                    int(e.balance_after.hundredths()),
                    int(e.debt_change.hundredths()),
                ],
            )?);
            for m in &e.moves {
                out.push(self.statement(
                    "INSERT INTO entry_moves (entry_id, org_id, block_no, points) VALUES \
                     ((SELECT id FROM ledger_entries WHERE idempotency_key = ?1), ?2, ?3, ?4)",
                    &[
                        text(e.key.as_str()),
                        int(org),
                        int(m.block.get()),
                        int(m.points.hundredths()),
                    ],
                )?);
            }
        }
        Ok(())
    }

    /// What is owed afterwards: outstanding charges and refunds owed (none is deleted).
    fn owed_statements(
        &self,
        org: i64,
        d: &Decision,
        out: &mut Vec<D1PreparedStatement>,
    ) -> AppResult<()> {
        for (ticket, owed) in &d.changes.outstanding {
            out.push(if owed.is_positive() {
                self.statement(
                    "INSERT INTO outstanding_charges (org_id, ticket_id, points) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (org_id, ticket_id) DO UPDATE SET points = excluded.points",
                    &[int(org), int(ticket.get()), int(owed.hundredths())],
                )?
            } else {
                self.statement(
                    "DELETE FROM outstanding_charges WHERE org_id = ?1 AND ticket_id = ?2",
                    &[int(org), int(ticket.get())],
                )?
            });
        }
        for (payment, owed) in &d.changes.refunds_owed {
            out.push(if owed.is_positive() {
                self.statement(
                    "INSERT INTO outstanding_refunds (org_id, purchase_id, points) \
                     VALUES (?1, ?2, ?3) ON CONFLICT (org_id, purchase_id) \
                     DO UPDATE SET points = excluded.points",
                    &[int(org), int(payment.get()), int(owed.hundredths())],
                )?
            } else {
                self.statement(
                    "DELETE FROM outstanding_refunds WHERE org_id = ?1 AND purchase_id = ?2",
                    &[int(org), int(payment.get())],
                )?
            });
        }
        Ok(())
    }

    /// Holds released and placed, with their reservations.
    fn hold_statements(
        &self,
        org: i64,
        d: &Decision,
        at: i64,
        out: &mut Vec<D1PreparedStatement>,
    ) -> AppResult<()> {
        for q in &d.changes.holds_released {
            out.push(self.statement(
                "DELETE FROM hold_reservations WHERE quote_id = ?1",
                &[int(q.get())],
            )?);
            out.push(self.statement(
                "DELETE FROM holds WHERE quote_id = ?1 AND org_id = ?2",
                &[int(q.get()), int(org)],
            )?);
        }
        for h in &d.changes.holds_placed {
            out.push(self.statement(
                "INSERT INTO holds (quote_id, org_id, points, placed_at) VALUES (?1, ?2, ?3, ?4)",
                &[
                    int(h.quote.get()),
                    int(org),
                    int(h.points.hundredths()),
                    int(at),
                ],
            )?);
            for m in &h.reserved {
                out.push(self.statement(
                    "INSERT INTO hold_reservations (quote_id, org_id, block_no, points) \
                     VALUES (?1, ?2, ?3, ?4)",
                    &[
                        int(h.quote.get()),
                        int(org),
                        int(m.block.get()),
                        int(m.points.hundredths()),
                    ],
                )?);
            }
        }
        Ok(())
    }
}
