//! Mail about an automatic top-up: the notice an hour before it is made (with the way to stop
//! it), the top-up made (a card charged, an invoice issued), the bank asking for the cardholder,
//! and a top-up that could not be made.

use pointdesk_api::messages::Lang;
use pointdesk_domain::points::Points;

use super::letter::{fill, local_points, Letter, Wording};

pointdesk_api::messages! {
    /// `{available}`, `{threshold}`, `{pack}`, `{amount}`, `{how}` and `{reason}` are filled in.
    enum Words {
        DueSubject => ["Pointdesk: automatic top-up in an hour", "Pointdesk: автопополнение через час"],
        DueBody => [
            "{available} points are available (your threshold is {threshold}). In an hour “{pack}” will be bought for {amount} ({how}). To stop it, turn automatic top-up off:",
            "Доступно {available} (порог — {threshold}). Через час будет куплен пакет «{pack}» за {amount} ({how}). Чтобы этого не произошло, отключите автопополнение:",
        ],
        MadeSubject => ["Pointdesk: automatic top-up made", "Pointdesk: автопополнение выполнено"],
        MadeBody => ["“{pack}” was bought for {amount} ({how}).", "Куплен пакет «{pack}» за {amount} ({how})."],
        InvoiceSubject => ["Pointdesk: an invoice for your automatic top-up", "Pointdesk: счёт на автопополнение"],
        InvoiceBody => [
            "An invoice for “{pack}” ({amount}) was issued. Pay it by bank transfer; the points arrive with the payment:",
            "Выставлен счёт на пакет «{pack}» ({amount}). Оплатите его переводом — баллы поступят вместе с оплатой:",
        ],
        ConfirmSubject => ["Pointdesk: your bank asks you to confirm the top-up", "Pointdesk: банк просит подтвердить автопополнение"],
        ConfirmBody => [
            "Your bank wants you to confirm the payment for “{pack}” ({amount}). Pay it here:",
            "Банк просит подтвердить оплату пакета «{pack}» ({amount}). Оплатите по ссылке:",
        ],
        FailedSubject => ["Pointdesk: automatic top-up was not made", "Pointdesk: автопополнение не выполнено"],
        FailedBody => [
            "“{pack}” ({amount}) could not be bought: {reason}. Top up by hand:",
            "Не удалось купить пакет «{pack}» ({amount}): {reason}. Пополните баланс вручную:",
        ],
        ByInvoice => ["by invoice", "по счёту"],
        NoCard => ["no card is kept for automatic top-ups", "карта для автопополнения не сохранена"],
        Declined => ["the bank declined the card", "банк отклонил карту"],
        Unreachable => ["the payment service did not answer", "платёжный сервис не ответил"],
        NoRequisites => ["the requisites for an invoice are missing", "не заполнены реквизиты для счёта"],
    }
}

/// What happened to an automatic top-up, as its notice tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopUpNotice {
    /// It will be made in an hour unless turned off.
    Due {
        available: Points,
        threshold: Points,
    },
    /// The card was charged.
    Charged,
    /// An invoice was issued.
    Invoiced,
    /// The bank wants the cardholder: the link is a checkout.
    Confirm,
    Failed(Why),
}

/// Why a top-up was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    NoCard,
    Declined,
    Unreachable,
    NoRequisites,
}

impl TopUpNotice {
    pub fn kind(self) -> &'static str {
        match self {
            TopUpNotice::Due { .. } => "auto_topup_due",
            TopUpNotice::Charged | TopUpNotice::Invoiced => "auto_topup_made",
            TopUpNotice::Confirm => "auto_topup_confirm",
            TopUpNotice::Failed(_) => "auto_topup_failed",
        }
    }
}

/// `12 000,00 RUB` for Russian readers (as the documents write sums), `12000.00 RUB` for English.
fn amount(minor: i64, currency: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{}.{:02} {currency}", minor / 100, minor % 100),
        Lang::Ru => format!("{} {currency}", crate::docs::rub(minor)),
    }
}

/// What a top-up buys and how it pays.
pub struct TopUpAbout<'a> {
    pub pack: &'a str,
    pub price_minor: i64,
    pub currency: &'a str,
    /// The card's label, or `None` for an invoice.
    pub card: Option<&'a str>,
}

/// The words of `n` about the top-up `a`, with `link` at the end.
pub fn topup_notice(n: TopUpNotice, a: &TopUpAbout<'_>, link: &str) -> Wording {
    Wording::new(n.kind(), |lang| {
        let (subject, body) = match n {
            TopUpNotice::Due { .. } => (Words::DueSubject, Words::DueBody),
            TopUpNotice::Charged => (Words::MadeSubject, Words::MadeBody),
            TopUpNotice::Invoiced => (Words::InvoiceSubject, Words::InvoiceBody),
            TopUpNotice::Confirm => (Words::ConfirmSubject, Words::ConfirmBody),
            TopUpNotice::Failed(_) => (Words::FailedSubject, Words::FailedBody),
        };
        let (available, threshold) = match n {
            TopUpNotice::Due {
                available,
                threshold,
            } => (local_points(available, lang), local_points(threshold, lang)),
            _ => (String::new(), String::new()),
        };
        let reason = match n {
            TopUpNotice::Failed(Why::NoCard) => Words::NoCard.text(lang),
            TopUpNotice::Failed(Why::Declined) => Words::Declined.text(lang),
            TopUpNotice::Failed(Why::Unreachable) => Words::Unreachable.text(lang),
            TopUpNotice::Failed(Why::NoRequisites) => Words::NoRequisites.text(lang),
            _ => "",
        };
        let how = a.card.unwrap_or_else(|| Words::ByInvoice.text(lang));
        let money = amount(a.price_minor, a.currency, lang);
        let values = [
            ("available", available.as_str()),
            ("threshold", threshold.as_str()),
            ("pack", a.pack),
            ("amount", money.as_str()),
            ("how", how),
            ("reason", reason),
        ];
        Letter {
            subject: fill(subject.text(lang), &values),
            body: format!("{}\n\n{link}", fill(body.text(lang), &values)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_before_names_the_pack_the_amount_and_the_card() {
        let w = topup_notice(
            TopUpNotice::Due {
                available: "4.5".parse().unwrap(),
                threshold: "5".parse().unwrap(),
            },
            &TopUpAbout {
                pack: "10 баллов",
                price_minor: 1_200_000,
                currency: "RUB",
                card: Some("Visa •• 4242"),
            },
            "https://desk.test/buy-points",
        );
        assert_eq!(w.kind, "auto_topup_due");
        assert_eq!(
            w.ru.body,
            "Доступно 4,50 (порог — 5,00). Через час будет куплен пакет «10 баллов» за 12\u{a0}000,00 RUB (Visa •• 4242). Чтобы этого не произошло, отключите автопополнение:\n\nhttps://desk.test/buy-points"
        );
        assert!(w.en.body.starts_with("4.50 points are available"));
        let f = topup_notice(
            TopUpNotice::Failed(Why::NoCard),
            &TopUpAbout {
                card: None,
                pack: "P",
                price_minor: 5,
                currency: "EUR",
            },
            "l",
        );
        assert_eq!(f.kind, "auto_topup_failed");
        assert!(f
            .en
            .body
            .contains("0.05 EUR) could not be bought: no card is kept"));
    }
}
