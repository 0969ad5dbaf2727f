//! Balance, ledger, allotment and charge explanations on the wire.

use pointdesk_domain::charging::{ChargeRule, TimeCharge};
use pointdesk_domain::credit::{Block, Move};
use pointdesk_domain::forecast::RunOut;
use pointdesk_domain::ledger::{Entry, EntryKind, EntryRef};
use pointdesk_domain::plan::{Allotment, AllotmentLine};
use pointdesk_domain::points::Points;
use pointdesk_domain::DomainError;
use serde::{Deserialize, Serialize};

use crate::WirePoints;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceDto {
    pub balance: WirePoints,
    pub held: WirePoints,
    pub available: WirePoints,
    pub threshold: WirePoints,
    pub run_out: RunOutDto,
}

/// When the available points run out at the recent pace: `kind` is `never` (nothing is being
/// spent), `now` (none are available) or `on` a `date` (`YYYY-MM-DD`). A plain struct rather than
/// a tagged enum: the app's bundle pays for every deserializer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunOutDto {
    pub kind: String,
    pub date: Option<String>,
}

impl From<RunOut> for RunOutDto {
    fn from(r: RunOut) -> Self {
        let (kind, date) = match r {
            RunOut::Never => ("never", None),
            RunOut::Now => ("now", None),
            RunOut::On(d) => ("on", Some(d.to_string())),
        };
        RunOutDto {
            kind: kind.to_owned(),
            date,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryDto {
    pub seq: u64,
    pub kind: String,
    pub amount: WirePoints,
    pub balance_after: WirePoints,
    pub reason: String,
    /// `ticket:12`, `quote:3`, `payment:7`, `period:2026-11`, `dispute:2`, `adjustment:5`.
    pub reference: String,
    pub actor_id: Option<i64>,
    /// Unix seconds.
    pub at: i64,
    /// The credit blocks the entry drew from (negative) or added to (positive).
    pub moves: Vec<MoveDto>,
    /// How the entry changed what is owed below zero (positive: more debt).
    pub debt_change: WirePoints,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveDto {
    pub block: i64,
    pub points: WirePoints,
}

impl From<&Move> for MoveDto {
    fn from(m: &Move) -> Self {
        MoveDto {
            block: m.block.get(),
            points: m.points.into(),
        }
    }
}

/// A credit block: where points came from, what is left and when it expires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockDto {
    pub id: i64,
    /// `grant:2026-11`, `purchase:7`, `adjustment:2`, `refund:4`, `rollover:2026-10`,
    /// `returned:3`.
    pub source: String,
    pub amount: WirePoints,
    pub remaining: WirePoints,
    pub reserved: WirePoints,
    /// `YYYY-MM`: the block expires at the end of this period; absent for never.
    pub expires: Option<String>,
    pub expired: bool,
}

impl From<&Block> for BlockDto {
    fn from(b: &Block) -> Self {
        BlockDto {
            id: b.id.get(),
            source: b.source.code(),
            amount: b.amount.into(),
            remaining: b.remaining.into(),
            reserved: b.reserved.into(),
            expires: b.expires.map(|p| p.to_string()),
            expired: b.expired,
        }
    }
}

pub fn reference_str(r: EntryRef) -> String {
    match r {
        EntryRef::Period(p) => format!("period:{p}"),
        EntryRef::Payment(id) => format!("payment:{id}"),
        EntryRef::Ticket(id) => format!("ticket:{id}"),
        EntryRef::Quote(id) => format!("quote:{id}"),
        EntryRef::Dispute(id) => format!("dispute:{id}"),
        EntryRef::Adjustment(id) => format!("adjustment:{id}"),
    }
}

impl From<&Entry> for EntryDto {
    fn from(e: &Entry) -> Self {
        EntryDto {
            seq: e.seq,
            kind: e.kind.as_str().to_owned(),
            amount: e.amount.into(),
            balance_after: e.balance_after.into(),
            reason: e.reason.clone(),
            reference: reference_str(e.reference),
            actor_id: e.actor.map(|a| a.get()),
            at: e.at.unix(),
            moves: e.moves.iter().map(MoveDto::from).collect(),
            debt_change: e.debt_change.into(),
        }
    }
}

/// A manager's manual adjustment. `TryFrom` checks it the way the domain will.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustmentRequest {
    /// Positive credits, negative debits.
    pub amount: WirePoints,
    /// Mandatory; the client reads it in the ledger.
    pub reason: String,
}

pub struct Adjustment {
    pub amount: Points,
    pub reason: String,
}

/// The largest adjustment: 10 000 points either way.
pub const MAX_ADJUSTMENT: i64 = 1_000_000;

impl TryFrom<AdjustmentRequest> for Adjustment {
    type Error = Vec<crate::problem::FieldError>;
    fn try_from(r: AdjustmentRequest) -> Result<Self, Self::Error> {
        use crate::problem::FieldError;
        let mut f = crate::accounts::Fields::default();
        let h = r.amount.0.hundredths();
        if h == 0 {
            f.push(FieldError::new("amount", "zero"));
        } else if h.abs() > MAX_ADJUSTMENT {
            f.push(FieldError {
                field: "amount".into(),
                code: "too_large".into(),
                limit: Some(10_000),
            });
        }
        let reason = f.take(
            "reason",
            pointdesk_domain::ticket::text(&r.reason, 1, 500, true),
        );
        f.finish(|| {
            Some(Adjustment {
                amount: r.amount.0,
                reason: reason?,
            })
        })
    }
}

// ---- the ledger page, chart and statement ---------------------------------------------------

/// The ticket an entry belongs to (through its ticket, quote or dispute).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketRefDto {
    pub id: i64,
    pub number: i64,
    pub title: String,
}

/// A block an entry drew from (negative) or added to (positive), with the block's source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockMoveDto {
    pub block: i64,
    /// `grant:2026-11`, `purchase:7`, `rollover:2026-10`, ...
    pub source: String,
    pub points: WirePoints,
}

