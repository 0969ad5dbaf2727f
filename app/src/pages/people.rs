use leptos::prelude::*;
use pointdesk_api::organizations::{InviteUserRequest, UserDto};
use pointdesk_domain::policy::Role;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::remote::{remote, Remote};
use crate::components::text_field::TextField;
use crate::i18n::{self, use_i18n, Msg};
use crate::session::use_auth;
use crate::writes::{busy, error_of, on_success, succeeded, use_write};

/// People: a manager sees the provider's staff and every client's people, a client admin
/// their colleagues. Both invite (the link goes out by mail) and deactivate.
#[component]
pub fn People() -> impl IntoView {
    let i18n = use_i18n();
    let list = Remote::new(client::users);
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavPeople)}</h1>
        <div class="grid">
            <section class="card">
                {remote(list, move |l| view! { <PeopleList items=l.items on_change=move || list.refetch() /> })}
            </section>
            <Invite on_invited=move || list.refetch() />
        </div>
    }
}

#[component]
fn PeopleList(
    items: Vec<UserDto>,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let me = auth.me.get_untracked().map(|m| m.id);
    let deactivate = use_write();
    let error = error_of(deactivate);
    on_success(deactivate, move |_| on_change());
    view! {
        <ErrorBox error=error />
        <ul class="rows" data-testid="people-list">
            {items.into_iter().map(|u| {
                let id = u.id;
                let role = u.role;
                let org = u.organization.map(|o| o.name);
                let status = if !u.active { Some(Msg::Deactivated) } else if u.invited { Some(Msg::Invited) } else { None };
                let can_deactivate = u.active && Some(id) != me;
                view! {
                    <li class="row" data-testid="person-row" data-email=u.email.clone()>
                        <div class="row__main">
                            <span class="row__title">{u.name.clone()}</span>
                            <span class="row__meta">
                                {u.email.clone()} " · " {move || i18n::role_name(i18n.locale.get(), role)}
                                {org.map(|o| view! { " · " {o} })}
                                {status.map(|s| view! { " · " <strong data-testid="person-status">{move || i18n.t(s)}</strong> })}
                            </span>
                        </div>
                        {can_deactivate.then(|| view! {
                            <button class="button-quiet" type="button" data-testid="deactivate"
                                on:click=move |_| { deactivate.dispatch(client::deactivate_user(id)); }>
                                {i18n.tr(Msg::Deactivate)}
                            </button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Invite(on_invited: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let manager = auth.role_now() == Some(Role::Manager);
    let orgs = Remote::maybe(move || manager.then(client::organizations));
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(
        if manager {
            Role::Engineer
        } else {
            Role::ClientUser
        }
        .as_str()
        .to_owned(),
    );
    let org = RwSignal::new(None::<i64>);
    let invite = use_write();
    let error = error_of(invite);
    on_success(invite, move |_| {
        email.set(String::new());
        name.set(String::new());
        on_invited();
    });
    let roles: Vec<Role> = if manager {
        vec![
            Role::Engineer,
            Role::Manager,
            Role::ClientAdmin,
            Role::ClientUser,
        ]
    } else {
        vec![Role::ClientUser, Role::ClientAdmin]
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = role.get_untracked();
        let client_role = pointdesk_api::accounts::parse_role(&r).is_ok_and(Role::is_client);
        invite.dispatch(client::invite_user(&InviteUserRequest {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: r,
            organization_id: if manager && client_role {
                org.get_untracked()
            } else {
                None
            },
            locale: None,
        }));
    };
    let needs_org = move || {
        manager && pointdesk_api::accounts::parse_role(&role.get()).is_ok_and(Role::is_client)
    };
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(Msg::InviteTitle)}</h2>
            <p class="muted">{i18n.tr(Msg::InviteHint)}</p>
            <form class="stack" on:submit=submit novalidate=true data-testid="invite-form">
                <TextField label=Msg::Email name="email" value=email error=error kind="email" />
                <TextField label=Msg::Name name="name" value=name error=error />
                <div class="field">
                    <label class="field__label" for="field-role">{i18n.tr(Msg::Role)}</label>
                    <select id="field-role" class="field__input" data-testid="input-role"
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        {roles.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r.as_str()>{move || i18n::role_name(i18n.locale.get(), r)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=needs_org>
                    <div class="field">
                        <label class="field__label" for="field-organization_id">{i18n.tr(Msg::Organization)}</label>
                        <select id="field-organization_id" class="field__input" data-testid="input-organization_id"
                            on:change=move |ev| org.set(event_target_value(&ev).parse().ok())>
                            <option value="">"—"</option>
                            {move || orgs.ok().map(|l| l.items.into_iter().map(|o| view! {
                                <option value=o.id.to_string()>{o.name.clone()}</option>
                            }).collect_view())}
                        </select>
                        {move || error.get().and_then(|e| e.problem().and_then(|p| p.field("organization_id").cloned())).map(|f| view! {
                            <p class="field__error" data-testid="error-organization_id">{i18n::field_error(i18n.locale.get(), &f)}</p>
                        })}
                    </div>
                </Show>
                <ErrorBox error=error />
                <button class="button" type="submit" data-testid="invite-submit" disabled=busy(invite)>
                    {i18n.tr(Msg::SendInvitation)}
                </button>
                {move || succeeded(invite).then(|| view! {
                    <p class="notice notice--ok" role="status" data-testid="invited">{i18n.t(Msg::InvitationSent)}</p>
                })}
            </form>
        </section>
    }
}
