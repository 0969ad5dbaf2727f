//! What waits for whom (`getDesk`), the provider's desk settings, a client's plan in plain
//! terms (`getPlanTerms`), and the hourly announcements of points about to expire.

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::desk::*;
use pointdesk_api::ledger::AllotmentDto;
use pointdesk_api::WirePoints;
use pointdesk_domain::notify::{expiring_at_end, EXPIRY_NOTICE_DAYS};
use pointdesk_domain::policy::{Action, Role};
use pointdesk_domain::time::{Timestamp, SECONDS_PER_DAY};
use worker::Response;

use crate::books::{allotment, plan_of};
use crate::db::{stored_points, Db, OrgNotice, PeriodOrg};
use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, wire_points, Call, Session};
use crate::zone;

/// `getDesk`: staff get their queue counts (managers the disputes too); client people the
/// decisions that wait for them.
pub async fn get(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    let role = who.actor.role;
    let mut desk = DeskDto {
        queues: Vec::new(),
        decisions: Vec::new(),
    };
    match who.org() {
        Some(org) if role.is_client() => {
            who.may(Action::ViewTickets, Some(org))?;
            let admin = role == Role::ClientAdmin;
            let rows = db
                .decisions(who.provider(), org, who.user.id, admin, call.now.unix())
                .await?;
            desk.decisions = rows
                .into_iter()
                .map(|r| DecisionDto {
                    kind: r.kind,
                    ticket_id: r.ticket_id,
                    ticket_number: r.number,
                    title: r.title,
                    points: r.points.map(wire_points),
                    scope: r.scope,
                    until: r.until,
                })
                .collect();
        }
        _ => {
            who.may_provider_wide(Action::ViewTickets)?;
            let c = db
                .queue_counts(who.provider(), who.user.id, call.now.unix())
                .await?;
            let count = |n: Option<i64>| u32::try_from(n.unwrap_or(0)).unwrap_or(0);
            let mut queues = vec![
                ("overdue", c.overdue),
                ("unassigned", c.unassigned),
                ("mine", c.mine),
                ("awaiting_client", c.awaiting_client),
            ];
            if who.may_provider_wide(Action::DecideDispute).is_ok() {
                queues.push(("disputes", c.disputes));
            }
            queues.push(("open", c.open));
            desk.queues = queues
                .into_iter()
                .map(|(queue, n)| QueueCountDto {
                    queue: queue.to_owned(),
                    count: count(n),
                })
                .collect();
        }
    }
    json(&desk)
}

/// `getDeskSettings`.
pub async fn settings(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageClients)?;
    let s = call.db()?.desk_settings(who.provider()).await?;
    json(&DeskSettingsDto {
        auto_close_days: u32::try_from(s.auto_close_days).unwrap_or(5),
        dispute_window_days: u32::try_from(s.dispute_window_days).unwrap_or(14),
    })
}

/// `updateDeskSettings` (audit-logged).
pub async fn set_settings(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ManageClients)?;
    let req: DeskSettingsDto = read_json(&mut call.req).await?;
    req.check()?;
    let db = call.db()?;
    let before = db.desk_settings(who.provider()).await?;
    let now = call.now.unix();
    let b = serde_json::json!({
        "auto_close_days": before.auto_close_days,
        "dispute_window_days": before.dispute_window_days,
    })
    .to_string();
    let a = serde_json::to_string(&req).unwrap_or_default();
    db.batch(vec![
        db.set_desk_settings(who.provider(), req.auto_close_days, req.dispute_window_days)?,
        db.insert_audit(&who.audit(
            "desk_settings.update",
            "desk_settings",
            None,
            (Some(&b), Some(&a)),
            now,
        ))?,
    ])
    .await?;
    json(&req)
}

