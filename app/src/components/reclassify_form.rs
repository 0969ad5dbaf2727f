use leptos::prelude::*;
use pointdesk_api::desk::ReclassifyRequest;

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

/// An engineer sets right a ticket opened as the wrong thing: an incident that is really a
/// request, a request that needs a quote. The reason goes on the timeline for the client.
#[component]
pub fn ReclassifyForm(id: i64, class: String, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (act, error) = use_change(id, done);
    let choices: Vec<(&'static str, Msg)> = [
        ("incident", Msg::ClassIncident),
        ("standard", Msg::ClassStandard),
        ("quoted", Msg::ClassQuoted),
    ]
    .into_iter()
    .filter(|(c, _)| *c != class)
    .collect();
    let to = RwSignal::new(choices.first().map(|c| c.0).unwrap_or("quoted").to_owned());
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act.dispatch(TicketChange::Reclassify(ReclassifyRequest {
            to: to.get_untracked(),
            reason: reason.get_untracked(),
        }));
    };
    view! {
        <details class="card disclosure" data-testid="reclassify">
            <summary class="card__title">{i18n.tr(Msg::Reclassify)}</summary>
            <form class="stack" on:submit=submit novalidate=true>
                <SelectField label=Msg::Reclassify field="to" value=to choices=choices />
                <TextField label=Msg::ClassReason name="reason" value=reason error=error />
                <button class="button button--secondary" type="submit" disabled=act.busy()>{i18n.tr(Msg::SaveClass)}</button>
            </form>
            <ErrorBox error=error />
        </details>
    }
}
