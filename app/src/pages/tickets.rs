use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::components::ticket_row::TicketRow;
use crate::i18n::{use_i18n, Msg};
use crate::session::use_auth;

/// The engineer's queue across all clients, or a client's own tickets: tabs by queue, search by
/// title or number.
#[component]
pub fn Tickets() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let staff = auth.is_staff();
    let manager = auth.role_now() == Some(pointdesk_domain::policy::Role::Manager);
    let queues: &[(&str, Msg)] = if manager {
        &[
            ("open", Msg::QueueOpen),
            ("unassigned", Msg::QueueUnassigned),
            ("mine", Msg::QueueMine),
            ("overdue", Msg::QueueOverdue),
            ("awaiting_client", Msg::QueueAwaiting),
            ("disputes", Msg::QueueDisputes),
            ("done", Msg::QueueDone),
        ]
    } else if staff {
        &[
            ("open", Msg::QueueOpen),
            ("unassigned", Msg::QueueUnassigned),
            ("mine", Msg::QueueMine),
            ("overdue", Msg::QueueOverdue),
            ("awaiting_client", Msg::QueueAwaiting),
            ("done", Msg::QueueDone),
        ]
    } else {
        &[
            ("open", Msg::QueueOpen),
            ("awaiting_client", Msg::QueueAwaiting),
            ("done", Msg::QueueDone),
            ("", Msg::QueueAll),
        ]
    };
    // The queue and the search live in the address (`/tickets?queue=mine&q=printer`), so a
    // link, a reload and the back button keep them.
    let query = use_query_map();
    let queue = Memo::new(move |_| query.with(|q| q.get("queue").unwrap_or_else(|| "open".into())));
    let search = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let navigate = use_navigate();
    let show = Callback::new(move |(queue, search): (String, String)| {
        let to = format!(
            "/tickets?queue={}&q={}",
            js_sys::encode_uri_component(&queue),
            js_sys::encode_uri_component(&search)
        );
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    let list = Remote::new(move || {
        client::tickets(&format!(
            "queue={}&q={}",
            js_sys::encode_uri_component(&queue.get()),
            js_sys::encode_uri_component(&search.get())
        ))
    });
    view! {
        <div class="page-head">
            <h1 data-testid="page-title">{i18n.tr(Msg::NavTickets)}</h1>
            <a href="/tickets/new" class="button" data-testid="new-ticket">{i18n.tr(Msg::NewTicket)}</a>
        </div>
        <div class="tabs" role="group" data-testid="queues">
            {queues
                .iter()
                .map(|(code, label)| {
                    let code = *code;
                    view! {
                        <button type="button" class="tab" aria-pressed=move || (queue.get() == code).to_string()
                            data-queue=code on:click=move |_| show.run((code.to_owned(), search.get_untracked()))>
                            {i18n.tr(*label)}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <input class="field__input search" type="search" data-testid="search"
            aria-label=i18n.tr(Msg::Search) placeholder=i18n.tr(Msg::Search)
            prop:value=move || search.get()
            on:change=move |ev| show.run((queue.get_untracked(), event_target_value(&ev))) />
        {remote(list, move |l| {
            if l.items.is_empty() {
                view! { <p class="muted" data-testid="no-tickets">{i18n.tr(Msg::NoTickets)}</p> }.into_any()
            } else {
                view! {
                    <ul class="rows" data-testid="ticket-list">
                        {l.items.into_iter().map(|t| view! { <TicketRow ticket=t show_org=staff /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        })}
    }
}
