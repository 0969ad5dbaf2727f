//! Pointdesk's web app: Leptos, client-side rendered to WebAssembly.

mod client;
mod components;
mod flat_json;
mod flat_reads;
mod format;
mod i18n;
mod json;
mod locale;
mod offline;
mod pages;
mod session;
mod writes;

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_params_map;
use leptos_router::path;

use components::layout::Layout;
use pages::plan_terms::PlanTerms;
use pages::ticket_by_number::TicketByNumber;
use pages::{
    accept_invitation::AcceptInvitation, client_detail::ClientDetail, clients::Clients,
    forgot_password::ForgotPassword, home::Home, not_found::NotFound, org_settings::OrgSettings,
    people::People, plans::Plans, profile::Profile, reset_password::ResetPassword, sign_in::SignIn,
    status::Status,
};
use pages::{buy_points::buy_points, packs::packs, purchase::purchase};
use pages::{catalogue::Catalogue, new_ticket::NewTicket, ticket::Ticket, tickets::Tickets};
use pages::{ledger::Ledger, notifications::Notifications, reports::Reports};

#[component]
fn App() -> impl IntoView {
    i18n::provide_i18n();
    session::provide_auth();
    offline::provide_sw();
    view! {
        <Router>
            <Layout>
                <Screens />
            </Layout>
        </Router>
    }
}

/// The screen for the current path. Screens decide what to offer by role: none is drawn before
/// `getMe` has answered, so a deep link never renders a signed-in person's screen as if they
/// were anonymous.
#[component]
fn Screens() -> impl IntoView {
    let auth = session::use_auth();
    view! {
        <Show when=move || auth.checked.get()>
            <FlatRoutes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=Home />
                <Route path=path!("/status") view=Status />
                <Route path=path!("/sign-in") view=SignIn />
                <Route path=path!("/forgot-password") view=ForgotPassword />
                <Route path=path!("/reset-password") view=ResetPassword />
                <Route path=path!("/accept-invitation") view=AcceptInvitation />
                <Route path=path!("/profile") view=Profile />
                <Route path=path!("/clients") view=Clients />
                <Route path=path!("/clients/:id") view=|| with_id(|id| view! { <ClientDetail id=id /> }) />
                <Route path=path!("/clients/:id/ledger")
                    view=|| with_id(|id| view! { <Ledger org=id /> }) />
                <Route path=path!("/plans") view=Plans />
                <Route path=path!("/people") view=People />
                <Route path=path!("/settings") view=OrgSettings />
                <Route path=path!("/plan") view=PlanTerms />
                <Route path=path!("/tickets") view=Tickets />
                <Route path=path!("/tickets/new") view=NewTicket />
                <Route path=path!("/tickets/:id") view=|| with_id(|id| view! { <Ticket id=id /> }) />
                <Route path=path!("/tickets/number/:id")
                    view=|| with_id(|number| view! { <TicketByNumber number=number /> }) />
                <Route path=path!("/catalogue") view=Catalogue />
                <Route path=path!("/notifications") view=Notifications />
                <Route path=path!("/reports") view=Reports />
                <Route path=path!("/packs") view=packs />
                <Route path=path!("/buy-points") view=|| with_own_org(buy_points) />
                <Route path=path!("/purchases/:id") view=|| with_id(purchase) />
                <Route path=path!("/ledger")
                    view=|| with_own_org(|org| view! { <Ledger org=org /> }) />
            </FlatRoutes>
        </Show>
    }
}

/// The screen for the signed-in client person's own organisation; not found for staff.
fn with_own_org<V: IntoView + 'static>(screen: fn(i64) -> V) -> impl IntoView {
    let auth = session::use_auth();
    move || match auth.me.get().and_then(|m| m.organization).map(|o| o.id) {
        Some(org) => screen(org).into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

/// The screen for the route's `:id`, a positive integer, drawn again when the id changes (from
/// `/tickets/1` to `/tickets/2` the route stays); any other `:id` is not found.
fn with_id<V: IntoView + 'static>(screen: fn(i64) -> V) -> impl IntoView {
    let params = use_params_map();
    move || match params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())) {
        Some(id) if id > 0 => screen(id).into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

fn main() {
    // Panic messages in the console while developing; a release build leaves out the formatting
    // machinery it needs (the bundle's budget), and a panic there still stops with a trace.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    mount_to_body(App);
}
