//! Mail about a ticket, to its followers (and its organisation's client admins when the notice
//! is theirs).

use super::letter::{Letter, Wording};

/// What happened to a ticket that mail tells people about.
#[derive(Clone, Copy)]
pub enum TicketNotice {
    /// A quote waits for the client admin.
    QuoteAwaiting,
    /// A followed ticket changed (`what` in Russian and English).
    Changed(&'static str, &'static str),
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
    let (ru_s, en_s, ru_b, en_b) = match n {
        TicketNotice::QuoteAwaiting => (
            format!("Pointdesk: смета по заявке #{no} ждёт решения"),
            format!("Pointdesk: a quote for #{no} awaits your approval"),
            format!("По заявке #{no} «{title}» готова смета. Одобрите или отклоните её:"),
            format!("Request #{no} \"{title}\" has a quote. Approve or decline it:"),
        ),
        TicketNotice::Changed(ru, en) => (
            format!("Pointdesk: #{no} — {ru}"),
            format!("Pointdesk: #{no} — {en}"),
            format!("Заявка #{no} «{title}»: {ru} ({by})."),
            format!("Ticket #{no} \"{title}\": {en} ({by})."),
        ),
        TicketNotice::Charged => (
            format!("Pointdesk: списание по инциденту #{no}"),
            format!("Pointdesk: incident #{no} was charged"),
            format!("Инцидент #{no} «{title}» вызван действиями на вашей стороне; время работы списано с баланса. Подробности и оспаривание:"),
            format!("Incident #{no} \"{title}\" was client caused; its logged time was charged. Details and disputes:"),
        ),
        TicketNotice::DisputeDecided => (
            format!("Pointdesk: решение по спору #{no}"),
            format!("Pointdesk: your dispute of #{no} was decided"),
            format!("По спору о списании за #{no} «{title}» принято решение:"),
            format!("The dispute of the charge for #{no} \"{title}\" was decided:"),
        ),
    };
    Wording {
        kind: n.kind(),
        ru: Letter {
            subject: ru_s,
            body: format!("{ru_b}\n\n{link}"),
        },
        en: Letter {
            subject: en_s,
            body: format!("{en_b}\n\n{link}"),
        },
    }
}
