use leptos::prelude::*;
use pointdesk_api::tickets::{CancellationChargeDto, CauseRequest};

use crate::client::{ApiError, TicketChange};
use crate::components::charge_confirm::ChargeConfirm;
use crate::components::text_field::TextField;
use crate::components::ticket_change::ChangeAction;
use crate::i18n::{use_i18n, Msg};

/// The engineer sets a resolved incident's cause once, with an explanation the client reads.
/// Client caused charges at once, so saving it first says what it will charge (`preview`, the
/// server's figure) and waits for a confirmation.
#[component]
pub fn CauseForm(
    act: ChangeAction,
    #[prop(into)] error: Signal<Option<ApiError>>,
    preview: Option<CancellationChargeDto>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cause = RwSignal::new("standard");
    let explanation = RwSignal::new(String::new());
    let asking = RwSignal::new(false);
    let send = move || {
        asking.set(false);
        act.dispatch(TicketChange::Cause(CauseRequest {
            cause: cause.get_untracked().to_owned(),
            explanation: explanation.get_untracked(),
        }));
    };
    let charges = preview.clone().filter(|c| c.points.0.hundredths() > 0);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if cause.get_untracked() == "client_caused" && charges.is_some() {
            asking.set(true);
        } else {
            send();
        }
    };
    let confirm = Callback::new(move |()| send());
    let back = Callback::new(move |()| asking.set(false));
    let choice = move |code: &'static str, label: Msg| {
        view! {
            <label class="choice">
                <input type="radio" name="cause" value=code prop:checked=move || cause.get() == code on:change=move |_| cause.set(code) />
                {i18n.tr(label)}
            </label>
        }
    };
    view! {
        <form class="stack" on:submit=submit novalidate=true data-testid="cause-form">
            <fieldset class="choices">
                {choice("standard", Msg::CauseStandard)}
                {choice("client_caused", Msg::CauseClient)}
            </fieldset>
            <TextField label=Msg::Explanation name="explanation" value=explanation error=error />
            <button class="button" type="submit" disabled=act.busy()>{i18n.tr(Msg::Save)}</button>
            {move || (asking.get() && cause.get() == "client_caused").then(|| preview.clone()).flatten()
                .map(|c| view! { <ChargeConfirm charge=c confirm=confirm back=back /> })}
        </form>
    }
}
