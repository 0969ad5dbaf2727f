//! Client organisations and plans.

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::ledger::AllotmentDto;
use pointdesk_api::organizations::{
    check_organization, parse_plan, CreateOrganizationRequest, OrganizationDto,
    OrganizationListDto, OrganizationSummaryDto, PlanListDto, PlanRowDto,
    UpdateOrganizationRequest,
};
use pointdesk_api::plans::PlanDto;
use pointdesk_api::problem::FieldError;
use pointdesk_api::sla::SlaTargetDto;
use pointdesk_api::WirePoints;
use pointdesk_domain::plan::Plan;
use pointdesk_domain::policy::Action;
use pointdesk_domain::Points;
use worker::Response;

use crate::books;
use crate::db::{stored_points, unless_taken};
use crate::db::{Db, OrgColumns, OrgRow, PlanColumns, PlanRow};
use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, Call, Session};

fn plan_row_dto(p: &PlanRow) -> AppResult<PlanRowDto> {
    Ok(PlanRowDto {
        id: p.id,
        plan: p.dto()?,
        organizations: p.organizations,
    })
}

/// The organisation's allotment under its plan row, line by line.
fn allotment(o: &OrgRow, p: Option<&PlanRow>) -> AppResult<Option<AllotmentDto>> {
    let plan = p.map(PlanRow::plan).transpose()?;
    Ok(books::allotment(o, plan.as_ref())?.map(|a| AllotmentDto::from(&a)))
}

/// A fifth of the allotment `o` would get under `p` (what the threshold is unless chosen).
fn default_threshold(o: &OrgRow, p: Option<&PlanRow>) -> AppResult<Option<i64>> {
    let plan = p.map(PlanRow::plan).transpose()?;
    Ok(books::allotment(o, plan.as_ref())?
        .map(|a| pointdesk_domain::notify::default_threshold(a.total).hundredths()))
}

fn org_dto(o: &OrgRow, p: Option<&PlanRow>) -> AppResult<OrganizationDto> {
    Ok(OrganizationDto {
        id: o.id,
        name: o.name.clone(),
        plan: p.map(plan_row_dto).transpose()?,
        seats: u32::try_from(o.seats).map_err(|e| AppError::Internal(e.to_string()))?,
        option_codes: o.option_codes()?,
        threshold: WirePoints(stored_points(o.threshold)?),
        alert_recipients: serde_json::from_str(&o.alert_recipients)
            .map_err(|e| AppError::Internal(format!("organisation {}: {e}", o.id)))?,
        locale: o.locale.clone(),
        active: o.active == 1,
        balance: WirePoints(stored_points(o.balance)?),
        allotment: allotment(o, p)?,
        on_duty: serde_json::from_str(&o.on_duty)
            .map_err(|e| AppError::Internal(format!("organisation {}: {e}", o.id)))?,
        threshold_custom: o.threshold_custom == 1,
    })
}

async fn load(db: &Db, provider: i64, id: i64) -> AppResult<(OrgRow, Option<PlanRow>)> {
    let org = db
        .organization(provider, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = match org.plan_id {
        Some(pid) => db.plan(provider, pid).await?,
        None => None,
    };
    Ok((org, plan))
}

/// `listOrganizations`.
pub async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ViewTickets)?;
    let db = call.db()?;
    let plans = db.plans(who.provider()).await?;
    let items = db
        .organizations(who.provider())
        .await?
        .iter()
        .map(|o| {
            let plan = o.plan_id.and_then(|id| plans.iter().find(|p| p.id == id));
            Ok(OrganizationSummaryDto {
                id: o.id,
                name: o.name.clone(),
                plan: plan.map(|p| OrgRefDto {
                    id: p.id,
                    name: p.name.clone(),
                }),
                seats: o.subscription()?.seats,
                balance: WirePoints(stored_points(o.balance)?),
                threshold: WirePoints(stored_points(o.threshold)?),
                allotment: allotment(o, plan)?.map_or(WirePoints::ZERO, |a| a.total),
                active: o.active == 1,
                people: o.people,
            })
        })
        .collect::<AppResult<_>>()?;
    json(&OrganizationListDto { items })
}

