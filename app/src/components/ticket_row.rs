use leptos::prelude::*;
use pointdesk_api::tickets::TicketSummaryDto;
use pointdesk_domain::ticket::Kind;

use crate::i18n::{use_i18n, Msg};

/// One line of a ticket list: number, title, client, status and who has it.
#[component]
pub fn TicketRow(ticket: TicketSummaryDto, show_org: bool) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/tickets/{}", ticket.id);
    let t = ticket;
    let status = t.status;
    let priority = t.priority.clone();
    let urgent = matches!(priority.as_str(), "urgent" | "high");
    let kind = if t.kind == Kind::Incident {
        Msg::Incident
    } else {
        Msg::ServiceRequest
    };
    let who = t.assignee.map(|a| a.name);
    let sla = t.sla;
    let now = js_sys::Date::now();
    // Changes made offline that have not reached the server yet.
    let sw = crate::offline::use_sw();
    let id = t.id;
    let waiting = move || !sw.outbox(id).is_empty();
    let due = move || {
        sla.as_ref()
            .and_then(|s| crate::components::sla_card::due_text(i18n.locale.get(), s, now))
    };
    view! {
        <li class="row row--ticket" data-testid="ticket-row" data-number=t.number>
            <a href=href class="row__main">
                <span class="row__title">"#"{t.number}" "{t.title}</span>
                <span class="row__meta">
                    {i18n.tr(kind)}
                    {show_org.then(|| format!(" · {}", t.organization.name))}
                    " · "
                    {move || who.clone().unwrap_or_else(|| i18n.t(Msg::Unassigned).to_owned())}
                </span>
            </a>
            <span class="badges">
                {move || waiting().then(|| view! {
                    <span class="badge badge--waiting" data-testid="ticket-waiting">{i18n.tr(Msg::WaitingToSend)}</span>
                })}
                {move || due().map(|(text, late)| view! {
                    <span class="badge badge--due" class:badge--alert=late data-testid="ticket-due">{text}</span>
                })}
                <span class="badge" class:badge--alert=urgent>{i18n.priority(priority.clone())}</span>
                <span class="badge badge--status" data-testid="ticket-status" data-status=status.as_str()>
                    {i18n.status(status)}
                </span>
            </span>
        </li>
    }
}
