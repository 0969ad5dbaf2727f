//! The in-app notification centre and each person's choice of what also comes by email.

use serde::{Deserialize, Serialize};

use crate::WirePoints;

/// Every kind of notice, in the order the preferences screen lists them.
pub const KINDS: &[&str] = &[
    "ticket_opened",
    "sla_warning",
    "sla_breach",
    "ticket_received",
    "dispute_opened",
    "approval_recorded",
    "closing_soon",
    "points_expiring",
    "low_balance",
    "balance_exhausted",
    "charge_made",
    "quote_awaiting",
    "dispute_decided",
    "grant_arrived",
    "adjustment_made",
    "topup_credited",
    "auto_topup_due",
    "auto_topup_made",
    "auto_topup_confirm",
    "auto_topup_failed",
    "purchase_refunded",
    "refunded",
    "ticket_changed",
];

/// One notice, worded by the app in the reader's language from its kind and figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationDto {
    pub id: i64,
    pub kind: String,
    pub at: i64,
    pub read: bool,
    /// The amount the notice is about (a charge, a grant, available points).
    pub points: Option<WirePoints>,
    pub threshold: Option<WirePoints>,
    pub ticket_id: Option<i64>,
    pub ticket_number: Option<i64>,
    pub title: Option<String>,
    /// What changed on a followed ticket, in the reader's language.
    pub what: Option<String>,
    pub organization: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationListDto {
    pub unread: u32,
    pub items: Vec<NotificationDto>,
    /// The cursor of the next (older) page.
    pub next: Option<i64>,
    /// The kinds that do not come to this person by email (as `getNotificationPreferences`).
    pub email_muted: Vec<String>,
}

/// Mark these notices read, or all of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkReadRequest {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default)]
    pub all: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadDto {
    pub unread: u32,
}

/// The kinds that do not come by email (the centre always has them all).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPrefsDto {
    pub email_muted: Vec<String>,
}
