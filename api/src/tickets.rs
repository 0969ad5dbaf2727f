//! Tickets, the service catalogue, quotes, causes and disputes on the wire. Requests parse into
//! domain values field by field (every refused field is reported); answers are plain data the
//! app words per locale.

use pointdesk_domain::account::Reject;
use pointdesk_domain::incident::Cause;
use pointdesk_domain::points::Points;
use pointdesk_domain::service_request::QuoteStatus;
use pointdesk_domain::ticket::{self, Kind, Priority};
use pointdesk_domain::time::Date;
use serde::{Deserialize, Serialize};

use crate::accounts::{Fields, OrgRefDto};
use crate::ledger::ChargeExplanationDto;
use crate::problem::FieldError;
use crate::WirePoints;

/// The largest quote, estimate or charge a ticket takes: 10 000 points.
pub const MAX_TICKET_POINTS: i64 = 1_000_000;

// ---- the catalogue ------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueItemDto {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// `standard` (included) or `quoted` (needs an approved quote).
    pub kind: String,
    /// The usual quote.
    pub estimate: Option<WirePoints>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueListDto {
    pub items: Vec<CatalogueItemDto>,
}

/// A catalogue item as a manager writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueItemRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub kind: String,
    #[serde(default)]
    pub estimate: Option<WirePoints>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A checked catalogue item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueItem {
    pub name: String,
    pub description: String,
    pub quoted: bool,
    pub estimate: Option<Points>,
    pub active: bool,
}

fn ticket_points(f: &mut Fields, field: &str, p: Points) -> Option<Points> {
    if !p.is_positive() {
        f.push(FieldError::new(field, "not_positive"));
        None
    } else if p.hundredths() > MAX_TICKET_POINTS {
        f.push(FieldError {
            field: field.into(),
            code: "too_large".into(),
            limit: Some(10_000),
        });
        None
    } else {
        Some(p)
    }
}

impl TryFrom<CatalogueItemRequest> for CatalogueItem {
    type Error = Vec<FieldError>;
    fn try_from(r: CatalogueItemRequest) -> Result<Self, Vec<FieldError>> {
        let mut f = Fields::default();
        let name = f.take("name", ticket::text(&r.name, 1, 120, false));
        let description = f.take("description", ticket::text(&r.description, 0, 2000, true));
        let quoted = match r.kind.as_str() {
            "standard" => Some(false),
            "quoted" => Some(true),
            "" => {
                f.refuse("kind", Reject::Required);
                None
            }
            _ => {
                f.refuse("kind", Reject::Malformed);
                None
            }
        };
        let estimate = match r.estimate {
            Some(p) => ticket_points(&mut f, "estimate", p.0).map(Some),
            None => Some(None),
        };
        f.finish(|| {
            Some(CatalogueItem {
                name: name?,
                description: description?,
                quoted: quoted?,
                estimate: estimate?,
                active: r.active,
            })
        })
    }
}

// ---- tickets --------------------------------------------------------------------------------

/// A person named on a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRefDto {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateTicketRequest {
    /// `incident` or `service_request`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `low`, `normal` (the default), `high` or `urgent`.
    #[serde(default)]
    pub priority: Option<String>,
    /// The catalogue item of a service request.
    #[serde(default)]
    pub catalogue_id: Option<i64>,
    /// Provider staff open a ticket on a client's behalf; client people open their own.
    #[serde(default)]
    pub org_id: Option<i64>,
    /// Staff opening a ticket for a caller: the client person who called (they follow it and
    /// get its mail). Client people are always their own requester.
    #[serde(default)]
    pub requester_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTicket {
    pub kind: Kind,
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub catalogue_id: Option<i64>,
    pub org_id: Option<i64>,
    pub requester_id: Option<i64>,
}

