use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::remote::text_while;
use crate::flat_json;
use crate::i18n::{use_i18n, Msg};
use crate::session::use_auth;

/// Bumped when notices were read, so the bell asks again.
#[derive(Clone, Copy)]
pub struct NoticesRead(pub RwSignal<u32>);

/// The header's way to the notification centre, with the unread count (asked again on every
/// navigation and whenever notices were read). Provides [`NoticesRead`] to the pages.
pub fn notice_bell() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let location = use_location();
    let read = use_context::<NoticesRead>().map_or_else(|| RwSignal::new(0), |r| r.0);
    let list = text_while(move || {
        location.pathname.track();
        read.track();
        auth.me.get().map(|_| "/notifications".to_owned())
    });
    move || {
        auth.me.get().map(|_| {
            let unread = list
                .get()
                .and_then(Result::ok)
                .map_or(0, |t| flat_json::fields(&t).int("unread"));
            view! {
                <a href="/notifications" class="bell" data-testid="bell" title=i18n.tr(Msg::NavNotifications)
                    aria-label=format!("{}: {unread}", i18n.t(Msg::NavNotifications))>
                    <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" /><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" /></svg>
                    {(unread > 0).then(|| view! { <span class="bell__count" data-testid="unread">{unread}</span> })}
                </a>
            }
        })
    }
}
