use leptos::prelude::*;
use pointdesk_api::wire_enums::TicketStatus;

use crate::flat_json::fields;
use crate::i18n::{self, use_i18n, Msg};

/// Everything that happened to a ticket (`getTicketTimeline`'s answer, read flat: a serde type
/// for it cost the bundle more than these few fields), oldest first, with who and when; ledger
/// effects show the points and the balance after.
pub fn timeline_view(text: String) -> AnyView {
    let i18n = use_i18n();
    let items = fields(&text).list("items");
    view! {
        <ol class="timeline" data-testid="timeline">
            {items.into_iter().map(|e| {
                let kind = e.get("kind");
                let status = Some(e.get("status")).filter(|s| !s.is_empty());
                let internal = e.flag("internal");
                let label = match kind.as_str() {
                    "opened" => Msg::EventOpened,
                    "status" => Msg::EventStatus,
                    "assigned" => Msg::EventAssigned,
                    "comment" => Msg::EventComment,
                    "work" => Msg::EventWork,
                    "quote" => Msg::EventQuote,
                    "quote_approved" => Msg::EventQuoteApproved,
                    "quote_declined" => Msg::EventQuoteDeclined,
                    "quote_expired" => Msg::EventQuoteExpired,
                    "cause" => Msg::EventCause,
                    "dispute_opened" => Msg::EventDisputeOpened,
                    "dispute_decided" => Msg::EventDisputeDecided,
                    "reclassified" => Msg::EventReclassified,
                    "confirmed" => Msg::EventConfirmed,
                    "reopened" => Msg::EventReopened,
                    "auto_closed" => Msg::EventAutoClosed,
                    "approval_recorded" => Msg::RecordedApproval,
                    "approval_disputed" => Msg::EventApprovalDisputed,
                    "priority" => Msg::EventPriority,
                    "awaiting_client" if status.as_deref() == Some("answered") => Msg::EventAwaitingOver,
                    "awaiting_client" => Msg::EventAwaitingClient,
                    "sla_warning" => Msg::EventSlaWarning,
                    "sla_breach" => Msg::EventSlaBreach,
                    _ => Msg::EventLedger,
                };
                // A reclassification names classes, a recorded approval its channel.
                let status = match (kind.as_str(), status.as_deref()) {
                    ("reclassified", Some(c)) => Some(format!("class:{c}")),
                    ("approval_recorded", Some(c)) => Some(format!("channel:{c}")),
                    ("priority", Some(p)) => Some(format!("priority:{p}")),
                    ("awaiting_client", _) => None,
                    _ => status.clone(),
                };
                let entry = e.sub("entry");
                let entry = entry.points("amount").zip(entry.points("balance_after")).map(|(a, b)| (entry.get("kind"), a, b));
                let (points, at) = (e.points("points"), e.int("at"));
                let minutes = Some(e.get("minutes")).filter(|m| !m.is_empty());
                let who = e.sub("actor").get("name");
                let person = Some(e.sub("person").get("name")).filter(|p| !p.is_empty());
                let text = Some(e.get("text")).filter(|t| !t.is_empty());
                view! {
                    <li class="timeline__item" class:timeline__item--internal=internal data-kind=kind>
                        <span class="timeline__head">
                            <strong>{i18n.tr(label)}</strong>
                            {move || status.as_deref().map(|s| format!(": {}", match s {
                                "class:incident" => i18n.t(Msg::ClassIncident).to_owned(),
                                "class:standard" => i18n.t(Msg::ClassStandard).to_owned(),
                                "class:quoted" => i18n.t(Msg::ClassQuoted).to_owned(),
                                "channel:phone" => i18n.t(Msg::ChannelPhone).to_owned(),
                                "channel:email" => i18n.t(Msg::ChannelEmail).to_owned(),
                                "channel:in_person" => i18n.t(Msg::ChannelInPerson).to_owned(),
                                "client_caused" => i18n.t(Msg::CauseClient).to_owned(),
                                "standard" => i18n.t(Msg::CauseStandard).to_owned(),
                                "upheld" => i18n.t(Msg::DisputeUpheld).to_owned(),
                                p if p.starts_with("priority:") => i18n::priority_name(i18n.locale.get(), &p[9..]).to_owned(),
                                "rejected" => i18n.t(Msg::DisputeRejected).to_owned(),
                                other => TicketStatus::parse(other).map_or_else(|| other.to_owned(), |t| i18n::status_name(i18n.locale.get(), t).to_owned()),
                            }))}
                            {person.map(|p| format!(": {p}"))}
                            {move || minutes.clone().map(|m| format!(" · {m} {}", i18n.t(Msg::Minutes)))}
                            {move || points.map(|p| format!(" · {}", i18n::points(i18n.locale.get(), p)))}
                            {internal.then(|| view! { <span class="badge">{i18n.tr(Msg::Internal)}</span> })}
                        </span>
                        {text.map(|t| view! { <span class="timeline__text">{t}</span> })}
                        {entry.map(|(entry_kind, amount, after)| {
                            view! {
                                <span class="timeline__text" data-testid="ledger-effect">
                                    {i18n.tr(match entry_kind.as_str() {
                                        "charge" => Msg::Charged,
                                        "refund" => Msg::Refunded,
                                        _ => Msg::EventLedger,
                                    })}" "{i18n.pts(amount)}
                                    " → "{i18n.tr(Msg::BalanceColumn)}" "{i18n.pts(after)}
                                </span>
                            }
                        })}
                        <span class="row__meta">{who}" · "{i18n.when(at)}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
