use leptos::prelude::*;
use pointdesk_api::sla::SlaTargetDto;
use pointdesk_domain::ticket::Priority;
use pointdesk_domain::Points;

use crate::client::ApiError;
use crate::i18n::{self, use_i18n, Msg};

/// One priority's targets as typed: hours to the first answer and to the fix, and whether they
/// count round the clock.
#[derive(Clone, Copy)]
pub struct TargetRow {
    pub priority: &'static str,
    respond: RwSignal<String>,
    resolve: RwSignal<String>,
    round: RwSignal<bool>,
}

/// Hours as typed (`0.5`, `0,5`, `24`) from minutes, and back, through the points' decimal
/// reading (hundredths): no floating point, which would cost the bundle its formatting code.
fn hours(minutes: u32) -> String {
    let hundredths = i64::from(minutes) * 100 / 60;
    let p = Points::from_hundredths(hundredths)
        .unwrap_or(Points::ZERO)
        .to_string();
    p.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn minutes(hours: &str) -> Option<u32> {
    let p: Points = hours.trim().replace(',', ".").parse().ok()?;
    // To the nearest minute (0.33 h is 20 minutes), at most 60 days.
    let m = (p.hundredths() * 60 + 50) / 100;
    (m > 0 && m <= 86_400).then(|| u32::try_from(m).ok())?
}

/// The rows of a plan's targets, most urgent first, filled from `targets`.
pub fn target_rows(targets: &[SlaTargetDto]) -> Vec<TargetRow> {
    Priority::ALL
        .into_iter()
        .map(|p| {
            let t = targets.iter().find(|t| t.priority == p.as_str());
            TargetRow {
                priority: p.as_str(),
                respond: RwSignal::new(t.map(|t| hours(t.respond_minutes)).unwrap_or_default()),
                resolve: RwSignal::new(t.map(|t| hours(t.resolve_minutes)).unwrap_or_default()),
                round: RwSignal::new(t.is_some_and(|t| t.round_the_clock)),
            }
        })
        .collect()
}

/// The targets to send (rows left empty promise nothing), or the field that does not read as
/// hours (named as the server would name it).
pub fn targets(rows: &[TargetRow]) -> Result<Vec<SlaTargetDto>, ApiError> {
    let mut out = Vec::new();
    for r in rows {
        let (a, b) = (r.respond.get_untracked(), r.resolve.get_untracked());
        if a.trim().is_empty() && b.trim().is_empty() {
            continue;
        }
        let i = out.len();
        let respond = minutes(&a)
            .ok_or_else(|| ApiError::field(&format!("sla[{i}].respond_minutes"), "malformed"))?;
        let resolve = minutes(&b)
            .ok_or_else(|| ApiError::field(&format!("sla[{i}].resolve_minutes"), "malformed"))?;
        out.push(SlaTargetDto {
            priority: r.priority.to_owned(),
            respond_minutes: respond,
            resolve_minutes: resolve,
            round_the_clock: r.round.get_untracked(),
        });
    }
    Ok(out)
}

/// A plan's service levels: a row per priority. An error about `sla[k]` is shown on the row
/// that was the k-th sent.
#[component]
pub fn SlaTargetsField(
    rows: Vec<TargetRow>,
    #[prop(into)] error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sent = StoredValue::new(rows.clone());
    let message = move |priority: &'static str| {
        let e = error.get()?;
        let p = e.problem()?;
        let f = p.errors.iter().find(|f| {
            let k = f
                .field
                .strip_prefix("sla[")
                .and_then(|r| r.split(']').next());
            let k: Option<usize> = k.and_then(|k| k.parse().ok());
            // The k-th row that had something in it.
            k.is_some_and(|k| {
                sent.with_value(|rows| {
                    rows.iter()
                        .filter(|r| {
                            !(r.respond.get_untracked().trim().is_empty()
                                && r.resolve.get_untracked().trim().is_empty())
                        })
                        .nth(k)
                        .is_some_and(|r| r.priority == priority)
                })
            })
        })?;
        Some(i18n::field_error(i18n.locale.get(), f))
    };
    view! {
        <fieldset class="targets" data-testid="sla-targets">
            <legend class="field__label">{i18n.tr(Msg::SlaTargets)}</legend>
            <p class="field__hint">{i18n.tr(Msg::SlaTargetsHint)}</p>
            {rows.into_iter().map(|r| {
                let p = r.priority;
                view! {
                    <div class="targets__row" data-priority=p>
                        <span class="targets__name">{move || i18n::priority_name(i18n.locale.get(), p)}</span>
                        <label class="inline-field">
                            <span>{i18n.tr(Msg::RespondHours)}</span>
                            <input class="field__input" inputmode="decimal" name=format!("respond-{p}")
                                prop:value=move || r.respond.get() on:input=move |ev| r.respond.set(event_target_value(&ev)) />
                        </label>
                        <label class="inline-field">
                            <span>{i18n.tr(Msg::ResolveHours)}</span>
                            <input class="field__input" inputmode="decimal" name=format!("resolve-{p}")
                                prop:value=move || r.resolve.get() on:input=move |ev| r.resolve.set(event_target_value(&ev)) />
                        </label>
                        <label class="choice">
                            <input type="checkbox" name=format!("round-{p}") prop:checked=move || r.round.get()
                                on:change=move |ev| r.round.set(event_target_checked(&ev)) />
                            {i18n.tr(Msg::RoundTheClock)}
                        </label>
                        {move || message(p).map(|m| view! { <span class="field__error" role="alert">{m}</span> })}
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}