/// One ledger entry as the ledger page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntryDto {
    pub id: i64,
    /// `grant`, `purchase`, `charge`, `refund`, `adjustment`, `expiry`, `repayment`.
    pub kind: String,
    pub amount: WirePoints,
    pub balance_after: WirePoints,
    pub reason: String,
    /// `ticket:12`, `quote:3`, `payment:7`, `period:2026-11`, `dispute:2`, `adjustment:5`.
    pub reference: String,
    pub ticket: Option<TicketRefDto>,
    /// Who made it (a person), absent for the system.
    pub actor: Option<String>,
    /// Unix seconds.
    pub at: i64,
    pub moves: Vec<BlockMoveDto>,
}

/// A page of entries, newest first; `next` is the cursor of the following page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerPageDto {
    pub entries: Vec<LedgerEntryDto>,
    pub next: Option<i64>,
}

/// One UTC day of an organisation's ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceDayDto {
    /// Days since 1970-01-01.
    pub day: i64,
    /// The balance at the day's end.
    pub closing: WirePoints,
    pub grants: WirePoints,
    pub purchases: WirePoints,
    /// Negative.
    pub charges: WirePoints,
}

/// The balance over the last 12 months: the days with entries, and the balance before them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalanceHistoryDto {
    /// Days since 1970-01-01: the first day shown and today.
    pub from: i64,
    pub to: i64,
    pub opening: WirePoints,
    pub days: Vec<BalanceDayDto>,
}

/// A line of a statement: a dated amount with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementLineDto {
    pub at: i64,
    pub amount: WirePoints,
    pub reason: String,
    pub reference: String,
}

/// What one ticket cost in the period (charges less refunds of them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementChargeDto {
    pub ticket: Option<TicketRefDto>,
    pub reference: String,
    /// Negative: what was charged.
    pub charged: WirePoints,
    /// Positive: what was refunded.
    pub refunded: WirePoints,
}

/// A period's statement: opening balance, every kind of movement, closing balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementDto {
    pub organization: crate::accounts::OrgRefDto,
    pub period: String,
    /// The period's first and last day (`YYYY-MM-DD`) in the provider's time zone.
    pub first_day: String,
    pub last_day: String,
    pub time_zone: String,
    pub opening: WirePoints,
    pub grants: WirePoints,
    pub purchases: Vec<StatementLineDto>,
    pub charges: Vec<StatementChargeDto>,
    pub adjustments: Vec<StatementLineDto>,
    pub expiry: WirePoints,
    pub closing: WirePoints,
    pub entries: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryKindDto(pub String);

