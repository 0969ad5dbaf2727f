//! Who is signed in, for every screen: loaded once at start (`getSession`), set by sign-in and
//! cleared by sign-out. The person's stored language wins over the browser's.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pointdesk_api::accounts::MeDto;
use pointdesk_domain::policy::Role;

use crate::client;
use crate::i18n::{use_i18n, I18n, Locale};

#[derive(Clone, Copy)]
pub struct Auth {
    pub me: RwSignal<Option<MeDto>>,
    /// `false` until the first `getMe` has answered.
    pub checked: RwSignal<bool>,
    i18n: I18n,
}

impl Auth {
    pub fn signed_in(self, me: MeDto) {
        if let Some(l) = Locale::from_tag(&me.locale) {
            self.i18n.set(l);
        }
        self.me.set(Some(me));
        self.checked.set(true);
    }

    pub fn signed_out(self) {
        self.me.set(None);
        self.checked.set(true);
    }

    /// The signed-in person's id, read once (a screen's body is drawn again when the person
    /// changes: signing in or out moves to another screen).
    pub fn user_id(self) -> Option<i64> {
        self.me.with_untracked(|m| m.as_ref().map(|m| m.id))
    }

    /// The signed-in person's role (`None` signed out), tracked: for closures that redraw.
    pub fn role(self) -> Option<Role> {
        self.me.with(|m| m.as_ref().map(|m| m.role))
    }

    /// The role, read once: for a screen's body (no reactive read outside a reactive context).
    pub fn role_now(self) -> Option<Role> {
        self.me.with_untracked(|m| m.as_ref().map(|m| m.role))
    }

    /// Provider staff (an engineer or a manager)? Read once, like [`Auth::role_now`].
    pub fn is_staff(self) -> bool {
        self.role_now().is_some_and(|r| !r.is_client())
    }
}

pub fn provide_auth() -> Auth {
    let auth = Auth {
        me: RwSignal::new(None),
        checked: RwSignal::new(false),
        i18n: use_i18n(),
    };
    provide_context(auth);
    spawn_local(async move {
        match client::session().await {
            Ok(Some(me)) => auth.signed_in(me),
            Ok(None) | Err(_) => auth.signed_out(),
        }
    });
    auth
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
