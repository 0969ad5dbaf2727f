//! Locale-aware formatting through the browser's `Intl`. Points are formatted from their exact
//! integer hundredths: the whole part goes through `Intl.NumberFormat` (exact below 2^53), the
//! two decimals are appended as digits, so no float rounding can show.

use js_sys::{Array, Function, Intl, Object, Reflect};
use pointdesk_api::WirePoints;
use wasm_bindgen::JsValue;

use crate::locale::Locale;

fn locales(locale: Locale) -> Array {
    Array::of1(&JsValue::from_str(locale.tag()))
}

fn call(format: Function, arg: &JsValue) -> String {
    format
        .call1(&JsValue::NULL, arg)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// `1234567` → `1,234,567` (en) / `1 234 567` (ru).
pub fn integer(locale: Locale, n: i64) -> String {
    let nf = Intl::NumberFormat::new(&locales(locale), &Object::new());
    call(nf.format(), &JsValue::from(n as f64))
}

/// A file's size: `840 KB` / `3.4 MB` (`840 кБ` / `3,4 МБ`), in the locale's own unit words.
pub fn size(locale: Locale, bytes: i64) -> String {
    let (unit, n) = if bytes < 1 << 20 {
        ("kilobyte", ((bytes + 1023) >> 10) as f64)
    } else {
        ("megabyte", (bytes as f64) / f64::from(1 << 20))
    };
    let options = Object::new();
    for (k, v) in [
        ("style", JsValue::from_str("unit")),
        ("unit", JsValue::from_str(unit)),
        ("maximumFractionDigits", JsValue::from(1)),
    ] {
        let _ = Reflect::set(&options, &JsValue::from_str(k), &v);
    }
    let nf = Intl::NumberFormat::new(&locales(locale), &options);
    call(nf.format(), &JsValue::from(n))
}

fn decimal_separator(locale: Locale) -> char {
    match locale {
        Locale::En => '.',
        Locale::Ru => ',',
    }
}

/// `-1234.50` → `-1,234.50` (en) / `-1 234,50` (ru).
pub fn points(locale: Locale, p: WirePoints) -> String {
    let h = p.0.hundredths();
    let sign = if h < 0 { "-" } else { "" };
    let abs = h.unsigned_abs();
    let whole = i64::try_from(abs / 100).unwrap_or(i64::MAX);
    format!(
        "{sign}{}{}{:02}",
        integer(locale, whole),
        decimal_separator(locale),
        abs % 100
    )
}

/// `750000 RUB` → `7 500,00 ₽` (ru) / `RUB 7,500.00` (en): the locale's currency format.
/// Prices are below 10^11 minor units, far inside the range where a double holds the amount in
/// hundredths exactly and `Intl` prints those two decimals back unchanged.
pub fn money(locale: Locale, minor: i64, currency: &str) -> String {
    let opts = Object::new();
    let _ = Reflect::set(&opts, &"style".into(), &"currency".into());
    let _ = Reflect::set(&opts, &"currency".into(), &currency.into());
    let nf = Intl::NumberFormat::new(&locales(locale), &opts);
    call(nf.format(), &JsValue::from(minor as f64 / 100.0))
}

/// A date and time in the locale's medium style, in the browser's time zone.
pub fn date_time(locale: Locale, unix_millis: f64) -> String {
    let opts = Object::new();
    let _ = Reflect::set(&opts, &"dateStyle".into(), &"medium".into());
    moment(locale, unix_millis, opts)
}

/// The time alone ("10:42") when it is today, else [`date_time`]: what the offline screens say
/// of the answers and changes the phone keeps.
pub fn time_today(locale: Locale, unix_millis: f64) -> String {
    let same_day = js_sys::Date::new(&JsValue::from_f64(unix_millis)).to_date_string()
        == js_sys::Date::new_0().to_date_string();
    if !same_day {
        return date_time(locale, unix_millis);
    }
    moment(locale, unix_millis, Object::new())
}

fn moment(locale: Locale, unix_millis: f64, opts: Object) -> String {
    let _ = Reflect::set(&opts, &"timeStyle".into(), &"short".into());
    let df = Intl::DateTimeFormat::new(&locales(locale), &opts);
    call(
        df.format(),
        &js_sys::Date::new(&JsValue::from_f64(unix_millis)).into(),
    )
}

/// The CLDR plural category of `n` (`one`, `few`, `many`, `other`, ...).
pub fn plural_category(locale: Locale, n: i64) -> String {
    let rules = Intl::PluralRules::new(&locales(locale), &Object::new());
    rules
        .select(n as f64)
        .as_string()
        .unwrap_or_else(|| "other".into())
}

/// A calendar day given as days since 1970-01-01, in one of three styles: `"long"`
/// (`30 ноября 2026 г.` / `November 30, 2026`), `"month"` (`ноябрь 2026 г.` / `November 2026`)
/// and `"short"` (`нояб.` / `Nov`: a chart's axis).
pub fn day(locale: Locale, days: i64, style: &str) -> String {
    let opts = Object::new();
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&opts, &k.into(), &v.into());
    };
    set("timeZone", "UTC");
    set("month", if style == "short" { "short" } else { "long" });
    if style != "short" {
        set("year", "numeric");
    }
    if style == "long" {
        set("day", "numeric");
    }
    let df = Intl::DateTimeFormat::new(&locales(locale), &opts);
    call(
        df.format(),
        &js_sys::Date::new(&JsValue::from_f64(days as f64 * 86_400_000.0)).into(),
    )
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub fn days_of(date: &str) -> Option<i64> {
    let ms = js_sys::Date::parse(&format!("{date}T00:00:00Z"));
    (!ms.is_nan()).then(|| (ms / 86_400_000.0) as i64)
}

/// Text whose dates and ranges never break at their hyphen or dash (`2026-11`, `09:00–13:00`):
/// a word joiner after each `-` or `–` between two digits.
pub fn keep_together(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!(c, '-' | '–')
            && prev.is_ascii_digit()
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            out.push('\u{2060}');
        }
        prev = c;
    }
    out
}
