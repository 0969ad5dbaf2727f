use leptos::prelude::*;

use crate::client;
use crate::components::error_box::ErrorBox;
use crate::components::remote::remote_text;
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::flat_json;
use crate::format;
use crate::i18n::{use_i18n, Msg};
use crate::writes::{busy, error_of, succeeded, use_write};

/// The client admin's automatic top-up (`getAutoTopUp` / `updateAutoTopUp`): on or off, the
/// threshold, the pack (`packs`: id and name of those on sale), card or invoice, the
/// monthly limit; the kept card and a standing notice are shown as the server tells them. Refusals show under their fields; nothing typed is lost.
pub fn auto_topup_form(org: i64, packs: Vec<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let save = use_write();
    let error = error_of(save);
    let path = format!("/organizations/{org}/auto-top-up");
    view! {
        <section class="card" data-testid="auto-topup">
            <h2 class="card__title">{i18n.tr(Msg::AutoTopUp)}</h2>
            <p class="muted">{i18n.tr(Msg::AutoTopUpIntro)}</p>
            {remote_text(path.clone(), move |text| {
                let f = flat_json::fields(&text);
                let first = packs.first().map_or(String::new(), |p| p.0.to_string());
                let chosen = f.get("pack_id");
                let pack = RwSignal::new(if chosen == "0" { first } else { chosen });
                let enabled = RwSignal::new(f.flag("enabled"));
                let threshold = RwSignal::new(f.get("threshold"));
                let method = RwSignal::new(f.get("method"));
                let cap = RwSignal::new(major(&f.get("monthly_cap_minor")));
                let loc = i18n.locale.get_untracked();
                let card = match f.get("card") {
                    c if c.is_empty() => i18n.t(Msg::NoCardKept).to_owned(),
                    c => format!("{} {c}", i18n.t(Msg::CardKept)),
                };
                let announced = f.get("announced_at").parse::<i64>().ok().map(|at| {
                    format!("{} {}", i18n.t(Msg::TopUpAt), format::date_time(loc, (at + 3600) as f64 * 1000.0))
                });
                let submit = {
                    let path = path.clone();
                    move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        save.dispatch(client::save_auto_topup(
                            &path,
                            enabled.get_untracked(),
                            &threshold.get_untracked().trim().replace(',', "."),
                            &pack.get_untracked(),
                            &method.get_untracked(),
                            &minor(&cap.get_untracked()),
                        ));
                    }
                };
                let options = packs.clone();
                view! {
                    <form class="stack" on:submit=submit novalidate=true data-testid="auto-topup-form">
                        <label class="check">
                            <input type="checkbox" data-testid="input-enabled" prop:checked=move || enabled.get()
                                on:change=move |ev| enabled.set(event_target_checked(&ev)) />
                            {i18n.tr(Msg::AutoTopUpOn)}
                        </label>
                        <TextField label=Msg::AutoThreshold name="threshold" value=threshold error=error />
                        <label class="field">
                            <span class="field__label">{i18n.tr(Msg::Pack)}</span>
                            <select class="field__input" data-testid="input-pack_id"
                                on:change=move |ev| pack.set(event_target_value(&ev))>
                                {options.into_iter().map(|(id, name)| {
                                    let v = id.to_string();
                                    let selected = pack.get_untracked() == v;
                                    view! { <option value=v selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <SelectField label=Msg::PayWith field="method" value=method
                            choices=vec![("card", Msg::MethodCard), ("invoice", Msg::MethodInvoice)] />
                        <TextField label=Msg::MonthlyCap name="monthly_cap_minor" value=cap error=error />
                        <p class="muted" data-testid="auto-topup-card">{card}</p>
                        {announced.map(|a| view! { <p class="notice" data-testid="auto-topup-announced">{a}</p> })}
                        <ErrorBox error=error />
                        {move || succeeded(save).then(|| view! { <p class="notice notice--ok" role="status" data-testid="auto-topup-saved">{i18n.tr(Msg::Saved)}</p> })}
                        <button class="button" type="submit" data-testid="auto-topup-submit" disabled=busy(save)>{i18n.tr(Msg::Save)}</button>
                    </form>
                }.into_any()
            })}
        </section>
    }
}

/// `1500000` minor units as the whole amount the admin types (`15000`; kopecks kept: `15000.5`).
fn major(minor: &str) -> String {
    match minor.parse::<i64>() {
        Ok(0) | Err(_) => String::new(),
        Ok(m) if m % 100 == 0 => (m / 100).to_string(),
        Ok(m) => format!("{}.{:02}", m / 100, m % 100),
    }
}

/// What the admin typed (`15000`, `15 000,50`) in minor units; anything else goes as typed and
/// the server names the field.
fn minor(typed: &str) -> String {
    let t: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let (whole, frac) = t.split_once(['.', ',']).unwrap_or((&t, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(whole) && (frac.is_empty() || (digits(frac) && frac.len() <= 2)) && whole.len() < 13 {
        let n = format!("{whole}{frac:0<2}");
        match n.trim_start_matches('0') {
            "" => "0".to_owned(),
            rest => rest.to_owned(),
        }
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_typed_whole_and_sent_in_minor_units() {
        assert_eq!(minor("15000"), "1500000");
        assert_eq!(minor("15 000,5"), "1500050");
        assert_eq!(minor("0"), "0");
        assert_eq!(minor("12.345"), "12.345");
        assert_eq!(major("1500000"), "15000");
        assert_eq!(major("1500050"), "15000.50");
        assert_eq!(major("0"), "");
    }
}
