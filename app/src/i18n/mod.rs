//! The one translation layer: every user-visible string is a [`Msg`] with its words in each
//! language (rows by area in `common.rs`, `tickets.rs`, `desk.rs`, `books.rs`, `payments.rs`,
//! `people.rs`; a row with a language missing does not compile), plus locale-aware numbers,
//! dates and plural forms (`words.rs`) through the browser's `Intl`.

use leptos::prelude::*;
use pointdesk_api::wire_enums::TicketStatus;

pub use crate::locale::Locale;
pub use words::*;

#[macro_use]
mod books;
#[macro_use]
mod common;
#[macro_use]
mod desk;
#[macro_use]
mod payments;
#[macro_use]
mod people;
#[macro_use]
mod tickets;
mod words;

const STORAGE_KEY: &str = "pointdesk.locale";

/// Takes every area's rows in turn; the last step declares [`Msg`] with all of them.
macro_rules! gather {
    ([$($rows:tt)*] $next:ident $($rest:ident)*) => {
        $next! { gather [$($rows)*] $($rest)* }
    };
    ([$($rows:tt)*]) => {
        pointdesk_api::messages! {
            /// Every message the app shows.
            pub enum Msg { $($rows)* }
        }
    };
}

gather! { [] common_rows tickets_rows desk_rows books_rows payments_rows people_rows }

/// The message's words in `locale`.
pub fn text(locale: Locale, msg: Msg) -> &'static str {
    msg.text(locale)
}

/// The app-wide language, remembered in localStorage and mirrored to `<html lang>`.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    pub fn t(self, msg: Msg) -> &'static str {
        text(self.locale.get(), msg)
    }

    /// The message as a reactive text. Every call returns the same closure type, so the views
    /// that show translated text share one instance of the rendering code instead of one per
    /// message (a measurable part of the wasm bundle).
    pub fn tr(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(msg)
    }

    // Like `tr`, each of these returns one closure type for every call site, so the views share
    // one copy of the code that renders it.

    /// `3,00 балла` / `3.00 points`, reactive to the language.
    pub fn pts(
        self,
        p: pointdesk_api::WirePoints,
    ) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || points(self.locale.get(), p)
    }

    /// `1 234,50` / `1,234.50`: the number alone.
    pub fn num(
        self,
        p: pointdesk_api::WirePoints,
    ) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || crate::format::points(self.locale.get(), p)
    }

    /// A moment given in Unix seconds, in the locale's medium style.
    pub fn when(self, unix: i64) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        #[allow(clippy::cast_precision_loss)]
        let ms = unix as f64 * 1000.0;
        self.when_ms(ms)
    }

    /// A moment given in milliseconds since the epoch.
    pub fn when_ms(self, ms: f64) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || crate::format::date_time(self.locale.get(), ms)
    }

    /// A ticket's status.
    pub fn status(
        self,
        s: TicketStatus,
    ) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || status_name(self.locale.get(), s)
    }

    /// A ticket's priority.
    pub fn priority(self, s: String) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
        move || priority_name(self.locale.get(), &s)
    }

    /// A quote's status.
    pub fn quote_status(
        self,
        s: String,
    ) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
        move || quote_status_name(self.locale.get(), &s)
    }

    pub fn set(self, locale: Locale) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(STORAGE_KEY, locale.tag());
        }
        self.locale.set(locale);
    }
}

/// The stored choice, else the browser's language, else English.
fn initial_locale() -> Locale {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|t| Locale::from_tag(&t));
    stored
        .or_else(|| {
            window()
                .navigator()
                .language()
                .and_then(|t| Locale::from_tag(&t))
        })
        .unwrap_or(Locale::En)
}

pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        locale: RwSignal::new(initial_locale()),
    };
    Effect::new(move |_| {
        let tag = i18n.locale.get().tag();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", tag);
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
