//! Pointdesk's business rules, written once and with no IO.
//!
//! The worker loads state, asks this crate what must change (a [`ledger::Decision`], a new
//! ticket state, notices to send) and writes it in one D1 batch. Nothing here reads a clock,
//! a database, the network or a random source; instants are passed in.
//!
//! Points are integer hundredths ([`points::Points`]), never floats.

pub mod account;
pub mod attachment;
pub mod auto_topup;
pub mod bank;
pub mod charging;
pub mod credit;
pub mod error;
pub mod forecast;
pub mod ids;
pub mod inbound;
pub mod incident;
pub mod ledger;
pub mod money;
pub mod notify;
pub mod plan;
pub mod points;
pub mod policy;
pub mod requisites;
pub mod service_request;
pub mod sla;
pub mod sniff;
pub mod steps;
pub mod text;
pub mod ticket;
pub mod time;
pub mod worklog;

pub use error::DomainError;
pub use points::Points;
