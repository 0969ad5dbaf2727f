use leptos::prelude::*;
use pointdesk_domain::policy::Role;

use crate::components::balance_card::balance_card;
use crate::components::charge_calculator::ChargeCalculator;
use crate::components::desk_summary::DeskSummary;
use crate::components::layout::role_links;
use crate::components::status_card::StatusCard;
use crate::i18n::{self, use_i18n, Msg};
use crate::session::use_auth;

/// Signed out: what Pointdesk is and a way in. Signed in: the person's own home, by role.
#[component]
pub fn Home() -> impl IntoView {
    let auth = use_auth();
    move || {
        if !auth.checked.get() {
            return ().into_any();
        }
        match auth.role() {
            Some(role) => view! { <RoleHome role=role /> }.into_any(),
            None => view! { <Welcome /> }.into_any(),
        }
    }
}

#[component]
fn Welcome() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::HomeTitle)}</h1>
        <p class="lead">{i18n.tr(Msg::HomeIntro)}</p>
        <ul class="rules">
            <li>{i18n.tr(Msg::RuleIncidents)}</li>
            <li>{i18n.tr(Msg::RuleRequests)}</li>
            <li>{i18n.tr(Msg::RuleBalance)}</li>
        </ul>
        <p><a href="/sign-in" class="button" data-testid="home-sign-in">{i18n.tr(Msg::NavSignIn)}</a></p>
        <div class="grid">
            <ChargeCalculator />
            <StatusCard />
        </div>
    }
}

#[component]
fn RoleHome(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let intro = match role {
        Role::Manager => Msg::HomeManager,
        Role::Engineer => Msg::HomeEngineer,
        Role::ClientAdmin => Msg::HomeClientAdmin,
        Role::ClientUser => Msg::HomeClientUser,
    };
    let name = move || auth.me.get().map(|m| m.name).unwrap_or_default();
    let org = move || auth.me.get().and_then(|m| m.organization).map(|o| o.name);
    let role_name = move || i18n::role_name(i18n.locale.get(), role);
    view! {
        <section data-testid=format!("home-{}", role.as_str())>
            <p class="eyebrow">
                <span data-testid="home-role">{role_name}</span>
                {move || org().map(|o| view! { " · " <span data-testid="home-org">{o}</span> })}
            </p>
            <h1 data-testid="page-title">{i18n.tr(Msg::Welcome)} ", " {name}</h1>
            <p class="lead">{move || i18n.t(intro)}</p>
            {role.is_client().then(|| view! {
                <p><a href="/tickets/new" class="button" data-testid="home-new-ticket">{i18n.tr(Msg::NewTicket)}</a></p>
            })}
            <DeskSummary />
            {move || auth.me.get().and_then(|m| m.organization).map(|o| balance_card(o.id))}
            <nav class="shortcuts" aria-label=i18n.tr(Msg::Menu)>
                {role_links(Some(role)).into_iter().map(|(href, msg)| view! {
                    <a href=href class="shortcut" rel=href.starts_with("/api/").then_some("external")
                        data-testid=format!("shortcut-{}", href.trim_start_matches("/api/v1").trim_start_matches('/').split('?').next().unwrap_or_default())>
                        {move || i18n.t(msg)}
                    </a>
                }).collect_view()}
                <a href="/profile" class="shortcut">{i18n.tr(Msg::NavProfile)}</a>
            </nav>
        </section>
    }
}
