use leptos::prelude::*;
use pointdesk_api::desk::ReopenRequest;
use pointdesk_api::tickets::TicketDto;

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

/// A resolved incident asks its requester (or a client admin): does this solve it? Yes closes
/// it; no sends it back to the engineer with what is still wrong. Silence closes it on the day
/// shown.
#[component]
pub fn ResolutionPanel(ticket: TicketDto, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (act, error) = use_change(ticket.id, done);
    let reason = RwSignal::new(String::new());
    let not_fixed = RwSignal::new(false);
    let may_reopen = ticket.steps.iter().any(|s| s == "not_fixed");
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act.dispatch(TicketChange::Reopen(ReopenRequest {
            reason: reason.get_untracked(),
        }));
    };
    view! {
        <section class="card card--ask stack" data-testid="resolution">
            <h2 class="card__title">{i18n.tr(Msg::DoesThisSolveIt)}</h2>
            {ticket.closes_at.map(|at| view! {
                <p class="muted">{i18n.tr(Msg::ClosesOn)}" "{i18n.when(at)}</p>
            })}
            <div class="actions">
                <button type="button" class="button" data-action="confirm" disabled=act.busy()
                    on:click=move |_| act.dispatch(TicketChange::Confirm)>
                    {i18n.tr(Msg::YesSolved)}
                </button>
                {may_reopen.then(|| view! {
                    <button type="button" class="button button--secondary" data-action="not_fixed"
                        aria-expanded=move || not_fixed.get().to_string()
                        on:click=move |_| not_fixed.update(|v| *v = !*v)>
                        {i18n.tr(Msg::NotFixed)}
                    </button>
                })}
            </div>
            {move || not_fixed.get().then(|| view! {
                <form class="stack" on:submit=send novalidate=true data-testid="not-fixed-form">
                    <TextField label=Msg::WhatIsWrong name="reason" value=reason error=error />
                    <button class="button" type="submit" disabled=act.busy()>{i18n.tr(Msg::SendNotFixed)}</button>
                </form>
            })}
            <ErrorBox error=error />
        </section>
    }
}
