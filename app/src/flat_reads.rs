//! Answers built from their JSON by hand (through [`crate::flat_json::Fields`]) into the same
//! DTO types the screens draw, instead of by serde: each serde type the app reads carries its
//! own deserializer into the bundle, and these nested ones cost more than the few lines here.

use pointdesk_api::accounts::OrgRefDto;
use pointdesk_api::desk::PlanTermsDto;
use pointdesk_api::ledger::{
    AllotmentDto, AllotmentLineDto, BalanceDayDto, BalanceHistoryDto, BlockMoveDto, LedgerEntryDto,
    LedgerPageDto, TicketRefDto,
};
use pointdesk_api::organizations::{OrganizationDto, PlanListDto, PlanRowDto};
use pointdesk_api::plans::{PlanDto, PlanOptionDto};
use pointdesk_api::sla::SlaTargetDto;
use pointdesk_api::WirePoints;

use crate::client::ApiError;
use crate::flat_json::{fields, Fields};

fn points(f: &Fields, key: &str) -> WirePoints {
    f.points(key).unwrap_or(WirePoints::ZERO)
}

/// `listLedgerEntries`.
pub fn ledger_page(text: &str) -> LedgerPageDto {
    let page = fields(text);
    let entries = page
        .list("entries")
        .iter()
        .map(|e| {
            let t = e.sub("ticket");
            LedgerEntryDto {
                id: e.int("id"),
                kind: e.get("kind"),
                amount: points(e, "amount"),
                balance_after: points(e, "balance_after"),
                reason: e.get("reason"),
                reference: e.get("reference"),
                ticket: (t.int("id") != 0).then(|| TicketRefDto {
                    id: t.int("id"),
                    number: t.int("number"),
                    title: t.get("title"),
                }),
                actor: Some(e.get("actor")).filter(|a| !a.is_empty()),
                at: e.int("at"),
                moves: e
                    .list("moves")
                    .iter()
                    .map(|m| BlockMoveDto {
                        block: m.int("block"),
                        source: m.get("source"),
                        points: points(m, "points"),
                    })
                    .collect(),
            }
        })
        .collect();
    LedgerPageDto {
        entries,
        next: Some(page.int("next")).filter(|n| *n != 0),
    }
}

/// `getBalanceHistory`.
pub fn balance_history(text: &str) -> BalanceHistoryDto {
    let h = fields(text);
    BalanceHistoryDto {
        from: h.int("from"),
        to: h.int("to"),
        opening: points(&h, "opening"),
        days: h
            .list("days")
            .iter()
            .map(|d| BalanceDayDto {
                day: d.int("day"),
                closing: points(d, "closing"),
                grants: points(d, "grants"),
                purchases: points(d, "purchases"),
                charges: points(d, "charges"),
            })
            .collect(),
    }
}

/// An allotment with its lines (`kind`: `base`, `seats`, `option`).
fn allotment(a: &Fields) -> AllotmentDto {
    AllotmentDto {
        total: points(a, "total"),
        lines: a
            .list("lines")
            .iter()
            .map(|l| match l.get("kind").as_str() {
                "base" => AllotmentLineDto::Base {
                    points: points(l, "points"),
                },
                "seats" => AllotmentLineDto::Seats {
                    seats: u32::try_from(l.int("seats")).unwrap_or(0),
                    per_seat: points(l, "per_seat"),
                    points: points(l, "points"),
                },
                _ => AllotmentLineDto::Option {
                    code: l.get("code"),
                    name: l.get("name"),
                    points: points(l, "points"),
                },
            })
            .collect(),
    }
}

/// `getPlanTerms`.
pub fn plan_terms(text: &str) -> PlanTermsDto {
    let t = fields(text);
    let o = t.sub("organization");
    let days = |k: &str| u32::try_from(t.int(k)).unwrap_or(0);
    PlanTermsDto {
        organization: OrgRefDto {
            id: o.int("id"),
            name: o.get("name"),
        },
        plan: t.get("plan"),
        allotment: allotment(&t.sub("allotment")),
        increment_minutes: days("increment_minutes"),
        minimum_charge: points(&t, "minimum_charge"),
        rollover: t.get("rollover"),
        rollover_cap: t.points("rollover_cap"),
        overdraft: t.get("overdraft"),
        dispute_window_days: days("dispute_window_days"),
        quote_validity_days: days("quote_validity_days"),
        auto_close_days: days("auto_close_days"),
        standard_items: t.strings("standard_items"),
        quoted_items: t.strings("quoted_items"),
        threshold: points(&t, "threshold"),
        threshold_custom: t.flag("threshold_custom"),
    }
}

/// A plan with its id (`listPlans`' items, an organisation's plan).
fn plan_row(p: &Fields) -> PlanRowDto {
    let whole = |f: &Fields, k: &str| u32::try_from(f.int(k)).unwrap_or(0);
    PlanRowDto {
        id: p.int("id"),
        plan: PlanDto {
            name: p.get("name"),
            base: points(p, "base"),
            per_seat: points(p, "per_seat"),
            options: p
                .list("options")
                .iter()
                .map(|o| PlanOptionDto {
                    code: o.get("code"),
                    name: o.get("name"),
                    points: points(o, "points"),
                })
                .collect(),
            increment_minutes: whole(p, "increment_minutes"),
            minimum_charge: points(p, "minimum_charge"),
            rollover: p.get("rollover"),
            rollover_cap: p.points("rollover_cap"),
            overdraft: p.get("overdraft"),
            sla: p
                .list("sla")
                .iter()
                .map(|t| SlaTargetDto {
                    priority: t.get("priority"),
                    respond_minutes: whole(t, "respond_minutes"),
                    resolve_minutes: whole(t, "resolve_minutes"),
                    round_the_clock: t.flag("round_the_clock"),
                })
                .collect(),
        },
        organizations: p.int("organizations"),
    }
}

/// `listPlans`.
pub fn plan_list(text: &str) -> Result<PlanListDto, ApiError> {
    Ok(PlanListDto {
        items: fields(text).list("items").iter().map(plan_row).collect(),
    })
}

/// `getOrganization`.
pub fn organization(text: &str) -> Result<OrganizationDto, ApiError> {
    let o = fields(text);
    let plan = o.sub("plan");
    let allot = o.sub("allotment");
    Ok(OrganizationDto {
        id: o.int("id"),
        name: o.get("name"),
        plan: (plan.int("id") != 0).then(|| plan_row(&plan)),
        seats: u32::try_from(o.int("seats")).unwrap_or(0),
        option_codes: o.strings("option_codes"),
        threshold: points(&o, "threshold"),
        alert_recipients: o.ints("alert_recipients"),
        on_duty: o.ints("on_duty"),
        threshold_custom: o.flag("threshold_custom"),
        locale: o.get("locale"),
        active: o.flag("active"),
        balance: points(&o, "balance"),
        allotment: allot.points("total").is_some().then(|| allotment(&allot)),
    })
}
