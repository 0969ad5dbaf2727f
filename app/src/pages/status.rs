use leptos::prelude::*;

use crate::components::status_card::StatusCard;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn Status() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::StatusTitle)}</h1>
        <div class="narrow">
            <StatusCard heading=Msg::Components />
        </div>
    }
}
