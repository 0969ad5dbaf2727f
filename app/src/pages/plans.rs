use leptos::prelude::*;
use pointdesk_api::organizations::PlanRowDto;
use pointdesk_api::plans::PlanDto;
use pointdesk_api::WirePoints;

use crate::client::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote;
use crate::components::text_field::TextField;
use crate::format;
use crate::i18n::{use_i18n, Msg};

/// The provider's plans and their terms; a manager adds one here.
#[component]
pub fn Plans() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(client::plans);
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavPlans)}</h1>
        <div class="grid">
            <section class="card">
                {remote(list, |l| view! {
                    <ul class="rows" data-testid="plan-list">
                        {l.items.into_iter().map(|p| view! { <PlanRow plan=p /> }).collect_view()}
                    </ul>
                })}
            </section>
            <NewPlan on_created=move || list.refetch() />
        </div>
    }
}

#[component]
fn PlanRow(plan: PlanRowDto) -> impl IntoView {
    let i18n = use_i18n();
    let p = plan.plan.clone();
    let rule = p.rollover.clone();
    view! {
        <li class="row row--stack" data-testid="plan-row" data-name=p.name.clone()>
            <span class="row__title">{p.name.clone()}</span>
            <span class="row__meta">
                {move || format::points(i18n.locale.get(), p.base)} " + "
                {move || format::points(i18n.locale.get(), p.per_seat)} " × " {i18n.tr(Msg::SeatsWord)}
                " · " {p.increment_minutes} " " {i18n.tr(Msg::Minutes)}
                " · " {i18n.tr(Msg::Rollover)} ": " {rule.clone()}
                " · " {p.overdraft.clone()}
            </span>
        </li>
    }
}

#[component]
fn NewPlan(on_created: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let base = RwSignal::new("10".to_owned());
    let per_seat = RwSignal::new("1".to_owned());
    let increment = RwSignal::new("15".to_owned());
    let create = Action::new_local(|req: &PlanDto| {
        let req = req.clone();
        async move { client::create_plan(&req).await }
    });
    let local = RwSignal::new(None::<ApiError>);
    let error = Signal::derive(move || {
        local
            .get()
            .or_else(|| create.value().get().and_then(Result::err))
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            on_created();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pts = |s: RwSignal<String>| {
            s.get_untracked()
                .trim()
                .replace(',', ".")
                .parse()
                .ok()
                .map(WirePoints)
        };
        let (Some(b), Some(s)) = (pts(base), pts(per_seat)) else {
            local.set(Some(ApiError::field(
                if pts(base).is_none() {
                    "base"
                } else {
                    "per_seat"
                },
                "malformed",
            )));
            return;
        };
        local.set(None);
        create.dispatch(PlanDto {
            name: name.get_untracked(),
            base: b,
            per_seat: s,
            options: vec![],
            increment_minutes: increment.get_untracked().trim().parse().unwrap_or(0),
            minimum_charge: WirePoints::ZERO,
            rollover: "none".into(),
            rollover_cap: None,
            overdraft: "incidents_only".into(),
        });
    };
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(Msg::NewPlan)}</h2>
            <form class="stack" on:submit=submit novalidate=true data-testid="new-plan">
                <TextField label=Msg::Name name="name" value=name error=error />
                <TextField label=Msg::BasePoints name="base" value=base error=error />
                <TextField label=Msg::PerSeatPoints name="per_seat" value=per_seat error=error />
                <TextField label=Msg::CalcIncrement name="increment_minutes" value=increment error=error kind="number" />
                <ErrorBox error=error />
                <button class="button" type="submit" data-testid="new-plan-submit" disabled=move || create.pending().get()>
                    {i18n.tr(Msg::Create)}
                </button>
            </form>
        </section>
    }
}
