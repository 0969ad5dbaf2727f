use leptos::prelude::*;
use pointdesk_api::accounts::PasswordResetRequest;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::writes::{busy, error_of, succeeded, use_write};

/// Asks for a reset link. The answer is the same whether or not the address is known.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let action = use_write();
    let error = error_of(action);
    let sent = move || succeeded(action);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(client::request_reset(&PasswordResetRequest {
            email: email.get_untracked(),
        }));
    };
    view! {
        <section class="narrow">
            <h1 data-testid="page-title">{i18n.tr(Msg::ForgotTitle)}</h1>
            <p class="muted">{i18n.tr(Msg::ForgotIntro)}</p>
            <Show
                when=sent
                fallback=move || view! {
                    <form class="stack card" on:submit=submit novalidate=true>
                        <TextField label=Msg::Email name="email" value=email error=error kind="email" autocomplete="username" />
                        <ErrorBox error=error />
                        <button class="button" type="submit" data-testid="forgot-submit" disabled=busy(action)>
                            {i18n.tr(Msg::ForgotSubmit)}
                        </button>
                    </form>
                }
            >
                <p class="notice notice--ok" role="status" data-testid="forgot-sent">{i18n.tr(Msg::ForgotSent)}</p>
            </Show>
            <a href="/sign-in" class="link">{i18n.tr(Msg::BackToSignIn)}</a>
        </section>
    }
}
