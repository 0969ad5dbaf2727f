use leptos::prelude::*;
use pointdesk_api::sla::SlaTargetDto;

use crate::components::sla_targets_field::{target_rows, targets, SlaTargetsField};
use crate::components::working_hours::WorkingHours;
use pointdesk_api::organizations::PlanRowDto;
use pointdesk_api::plans::{PlanDto, PlanOptionDto};
use pointdesk_api::WirePoints;

use crate::client::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::components::remote::{remote, Remote};
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};
use crate::writes::{busy, error_of, on_success, use_write};

/// The provider's plans and their terms; a manager adds a plan or edits one here. Clients on a
/// plan get the new allotment from the next period.
#[component]
pub fn Plans() -> impl IntoView {
    let i18n = use_i18n();
    let list = Remote::flat(|| Some(client::plans()), crate::flat_reads::plan_list);
    let editing = RwSignal::new(None::<PlanRowDto>);
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::NavPlans)}</h1>
        <div class="grid">
            <section class="card">
                {remote(list, move |l| view! {
                    <ul class="rows" data-testid="plan-list">
                        {l.items.into_iter().map(|p| view! { <PlanRow plan=p editing=editing /> }).collect_view()}
                    </ul>
                })}
            </section>
            {move || {
                // A new form for each plan picked (or for a new one): its fields start from it.
                let plan = editing.get();
                view! {
                    <PlanForm
                        plan=plan
                        on_saved=move || {
                            editing.set(None);
                            list.refetch();
                        }
                    />
                }
            }}
        </div>
        <WorkingHours />
    }
}

/// Points as typed (`1,5` or `1.5`).
fn points_typed(s: &str) -> Option<WirePoints> {
    s.trim().replace(',', ".").parse().ok().map(WirePoints)
}

/// What a new plan promises until the manager says otherwise: urgent round the clock.
fn default_targets() -> Vec<SlaTargetDto> {
    [
        ("urgent", 60, 480, true),
        ("high", 120, 960, false),
        ("normal", 480, 1440, false),
        ("low", 960, 2400, false),
    ]
    .into_iter()
    .map(|(p, a, b, round)| SlaTargetDto {
        priority: p.to_owned(),
        respond_minutes: a,
        resolve_minutes: b,
        round_the_clock: round,
    })
    .collect()
}

#[component]
fn PlanRow(plan: PlanRowDto, editing: RwSignal<Option<PlanRowDto>>) -> impl IntoView {
    let i18n = use_i18n();
    let p = plan.plan.clone();
    let rule = match p.rollover.as_str() {
        "capped" => Msg::RolloverCapped,
        "full" => Msg::RolloverFull,
        _ => Msg::RolloverNone,
    };
    let overdraft = match p.overdraft.as_str() {
        "never" => Msg::OverdraftNever,
        "always" => Msg::OverdraftAlways,
        _ => Msg::OverdraftIncidents,
    };
    view! {
        <li class="row" data-testid="plan-row" data-name=p.name.clone()>
            <div class="row__main">
                <span class="row__title">{p.name.clone()}</span>
                <span class="row__meta">
                    {i18n.num(p.base)} " + "
                    {i18n.num(p.per_seat)} " × " {i18n.tr(Msg::SeatsWord)}
                    " · " {p.increment_minutes} " " {i18n.tr(Msg::Minutes)}
                    " · " {i18n.tr(Msg::RolloverShort)} ": " {i18n.tr(rule)}
                    " · " {i18n.tr(Msg::OverdraftShort)} ": " {i18n.tr(overdraft)}
                </span>
            </div>
            <button class="button-quiet" type="button" data-testid="edit-plan"
                on:click=move |_| editing.set(Some(plan.clone()))>
                {i18n.tr(Msg::Edit)}
            </button>
        </li>
    }
}

