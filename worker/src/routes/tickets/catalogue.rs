//! The provider's service catalogue: what clients may ask for, included or quoted first.

use pointdesk_api::tickets::{
    CatalogueItem, CatalogueItemDto, CatalogueItemRequest, CatalogueListDto,
};
use pointdesk_domain::points::Points;
use pointdesk_domain::policy::Action;
use serde_json::json;
use worker::Response;

use crate::db::unless_taken;
use crate::db::{CatalogueColumns, CatalogueRow};
use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, wire_points, Call, Session};

// ---- the catalogue --------------------------------------------------------------------------

pub(super) fn catalogue_dto(c: &CatalogueRow) -> CatalogueItemDto {
    CatalogueItemDto {
        id: c.id,
        name: c.name.clone(),
        description: c.description.clone(),
        kind: c.kind.clone(),
        estimate: c.estimate.map(wire_points),
        active: c.active == 1,
    }
}

/// `listCatalogue`: client people see the active items, staff all of them.
pub async fn list_catalogue(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may(Action::OpenTicket, who.org())?;
    let db = call.db()?;
    let items = db
        .catalogue(who.provider(), who.actor.role.is_client())
        .await?
        .iter()
        .map(catalogue_dto)
        .collect();
    json(&CatalogueListDto { items })
}

fn catalogue_columns(item: &CatalogueItem) -> CatalogueColumns<'_> {
    CatalogueColumns {
        name: &item.name,
        description: &item.description,
        kind: if item.quoted { "quoted" } else { "standard" },
        estimate: item.estimate.map(Points::hundredths),
        active: item.active,
    }
}

/// An item as the audit log records it.
fn catalogue_json(item: &CatalogueItem) -> String {
    json!({
        "name": item.name,
        "kind": if item.quoted { "quoted" } else { "standard" },
        "estimate": item.estimate.map(|p| p.to_string()),
        "active": item.active,
    })
    .to_string()
}

/// `createCatalogueItem`.
pub async fn create_catalogue_item(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let req: CatalogueItemRequest = read_json(&mut call.req).await?;
    let item = CatalogueItem::try_from(req)?;
    let db = call.db()?;
    let now = call.now.unix();
    let after = catalogue_json(&item);
    unless_taken(
        db.batch(vec![
            db.insert_catalogue_item(who.provider(), &catalogue_columns(&item), now)?,
            db.insert_audit(&who.audit(
                "catalogue.create",
                &item.name,
                None,
                (None, Some(&after)),
                now,
            ))?,
        ])
        .await,
        "name",
    )?;
    let row = db
        .catalogue_by_name(who.provider(), &item.name)
        .await?
        .ok_or_else(|| AppError::Internal("catalogue item vanished".into()))?;
    Ok(json(&catalogue_dto(&row))?.with_status(201))
}

/// `updateCatalogueItem`.
pub async fn update_catalogue_item(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let id = call.id()?;
    let req: CatalogueItemRequest = read_json(&mut call.req).await?;
    let item = CatalogueItem::try_from(req)?;
    let db = call.db()?;
    let before = db
        .catalogue_item(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = call.now.unix();
    let was = serde_json::to_string(&catalogue_dto(&before)).unwrap_or_default();
    let columns = catalogue_columns(&item);
    let after = catalogue_json(&item);
    unless_taken(
        db.batch(vec![
            db.update_catalogue_item(who.provider(), id, &columns)?,
            db.insert_audit(&who.audit(
                "catalogue.update",
                &before.name,
                None,
                (Some(&was), Some(&after)),
                now,
            ))?,
        ])
        .await,
        "name",
    )?;
    let row = db
        .catalogue_item(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    json(&catalogue_dto(&row))
}
