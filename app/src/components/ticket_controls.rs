use leptos::prelude::*;
use pointdesk_api::tickets::{AssignRequest, StatusRequest, TicketDto};
use pointdesk_domain::steps::Step;

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

/// The ticket's own next steps among the server's (`TicketDto::steps`): take it, start,
/// resolve, reopen, close; complete or cancel a request. Large buttons, in the server's order.
#[component]
pub fn TicketControls(ticket: TicketDto, me: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (act, error) = use_change(ticket.id, done);
    let steps: Vec<(Msg, TicketChange, &'static str)> = controls(&ticket)
        .filter_map(|step| Some((label(step)?, change(step, me)?, step.as_str())))
        .collect();
    // Staff cancelling a request with logged work see what it charges before they press.
    let charge = ticket
        .cancellation
        .clone()
        .filter(|_| ticket.steps.iter().any(|s| s == "cancel"));
    view! {
        {charge.map(|c| view! {
            <p class="notice" data-testid="cancel-charge">
                {i18n.tr(Msg::CancelWillCharge)}" "<strong>{i18n.pts(c.points)}</strong>" ("
                {move || crate::i18n::minutes(i18n.locale.get(), i64::from(c.logged_minutes))}" → "
                {move || crate::i18n::minutes(i18n.locale.get(), i64::from(c.billed_minutes))}")"
                {c.capped.then(|| view! { " "{i18n.tr(Msg::CancelCapped)} })}
            </p>
        })}
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

/// Does the ticket offer this person any of the bar's steps?
pub fn has_controls(ticket: &TicketDto) -> bool {
    controls(ticket).next().is_some()
}

/// The server's steps that are buttons of this bar.
fn controls(ticket: &TicketDto) -> impl Iterator<Item = Step> + '_ {
    ticket
        .steps
        .iter()
        .filter_map(|s| Step::parse(s))
        .filter(|s| label(*s).is_some())
}

fn label(step: Step) -> Option<Msg> {
    Some(match step {
        Step::Take => Msg::Take,
        Step::Start => Msg::Start,
        Step::Resolve => Msg::Resolve,
        Step::Reopen => Msg::Reopen,
        Step::Close => Msg::CloseTicket,
        Step::Complete => Msg::Complete,
        Step::Cancel => Msg::CancelRequest,
        _ => return None,
    })
}

fn change(step: Step, me: i64) -> Option<TicketChange> {
    Some(match step {
        Step::Take => TicketChange::Assign(AssignRequest {
            assignee_id: Some(me),
        }),
        Step::Complete => TicketChange::Complete,
        Step::Cancel => TicketChange::Cancel,
        other => TicketChange::Status(StatusRequest {
            status: other.status()?.to_owned(),
        }),
    })
}
