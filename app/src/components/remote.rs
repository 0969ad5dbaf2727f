use std::marker::PhantomData;
use std::sync::Arc;

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::client::{self, ApiError, Read};
use crate::components::error_box::ErrorBox;
use crate::i18n::{use_i18n, Msg};

/// A read from the API, typed by what it answers. Every read is the same `LocalResource` of the
/// answer's text, parsed on the way out: one copy of the resource machinery for the whole app
/// instead of one per answer type and call site (it was ~6 KB of wasm each).
pub struct Remote<T> {
    text: LocalResource<Result<String, ApiError>>,
    /// serde's parse (`client::parse_text`), or one of `crate::flat_reads`.
    parse: fn(&str) -> Result<T, ApiError>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Remote<T> {}

type PathFn = Arc<dyn Fn() -> Option<Read> + Send + Sync>;

fn text_resource(read: PathFn) -> LocalResource<Result<String, ApiError>> {
    LocalResource::new(move || {
        let read = read();
        async move {
            match read {
                Some(r) => client::get_text(&r).await,
                None => Err(ApiError::Unexpected(0)),
            }
        }
    })
}

/// The text of a read while `path` names one (signals it uses make it read again), for a
/// read that is not drawn as a screen (the bell's count).
pub fn text_while(
    path: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> LocalResource<Result<String, ApiError>> {
    text_resource(Arc::new(move || {
        path().map(|path| Read { path, also_ok: &[] })
    }))
}

impl<T: DeserializeOwned> Remote<T> {
    /// Reads what `read` names; signals `read` uses make it read again when they change.
    pub fn new(read: impl Fn() -> client::Typed<T> + Send + Sync + 'static) -> Remote<T> {
        Remote::maybe(move || Some(read()))
    }

    /// Reads only while `read` names something (a manager-only list for a manager).
    pub fn maybe(read: impl Fn() -> Option<client::Typed<T>> + Send + Sync + 'static) -> Remote<T> {
        Remote::flat(read, client::parse_text::<T>)
    }
}

impl<T> Remote<T> {
    /// [`Remote::maybe`] whose answer `parse` builds (one of `crate::flat_reads`: no serde).
    pub fn flat(
        read: impl Fn() -> Option<client::Typed<T>> + Send + Sync + 'static,
        parse: fn(&str) -> Result<T, ApiError>,
    ) -> Remote<T> {
        Remote {
            text: text_resource(Arc::new(move || read().map(|t| t.read))),
            parse,
            _t: PhantomData,
        }
    }

    /// `None` until the first answer.
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        let parse = self.parse;
        self.text.get().map(|r| r.and_then(|text| parse(&text)))
    }

    /// The value, if it arrived and parsed.
    pub fn ok(&self) -> Option<T> {
        self.get().and_then(Result::ok)
    }

    pub fn refetch(&self) {
        self.text.refetch();
    }
}

/// Parses a read's text and draws it, or says why not.
type Draw = Arc<dyn Fn(&str) -> Result<AnyView, ApiError> + Send + Sync>;

/// A read from the API: "Loading…" until the first answer, the error in the user's language if
/// it fails, else `render`'s view (kept while a refetch travels). Only the parse and `render`
/// are per answer type; the reactive path that shows them is one function for the whole app
/// ([`shown`]), which made each screen's read ~3 KB lighter in the bundle.
pub fn remote<T, V>(
    res: Remote<T>,
    render: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: 'static,
    V: IntoView + 'static,
{
    let parse = res.parse;
    shown(
        res.text,
        Arc::new(move |text| parse(text).map(|v| render(v).into_any())),
    )
}

/// A read whose text the screen draws itself (a CSV, a flat object): no serde type behind it.
pub fn remote_text(
    path: String,
    render: impl Fn(String) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    remote_text_at(move || path.clone(), render)
}

/// [`remote_text`] of a path that may change (read again whenever a signal it reads changes:
/// a screen bumps a counter to read again after a write).
pub fn remote_text_at(
    path: impl Fn() -> String + Send + Sync + 'static,
    render: impl Fn(String) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    remote_text_also(path, &[], render)
}

/// [`remote_text_at`] that also draws answers of the `also_ok` statuses (a degraded health
/// check answers 503 with the same body).
pub fn remote_text_also(
    path: impl Fn() -> String + Send + Sync + 'static,
    also_ok: &'static [u16],
    render: impl Fn(String) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let text = text_resource(Arc::new(move || {
        Some(Read {
            path: path(),
            also_ok,
        })
    }));
    shown(text, Arc::new(move |t| Ok(render(t.to_owned()))))
}

fn shown(text: LocalResource<Result<String, ApiError>>, draw: Draw) -> AnyView {
    let i18n = use_i18n();
    let failed = |e: ApiError| {
        let e = Some(e);
        view! { <ErrorBox error=Signal::derive(move || e.clone()) /> }.into_any()
    };
    (move || match text.get() {
        None => {
            view! { <p class="muted" data-testid="loading">{i18n.tr(Msg::Loading)}</p> }.into_any()
        }
        Some(Ok(t)) => draw(&t).unwrap_or_else(failed),
        Some(Err(e)) => failed(e),
    })
    .into_any()
}
