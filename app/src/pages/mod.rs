//! One routed screen per file.
pub mod accept_invitation;
pub mod audit_log;
pub mod client_detail;
pub mod clients;
pub mod forgot_password;
pub mod home;
pub mod not_found;
pub mod org_settings;
pub mod outbox;
pub mod people;
pub mod plans;
pub mod profile;
pub mod reset_password;
pub mod sign_in;
pub mod status;
