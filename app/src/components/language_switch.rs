use leptos::prelude::*;

use crate::i18n::{use_i18n, Locale, Msg};

/// English / Русский, remembered across visits.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="lang-switch" role="group" aria-label=i18n.tr(Msg::Language)>
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    view! {
                        <button
                            type="button"
                            class="lang-switch__option button-quiet"
                            lang=locale.tag()
                            data-testid=format!("lang-{}", locale.tag())
                            aria-pressed=move || (i18n.locale.get() == locale).to_string()
                            on:click=move |_| i18n.set(locale)
                        >
                            {crate::locale::native_name(locale)}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
