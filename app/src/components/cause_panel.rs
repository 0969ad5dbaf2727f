use leptos::prelude::*;
use pointdesk_api::tickets::{CauseRequest, DisputeDecisionRequest, DisputeRequest, TicketDto};

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::components::ticket_change::use_change;
use crate::i18n::{self, use_i18n, Msg};

/// An incident's cause and charge: the engineer sets the cause once after resolving, with an
/// explanation the client reads; a client-caused charge shows how logged time became points;
/// the client admin may dispute it within the window and a manager decides, with a reason.
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
    let cause = RwSignal::new("standard");
    let explanation = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let resolved = matches!(ticket.status.as_str(), "resolved" | "closed");
    let set_cause = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act.dispatch(TicketChange::Cause(CauseRequest {
            cause: cause.get_untracked().to_owned(),
            explanation: explanation.get_untracked(),
        }));
    };
    let now = js_sys::Date::now() / 1000.0;
    let charge = ticket.charge.clone();
    let dispute = ticket.dispute.clone();
    #[allow(clippy::cast_precision_loss)]
    let can_dispute = may_dispute
        && dispute.is_none()
        && charge
            .as_ref()
            .is_some_and(|c| (c.dispute_until as f64) > now);
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
    let choice = move |code: &'static str, label: Msg| {
        view! {
            <label class="choice">
                <input type="radio" name="cause" value=code prop:checked=move || cause.get() == code on:change=move |_| cause.set(code) />
                {i18n.tr(label)}
            </label>
        }
    };
    let cause_text = ticket.cause.clone().map(|c| {
        if c == "client_caused" {
            Msg::CauseClient
        } else {
            Msg::CauseStandard
        }
    });
    view! {
        <section class="card stack" data-testid="cause">
            <h2 class="card__title">{i18n.tr(Msg::Cause)}</h2>
            {cause_text.map(|m| view! {
                <p data-testid="cause-value"><strong>{i18n.tr(m)}</strong></p>
                <p>{ticket.cause_note.clone()}</p>
            })}
            {charge.clone().map(|c| {
                let (lines, e, until) = (c.lines, c.explanation.clone(), c.dispute_until);
                view! {
                    <div class="result" data-testid="charge">
                        <span class="result__label">{i18n.tr(Msg::Charged)}</span>
                        <span class="result__value">{i18n.pts(c.points)}</span>
                        <span class="result__why" data-testid="charge-why">{move || i18n::charge_text(i18n.locale.get(), lines, &e)}</span>
                        <span class="muted">{i18n.tr(Msg::DisputeUntil)}" "{i18n.when(until)}</span>
                    </div>
                }
            })}
            {dispute.clone().map(|d| {
                let state = match d.state.as_str() { "upheld" => Msg::DisputeUpheld, "rejected" => Msg::DisputeRejected, _ => Msg::DisputeOpen };
                view! {
                    <div class="notice" data-testid="dispute" data-state=d.state.clone()>
                        <p><strong>{i18n.tr(state)}</strong></p>
                        <p>{d.reason.clone()}</p>
                        {d.decision_reason.clone().map(|r| view! { <p data-testid="decision-reason">{r}</p> })}
                    </div>
                }
            })}
            {(may_classify && resolved && ticket.cause.is_none()).then(|| view! {
                <form class="stack" on:submit=set_cause novalidate=true data-testid="cause-form">
                    <fieldset class="choices">
                        {choice("standard", Msg::CauseStandard)}
                        {choice("client_caused", Msg::CauseClient)}
                    </fieldset>
                    <TextField label=Msg::Explanation name="explanation" value=explanation error=error />
                    <button class="button" type="submit" disabled=act.busy()>{i18n.tr(Msg::Save)}</button>
                </form>
            })}
            {can_dispute.then(|| view! {
                <form class="stack" on:submit=open_dispute novalidate=true data-testid="dispute-form">
                    <TextField label=Msg::Reason name="reason" value=reason error=error />
                    <button class="button button--secondary" type="submit" disabled=act.busy()>{i18n.tr(Msg::DisputeTitle)}</button>
                </form>
            })}
            {(may_decide && dispute.as_ref().is_some_and(|d| d.state == "open")).then(|| view! {
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
