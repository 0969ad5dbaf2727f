use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use pointdesk_domain::policy::Role;

use crate::components::connection_bar::ConnectionBar;
use crate::components::language_switch::LanguageSwitch;
use crate::components::notice_bell::notice_bell;
use crate::i18n::{use_i18n, Msg};
use crate::session::use_auth;

/// The frame of every screen: header with brand, navigation (a toggled drawer on a phone) and
/// the language switch, then the page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let menu_open = RwSignal::new(false);
    provide_context(crate::components::notice_bell::NoticesRead(RwSignal::new(
        0,
    )));
    // Any navigation closes the phone menu.
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });

    view! {
        <a class="skip-link" href="#main">{i18n.tr(Msg::SkipToContent)}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <a href="/" class="brand" data-testid="brand">
                    <span class="brand__mark" aria-hidden="true">"P"</span>
                    <span class="brand__name">{i18n.tr(Msg::AppName)}</span>
                </a>
                {notice_bell()}
                <button
                    class="menu-toggle button-quiet"
                    type="button"
                    data-testid="menu-toggle"
                    aria-controls="site-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|o| *o = !*o)
                >
                    <span class="menu-toggle__icon" aria-hidden="true"></span>
                    <span class="menu-toggle__label">
                        {move || i18n.t(if menu_open.get() { Msg::CloseMenu } else { Msg::Menu })}
                    </span>
                </button>
                <nav
                    id="site-nav"
                    class="site-nav"
                    class:site-nav--open=move || menu_open.get()
                    data-testid="site-nav"
                    aria-label=i18n.tr(Msg::Menu)
                    on:click=move |ev| {
                        if clicked_a_link(&ev) {
                            menu_open.set(false);
                        }
                    }
                >
                    <A href="/" exact=true>{i18n.tr(Msg::NavHome)}</A>
                    {move || role_links(auth.role()).into_iter().map(|(href, msg)| if href.starts_with("/api/") {
                        view! { <a href=href rel="external">{move || i18n.t(msg)}</a> }.into_any()
                    } else {
                        view! { <A href=href>{move || i18n.t(msg)}</A> }.into_any()
                    }).collect_view()}
                    // Signed in, the navigation is the person's work; the status moves to the footer.
                    {move || auth.me.get().is_none().then(|| view! {
                        <A href="/status">{i18n.tr(Msg::NavStatus)}</A>
                    })}
                    {move || match auth.me.get() {
                        Some(me) => view! {
                            <a href="/profile" data-testid="nav-profile" title=i18n.tr(Msg::NavProfile)>
                                <span class="who">{me.name}</span>
                            </a>
                        }.into_any(),
                        None => view! {
                            <a href="/sign-in" data-testid="nav-sign-in">{i18n.tr(Msg::NavSignIn)}</a>
                        }.into_any(),
                    }}
                    <LanguageSwitch />
                </nav>
            </div>
            <ConnectionBar />
        </header>
        <main id="main" class="page" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <span>{i18n.tr(Msg::Tagline)}</span>
            {move || auth.me.get().is_some().then(|| view! {
                " · " <a href="/status" data-testid="footer-status">{i18n.tr(Msg::NavStatus)}</a>
            })}
        </footer>
    }
}

/// What each role's navigation offers, in order.
pub fn role_links(role: Option<Role>) -> Vec<(&'static str, Msg)> {
    match role {
        Some(Role::Manager) => vec![
            ("/tickets", Msg::NavTickets),
            ("/clients", Msg::NavClients),
            ("/catalogue", Msg::NavCatalogue),
            ("/plans", Msg::NavPlans),
            ("/people", Msg::NavPeople),
            ("/reports", Msg::NavReports),
            // The logs are pages the worker draws (read-only lists need no screen here).
            ("/api/v1/outbox?format=html", Msg::NavOutbox),
            ("/api/v1/audit-log?format=html", Msg::NavAudit),
        ],
        Some(Role::Engineer) => vec![("/tickets", Msg::NavTickets), ("/clients", Msg::NavClients)],
        Some(Role::ClientAdmin) => vec![
            ("/tickets", Msg::NavTickets),
            ("/ledger", Msg::NavLedger),
            ("/buy-points", Msg::TopUp),
            ("/people", Msg::NavPeople),
            ("/settings", Msg::NavSettings),
        ],
        Some(Role::ClientUser) => vec![("/tickets", Msg::NavTickets)],
        None => vec![],
    }
}

/// Did this click land on a link (or inside one)?
fn clicked_a_link(ev: &leptos::ev::MouseEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a").ok().flatten())
        .is_some()
}
