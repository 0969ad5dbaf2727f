//! A ticket as stored and as the domain sees it (`Loaded`), and as the wire shows it.

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::ledger::ChargeExplanationDto;
use pointdesk_api::sla::SlaDto;
use pointdesk_api::tickets::{
    step_operation, CancellationChargeDto, DisputeDto, IncidentChargeDto, PersonRefDto, QuoteDto,
    RecordedApprovalDto, TicketDto, TicketSummaryDto, WorkLineDto,
};
use pointdesk_api::wire_enums::TicketStatus;
use pointdesk_api::WirePoints;
use pointdesk_domain::incident::Incident;
use pointdesk_domain::policy::Action;
use pointdesk_domain::service_request::ServiceRequest;
use pointdesk_domain::steps::Viewer;
use pointdesk_domain::ticket::{Flow, Kind};
use pointdesk_domain::time::Timestamp;
use pointdesk_domain::DomainError;

use super::catalogue::catalogue_dto;
use crate::db::{
    CatalogueRow, Db, DisputeRow, PlanRow, QuoteRow, RecordedApprovalRow, TicketRow, WorkRow,
};
use crate::error::{AppError, AppResult};
use crate::http::{wire_points, Session};

pub(super) fn person(id: i64, name: &str) -> PersonRefDto {
    PersonRefDto {
        id,
        name: name.to_owned(),
    }
}

/// A person a row may name (an assignee, a decider, an actor).
pub(super) fn person_opt(id: Option<i64>, name: Option<&str>) -> Option<PersonRefDto> {
    id.zip(name).map(|(id, name)| person(id, name))
}

/// A ticket as stored, with its domain flow.
pub(super) struct Loaded {
    pub(super) row: TicketRow,
    pub(super) work: Vec<WorkRow>,
    pub(super) quotes: Vec<QuoteRow>,
    pub(super) dispute: Option<DisputeRow>,
    pub(super) flow: Flow,
    /// What only the screen needs (absent for the scheduled job).
    pub(super) view: Option<Shown>,
}

/// A ticket's figures and catalogue item, read in the same round trip as the ticket.
pub(super) struct Shown {
    catalogue: Option<CatalogueRow>,
    dispute_window_days: i64,
    net: i64,
    held: i64,
    following: bool,
    /// The caller's own timer on it, running since then.
    pub(super) timer: Option<i64>,
    auto_close_days: i64,
    recorded_approval: Option<RecordedApprovalRow>,
    plan: Option<PlanRow>,
}

