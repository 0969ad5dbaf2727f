//! Every write through one `Action` type: `Action<Write, Result<String, ApiError>>`. Screens
//! dispatch a [`client::Write`] and read the answer's text (parsed where they need it). One
//! type means one copy of the action, effect and signal machinery in the bundle instead of one
//! per request type (it was ~3 KB of wasm per screen).

use leptos::prelude::*;

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

/// Runs `then` with the answer's text each time the write succeeds. Every caller shares this one
/// effect (the callback is boxed): each `Effect::new` with its own closure was its own copy of
/// the effect machinery in the bundle, about 1 KB of wasm apiece.
pub fn on_success(a: WriteAction, then: impl Fn(&str) + 'static) {
    let then: Box<dyn Fn(&str)> = Box::new(then);
    Effect::new(move |_| {
        if let Some(Ok(text)) = a.value().get() {
            then(&text);
        }
    });
}

/// Did the last write succeed?
pub fn succeeded(a: WriteAction) -> bool {
    matches!(a.value().get(), Some(Ok(_)))
}

/// "Is this write on its way?" as one closure type for every button that waits for it.
pub fn busy(a: WriteAction) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || a.pending().get()
}
