//! The query words every report reads: `format` (JSON or CSV) and its months.

use pointdesk_api::problem::FieldError;
use pointdesk_domain::time::Period;

use super::{Call, Session};
use crate::error::{AppError, AppResult};
use crate::zone;

fn query(call: &Call<'_>, key: &str) -> AppResult<Option<String>> {
    Ok(call
        .req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty()))
}

pub fn wants_csv(call: &Call<'_>) -> AppResult<bool> {
    match query(call, "format")?.as_deref() {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(_) => Err(AppError::Fields(vec![FieldError::new(
            "format",
            "malformed",
        )])),
    }
}

/// `format=html` asks for a document's printable page; `json` (or nothing) for the data.
pub fn wants_html(call: &Call<'_>) -> AppResult<bool> {
    match query(call, "format")?.as_deref() {
        None | Some("json") => Ok(false),
        Some("html") => Ok(true),
        Some(_) => Err(AppError::Fields(vec![FieldError::new(
            "format",
            "malformed",
        )])),
    }
}

/// The language of a CSV: `locale` when asked (`en`, `ru`), else the reader's.
pub fn csv_locale(call: &Call<'_>, who: &Session) -> AppResult<String> {
    match query(call, "locale")?.as_deref() {
        None => Ok(who.user.locale.clone()),
        Some(l @ ("en" | "ru")) => Ok(l.to_owned()),
        Some(_) => Err(AppError::Fields(vec![FieldError::new(
            "locale",
            "malformed",
        )])),
    }
}

/// A report's months: `from`..=`to` (`YYYY-MM`, default: the last six) of the provider's
/// calendar, as periods and as `[start, end)` unix seconds, with the zone's offset now.
pub struct Months {
    pub from: Period,
    pub to: Period,
    pub between: (i64, i64),
    pub offset: i32,
}

pub fn months(call: &Call<'_>, who: &Session) -> AppResult<Months> {
    let zone = &who.user.time_zone;
    let now = call.now;
    let current = zone::period_at(zone, now);
    let mut bad = Vec::new();
    let mut month = |key: &str, default: Period| match query(call, key) {
        Ok(None) => default,
        Ok(Some(v)) => Period::parse(&v).unwrap_or_else(|_| {
            bad.push(FieldError::new(key, "malformed"));
            default
        }),
        Err(_) => default,
    };
    let mut six = current;
    for _ in 0..5 {
        six = six.previous();
    }
    let from = month("from", six);
    let to = month("to", current);
    if from > to {
        bad.push(FieldError::new("to", "before_from"));
    }
    if !bad.is_empty() {
        return Err(AppError::Fields(bad));
    }
    Ok(Months {
        from,
        to,
        between: (
            zone::period_start(zone, from).unix(),
            zone::period_start(zone, to.next()).unix(),
        ),
        offset: zone::offset_minutes(zone, now).unwrap_or(0),
    })
}
