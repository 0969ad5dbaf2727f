use leptos::prelude::*;
use pointdesk_api::accounts::ResetPasswordRequest;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::pages::sign_in::token_from_fragment;
use crate::writes::{busy, error_of, succeeded, use_write};

/// Sets a new password from an emailed reset link (`/reset-password#token=…`).
#[component]
pub fn ResetPassword() -> impl IntoView {
    let i18n = use_i18n();
    let token = token_from_fragment();
    let password = RwSignal::new(String::new());
    let action = use_write();
    let error = error_of(action);
    let done = move || succeeded(action);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(client::reset_password(&ResetPasswordRequest {
            token: token.clone(),
            password: password.get_untracked(),
        }));
    };
    view! {
        <section class="narrow">
            <h1 data-testid="page-title">{i18n.tr(Msg::ResetTitle)}</h1>
            <Show
                when=done
                fallback=move || view! {
                    <form class="stack card" on:submit=submit.clone() novalidate=true>
                        <TextField label=Msg::NewPassword name="password" value=password error=error kind="password" autocomplete="new-password" hint=Msg::PasswordHint />
                        <ErrorBox error=error />
                        <button class="button" type="submit" data-testid="reset-submit" disabled=busy(action)>
                            {i18n.tr(Msg::ResetSubmit)}
                        </button>
                    </form>
                }
            >
                <p class="notice notice--ok" role="status" data-testid="reset-done">{i18n.tr(Msg::ResetDone)}</p>
                <a href="/sign-in" class="button">{i18n.tr(Msg::NavSignIn)}</a>
            </Show>
        </section>
    }
}
