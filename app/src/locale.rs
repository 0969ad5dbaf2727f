//! The languages the app speaks: the product's own (`pointdesk_api::messages::Lang`), named in
//! their own words for the switch.

pub use pointdesk_api::messages::Lang as Locale;

/// The language's own name, shown in the switch.
pub const fn native_name(l: Locale) -> &'static str {
    match l {
        Locale::En => "English",
        Locale::Ru => "Русский",
    }
}
