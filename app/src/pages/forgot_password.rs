use leptos::prelude::*;
use leptos_router::components::A;
use pointdesk_api::accounts::PasswordResetRequest;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};

/// Asks for a reset link. The answer is the same whether or not the address is known.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let action = Action::new_local(|req: &PasswordResetRequest| {
        let req = req.clone();
        async move { client::request_reset(&req).await }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(PasswordResetRequest {
            email: email.get_untracked(),
        });
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
                        <button class="button" type="submit" data-testid="forgot-submit" disabled=move || action.pending().get()>
                            {i18n.tr(Msg::ForgotSubmit)}
                        </button>
                    </form>
                }
            >
                <p class="notice notice--ok" role="status" data-testid="forgot-sent">{i18n.tr(Msg::ForgotSent)}</p>
            </Show>
            <A href="/sign-in" attr:class="link">{i18n.tr(Msg::BackToSignIn)}</A>
        </section>
    }
}
