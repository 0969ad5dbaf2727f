//! One component per file.
pub mod allotment_view;
pub mod charge_calculator;
pub mod error_box;
pub mod language_switch;
pub mod layout;
pub mod remote;
pub mod status_card;
pub mod text_field;
