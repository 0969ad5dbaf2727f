use leptos::prelude::*;
use pointdesk_api::tickets::WorkRequest;

use crate::client::TicketChange;
use crate::components::error_box::ErrorBox;
use crate::components::text_field::TextField;
use crate::components::ticket_change::use_change;
use crate::i18n::{use_i18n, Msg};

fn timer_key(id: i64) -> String {
    format!("pointdesk-timer-{id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Logging work one-handed: 15 / 30 / 60 minutes in one tap, any duration with a note, or a
/// start/stop timer whose start is kept in localStorage, so it survives a reload.
#[component]
pub fn WorkLogger(id: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (log, error) = use_change(id, done);
    let minutes = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let started = RwSignal::new(
        storage()
            .and_then(|s| s.get_item(&timer_key(id)).ok().flatten())
            .and_then(|v| v.parse::<i64>().ok()),
    );
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
    let toggle_timer = move |_| match started.get_untracked() {
        None => {
            // Whole milliseconds: formatting or parsing an f64 would pull float code into the
            // bundle.
            #[allow(clippy::cast_possible_truncation)]
            let now = js_sys::Date::now() as i64;
            if let Some(s) = storage() {
                let _ = s.set_item(&timer_key(id), &now.to_string());
            }
            started.set(Some(now));
        }
        Some(t0) => {
            #[allow(clippy::cast_precision_loss)]
            let m = ((js_sys::Date::now() - t0 as f64) / 60_000.0)
                .ceil()
                .max(1.0);
            if let Some(s) = storage() {
                let _ = s.remove_item(&timer_key(id));
            }
            started.set(None);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            send(m.min(1440.0) as u32);
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
        started.get().map(|t0| {
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
                {move || if started.get().is_some() { i18n.t(Msg::TimerStop) } else { i18n.t(Msg::TimerStart) }}
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
