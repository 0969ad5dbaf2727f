//! Closing acts: the points a client consumed in a month, with their tickets, in both parties'
//! requisites. An ended month's act is numbered when first asked for and kept as issued; the
//! running month's is a draft.

use pointdesk_api::invoices::{ActDto, ActLineDto, ClientRequisitesDto};
use pointdesk_api::problem::FieldError;
use pointdesk_domain::policy::Action;
use pointdesk_domain::requisites::Vat;
use pointdesk_domain::time::Timestamp;
use worker::Response;

use super::invoices::today;
use crate::db::{ActMoveRow, ActRow};
use crate::docs::act_page;
use crate::error::{AppError, AppResult};
use crate::http::{json, wants_html, wire_points, Call, Session};
use crate::zone;

fn field(name: &str, code: &str) -> AppError {
    AppError::Fields(vec![FieldError::new(name, code)])
}

/// The money value of points moved out of a bought block: its share of the purchase's price,
/// rounded half up to the kopeck.
fn value(points: i64, purchase: Option<(i64, i64)>) -> i64 {
    match purchase {
        Some((bought, minor)) if bought > 0 => {
            let v = (2 * i128::from(points) * i128::from(minor) + i128::from(bought))
                / (2 * i128::from(bought));
            i64::try_from(v).unwrap_or(0)
        }
        _ => 0,
    }
}

/// One line per charge entry (its moves summed), in entry order.
fn lines(moves: &[ActMoveRow], offset: i32) -> Vec<ActLineDto> {
    let mut out: Vec<(i64, ActLineDto)> = Vec::new();
    for m in moves {
        let points = -m.points;
        let money = value(points, m.purchase_points.zip(m.purchase_minor));
        match out.last_mut() {
            Some((entry, line)) if *entry == m.entry_id => {
                line.points = wire_points(line.points.0.hundredths() + points);
                line.amount_minor += money;
            }
            _ => out.push((
                m.entry_id,
                ActLineDto {
                    date: Timestamp::from_unix(m.at).date(offset).to_string(),
                    ticket: m.ticket_number,
                    description: m.ticket_title.clone().unwrap_or_else(|| m.reason.clone()),
                    points: wire_points(points),
                    amount_minor: money,
                },
            )),
        }
    }
    out.into_iter().map(|(_, l)| l).collect()
}

fn stored(row: ActRow) -> AppResult<ActDto> {
    let mut act: ActDto = serde_json::from_str(&row.document)
        .map_err(|e| AppError::Internal(format!("act {}: {e}", row.number)))?;
    act.number = Some(row.number);
    act.issued_on = Some(row.issued_on);
    Ok(act)
}

/// `getAct`.
pub async fn get_act(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewLedger, Some(id))?;
    let html = wants_html(call)?;
    let period = call.period()?;
    let zone = who.user.time_zone.clone();
    let current = zone::period_at(&zone, call.now);
    if period > current {
        return Err(field("period", "future"));
    }
    let db = call.db()?;
    let org = db
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = period.to_string();
    let act = match db.act(id, &key).await? {
        Some(row) => stored(row)?,
        None => {
            let seller = db
                .provider_requisites(who.provider())
                .await?
                .ok_or_else(|| field("provider_requisites", "required"))?;
            let buyer = db.org_requisites(id).await?.unwrap_or(ClientRequisitesDto {
                legal_name: org.name.clone(),
                ..ClientRequisitesDto::default()
            });
            let start = zone::period_start(&zone, period);
            let end = zone::period_start(&zone, period.next());
            let moves = db.act_moves(id, (start.unix(), end.unix())).await?;
            let lines = lines(&moves, zone::offset_minutes(&zone, start).unwrap_or(0));
            let amount: i64 = lines.iter().map(|l| l.amount_minor).sum();
            let vat = Vat::parse(&seller.vat).unwrap_or(Vat::None);
            let draft = ActDto {
                org_id: id,
                period: key.clone(),
                number: None,
                issued_on: None,
                points: wire_points(lines.iter().map(|l| l.points.0.hundredths()).sum()),
                lines,
                amount_minor: amount,
                vat: vat.code(),
                vat_minor: vat.included_in(amount),
                seller,
                buyer,
            };
            if period < current {
                let issued = today(call, who);
                let document =
                    serde_json::to_string(&draft).map_err(|e| AppError::Internal(e.to_string()))?;
                let write = db
                    .batch(vec![db.insert_act(
                        who.provider(),
                        id,
                        (&key, issued.year(), &issued.to_string()),
                        &document,
                    )?])
                    .await;
                match write {
                    // Another request issued it first: that one is the act.
                    Ok(_) | Err(AppError::Conflict(_)) => {}
                    Err(e) => return Err(e),
                }
                stored(
                    db.act(id, &key)
                        .await?
                        .ok_or_else(|| AppError::Internal("the act vanished".into()))?,
                )?
            } else {
                draft
            }
        }
    };
    if html {
        act_page(&act)
    } else {
        json(&act)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bought_points_are_valued_at_their_price_allotment_at_nothing() {
        // 10 points for 12 000 ₽: 1.5 points are 1 800 ₽.
        assert_eq!(value(150, Some((1000, 1_200_000))), 180_000);
        assert_eq!(value(150, None), 0);
        // 1/3 of a point of 3 points for 100 ₽ → 11.11 ₽ (rounded half up).
        assert_eq!(value(33, Some((300, 10_000))), 1_100);
    }
}