/// `getOrganization`.
pub async fn get(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may(Action::ViewBalance, Some(id))?;
    let db = call.db()?;
    let (org, plan) = load(&db, who.provider(), id).await?;
    json(&org_dto(&org, plan.as_ref())?)
}

/// Option codes must be the plan's own.
fn check_codes(plan: &PlanRow, chosen: &[String]) -> Vec<FieldError> {
    let known: Vec<String> = plan
        .dto()
        .map(|d| d.options)
        .unwrap_or_default()
        .into_iter()
        .map(|o| o.code)
        .collect();
    chosen
        .iter()
        .enumerate()
        .filter(|(_, c)| !known.contains(c))
        .map(|(i, _)| FieldError::new(format!("option_codes[{i}]"), "unknown"))
        .collect()
}

/// `createOrganization`.
pub async fn create(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageClients)?;
    let req: CreateOrganizationRequest = read_json(&mut call.req).await?;
    let change = check_organization(
        Some(&req.name),
        Some(req.seats),
        req.threshold,
        req.locale.as_deref(),
    )?;
    let db = call.db()?;
    let plan = db
        .plan(who.provider(), req.plan_id)
        .await?
        .ok_or_else(|| AppError::Fields(vec![FieldError::new("plan_id", "unknown")]))?;
    let bad = check_codes(&plan, &req.option_codes);
    if !bad.is_empty() {
        return Err(AppError::Fields(bad));
    }
    let name = change.name.as_ref().map(|n| n.as_str()).unwrap_or_default();
    let option_codes = serde_json::to_string(&req.option_codes).unwrap_or_else(|_| "[]".into());
    let now = call.now.unix();
    let shape = OrgRow {
        seats: i64::from(req.seats),
        option_codes: option_codes.clone(),
        plan_id: Some(plan.id),
        ..OrgRow::blank()
    };
    let columns = OrgColumns {
        name: Some(name),
        plan_id: Some(plan.id),
        seats: Some(i64::from(req.seats)),
        option_codes: Some(&option_codes),
        threshold: change.threshold.map(Points::hundredths),
        default_threshold: default_threshold(&shape, Some(&plan))?,
        locale: change.locale.map(|l| l.code()),
        ..OrgColumns::default()
    };
    let after = serde_json::json!({ "name": name, "plan_id": plan.id, "seats": req.seats, "option_codes": req.option_codes }).to_string();
    let result = db
        .batch(vec![
            db.insert_organization(who.provider(), &columns, now)?,
            db.insert_audit(&who.audit(
                "organization.create",
                &format!("organization:{name}"),
                None,
                (None, Some(&after)),
                now,
            ))?,
        ])
        .await;
    unless_taken(result, "name")?;
    let org = db
        .organization_by_name(who.provider(), name)
        .await?
        .ok_or_else(|| AppError::Internal("the new organisation is missing".into()))?;
    let mut resp = json(&org_dto(&org, Some(&plan))?)?.with_status(201);
    resp.headers_mut()
        .set("location", &format!("/api/v1/organizations/{}", org.id))?;
    Ok(resp)
}

