//! The manager's reports. Each is also CSV (`?format=csv`).

use serde::{Deserialize, Serialize};

use crate::WirePoints;

/// Consumption by client and month: points charged (net of refunds) and hours worked, billable
/// (client-caused incidents, quoted requests) and not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsumptionRowDto {
    pub org_id: i64,
    pub organization: String,
    /// `YYYY-MM`.
    pub month: String,
    pub charged: WirePoints,
    pub billable_minutes: i64,
    pub non_billable_minutes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsumptionReportDto {
    pub from: String,
    pub to: String,
    pub rows: Vec<ConsumptionRowDto>,
}

/// Every client's balance against its threshold: `ok`, `near` (within 150 % of it), `below`,
/// `exhausted`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceRowDto {
    pub org_id: i64,
    pub organization: String,
    pub balance: WirePoints,
    pub available: WirePoints,
    pub threshold: WirePoints,
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceReportDto {
    pub rows: Vec<BalanceRowDto>,
}

/// Disputes and their outcomes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeRowDto {
    pub ticket_id: i64,
    pub ticket_number: i64,
    pub organization: String,
    /// The disputed charge.
    pub points: WirePoints,
    /// `open`, `upheld`, `rejected`.
    pub state: String,
    pub opened_at: i64,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeReportDto {
    pub rows: Vec<DisputeRowDto>,
}
