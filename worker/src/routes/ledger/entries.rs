//! An entry as the ledger's screens show it (a page, an adjustment's answer).

use pointdesk_api::ledger::*;

use crate::db::EntryRow;
use crate::error::{AppError, AppResult};
use crate::http::wire_points;

pub(super) fn entry_dto(e: EntryRow) -> AppResult<LedgerEntryDto> {
    let moves: Vec<(i64, i64, String)> = match e.moves.as_deref() {
        Some(m) => serde_json::from_str(m)
            .map_err(|err| AppError::Internal(format!("entry {}'s moves: {err}", e.id)))?,
        None => Vec::new(),
    };
    Ok(LedgerEntryDto {
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
    })
}
