//! An organisation's points: the balance at a glance, the ledger and its export, the balance
//! history, the monthly statement, and a manager's adjustments.

mod adjust;
mod entries;
mod read;
mod statement;

pub use adjust::adjust;
pub use read::{balance, export, history, list};
pub use statement::statement;
