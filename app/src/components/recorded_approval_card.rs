use leptos::prelude::*;
use pointdesk_api::tickets::{DisputeRequest, RecordedApprovalDto};

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

/// An approval a manager recorded in a client admin's name: who, how, when, by whom; the
/// admin it names may say it was not them until the dispute window closes.
#[component]
pub fn RecordedApprovalCard(
    id: i64,
    approval: RecordedApprovalDto,
    me: i64,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (act, error) = use_change(id, done);
    let reason = RwSignal::new(String::new());
    let how = match approval.channel.as_str() {
        "phone" => Msg::ChannelPhone,
        "email" => Msg::ChannelEmail,
        _ => Msg::ChannelInPerson,
    };
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let may_dispute = approval.approver.id == me
        && approval.disputed_at.is_none()
        && now < approval.dispute_until;
    let quote = approval.quote_id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act.dispatch(TicketChange::DisputeApproval(
            quote,
            DisputeRequest {
                reason: reason.get_untracked(),
            },
        ));
    };
    view! {
        <div class="notice stack" data-testid="recorded-approval">
            <p><strong>{i18n.tr(Msg::RecordedApproval)}</strong>": "{approval.approver.name.clone()}
                " · "{i18n.tr(how)}" · "{i18n.when(approval.approved_at)}</p>
            <p class="muted">{i18n.tr(Msg::RecordedBy)}" "{approval.recorded_by.name.clone()}</p>
            {(!approval.note.is_empty()).then(|| view! { <p>{approval.note.clone()}</p> })}
            {approval.disputed_at.map(|_| view! {
                <p data-testid="approval-disputed"><strong>{i18n.tr(Msg::ApprovalDisputedNote)}</strong></p>
            })}
            {may_dispute.then(|| view! {
                <form class="stack" on:submit=submit novalidate=true data-testid="dispute-approval">
                    <TextField label=Msg::Reason name="reason" value=reason error=error />
                    <button class="button button--secondary" type="submit" disabled=act.busy()>{i18n.tr(Msg::NotMyApproval)}</button>
                </form>
            })}
            <ErrorBox error=error />
        </div>
    }
}