impl TryFrom<CreateTicketRequest> for NewTicket {
    type Error = Vec<FieldError>;
    fn try_from(r: CreateTicketRequest) -> Result<Self, Vec<FieldError>> {
        let mut f = Fields::default();
        let kind = f.take("kind", Kind::parse(&r.kind));
        let title = f.take("title", ticket::text(&r.title, 1, ticket::TITLE_MAX, false));
        let description = f.take(
            "description",
            ticket::text(&r.description, 0, ticket::DESCRIPTION_MAX, true),
        );
        let priority = f.take(
            "priority",
            Priority::parse(r.priority.as_deref().unwrap_or("normal")),
        );
        match (kind, r.catalogue_id) {
            (Some(Kind::ServiceRequest), None) => f.refuse("catalogue_id", Reject::Required),
            (Some(Kind::Incident), Some(_)) => {
                f.push(FieldError::new("catalogue_id", "not_for_incidents"));
            }
            _ => {}
        }
        f.finish(|| {
            Some(NewTicket {
                kind: kind?,
                title: title?,
                description: description?,
                priority: priority?,
                catalogue_id: r.catalogue_id,
                org_id: r.org_id,
                requester_id: r.requester_id,
            })
        })
    }
}

/// A line of a ticket list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketSummaryDto {
    pub id: i64,
    /// The provider's ticket number.
    pub number: i64,
    pub organization: OrgRefDto,
    /// `incident` or `service_request`.
    #[serde(with = "crate::wire_enums::kind")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: pointdesk_domain::ticket::Kind,
    pub title: String,
    pub priority: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: crate::wire_enums::TicketStatus,
    pub requester: PersonRefDto,
    pub assignee: Option<PersonRefDto>,
    /// A quote waits for the client's decision, or staff wait for the client's answer.
    pub awaiting_client: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// The service-level clocks, when the plan has targets for its priority.
    pub sla: Option<crate::sla::SlaDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketListDto {
    pub items: Vec<TicketSummaryDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteDto {
    pub id: i64,
    pub points: WirePoints,
    pub scope: String,
    pub expires_at: i64,
    /// `awaiting_approval`, `approved`, `declined`, `expired`, `superseded`, `charged`,
    /// `released`.
    pub status: String,
    pub created_by: PersonRefDto,
    pub created_at: i64,
    pub decided_by: Option<PersonRefDto>,
    pub decided_at: Option<i64>,
}

pub fn quote_status_str(s: QuoteStatus) -> &'static str {
    match s {
        QuoteStatus::AwaitingApproval => "awaiting_approval",
        QuoteStatus::Approved => "approved",
        QuoteStatus::Declined => "declined",
        QuoteStatus::Expired => "expired",
        QuoteStatus::Superseded => "superseded",
        QuoteStatus::Charged => "charged",
        QuoteStatus::Released => "released",
    }
}

pub fn parse_quote_status(s: &str) -> Option<QuoteStatus> {
    [
        QuoteStatus::AwaitingApproval,
        QuoteStatus::Approved,
        QuoteStatus::Declined,
        QuoteStatus::Expired,
        QuoteStatus::Superseded,
        QuoteStatus::Charged,
        QuoteStatus::Released,
    ]
    .into_iter()
    .find(|q| quote_status_str(*q) == s)
}

/// One line of the work log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkLineDto {
    pub id: i64,
    pub engineer: PersonRefDto,
    pub minutes: u32,
    pub note: String,
    /// `YYYY-MM-DD`, the provider's calendar day.
    pub on: String,
}

/// A client-caused incident's charge, with the domain's explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentChargeDto {
    pub points: WirePoints,
    pub at: i64,
    /// How many work lines (the first ones) it covers.
    pub lines: u32,
    pub explanation: ChargeExplanationDto,
    /// The last moment a client admin may dispute it.
    pub dispute_until: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeDto {
    pub id: i64,
    /// `open`, `upheld` or `rejected`.
    pub state: String,
    pub reason: String,
    pub opened_by: PersonRefDto,
    pub opened_at: i64,
    /// The manager's reason, shown to the client.
    pub decision_reason: Option<String>,
    pub decided_at: Option<i64>,
}

