//! The notification centre: a person's notices, marking them read, and which come by email.

use pointdesk_api::notifications::{
    MarkReadRequest, NotificationDto, NotificationListDto, NotificationPrefsDto, UnreadDto, KINDS,
};
use pointdesk_api::problem::FieldError;
use worker::Response;

use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, Call, Session};

const PAGE: i64 = 30;

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// A stored figure (`"4.00"`) as wire points.
fn figure(data: &serde_json::Value, key: &str) -> Option<pointdesk_api::WirePoints> {
    data.get(key)
        .and_then(serde_json::Value::as_str)
        .and_then(|s| s.parse().ok())
        .map(pointdesk_api::WirePoints)
}

/// `listNotifications`.
pub async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let url = call.req.url()?;
    let mut before = i64::MAX / 2;
    for (k, v) in url.query_pairs() {
        if k == "before" {
            before =
                v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    AppError::Fields(vec![FieldError::new("before", "malformed")])
                })?;
        }
    }
    let db = call.db()?;
    let (unread, rows, muted) = db.notices(who.user.id, before, PAGE + 1).await?;
    let more = rows.len() > usize::try_from(PAGE).unwrap_or(0);
    let ru = who.user.locale == "ru";
    let mut items: Vec<NotificationDto> = rows
        .into_iter()
        .map(|r| {
            let data: serde_json::Value = serde_json::from_str(&r.data)
                .map_err(|e| AppError::Internal(format!("notification {}: {e}", r.id)))?;
            let s = |k: &str| data.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            Ok(NotificationDto {
                id: r.id,
                kind: r.kind,
                at: r.created_at,
                read: r.read_at.is_some(),
                points: figure(&data, "points"),
                threshold: figure(&data, "threshold"),
                ticket_id: r.ticket_id,
                ticket_number: data.get("ticket").and_then(serde_json::Value::as_i64),
                title: s("title").or_else(|| s("reason")),
                what: if ru { s("what_ru") } else { s("what_en") },
                organization: r.organization,
            })
        })
        .collect::<AppResult<_>>()?;
    items.truncate(usize::try_from(PAGE).unwrap_or(0));
    let next = if more {
        items.last().map(|n| n.id)
    } else {
        None
    };
    json(&NotificationListDto {
        unread: count(unread),
        items,
        next,
        email_muted: muted_kinds(who, &muted)?,
    })
}

/// `markNotificationsRead`.
pub async fn mark_read(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let req: MarkReadRequest = read_json(&mut call.req).await?;
    if req.ids.len() > 500 {
        return Err(AppError::Fields(vec![FieldError {
            field: "ids".into(),
            code: "too_many".into(),
            limit: Some(500),
        }]));
    }
    let db = call.db()?;
    let unread = db
        .mark_read(who.user.id, &req.ids, req.all, call.now.unix())
        .await?;
    json(&UnreadDto {
        unread: count(unread),
    })
}

/// `getNotificationPreferences`.
pub async fn prefs(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    let muted = muted_kinds(who, &db.email_muted(who.user.id).await?)?;
    json(&NotificationPrefsDto { email_muted: muted })
}

/// `updateNotificationPreferences`: unknown kinds are refused by index.
pub async fn set_prefs(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let mut req: NotificationPrefsDto = read_json(&mut call.req).await?;
    let bad: Vec<FieldError> = req
        .email_muted
        .iter()
        .enumerate()
        .filter(|(_, k)| !KINDS.contains(&k.as_str()))
        .map(|(i, _)| FieldError::new(format!("email_muted[{i}]"), "unknown"))
        .collect();
    if !bad.is_empty() {
        return Err(AppError::Fields(bad));
    }
    req.email_muted.sort();
    req.email_muted.dedup();
    let db = call.db()?;
    let stored =
        serde_json::to_string(&req.email_muted).map_err(|e| AppError::Internal(e.to_string()))?;
    db.set_email_muted(who.user.id, &stored).await?;
    json(&req)
}

/// The kinds of notice a person muted by mail, as stored (a JSON list).
fn muted_kinds(who: &Session, stored: &str) -> AppResult<Vec<String>> {
    serde_json::from_str(stored)
        .map_err(|e| AppError::Internal(format!("user {}'s muted kinds: {e}", who.user.id)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn figures_read_back_as_points() {
        let data = serde_json::json!({ "points": "4.50", "threshold": null });
        assert_eq!(
            super::figure(&data, "points").map(|p| p.0.to_string()),
            Some("4.50".to_owned())
        );
        assert!(super::figure(&data, "threshold").is_none());
    }
}
