use leptos::prelude::*;
use pointdesk_api::sla::{BusinessCalendarDto, BusinessCalendarRequest, HolidayDto, WindowDto};

use crate::client::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::components::remote::{remote, Remote};
use crate::components::text_field::TextField;
use crate::i18n::{self, use_i18n, Msg};
use crate::writes::{busy, error_of, on_success, use_write};

/// The fields of the seven days, as errors name them.
const DAYS: [(&str, Msg); 7] = [
    ("week[0]", Msg::Monday),
    ("week[1]", Msg::Tuesday),
    ("week[2]", Msg::Wednesday),
    ("week[3]", Msg::Thursday),
    ("week[4]", Msg::Friday),
    ("week[5]", Msg::Saturday),
    ("week[6]", Msg::Sunday),
];

/// A yearly holiday is written without its year (`01-01 New Year`); the wire carries it as a
/// date of 2000 (a leap year, so 29 February can repeat) with `yearly`.
const YEARLY: &str = "2000";

/// `09:00–13:00, 14:00–18:00` from a day's windows.
fn day_text(day: &[WindowDto]) -> String {
    day.iter()
        .map(|w| format!("{}–{}", w.start, w.end))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A day's windows from what was typed; a piece that is not `HH:MM–HH:MM` is sent as it is,
/// for the server to name the day.
fn day_windows(text: &str) -> Vec<WindowDto> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (start, end) = p.split_once(['–', '-', '—']).unwrap_or((p, ""));
            WindowDto {
                start: start.trim().to_owned(),
                end: end.trim().to_owned(),
            }
        })
        .collect()
}

fn holidays_text(h: &[HolidayDto]) -> String {
    h.iter()
        .map(|h| {
            // A yearly holiday is its month and day, whatever year it was entered with.
            let date = match h.date.get(5..).filter(|_| h.yearly) {
                Some(month_day) => month_day.to_owned(),
                None => h.date.clone(),
            };
            format!("{date} {}", h.name).trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn holidays(text: &str) -> Vec<HolidayDto> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (date, name) = l.split_once(' ').unwrap_or((l, ""));
            let yearly = date.len() == 5;
            HolidayDto {
                date: if yearly {
                    format!("{YEARLY}-{date}")
                } else {
                    date.to_owned()
                },
                yearly,
                name: name.trim().to_owned(),
            }
        })
        .collect()
}

/// The provider's working hours and holidays: what every service-level deadline counts.
#[component]
pub fn WorkingHours() -> impl IntoView {
    let i18n = use_i18n();
    let calendar = Remote::new(client::business_calendar);
    view! {
        <section class="card" data-testid="working-hours">
            <h2 class="card__title">{i18n.tr(Msg::WorkingHours)}</h2>
            {remote(calendar, |c| view! { <HoursForm calendar=c /> })}
        </section>
    }
}

#[component]
fn HoursForm(calendar: BusinessCalendarDto) -> impl IntoView {
    let i18n = use_i18n();
    let days: Vec<RwSignal<String>> = (0..7)
        .map(|i| {
            RwSignal::new(
                calendar
                    .week
                    .get(i)
                    .map(|d| day_text(d))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let days = StoredValue::new(days);
    let holiday_text = RwSignal::new(holidays_text(&calendar.holidays));
    let save = use_write();
    let error = error_of(save);
    let saved = RwSignal::new(false);
    on_success(save, move |_| saved.set(true));
    let holiday_error = move || {
        error.get().and_then(|e: ApiError| {
            e.problem()?
                .errors
                .iter()
                .find(|f| f.field.starts_with("holidays"))
                .map(|f| {
                    let line = f
                        .field
                        .trim_start_matches("holidays[")
                        .split(']')
                        .next()
                        .unwrap_or("0");
                    let n = line.parse::<usize>().unwrap_or(0) + 1;
                    format!(
                        "{} {n}: {}",
                        i18n.t(Msg::Line),
                        i18n::field_error(i18n.locale.get(), f)
                    )
                })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let week = days.with_value(|d| d.iter().map(|s| day_windows(&s.get_untracked())).collect());
        save.dispatch(client::update_business_calendar(&BusinessCalendarRequest {
            week,
            holidays: holidays(&holiday_text.get_untracked()),
        }));
    };
    view! {
        <p class="muted">{i18n.tr(Msg::WorkingHoursHint)}" "{calendar.time_zone.clone()}</p>
        <form class="stack" on:submit=submit novalidate=true data-testid="hours-form">
            <div class="week">
                {DAYS.into_iter().enumerate().map(|(i, (name, label))| {
                    let value = days.with_value(|d| d[i]);
                    view! { <TextField label=label name=name value=value error=error /> }
                }).collect_view()}
            </div>
            <label class="field">
                <span class="field__label">{i18n.tr(Msg::Holidays)}</span>
                <textarea class="field__input" rows="6" name="holidays" data-testid="input-holidays"
                    prop:value=move || holiday_text.get()
                    on:input=move |ev| holiday_text.set(event_target_value(&ev))></textarea>
                <span class="field__hint">{i18n.tr(Msg::HolidaysHint)}</span>
                {move || holiday_error().map(|m| view! { <span class="field__error" role="alert">{m}</span> })}
            </label>
            <ErrorBox error=error />
            {move || saved.get().then(|| view! { <p class="status-line status-line--ok" role="status">{i18n.tr(Msg::Saved)}</p> })}
            <button class="button" type="submit" disabled=busy(save) data-testid="hours-save">{i18n.tr(Msg::Save)}</button>
        </form>
    }
}
