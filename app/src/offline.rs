//! What the service worker (`app/pwa/sw.js`) tells the app, through `boot.js`: `<html>`'s
//! `data-offline` (when the answers on screen were stored, in ms: the network failed),
//! `data-update` (a new build waits to take over), `data-outbox` (what waits to be sent, as
//! JSON `{"items": [...]}`), and a `pointdesk-sw` event on the window whenever one changes.
//! Buttons that act on the service worker carry `data-sw` (`reload`, `retry:N`, `discard:N`):
//! boot.js hears their clicks. The app needs no JS bindings of its own for any of it.

use leptos::prelude::*;

use crate::flat_json::{fields, Fields};

/// `heard` changes whenever the service worker said something; `sent` only when it delivered
/// something from the outbox (`data-sent` counts them), which is when screens read again.
#[derive(Clone, Copy)]
pub struct Sw {
    heard: RwSignal<u32>,
    pub sent: RwSignal<u32>,
}

fn html_attr(name: &str) -> Option<String> {
    document().document_element()?.get_attribute(name)
}

/// Listens for the service worker's news for the app's lifetime.
pub fn provide_sw() {
    let sw = Sw {
        heard: RwSignal::new(0),
        sent: RwSignal::new(0),
    };
    let delivered = std::cell::Cell::new(None);
    // The listener lives as long as the page: its handle is never removed.
    std::mem::forget(window_event_listener_untyped("pointdesk-sw", move |_| {
        sw.heard.update(|n| *n = n.wrapping_add(1));
        let now = html_attr("data-sent");
        if now != delivered.replace(now.clone()) {
            sw.sent.update(|n| *n = n.wrapping_add(1));
        }
    }));
    provide_context(sw);
}

pub fn use_sw() -> Sw {
    use_context().unwrap_or(Sw {
        heard: RwSignal::new(0),
        sent: RwSignal::new(0),
    })
}

impl Sw {
    /// An attribute of `<html>` the service worker's news set (tracked).
    pub fn attr(self, name: &str) -> Option<String> {
        self.heard.track();
        html_attr(name)
    }

    /// What waits in the outbox for `ticket` (every ticket when 0), oldest first (tracked).
    pub fn outbox(self, ticket: i64) -> Vec<Fields> {
        let all = fields(&self.attr("data-outbox").unwrap_or_default()).list("items");
        all.into_iter()
            .filter(|i| ticket == 0 || i.int("ticket") == ticket)
            .collect()
    }
}
