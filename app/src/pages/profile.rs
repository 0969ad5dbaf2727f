use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use pointdesk_api::accounts::{ChangePasswordRequest, UpdateMeRequest};

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::language_switch::LanguageSwitch;
use crate::components::text_field::TextField;
use crate::i18n::{self, use_i18n, Msg};
use crate::pages::sign_in::SignInFirst;
use crate::session::use_auth;

/// Name, language (stored with the person and used for their mail), password, sign out.
#[component]
pub fn Profile() -> impl IntoView {
    let auth = use_auth();
    move || match auth.me.get() {
        Some(_) => view! { <ProfileForms /> }.into_any(),
        None if auth.checked.get() => view! { <SignInFirst /> }.into_any(),
        None => ().into_any(),
    }
}

#[component]
fn ProfileForms() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let me = auth.me.get_untracked();
    let name = RwSignal::new(me.as_ref().map(|m| m.name.clone()).unwrap_or_default());

    let save = Action::new_local(|req: &UpdateMeRequest| {
        let req = req.clone();
        async move { client::update_me(&req).await }
    });
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(me)) = save.value().get() {
            auth.signed_in(me);
        }
    });
    // The language switch changes the app at once; it is stored with the person too.
    Effect::new(move |prev: Option<&'static str>| {
        let tag = i18n.locale.get().tag();
        let stored = auth.me.get_untracked().map(|m| m.locale);
        if prev.is_some() && stored.as_deref() != Some(tag) {
            save.dispatch(UpdateMeRequest {
                name: None,
                locale: Some(tag.to_owned()),
            });
        }
        tag
    });

    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = Action::new_local(|req: &ChangePasswordRequest| {
        let req = req.clone();
        async move { client::change_password(&req).await }
    });
    let change_error = Signal::derive(move || change.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            new.set(String::new());
        }
    });

    let sign_out = Action::new_local(|_: &()| async move { client::sign_out().await });
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            auth.signed_out();
            navigate("/sign-in", Default::default());
        }
    });

    let role = move || {
        auth.me
            .get()
            .map(|m| i18n::role_name(i18n.locale.get(), &m.role))
            .unwrap_or_default()
    };
    let email = move || auth.me.get().map(|m| m.email).unwrap_or_default();
    let org = move || auth.me.get().and_then(|m| m.organization).map(|o| o.name);

    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::ProfileTitle)}</h1>
        <div class="grid">
            <section class="card">
                <dl class="kv">
                    <div class="kv__row"><dt>{i18n.tr(Msg::Email)}</dt><dd data-testid="profile-email">{email}</dd></div>
                    <div class="kv__row"><dt>{i18n.tr(Msg::Role)}</dt><dd data-testid="profile-role">{role}</dd></div>
                    {move || org().map(|o| view! { <div class="kv__row"><dt>{i18n.tr(Msg::Organization)}</dt><dd data-testid="profile-org">{o}</dd></div> })}
                </dl>
                <form class="stack" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch(UpdateMeRequest { name: Some(name.get_untracked()), locale: None });
                } novalidate=true>
                    <TextField label=Msg::Name name="name" value=name error=save_error autocomplete="name" />
                    <ErrorBox error=save_error />
                    <button class="button button--secondary" type="submit" data-testid="profile-save" disabled=move || save.pending().get()>
                        {i18n.tr(Msg::Save)}
                    </button>
                    {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                        <p class="notice notice--ok" role="status" data-testid="profile-saved">{i18n.t(Msg::Saved)}</p>
                    })}
                </form>
                <div class="field">
                    <span class="field__label">{i18n.tr(Msg::Language)}</span>
                    <LanguageSwitch />
                </div>
            </section>
            <section class="card">
                <h2 class="card__title">{i18n.tr(Msg::ChangePasswordTitle)}</h2>
                <p class="muted">{i18n.tr(Msg::ChangePasswordHint)}</p>
                <form class="stack" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    change.dispatch(ChangePasswordRequest {
                        current_password: current.get_untracked(),
                        new_password: new.get_untracked(),
                    });
                } novalidate=true data-testid="password-form">
                    <TextField label=Msg::CurrentPassword name="current_password" value=current error=change_error kind="password" autocomplete="current-password" />
                    <TextField label=Msg::NewPassword name="new_password" value=new error=change_error kind="password" autocomplete="new-password" hint=Msg::PasswordHint />
                    <ErrorBox error=change_error />
                    <button class="button" type="submit" data-testid="password-submit" disabled=move || change.pending().get()>
                        {i18n.tr(Msg::ChangePasswordTitle)}
                    </button>
                    {move || matches!(change.value().get(), Some(Ok(()))).then(|| view! {
                        <p class="notice notice--ok" role="status" data-testid="password-changed">{i18n.t(Msg::PasswordChanged)}</p>
                    })}
                </form>
            </section>
        </div>
        <button class="button button--secondary" type="button" data-testid="sign-out" on:click=move |_| { sign_out.dispatch(()); }>
            {i18n.tr(Msg::SignOut)}
        </button>
    }
}
