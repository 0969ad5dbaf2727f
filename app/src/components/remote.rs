use leptos::prelude::*;

use crate::client::ApiError;
use crate::components::error_box::ErrorBox;
use crate::i18n::{use_i18n, Msg};

/// A read from the API: "Loading…" until the first answer, the error in the user's language if
/// it fails, else `render`'s view (kept while a refetch travels). Rendered through `AnyView`,
/// so every screen shares one copy of this path.
pub fn remote<T, V>(
    res: LocalResource<Result<T, ApiError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    move || match res.get() {
        None => {
            view! { <p class="muted" data-testid="loading">{i18n.tr(Msg::Loading)}</p> }.into_any()
        }
        Some(Ok(v)) => render(v).into_any(),
        Some(Err(e)) => {
            let e = Some(e);
            view! { <ErrorBox error=Signal::derive(move || e.clone()) /> }.into_any()
        }
    }
}
