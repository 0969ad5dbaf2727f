use leptos::prelude::*;
use pointdesk_api::accounts::UpdateMeRequest;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::language_switch::LanguageSwitch;
use crate::components::password_form::PasswordForm;
use crate::components::text_field::TextField;
use crate::i18n::{self, use_i18n, Msg};
use crate::pages::sign_in::SignInFirst;
use crate::session::use_auth;
use crate::writes::{busy, error_of, on_success, succeeded, use_write};

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
    let navigate = leptos_router::hooks::use_navigate();
    let me = auth.me.get_untracked();
    let name = RwSignal::new(me.as_ref().map(|m| m.name.clone()).unwrap_or_default());

    let save = use_write();
    let save_error = error_of(save);
    on_success(save, move |t| {
        if let Ok(me) = client::parse_text::<pointdesk_api::accounts::MeDto>(t) {
            auth.signed_in(me);
        }
    });
    // The language switch changes the app at once; it is stored with the person too.
    Effect::new(move |prev: Option<&'static str>| {
        let tag = i18n.locale.get().tag();
        let stored = auth.me.get_untracked().map(|m| m.locale);
        if prev.is_some() && stored.as_deref() != Some(tag) {
            save.dispatch(client::update_me(&UpdateMeRequest {
                name: None,
                locale: Some(tag.to_owned()),
            }));
        }
        tag
    });

    let sign_out = use_write();
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            auth.signed_out();
            navigate("/sign-in", Default::default());
        }
    });

    let role = move || {
        auth.me
            .get()
            .map(|m| i18n::role_name(i18n.locale.get(), m.role))
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
                    save.dispatch(client::update_me(&UpdateMeRequest { name: Some(name.get_untracked()), locale: None }));
                } novalidate=true>
                    <TextField label=Msg::Name name="name" value=name error=save_error autocomplete="name" />
                    <ErrorBox error=save_error />
                    <button class="button button--secondary" type="submit" data-testid="profile-save" disabled=busy(save)>
                        {i18n.tr(Msg::Save)}
                    </button>
                    {move || succeeded(save).then(|| view! {
                        <p class="notice notice--ok" role="status" data-testid="profile-saved">{i18n.t(Msg::Saved)}</p>
                    })}
                </form>
                <div class="field">
                    <span class="field__label">{i18n.tr(Msg::Language)}</span>
                    <LanguageSwitch />
                </div>
            </section>
            <PasswordForm />
        </div>
        <button class="button button--secondary" type="button" data-testid="sign-out" on:click=move |_| { sign_out.dispatch(client::sign_out()); }>
            {i18n.tr(Msg::SignOut)}
        </button>
    }
}
