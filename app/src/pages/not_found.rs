use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="not-found" data-testid="not-found">
            <p class="not-found__code" aria-hidden="true">"404"</p>
            <h1 data-testid="page-title">{i18n.tr(Msg::NotFoundTitle)}</h1>
            <p>{i18n.tr(Msg::NotFoundBody)}</p>
            <a href="/" class="button">{i18n.tr(Msg::BackHome)}</a>
        </section>
    }
}
