use leptos::prelude::*;
use pointdesk_api::accounts::AcceptInvitationRequest;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::pages::sign_in::token_from_fragment;
use crate::session::use_auth;
use crate::writes::{busy, error_of, on_success, use_write};

/// An invited person sets a password (and may correct their name) and is signed in
/// (`/accept-invitation#token=…`).
#[component]
pub fn AcceptInvitation() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = leptos_router::hooks::use_navigate();
    let token = token_from_fragment();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let action = use_write();
    let error = error_of(action);
    on_success(action, move |t| {
        if let Ok(me) = client::parse_text::<pointdesk_api::accounts::MeDto>(t) {
            auth.signed_in(me);
            navigate("/", Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        action.dispatch(client::accept_invitation(&AcceptInvitationRequest {
            token: token.clone(),
            password: password.get_untracked(),
            name: (!n.trim().is_empty()).then_some(n),
        }));
    };
    view! {
        <section class="narrow">
            <h1 data-testid="page-title">{i18n.tr(Msg::AcceptTitle)}</h1>
            <p class="muted">{i18n.tr(Msg::AcceptIntro)}</p>
            <form class="stack card" on:submit=submit novalidate=true data-testid="accept-form">
                <TextField label=Msg::YourName name="name" value=name error=error autocomplete="name" />
                <TextField label=Msg::Password name="password" value=password error=error kind="password" autocomplete="new-password" hint=Msg::PasswordHint />
                <ErrorBox error=error />
                <button class="button" type="submit" data-testid="accept-submit" disabled=busy(action)>
                    {i18n.tr(Msg::AcceptSubmit)}
                </button>
            </form>
        </section>
    }
}
