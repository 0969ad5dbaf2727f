//! Buying points: the provider's packs and receipt settings, checkout, the gateways'
//! notifications and the hourly reconciliation that credit (or take back) a purchase exactly
//! once, and the sandbox gateway's hosted page.

mod acts;
mod auto_topup;
mod bank;
mod checkout;
mod export;
mod invoices;
mod notifications;
mod packs;
mod reconcile;
mod requisites;
mod sandbox_page;
mod settle;
mod topup_job;

pub use acts::get_act;
pub use auto_topup::{get as auto_topup, set as set_auto_topup};
pub use bank::{
    import as import_statement, list as list_bank_payments, resolve as resolve_bank_payment,
};
pub use checkout::{checkout, get_purchase, list_purchases};
pub use export::export as export_accounting;
pub use invoices::{cancel_invoice, create_invoice, get_invoice, list_invoices, mark_paid};
pub use notifications::notification;
pub use packs::{create_pack, list_packs, set_settings, settings, update_pack};
pub use reconcile::reconcile;
pub use requisites::{
    organization as org_requisites, provider as provider_requisites,
    set_organization as set_org_requisites, set_provider as set_provider_requisites,
};
pub use sandbox_page::{sandbox_decide, sandbox_page};
pub use topup_job::auto_topups;
