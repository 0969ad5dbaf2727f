//! Pointdesk's web app: Leptos, client-side rendered to WebAssembly.

mod client;
mod components;
mod format;
mod i18n;
mod locale;
mod nav;
mod pages;
mod session;
mod writes;

use leptos::prelude::*;

use components::layout::Layout;
use pages::{
    accept_invitation::AcceptInvitation, audit_log::AuditLog, client_detail::ClientDetail,
    clients::Clients, forgot_password::ForgotPassword, home::Home, not_found::NotFound,
    org_settings::OrgSettings, outbox::Outbox, people::People, plans::Plans, profile::Profile,
    reset_password::ResetPassword, sign_in::SignIn, status::Status,
};
use pages::{buy_points::buy_points, packs::packs, purchase::purchase};
use pages::{catalogue::Catalogue, new_ticket::NewTicket, ticket::Ticket, tickets::Tickets};
use pages::{ledger::Ledger, notifications::Notifications, reports::Reports, statement::Statement};

#[component]
fn App() -> impl IntoView {
    i18n::provide_i18n();
    session::provide_auth();
    nav::provide_nav();
    view! {
        <Layout>
            <Screen />
        </Layout>
    }
}

/// The screen for the current path (see `nav`); a path parameter becomes the screen's prop.
#[component]
fn Screen() -> impl IntoView {
    let nav = nav::use_nav();
    let auth = session::use_auth();
    move || {
        // Screens decide what to offer by role: none is drawn before `getMe` has answered, so a
        // deep link never renders a signed-in person's screen as if they were anonymous.
        if !auth.checked.get() {
            return ().into_any();
        }
        let path = nav.path.get();
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let id = |raw: &str| raw.parse::<i64>().ok().filter(|id| *id > 0);
        let own_org = || auth.me.get().and_then(|m| m.organization).map(|o| o.id);
        match parts.as_slice() {
            [] => view! { <Home /> }.into_any(),
            ["status"] => view! { <Status /> }.into_any(),
            ["sign-in"] => view! { <SignIn /> }.into_any(),
            ["forgot-password"] => view! { <ForgotPassword /> }.into_any(),
            ["reset-password"] => view! { <ResetPassword /> }.into_any(),
            ["accept-invitation"] => view! { <AcceptInvitation /> }.into_any(),
            ["profile"] => view! { <Profile /> }.into_any(),
            ["clients"] => view! { <Clients /> }.into_any(),
            ["clients", raw] if id(raw).is_some() => {
                let id = id(raw).unwrap_or_default();
                view! { <ClientDetail id=id /> }.into_any()
            }
            ["plans"] => view! { <Plans /> }.into_any(),
            ["people"] => view! { <People /> }.into_any(),
            ["outbox"] => view! { <Outbox /> }.into_any(),
            ["audit-log"] => view! { <AuditLog /> }.into_any(),
            ["settings"] => view! { <OrgSettings /> }.into_any(),
            ["tickets"] => view! { <Tickets /> }.into_any(),
            ["tickets", "new"] => view! { <NewTicket /> }.into_any(),
            ["tickets", raw] if id(raw).is_some() => {
                let id = id(raw).unwrap_or_default();
                view! { <Ticket id=id /> }.into_any()
            }
            ["catalogue"] => view! { <Catalogue /> }.into_any(),
            ["notifications"] => view! { <Notifications /> }.into_any(),
            ["reports"] => view! { <Reports /> }.into_any(),
            ["packs"] => packs().into_any(),
            ["buy-points"] => match own_org() {
                Some(org) => buy_points(org).into_any(),
                None => view! { <NotFound /> }.into_any(),
            },
            ["purchases", raw] if id(raw).is_some() => {
                let id = id(raw).unwrap_or_default();
                purchase(id).into_any()
            }
            ["ledger"] => match own_org() {
                Some(org) => view! { <Ledger org=org base="/ledger".to_owned() /> }.into_any(),
                None => view! { <NotFound /> }.into_any(),
            },
            ["ledger", "statements", period] => match own_org() {
                Some(org) => view! { <Statement org=org period=period.to_string() /> }.into_any(),
                None => view! { <NotFound /> }.into_any(),
            },
            ["clients", raw, "ledger"] if id(raw).is_some() => {
                let id = id(raw).unwrap_or_default();
                view! { <Ledger org=id base=format!("/clients/{id}") /> }.into_any()
            }
            ["clients", raw, "statements", period] if id(raw).is_some() => {
                let id = id(raw).unwrap_or_default();
                view! { <Statement org=id period=period.to_string() /> }.into_any()
            }
            _ => view! { <NotFound /> }.into_any(),
        }
    }
}

fn main() {
    // Panic messages in the console while developing; a release build leaves out the formatting
    // machinery it needs (the bundle's budget), and a panic there still stops with a trace.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    mount_to_body(App);
}