/// Loads a ticket of the caller's provider and asks the policy about `action` on it (another
/// tenant's ticket is a 404, like a missing one).
/// Loads a ticket of the caller's provider (one round trip) and asks the policy about `action` on
/// it (another tenant's ticket is a 404, like a missing one).
pub(super) async fn load(db: &Db, who: &Session, id: i64, action: Action) -> AppResult<Loaded> {
    let v = db
        .ticket_view(who.provider(), id, who.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    who.may(action, Some(v.row.org_id))?;
    let flow = crate::db::flow_of(&v.row, &v.work, &v.quotes, v.dispute.as_ref())?;
    Ok(Loaded {
        row: v.row,
        work: v.work,
        quotes: v.quotes,
        dispute: v.dispute,
        flow,
        view: Some(Shown {
            catalogue: v.catalogue,
            dispute_window_days: v.dispute_window_days,
            net: v.net,
            held: v.held,
            following: v.following,
            timer: v.timer_started_at,
            auto_close_days: v.auto_close_days,
            recorded_approval: v.recorded_approval,
            plan: v.plan,
        }),
    })
}

/// A ticket found by the scheduled job, without what only the screen needs.
pub(super) async fn load_row(db: &Db, row: TicketRow) -> AppResult<Loaded> {
    let work = db.work(row.id).await?;
    let quotes = db.quotes(row.id).await?;
    let dispute = db.dispute(row.id).await?;
    let flow = crate::db::flow_of(&row, &work, &quotes, dispute.as_ref())?;
    Ok(Loaded {
        row,
        work,
        quotes,
        dispute,
        flow,
        view: None,
    })
}

pub(super) fn summary(r: &TicketRow, now: Timestamp) -> AppResult<TicketSummaryDto> {
    let corrupt =
        |what: &str| AppError::Internal(format!("ticket {}: its {what} does not read", r.id));
    let sla = crate::db::clocks_of(r.id, r.sla.as_deref())?.map(|c| SlaDto::of(&c, now));
    Ok(TicketSummaryDto {
        id: r.id,
        number: r.number,
        organization: OrgRefDto {
            id: r.org_id,
            name: r.org_name.clone(),
        },
        kind: Kind::parse(&r.kind).map_err(|_| corrupt("kind"))?,
        title: r.title.clone(),
        priority: r.priority.clone(),
        status: TicketStatus::parse(&r.status).ok_or_else(|| corrupt("status"))?,
        requester: person(r.requester_id, &r.requester_name),
        assignee: person_opt(r.assignee_id, r.assignee_name.as_deref()),
        awaiting_client: r.awaiting_client == 1,
        created_at: r.created_at,
        updated_at: r.updated_at,
        sla,
    })
}

pub(super) fn references(l: &Loaded) -> Vec<String> {
    let mut refs = vec![format!("ticket:{}", l.row.id)];
    refs.extend(l.quotes.iter().map(|q| format!("quote:{}", q.id)));
    refs.extend(l.dispute.iter().map(|d| format!("dispute:{}", d.id)));
    refs
}

pub(super) fn ticket_dto(l: &Loaded, who: &Session, now: Timestamp) -> AppResult<TicketDto> {
    let shown = l
        .view
        .as_ref()
        .ok_or_else(|| AppError::Internal("a ticket answered without its figures".into()))?;
    let catalogue = shown.catalogue.clone();
    let (window, cost, held) = (shown.dispute_window_days, shown.net, shown.held);
    let logged: i64 = l.work.iter().map(|w| w.minutes).sum();
    let charge = match (&l.flow, l.row.charge_detail.as_deref()) {
        (Flow::Incident(i), Some(detail)) => i.charge.as_ref().map(|c| IncidentChargeDto {
            points: WirePoints(c.points),
            at: c.at.unix(),
            lines: u32::try_from(c.lines).unwrap_or(0),
            explanation: serde_json::from_str(detail)
                .unwrap_or_else(|_| ChargeExplanationDto::from(&c.time)),
            dispute_until: c.at.unix() + window * 86_400,
        }),
        _ => None,
    };
    let s = summary(&l.row, now)?;
    Ok(TicketDto {
        id: s.id,
        number: s.number,
        organization: s.organization,
        kind: s.kind,
        title: s.title,
        priority: s.priority,
        status: s.status,
        requester: s.requester,
        assignee: s.assignee,
        awaiting_client: s.awaiting_client,
        created_at: s.created_at,
        updated_at: s.updated_at,
        description: l.row.description.clone(),
        catalogue: catalogue.as_ref().map(catalogue_dto),
        cause: l.row.cause.clone(),
        cause_note: l.row.cause_note.clone(),
        charge,
        dispute: l.dispute.as_ref().map(|d| DisputeDto {
            id: d.id,
            state: d.state.clone(),
            reason: d.reason.clone(),
            opened_by: person(d.opened_by, &d.opened_by_name),
            opened_at: d.opened_at,
            decision_reason: d.decision_reason.clone(),
            decided_at: d.decided_at,
        }),
        quotes: l
            .quotes
            .iter()
            .map(|q| QuoteDto {
                id: q.id,
                points: wire_points(q.points),
                scope: q.scope.clone(),
                expires_at: q.expires_at,
                status: q.status.clone(),
                created_by: person(q.created_by, &q.created_by_name),
                created_at: q.created_at,
                decided_by: person_opt(q.decided_by, q.decided_by_name.as_deref()),
                decided_at: q.decided_at,
            })
            .collect(),
        work: l
            .work
            .iter()
            .map(|w| WorkLineDto {
                id: w.id,
                engineer: person(w.engineer_id, &w.engineer_name),
                minutes: u32::try_from(w.minutes).unwrap_or(0),
                note: w.note.clone(),
                on: w.on_day.clone(),
            })
            .collect(),
        logged_minutes: u32::try_from(logged).unwrap_or(u32::MAX),
        cost: wire_points(-cost),
        held: wire_points(held),
        following: shown.following,
        actions: Vec::new(),
        steps: Vec::new(),
        done: l.flow.is_final(),
        quote_exceeded: l.flow.quote_exceeded(),
        class: l.flow.class().as_str().to_owned(),
        opened_by: person_opt(l.row.opened_by, l.row.opened_by_name.as_deref()),
        closes_at: l
            .row
            .resolved_at
            .filter(|_| l.flow.awaits_confirmation())
            .map(|at| at + shown.auto_close_days * 86_400),
        recorded_approval: shown
            .recorded_approval
            .as_ref()
            .map(|r| recorded_approval_dto(r, window)),
        cancellation: cancellation(l, shown, who)?,
        cause_charge: cause_charge(l, shown, who)?,
        sla: s.sla,
        awaiting_client_since: l.row.awaiting_client_since,
        timer_started_at: shown.timer.filter(|_| !l.flow.is_final()),
    })
    .map(|dto| with_steps(dto, l, who, now, window))
}

fn recorded_approval_dto(r: &RecordedApprovalRow, window: i64) -> RecordedApprovalDto {
    RecordedApprovalDto {
        quote_id: r.quote_id,
        approver: person(r.approver_id, &r.approver_name),
        approved_at: r.approved_at,
        channel: r.channel.clone(),
        note: r.note.clone(),
        recorded_by: person(r.recorded_by, &r.recorded_by_name),
        recorded_at: r.recorded_at,
        dispute_until: r.recorded_at + window * 86_400,
        disputed_at: r.disputed_at,
        dispute_reason: r.dispute_reason.clone(),
    }
}

/// Staff see what cancelling a request with logged work would charge.
fn cancellation(
    l: &Loaded,
    shown: &Shown,
    who: &Session,
) -> AppResult<Option<CancellationChargeDto>> {
    let Flow::Request(r) = &l.flow else {
        return Ok(None);
    };
    if who.actor.role.is_client() || r.status.is_final() {
        return Ok(None);
    }
    let plan = shown.plan.as_ref().map(PlanRow::plan).transpose()?;
    let Ok(Some(c)) = r.cancellation_charge(plan.as_ref()) else {
        return Ok(None);
    };
    Ok(Some(CancellationChargeDto {
        points: WirePoints(c.points),
        logged_minutes: c.logged_minutes,
        billed_minutes: c.billed_minutes,
        capped: c.capped,
    }))
}

/// Staff see what finding an incident client caused would charge before they save it.
fn cause_charge(
    l: &Loaded,
    shown: &Shown,
    who: &Session,
) -> AppResult<Option<CancellationChargeDto>> {
    let (Flow::Incident(i), Some(plan)) = (&l.flow, shown.plan.as_ref()) else {
        return Ok(None);
    };
    if who.actor.role.is_client() {
        return Ok(None);
    }
    let Some(c) = i.client_caused_charge(&plan.plan()?)? else {
        return Ok(None);
    };
    Ok(Some(CancellationChargeDto {
        points: WirePoints(c.points),
        logged_minutes: c.logged_minutes,
        billed_minutes: c.billed_minutes,
        capped: false,
    }))
}

pub(super) async fn answer(
    db: &Db,
    who: &Session,
    id: i64,
    status: u16,
    now: Timestamp,
) -> AppResult<(u16, String)> {
    let l = load(db, who, id, Action::ViewTickets).await?;
    let dto = ticket_dto(&l, who, now)?;
    Ok((
        status,
        serde_json::to_string(&dto).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}

pub(super) fn incident(l: &Loaded) -> AppResult<&Incident> {
    match &l.flow {
        Flow::Incident(i) => Ok(i),
        Flow::Request(_) => Err(DomainError::IllegalTransition {
            entity: "service request",
            action: "do this to",
            state: "not an incident",
        }
        .into()),
    }
}

pub(super) fn request(l: &Loaded) -> AppResult<&ServiceRequest> {
    match &l.flow {
        Flow::Request(r) => Ok(r),
        Flow::Incident(_) => Err(DomainError::IllegalTransition {
            entity: "incident",
            action: "do this to",
            state: "not a service request",
        }
        .into()),
    }
}

/// The ticket's next steps for `who`, from the policy and the flow.
fn with_steps(
    mut dto: TicketDto,
    l: &Loaded,
    who: &Session,
    now: Timestamp,
    window: i64,
) -> TicketDto {
    let org = l.row.org_id;
    let may = |a: Action| who.may(a, Some(org)).is_ok();
    let steps = l.flow.steps(&Viewer {
        may: &may,
        role: who.actor.role,
        is_assignee: l.row.assignee_id == Some(who.user.id),
        is_requester: l.row.requester_id == who.user.id,
        now,
        dispute_window_days: u32::try_from(window).unwrap_or(0),
    });
    dto.steps = steps.iter().map(|s| s.as_str().to_owned()).collect();
    for s in steps {
        let op = step_operation(s).to_owned();
        if !dto.actions.contains(&op) {
            dto.actions.push(op);
        }
    }
    if may(Action::Comment) {
        dto.actions.push("addComment".to_owned());
    }
    if may(Action::WorkQueue) && !l.flow.is_done() {
        dto.actions.push("changeTicketPriority".to_owned());
        dto.actions.push("setAwaitingClient".to_owned());
    }
    dto
}
