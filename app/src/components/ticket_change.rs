use leptos::prelude::*;
use pointdesk_api::tickets::TicketDto;

use crate::client::{self, ApiError, TicketChange};

/// A change on its way, and its answer.
pub type ChangeAction = Action<TicketChange, Result<TicketDto, ApiError>>;

/// The one way a ticket screen changes its ticket: dispatch a [`TicketChange`]; when it lands,
/// `done` reloads the screen. The last answer's error (if any) is for the panel to show.
pub fn use_change(id: i64, done: Callback<()>) -> (ChangeAction, Signal<Option<ApiError>>) {
    let action = Action::new_local(move |c: &TicketChange| {
        let c = c.clone();
        async move { client::change_ticket(id, &c).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            done.run(());
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    (action, error)
}
