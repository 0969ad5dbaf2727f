use leptos::either::Either;
use leptos::prelude::*;

use crate::client::ApiError;
use crate::components::error_box::ErrorBox;
use crate::i18n::{use_i18n, Msg};

/// A read from the API: "Loading…" while it travels, the error in the user's language if it
/// fails, else `render`'s view. Keeps the previous view while a refetch travels.
pub fn remote<T, V>(
    res: LocalResource<Result<T, ApiError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + Send + 'static,
{
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="muted" data-testid="loading">{i18n.t(Msg::Loading)}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match res.await {
                        // Type-erased: every screen shares one copy of this path.
                        Ok(v) => Either::Left(render(v).into_any()),
                        Err(e) => {
                            let e = Some(e);
                            Either::Right(view! { <ErrorBox error=Signal::derive(move || e.clone()) /> })
                        }
                    }
                })
            }}
        </Transition>
    }
}