/// Creates a plan, or replaces the terms of `plan` when given.
#[component]
fn PlanForm(
    plan: Option<PlanRowDto>,
    on_saved: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = plan.as_ref().map(|p| p.id);
    let d = plan.map(|p| p.plan);
    let text = |f: fn(&PlanDto) -> String, default: &str| {
        RwSignal::new(d.as_ref().map_or_else(|| default.to_owned(), f))
    };
    let name = text(|p| p.name.clone(), "");
    let base = text(|p| p.base.to_string(), "10");
    let per_seat = text(|p| p.per_seat.to_string(), "1");
    let increment = text(|p| p.increment_minutes.to_string(), "15");
    let minimum = text(|p| p.minimum_charge.to_string(), "0");
    let rollover = text(|p| p.rollover.clone(), "none");
    let cap = text(
        |p| p.rollover_cap.map(|c| c.to_string()).unwrap_or_default(),
        "",
    );
    let overdraft = text(|p| p.overdraft.clone(), "incidents_only");
    let (options, sla): (Vec<PlanOptionDto>, _) = d.map(|p| (p.options, p.sla)).unwrap_or_default();
    let rows = target_rows(&if id.is_none() { default_targets() } else { sla });
    let shown = rows.clone();
    let save = use_write();
    let local = RwSignal::new(None::<ApiError>);
    let error = Signal::derive(move || local.get().or_else(|| error_of(save).get()));
    on_success(save, move |_| on_saved());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pts = |s: RwSignal<String>| points_typed(&s.get_untracked());
        let fields = [
            ("base", base),
            ("per_seat", per_seat),
            ("minimum_charge", minimum),
        ];
        if let Some((field, _)) = fields.iter().find(|(_, s)| pts(*s).is_none()) {
            local.set(Some(ApiError::field(field, "malformed")));
            return;
        }
        let capped = rollover.get_untracked() == "capped";
        let cap_value = if capped { pts(cap) } else { None };
        if capped && cap_value.is_none() {
            local.set(Some(ApiError::field("rollover_cap", "required")));
            return;
        }
        let sla = match targets(&rows) {
            Ok(t) => t,
            Err(e) => return local.set(Some(e)),
        };
        local.set(None);
        save.dispatch({
            let req = PlanDto {
                name: name.get_untracked(),
                base: pts(base).unwrap_or(WirePoints::ZERO),
                per_seat: pts(per_seat).unwrap_or(WirePoints::ZERO),
                options: options.clone(),
                increment_minutes: increment.get_untracked().trim().parse().unwrap_or(0),
                minimum_charge: pts(minimum).unwrap_or(WirePoints::ZERO),
                rollover: rollover.get_untracked(),
                rollover_cap: cap_value,
                overdraft: overdraft.get_untracked(),
                sla,
            };
            match id {
                Some(id) => client::update_plan(id, &req),
                None => client::create_plan(&req),
            }
        });
    };
    view! {
        <section class="card">
            <h2 class="card__title">{i18n.tr(if id.is_some() { Msg::EditPlan } else { Msg::NewPlan })}</h2>
            <form class="stack" on:submit=submit novalidate=true data-testid="plan-form">
                <TextField label=Msg::Name name="name" value=name error=error />
                <TextField label=Msg::BasePoints name="base" value=base error=error />
                <TextField label=Msg::PerSeatPoints name="per_seat" value=per_seat error=error />
                <TextField label=Msg::CalcIncrement name="increment_minutes" value=increment error=error kind="number" />
                <TextField label=Msg::CalcMinimum name="minimum_charge" value=minimum error=error />
                <SelectField label=Msg::RolloverRule field="rollover" value=rollover choices=vec![
                    ("none", Msg::RolloverNone), ("capped", Msg::RolloverCapped), ("full", Msg::RolloverFull),
                ] />
                <Show when=move || rollover.get() == "capped">
                    <TextField label=Msg::RolloverCap name="rollover_cap" value=cap error=error />
                </Show>
                <SelectField label=Msg::OverdraftRule field="overdraft" value=overdraft choices=vec![
                    ("never", Msg::OverdraftNever), ("incidents_only", Msg::OverdraftIncidents), ("always", Msg::OverdraftAlways),
                ] />
                <SlaTargetsField rows=shown error=error />
                <ErrorBox error=error />
                <button class="button" type="submit" data-testid="plan-submit" disabled=busy(save)>
                    {i18n.tr(if id.is_some() { Msg::Save } else { Msg::Create })}
                </button>
            </form>
        </section>
    }
}
