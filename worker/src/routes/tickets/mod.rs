//! Tickets: incidents and service requests, their work, quotes, causes and disputes.
//!
//! Every change follows one path (`change::change`): load the ticket (and, for money, the
//! account), ask the domain what changes, write it all in one D1 batch whose first statement
//! steps the ticket's version and whose ledger part steps the account's version (triggers abort
//! a batch decided on an older state), and decide again from a fresh load when D1 says another
//! request got there first (`db::decide_and_write`). A business event happens once (its key is
//! `UNIQUE` in `applied_events`), and a request repeated with the same `Idempotency-Key` gets the
//! first answer (`crate::idempotency`).

mod catalogue;
mod change;
mod clocks;
pub mod files;
mod incidents;
mod levels;
mod load;
pub mod mailbox;
mod open;
mod read;
mod requests;
mod resolution;
mod timer;
mod work;

pub use catalogue::{create_catalogue_item, list_catalogue, update_catalogue_item};
pub use incidents::{decide_dispute, dispute, set_cause};
pub use levels::{change_priority, set_awaiting};
pub use open::create;
pub use read::{get, list, timeline};
pub use requests::{
    approve_quote, cancel, complete, create_quote, decline_quote, dispute_recorded_approval,
    expire_quotes, record_approval,
};
pub use resolution::{auto_close, confirm, reclassify, reopen};
pub use timer::time;
pub use work::{assign, change_status, comment, follow};
