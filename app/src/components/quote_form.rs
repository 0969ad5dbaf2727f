use leptos::prelude::*;
use pointdesk_api::tickets::{QuoteRequest, TicketDto};
use pointdesk_api::WirePoints;

use crate::client::{ApiError, TicketChange};
use crate::components::text_field::TextField;
use crate::components::ticket_change::ChangeAction;
use crate::i18n::{use_i18n, Msg};

/// An engineer's quote (or its revision): points (the catalogue's estimate to start from), the
/// scope the client reads, and how many days it stays open.
#[component]
pub fn QuoteForm(
    ticket: TicketDto,
    act: ChangeAction,
    #[prop(into)] error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let points = RwSignal::new(
        ticket
            .catalogue
            .as_ref()
            .and_then(|c| c.estimate)
            // In the reader's notation: "3,00" in Russian, "3.00" in English.
            .map(|p| crate::format::points(i18n.locale.get_untracked(), p))
            .unwrap_or_default(),
    );
    let scope = RwSignal::new(String::new());
    let days = RwSignal::new("14".to_owned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(p) = points.get_untracked().trim().replace(',', ".").parse() else {
            act.value()
                .set(Some(Err(ApiError::field("points", "malformed"))));
            return;
        };
        act.dispatch(TicketChange::Quote(QuoteRequest {
            points: WirePoints(p),
            scope: scope.get_untracked(),
            valid_days: days.get_untracked().trim().parse().unwrap_or(0),
        }));
    };
    view! {
        <form class="stack" on:submit=submit novalidate=true data-testid="quote-form">
            <TextField label=Msg::Points name="points" value=points error=error />
            <TextField label=Msg::Scope name="scope" value=scope error=error />
            <TextField label=Msg::ValidDays name="valid_days" value=days error=error kind="number" />
            <button class="button" type="submit" disabled=act.busy()>{i18n.tr(Msg::SendQuote)}</button>
        </form>
    }
}
