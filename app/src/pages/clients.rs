use leptos::prelude::*;
use pointdesk_api::organizations::{CreateOrganizationRequest, OrganizationSummaryDto};
use pointdesk_domain::policy::Role;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::remote::{remote, Remote};
use crate::components::text_field::TextField;
use crate::i18n::{self, use_i18n, Msg};
use crate::pages::sign_in::SignInFirst;
use crate::session::use_auth;
use crate::writes::{busy, error_of, on_success, use_write};

/// Every client organisation at a glance: plan, seats, this period's allotment and balance,
/// flagged when the balance is at or below the threshold. Managers add clients here.
#[component]
pub fn Clients() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let list = Remote::new(client::organizations);
    let manager = move || auth.role() == Some(Role::Manager);
    move || {
        if auth.me.get().is_none() {
            return if auth.checked.get() {
                view! { <SignInFirst /> }.into_any()
            } else {
                ().into_any()
            };
        }
        view! {
            <h1 data-testid="page-title">{i18n.tr(Msg::NavClients)}</h1>
            <div class="page-stack">
                {remote(list, |l| view! { <ClientTable items=l.items /> })}
                <Show when=manager>
                    <NewClient on_created=move || list.refetch() />
                </Show>
            </div>
        }
        .into_any()
    }
}

#[component]
fn ClientTable(items: Vec<OrganizationSummaryDto>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="rows" data-testid="client-list">
            {items
                .into_iter()
                .map(|o| {
                    let low = o.balance <= o.threshold;
                    let href = format!("/clients/{}", o.id);
                    let plan = o.plan.map(|p| p.name).unwrap_or_default();
                    let name = o.name.clone();
                    view! {
                        <li class="row" data-testid="client-row" data-name=name>
                            <a href=href class="row__main">
                                <span class="row__title">{o.name.clone()}</span>
                                <span class="row__meta">
                                    {plan} " · " {move || i18n::seats(i18n.locale.get(), i64::from(o.seats))}
                                    " · " {i18n.tr(Msg::AllotmentShort)} " "
                                    {i18n.num(o.allotment)} " " {i18n.tr(Msg::PointsUnit)}
                                </span>
                            </a>
                            <span class="row__figure" class:row__figure--low=low data-testid="client-balance">
                                {i18n.num(o.balance)} " " {i18n.tr(Msg::PointsUnit)}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn NewClient(on_created: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let plans = Remote::flat(|| Some(client::plans()), crate::flat_reads::plan_list);
    let name = RwSignal::new(String::new());
    let seats = RwSignal::new("1".to_owned());
    let plan_id = RwSignal::new(None::<i64>);
    let create = use_write();
    let error = error_of(create);
    on_success(create, move |t| {
        let id = crate::flat_json::fields(t).int("id");
        if id != 0 {
            on_created();
            navigate(&format!("/clients/{id}"), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(client::create_organization(&CreateOrganizationRequest {
            name: name.get_untracked(),
            plan_id: plan_id.get_untracked().unwrap_or(0),
            seats: seats.get_untracked().trim().parse().unwrap_or(u32::MAX),
            option_codes: vec![],
            threshold: None,
            locale: None,
        }));
    };
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(Msg::NewClient)}</h2>
            <form class="stack" on:submit=submit novalidate=true data-testid="new-client">
                <TextField label=Msg::Name name="name" value=name error=error />
                <div class="field">
                    <label class="field__label" for="field-plan_id">{i18n.tr(Msg::Plan)}</label>
                    <select id="field-plan_id" class="field__input" data-testid="input-plan_id"
                        on:change=move |ev| plan_id.set(event_target_value(&ev).parse().ok())>
                        <option value="">"—"</option>
                        {move || plans.ok().map(|l| l.items.into_iter().map(|p| view! {
                            <option value=p.id.to_string()>{p.plan.name.clone()}</option>
                        }).collect_view())}
                    </select>
                    {move || error.get().and_then(|e| e.problem().and_then(|p| p.field("plan_id").cloned())).map(|f| view! {
                        <p class="field__error" data-testid="error-plan_id">{i18n::field_error(i18n.locale.get(), &f)}</p>
                    })}
                </div>
                <TextField label=Msg::Seats name="seats" value=seats error=error kind="number" />
                <ErrorBox error=error />
                <button class="button" type="submit" data-testid="new-client-submit" disabled=busy(create)>
                    {i18n.tr(Msg::Create)}
                </button>
            </form>
        </section>
    }
}
