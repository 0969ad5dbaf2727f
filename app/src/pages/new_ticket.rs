use leptos::prelude::*;
use pointdesk_api::tickets::CreateTicketRequest;

use crate::client;
use crate::components::client_and_caller::ClientAndCaller;
use crate::components::error_box::ErrorBox;
use crate::components::remote::Remote;
use crate::components::text_field::TextField;
use crate::i18n::{self, use_i18n, Msg};
use crate::session::use_auth;
use crate::writes::{busy, error_of, on_success, use_write};

/// Open an incident ("something is broken") or a service request from the catalogue, where
/// each item says whether it is included or quoted first. Provider staff pick the client.
#[component]
pub fn NewTicket() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let staff = auth.is_staff();
    let kind = RwSignal::new("incident");
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let priority = RwSignal::new("normal".to_owned());
    let item = RwSignal::new(None::<i64>);
    let org = RwSignal::new(None::<i64>);
    let catalogue = Remote::new(client::catalogue);
    // Staff answering a call name the client person who called: they follow the ticket.
    let caller = RwSignal::new(None::<i64>);
    let navigate = leptos_router::hooks::use_navigate();
    let create = use_write();
    let error = error_of(create);
    on_success(create, move |text| {
        if let Ok(t) = client::parse_text::<pointdesk_api::tickets::TicketDto>(text) {
            navigate(&format!("/tickets/{}", t.id), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = kind.get_untracked() == "service_request";
        create.dispatch(client::create_ticket(&CreateTicketRequest {
            kind: kind.get_untracked().to_owned(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            priority: Some(priority.get_untracked()),
            catalogue_id: if request { item.get_untracked() } else { None },
            org_id: org.get_untracked(),
            requester_id: caller.get_untracked(),
        }));
    };
    let kind_choice = move |code: &'static str, label: Msg, hint: Msg| {
        view! {
            <label class="choice choice--card">
                <input type="radio" name="kind" value=code prop:checked=move || kind.get() == code
                    on:change=move |_| kind.set(code) />
                <span><strong>{i18n.tr(label)}</strong><br /><span class="muted">{i18n.tr(hint)}</span></span>
            </label>
        }
    };
    view! {
        <p class="eyebrow">{i18n.tr(Msg::NavTickets)}</p>
        <h1 data-testid="page-title">{i18n.tr(Msg::NewTicket)}</h1>
        <form class="card stack narrow" on:submit=submit novalidate=true data-testid="new-ticket-form">
            <fieldset class="choices">
                {kind_choice("incident", Msg::KindIncident, Msg::KindIncidentHint)}
                {kind_choice("service_request", Msg::KindRequest, Msg::KindRequestHint)}
            </fieldset>
            {staff.then(|| view! { <ClientAndCaller org=org caller=caller /> })}
            <Show when=move || kind.get() == "service_request">
                <fieldset class="choices" data-testid="catalogue">
                    <legend class="field__label">{i18n.tr(Msg::CatalogueItem)}</legend>
                    {move || catalogue.ok().map(|c| c.items).unwrap_or_default().into_iter().map(|c| {
                        let id = c.id;
                        let quoted = c.kind == "quoted";
                        view! {
                            <label class="choice">
                                <input type="radio" name="catalogue" data-item=c.name.clone()
                                    on:change=move |_| item.set(Some(id)) />
                                <span>{c.name}" "<span class="badge">{i18n.tr(if quoted { Msg::NeedsQuote } else { Msg::Included })}</span></span>
                            </label>
                        }
                    }).collect_view()}
                    {move || error.get().and_then(|e| e.problem().and_then(|p| p.field("catalogue_id").cloned()))
                        .map(|f| view! { <p class="field__error">{i18n::field_error(i18n.locale.get(), &f)}</p> })}
                </fieldset>
            </Show>
            <TextField label=Msg::TicketTitle name="title" value=title error=error />
            <label class="field">
                <span class="field__label">{i18n.tr(Msg::Description)}</span>
                <textarea class="field__input" rows="4" data-testid="ticket-description"
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field">
                <span class="field__label">{i18n.tr(Msg::Priority)}</span>
                <select class="field__input" data-testid="ticket-priority" on:change=move |ev| priority.set(event_target_value(&ev))>
                    {["low", "normal", "high", "urgent"].into_iter().map(|p| view! {
                        <option value=p selected=p == "normal">{i18n.priority(p.to_owned())}</option>
                    }).collect_view()}
                </select>
            </label>
            <ErrorBox error=error />
            <button class="button" type="submit" disabled=busy(create) data-testid="open-ticket">
                {i18n.tr(Msg::OpenTicket)}
            </button>
        </form>
    }
}
