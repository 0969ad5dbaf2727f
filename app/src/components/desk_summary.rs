use leptos::prelude::*;
use pointdesk_api::desk::{DecisionDto, DeskDto};

use crate::client;
use crate::components::remote::{remote, Remote};
use crate::i18n::{use_i18n, I18n, Msg};

/// What waits for the person on their home: staff see how many tickets each queue holds (a
/// tap opens the queue); client people see the decisions that are theirs to make — quotes,
/// charges open to dispute, approvals recorded in their name, fixes to confirm.
#[component]
pub fn DeskSummary() -> impl IntoView {
    let desk = Remote::new(client::desk);
    remote(desk, |d: DeskDto| {
        let i18n = use_i18n();
        if !d.queues.is_empty() {
            return view! {
                <section class="card" data-testid="queue-counts">
                    <h2 class="card__title">{i18n.tr(Msg::YourQueues)}</h2>
                    <ul class="counts">
                        {d.queues.into_iter().map(|q| {
                            let label = match q.queue.as_str() {
                                "unassigned" => Msg::QueueUnassigned,
                                "mine" => Msg::QueueMine,
                                "awaiting_client" => Msg::QueueAwaiting,
                                "overdue" => Msg::QueueOverdue,
                                "disputes" => Msg::QueueDisputes,
                                _ => Msg::QueueOpen,
                            };
                            view! {
                                <li>
                                    <a class="count" href=format!("/tickets?queue={}", q.queue) data-testid=format!("count-{}", q.queue)>
                                        <span class="count__value">{q.count}</span>
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
        let empty = d.decisions.is_empty();
        view! {
            <section class="card" data-testid="decisions">
                <h2 class="card__title">{i18n.tr(Msg::WaitingForYou)}</h2>
                {empty.then(|| view! { <p class="muted">{i18n.tr(Msg::NothingWaiting)}</p> })}
                <ul class="rows">
                    {d.decisions.into_iter().map(|x| decision(i18n, x)).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    })
}

fn decision(i18n: I18n, d: DecisionDto) -> impl IntoView {
    let kind = match d.kind.as_str() {
        "quote" => Msg::DecisionQuote,
        "charge" => Msg::DecisionCharge,
        "approval" => Msg::DecisionApproval,
        _ => Msg::DecisionConfirmation,
    };
    view! {
        <li class="row row--stack" data-testid="decision" data-kind=d.kind.clone()>
            <a class="row__title link" href=format!("/tickets/{}", d.ticket_id)>
                {i18n.tr(kind)}": #"{d.ticket_number}" "{d.title}
            </a>
            <span class="row__meta">
                {d.points.map(|p| view! { <strong>{i18n.pts(p)}</strong>" " })}
                {d.scope.map(|s| view! { <span>{s}" "</span> })}
                {d.until.map(|u| view! { <span>{i18n.tr(Msg::UntilWord)}" "{i18n.when(u)}</span> })}
            </span>
        </li>
    }
}
