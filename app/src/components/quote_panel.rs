use leptos::prelude::*;
use pointdesk_api::tickets::{OrgBalanceDto, TicketDto};

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::quote_form::QuoteForm;
use crate::components::record_approval_form::RecordApprovalForm;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

/// A service request's quotes. An engineer quotes or revises; the client admin sees the open
/// quote beside the balance and the available points and approves (a hold) or declines. When
/// available points fall short (and the plan does not let quotes overdraw) the screen says so
/// and offers a top-up.
#[component]
pub fn QuotePanel(
    ticket: TicketDto,
    #[prop(into)] balance: Signal<Option<OrgBalanceDto>>,
    may_quote: bool,
    may_approve: bool,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = ticket.id;
    let (act, error) = use_change(id, done);
    // The quote to decide on is the newest: a revision supersedes the one before.
    let open = ticket.quotes.last().cloned().filter(|_| may_approve);
    let beyond = ticket.quote_exceeded;
    // A manager records an approval the client admin gave elsewhere, for the open quote.
    let record = ticket
        .steps
        .iter()
        .any(|s| s == "record_approval")
        .then(|| {
            ticket
                .quotes
                .iter()
                .find(|q| q.status == "awaiting_approval")
                .map(|q| q.id)
        })
        .flatten();
    let org = ticket.organization.id;
    // Once a quote is out (or approved) a revision is the rare case: its form waits behind a
    // summary instead of standing open and blank.
    let quoted = ticket
        .quotes
        .iter()
        .any(|q| q.status == "awaiting_approval" || q.status == "approved");
    let nothing_yet = ticket.quotes.is_empty() && !may_quote;
    let decision = open.map(|q| {
        let qid = q.id;
        let figures = move || {
            balance.get().map(|b| {
                let short = !b.quotes_may_overdraw && b.available.0 < q.points.0;
                view! {
                    <dl class="kv">
                        <div class="kv__row"><dt>{i18n.tr(Msg::QuoteTitle)}</dt><dd data-testid="quote-points">{i18n.pts(q.points)}</dd></div>
                        <div class="kv__row"><dt>{i18n.tr(Msg::BalanceColumn)}</dt><dd data-testid="balance">{i18n.pts(b.balance)}</dd></div>
                        <div class="kv__row"><dt>{i18n.tr(Msg::Held)}</dt><dd>{i18n.pts(b.held)}</dd></div>
                        <div class="kv__row kv__row--total"><dt>{i18n.tr(Msg::Available)}</dt><dd data-testid="available">{i18n.pts(b.available)}</dd></div>
                    </dl>
                    {short.then(|| view! {
                        <div class="notice notice--error" data-testid="short">
                            <p>{i18n.tr(Msg::ShortOfPoints)}</p>
                            <a class="link" href=format!("/buy-points?back=/tickets/{id}") data-testid="buy-points">{i18n.tr(Msg::TopUp)}</a>
                        </div>
                    })}
                }
            })
        };
        view! {
            <div class="decision stack" data-testid="quote-decision">
                {figures}
                <div class="actions">
                    <button type="button" class="button" data-action="approve" disabled=act.busy()
                        on:click=move |_| { act.dispatch(TicketChange::Approve(qid)); }>{i18n.tr(Msg::Approve)}</button>
                    <button type="button" class="button button--secondary" data-action="decline" disabled=act.busy()
                        on:click=move |_| { act.dispatch(TicketChange::Decline(qid)); }>{i18n.tr(Msg::Decline)}</button>
                </div>
            </div>
        }
    });
    view! {
        <section class="card stack" data-testid="quotes">
            <h2 class="card__title">{i18n.tr(Msg::QuoteTitle)}</h2>
            {nothing_yet.then(|| view! { <p class="muted" data-testid="quote-none">{i18n.tr(Msg::QuoteNone)}</p> })}
            <ul class="rows">
                {ticket.quotes.iter().rev().map(|q| {
                    let (p, status, until) = (q.points, q.status.clone(), q.expires_at);
                    view! {
                        <li class="row row--stack" data-testid="quote" data-status=q.status.clone()>
                            <span class="row__title">{i18n.pts(p)}" · "{i18n.quote_status(status.clone())}</span>
                            <span class="row__meta">{q.scope.clone()}</span>
                            <span class="row__meta">{i18n.tr(Msg::ValidUntil)}" "{i18n.when(until)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {beyond.then(|| view! { <p class="notice" data-testid="beyond-quote">{i18n.tr(Msg::BeyondQuote)}</p> })}
            {decision}
            {record.map(|quote| view! { <RecordApprovalForm id=id org=org quote=quote done=done /> })}
            {may_quote.then(|| view! {
                <details class="revise" data-testid="revise-quote" open=!quoted>
                    <summary class="button button--secondary" class:revise__hidden=!quoted>{i18n.tr(Msg::ReviseQuote)}</summary>
                    <QuoteForm ticket=ticket.clone() act=act error=error />
                </details>
            })}
            <ErrorBox error=error />
        </section>
    }
}
