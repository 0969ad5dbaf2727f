use leptos::prelude::*;
use pointdesk_api::tickets::CommentRequest;

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::ticket_change::use_change;
use crate::i18n::{self, use_i18n, Msg};

/// A comment; provider staff may mark it internal (never shown to the client).
#[component]
pub fn CommentBox(id: i64, staff: bool, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (act, error) = use_change(id, done);
    let body = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    crate::writes::on_success(act.write, move |_| body.set(String::new()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act.dispatch(TicketChange::Comment(CommentRequest {
            body: body.get_untracked(),
            internal: internal.get_untracked(),
        }));
    };
    view! {
        <form class="card stack" on:submit=submit novalidate=true data-testid="comment-form">
            <label class="field">
                <span class="field__label">{i18n.tr(Msg::Comment)}</span>
                <textarea class="field__input" rows="3" name="body" prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                {move || error.get().and_then(|e| e.problem().and_then(|p| p.field("body").cloned()))
                    .map(|f| view! { <span class="field__error">{i18n::field_error(i18n.locale.get(), &f)}</span> })}
            </label>
            {staff.then(|| view! {
                <label class="choice">
                    <input type="checkbox" data-testid="internal" prop:checked=move || internal.get()
                        on:change=move |ev| internal.set(event_target_checked(&ev)) />
                    {i18n.tr(Msg::Internal)}
                </label>
            })}
            <button class="button" type="submit" disabled=act.busy()>{i18n.tr(Msg::Send)}</button>
            <ErrorBox error=error />
        </form>
    }
}
