use leptos::prelude::*;
use pointdesk_api::tickets::{CatalogueItemDto, CatalogueItemRequest};
use pointdesk_api::WirePoints;

use crate::client::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::components::remote::{remote, Remote};
use crate::components::text_field::TextField;
use crate::i18n::{self, use_i18n, Msg};
use crate::writes::{busy, error_of, on_success, use_write};

/// The manager's service catalogue: what clients may ask for, included or quoted first, with
/// the usual estimate. An item is withdrawn (no longer offered) rather than deleted.
#[component]
pub fn Catalogue() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let list = Remote::new(move || {
        version.track();
        client::catalogue()
    });
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let quoted = RwSignal::new(true);
    let estimate = RwSignal::new(String::new());
    let save = use_write();
    let error = error_of(save);
    on_success(save, move |_| {
        name.set(String::new());
        description.set(String::new());
        estimate.set(String::new());
        version.update(|v| *v += 1);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let raw = estimate.get_untracked().trim().replace(',', ".");
        let est = if raw.is_empty() {
            None
        } else if let Ok(p) = raw.parse() {
            Some(WirePoints(p))
        } else {
            save.value()
                .set(Some(Err(ApiError::field("estimate", "malformed"))));
            return;
        };
        save.dispatch(client::create_catalogue_item(&CatalogueItemRequest {
            name: name.get_untracked(),
            description: description.get_untracked(),
            kind: if quoted.get_untracked() {
                "quoted"
            } else {
                "standard"
            }
            .into(),
            estimate: est,
            active: true,
        }));
    };
    let toggle = move |c: CatalogueItemDto| {
        save.dispatch(offered(c));
    };
    view! {
        <p class="eyebrow">{i18n.tr(Msg::NavCatalogue)}</p>
        <h1 data-testid="page-title">{i18n.tr(Msg::NavCatalogue)}</h1>
        <p><a class="link" href="/packs" data-testid="packs-link">{i18n.tr(Msg::NavPacks)}</a></p>
        <div class="grid">
            <div>
                {remote(list, move |l| view! {
                    <ul class="rows" data-testid="catalogue-list">
                        {l.items.into_iter().map(|c| {
                            let quoted = c.kind == "quoted";
                            let (est, active, item) = (c.estimate, c.active, c.clone());
                            view! {
                                <li class="row" data-testid="catalogue-row" data-name=c.name.clone()>
                                    <div class="row__main">
                                        <span class="row__title">{c.name.clone()}</span>
                                        <span class="row__meta">
                                            {i18n.tr(if quoted { Msg::NeedsQuote } else { Msg::Included })}
                                            {move || est.map(|e| format!(" · {}", i18n::points(i18n.locale.get(), e)))}
                                        </span>
                                    </div>
                                    <label class="choice">
                                        <input type="checkbox" prop:checked=active on:change=move |_| toggle(item.clone()) />
                                        {i18n.tr(Msg::Offered)}
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </div>
            <form class="card stack" on:submit=submit novalidate=true data-testid="catalogue-form">
                <h2 class="card__title">{i18n.tr(Msg::AddItem)}</h2>
                <TextField label=Msg::Name name="name" value=name error=error />
                <TextField label=Msg::Description name="description" value=description error=error />
                <label class="choice">
                    <input type="checkbox" prop:checked=move || quoted.get() on:change=move |ev| quoted.set(event_target_checked(&ev)) />
                    {i18n.tr(Msg::NeedsQuote)}
                </label>
                <TextField label=Msg::Estimate name="estimate" value=estimate error=error />
                <ErrorBox error=error />
                <button class="button" type="submit" disabled=busy(save)>{i18n.tr(Msg::AddItem)}</button>
            </form>
        </div>
    }
}

/// The item offered again, or no longer offered.
fn offered(c: CatalogueItemDto) -> client::Write {
    client::update_catalogue_item(
        c.id,
        &CatalogueItemRequest {
            name: c.name,
            description: c.description,
            kind: c.kind,
            estimate: c.estimate,
            active: !c.active,
        },
    )
}
