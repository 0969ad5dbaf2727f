//! The wire contract between the app and the worker.
//!
//! Amounts travel as canonical strings (`"12.25"`), never as JSON numbers, so no float ever
//! touches a point; [`WirePoints`] does the conversion. Domain types stay free of serde: every
//! type here has a `From` (outbound) or `TryFrom` (inbound) adapter to its domain counterpart.

pub mod accounts;
pub mod attachments;
pub mod desk;
pub mod health;
pub mod invoices;
pub mod ledger;
pub mod messages;
pub mod notifications;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod organizations;
pub mod payments;
pub mod plans;
pub mod problem;
pub mod reports;
pub mod routes;
#[cfg(feature = "openapi")]
mod schema;
pub mod sla;
pub mod tickets;
pub mod wire_enums;
mod wire_points;

pub use health::{Check, Health};
pub use problem::Problem;
pub use wire_points::WirePoints;

/// The API's path prefix and version.
pub const API_PREFIX: &str = "/api/v1";

/// The session cookie. `__Host-` makes the browser insist on `Secure`, `Path=/` and no
/// `Domain`, so no other host can set or overwrite it.
pub const SESSION_COOKIE: &str = "__Host-pointdesk_session";
