//! Navigation without a router crate: the path is a signal; links to our own origin are
//! followed in place (history `pushState`), back and forward restore the path (`popstate`), and
//! `main.rs` picks the screen with one `match`. A router crate cost ~45 KB of wasm for what
//! these few lines do.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

#[derive(Clone, Copy)]
pub struct Nav {
    /// The current path, without query or fragment.
    pub path: RwSignal<String>,
}

fn pathname() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".into())
}

impl Nav {
    /// Goes to an in-app path, as a followed link does.
    pub fn go(self, to: &str) {
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(to));
        }
        self.path.set(pathname());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Is `href` where we are? The home link only on the home page; any other link also on the
    /// pages below it (`/tickets` on `/tickets/7`).
    pub fn is_current(self, href: &str) -> bool {
        let path = self.path.get();
        if href == "/" {
            path == "/"
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        }
    }
}

/// A click that the app should handle itself: a plain left click on a link to our own origin
/// that does not ask for a new window or a download.
fn in_app_target(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let el: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let a = el.closest("a[href]").ok().flatten()?;
    if a.has_attribute("target") || a.has_attribute("download") {
        return None;
    }
    let a: web_sys::HtmlAnchorElement = a.dyn_into().ok()?;
    let here = window().location();
    if a.origin() != here.origin().ok()? {
        return None;
    }
    // A link to a fragment of this very page (the skip link) is the browser's to follow.
    if a.pathname() == here.pathname().ok()? && !a.hash().is_empty() {
        return None;
    }
    Some(format!("{}{}{}", a.pathname(), a.search(), a.hash()))
}

pub fn provide_nav() -> Nav {
    let nav = Nav {
        path: RwSignal::new(pathname()),
    };
    let on_pop = Closure::<dyn Fn()>::new(move || nav.path.set(pathname()));
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if let Some(to) = in_app_target(&ev) {
            ev.prevent_default();
            nav.go(&to);
        }
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    provide_context(nav);
    nav
}

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}
