use leptos::prelude::*;

use crate::client::{self, ApiError, TicketChange};
use crate::writes::{error_of, on_success, use_write, WriteAction};

/// A ticket's changes on their way, through the app's one write action.
#[derive(Clone, Copy)]
pub struct ChangeAction {
    pub write: WriteAction,
    id: i64,
}

impl ChangeAction {
    pub fn dispatch(&self, change: TicketChange) {
        self.write.dispatch(client::change_ticket(self.id, &change));
    }
    /// "Is a change on its way?", the same closure type as every other waiting button's.
    pub fn busy(&self) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
        crate::writes::busy(self.write)
    }
    /// The last answer (a screen may set a field error found before sending).
    pub fn value(&self) -> MappedSignal<Option<Result<String, ApiError>>> {
        self.write.value()
    }
}

/// The one way a ticket screen changes its ticket: dispatch a [`TicketChange`]; when it lands,
/// `done` reloads the screen. The last answer's error (if any) is for the panel to show.
pub fn use_change(id: i64, done: Callback<()>) -> (ChangeAction, Signal<Option<ApiError>>) {
    let write = use_write();
    on_success(write, move |_| done.run(()));
    (ChangeAction { write, id }, error_of(write))
}
