use leptos::prelude::*;
use pointdesk_api::ledger::{ChargeExplanationDto, ChargePreviewRequest};
use pointdesk_api::WirePoints;

use crate::client::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::format;
use crate::i18n::{use_i18n, Msg};
use crate::writes::{busy, use_write};

/// "12 min → 0.25 pt: rounded up to 15 min", computed by the server's domain rules. Input the
/// browser cannot send as a valid request is refused here with a readable message and kept.
#[component]
pub fn ChargeCalculator() -> impl IntoView {
    let i18n = use_i18n();
    let logged = RwSignal::new("12".to_owned());
    let increment = RwSignal::new("15".to_owned());
    let minimum = RwSignal::new("0".to_owned());
    let local_error = RwSignal::new(None::<ApiError>);
    let preview = use_write();
    // Show the worked example at once; the user changes it from there.
    preview.dispatch(client::charge_preview(&ChargePreviewRequest {
        logged_minutes: 12,
        increment_minutes: 15,
        minimum_charge: WirePoints::ZERO,
    }));
    let result = preview.value();
    let server_error = Signal::derive(move || result.get().and_then(Result::err));
    let error = Signal::derive(move || local_error.get().or_else(|| server_error.get()));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = (|| {
            Some(ChargePreviewRequest {
                logged_minutes: logged.get_untracked().trim().parse().ok()?,
                increment_minutes: increment.get_untracked().trim().parse().ok()?,
                minimum_charge: WirePoints(
                    minimum
                        .get_untracked()
                        .trim()
                        .replace(',', ".")
                        .parse()
                        .ok()?,
                ),
            })
        })();
        match parsed {
            Some(req) => {
                local_error.set(None);
                preview.dispatch(client::charge_preview(&req));
            }
            None => local_error.set(Some(ApiError::Problem(pointdesk_api::Problem::new(
                "invalid",
                i18n.t(Msg::ErrorTitle),
                422,
                Some(i18n.t(Msg::CalcInvalid).into()),
            )))),
        }
    };

    let field =
        move |label: Msg, value: RwSignal<String>, testid: &'static str, mode: &'static str| {
            view! {
                <label class="field">
                    <span class="field__label">{move || i18n.t(label)}</span>
                    <input
                        class="field__input"
                        type="text"
                        inputmode=mode
                        data-testid=testid
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                </label>
            }
        };

    view! {
        <section class="card" data-testid="charge-calculator">
            <h2 class="card__title">{i18n.tr(Msg::CalcTitle)}</h2>
            <p class="muted">{i18n.tr(Msg::CalcHint)}</p>
            <form class="form-grid" on:submit=submit novalidate=true>
                {field(Msg::CalcLogged, logged, "calc-logged", "numeric")}
                {field(Msg::CalcIncrement, increment, "calc-increment", "numeric")}
                {field(Msg::CalcMinimum, minimum, "calc-minimum", "decimal")}
                <button class="button" type="submit" data-testid="calc-submit" disabled=busy(preview)>
                    {i18n.tr(Msg::CalcSubmit)}
                </button>
            </form>
            <ErrorBox error=error />
            {move || {
                result.get().and_then(Result::ok).and_then(|t| client::parse_text::<pointdesk_api::ledger::ChargeExplanationDto>(&t).ok()).filter(|_| local_error.get().is_none()).map(|c| view! { <Explanation charge=c /> })
            }}
        </section>
    }
}

#[component]
fn Explanation(charge: ChargeExplanationDto) -> impl IntoView {
    let i18n = use_i18n();
    let min = i18n.tr(Msg::Minutes);
    let c = charge.clone();
    let why = move || {
        let l = i18n.locale.get();
        match c.rule.as_str() {
            "rounded_up" => format!(
                "{} {} {}",
                i18n.t(Msg::RuleRoundedUp),
                format::integer(l, i64::from(c.billed_minutes)),
                min()
            ),
            "minimum" => i18n.t(Msg::RuleMinimum).to_owned(),
            _ => i18n.t(Msg::RuleExact).to_owned(),
        }
    };
    view! {
        <p class="result" data-testid="calc-result" data-points=charge.points.to_string()>
            <span class="result__label">{i18n.tr(Msg::CalcResult)}</span>
            <span class="result__value">
                {move || format::integer(i18n.locale.get(), i64::from(charge.logged_minutes))} " " {min} " → "
                <strong>{i18n.num(charge.points)} " " {i18n.tr(Msg::PointsUnit)}</strong>
            </span>
            <span class="result__why">{why}</span>
        </p>
    }
}
