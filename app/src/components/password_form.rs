use leptos::prelude::*;
use pointdesk_api::accounts::ChangePasswordRequest;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::writes::{busy, error_of, on_success, succeeded, use_write};

/// A person changes their own password (the current one first); their other sessions end.
#[component]
pub fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = use_write();
    let change_error = error_of(change);
    on_success(change, move |_| {
        current.set(String::new());
        new.set(String::new());
    });
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(Msg::ChangePasswordTitle)}</h2>
            <p class="muted">{i18n.tr(Msg::ChangePasswordHint)}</p>
            <form class="stack" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                change.dispatch(client::change_password(&ChangePasswordRequest {
                    current_password: current.get_untracked(),
                    new_password: new.get_untracked(),
                }));
            } novalidate=true data-testid="password-form">
                <TextField label=Msg::CurrentPassword name="current_password" value=current error=change_error kind="password" autocomplete="current-password" />
                <TextField label=Msg::NewPassword name="new_password" value=new error=change_error kind="password" autocomplete="new-password" hint=Msg::PasswordHint />
                <ErrorBox error=change_error />
                <button class="button" type="submit" data-testid="password-submit" disabled=busy(change)>
                    {i18n.tr(Msg::ChangePasswordTitle)}
                </button>
                {move || succeeded(change).then(|| view! {
                    <p class="notice notice--ok" role="status" data-testid="password-changed">{i18n.t(Msg::PasswordChanged)}</p>
                })}
            </form>
        </section>
    }
}
