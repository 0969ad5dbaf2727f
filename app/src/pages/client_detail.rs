use leptos::prelude::*;
use pointdesk_api::organizations::{OrganizationDto, UpdateOrganizationRequest};
use pointdesk_api::WirePoints;
use pointdesk_domain::policy::Role;

use crate::client;
use crate::components::adjust_form::adjust_form;
use crate::components::allotment_view::AllotmentView;
use crate::components::balance_card::balance_card;
use crate::components::error_box::ErrorBox;
use crate::components::remote::{remote, Remote};
use crate::components::requisites_form::{requisites_form, CLIENT};
use crate::components::text_field::TextField;
use crate::i18n::{self, use_i18n, Msg};
use crate::session::use_auth;
use crate::writes::{busy, error_of, on_success, use_write};

/// One client: plan, seats, options, threshold and the allotment the domain computes, with
/// its breakdown. A manager changes the subscription here; the allotment follows at once.
#[component]
pub fn ClientDetail(id: i64) -> impl IntoView {
    let org = Remote::flat(
        move || Some(client::organization(id)),
        crate::flat_reads::organization,
    );
    remote(
        org,
        move |o| view! { <ClientView org=o on_saved=move || org.refetch() /> },
    )
}

#[component]
fn ClientView(
    org: OrganizationDto,
    on_saved: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let manager = auth.role_now() == Some(Role::Manager);
    let plan_name = org
        .plan
        .as_ref()
        .map(|p| p.plan.name.clone())
        .unwrap_or_else(|| "—".into());
    let options = org
        .plan
        .as_ref()
        .map(|p| p.plan.options.clone())
        .unwrap_or_default();
    let chosen = org.option_codes.clone();
    let balance = org.balance;
    let threshold = org.threshold;
    let seats_now = org.seats;
    view! {
        <p class="eyebrow">{i18n.tr(Msg::NavClients)}</p>
        <h1 data-testid="page-title">{org.name.clone()}</h1>
        <div class="grid">
            <section class="card">
                <h2 class="card__title">{i18n.tr(Msg::Subscription)}</h2>
                <dl class="kv">
                    <div class="kv__row"><dt>{i18n.tr(Msg::Plan)}</dt><dd data-testid="client-plan">{plan_name}</dd></div>
                    <div class="kv__row"><dt>{i18n.tr(Msg::Seats)}</dt><dd data-testid="client-seats">{move || i18n::seats(i18n.locale.get(), i64::from(seats_now))}</dd></div>
                    <div class="kv__row"><dt>{i18n.tr(Msg::Balance)}</dt><dd>{i18n.num(balance)} " " {i18n.tr(Msg::PointsUnit)}</dd></div>
                    <div class="kv__row"><dt>{i18n.tr(Msg::Threshold)}</dt><dd>{i18n.num(threshold)} " " {i18n.tr(Msg::PointsUnit)}</dd></div>
                </dl>
                <h3 class="card__subtitle">{i18n.tr(Msg::MonthlyAllotment)}</h3>
                {org.allotment.clone().map(|a| view! { <AllotmentView allotment=a /> })}
            </section>
            {manager.then(|| view! { <EditSubscription org=org.clone() options=options chosen=chosen on_saved=on_saved.clone() /> })}
            {balance_card(org.id)}
            {manager.then(|| adjust_form(org.id))}
            {manager.then(|| requisites_form(format!("/organizations/{}/requisites", org.id), CLIENT))}
        </div>
        <p><a class="button button--secondary" data-testid="client-ledger" href=format!("/clients/{}/ledger", org.id)>{i18n.tr(Msg::NavLedger)}</a></p>
    }
}

#[component]
fn EditSubscription(
    org: OrganizationDto,
    options: Vec<pointdesk_api::plans::PlanOptionDto>,
    chosen: Vec<String>,
    on_saved: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = org.id;
    let seats = RwSignal::new(org.seats.to_string());
    let threshold = RwSignal::new(org.threshold.to_string());
    let picked = RwSignal::new(chosen);
    let save = use_write();
    let error = error_of(save);
    on_success(save, move |_| on_saved());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let threshold = threshold
            .get_untracked()
            .trim()
            .replace(',', ".")
            .parse()
            .ok()
            .map(WirePoints);
        save.dispatch(client::update_organization(
            id,
            &UpdateOrganizationRequest {
                seats: Some(seats.get_untracked().trim().parse().unwrap_or(u32::MAX)),
                option_codes: Some(picked.get_untracked()),
                threshold,
                ..UpdateOrganizationRequest::default()
            },
        ));
    };
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(Msg::ChangeSubscription)}</h2>
            <form class="stack" on:submit=submit novalidate=true data-testid="edit-client">
                <TextField label=Msg::Seats name="seats" value=seats error=error kind="number" />
                {(!options.is_empty()).then(|| view! {
                    <fieldset class="choices">
                        <legend class="field__label">{i18n.tr(Msg::Options)}</legend>
                        {options.into_iter().map(|o| {
                            let code = o.code.clone();
                            let code2 = o.code.clone();
                            view! {
                                <label class="choice">
                                    <input type="checkbox" data-testid=format!("option-{}", o.code)
                                        prop:checked=move || picked.get().contains(&code)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            picked.update(|p| {
                                                p.retain(|c| c != &code2);
                                                if on { p.push(code2.clone()); }
                                            });
                                        } />
                                    <span>{o.name.clone()} " (+" {i18n.num(o.points)} " " {i18n.tr(Msg::PointsUnit)} ")"</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                <TextField label=Msg::Threshold name="threshold" value=threshold error=error hint=Msg::ThresholdHint />
                <ErrorBox error=error />
                <button class="button" type="submit" data-testid="edit-client-submit" disabled=busy(save)>
                    {i18n.tr(Msg::Save)}
                </button>
            </form>
        </section>
    }
}
