use leptos::prelude::*;
use pointdesk_api::tickets::{AssignRequest, StatusRequest, TicketDto};

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

/// An engineer's next steps, as large buttons: take the ticket, start, resolve, reopen or
/// close an incident; start, complete or cancel a request.
#[component]
pub fn TicketControls(ticket: TicketDto, me: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = ticket.id;
    let (act, error) = use_change(id, done);
    let status = ticket.status.as_str();
    let incident = ticket.kind == "incident";
    let standard = ticket
        .catalogue
        .as_ref()
        .is_some_and(|c| c.kind == "standard");
    let mine = ticket.assignee.as_ref().is_some_and(|a| a.id == me);
    let to = |s: &str| {
        TicketChange::Status(StatusRequest {
            status: s.to_owned(),
        })
    };
    let mut steps: Vec<(Msg, TicketChange, &'static str)> = Vec::new();
    if !mine && !matches!(status, "closed" | "completed" | "declined" | "cancelled") {
        steps.push((
            Msg::Take,
            TicketChange::Assign(AssignRequest {
                assignee_id: Some(me),
            }),
            "take",
        ));
    }
    match (incident, status) {
        (true, "new") => steps.push((Msg::Start, to("in_progress"), "start")),
        (true, "in_progress") => steps.push((Msg::Resolve, to("resolved"), "resolve")),
        (true, "resolved") => {
            if ticket.cause.is_none() {
                steps.push((Msg::Reopen, to("in_progress"), "reopen"));
            }
            steps.push((Msg::CloseTicket, to("closed"), "close"));
        }
        (false, "new") if standard => steps.push((Msg::Start, to("in_progress"), "start")),
        (false, "in_progress") => steps.push((Msg::Complete, TicketChange::Complete, "complete")),
        _ => {}
    }
    if !incident && !matches!(status, "completed" | "declined" | "cancelled") {
        steps.push((Msg::CancelRequest, TicketChange::Cancel, "cancel"));
    }
    view! {
        <div class="actions" data-testid="ticket-controls">
            {steps.into_iter().map(|(label, change, code)| {
                let quiet = matches!(code, "cancel" | "reopen");
                view! {
                    <button type="button" class="button" class:button--secondary=quiet data-action=code
                        disabled=act.busy()
                        on:click=move |_| { act.dispatch(change.clone()); }>
                        {i18n.tr(label)}
                    </button>
                }
            }).collect_view()}
        </div>
        <ErrorBox error=error />
    }
}
