use leptos::prelude::*;
use pointdesk_api::desk::PlanTermsDto;

use crate::components::allotment_view::AllotmentView;
use crate::components::remote::remote_text;
use crate::i18n::{self, points, text, use_i18n, Msg};

/// The client's plan in plain words: what arrives every month and why, how time becomes
/// points, what happens to unused points and below zero, how long to dispute, what is
/// included and what is quoted first.
#[component]
pub fn PlanTerms() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 data-testid="page-title">{i18n.tr(Msg::PlanTerms)}</h1>
        {remote_text("/plan-terms".to_owned(), move |t| {
            let t: PlanTermsDto = crate::flat_reads::plan_terms(&t);
            let l = i18n.locale.get();
            let p = |x| points(l, x);
            let mut lines = vec![
                format!("{} {}.", text(l, Msg::TermsRounding), i18n::minutes(l, i64::from(t.increment_minutes))),
                if t.minimum_charge.0.is_positive() {
                    format!("{} {}.", text(l, Msg::TermsMinimum), p(t.minimum_charge))
                } else {
                    text(l, Msg::TermsNoMinimum).to_owned()
                },
                match (t.rollover.as_str(), t.rollover_cap) {
                    ("full", _) => text(l, Msg::RolloverFullText).to_owned(),
                    ("capped", Some(cap)) => format!("{} {}.", text(l, Msg::RolloverCappedText), p(cap)),
                    _ => text(l, Msg::RolloverNoneText).to_owned(),
                },
                text(l, match t.overdraft.as_str() {
                    "always" => Msg::OverdraftAlwaysText,
                    "incidents_only" => Msg::OverdraftIncidentsText,
                    _ => Msg::OverdraftNeverText,
                }).to_owned(),
                format!("{} {}.", text(l, Msg::TermsDispute), i18n::days(l, i64::from(t.dispute_window_days))),
                format!("{} {}.", text(l, Msg::TermsQuote), i18n::days(l, i64::from(t.quote_validity_days))),
                format!("{} {}.", text(l, Msg::TermsAutoClose), i18n::days(l, i64::from(t.auto_close_days))),
                format!("{} {}.", text(l, Msg::TermsThreshold), p(t.threshold)),
            ];
            lines.retain(|x| !x.is_empty());
            let list = |items: Vec<String>| {
                if items.is_empty() {
                    view! { <p class="muted">{text(l, Msg::TermsNothing)}</p> }.into_any()
                } else {
                    view! { <ul class="rules">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
                }
            };
            view! {
                <p class="eyebrow">{t.organization.name.clone()}" · "{t.plan.clone()}</p>
                <section class="card" data-testid="terms-allotment">
                    <h2 class="card__title">{text(l, Msg::TermsEveryMonth)}" "{p(t.allotment.total)}</h2>
                    <AllotmentView allotment=t.allotment.clone() />
                </section>
                <section class="card">
                    <ul class="rules" data-testid="terms-rules">
                        {lines.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}
                    </ul>
                </section>
                <div class="grid">
                    <section class="card" data-testid="terms-included">
                        <h2 class="card__title">{text(l, Msg::TermsIncluded)}</h2>
                        {list(t.standard_items.clone())}
                    </section>
                    <section class="card" data-testid="terms-quoted">
                        <h2 class="card__title">{text(l, Msg::TermsQuoted)}</h2>
                        {list(t.quoted_items.clone())}
                    </section>
                </div>
            }
            .into_any()
        })}
    }
}
