use leptos::prelude::*;

use crate::client::ApiError;
use crate::i18n::{self, use_i18n, Msg};

/// A labelled input whose server-side error (matched by `name`) is shown beneath it, in the
/// user's language, and announced to screen readers. What was typed is kept.
#[component]
pub fn TextField(
    label: Msg,
    /// The field's name on the wire, as errors name it.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<Msg>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || {
        error.get().and_then(|e| {
            e.problem()
                .and_then(|p| p.field(name).cloned())
                .map(|f| i18n::field_error(i18n.locale.get(), &f))
        })
    };
    let invalid = move || message().is_some();
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if invalid() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:field--invalid=invalid>
            <label class="field__label" for=id.clone()>{move || i18n.t(label)}</label>
            <input
                id=id.clone()
                class="field__input"
                type=kind
                name=name
                autocomplete=autocomplete
                data-testid=format!("input-{name}")
                aria-invalid=move || invalid().to_string()
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{move || i18n.t(h)}</p> })}
            {move || message().map(|m| view! {
                <p class="field__error" id=error_id.clone() data-testid=format!("error-{name}")>{m}</p>
            })}
        </div>
    }
}