/// The alert recipients must be active people of the organisation; the engineers on duty
/// active engineers of the provider.
async fn check_people(
    db: &Db,
    who: &Session,
    id: i64,
    req: &UpdateOrganizationRequest,
) -> AppResult<()> {
    if let Some(recipients) = &req.alert_recipients {
        let members: Vec<i64> = db
            .people(who.provider(), Some(id))
            .await?
            .iter()
            .filter(|p| p.active == 1)
            .map(|p| p.id)
            .collect();
        let bad: Vec<FieldError> = recipients
            .iter()
            .enumerate()
            .filter(|(_, r)| !members.contains(r))
            .map(|(i, _)| FieldError::new(format!("alert_recipients[{i}]"), "unknown"))
            .collect();
        if !bad.is_empty() {
            return Err(AppError::Fields(bad));
        }
    }
    if let Some(duty) = &req.on_duty {
        let engineers: Vec<i64> = db
            .people(who.provider(), None)
            .await?
            .iter()
            .filter(|p| p.active == 1 && p.role == "engineer")
            .map(|p| p.id)
            .collect();
        let bad: Vec<FieldError> = duty
            .iter()
            .enumerate()
            .filter(|(_, e)| !engineers.contains(e))
            .map(|(i, _)| FieldError::new(format!("on_duty[{i}]"), "unknown"))
            .collect();
        if !bad.is_empty() {
            return Err(AppError::Fields(bad));
        }
    }
    Ok(())
}

/// `updateOrganization`: managers change anything; client admins their threshold and alert
/// recipients.
pub async fn update(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let req: UpdateOrganizationRequest = read_json(&mut call.req).await?;
    let action = if req.beyond_threshold() {
        Action::ManageClients
    } else {
        Action::ManageThreshold
    };
    // Load first: the organisation's own tenant decides, and a missing one is 404 for all.
    let db = call.db()?;
    let (before_org, before_plan) = load(&db, who.provider(), id).await?;
    who.may(action, Some(before_org.id))?;
    let change = check_organization(
        req.name.as_deref(),
        req.seats,
        req.threshold,
        req.locale.as_deref(),
    )?;
    let plan = match req.plan_id {
        Some(pid) => Some(
            db.plan(who.provider(), pid)
                .await?
                .ok_or_else(|| AppError::Fields(vec![FieldError::new("plan_id", "unknown")]))?,
        ),
        None => before_plan.clone(),
    };
    if let (Some(p), Some(chosen)) = (&plan, &req.option_codes) {
        let bad = check_codes(p, chosen);
        if !bad.is_empty() {
            return Err(AppError::Fields(bad));
        }
    }
    check_people(&db, who, id, &req).await?;
    let option_codes = req
        .option_codes
        .as_ref()
        .map(|c| serde_json::to_string(c).unwrap_or_else(|_| "[]".into()));
    let recipients = req
        .alert_recipients
        .as_ref()
        .map(|r| serde_json::to_string(r).unwrap_or_else(|_| "[]".into()));
    // The allotment after the change: a default threshold follows it.
    let mut shape = before_org.clone();
    if let Some(seats) = change.seats {
        shape.seats = i64::from(seats);
    }
    if let Some(codes) = &option_codes {
        shape.option_codes.clone_from(codes);
    }
    let columns = OrgColumns {
        name: change.name.as_ref().map(|n| n.as_str()),
        plan_id: req.plan_id,
        seats: change.seats.map(i64::from),
        option_codes: option_codes.as_deref(),
        threshold: change.threshold.map(Points::hundredths),
        default_threshold: default_threshold(&shape, plan.as_ref())?,
        alert_recipients: recipients.as_deref(),
        locale: change.locale.map(|l| l.code()),
        active: req.active,
    };
    let now = call.now.unix();
    let before =
        serde_json::to_string(&org_dto(&before_org, before_plan.as_ref())?).unwrap_or_default();
    let after = serde_json::to_string(&req).unwrap_or_default();
    let mut statements = vec![
        db.update_organization(who.provider(), id, &columns, now)?,
        db.insert_audit(&who.audit(
            "organization.update",
            &format!("organization:{id}"),
            Some(id),
            (Some(&before), Some(&after)),
            now,
        ))?,
    ];
    if let Some(duty) = &req.on_duty {
        statements.extend(db.set_on_duty(who.provider(), id, duty)?);
    }
    if req.active == Some(false) {
        // Deactivated: its people's sessions end now (sign-in is refused while it lasts).
        statements.push(db.end_org_sessions(id)?);
    }
    let result = db.batch(statements).await;
    unless_taken(result, "name")?;
    let (org, plan) = load(&db, who.provider(), id).await?;
    json(&org_dto(&org, plan.as_ref())?)
}

