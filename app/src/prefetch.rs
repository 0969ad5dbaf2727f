//! The reads `boot.js` starts before the wasm has loaded: the session and the first screen's
//! data travel while the app downloads, instead of one after another once it runs. Each answer
//! is taken once, by the first read of the same URL; `boot.js` forgets them all after 10 s, so a
//! screen opened later never shows an old answer.

use js_sys::{Map, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The status and text `boot.js` received for `url` (`/api/v1/...`), if it asked for it and
/// the answer arrived; `None` sends the read to the network as usual.
pub async fn take(url: &str) -> Option<(u16, String)> {
    let reads: Map = Reflect::get(&leptos::prelude::window(), &"__pointdeskReads".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let key = JsValue::from_str(url);
    let promise: Promise = reads.get(&key).dyn_into().ok()?;
    reads.delete(&key);
    let answer = JsFuture::from(promise).await.ok()?;
    let field = |name: &str| Reflect::get(&answer, &name.into()).ok();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let status = field("status")?.as_f64()? as u16;
    Some((status, field("text")?.as_string()?))
}
