//! Mail about an organisation's points: arrivals, refunds taken back and the balance alarms.

use pointdesk_domain::points::Points;

use super::letter::{local_points, Letter, Wording};

/// The words of an organisation notice of `kind` about `points` (and the alarm's `threshold`),
/// with the link to the ledger at the end.
pub fn org_notice(
    kind: &'static str,
    points: Points,
    threshold: Option<Points>,
    link: &str,
) -> Wording {
    let (ru, en) = (local_points(points, "ru"), points.to_string());
    let (tru, ten) = threshold.map_or((String::new(), String::new()), |t| {
        (local_points(t, "ru"), t.to_string())
    });
    let (subject, body): ((String, String), (String, String)) = match kind {
        "low_balance" => (
            ("Pointdesk: баланс ниже порога".to_owned(), "Pointdesk: your balance is below the threshold".to_owned()),
            (
                format!("Доступно {ru} (порог — {tru}). Пополните баланс, чтобы работы не останавливались:"),
                format!("{en} points are available (your threshold is {ten}). Top up so that work does not stop:"),
            ),
        ),
        "balance_exhausted" => (
            ("Pointdesk: баллы закончились".to_owned(), "Pointdesk: your points have run out".to_owned()),
            (
                format!("Доступно {ru}. Новые заявки по смете не начнутся, пока баланс не пополнен:"),
                format!("{en} points are available. Quoted work cannot start until you top up:"),
            ),
        ),
        "purchase_refunded" => (
            ("Pointdesk: платёж возвращён — баллы списаны".to_owned(), "Pointdesk: a payment was refunded and its points taken back".to_owned()),
            (
                format!("Платёж за пакет баллов возвращён, с баланса списано {ru}. Если часть баллов уже была израсходована, она учтена как задолженность и погасится из следующих поступлений."),
                format!("A payment for points was refunded: {en} points were taken back. Points already spent are owed and come out of the next points that arrive."),
            ),
        ),
        "grant_arrived" => (
            ("Pointdesk: начислены баллы за период".to_owned(), "Pointdesk: this period's points have arrived".to_owned()),
            (
                format!("На баланс начислено {ru} — пакет на новый период."),
                format!("{en} points of the new period's allotment were added to your balance."),
            ),
        ),
        _ => (
            ("Pointdesk: баланс пополнен".to_owned(), "Pointdesk: points credited".to_owned()),
            (
                format!("На баланс зачислено {ru}."),
                format!("{en} points were credited to your balance."),
            ),
        ),
    };
    Wording {
        kind,
        ru: Letter {
            subject: subject.0,
            body: format!("{}\n\n{link}", body.0),
        },
        en: Letter {
            subject: subject.1,
            body: format!("{}\n\n{link}", body.1),
        },
    }
}

/// The words of a manager's adjustment of `amount` points with `reason`.
pub fn adjustment(amount: Points, reason: &str, link: &str) -> Wording {
    let (ru, en) = (local_points(amount, "ru"), amount.to_string());
    Wording {
        kind: "adjustment_made",
        ru: Letter {
            subject: "Pointdesk: корректировка баланса".to_owned(),
            body: format!("Менеджер скорректировал баланс на {ru}: {reason}\n\n{link}"),
        },
        en: Letter {
            subject: "Pointdesk: your balance was adjusted".to_owned(),
            body: format!("A manager adjusted your balance by {en}: {reason}\n\n{link}"),
        },
    }
}
