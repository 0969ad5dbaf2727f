//! One component per file.
pub mod allotment_view;
pub mod cause_panel;
pub mod charge_calculator;
pub mod comment_box;
pub mod error_box;
pub mod language_switch;
pub mod layout;
pub mod quote_panel;
pub mod remote;
pub mod status_card;
pub mod text_field;
pub mod ticket_change;
pub mod ticket_controls;
pub mod ticket_row;
pub mod timeline_view;
pub mod work_logger;
