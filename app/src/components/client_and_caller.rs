use leptos::prelude::*;

use crate::client;
use crate::components::remote::Remote;
use crate::i18n::{use_i18n, Msg};

/// Staff opening a ticket: which client, and which of its people called (the requester, who
/// follows the ticket and gets its mail); nobody chosen means the staff member themselves.
#[component]
pub fn ClientAndCaller(org: RwSignal<Option<i64>>, caller: RwSignal<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = Remote::new(client::organizations);
    let people = Remote::maybe(move || org.get().map(client::users_of));
    view! {
        <label class="field">
            <span class="field__label">{i18n.tr(Msg::TicketOrg)}</span>
            <select class="field__input" data-testid="ticket-org"
                on:change=move |ev| { org.set(event_target_value(&ev).parse().ok()); caller.set(None); }>
                <option value="">"—"</option>
                {move || orgs.ok().map(|l| l.items).unwrap_or_default().into_iter()
                    .map(|o| view! { <option value=o.id.to_string()>{o.name}</option> }).collect_view()}
            </select>
        </label>
        <label class="field">
            <span class="field__label">{i18n.tr(Msg::CallerLabel)}</span>
            <select class="field__input" data-testid="ticket-caller"
                on:change=move |ev| caller.set(event_target_value(&ev).parse().ok())>
                <option value="">{i18n.tr(Msg::CallerMyself)}</option>
                {move || people.ok().map(|l| l.items).unwrap_or_default().into_iter()
                    .filter(|p| p.active && p.role.is_client())
                    .map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view()}
            </select>
        </label>
    }
}
