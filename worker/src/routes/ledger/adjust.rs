//! A manager's adjustment: credit or debit with a reason, audit-logged and told to the client.

use pointdesk_api::ledger::*;
use pointdesk_domain::ids::{AdjustmentId, UserId};
use pointdesk_domain::policy::Action;
use worker::Response;

use super::entries::entry_dto;
use crate::books::{overdraft_of, record};
use crate::db::{decide_and_write, OrgNotice};
use crate::error::{AppError, AppResult};
use crate::http::{body_of, respond, Call, Session};
use crate::idempotency::{Begun, Idem};
use crate::zone;

/// `createAdjustment`: a manager credits or debits with a reason; audit-logged, visible to the
/// client in the ledger and their notification centre.
pub async fn adjust(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let db = call.db()?;
    // Another provider's organisation is unknown to everyone (404), before any role is judged.
    let org = db
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    who.may(Action::Adjust, Some(id))?;
    let (req, body): (AdjustmentRequest, Vec<u8>) = body_of(call).await?;
    let adj = Adjustment::try_from(req).map_err(AppError::Fields)?;
    let idem = match Idem::begin(call, who, &db, &body).await? {
        Begun::Replay(answer) => return respond(answer),
        Begun::Fresh(idem) => idem,
    };
    let overdraft = overdraft_of(&db, who.provider(), &org).await?;
    let now = call.now;
    let period = zone::period_at(&who.user.time_zone, now);
    let origin = call.origin();
    let key = decide_and_write(&format!("organisation {id}"), async |_| {
        if let Some(answer) = idem.replay(who, &db).await? {
            return Ok(Err(answer));
        }
        let books = db.account(id, overdraft, period, &[]).await?;
        let adjustment = db.next_adjustment_id().await?;
        let decision = books.account.adjust(
            AdjustmentId::new(adjustment),
            adj.amount,
            &adj.reason,
            UserId::new(who.user.id),
            None,
        )?;
        let mut statements = vec![db.insert_adjustment(
            adjustment,
            id,
            adj.amount.hundredths(),
            &adj.reason,
            who.user.id,
            now.unix(),
        )?];
        statements.extend(record(&db, &books, &decision, now, &origin)?);
        let data = serde_json::json!({
            "points": adj.amount.to_string(),
            "reason": adj.reason,
        })
        .to_string();
        let link = format!("{origin}/ledger");
        let words = crate::mail::adjustment(adj.amount, &adj.reason, &link);
        statements.extend(db.org_notice(
            &OrgNotice {
                org: id,
                kind: words.kind,
                data: &data,
                subject: (&words.ru.subject, &words.en.subject),
                body: (&words.ru.body, &words.en.body),
                link: &link,
                managers: false,
            },
            now.unix(),
        )?);
        let after = serde_json::json!({
            "amount": adj.amount.to_string(),
            "reason": adj.reason,
            "adjustment": adjustment,
        })
        .to_string();
        let object = format!("organization:{id}");
        statements.push(db.insert_audit(&who.audit(
            "adjust_balance",
            &object,
            Some(id),
            (None, Some(&after)),
            now.unix(),
        ))?);
        statements.extend(idem.claim(who, &db, now.unix())?);
        db.batch(statements).await?;
        Ok(Ok(decision.key.as_str().to_owned()))
    })
    .await?;
    // A twin request with the same key answered first: its answer is this one's.
    let key = match key {
        Ok(key) => key,
        Err(answer) => return respond(answer),
    };
    let entry = db
        .entry_by_key(id, &key)
        .await?
        .ok_or_else(|| AppError::Internal("the adjustment entry is missing".into()))?;
    let body =
        serde_json::to_string(&entry_dto(entry)?).map_err(|e| AppError::Internal(e.to_string()))?;
    idem.finish(who, &db, (201, body)).await
}
