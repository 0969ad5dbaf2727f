//! Mail about an organisation's points: arrivals, refunds taken back, the balance alarms and a
//! manager's adjustment.

use pointdesk_api::messages::Lang;
use pointdesk_domain::points::Points;

use super::letter::{fill, local_points, Letter, Wording};

pointdesk_api::messages! {
    /// `{points}`, `{threshold}` and `{reason}` are filled in (points in the reader's notation).
    enum Words {
        LowBalanceSubject => ["Pointdesk: your balance is below the threshold", "Pointdesk: баланс ниже порога"],
        LowBalanceBody => [
            "{points} points are available (your threshold is {threshold}). Top up so that work does not stop:",
            "Доступно {points} (порог — {threshold}). Пополните баланс, чтобы работы не останавливались:",
        ],
        ExhaustedSubject => ["Pointdesk: your points have run out", "Pointdesk: баллы закончились"],
        ExhaustedBody => [
            "{points} points are available. Quoted work cannot start until you top up:",
            "Доступно {points}. Новые заявки по смете не начнутся, пока баланс не пополнен:",
        ],
        PurchaseRefundedSubject => ["Pointdesk: a payment was refunded and its points taken back", "Pointdesk: платёж возвращён — баллы списаны"],
        PurchaseRefundedBody => [
            "A payment for points was refunded: {points} points were taken back. Points already spent are owed and come out of the next points that arrive.",
            "Платёж за пакет баллов возвращён, с баланса списано {points}. Если часть баллов уже была израсходована, она учтена как задолженность и погасится из следующих поступлений.",
        ],
        GrantSubject => ["Pointdesk: this period's points have arrived", "Pointdesk: начислены баллы за период"],
        GrantBody => [
            "{points} points of the new period's allotment were added to your balance.",
            "На баланс начислено {points} — пакет на новый период.",
        ],
        CreditedSubject => ["Pointdesk: points credited", "Pointdesk: баланс пополнен"],
        CreditedBody => ["{points} points were credited to your balance.", "На баланс зачислено {points}."],
        ExpiringSubject => ["Pointdesk: points expire at the end of the month", "Pointdesk: баллы сгорят в конце месяца"],
        ExpiringBody => [
            "{points} points of this month's allotment are unused and expire after {reason}. Use them for planned work — open a service request or ask your engineer what is worth doing now:",
            "Не использовано и сгорит после {reason}: {points}. Потратьте их на плановые работы — откройте заявку на обслуживание или спросите инженера, что стоит сделать сейчас:",
        ],
        AdjustedSubject => ["Pointdesk: your balance was adjusted", "Pointdesk: корректировка баланса"],
        AdjustedBody => ["A manager adjusted your balance by {points}: {reason}", "Менеджер скорректировал баланс на {points}: {reason}"],
    }
}

/// A subject and a body with their values, and the link at the end of the body.
fn letter(subject: Words, body: Words, lang: Lang, values: &[(&str, &str)], link: &str) -> Letter {
    Letter {
        subject: fill(subject.text(lang), values),
        body: format!("{}\n\n{link}", fill(body.text(lang), values)),
    }
}

/// The words of an organisation notice of `kind` about `points` (and the alarm's `threshold`),
/// with the link to the ledger at the end.
pub fn org_notice(
    kind: &'static str,
    points: Points,
    threshold: Option<Points>,
    link: &str,
) -> Wording {
    let (subject, body) = match kind {
        "low_balance" => (Words::LowBalanceSubject, Words::LowBalanceBody),
        "balance_exhausted" => (Words::ExhaustedSubject, Words::ExhaustedBody),
        "purchase_refunded" => (Words::PurchaseRefundedSubject, Words::PurchaseRefundedBody),
        "grant_arrived" => (Words::GrantSubject, Words::GrantBody),
        _ => (Words::CreditedSubject, Words::CreditedBody),
    };
    Wording::new(kind, |lang| {
        let p = local_points(points, lang);
        let t = threshold.map(|t| local_points(t, lang)).unwrap_or_default();
        letter(
            subject,
            body,
            lang,
            &[("points", &p), ("threshold", &t)],
            link,
        )
    })
}

/// The announcement that `points` expire after `last_day` (`YYYY-MM-DD`).
pub fn expiring(points: Points, last_day: &str, link: &str) -> Wording {
    Wording::new("points_expiring", |lang| {
        let p = local_points(points, lang);
        let day = match lang {
            Lang::Ru => last_day.split('-').rev().collect::<Vec<_>>().join("."),
            Lang::En => last_day.to_owned(),
        };
        let values = [("points", p.as_str()), ("reason", day.as_str())];
        letter(
            Words::ExpiringSubject,
            Words::ExpiringBody,
            lang,
            &values,
            link,
        )
    })
}

/// The words of a manager's adjustment of `amount` points with `reason`.
pub fn adjustment(amount: Points, reason: &str, link: &str) -> Wording {
    Wording::new("adjustment_made", |lang| {
        let p = local_points(amount, lang);
        let values = [("points", p.as_str()), ("reason", reason)];
        letter(
            Words::AdjustedSubject,
            Words::AdjustedBody,
            lang,
            &values,
            link,
        )
    })
}