/// One ticket, as the person asking may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketDto {
    // The summary's fields, repeated rather than `#[serde(flatten)]`: flattening buffers every
    // field through serde's `Content` and costs the app's bundle ~20 KB of wasm.
    pub id: i64,
    pub number: i64,
    pub organization: OrgRefDto,
    #[serde(with = "crate::wire_enums::kind")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: pointdesk_domain::ticket::Kind,
    pub title: String,
    pub priority: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: crate::wire_enums::TicketStatus,
    pub requester: PersonRefDto,
    pub assignee: Option<PersonRefDto>,
    pub awaiting_client: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub description: String,
    pub catalogue: Option<CatalogueItemDto>,
    /// `standard` or `client_caused`, once decided.
    pub cause: Option<String>,
    /// The engineer's explanation of the cause, shown to the client.
    pub cause_note: String,
    pub charge: Option<IncidentChargeDto>,
    pub dispute: Option<DisputeDto>,
    pub quotes: Vec<QuoteDto>,
    pub work: Vec<WorkLineDto>,
    pub logged_minutes: u32,
    /// Points this ticket has cost so far, net of refunds.
    pub cost: WirePoints,
    /// Points an approved quote of this ticket holds now.
    pub held: WirePoints,
    pub following: bool,
    /// The operations the caller may call on this ticket now (`operationId`s), from the policy
    /// and the ticket's flow: the app draws its buttons from these.
    pub actions: Vec<String>,
    /// The caller's next steps, in the order a screen offers them (`take`, `start`, `resolve`,
    /// `reopen`, `close`, `log_work`, `quote`, `approve`, `decline`, `complete`, `cancel`,
    /// `set_cause`, `dispute`, `decide`, `reclassify`, `confirm`, `not_fixed`,
    /// `record_approval`); each is one of `actions`.
    pub steps: Vec<String>,
    /// Nothing more will happen: closed, completed, declined or cancelled.
    pub done: bool,
    /// Logged time has gone beyond the approved quote (1 point = 60 minutes).
    pub quote_exceeded: bool,
    /// `incident`, `standard` or `quoted`: what `reclassifyTicket` changes.
    pub class: String,
    /// Who opened it, when not the requester (staff opening it for a caller).
    pub opened_by: Option<PersonRefDto>,
    /// A resolved incident nobody confirms closes by itself then.
    pub closes_at: Option<i64>,
    /// An approval a manager recorded in a client admin's name.
    pub recorded_approval: Option<RecordedApprovalDto>,
    /// Staff only: what cancelling now would charge for the work logged.
    pub cancellation: Option<CancellationChargeDto>,
    /// Staff only, an incident without a cause: what finding it client caused would charge now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_charge: Option<CancellationChargeDto>,
    /// The service-level clocks, when the plan has targets for its priority.
    pub sla: Option<crate::sla::SlaDto>,
    /// Staff said the ticket waits for the client's answer, since then.
    pub awaiting_client_since: Option<i64>,
    /// The caller's own timer on this ticket, running since then (`startTimer`).
    pub timer_started_at: Option<i64>,
}

/// An approval a manager recorded in a client admin's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordedApprovalDto {
    pub quote_id: i64,
    pub approver: PersonRefDto,
    pub approved_at: i64,
    pub channel: String,
    pub note: String,
    pub recorded_by: PersonRefDto,
    pub recorded_at: i64,
    /// The client admin may dispute it until then.
    pub dispute_until: i64,
    pub disputed_at: Option<i64>,
    pub dispute_reason: Option<String>,
}

/// What cancelling a request now would charge: its logged time under the plan's rounding, at
/// most the approved quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancellationChargeDto {
    pub points: WirePoints,
    pub logged_minutes: u32,
    pub billed_minutes: u32,
    /// The logged time was worth more than the quote: the quote is charged.
    pub capped: bool,
}

