use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

use crate::client::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote_text_at;
use crate::flat_json::{self, Fields};
use crate::format;
use crate::i18n::{self, use_i18n, Msg};

/// A ticket's photos and files (`listAttachments`, read flat): images as thumbnails, the rest
/// as downloads. On a phone "Take a photo" opens the camera; "Attach a file" picks any file.
#[component]
pub fn TicketFiles(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let reads = RwSignal::new(0u32);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let path = move || {
        reads.track();
        format!("/tickets/{id}/attachments")
    };
    let pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let files: Vec<web_sys::File> = input
            .files()
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        if files.is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            for f in files {
                if let Err(e) = client::upload(id, &f).await {
                    error.set(Some(e));
                    break;
                }
            }
            busy.set(false);
            reads.update(|n| *n += 1);
        });
    };
    let file_error = move || {
        error
            .get()
            .and_then(|e| e.problem().and_then(|p| p.field("file").cloned()))
            .map(|f| view! { <p class="field__error" data-testid="file-error">{i18n::field_error(i18n.locale.get(), &f)}</p> })
    };
    view! {
        <section class="card stack" data-testid="files">
            <h2 class="card__title">{i18n.tr(Msg::Files)}</h2>
            {remote_text_at(path, move |t| files_view(flat_json::fields(&t), reads, error).into_any())}
            <div class="files__add">
                <label class="button button--secondary">
                    <input type="file" accept="image/*" capture="environment" class="files__pick" data-testid="take-photo" on:change=pick />
                    {i18n.tr(Msg::TakePhoto)}
                </label>
                <label class="button button--secondary">
                    <input type="file" multiple=true class="files__pick" data-testid="attach-file" on:change=pick />
                    {i18n.tr(Msg::AttachFile)}
                </label>
            </div>
            {move || busy.get().then(|| view! { <p class="muted" aria-live="polite">{i18n.tr(Msg::Uploading)}</p> })}
            {file_error}
            <ErrorBox error=Signal::derive(move || error.get().filter(|e| e.problem().and_then(|p| p.field("file")).is_none())) />
        </section>
    }
}

fn files_view(
    list: Fields,
    reads: RwSignal<u32>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = list.list("items");
    if items.is_empty() {
        return view! { <p class="muted">{i18n.tr(Msg::NoFiles)}</p> }.into_any();
    }
    view! {
        <ul class="files" data-testid="file-list">
            {items.into_iter().map(|f| {
                let (url, name, size) = (f.get("url"), f.get("name"), f.int("size"));
                let who = f.sub("uploaded_by").get("name");
                let delete = f.flag("may_delete").then(|| {
                    let url = url.clone();
                    view! {
                        <button type="button" class="link-button" data-testid="delete-file" on:click=move |_| {
                            let url = url.clone();
                            spawn_local(async move {
                                match client::delete_file(&url).await {
                                    Ok(_) => reads.update(|n| *n += 1),
                                    Err(e) => error.set(Some(e)),
                                }
                            });
                        }>{i18n.tr(Msg::DeleteFile)}</button>
                    }
                });
                let shown = if f.flag("image") {
                    view! { <a href=url.clone() target="_blank" rel="noopener"><img class="files__thumb" src=url.clone() alt=name.clone() loading="lazy" data-testid="thumb" /></a> }.into_any()
                } else {
                    view! { <a class="files__doc" href=url.clone() download=name.clone()>"📄"</a> }.into_any()
                };
                view! {
                    <li class="files__item" class:files__item--internal=f.flag("internal") data-testid="file">
                        {shown}
                        <span class="files__name">{name}</span>
                        <span class="muted files__meta">{move || format::size(i18n.locale.get(), size)}" · "{who.clone()}</span>
                        {delete}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
