use leptos::prelude::*;

use crate::client::ApiError;
use crate::i18n::{use_i18n, Msg};

/// A readable message for a failed request, in the user's language where we know the cause.
#[component]
pub fn ErrorBox(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            let detail = match &e {
                ApiError::Network(_) => i18n.t(Msg::NetworkError).to_owned(),
                other => other.to_string(),
            };
            view! {
                <div class="notice notice--error" role="alert" data-testid="error">
                    <strong>{i18n.t(Msg::ErrorTitle)}</strong>
                    <p>{detail}</p>
                </div>
            }
        })
    }
}
