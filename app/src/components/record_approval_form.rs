use leptos::prelude::*;
use pointdesk_api::desk::RecordApprovalRequest;

use crate::client::{self, TicketChange};
use crate::components::error_box::ErrorBox;
use crate::components::remote::{remote, Remote};
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

/// A manager records an approval a client admin gave by phone, mail or in person: who, how,
/// how long ago, a note. The points are held as if the admin had pressed "Approve"; the admin
/// is told and may say it was not them.
#[component]
pub fn RecordApprovalForm(id: i64, org: i64, quote: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (act, error) = use_change(id, done);
    let people = Remote::new(client::users);
    let approver = RwSignal::new(String::new());
    let channel = RwSignal::new("phone".to_owned());
    let ago = RwSignal::new("0".to_owned());
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let minutes: i64 = ago.get_untracked().trim().parse().unwrap_or(-1);
        let now = (js_sys::Date::now() / 1000.0) as i64;
        act.dispatch(TicketChange::RecordApproval(
            quote,
            RecordApprovalRequest {
                approver_id: approver.get_untracked().parse().unwrap_or(0),
                approved_at: now - minutes * 60,
                channel: channel.get_untracked(),
                note: note.get_untracked(),
            },
        ));
    };
    view! {
        <details class="disclosure" data-testid="record-approval">
            <summary>{i18n.tr(Msg::RecordApproval)}</summary>
            <form class="stack" on:submit=submit novalidate=true>
                {remote(people, move |list| {
                    let admins: Vec<(i64, String)> = list.items.into_iter()
                        .filter(|p| p.active && p.role == pointdesk_domain::policy::Role::ClientAdmin
                            && p.organization.as_ref().is_some_and(|o| o.id == org))
                        .map(|p| (p.id, p.name)).collect();
                    if let Some(first) = admins.first() {
                        approver.set(first.0.to_string());
                    }
                    view! {
                        <div class="field">
                            <label class="field__label" for="field-approver_id">{i18n.tr(Msg::Approver)}</label>
                            <select id="field-approver_id" class="field__input" data-testid="input-approver_id"
                                on:change=move |ev| approver.set(event_target_value(&ev))>
                                {admins.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                            </select>
                        </div>
                    }
                })}
                <SelectField label=Msg::HowApproved field="channel" value=channel
                    choices=vec![("phone", Msg::ChannelPhone), ("email", Msg::ChannelEmail), ("in_person", Msg::ChannelInPerson)] />
                <TextField label=Msg::ApprovedMinutesAgo name="approved_at" value=ago error=error kind="number" />
                <TextField label=Msg::ApprovalNote name="note" value=note error=error />
                <button class="button" type="submit" disabled=act.busy()>{i18n.tr(Msg::SaveApproval)}</button>
            </form>
            <ErrorBox error=error />
        </details>
    }
}
