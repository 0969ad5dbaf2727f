use leptos::prelude::*;
use pointdesk_api::wire_enums::TicketStatus;

use crate::client::ApiError;
use crate::components::error_box::ErrorBox;
use crate::flat_json::{fields, Fields};
use crate::i18n::{use_i18n, I18n, Msg};
use crate::offline::use_sw;

/// The ticket's changes made offline: "waiting to send" until the service worker delivers them
/// (the ticket then reads again: `Sw::sent`); one the server refused (the ticket changed
/// meanwhile) shows why, with "send again" and "discard": nothing queued leaves without the
/// engineer seeing it.
#[component]
pub fn OutboxCard(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let sw = use_sw();
    move || {
        let list = sw.outbox(id);
        (!list.is_empty()).then(|| {
            view! {
                <section class="card stack outbox" data-testid="outbox">
                    <h2 class="card__title">{i18n.tr(Msg::WaitingToSend)}</h2>
                    <ul class="outbox__list">{list.into_iter().map(|i| item(i18n, &i)).collect_view()}</ul>
                </section>
            }
        })
    }
}

fn item(i18n: I18n, i: &Fields) -> impl IntoView {
    let n = i.get("n");
    let body = fields(&i.get("body"));
    let what = match i.get("op").as_str() {
        "work" => format!(
            "+{} {} {}",
            body.get("minutes"),
            i18n.t(Msg::Minutes),
            body.get("note")
        ),
        "comment" => body.get("body"),
        "status" => TicketStatus::parse(&body.get("status"))
            .map(|s| crate::i18n::status_name(i18n.locale.get_untracked(), s).to_owned())
            .unwrap_or_default(),
        "timer_start" => i18n.t(Msg::TimerStarted).to_owned(),
        _ => i18n.t(Msg::TimerStopped).to_owned(),
    };
    let refused = i.get("state") == "refused";
    let problem = refused.then(|| {
        crate::json::from_str(&i.get("problem"))
            .map(ApiError::Problem)
            .unwrap_or(ApiError::Unexpected(0))
    });
    #[allow(clippy::cast_precision_loss)]
    let at = crate::format::time_today(i18n.locale.get_untracked(), i.int("at") as f64);
    view! {
        <li class="outbox__item" class:outbox__item--refused=refused data-testid="outbox-item" data-state=i.get("state")>
            <span class="outbox__what">{what}</span>
            <span class="muted">{at}" · "{i18n.tr(if refused { Msg::NotSent } else { Msg::WaitingToSend })}</span>
            {problem.map(|p| view! {
                <ErrorBox error=Signal::stored(Some(p)) />
                <div class="outbox__actions">
                    <button type="button" class="button" data-sw=format!("retry:{n}") data-testid="outbox-retry">{i18n.tr(Msg::SendAgain)}</button>
                    <button type="button" class="button button--secondary" data-sw=format!("discard:{n}") data-testid="outbox-discard">{i18n.tr(Msg::Discard)}</button>
                </div>
            })}
        </li>
    }
}
