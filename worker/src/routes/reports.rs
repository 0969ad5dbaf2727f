//! The manager's reports, as JSON or CSV (`?format=csv`).

use pointdesk_api::payments::{RevenueReportDto, RevenueRowDto};
use pointdesk_api::reports::{
    BalanceReportDto, BalanceRowDto, ConsumptionReportDto, ConsumptionRowDto, DisputeReportDto,
    DisputeRowDto,
};
use pointdesk_domain::policy::Action;
use worker::Response;

use crate::error::AppResult;
use crate::http::{csv_locale, json, months, wants_csv, Call, Months, Session};
use crate::http::{iso, wire_points, Csv};

/// `getConsumptionReport`: `from`..=`to` months (default: the last six).
pub async fn consumption(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ViewReports)?;
    let csv = wants_csv(call)?;
    let locale = csv_locale(call, who)?;
    let Months {
        from,
        to,
        between,
        offset,
    } = months(call, who)?;
    let db = call.db()?;
    let rows = db
        .consumption(
            who.provider(),
            (&from.to_string(), &to.to_string()),
            between,
            offset,
        )
        .await?;
    let rows: Vec<ConsumptionRowDto> = rows
        .into_iter()
        .map(|r| ConsumptionRowDto {
            org_id: r.org_id,
            organization: r.organization,
            month: r.month,
            charged: wire_points(r.charged),
            billable_minutes: r.billable,
            non_billable_minutes: r.non_billable,
        })
        .collect();
    if csv {
        let mut csv = Csv::new(
            &locale,
            &[
                ("month", "Месяц"),
                ("organization", "Клиент"),
                ("charged_points", "Списано баллов"),
                ("billable_hours", "Платные часы"),
                ("non_billable_hours", "Бесплатные часы"),
            ],
        );
        for r in &rows {
            let (charged, billable, free) = (
                csv.num(r.charged.0),
                csv.num(hours(r.billable_minutes)),
                csv.num(hours(r.non_billable_minutes)),
            );
            csv.row(&[
                (&r.month, false),
                (&r.organization, true),
                (&charged, false),
                (&billable, false),
                (&free, false),
            ]);
        }
        return csv.into_response("consumption", &format!("{from}-{to}"));
    }
    json(&ConsumptionReportDto {
        from: from.to_string(),
        to: to.to_string(),
        rows,
    })
}

/// `getRevenueReport`: succeeded top-ups by month and currency, `from`..=`to` months.
pub async fn revenue(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ViewReports)?;
    let csv = wants_csv(call)?;
    let locale = csv_locale(call, who)?;
    let Months {
        from,
        to,
        between,
        offset,
    } = months(call, who)?;
    let db = call.db()?;
    let rows: Vec<RevenueRowDto> = db
        .revenue(who.provider(), between, offset)
        .await?
        .into_iter()
        .map(|r| RevenueRowDto {
            month: r.month,
            currency: r.currency,
            purchases: r.purchases,
            points: wire_points(r.points),
            amount_minor: r.amount_minor,
        })
        .collect();
    if csv {
        let mut csv = Csv::new(
            &locale,
            &[
                ("month", "Месяц"),
                ("currency", "Валюта"),
                ("purchases", "Покупок"),
                ("points", "Баллов"),
                ("amount", "Сумма"),
            ],
        );
        for r in &rows {
            let (points, amount) = (csv.num(r.points.0), csv.num(minor(r.amount_minor)));
            csv.row(&[
                (&r.month, false),
                (&r.currency, false),
                (&r.purchases.to_string(), false),
                (&points, false),
                (&amount, false),
            ]);
        }
        return csv.into_response("revenue", &format!("{from}-{to}"));
    }
    json(&RevenueReportDto {
        from: from.to_string(),
        to: to.to_string(),
        rows,
    })
}

/// Minor units as a decimal amount (`150000` → `1500.00`).
fn minor(amount: i64) -> String {
    format!("{}.{:02}", amount / 100, amount % 100)
}

/// Minutes as hours with two decimals, exactly (no floating point).
fn hours(minutes: i64) -> String {
    let hundredths = (minutes * 100 + 30) / 60;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// `getBalanceReport`: every active client against its threshold.
pub async fn balances(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ViewReports)?;
    let csv = wants_csv(call)?;
    let locale = csv_locale(call, who)?;
    let db = call.db()?;
    let rows: Vec<BalanceRowDto> = db
        .balance_report(who.provider())
        .await?
        .into_iter()
        .map(|r| {
            let available = r.balance - r.held;
            let state = if available <= 0 {
                "exhausted"
            } else if available < r.threshold {
                "below"
            } else if available * 2 < r.threshold * 3 {
                "near"
            } else {
                "ok"
            };
            BalanceRowDto {
                org_id: r.org_id,
                organization: r.organization,
                balance: wire_points(r.balance),
                available: wire_points(available),
                threshold: wire_points(r.threshold),
                state: state.to_owned(),
            }
        })
        .collect();
    if csv {
        let mut csv = Csv::new(
            &locale,
            &[
                ("organization", "Клиент"),
                ("balance", "Баланс"),
                ("available", "Доступно"),
                ("threshold", "Порог"),
                ("state", "Состояние"),
            ],
        );
        for r in &rows {
            let (balance, available, threshold) = (
                csv.num(r.balance.0),
                csv.num(r.available.0),
                csv.num(r.threshold.0),
            );
            csv.row(&[
                (&r.organization, true),
                (&balance, false),
                (&available, false),
                (&threshold, false),
                (&r.state, false),
            ]);
        }
        return csv.into_response("balances", &call.now.date(0).to_string());
    }
    json(&BalanceReportDto { rows })
}

/// `getDisputeReport`: every dispute, newest first.
pub async fn disputes(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    who.may_provider_wide(Action::ViewReports)?;
    let csv = wants_csv(call)?;
    let locale = csv_locale(call, who)?;
    let db = call.db()?;
    let rows: Vec<DisputeRowDto> = db
        .dispute_report(who.provider())
        .await?
        .into_iter()
        .map(|r| DisputeRowDto {
            ticket_id: r.ticket_id,
            ticket_number: r.ticket_number,
            organization: r.organization,
            points: wire_points(r.points),
            state: r.state,
            opened_at: r.opened_at,
            decided_at: r.decided_at,
            decision_reason: r.decision_reason,
        })
        .collect();
    if csv {
        let mut csv = Csv::new(
            &locale,
            &[
                ("ticket", "Заявка"),
                ("organization", "Клиент"),
                ("points", "Баллов"),
                ("state", "Состояние"),
                ("opened_at", "Открыт"),
                ("decided_at", "Решён"),
                ("decision_reason", "Основание решения"),
            ],
        );
        for r in &rows {
            let points = csv.num(r.points.0);
            csv.row(&[
                (&r.ticket_number.to_string(), false),
                (&r.organization, true),
                (&points, false),
                (&r.state, false),
                (&iso(r.opened_at), false),
                (&r.decided_at.map(iso).unwrap_or_default(), false),
                (r.decision_reason.as_deref().unwrap_or(""), true),
            ]);
        }
        return csv.into_response("disputes", &call.now.date(0).to_string());
    }
    json(&DisputeReportDto { rows })
}

#[cfg(test)]
mod tests {
    #[test]
    fn minutes_become_hours_exactly() {
        assert_eq!(super::hours(0), "0.00");
        assert_eq!(super::hours(47), "0.78");
        assert_eq!(super::hours(60), "1.00");
        assert_eq!(super::hours(90), "1.50");
    }
}
