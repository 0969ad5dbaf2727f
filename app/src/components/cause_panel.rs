use leptos::prelude::*;
use pointdesk_api::tickets::{DisputeDecisionRequest, DisputeRequest, TicketDto};

use crate::client::TicketChange;
use crate::components::cause_form::CauseForm;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::components::ticket_change::use_change;
use crate::i18n::{self, use_i18n, Msg};

/// An incident's cause and charge: the engineer sets the cause once after resolving, with an
/// explanation the client reads; a client-caused charge shows how logged time became points;
/// the client admin may dispute it within the window and a manager decides, with a reason.
/// Which of these this person may do now is the server's word (`TicketDto::actions`).
#[component]
pub fn CausePanel(
    ticket: TicketDto,
    may_classify: bool,
    may_dispute: bool,
    may_decide: bool,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = ticket.id;
    let (act, error) = use_change(id, done);
    let reason = RwSignal::new(String::new());
    let charge = ticket.charge.clone();
    let dispute = ticket.dispute.clone();
    let open_dispute = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act.dispatch(TicketChange::Dispute(DisputeRequest {
            reason: reason.get_untracked(),
        }));
    };
    let decide = move |upheld: bool| {
        act.dispatch(TicketChange::Decide(DisputeDecisionRequest {
            upheld,
            reason: reason.get_untracked(),
        }));
    };
    let cause_text = ticket.cause.clone().map(|c| {
        if c == "client_caused" {
            Msg::CauseClient
        } else {
            Msg::CauseStandard
        }
    });
    let nothing_yet = ticket.cause.is_none() && !may_classify;
    view! {
        <section class="card stack" data-testid="cause">
            <h2 class="card__title">{i18n.tr(Msg::Cause)}</h2>
            {nothing_yet.then(|| view! { <p class="muted" data-testid="cause-none">{i18n.tr(Msg::CauseNone)}</p> })}
            {cause_text.map(|m| view! {
                <p data-testid="cause-value"><strong>{i18n.tr(m)}</strong></p>
                <p>{ticket.cause_note.clone()}</p>
            })}
            {charge.clone().map(|c| {
                let (lines, e, until) = (c.lines, c.explanation.clone(), c.dispute_until);
                // Once disputed, the deadline is history: the dispute below says what happened.
                let open = dispute.is_none();
                view! {
                    <div class="result" data-testid="charge">
                        <span class="result__label">{i18n.tr(Msg::Charged)}</span>
                        <span class="result__value">{i18n.pts(c.points)}</span>
                        <span class="result__why" data-testid="charge-why">{move || i18n::charge_text(i18n.locale.get(), lines, &e)}</span>
                        {open.then(|| view! { <span class="muted">{i18n.tr(Msg::DisputeUntil)}" "{i18n.when(until)}</span> })}
                    </div>
                }
            })}
            {dispute.clone().map(|d| {
                let state = match d.state.as_str() { "upheld" => Msg::ChargeRefunded, "rejected" => Msg::ChargeUpheld, _ => Msg::DisputeOpen };
                view! {
                    <div class="notice" data-testid="dispute" data-state=d.state.clone()>
                        <p><strong>{i18n.tr(state)}</strong></p>
                        <p>{d.reason.clone()}</p>
                        {d.decision_reason.clone().map(|r| view! { <p data-testid="decision-reason">{r}</p> })}
                    </div>
                }
            })}
            {may_classify.then(|| view! { <CauseForm act=act error=error preview=ticket.cause_charge.clone() /> })}
            {may_dispute.then(|| view! {
                <form class="stack" on:submit=open_dispute novalidate=true data-testid="dispute-form">
                    <TextField label=Msg::Reason name="reason" value=reason error=error />
                    <button class="button button--secondary" type="submit" disabled=act.busy()>{i18n.tr(Msg::DisputeTitle)}</button>
                </form>
            })}
            {may_decide.then(|| view! {
                <div class="stack" data-testid="decide-form">
                    <TextField label=Msg::Reason name="reason" value=reason error=error />
                    <div class="actions">
                        <button type="button" class="button" data-action="uphold" on:click=move |_| decide(true)>{i18n.tr(Msg::Uphold)}</button>
                        <button type="button" class="button button--secondary" data-action="reject" on:click=move |_| decide(false)>{i18n.tr(Msg::RejectDispute)}</button>
                    </div>
                </div>
            })}
            <ErrorBox error=error />
        </section>
    }
}
