//! Mail about a ticket, to its followers (and its organisation's client admins when the notice
//! is theirs).

use pointdesk_api::messages::Lang;

use super::letter::{fill, Letter, Wording};

pointdesk_api::messages! {
    /// What changed on a followed ticket.
    pub enum WhatChanged {
        NewComment => ["a new comment", "новый комментарий"],
        InProgress => ["in progress", "в работе"],
        Resolved => ["resolved", "решена"],
        Closed => ["closed", "закрыта"],
        QuoteApproved => ["the quote was approved", "смета одобрена"],
        QuoteDeclined => ["the quote was declined", "смета отклонена"],
        Completed => ["completed", "выполнена"],
        Cancelled => ["cancelled", "отменена"],
        CauseStandard => ["cause: standard, nothing charged", "причина — штатная, без списания"],
        Disputed => ["the charge was disputed", "списание оспорено"],
        Reclassified => ["reclassified", "тип заявки изменён"],
        Confirmed => ["the client confirmed the fix", "клиент подтвердил решение"],
        NotFixed => ["reopened: not fixed", "открыта снова: проблема не решена"],
        QuoteSentToAdmin => ["a quote waits for your administrator's approval", "смета ждёт одобрения вашего администратора"],
        ChargedAdminMayDispute => ["its time was charged; your administrator may dispute it", "время работы списано; оспорить списание может ваш администратор"],
        Priority => ["the priority changed", "приоритет изменён"],
        AwaitingClient => ["the engineer waits for your answer", "инженер ждёт вашего ответа"],
    }
}

pointdesk_api::messages! {
    /// `{no}`, `{title}`, `{by}` (who acted) and `{what}` (a [`WhatChanged`]) are filled in.
    enum Words {
        QuoteAwaitingSubject => ["Pointdesk: a quote for [#{no}] awaits your approval", "Pointdesk: смета по заявке [#{no}] ждёт решения"],
        QuoteAwaitingBody => ["Request #{no} \"{title}\" has a quote. Approve or decline it:", "По заявке #{no} «{title}» готова смета. Одобрите или отклоните её:"],
        ChangedSubject => ["Pointdesk: [#{no}] — {what}", "Pointdesk: [#{no}] — {what}"],
        ChangedBody => ["Ticket #{no} \"{title}\": {what} ({by}).", "Заявка #{no} «{title}»: {what} ({by})."],
        ChargedSubject => ["Pointdesk: incident [#{no}] was charged", "Pointdesk: списание по инциденту [#{no}]"],
        ChargedBody => [
            "Incident #{no} \"{title}\" was client caused; its logged time was charged. Details and disputes:",
            "Инцидент #{no} «{title}» вызван действиями на вашей стороне; время работы списано с баланса. Подробности и оспаривание:",
        ],
        DisputeDecidedSubject => ["Pointdesk: your dispute of [#{no}] was decided", "Pointdesk: решение по спору [#{no}]"],
        DisputeDecidedBody => ["The dispute of the charge for #{no} \"{title}\" was decided:", "По спору о списании за #{no} «{title}» принято решение:"],
    }
}

/// What happened to a ticket that mail tells people about.
#[derive(Clone, Copy)]
pub enum TicketNotice {
    /// A quote waits for the client admin.
    QuoteAwaiting,
    /// A followed ticket changed.
    Changed(WhatChanged),
    /// A client-caused incident was charged.
    Charged,
    DisputeDecided,
}

impl TicketNotice {
    /// The notice's kind, as the notification centre and preferences name it.
    pub fn kind(self) -> &'static str {
        match self {
            TicketNotice::QuoteAwaiting => "quote_awaiting",
            TicketNotice::Changed(..) => "ticket_changed",
            TicketNotice::Charged => "charge_made",
            TicketNotice::DisputeDecided => "dispute_decided",
        }
    }

    /// Is it for the organisation's client admins too (a decision or a charge is theirs)?
    pub fn to_client_admins(self) -> bool {
        !matches!(self, TicketNotice::Changed(..))
    }
}

/// The words of `n` about ticket `no` titled `title` (`by`: who acted), linking to `link`.
pub fn ticket_notice(n: TicketNotice, no: i64, title: &str, by: &str, link: &str) -> Wording {
    let (subject, body) = match n {
        TicketNotice::QuoteAwaiting => (Words::QuoteAwaitingSubject, Words::QuoteAwaitingBody),
        TicketNotice::Changed(_) => (Words::ChangedSubject, Words::ChangedBody),
        TicketNotice::Charged => (Words::ChargedSubject, Words::ChargedBody),
        TicketNotice::DisputeDecided => (Words::DisputeDecidedSubject, Words::DisputeDecidedBody),
    };
    let no = no.to_string();
    Wording::new(n.kind(), |lang: Lang| {
        let what = match n {
            TicketNotice::Changed(c) => c.text(lang),
            _ => "",
        };
        let values = [
            ("no", no.as_str()),
            ("title", title),
            ("by", by),
            ("what", what),
        ];
        Letter {
            subject: fill(subject.text(lang), &values),
            body: format!("{}\n\n{link}", fill(body.text(lang), &values)),
        }
    })
}
