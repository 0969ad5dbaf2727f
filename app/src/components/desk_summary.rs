use leptos::prelude::*;

use crate::components::remote::remote_text;
use crate::flat_json::{self, Fields};
use crate::i18n::{use_i18n, I18n, Msg};

/// What waits for the person on their home (`getDesk`, read flat): staff see how many tickets
/// each queue holds (a tap opens the queue); client people see the decisions that are theirs to
/// make — quotes, charges open to dispute, approvals recorded in their name, fixes to confirm.
#[component]
pub fn DeskSummary() -> impl IntoView {
    remote_text("/desk".to_owned(), |text| {
        let d = flat_json::fields(&text);
        let i18n = use_i18n();
        let queues = d.list("queues");
        if !queues.is_empty() {
            return view! {
                <section class="card" data-testid="queue-counts">
                    <h2 class="card__title">{i18n.tr(Msg::YourQueues)}</h2>
                    <ul class="counts">
                        {queues.into_iter().map(|q| {
                            let queue = q.get("queue");
                            let label = match queue.as_str() {
                                "unassigned" => Msg::QueueUnassigned,
                                "mine" => Msg::QueueMine,
                                "awaiting_client" => Msg::QueueAwaiting,
                                "overdue" => Msg::QueueOverdue,
                                "disputes" => Msg::QueueDisputes,
                                _ => Msg::QueueOpen,
                            };
                            view! {
                                <li>
                                    <a class="count" href=format!("/tickets?queue={queue}") data-testid=format!("count-{queue}")>
                                        <span class="count__value">{q.get("count")}</span>
                                        <span class="count__label">{i18n.tr(label)}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
            .into_any();
        }
        let decisions = d.list("decisions");
        let empty = decisions.is_empty();
        view! {
            <section class="card" data-testid="decisions">
                <h2 class="card__title">{i18n.tr(Msg::WaitingForYou)}</h2>
                {empty.then(|| view! { <p class="muted">{i18n.tr(Msg::NothingWaiting)}</p> })}
                <ul class="rows">
                    {decisions.into_iter().map(|x| decision(i18n, x)).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    })
}

fn decision(i18n: I18n, d: Fields) -> impl IntoView {
    let kind = d.get("kind");
    let label = match kind.as_str() {
        "quote" => Msg::DecisionQuote,
        "charge" => Msg::DecisionCharge,
        "approval" => Msg::DecisionApproval,
        _ => Msg::DecisionConfirmation,
    };
    let scope = Some(d.get("scope")).filter(|s| !s.is_empty());
    let until = Some(d.int("until")).filter(|u| *u > 0);
    view! {
        <li class="row row--stack" data-testid="decision" data-kind=kind>
            <a class="row__title link" href=format!("/tickets/{}", d.int("ticket_id"))>
                {i18n.tr(label)}": #"{d.get("ticket_number")}" "{d.get("title")}
            </a>
            <span class="row__meta">
                {d.points("points").map(|p| view! { <strong>{i18n.pts(p)}</strong>" " })}
                {scope.map(|s| view! { <span>{s}" "</span> })}
                {until.map(|u| view! { <span>{i18n.tr(Msg::UntilWord)}" "{i18n.when(u)}</span> })}
            </span>
        </li>
    }
}
