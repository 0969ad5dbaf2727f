use leptos::prelude::*;
use pointdesk_api::sla::{AwaitingClientRequest, PriorityRequest};
use pointdesk_domain::ticket::Priority;

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::ticket_change::use_change;
use crate::i18n::{self, use_i18n, Msg};

/// The engineer's service-level controls: the ticket's priority (its deadlines follow from the
/// opening) and "waiting for the client's answer" (the clocks stand until the client writes).
#[component]
pub fn WaitAndPriority(
    id: i64,
    priority: String,
    awaiting: bool,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (act, error) = use_change(id, done);
    let change_priority = move |ev: leptos::ev::Event| {
        let priority = event_target_value(&ev);
        act.dispatch(TicketChange::Priority(PriorityRequest { priority }));
    };
    let toggle = move |_| {
        act.dispatch(TicketChange::Awaiting(AwaitingClientRequest {
            awaiting: !awaiting,
            note: String::new(),
        }));
    };
    view! {
        <div class="inline-controls" data-testid="wait-and-priority">
            <label class="inline-field">
                <span>{i18n.tr(Msg::ChangePriority)}</span>
                <select name="priority" data-testid="priority" on:change=change_priority>
                    {Priority::ALL.into_iter().map(|p| {
                        let code = p.as_str();
                        view! {
                            <option value=code selected=priority == code>
                                {move || i18n::priority_name(i18n.locale.get(), code)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <button type="button" class="button button--secondary" data-testid="awaiting-client"
                aria-pressed=awaiting.to_string() disabled=act.busy() on:click=toggle>
                {i18n.tr(if awaiting { Msg::StopWaiting } else { Msg::WaitForClient })}
            </button>
            <ErrorBox error=error />
        </div>
    }
}
