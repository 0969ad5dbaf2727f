use leptos::prelude::*;
use pointdesk_api::accounts::SignInRequest;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::session::use_auth;
use crate::writes::{busy, error_of, on_success, use_write};

/// Email and password; lands on the person's home.
#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = leptos_router::hooks::use_navigate();
    let email = RwSignal::new(String::new());
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
        action.dispatch(client::sign_in(&SignInRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        }));
    };
    view! {
        <section class="narrow">
            <h1 data-testid="page-title">{i18n.tr(Msg::SignInTitle)}</h1>
            <p class="muted">{i18n.tr(Msg::SignInIntro)}</p>
            <form class="stack card" on:submit=submit novalidate=true data-testid="sign-in-form">
                <TextField label=Msg::Email name="email" value=email error=error kind="email" autocomplete="username" />
                <TextField label=Msg::Password name="password" value=password error=error kind="password" autocomplete="current-password" />
                <ErrorBox error=error />
                <button class="button" type="submit" data-testid="sign-in-submit" disabled=busy(action)>
                    {i18n.tr(Msg::SignInSubmit)}
                </button>
                <a href="/forgot-password" class="link" data-testid="forgot-link">{i18n.tr(Msg::ForgotPassword)}</a>
            </form>
        </section>
    }
}

/// Shown by screens that need a session when there is none.
#[component]
pub fn SignInFirst() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="narrow">
            <p class="notice" data-testid="sign-in-first">{i18n.tr(Msg::SessionEnded)}</p>
            <a href="/sign-in" class="button">{i18n.tr(Msg::NavSignIn)}</a>
        </section>
    }
}

/// The token after `#token=` in the address (emailed links keep it out of server logs).
pub fn token_from_fragment() -> String {
    window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("token="))
        .unwrap_or_default()
        .to_owned()
}
