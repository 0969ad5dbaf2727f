use leptos::prelude::*;
use pointdesk_api::tickets::TicketDto;
use pointdesk_domain::ticket::Kind;

use crate::client::{self, TicketChange};
use crate::components::balance_card::balance_card;
use crate::components::cause_panel::CausePanel;
use crate::components::comment_box::CommentBox;
use crate::components::outbox_card::OutboxCard;
use crate::components::quote_panel::QuotePanel;
use crate::components::reclassify_form::ReclassifyForm;
use crate::components::recorded_approval_card::RecordedApprovalCard;
use crate::components::remote::{remote, remote_text_at, Remote};
use crate::components::resolution_panel::ResolutionPanel;
use crate::components::sla_card::SlaCard;
use crate::components::ticket_change::use_change;
use crate::components::ticket_controls::{has_controls, TicketControls};
use crate::components::ticket_files::TicketFiles;
use crate::components::timeline_view::timeline_view;
use crate::components::wait_and_priority::WaitAndPriority;
use crate::components::work_logger::WorkLogger;
use crate::i18n::{use_i18n, Msg};
use crate::offline::use_sw;
use crate::session::use_auth;

/// One ticket. On a phone the engineer's next step comes first (take, start, resolve, log
/// work), then the money (quote, cause, charge, dispute), then the history.
#[component]
pub fn Ticket(id: i64) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let done = Callback::new(move |()| version.update(|v| *v += 1));
    // What the outbox delivers changes the ticket: read it again then.
    let sent = use_sw().sent;
    let ticket = Remote::new(move || {
        version.track();
        sent.track();
        client::ticket(id)
    });
    remote(
        ticket,
        move |t| view! { <TicketView ticket=t version=version done=done /> },
    )
}

#[component]
fn TicketView(ticket: TicketDto, version: RwSignal<u32>, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let me = auth.user_id().unwrap_or(0);
    // Engineers see the client's figures and may comment internally.
    let staff = auth.is_staff();
    // What this person may do now, as the server says.
    let may = {
        let actions = ticket.actions.clone();
        move |op: &str| actions.iter().any(|a| a == op)
    };
    let controls = has_controls(&ticket);
    let id = ticket.id;
    let org = ticket.organization.id;
    let request = ticket.kind == Kind::ServiceRequest;
    let balance = Remote::new(move || {
        version.track();
        client::balance(org)
    });
    let (follow, _) = use_change(id, done);
    let following = ticket.following;
    let t = ticket.clone();
    let status = t.status;
    let priority = t.priority.clone();
    let (cost, held, logged) = (t.cost, t.held, t.logged_minutes);
    let may_log = may("logWork");
    view! {
        <p class="eyebrow">"#"{t.number}" · "{t.organization.name.clone()}" · "
            {i18n.tr(if request { Msg::ServiceRequest } else { Msg::Incident })}</p>
        <div class="page-head">
            <h1 data-testid="page-title">{t.title.clone()}</h1>
            <button type="button" class="button button--secondary" data-testid="follow" aria-pressed=following.to_string()
                on:click=move |_| { follow.dispatch(TicketChange::Follow(!following)); }>
                {i18n.tr(if following { Msg::Unfollow } else { Msg::Follow })}
            </button>
        </div>
        <p class="badges">
            <span class="badge badge--status" data-testid="status" data-status=status.as_str()>{i18n.status(status)}</span>
            <span class="badge">{i18n.priority(priority.clone())}</span>
        </p>
        <OutboxCard id=id />
        {controls.then(|| view! { <TicketControls ticket=t.clone() me=me done=done /> })}
        {t.sla.clone().map(|s| view! { <SlaCard sla=s /> })}
        {may("setAwaitingClient").then(|| view! {
            <WaitAndPriority id=id priority=t.priority.clone() awaiting=t.awaiting_client_since.is_some() done=done />
        })}
        {t.steps.iter().any(|s| s == "confirm").then(|| view! { <ResolutionPanel ticket=t.clone() done=done /> })}
        <div class="grid">
            <section class="card">
                <dl class="kv">
                    <div class="kv__row"><dt>{i18n.tr(Msg::Requester)}</dt><dd data-testid="requester">{t.requester.name.clone()}</dd></div>
                    {t.opened_by.clone().map(|o| view! {
                        <div class="kv__row"><dt>{i18n.tr(Msg::OpenedBy)}</dt><dd data-testid="opened-by">{o.name}</dd></div>
                    })}
                    <div class="kv__row"><dt>{i18n.tr(Msg::Assignee)}</dt><dd data-testid="assignee">{
                        let a = t.assignee.clone().map(|a| a.name);
                        move || a.clone().unwrap_or_else(|| i18n.t(Msg::Unassigned).to_owned())
                    }</dd></div>
                    {t.catalogue.clone().map(|c| view! { <div class="kv__row"><dt>{i18n.tr(Msg::CatalogueItem)}</dt><dd>{c.name}</dd></div> })}
                    <div class="kv__row"><dt>{i18n.tr(Msg::Logged)}</dt><dd data-testid="logged">{logged}" "{i18n.tr(Msg::Minutes)}</dd></div>
                    <div class="kv__row"><dt>{i18n.tr(Msg::Held)}</dt><dd data-testid="held">{i18n.pts(held)}</dd></div>
                    <div class="kv__row kv__row--total"><dt>{i18n.tr(Msg::Cost)}</dt><dd data-testid="cost">{i18n.pts(cost)}</dd></div>
                </dl>
                {(!t.description.is_empty()).then(|| view! { <p class="prewrap">{t.description.clone()}</p> })}
            </section>
            <TicketFiles id=id />
            {may_log.then(|| view! { <WorkLogger id=id timer=t.timer_started_at done=done /> })}
            // An included request is never quoted: no empty "Quote" card for it.
            {(request && (t.class != "standard" || !t.quotes.is_empty())).then(|| {
                let b = Signal::derive(move || balance.ok());
                view! { <QuotePanel ticket=t.clone() balance=b may_quote=may("createQuote") may_approve=may("approveQuote") done=done /> }
            })}
            {t.recorded_approval.clone().map(|a| view! { <RecordedApprovalCard id=id approval=a me=me done=done /> })}
            {(!request).then(|| view! {
                <CausePanel ticket=t.clone() may_classify=may("setIncidentCause") may_dispute=may("disputeCharge") may_decide=may("decideDispute") done=done />
            })}
            // Engineers see the client's figures before they quote or set a cause.
            {staff.then(|| balance_card(t.organization.id))}
            {may("reclassifyTicket").then(|| view! { <ReclassifyForm id=id class=t.class.clone() done=done /> })}
        </div>
        <h2>{i18n.tr(Msg::Timeline)}</h2>
        {remote_text_at(move || { version.track(); format!("/tickets/{id}/timeline") }, timeline_view)}
        <CommentBox id=id staff=staff done=done />
    }
}
