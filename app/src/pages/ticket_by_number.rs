use leptos::prelude::*;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::pages::not_found::NotFound;

/// A ticket by the number people say ("ticket 42") and reports print: looked up, then opened in
/// place of this address.
#[component]
pub fn TicketByNumber(number: i64) -> impl IntoView {
    let found = Remote::new(move || client::tickets(&format!("queue=&q={number}")));
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        let id = found
            .ok()
            .and_then(|l| l.items.into_iter().find(|t| t.number == number))
            .map(|t| t.id);
        if let Some(id) = id {
            let options = leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(&format!("/tickets/{id}"), options);
        }
    });
    remote(found, move |list| {
        (!list.items.iter().any(|t| t.number == number)).then(|| view! { <NotFound /> })
    })
}
