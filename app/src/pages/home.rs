use leptos::prelude::*;

use crate::components::charge_calculator::ChargeCalculator;
use crate::components::status_card::StatusCard;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 data-testid="page-title">{move || i18n.t(Msg::HomeTitle)}</h1>
        <p class="lead">{move || i18n.t(Msg::HomeIntro)}</p>
        <ul class="rules">
            <li>{move || i18n.t(Msg::RuleIncidents)}</li>
            <li>{move || i18n.t(Msg::RuleRequests)}</li>
            <li>{move || i18n.t(Msg::RuleBalance)}</li>
        </ul>
        <div class="grid">
            <ChargeCalculator />
            <StatusCard />
        </div>
    }
}
