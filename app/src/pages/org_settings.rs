use leptos::prelude::*;
use pointdesk_api::organizations::{OrganizationDto, UpdateOrganizationRequest, UserDto};
use pointdesk_api::WirePoints;

use crate::client::{self, ApiError};
use crate::components::allotment_view::AllotmentView;
use crate::components::error_box::ErrorBox;
use crate::components::remote::Remote;
use crate::components::requisites_form::{requisites_form, CLIENT};
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::pages::sign_in::SignInFirst;
use crate::session::use_auth;
use crate::writes::{busy, error_of, use_write};

/// A client admin's settings: when to warn about a low balance, and whom.
#[component]
pub fn OrgSettings() -> impl IntoView {
    let auth = use_auth();
    let org_id = move || auth.me.get().and_then(|m| m.organization).map(|o| o.id);
    let org = Remote::flat(
        move || org_id().map(client::organization),
        crate::flat_reads::organization,
    );
    let people = Remote::maybe(move || org_id().map(|_| client::users()));
    move || match (org_id(), org.get(), people.get()) {
        (None, _, _) if auth.checked.get() => view! { <SignInFirst /> }.into_any(),
        (Some(_), Some(Err(e)), _) | (Some(_), _, Some(Err(e))) => {
            let e = Some(e);
            view! { <ErrorBox error=Signal::derive(move || e.clone()) /> }.into_any()
        }
        (Some(_), Some(Ok(org)), Some(Ok(people))) => {
            view! { <Settings org=org people=people.items /> }.into_any()
        }
        _ => ().into_any(),
    }
}

#[component]
fn Settings(org: OrganizationDto, people: Vec<UserDto>) -> impl IntoView {
    let i18n = use_i18n();
    let id = org.id;
    let threshold = RwSignal::new(org.threshold.to_string());
    let recipients = RwSignal::new(org.alert_recipients.clone());
    let save = use_write();
    let local = RwSignal::new(None::<ApiError>);
    let error = Signal::derive(move || local.get().or_else(|| error_of(save).get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = threshold.get_untracked().trim().replace(',', ".");
        match t.parse() {
            Ok(points) => {
                local.set(None);
                save.dispatch(client::update_organization(
                    id,
                    &UpdateOrganizationRequest {
                        threshold: Some(WirePoints(points)),
                        alert_recipients: Some(recipients.get_untracked()),
                        ..UpdateOrganizationRequest::default()
                    },
                ));
            }
            Err(_) => local.set(Some(ApiError::field("threshold", "malformed"))),
        }
    };
    view! {
        <p class="eyebrow">{org.name.clone()}</p>
        <h1 data-testid="page-title">{i18n.tr(Msg::NavSettings)}</h1>
        <div class="grid">
            <section class="card">
                <h2 class="card__title">{i18n.tr(Msg::LowBalanceAlerts)}</h2>
                <form class="stack" on:submit=submit novalidate=true data-testid="settings-form">
                    <TextField label=Msg::Threshold name="threshold" value=threshold error=error hint=Msg::ThresholdHint />
                    <fieldset class="choices">
                        <legend class="field__label">{i18n.tr(Msg::AlertRecipients)}</legend>
                        {people.into_iter().filter(|p| p.active && !p.invited).map(|p| {
                            let pid = p.id;
                            view! {
                                <label class="choice">
                                    <input type="checkbox" data-testid=format!("recipient-{}", p.email)
                                        prop:checked=move || recipients.get().contains(&pid)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            recipients.update(|r| {
                                                r.retain(|x| *x != pid);
                                                if on { r.push(pid); }
                                            });
                                        } />
                                    <span>{p.name.clone()} " · " {p.email.clone()}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <ErrorBox error=error />
                    <button class="button" type="submit" data-testid="settings-submit" disabled=busy(save)>
                        {i18n.tr(Msg::Save)}
                    </button>
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                        <p class="notice notice--ok" role="status" data-testid="settings-saved">{i18n.t(Msg::Saved)}</p>
                    })}
                </form>
            </section>
            {requisites_form(format!("/organizations/{id}/requisites"), CLIENT)}
            <section class="card">
                <h2 class="card__title">{i18n.tr(Msg::MonthlyAllotment)}</h2>
                {org.allotment.clone().map(|a| view! { <AllotmentView allotment=a /> })}
            </section>
        </div>
    }
}
