use leptos::prelude::*;
use pointdesk_api::tickets::{TimerRequest, TimerStopRequest, WorkRequest};

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::components::ticket_change::use_change;
use crate::flat_json::fields;
use crate::i18n::{use_i18n, Msg};
use crate::offline::use_sw;

/// Logging work one-handed: 15 / 30 / 60 minutes in one tap, any duration with a note, or a
/// start/stop timer. The timer runs on the server (`startTimer`, `stopTimer`: it survives a
/// reload and a phone change); a start or stop made offline waits in the outbox with the
/// instant it was pressed, and the phone counts from that meanwhile.
#[component]
pub fn WorkLogger(id: i64, timer: Option<i64>, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (log, error) = use_change(id, done);
    let minutes = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    // What the phone did last that the server may not know yet: a start or a stop pressed
    // here, or one waiting in the outbox (read again whenever the service worker speaks).
    let pressed = RwSignal::new(None::<Option<i64>>);
    let sw = use_sw();
    let started = move || {
        pressed
            .get()
            .or_else(|| {
                sw.outbox(id)
                    .into_iter()
                    .rev()
                    .find_map(|i| match i.get("op").as_str() {
                        "timer_start" => Some(Some(fields(&i.get("body")).int("at") * 1000)),
                        "timer_stop" => Some(None),
                        _ => None,
                    })
            })
            .unwrap_or(timer.map(|s| s * 1000))
    };
    let send = move |m: u32| {
        log.dispatch(TicketChange::Work(WorkRequest {
            minutes: m,
            note: note.get_untracked(),
            on: None,
        }));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // An unreadable number goes to the server as 0, which names the field.
        send(minutes.get_untracked().trim().parse().unwrap_or(0));
    };
    let toggle_timer = move |_| {
        // Whole seconds: formatting or parsing an f64 would pull float code into the bundle.
        #[allow(clippy::cast_possible_truncation)]
        let now = (js_sys::Date::now() / 1000.0) as i64;
        let at = Some(now);
        if untrack(started).is_none() {
            pressed.set(Some(Some(now * 1000)));
            log.dispatch(TicketChange::TimerStart(TimerRequest { at }));
        } else {
            pressed.set(Some(None));
            log.dispatch(TicketChange::TimerStop(TimerStopRequest {
                at,
                note: note.get_untracked(),
            }));
        }
    };
    // The time running, "0:12:05", ticking each second while the timer runs.
    let tick = RwSignal::new(0u32);
    if let Ok(h) = set_interval_with_handle(
        move || tick.update(|t| *t = t.wrapping_add(1)),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || h.clear());
    }
    let since = move || {
        started().map(|t0| {
            tick.track();
            #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
            let s = ((js_sys::Date::now() - t0 as f64) / 1000.0).max(0.0) as i64;
            format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
        })
    };
    view! {
        <section class="card stack" data-testid="work-logger">
            <h2 class="card__title">{i18n.tr(Msg::LogWork)}</h2>
            <div class="quick" role="group">
                {[15u32, 30, 60].into_iter().map(|m| view! {
                    <button type="button" class="button button--secondary" data-minutes=m
                        disabled=log.busy() on:click=move |_| send(m)>
                        "+"{m}" "{i18n.tr(Msg::Minutes)}
                    </button>
                }).collect_view()}
            </div>
            <button type="button" class="button button--secondary" data-testid="timer" on:click=toggle_timer>
                {move || if started().is_some() { i18n.t(Msg::TimerStop) } else { i18n.t(Msg::TimerStart) }}
                " " <span class="timer__elapsed" data-testid="timer-elapsed">{since}</span>
            </button>
            <form class="stack" on:submit=submit novalidate=true data-testid="work-form">
                <TextField label=Msg::MinutesLabel name="minutes" value=minutes error=error kind="number" />
                <TextField label=Msg::Note name="note" value=note error=error />
                <button class="button" type="submit" disabled=log.busy()>{i18n.tr(Msg::Add)}</button>
            </form>
            <ErrorBox error=error />
        </section>
    }
}
