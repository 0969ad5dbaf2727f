use leptos::prelude::*;
use pointdesk_api::tickets::{AssignRequest, CancellationChargeDto, StatusRequest, TicketDto};
use pointdesk_domain::steps::Step;

use crate::client::TicketChange;
use crate::components::charge_confirm::ChargeConfirm;
use crate::components::error_box::ErrorBox;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

/// The ticket's own next steps among the server's (`TicketDto::steps`), in the server's order:
/// the first is the primary button (take → start → resolve → close; complete a request), the
/// rest beside it, and the rare ones (cancel, reopen) behind "More". A step that moves points
/// (completing a quoted request, cancelling one with work logged) first says exactly what it
/// will charge and waits for a confirmation.
#[component]
pub fn TicketControls(ticket: TicketDto, me: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (act, error) = use_change(ticket.id, done);
    let steps: Vec<(Msg, TicketChange, &'static str)> = controls(&ticket)
        .filter_map(|step| Some((label(step)?, change(step, me)?, step.as_str())))
        .collect();
    let (rare, main): (Vec<_>, Vec<_>) = steps
        .into_iter()
        .partition(|(_, _, code)| matches!(*code, "cancel" | "reopen"));
    let charge_of = {
        let cancel = ticket.cancellation.clone();
        let quote = ticket
            .quotes
            .iter()
            .find(|q| q.status == "approved")
            .map(|q| CancellationChargeDto {
                points: q.points,
                logged_minutes: 0,
                billed_minutes: 0,
                capped: false,
            });
        move |code: &str| match code {
            "cancel" => cancel.clone().filter(|c| c.points.0.hundredths() > 0),
            "complete" => quote.clone(),
            _ => None,
        }
    };
    // The step waiting for a confirmation, by its code ("" when none): a plain string signal,
    // the type every form already uses.
    let asking = RwSignal::new(String::new());
    let changes: Vec<(&'static str, TicketChange)> = main
        .iter()
        .chain(&rare)
        .map(|(_, change, code)| (*code, change.clone()))
        .collect();
    let charge_shown = charge_of.clone();
    let button = move |(label, change, code): (Msg, TicketChange, &'static str), primary: bool| {
        let asks = charge_of(code).is_some();
        view! {
            <button type="button" class="button" class:button--secondary=!primary data-action=code
                disabled=act.busy()
                on:click=move |_| if asks { asking.set(code.to_owned()) } else { act.dispatch(change.clone()) }>
                {i18n.tr(label)}
            </button>
        }
    };
    let confirm = Callback::new(move |()| {
        let code = asking.get_untracked();
        asking.set(String::new());
        if let Some((_, change)) = changes.iter().find(|(c, _)| *c == code) {
            act.dispatch(change.clone());
        }
    });
    let back = Callback::new(move |()| asking.set(String::new()));
    view! {
        <div class="actions actions--steps" data-testid="ticket-controls">
            {main.into_iter().enumerate().map(|(i, s)| button(s, i == 0)).collect_view()}
            {(!rare.is_empty()).then(|| view! {
                <details class="more" data-testid="more-actions">
                    <summary class="button button--secondary">{i18n.tr(Msg::MoreActions)}</summary>
                    <div class="more__list">{rare.into_iter().map(|s| button(s, false)).collect_view()}</div>
                </details>
            })}
        </div>
        {move || asking.with(|code| charge_shown(code)).map(|c| view! { <ChargeConfirm charge=c confirm=confirm back=back /> })}
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
