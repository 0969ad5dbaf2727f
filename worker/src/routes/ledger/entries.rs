//! Shapes the ledger's screens share: an entry on the wire and a period's last day.

use pointdesk_api::ledger::*;

use crate::db::EntryRow;
use crate::http::wire_points;

pub(super) fn entry_dto(e: EntryRow) -> LedgerEntryDto {
    let moves: Vec<(i64, i64, String)> = e
        .moves
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    LedgerEntryDto {
        id: e.id,
        kind: e.kind,
        amount: wire_points(e.amount),
        balance_after: wire_points(e.balance_after),
        reason: e.reason,
        reference: e.reference,
        ticket: match (e.ticket_id, e.ticket_number) {
            (Some(id), Some(number)) => Some(TicketRefDto {
                id,
                number,
                title: e.ticket_title.unwrap_or_default(),
            }),
            _ => None,
        },
        actor: e.actor,
        at: e.at,
        moves: moves
            .into_iter()
            .map(|(block, points, source)| BlockMoveDto {
                block,
                source,
                points: wire_points(points),
            })
            .collect(),
    }
}
