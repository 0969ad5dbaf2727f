use leptos::prelude::*;
use pointdesk_api::sla::SlaDto;

use crate::format;
use crate::i18n::{self, use_i18n, Msg};

/// What a queue card says about a ticket's running deadline: `answer in 25 min`, `overdue 1 h`
/// (none when the clocks stand or are done).
pub fn due_text(locale: i18n::Locale, sla: &SlaDto, now_ms: f64) -> Option<(String, bool)> {
    let due = sla.due?;
    #[allow(clippy::cast_possible_truncation)]
    let now = (now_ms / 1000.0) as i64;
    let left = due - now;
    let answering = sla.first_response_at.is_none();
    let t = |m: Msg| i18n::text(locale, m);
    Some(if left < 0 {
        (
            format!("{} {}", t(Msg::SlaOverdue), i18n::span(locale, -left)),
            true,
        )
    } else {
        let what = if answering {
            Msg::SlaRespondIn
        } else {
            Msg::SlaResolveIn
        };
        (format!("{} {}", t(what), i18n::span(locale, left)), false)
    })
}

/// A ticket's two promises: the first answer and the fix, when each is due, whether it was
/// kept, and whether the clocks stand while the ticket waits for the client.
#[component]
pub fn SlaCard(sla: SlaDto) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |label: Msg, by: i64, done: Option<i64>, state: String, testid: &'static str| {
        let late = state == "breached";
        view! {
            <div class="kv__row" data-testid=testid data-state=state.clone()>
                <dt>{i18n.tr(label)}</dt>
                <dd>
                    {move || format::date_time(i18n.locale.get(), by as f64 * 1000.0)} // tidy: js-number
                    {move || match (done, late) {
                        (Some(_), false) => format!(" · {}", i18n.t(Msg::SlaMet)),
                        (_, true) => format!(" · {}", i18n.t(Msg::SlaLate)),
                        (None, false) => String::new(),
                    }}
                </dd>
            </div>
        }
    };
    let rule = if sla.round_the_clock {
        Msg::SlaRoundTheClock
    } else {
        Msg::SlaBusinessHours
    };
    let now = js_sys::Date::now();
    let sla2 = sla.clone();
    let chip = move || due_text(i18n.locale.get(), &sla, now);
    view! {
        <section class="card" data-testid="sla-card">
            <h2 class="card__title">{i18n.tr(Msg::SlaTitle)}</h2>
            {move || chip().map(|(text, late)| view! {
                <p class="badge badge--due" class:badge--alert=late data-testid="sla-due">{text}</p>
            })}
            {sla2.paused.then(|| view! { <p class="muted" data-testid="sla-paused">{i18n.tr(Msg::SlaPaused)}</p> })}
            <dl class="kv">
                {row(Msg::SlaRespondBy, sla2.respond_by, sla2.first_response_at, sla2.respond.clone(), "sla-respond")}
                {row(Msg::SlaResolveBy, sla2.resolve_by, sla2.resolved_at, sla2.resolve.clone(), "sla-resolve")}
            </dl>
            <p class="muted">{i18n.tr(rule)}</p>
        </section>
    }
}
