//! The one path every ledger write takes: a domain decision's own rows, the balance alarm's
//! new state, and the notices both call for (notification centre and mail, in one batch).
//! Also what a decision is made with: the organisation's plan, overdraft rule and allotment.

use pointdesk_domain::ledger::Decision;
use pointdesk_domain::notify::{self, Notice};
use pointdesk_domain::plan::{Allotment, Overdraft, Plan};
use pointdesk_domain::points::Points;
use pointdesk_domain::time::Timestamp;
use worker::D1PreparedStatement;

use crate::db::{Books, Db, OrgNotice, OrgRow};
use crate::error::AppResult;
use crate::mail;

/// The statements that write `d` (decided on `before`): the decision's own rows, the alarm's new
/// state when it moved, and the notices the decision and the alarm call for — each organisation
/// notice to its alert recipients, in the notification centre and by mail.
pub fn record(
    db: &Db,
    before: &Books,
    d: &Decision,
    at: Timestamp,
    origin: &str,
) -> AppResult<Vec<D1PreparedStatement>> {
    let mut out = db.decision(&before.account, d, at)?;
    let mut after = before.account.clone();
    after.apply(d)?;
    let org = before.account.org.get();
    let (alarm, alarms) = before.alarm.observe(after.available()?, before.threshold);
    if alarm != before.alarm {
        out.push(db.set_alarm(org, alarm.low_armed, alarm.zero_armed)?);
    }
    // Charges and refunds reach people through their ticket's own notices.
    let arrivals = notify::notices_for(d).into_iter().filter(|n| {
        matches!(
            n,
            Notice::GrantArrived { .. }
                | Notice::TopUpCredited { .. }
                | Notice::PurchaseRefunded { .. }
        )
    });
    let link = format!("{origin}/ledger");
    for n in arrivals.chain(alarms) {
        out.extend(org_notice(db, org, n, &link, at.unix())?);
    }
    Ok(out)
}

/// An organisation notice's rows, worded in both languages.
fn org_notice(
    db: &Db,
    org: i64,
    n: Notice,
    link: &str,
    at: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    let (kind, points, threshold) = match n {
        Notice::LowBalance {
            available,
            threshold,
        } => ("low_balance", available, Some(threshold)),
        Notice::BalanceExhausted { available } => ("balance_exhausted", available, None),
        Notice::GrantArrived { points } => ("grant_arrived", points, None),
        Notice::TopUpCredited { points } => ("topup_credited", points, None),
        Notice::Refunded { points } => ("refunded", points, None),
        Notice::PurchaseRefunded { points } => ("purchase_refunded", points, None),
        Notice::ChargeMade { points } => ("charge_made", points, None),
        Notice::QuoteAwaitingApproval => return Ok(Vec::new()),
    };
    let words = mail::org_notice(kind, points, threshold, link);
    let data = serde_json::json!({
        "points": points.to_string(),
        "threshold": threshold.map(|t| t.to_string()),
    })
    .to_string();
    db.org_notice(
        &OrgNotice {
            org,
            kind,
            data: &data,
            subject: (&words.ru.subject, &words.en.subject),
            body: (&words.ru.body, &words.en.body),
            link,
            // A refund taken back concerns the provider's managers too.
            managers: kind == "purchase_refunded",
        },
        at,
    )
}

/// The organisation's plan, if it has one (a plan that does not read is a 500, not "none").
pub async fn plan_of(db: &Db, provider: i64, org: &OrgRow) -> AppResult<Option<Plan>> {
    match org.plan_id {
        Some(p) => db
            .plan(provider, p)
            .await?
            .map(|row| row.plan())
            .transpose(),
        None => Ok(None),
    }
}

/// What the organisation's plan lets it overdraw (`never` without a plan).
pub async fn overdraft_of(db: &Db, provider: i64, org: &OrgRow) -> AppResult<Overdraft> {
    Ok(plan_of(db, provider, org)
        .await?
        .map_or(Overdraft::Never, |p| p.overdraft))
}

/// The organisation's allotment under its plan, line by line (`None` without a plan).
pub fn allotment(org: &OrgRow, plan: Option<&Plan>) -> AppResult<Option<Allotment>> {
    let Some(plan) = plan else {
        return Ok(None);
    };
    Ok(Some(pointdesk_domain::plan::allotment(
        plan,
        &org.subscription()?,
    )?))
}

/// The organisation's allotment per period under its plan (nothing without one).
pub fn allotment_of(org: &OrgRow, plan: Option<&Plan>) -> AppResult<Points> {
    Ok(allotment(org, plan)?.map_or(Points::ZERO, |a| a.total))
}
