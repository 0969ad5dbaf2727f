use leptos::prelude::*;
use pointdesk_api::tickets::{OrgBalanceDto, QuoteRequest, TicketDto};
use pointdesk_api::WirePoints;

use crate::client::{ApiError, TicketChange};
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
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
    let open = ticket
        .quotes
        .iter()
        .find(|q| q.status == "awaiting_approval")
        .cloned();
    let finished = matches!(
        ticket.status.as_str(),
        "completed" | "declined" | "cancelled"
    );
    let quoted = ticket
        .catalogue
        .as_ref()
        .is_some_and(|c| c.kind == "quoted");
    let beyond = ticket.logged_minutes > 0
        && ticket
            .quotes
            .iter()
            .find(|q| q.status == "approved")
            .is_some_and(|q| i64::from(ticket.logged_minutes) * 100 > q.points.0.hundredths() * 60);
    let points = RwSignal::new(
        ticket
            .catalogue
            .as_ref()
            .and_then(|c| c.estimate)
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let scope = RwSignal::new(String::new());
    let days = RwSignal::new("14".to_owned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(p) = points.get_untracked().trim().replace(',', ".").parse() else {
            act.value()
                .set(Some(Err(ApiError::field("points", "malformed"))));
            return;
        };
        act.dispatch(TicketChange::Quote(QuoteRequest {
            points: WirePoints(p),
            scope: scope.get_untracked(),
            valid_days: days.get_untracked().trim().parse().unwrap_or(0),
        }));
    };
    let decision = open.clone().filter(|_| may_approve).map(|q| {
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
            {(may_quote && quoted && !finished).then(|| view! {
                <form class="stack" on:submit=submit novalidate=true data-testid="quote-form">
                    <TextField label=Msg::Points name="points" value=points error=error />
                    <TextField label=Msg::Scope name="scope" value=scope error=error />
                    <TextField label=Msg::ValidDays name="valid_days" value=days error=error kind="number" />
                    <button class="button" type="submit" disabled=act.busy()>{i18n.tr(Msg::SendQuote)}</button>
                </form>
            })}
            <ErrorBox error=error />
        </section>
    }
}