impl TryFrom<EntryKindDto> for EntryKind {
    type Error = DomainError;
    fn try_from(k: EntryKindDto) -> Result<Self, DomainError> {
        EntryKind::parse(&k.0).ok_or(DomainError::Invalid("unknown ledger entry kind"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllotmentDto {
    pub total: WirePoints,
    pub lines: Vec<AllotmentLineDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "AllotmentLineWire"
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AllotmentLineDto {
    Base {
        points: WirePoints,
    },
    Seats {
        seats: u32,
        per_seat: WirePoints,
        points: WirePoints,
    },
    Option {
        code: String,
        name: String,
        points: WirePoints,
    },
}

/// [`AllotmentLineDto`] as it is read: one flat object whose `kind` says which fields matter.
/// An internally tagged enum is read by buffering every value first (serde's `Content`), which
/// cost the app several KB of wasm; the wire format is the same.
#[derive(Deserialize)]
struct AllotmentLineWire {
    kind: String,
    points: WirePoints,
    #[serde(default)]
    seats: Option<u32>,
    #[serde(default)]
    per_seat: Option<WirePoints>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

impl TryFrom<AllotmentLineWire> for AllotmentLineDto {
    type Error = String;
    fn try_from(w: AllotmentLineWire) -> Result<Self, String> {
        let missing = |f: &str| format!("an allotment line of kind {} needs `{f}`", w.kind);
        Ok(match w.kind.as_str() {
            "base" => AllotmentLineDto::Base { points: w.points },
            "seats" => AllotmentLineDto::Seats {
                seats: w.seats.ok_or_else(|| missing("seats"))?,
                per_seat: w.per_seat.ok_or_else(|| missing("per_seat"))?,
                points: w.points,
            },
            "option" => AllotmentLineDto::Option {
                code: w.code.clone().ok_or_else(|| missing("code"))?,
                name: w.name.clone().ok_or_else(|| missing("name"))?,
                points: w.points,
            },
            other => return Err(format!("unknown allotment line kind {other}")),
        })
    }
}

impl From<&Allotment> for AllotmentDto {
    fn from(a: &Allotment) -> Self {
        AllotmentDto {
            total: a.total.into(),
            lines: a
                .lines
                .iter()
                .map(|l| match l {
                    AllotmentLine::Base { points } => AllotmentLineDto::Base {
                        points: (*points).into(),
                    },
                    AllotmentLine::Seats {
                        seats,
                        per_seat,
                        points,
                    } => AllotmentLineDto::Seats {
                        seats: *seats,
                        per_seat: (*per_seat).into(),
                        points: (*points).into(),
                    },
                    AllotmentLine::Option { code, name, points } => AllotmentLineDto::Option {
                        code: code.clone(),
                        name: name.clone(),
                        points: (*points).into(),
                    },
                })
                .collect(),
        }
    }
}

/// "12 min → 0.25 pt: rounded up to 15 min" as data; the app words it per locale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChargeExplanationDto {
    pub logged_minutes: u32,
    pub billed_minutes: u32,
    pub increment_minutes: u32,
    pub points: WirePoints,
    /// `exact`, `rounded_up` or `minimum`.
    pub rule: String,
}

impl From<&TimeCharge> for ChargeExplanationDto {
    fn from(t: &TimeCharge) -> Self {
        ChargeExplanationDto {
            logged_minutes: t.logged_minutes,
            billed_minutes: t.billed_minutes,
            increment_minutes: t.increment_minutes,
            points: t.points.into(),
            rule: match t.rule {
                ChargeRule::Exact => "exact",
                ChargeRule::RoundedUp => "rounded_up",
                ChargeRule::Minimum => "minimum",
            }
            .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pointdesk_domain::ids::{OrgId, TicketId};
    use pointdesk_domain::time::Timestamp;

    #[test]
    fn allotment_lines_are_tagged_by_kind_both_ways() {
        let p = |s: &str| WirePoints(s.parse().unwrap());
        let lines = vec![
            AllotmentLineDto::Base { points: p("8") },
            AllotmentLineDto::Seats {
                seats: 12,
                per_seat: p("1"),
                points: p("12"),
            },
            AllotmentLineDto::Option {
                code: "mon".into(),
                name: "Monitoring".into(),
                points: p("5"),
            },
        ];
        let json = serde_json::to_value(&lines).unwrap();
        assert_eq!(
            json[0],
            serde_json::json!({ "kind": "base", "points": "8.00" })
        );
        assert_eq!(json[1]["kind"], "seats");
        assert_eq!(json[2]["code"], "mon");
        let back: Vec<AllotmentLineDto> = serde_json::from_value(json).unwrap();
        assert_eq!(back, lines);
        for bad in [
            serde_json::json!({ "kind": "gift", "points": "1.00" }),
            serde_json::json!({ "kind": "seats", "points": "1.00" }),
        ] {
            assert!(serde_json::from_value::<AllotmentLineDto>(bad).is_err());
        }
    }

    #[test]
    fn entries_travel_with_string_amounts() {
        let e = Entry {
            seq: 1,
            org: OrgId::new(1),
            kind: EntryKind::Charge,
            amount: "-0.75".parse().unwrap(),
            reason: "45 min".into(),
            reference: EntryRef::Ticket(TicketId::new(12)),
            actor: None,
            key: pointdesk_domain::ids::IdempotencyKey::incident_charge(TicketId::new(12)),
            at: Timestamp::from_unix(1),
            balance_after: "9.25".parse().unwrap(),
            moves: vec![Move {
                block: pointdesk_domain::ids::BlockId::new(3),
                points: "-0.75".parse().unwrap(),
            }],
            debt_change: Points::ZERO,
        };
        let json = serde_json::to_value(EntryDto::from(&e)).unwrap();
        assert_eq!(json["amount"], "-0.75");
        assert_eq!(json["balance_after"], "9.25");
        assert_eq!(json["reference"], "ticket:12");
        assert_eq!(json["moves"][0]["block"], 3);
        assert_eq!(json["moves"][0]["points"], "-0.75");
    }

    #[test]
    fn adjustment_requests_are_checked() {
        let ok: AdjustmentRequest =
            serde_json::from_str(r#"{"amount":"-1.5","reason":" typo ","idempotency_key":"k"}"#)
                .unwrap();
        assert_eq!(Adjustment::try_from(ok).unwrap().reason, "typo");
        let zero: AdjustmentRequest =
            serde_json::from_str(r#"{"amount":"0","reason":"x","idempotency_key":"k"}"#).unwrap();
        assert!(Adjustment::try_from(zero).is_err());
    }
}

/// `POST /api/v1/charge-preview`: what would this much logged time cost under these terms?
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChargePreviewRequest {
    pub logged_minutes: u32,
    pub increment_minutes: u32,
    pub minimum_charge: WirePoints,
}