/// `getPlanTerms`: the caller's organisation's plan, in figures the app words.
pub async fn plan_terms(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let org_id = who.org().ok_or(AppError::Forbidden)?;
    who.may(Action::ViewPlanTerms, Some(org_id))?;
    let db = call.db()?;
    let org = db
        .organization(who.provider(), org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = plan_of(&db, who.provider(), &org)
        .await?
        .ok_or(AppError::Domain(pointdesk_domain::DomainError::NotFound(
            "plan",
        )))?;
    let settings = db.desk_settings(who.provider()).await?;
    let items = db.active_catalogue(who.provider()).await?;
    let lines = allotment(&org, Some(&plan))?
        .ok_or_else(|| AppError::Internal("a plan without an allotment".into()))?;
    let terms = pointdesk_api::plans::PlanDto::from(&plan);
    let named = |kind: &str| {
        items
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| i.name.clone())
            .collect::<Vec<_>>()
    };
    json(&PlanTermsDto {
        organization: OrgRefDto {
            id: org.id,
            name: org.name.clone(),
        },
        plan: plan.name.clone(),
        allotment: AllotmentDto::from(&lines),
        increment_minutes: plan.increment_minutes,
        minimum_charge: WirePoints(plan.minimum_charge),
        rollover: terms.rollover,
        rollover_cap: terms.rollover_cap,
        overdraft: terms.overdraft,
        dispute_window_days: u32::try_from(settings.dispute_window_days).unwrap_or(14),
        quote_validity_days: QUOTE_VALIDITY_DAYS,
        auto_close_days: u32::try_from(settings.auto_close_days).unwrap_or(5),
        standard_items: named("standard"),
        quoted_items: named("quoted"),
        threshold: WirePoints(stored_points(org.threshold)?),
        threshold_custom: org.threshold_custom == 1,
    })
}

/// The scheduled job, per organisation: within the last [`EXPIRY_NOTICE_DAYS`] days of a
/// period (in the provider's zone), one notice and mail with the points that will expire —
/// none when nothing will; and a default threshold follows the allotment. Returns whether it
/// announced.
pub async fn announce_expiry(
    db: &Db,
    o: &PeriodOrg,
    now: Timestamp,
    origin: &str,
) -> AppResult<bool> {
    let current = zone::period_at(&o.time_zone, now);
    let Some(org) = db.organization(o.provider_id, o.id).await? else {
        return Ok(false);
    };
    let Some(plan) = plan_of(db, o.provider_id, &org).await? else {
        return Ok(false);
    };
    let total =
        allotment(&org, Some(&plan))?.map_or(pointdesk_domain::points::Points::ZERO, |a| a.total);
    let default = pointdesk_domain::notify::default_threshold(total).hundredths();
    let mut statements = Vec::new();
    if org.threshold_custom == 0 && org.threshold != default {
        statements.push(db.default_threshold(org.id, default)?);
    }
    let ends = zone::period_start(&o.time_zone, current.next());
    let soon = ends.unix() - now.unix() <= EXPIRY_NOTICE_DAYS * SECONDS_PER_DAY;
    let mut announced = false;
    if soon
        && db
            .unannounced(o.provider_id, &current.to_string())
            .await?
            .contains(&o.id)
    {
        let books = db.account(org.id, plan.overdraft, current, &[]).await?;
        let points = expiring_at_end(&books.account, current, plan.rollover);
        if points.is_positive() {
            let link = format!("{origin}/ledger");
            let last_day = current.last_day().to_string();
            let words = crate::mail::expiring(points, &last_day, &link);
            let data =
                serde_json::json!({ "points": points.to_string(), "threshold": null }).to_string();
            statements.push(db.expiry_announced(
                org.id,
                &current.to_string(),
                points.hundredths(),
                now.unix(),
            )?);
            statements.extend(db.org_notice(
                &OrgNotice {
                    org: org.id,
                    kind: words.kind,
                    data: &data,
                    subject: (&words.ru.subject, &words.en.subject),
                    body: (&words.ru.body, &words.en.body),
                    link: &link,
                    managers: false,
                },
                now.unix(),
            )?);
            announced = true;
        }
    }
    if !statements.is_empty() {
        // A second run meeting the same announcement is refused by its key: nothing doubles.
        if db.batch(statements).await.is_err() {
            return Ok(false);
        }
    }
    Ok(announced)
}
