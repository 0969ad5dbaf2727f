//! The provider's point packs and the receipt (54-FZ) settings.

use pointdesk_api::payments::*;
use pointdesk_domain::policy::Action;
use worker::Response;

use crate::db::{PackColumns, PackRow};
use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, wire_points, Call, Session};

fn pack_dto(p: &PackRow) -> PointPackDto {
    PointPackDto {
        id: p.id,
        name: p.name.clone(),
        points: wire_points(p.points),
        price_minor: p.price_minor,
        currency: p.currency.clone(),
        active: p.active == 1,
    }
}

fn pack_columns(p: &PointPack) -> PackColumns<'_> {
    PackColumns {
        name: &p.name,
        points: p.points.hundredths(),
        price_minor: p.price.minor(),
        currency: p.price.currency().code(),
        active: p.active,
    }
}

fn pack_json(p: &PointPack) -> String {
    serde_json::json!({
        "name": p.name,
        "points": p.points.to_string(),
        "price": p.price.to_string(),
        "active": p.active,
    })
    .to_string()
}

/// `listPointPacks`: client people see what is for sale, managers every pack.
pub async fn list_packs(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let staff = !who.actor.role.is_client();
    if staff {
        who.may_provider_wide(Action::ViewBalance)?;
    } else {
        who.may(Action::ViewBalance, who.org())?;
    }
    let db = call.db()?;
    let packs = db.packs(who.provider(), !staff).await?;
    json(&PointPackListDto {
        packs: packs.iter().map(pack_dto).collect(),
    })
}

/// `createPointPack`.
pub async fn create_pack(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let req: PointPackRequest = read_json(&mut call.req).await?;
    let pack = PointPack::try_from(req)?;
    let db = call.db()?;
    let now = call.now.unix();
    let after = pack_json(&pack);
    let id = db
        .batch_returning_id(vec![
            db.insert_pack(who.provider(), &pack_columns(&pack), now)?,
            db.insert_audit(&who.audit(
                "point_pack.create",
                &pack.name,
                None,
                (None, Some(&after)),
                now,
            ))?,
        ])
        .await?;
    let row = db
        .pack(who.provider(), id)
        .await?
        .ok_or_else(|| AppError::Internal("the new pack vanished".into()))?;
    Ok(json(&pack_dto(&row))?.with_status(201))
}

/// `updatePointPack`: new terms apply to purchases from now on.
pub async fn update_pack(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let id = call.id()?;
    let req: PointPackRequest = read_json(&mut call.req).await?;
    let pack = PointPack::try_from(req)?;
    let db = call.db()?;
    let before = db
        .pack(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = call.now.unix();
    let was = serde_json::to_string(&pack_dto(&before)).unwrap_or_default();
    let after = pack_json(&pack);
    db.batch(vec![
        db.update_pack(who.provider(), id, &pack_columns(&pack))?,
        db.insert_audit(&who.audit(
            "point_pack.update",
            &pack.name,
            None,
            (Some(&was), Some(&after)),
            now,
        ))?,
    ])
    .await?;
    let row = db
        .pack(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    json(&pack_dto(&row))
}

/// `getPaymentSettings`.
pub async fn settings(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let db = call.db()?;
    json(&PaymentSettingsDto {
        vat_code: db.vat_code(who.provider()).await?,
    })
}

/// `updatePaymentSettings`: audit-logged.
pub async fn set_settings(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let req: PaymentSettingsDto = read_json(&mut call.req).await?;
    let next = req.checked()?;
    let db = call.db()?;
    let before = db.vat_code(who.provider()).await?;
    let now = call.now.unix();
    let (b, a) = (
        serde_json::json!({ "vat_code": before }).to_string(),
        serde_json::json!({ "vat_code": next.vat_code }).to_string(),
    );
    db.batch(vec![
        db.set_vat_code(who.provider(), next.vat_code)?,
        db.insert_audit(&who.audit(
            "payment_settings.update",
            "payment_settings",
            None,
            (Some(&b), Some(&a)),
            now,
        ))?,
    ])
    .await?;
    json(&next)
}
