//! Buying points: the provider's packs and receipt settings, checkout, the gateways'
//! notifications and the hourly reconciliation that credit (or take back) a purchase exactly
//! once, and the sandbox gateway's hosted page.

mod checkout;
mod notifications;
mod packs;
mod reconcile;
mod sandbox_page;
mod settle;

pub use checkout::{checkout, get_purchase, list_purchases};
pub use notifications::notification;
pub use packs::{create_pack, list_packs, set_settings, settings, update_pack};
pub use reconcile::reconcile;
pub use sandbox_page::{sandbox_decide, sandbox_page};
