use leptos::prelude::*;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::i18n::{use_i18n, Msg};

/// Every privileged action: who, what, when, before → after.
#[component]
pub fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let list = Remote::new(client::audit_log);
    // Known actions in the reader's language; an action this app does not know yet by its code.
    let action_text = move |code: &str| {
        let msg = match code {
            "organization.create" => Msg::AuditOrgCreate,
            "organization.update" => Msg::AuditOrgUpdate,
            "plan.create" => Msg::AuditPlanCreate,
            "plan.update" => Msg::AuditPlanUpdate,
            "user.invite" => Msg::AuditInvite,
            "user.deactivate" => Msg::AuditDeactivate,
            "password.change" => Msg::AuditPasswordChange,
            "password.reset" => Msg::AuditPasswordReset,
            other => return leptos::either::Either::Left(other.to_owned()),
        };
        leptos::either::Either::Right(i18n.tr(msg))
    };
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavAudit)}</h1>
        {remote(list, move |l| view! {
            <ul class="rows" data-testid="audit-log">
                {l.items.into_iter().map(|a| {
                    let at = a.at;
                    view! {
                        <li class="row row--stack" data-testid="audit-entry" data-action=a.action.clone()>
                            <span class="row__title">{action_text(a.action.as_str())} " · " <code>{a.object.clone()}</code></span>
                            <span class="row__meta">
                                {a.actor.clone().unwrap_or_default()} " · "
                                {i18n.when(at)}
                            </span>
                            {a.after.clone().map(|after| view! {
                                <details class="audit__diff">
                                    <summary>{i18n.tr(Msg::Changes)}</summary>
                                    {a.before.clone().map(|b| view! { <pre>{b}</pre> })}
                                    <pre>{after}</pre>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}