/// The operation a next step is.
pub fn step_operation(step: pointdesk_domain::steps::Step) -> &'static str {
    use pointdesk_domain::steps::Step;
    match step {
        Step::Take => "assignTicket",
        Step::Start | Step::Resolve | Step::Reopen | Step::Close => "changeTicketStatus",
        Step::LogWork => "logWork",
        Step::Quote => "createQuote",
        Step::ApproveQuote => "approveQuote",
        Step::DeclineQuote => "declineQuote",
        Step::Complete => "completeRequest",
        Step::Cancel => "cancelRequest",
        Step::SetCause => "setIncidentCause",
        Step::Dispute => "disputeCharge",
        Step::DecideDispute => "decideDispute",
        Step::Reclassify => "reclassifyTicket",
        Step::Confirm => "confirmResolution",
        Step::NotFixed => "reopenTicket",
        Step::RecordApproval => "recordApproval",
    }
}

/// A comment, public or internal (internal ones are refused to client roles).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentRequest {
    pub body: String,
    #[serde(default)]
    pub internal: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkRequest {
    /// 1 to 1440.
    pub minutes: u32,
    #[serde(default)]
    pub note: String,
    /// `YYYY-MM-DD`; today in the provider's time zone when absent.
    #[serde(default)]
    pub on: Option<String>,
}

/// `startTimer`: when the engineer pressed Start (unix seconds); now when absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimerRequest {
    #[serde(default)]
    pub at: Option<i64>,
}

/// `stopTimer`: when the engineer pressed Stop (unix seconds; now when absent) and what they did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimerStopRequest {
    #[serde(default)]
    pub at: Option<i64>,
    #[serde(default)]
    pub note: String,
}

pub struct NewWork {
    pub minutes: u32,
    pub note: String,
    pub on: Option<Date>,
}

/// `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s)
}

