use leptos::prelude::*;

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::i18n::{use_i18n, Msg};

/// The mail Pointdesk sent or is about to send. Without a mail sender (local development)
/// this is where invitation and reset links are found.
#[component]
pub fn Outbox() -> impl IntoView {
    let i18n = use_i18n();
    let list = Remote::new(client::outbox);
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavOutbox)}</h1>
        <p class="muted">{i18n.tr(Msg::OutboxHint)}</p>
        {remote(list, move |l| view! {
            <ul class="rows" data-testid="outbox">
                {l.items.into_iter().map(|m| {
                    let at = m.created_at;
                    view! {
                        <li class="mail" data-testid="mail" data-to=m.to.clone()>
                            <div class="mail__head">
                                <strong>{m.subject.clone()}</strong>
                                <span class="row__meta">{m.to.clone()} " · " {i18n.when(at)}</span>
                            </div>
                            <pre class="mail__body">{m.body.clone()}</pre>
                            // A masked link (an invitation's or a reset's secret) is for its
                            // recipient only: nothing to open here.
                            {m.link.clone().filter(|l| !l.contains("#token=")).map(|link| view! {
                                <a class="link" href=link.clone() data-testid="mail-link">{i18n.tr(Msg::OpenLink)}</a>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}
