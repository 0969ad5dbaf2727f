//! Pointdesk's web app: Leptos, client-side rendered to WebAssembly.

mod client;
mod components;
mod format;
mod i18n;
mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::layout::Layout;
use pages::{home::Home, not_found::NotFound, status::Status};

#[component]
fn App() -> impl IntoView {
    i18n::provide_i18n();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/status") view=Status />
                </Routes>
            </Layout>
        </Router>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(App);
}
