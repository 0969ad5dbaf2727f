//! Pointdesk's web app: Leptos, client-side rendered to WebAssembly.

mod client;
mod components;
mod format;
mod i18n;
mod pages;
mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::layout::Layout;
use pages::{
    accept_invitation::AcceptInvitation, audit_log::AuditLog, client_detail::ClientDetail,
    clients::Clients, forgot_password::ForgotPassword, home::Home, not_found::NotFound,
    org_settings::OrgSettings, outbox::Outbox, people::People, plans::Plans, profile::Profile,
    reset_password::ResetPassword, sign_in::SignIn, status::Status,
};
use pages::{catalogue::Catalogue, new_ticket::NewTicket, ticket::Ticket, tickets::Tickets};

#[component]
fn App() -> impl IntoView {
    i18n::provide_i18n();
    session::provide_auth();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/status") view=Status />
                    <Route path=path!("/sign-in") view=SignIn />
                    <Route path=path!("/forgot-password") view=ForgotPassword />
                    <Route path=path!("/reset-password") view=ResetPassword />
                    <Route path=path!("/accept-invitation") view=AcceptInvitation />
                    <Route path=path!("/profile") view=Profile />
                    <Route path=path!("/clients") view=Clients />
                    <Route path=path!("/clients/:id") view=ClientDetail />
                    <Route path=path!("/plans") view=Plans />
                    <Route path=path!("/people") view=People />
                    <Route path=path!("/outbox") view=Outbox />
                    <Route path=path!("/audit-log") view=AuditLog />
                    <Route path=path!("/settings") view=OrgSettings />
                    <Route path=path!("/tickets") view=Tickets />
                    <Route path=path!("/tickets/new") view=NewTicket />
                    <Route path=path!("/tickets/:id") view=Ticket />
                    <Route path=path!("/catalogue") view=Catalogue />
                </Routes>
            </Layout>
        </Router>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(App);
}
