//! Answers built from their JSON by hand (through [`crate::flat_json::Fields`]) into the same
//! DTO types the screens draw, instead of by serde: each serde type the app reads carries its
//! own deserializer into the bundle, and these nested ones cost more than the few lines here.

use pointdesk_api::ledger::{
    BalanceDayDto, BalanceHistoryDto, BlockMoveDto, LedgerEntryDto, LedgerPageDto, TicketRefDto,
};
use pointdesk_api::WirePoints;

use crate::flat_json::{fields, Fields};

fn points(f: &Fields, key: &str) -> WirePoints {
    f.points(key).unwrap_or(WirePoints::ZERO)
}

/// `listLedgerEntries`.
pub fn ledger_page(text: &str) -> LedgerPageDto {
    let page = fields(text);
    let entries = page
        .list("entries")
        .iter()
        .map(|e| {
            let t = e.sub("ticket");
            LedgerEntryDto {
                id: e.int("id"),
                kind: e.get("kind"),
                amount: points(e, "amount"),
                balance_after: points(e, "balance_after"),
                reason: e.get("reason"),
                reference: e.get("reference"),
                ticket: (t.int("id") != 0).then(|| TicketRefDto {
                    id: t.int("id"),
                    number: t.int("number"),
                    title: t.get("title"),
                }),
                actor: Some(e.get("actor")).filter(|a| !a.is_empty()),
                at: e.int("at"),
                moves: e
                    .list("moves")
                    .iter()
                    .map(|m| BlockMoveDto {
                        block: m.int("block"),
                        source: m.get("source"),
                        points: points(m, "points"),
                    })
                    .collect(),
            }
        })
        .collect();
    LedgerPageDto {
        entries,
        next: Some(page.int("next")).filter(|n| *n != 0),
    }
}

/// `getBalanceHistory`.
pub fn balance_history(text: &str) -> BalanceHistoryDto {
    let h = fields(text);
    BalanceHistoryDto {
        from: h.int("from"),
        to: h.int("to"),
        opening: points(&h, "opening"),
        days: h
            .list("days")
            .iter()
            .map(|d| BalanceDayDto {
                day: d.int("day"),
                closing: points(d, "closing"),
                grants: points(d, "grants"),
                purchases: points(d, "purchases"),
                charges: points(d, "charges"),
            })
            .collect(),
    }
}
