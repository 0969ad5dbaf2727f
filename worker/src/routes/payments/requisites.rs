//! Requisites: the provider's (the seller on its invoices and acts) and each client
//! organisation's (the buyer).

use pointdesk_api::invoices::{ClientRequisitesDto, ProviderRequisitesDto};
use pointdesk_domain::policy::Action;
use worker::Response;

use crate::error::{AppError, AppResult};
use crate::http::{body_of, json, Call, Session};

/// `getProviderRequisites`.
pub async fn provider(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageBilling)?;
    let r = call.db()?.provider_requisites(who.provider()).await?;
    // Not set yet: every field empty, and the VAT rule the simplified tax system means.
    json(&r.unwrap_or_else(|| ProviderRequisitesDto {
        vat: "none".to_owned(),
        ..ProviderRequisitesDto::default()
    }))
}

/// `updateProviderRequisites`.
pub async fn set_provider(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageBilling)?;
    let (req, _): (ProviderRequisitesDto, Vec<u8>) = body_of(call).await?;
    let r = req.checked().map_err(AppError::Fields)?;
    let db = call.db()?;
    let now = call.now.unix();
    let after = serde_json::to_string(&r).map_err(|e| AppError::Internal(e.to_string()))?;
    db.batch(vec![
        db.set_provider_requisites(who.provider(), &r, now)?,
        db.insert_audit(&who.audit(
            "requisites.update",
            &r.legal_name,
            None,
            (None, Some(&after)),
            now,
        ))?,
    ])
    .await?;
    json(&r)
}

/// The organisation of the path's `{id}`, when `who` may act on it with `action`.
pub(super) async fn organisation(call: &Call<'_>, who: &Session, action: Action) -> AppResult<i64> {
    let id = call.id()?;
    // Another provider's organisation is unknown to everyone (404), whatever the role.
    call.db()?
        .organization(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    who.may(action, Some(id))?;
    Ok(id)
}

/// `getOrganizationRequisites`.
pub async fn organization(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = organisation(call, who, Action::ViewLedger).await?;
    json(&call.db()?.org_requisites(id).await?.unwrap_or_default())
}

/// `updateOrganizationRequisites`.
pub async fn set_organization(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = organisation(call, who, Action::RequestInvoice).await?;
    let (req, _): (ClientRequisitesDto, Vec<u8>) = body_of(call).await?;
    let r = req.checked().map_err(AppError::Fields)?;
    let db = call.db()?;
    let now = call.now.unix();
    let after = serde_json::to_string(&r).map_err(|e| AppError::Internal(e.to_string()))?;
    db.batch(vec![
        db.set_org_requisites(id, &r, now)?,
        db.insert_audit(&who.audit(
            "org_requisites.update",
            &r.legal_name,
            Some(id),
            (None, Some(&after)),
            now,
        ))?,
    ])
    .await?;
    json(&r)
}
