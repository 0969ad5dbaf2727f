use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// A labelled choice among a few fixed values (the wire's words), each shown in the user's
/// language.
#[component]
pub fn SelectField(
    label: Msg,
    /// The field's name on the wire.
    field: &'static str,
    value: RwSignal<String>,
    choices: Vec<(&'static str, Msg)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label class="field__label" for=format!("field-{field}")>{i18n.tr(label)}</label>
            <select id=format!("field-{field}") class="field__input" data-testid=format!("input-{field}")
                on:change=move |ev| value.set(event_target_value(&ev))>
                {choices.into_iter().map(|(v, m)| view! {
                    <option value=v selected=move || value.get() == v>{i18n.tr(m)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
