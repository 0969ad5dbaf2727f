//! Named time zones resolved by the runtime's `Intl`: the domain receives instants and UTC
//! offsets, and no zone database ships in the wasm.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Object, Reflect};
use pointdesk_domain::time::{Date, Period, Timestamp};
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// One formatter per zone an isolate has met: making an `Intl.DateTimeFormat` costs far
    /// more than using one.
    static FORMATTERS: RefCell<HashMap<String, js_sys::Intl::DateTimeFormat>> =
        RefCell::new(HashMap::new());
}

/// The formatter that spells an instant's wall clock in `zone`; `None` for an unknown zone.
fn formatter(zone: &str) -> Option<js_sys::Intl::DateTimeFormat> {
    if let Some(f) = FORMATTERS.with(|m| m.borrow().get(zone).cloned()) {
        return Some(f);
    }
    let options = Object::new();
    for (k, v) in [
        ("timeZone", zone),
        ("hourCycle", "h23"),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("second", "numeric"),
    ] {
        Reflect::set(&options, &k.into(), &v.into()).ok()?;
    }
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: js_sys::Function = Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    // `new Intl.DateTimeFormat` throws a RangeError for an unknown zone: caught here.
    let args = Array::of2(&"en-US".into(), &options);
    let format: js_sys::Intl::DateTimeFormat =
        Reflect::construct(&ctor, &args).ok()?.dyn_into().ok()?;
    FORMATTERS.with(|m| {
        let mut m = m.borrow_mut();
        // Zones are the providers' own: a handful; a bound keeps a stray one from piling up.
        if m.len() >= 64 {
            m.clear();
        }
        m.insert(zone.to_owned(), format.clone());
    });
    Some(format)
}

/// Minutes east of UTC in `zone` at `at` (daylight saving included); `None` for a zone the
/// runtime does not know.
pub fn offset_minutes(zone: &str, at: Timestamp) -> Option<i32> {
    let format = formatter(zone)?;
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(at.unix() as f64 * 1000.0)); // tidy: js-number
    let parts = format.format_to_parts(&date);
    let mut fields = [0i64; 6];
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        let slot = match kind.as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            "hour" => 3,
            "minute" => 4,
            "second" => 5,
            _ => continue,
        };
        fields[slot] = value.parse().ok()?;
    }
    let [year, month, day, hour, minute, second] = fields;
    let date = Date::ymd(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )?;
    // The local wall clock read as if it were UTC, less the instant: the offset.
    let local = Timestamp::at_local(date, hour * 3600 + minute * 60 + second, 0);
    i32::try_from((local.unix() - at.unix()).div_euclid(60)).ok()
}

/// The period `at` falls in, in `zone` (UTC for an unknown zone).
pub fn period_at(zone: &str, at: Timestamp) -> Period {
    Period::containing(at, offset_minutes(zone, at).unwrap_or(0))
}

/// The first instant of `p` in `zone`: the local midnight of its first day. The offset is taken
/// at that midnight (found by asking twice: a zone's offset a day before may differ).
pub fn period_start(zone: &str, p: Period) -> Timestamp {
    let midnight = p.first_day().midnight(0).unix();
    let guess = offset_minutes(zone, Timestamp::from_unix(midnight)).unwrap_or(0);
    let first = midnight - i64::from(guess) * 60;
    let offset = offset_minutes(zone, Timestamp::from_unix(first)).unwrap_or(guess);
    Timestamp::from_unix(midnight - i64::from(offset) * 60)
}

/// A named zone as the domain's calculators ask for it (UTC for a zone the runtime does not
/// know).
pub struct Named<'a>(pub &'a str);

impl pointdesk_domain::sla::Zone for Named<'_> {
    fn offset_minutes(&self, at: Timestamp) -> i32 {
        offset_minutes(self.0, at).unwrap_or(0)
    }
}