/// `listPlans`.
pub async fn list_plans(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ViewTickets)?;
    let db = call.db()?;
    let items = db
        .plans(who.provider())
        .await?
        .iter()
        .map(plan_row_dto)
        .collect::<AppResult<_>>()?;
    json(&PlanListDto { items })
}

fn plan_columns<'a>(
    p: &'a Plan,
    (options, sla): (&'a str, &'a str),
    d: &'a PlanDto,
) -> PlanColumns<'a> {
    PlanColumns {
        name: &p.name,
        base: p.base.hundredths(),
        per_seat: p.per_seat.hundredths(),
        options,
        increment_minutes: i64::from(p.increment_minutes),
        minimum_charge: p.minimum_charge.hundredths(),
        rollover: &d.rollover,
        rollover_cap: d.rollover_cap.map(|c| c.0.hundredths()),
        overdraft: &d.overdraft,
        sla,
    }
}

/// The plan as stored: the domain's reading, with its targets from the most urgent priority.
fn canonical(plan: &Plan, mut sla: Vec<SlaTargetDto>) -> PlanDto {
    let rank = |p: &str| {
        pointdesk_domain::ticket::Priority::ALL
            .iter()
            .position(|q| q.as_str() == p)
    };
    sla.sort_by_key(|t| rank(&t.priority));
    PlanDto {
        sla,
        ..PlanDto::from(plan)
    }
}

/// `createPlan`.
pub async fn create_plan(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManagePlans)?;
    let dto: PlanDto = read_json(&mut call.req).await?;
    let plan = parse_plan(dto.clone())?;
    let canonical = canonical(&plan, dto.sla);
    let options = serde_json::to_string(&canonical.options).unwrap_or_else(|_| "[]".into());
    let sla = serde_json::to_string(&canonical.sla).unwrap_or_else(|_| "[]".into());
    let db = call.db()?;
    let now = call.now.unix();
    let after = serde_json::to_string(&canonical).unwrap_or_default();
    let result = db
        .batch(vec![
            db.insert_plan(
                who.provider(),
                &plan_columns(&plan, (&options, &sla), &canonical),
                now,
            )?,
            db.insert_audit(&who.audit(
                "plan.create",
                &format!("plan:{}", plan.name),
                None,
                (None, Some(&after)),
                now,
            ))?,
        ])
        .await;
    unless_taken(result, "name")?;
    let row = db
        .plan_by_name(who.provider(), &plan.name)
        .await?
        .ok_or_else(|| AppError::Internal("the new plan is missing".into()))?;
    Ok(json(&plan_row_dto(&row)?)?.with_status(201))
}

/// `updatePlan`: the whole plan is replaced.
pub async fn update_plan(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    who.may_provider_wide(Action::ManagePlans)?;
    let dto: PlanDto = read_json(&mut call.req).await?;
    let sla = dto.sla.clone();
    let plan = parse_plan(dto)?;
    let canonical = canonical(&plan, sla);
    let options = serde_json::to_string(&canonical.options).unwrap_or_else(|_| "[]".into());
    let sla = serde_json::to_string(&canonical.sla).unwrap_or_else(|_| "[]".into());
    let db = call.db()?;
    let before = db
        .plan(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = call.now.unix();
    let before_json = serde_json::to_string(&before.dto()?).unwrap_or_default();
    let after = serde_json::to_string(&canonical).unwrap_or_default();
    let result = db
        .batch(vec![
            db.update_plan(
                who.provider(),
                id,
                &plan_columns(&plan, (&options, &sla), &canonical),
                now,
            )?,
            db.insert_audit(&who.audit(
                "plan.update",
                &format!("plan:{id}"),
                None,
                (Some(&before_json), Some(&after)),
                now,
            ))?,
        ])
        .await;
    unless_taken(result, "name")?;
    let row = db
        .plan(who.provider(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    json(&plan_row_dto(&row)?)
}
