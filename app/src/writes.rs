//! Every write through one `Action` type: `Action<Write, Result<String, ApiError>>`. Screens
//! dispatch a [`client::Write`] and read the answer's text (parsed where they need it). One
//! type means one copy of the action, effect and signal machinery in the bundle instead of one
//! per request type (it was ~3 KB of wasm per screen).

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::client::{self, ApiError, Write};

pub type WriteAction = Action<Write, Result<String, ApiError>>;

pub fn use_write() -> WriteAction {
    Action::new_local(|w: &Write| {
        let w = w.clone();
        async move { client::send(&w).await }
    })
}

/// The last write's error, if it failed.
pub fn error_of(a: WriteAction) -> Signal<Option<ApiError>> {
    Signal::derive(move || a.value().get().and_then(Result::err))
}

/// The last write's answer as `T`, if it succeeded (a body that does not parse counts as a
/// failure of the screen's expectations and yields `None`).
pub fn answer<T: DeserializeOwned>(a: WriteAction) -> Option<T> {
    match a.value().get() {
        Some(Ok(text)) => client::parse_text(&text).ok(),
        _ => None,
    }
}

/// Did the last write succeed?
pub fn succeeded(a: WriteAction) -> bool {
    matches!(a.value().get(), Some(Ok(_)))
}

/// "Is this write on its way?" as one closure type for every button that waits for it.
pub fn busy(a: WriteAction) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || a.pending().get()
}