impl TryFrom<WorkRequest> for NewWork {
    type Error = Vec<FieldError>;
    fn try_from(r: WorkRequest) -> Result<Self, Vec<FieldError>> {
        let mut f = Fields::default();
        if r.minutes == 0 {
            f.push(FieldError::new("minutes", "not_positive"));
        } else if r.minutes > pointdesk_domain::worklog::MAX_ENTRY_MINUTES {
            f.push(FieldError {
                field: "minutes".into(),
                code: "too_large".into(),
                limit: Some(u64::from(pointdesk_domain::worklog::MAX_ENTRY_MINUTES)),
            });
        }
        let note = f.take("note", ticket::text(&r.note, 0, ticket::NOTE_MAX, true));
        let on = match r.on.as_deref() {
            None | Some("") => Some(None),
            Some(s) => match parse_date(s) {
                Some(d) => Some(Some(d)),
                None => {
                    f.refuse("on", Reject::Malformed);
                    None
                }
            },
        };
        f.finish(|| {
            Some(NewWork {
                minutes: r.minutes,
                note: note?,
                on: on?,
            })
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignRequest {
    /// An engineer or manager of the provider; `null` to unassign.
    pub assignee_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusRequest {
    /// Incidents: `in_progress`, `resolved`, `closed`. Standard service requests:
    /// `in_progress`.
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CauseRequest {
    /// `standard` or `client_caused`.
    pub cause: String,
    /// What happened, in words the client reads.
    pub explanation: String,
}

impl TryFrom<CauseRequest> for (Cause, String) {
    type Error = Vec<FieldError>;
    fn try_from(r: CauseRequest) -> Result<Self, Vec<FieldError>> {
        let mut f = Fields::default();
        let cause = match r.cause.as_str() {
            "standard" => Some(Cause::Standard),
            "client_caused" => Some(Cause::ClientCaused),
            "" => {
                f.refuse("cause", Reject::Required);
                None
            }
            _ => {
                f.refuse("cause", Reject::Malformed);
                None
            }
        };
        let explanation = f.take(
            "explanation",
            ticket::text(&r.explanation, 1, ticket::NOTE_MAX, true),
        );
        f.finish(|| Some((cause?, explanation?)))
    }
}

pub fn cause_str(c: Cause) -> &'static str {
    match c {
        Cause::Standard => "standard",
        Cause::ClientCaused => "client_caused",
    }
}

/// An engineer's quote or revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRequest {
    pub points: WirePoints,
    pub scope: String,
    /// Days until the quote lapses (1–90).
    pub valid_days: u32,
}

pub struct NewQuote {
    pub points: Points,
    pub scope: String,
    pub valid_days: u32,
}

impl TryFrom<QuoteRequest> for NewQuote {
    type Error = Vec<FieldError>;
    fn try_from(r: QuoteRequest) -> Result<Self, Vec<FieldError>> {
        let mut f = Fields::default();
        let points = ticket_points(&mut f, "points", r.points.0);
        let scope = f.take("scope", ticket::text(&r.scope, 1, ticket::NOTE_MAX, true));
        if !(1..=90).contains(&r.valid_days) {
            f.push(FieldError {
                field: "valid_days".into(),
                code: "out_of_range".into(),
                limit: Some(90),
            });
        }
        f.finish(|| {
            Some(NewQuote {
                points: points?,
                scope: scope?,
                valid_days: r.valid_days,
            })
        })
    }
}

/// A client admin disputes an incident charge; a manager decides with a reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeRequest {
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeDecisionRequest {
    pub upheld: bool,
    pub reason: String,
}

/// A reason (of a dispute or a decision): 1–2000 characters.
pub fn reason(raw: &str) -> Result<String, Vec<FieldError>> {
    let mut f = Fields::default();
    let reason = f.take("reason", ticket::text(raw, 1, ticket::NOTE_MAX, true));
    f.finish(|| reason)
}

// ---- the timeline ---------------------------------------------------------------------------

/// A ledger entry a ticket caused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntryDto {
    /// `charge`, `refund`, `repayment`, ...
    pub kind: String,
    pub amount: WirePoints,
    pub balance_after: WirePoints,
    pub reason: String,
}

/// Something that happened to a ticket. Which fields are present depends on `kind`:
/// `opened`, `status` (status), `assigned` (person), `comment` (text, internal), `work`
/// (minutes, text), `quote` (points, text, quote_id), `quote_approved` / `quote_declined` /
/// `quote_expired` (quote_id, points), `cause` (status = the cause, text), `dispute_opened`
/// (text), `dispute_decided` (status = upheld/rejected, text), `ledger` (entry: a hold placed
/// or released shows as points without an entry), `reclassified` (from, status = the new
/// class, text = why), `confirmed`, `reopened` (text = what is still wrong), `auto_closed`,
/// `approval_recorded` (person = the approver, status = channel, points, text = note),
/// `approval_disputed` (text), `cancelled` (minutes logged, points charged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEventDto {
    pub id: i64,
    pub at: i64,
    pub actor: Option<PersonRefDto>,
    pub kind: String,
    pub internal: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<WirePoints>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonRefDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<TimelineEntryDto>,
    /// What a `reclassified` ticket was before (`incident`, `standard`, `quoted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineDto {
    pub items: Vec<TimelineEventDto>,
}

// ---- the balance a quote is weighed against ---------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoldDto {
    pub quote_id: i64,
    pub ticket_id: i64,
    pub ticket_number: i64,
    pub title: String,
    pub points: WirePoints,
}

/// An organisation's points: balance, what approved quotes hold and what is available.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgBalanceDto {
    pub organization: OrgRefDto,
    pub balance: WirePoints,
    pub held: WirePoints,
    pub available: WirePoints,
    pub threshold: WirePoints,
    pub holds: Vec<HoldDto>,
    /// The plan lets a quote be approved beyond the available points.
    pub quotes_may_overdraw: bool,
    /// The open period (`YYYY-MM`), its allotment and what was charged in it (net of refunds).
    pub period: String,
    pub allotment: WirePoints,
    pub used: WirePoints,
    /// At the last 28 days' pace, when available points run out.
    pub run_out: crate::ledger::RunOutDto,
    /// What expires when: points in blocks that expire, by the period they expire at the end of.
    pub expiring: Vec<ExpiringDto>,
    /// Owed below zero and charges waiting for points.
    pub owed: WirePoints,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpiringDto {
    /// Free points (not reserved by a hold) that expire.
    pub points: WirePoints,
    /// The period of the allotment or rollover they came from (`YYYY-MM`).
    pub period: String,
    /// The last day they can be used (`YYYY-MM-DD`, the provider's calendar).
    pub last_day: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(json: &str) -> Result<NewQuote, Vec<FieldError>> {
        NewQuote::try_from(serde_json::from_str::<QuoteRequest>(json).unwrap())
    }

    fn codes(e: Vec<FieldError>) -> Vec<(String, String)> {
        e.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[test]
    fn quotes_are_checked_field_by_field() {
        let e = quote(r#"{"points":"0","scope":" ","valid_days":0}"#)
            .err()
            .unwrap();
        assert_eq!(
            codes(e),
            [
                ("points".into(), "not_positive".into()),
                ("scope".into(), "required".into()),
                ("valid_days".into(), "out_of_range".into())
            ]
        );
        let e = quote(r#"{"points":"10000.01","scope":"x","valid_days":7}"#)
            .err()
            .unwrap();
        assert_eq!(codes(e), [("points".into(), "too_large".into())]);
        let ok = quote(r#"{"points":"2.5","scope":" printer ","valid_days":7}"#).unwrap();
        assert_eq!(ok.scope, "printer");
    }

    #[test]
    fn tickets_need_a_catalogue_item_only_when_requests() {
        let t = |json: &str| {
            NewTicket::try_from(serde_json::from_str::<CreateTicketRequest>(json).unwrap())
        };
        let e = t(r#"{"kind":"service_request","title":"New laptop"}"#)
            .err()
            .unwrap();
        assert_eq!(codes(e), [("catalogue_id".into(), "required".into())]);
        let e = t(r#"{"kind":"incident","title":"","priority":"asap","catalogue_id":1}"#)
            .err()
            .unwrap();
        assert_eq!(
            codes(e),
            [
                ("title".into(), "required".into()),
                ("priority".into(), "malformed".into()),
                ("catalogue_id".into(), "not_for_incidents".into())
            ]
        );
        let ok = t(r#"{"kind":"incident","title":" Printer jams "}"#).unwrap();
        assert_eq!(ok.priority, Priority::Normal);
        assert_eq!(ok.title, "Printer jams");
    }

    #[test]
    fn work_is_one_minute_to_a_day_on_a_real_date() {
        let w = |json: &str| NewWork::try_from(serde_json::from_str::<WorkRequest>(json).unwrap());
        assert_eq!(
            codes(w(r#"{"minutes":0}"#).err().unwrap()),
            [("minutes".into(), "not_positive".into())]
        );
        assert_eq!(
            codes(w(r#"{"minutes":1441}"#).err().unwrap()),
            [("minutes".into(), "too_large".into())]
        );
        assert_eq!(
            codes(w(r#"{"minutes":5,"on":"2026-02-30"}"#).err().unwrap()),
            [("on".into(), "malformed".into())]
        );
        let ok = w(r#"{"minutes":47,"on":"2026-11-27"}"#).unwrap();
        assert_eq!(ok.on.unwrap().to_string(), "2026-11-27");
    }

    #[test]
    fn causes_need_an_explanation() {
        let c = |json: &str| {
            <(Cause, String)>::try_from(serde_json::from_str::<CauseRequest>(json).unwrap())
        };
        assert_eq!(
            codes(
                c(r#"{"cause":"user_error","explanation":""}"#)
                    .err()
                    .unwrap()
            ),
            [
                ("cause".into(), "malformed".into()),
                ("explanation".into(), "required".into())
            ]
        );
        assert_eq!(
            c(r#"{"cause":"client_caused","explanation":"Cable pulled"}"#)
                .unwrap()
                .0,
            Cause::ClientCaused
        );
    }
}
