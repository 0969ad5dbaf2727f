//! One routed screen per file.
pub mod accept_invitation;
pub mod forgot_password;
pub mod home;
pub mod not_found;
pub mod profile;
pub mod reset_password;
pub mod sign_in;
pub mod status;
