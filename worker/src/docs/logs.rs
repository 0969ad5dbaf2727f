//! The manager's two logs as pages, in the reader's language: the outbox (mail sent or waiting;
//! emailed secrets masked) and the audit log (who did what, when, before and after). Drawn by
//! the worker, like the documents: read-only lists need no app screen of their own.

use pointdesk_api::organizations::{AuditEntryDto, MailDto};
use worker::Response;

use super::{escape as e, page_in};
use crate::error::AppResult;

fn t(ru: bool, words: (&'static str, &'static str)) -> &'static str {
    if ru {
        words.1
    } else {
        words.0
    }
}

/// `2026-12-03 14:05` at `offset` minutes east of UTC.
pub fn when(at: i64, offset: i32) -> String {
    let local = at + i64::from(offset) * 60;
    let day = pointdesk_domain::time::Date::from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    format!("{day} {:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// An audit action in words; one this list does not know by its code.
fn action(code: &str, ru: bool) -> String {
    let words = match code {
        "organization.create" => ("Client added", "Добавлен клиент"),
        "organization.update" => ("Client changed", "Изменён клиент"),
        "plan.create" => ("Plan added", "Добавлен тариф"),
        "plan.update" => ("Plan changed", "Изменён тариф"),
        "user.invite" => ("Person invited", "Приглашён сотрудник"),
        "user.deactivate" => ("Person deactivated", "Сотрудник отключён"),
        "password.change" => ("Password changed", "Пароль изменён"),
        "password.reset" => ("Password reset by link", "Пароль сброшен по ссылке"),
        "invoice.issue" => ("Invoice issued", "Выставлен счёт"),
        "invoice.cancel" => ("Invoice cancelled", "Счёт аннулирован"),
        "invoice.paid_by_hand" => ("Invoice marked paid", "Оплата счёта отмечена вручную"),
        "bank_payment.resolve" => ("Bank payment decided", "Решение по платежу из выписки"),
        "requisites.update" => ("Requisites changed", "Изменены реквизиты"),
        "org_requisites.update" => ("Client's requisites changed", "Изменены реквизиты клиента"),
        other => return other.to_owned(),
    };
    t(ru, words).to_owned()
}

pub fn outbox_page(items: &[MailDto], ru: bool, offset: i32) -> AppResult<Response> {
    let mails: String = items
        .iter()
        .map(|m| {
            // A masked link (an invitation's or a reset's secret) is for its recipient only.
            let link = m
                .link
                .as_deref()
                .filter(|l| !l.contains("#token="))
                .map(|l| {
                    format!(
                        "<p><a class=\"button\" href=\"{}\" data-testid=\"mail-link\">{}</a></p>",
                        e(l),
                        t(ru, ("Open the link", "Открыть ссылку"))
                    )
                })
                .unwrap_or_default();
            format!(
                "<section class=\"item\" data-testid=\"mail\" data-to=\"{to}\"><h2>{subject}</h2>\
                 <p class=\"meta\">{to} · {at}</p><pre>{body}</pre>{link}</section>",
                to = e(&m.to),
                subject = e(&m.subject),
                at = when(m.created_at, offset),
                body = e(&m.body),
            )
        })
        .collect();
    let title = t(ru, ("Outbox", "Исходящие письма"));
    let body = format!(
        "<h1 data-testid=\"page-title\">{title}</h1><p>{}</p><div data-testid=\"outbox\">{mails}</div>",
        t(ru, ("Mail Pointdesk sends: invitations, password resets, alerts. Newest first.", "Письма, которые отправляет Pointdesk: приглашения, сброс пароля, уведомления. Новые сверху."))
    );
    page_in(
        if ru { "ru" } else { "en" },
        title,
        &body,
        t(ru, ("Print", "Печать")),
    )
}

pub fn audit_page(items: &[AuditEntryDto], ru: bool, offset: i32) -> AppResult<Response> {
    let entries: String = items
        .iter()
        .map(|a| {
            let diff = a.after.as_deref().map_or(String::new(), |after| {
                format!(
                    "<details><summary>{}</summary>{}<pre>{}</pre></details>",
                    t(ru, ("Before and after", "До и после")),
                    a.before.as_deref().map_or(String::new(), |b| format!("<pre>{}</pre>", e(b))),
                    e(after)
                )
            });
            format!(
                "<section class=\"item\" data-testid=\"audit-entry\" data-action=\"{code}\">\
                 <h2>{what} · <code>{object}</code></h2><p class=\"meta\">{actor} · {at}</p>{diff}</section>",
                code = e(&a.action),
                what = e(&action(&a.action, ru)),
                object = e(&a.object),
                actor = e(a.actor.as_deref().unwrap_or_default()),
                at = when(a.at, offset),
            )
        })
        .collect();
    let title = t(ru, ("Audit log", "Журнал действий"));
    let body = format!(
        "<h1 data-testid=\"page-title\">{title}</h1><div data-testid=\"audit-log\">{entries}</div>"
    );
    page_in(
        if ru { "ru" } else { "en" },
        title,
        &body,
        t(ru, ("Print", "Печать")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_the_providers_zone_and_actions_in_words() {
        // 2026-12-03 11:05 UTC is 14:05 in Moscow.
        assert_eq!(when(1_796_295_900, 180), "2026-12-03 14:05");
        assert_eq!(when(1_796_295_900, 0), "2026-12-03 11:05");
        assert_eq!(action("invoice.issue", true), "Выставлен счёт");
        assert_eq!(action("something.new", false), "something.new");
    }
}
