//! Mail of the desk's daily flow: a new ticket to the engineers on duty, its acknowledgement to
//! the requester, disputes and recorded approvals to the people who must act on them, a
//! resolved ticket about to close by itself, points about to expire.

use pointdesk_api::messages::Lang;

use super::letter::{fill, Letter, Wording};

pointdesk_api::messages! {
    /// What happens next to a ticket just opened, by what it is.
    pub enum NextStep {
        Incident => [
            "An engineer will take it and fix it first. Incidents are included in your plan; only one found to be caused on your side is charged for its time, and you can dispute that.",
            "Инженер возьмёт её в работу и сначала всё исправит. Инциденты входят в ваш тариф; списание возможно, только если причина окажется на вашей стороне, — и его можно оспорить.",
        ],
        Standard => [
            "This service is included in your plan: an engineer will take it and do it.",
            "Эта услуга входит в ваш тариф: инженер возьмёт заявку и выполнит её.",
        ],
        Quoted => [
            "An engineer will estimate it in points and send you a quote. Work starts only after your administrator approves it.",
            "Инженер оценит работу в баллах и пришлёт смету. Работа начнётся только после одобрения вашим администратором.",
        ],
    }
}

pointdesk_api::messages! {
    /// How a recorded approval was given.
    pub enum Channel {
        Phone => ["by phone", "по телефону"],
        Email => ["by email", "по почте"],
        InPerson => ["in person", "лично"],
    }
}

impl Channel {
    pub fn of(channel: &str) -> Channel {
        match channel {
            "phone" => Channel::Phone,
            "email" => Channel::Email,
            _ => Channel::InPerson,
        }
    }
}

pointdesk_api::messages! {
    /// `{no}`, `{title}`, `{org}`, `{by}`, `{next}`, `{channel}`, `{points}`, `{days}` and
    /// `{reason}` are filled in.
    enum Words {
        OpenedSubject => ["Pointdesk: new ticket [#{no}] from {org}", "Pointdesk: новая заявка [#{no}] от «{org}»"],
        OpenedUrgentSubject => ["Pointdesk: URGENT ticket [#{no}] from {org}", "Pointdesk: СРОЧНАЯ заявка [#{no}] от «{org}»"],
        OpenedBody => ["{org} opened #{no} \"{title}\" ({by}). Take it:", "«{org}»: новая заявка #{no} «{title}» ({by}). Взять в работу:"],
        ReceivedSubject => ["Pointdesk: we received your request [#{no}]", "Pointdesk: заявка [#{no}] принята"],
        ReceivedBody => ["Your ticket #{no} \"{title}\" is registered. {next}\n\nFollow it here:", "Ваша заявка #{no} «{title}» зарегистрирована. {next}\n\nСледить за ней:"],
        DisputeOpenedSubject => ["Pointdesk: the charge for [#{no}] is disputed", "Pointdesk: оспорено списание по [#{no}]"],
        DisputeOpenedBody => ["{org} disputes the charge for #{no} \"{title}\": {reason}\n\nDecide:", "«{org}» оспаривает списание по #{no} «{title}»: {reason}\n\nПринять решение:"],
        ApprovalRecordedSubject => ["Pointdesk: an approval was recorded in your name ([#{no}])", "Pointdesk: от вашего имени записано одобрение ([#{no}])"],
        ApprovalRecordedBody => [
            "{by} recorded that you approved the quote for #{no} \"{title}\" {channel}: {points} points are now held for it. If you did not approve it, say so within {days} days:",
            "{by} записал(а), что вы одобрили смету по #{no} «{title}» {channel}; под неё зарезервировано баллов: {points}. Если вы её не одобряли, сообщите об этом в течение {days} дн.:",
        ],
        ApprovalDisputedSubject => ["Pointdesk: a recorded approval of [#{no}] is disputed", "Pointdesk: оспорено записанное одобрение [#{no}]"],
        ApprovalDisputedBody => ["{by} says they did not approve the quote for #{no} \"{title}\": {reason}\n\nThe ticket:", "{by} сообщает, что не одобрял(а) смету по #{no} «{title}»: {reason}\n\nЗаявка:"],
        ClosingSoonSubject => ["Pointdesk: [#{no}] closes tomorrow unless it is not fixed", "Pointdesk: заявка [#{no}] закроется завтра"],
        ClosingSoonBody => [
            "Ticket #{no} \"{title}\" was resolved. If it is fixed, nothing needs doing: it closes by itself tomorrow. If it is not, say so here:",
            "Заявка #{no} «{title}» решена. Если всё работает, ничего делать не нужно: завтра она закроется сама. Если проблема осталась, сообщите об этом:",
        ],
        RespondWarningSubject => ["Pointdesk: [#{no}] needs its first answer soon", "Pointdesk: по [#{no}] скоро истекает срок первого ответа"],
        RespondWarningBody => ["Ticket #{no} \"{title}\" ({org}) has used 75 % of its time to the first answer. Answer it:", "По заявке #{no} «{title}» («{org}») прошло 75 % времени на первый ответ. Ответить:"],
        ResolveWarningSubject => ["Pointdesk: [#{no}] is due to be solved soon", "Pointdesk: по [#{no}] скоро истекает срок решения"],
        ResolveWarningBody => ["Ticket #{no} \"{title}\" ({org}) has used 75 % of its time to resolution. Open it:", "По заявке #{no} «{title}» («{org}») прошло 75 % времени на решение. Открыть:"],
        RespondBreachSubject => ["Pointdesk: [#{no}] missed its first-answer time", "Pointdesk: по [#{no}] нарушен срок первого ответа"],
        RespondBreachBody => ["Ticket #{no} \"{title}\" ({org}) has had no answer within its service level. Open it:", "Заявка #{no} «{title}» («{org}») осталась без ответа дольше обещанного. Открыть:"],
        ResolveBreachSubject => ["Pointdesk: [#{no}] missed its resolution time", "Pointdesk: по [#{no}] нарушен срок решения"],
        ResolveBreachBody => ["Ticket #{no} \"{title}\" ({org}) is not solved within its service level. Open it:", "Заявка #{no} «{title}» («{org}») не решена в обещанный срок. Открыть:"],
    }
}

/// A desk notice about a ticket.
#[derive(Clone, Copy)]
pub enum DeskNotice {
    Opened {
        urgent: bool,
    },
    Received(NextStep),
    DisputeOpened,
    ApprovalRecorded(Channel),
    ApprovalDisputed,
    ClosingSoon,
    /// 75 % of a target passed (`breach: false`) or all of it.
    Sla {
        clock: pointdesk_domain::sla::Which,
        breach: bool,
    },
}

impl DeskNotice {
    /// The notice's kind, as the notification centre and preferences name it.
    pub fn kind(self) -> &'static str {
        match self {
            DeskNotice::Opened { .. } => "ticket_opened",
            DeskNotice::Received(_) => "ticket_received",
            DeskNotice::DisputeOpened => "dispute_opened",
            DeskNotice::ApprovalRecorded(_) => "approval_recorded",
            DeskNotice::ApprovalDisputed => "dispute_opened",
            DeskNotice::ClosingSoon => "closing_soon",
            DeskNotice::Sla { breach: false, .. } => "sla_warning",
            DeskNotice::Sla { breach: true, .. } => "sla_breach",
        }
    }
}

/// What a desk notice is about.
pub struct About<'a> {
    pub no: i64,
    pub title: &'a str,
    pub org: &'a str,
    /// Who acted.
    pub by: &'a str,
    pub reason: &'a str,
    pub points: &'a str,
    pub days: u32,
}

/// The words of `n` in each language, linking to `link`.
pub fn desk_notice(n: DeskNotice, a: &About<'_>, link: &str) -> Wording {
    let (subject, body) = match n {
        DeskNotice::Opened { urgent: false } => (Words::OpenedSubject, Words::OpenedBody),
        DeskNotice::Opened { urgent: true } => (Words::OpenedUrgentSubject, Words::OpenedBody),
        DeskNotice::Received(_) => (Words::ReceivedSubject, Words::ReceivedBody),
        DeskNotice::DisputeOpened => (Words::DisputeOpenedSubject, Words::DisputeOpenedBody),
        DeskNotice::ApprovalRecorded(_) => {
            (Words::ApprovalRecordedSubject, Words::ApprovalRecordedBody)
        }
        DeskNotice::ApprovalDisputed => {
            (Words::ApprovalDisputedSubject, Words::ApprovalDisputedBody)
        }
        DeskNotice::ClosingSoon => (Words::ClosingSoonSubject, Words::ClosingSoonBody),
        DeskNotice::Sla { clock, breach } => {
            use pointdesk_domain::sla::Which;
            match (clock, breach) {
                (Which::Respond, false) => {
                    (Words::RespondWarningSubject, Words::RespondWarningBody)
                }
                (Which::Resolve, false) => {
                    (Words::ResolveWarningSubject, Words::ResolveWarningBody)
                }
                (Which::Respond, true) => (Words::RespondBreachSubject, Words::RespondBreachBody),
                (Which::Resolve, true) => (Words::ResolveBreachSubject, Words::ResolveBreachBody),
            }
        }
    };
    let no = a.no.to_string();
    let days = a.days.to_string();
    Wording::new(n.kind(), |lang: Lang| {
        let next = match n {
            DeskNotice::Received(next) => next.text(lang),
            _ => "",
        };
        let channel = match n {
            DeskNotice::ApprovalRecorded(c) => c.text(lang),
            _ => "",
        };
        let points = match lang {
            Lang::Ru => a.points.replace('.', ","),
            Lang::En => a.points.to_owned(),
        };
        let values = [
            ("no", no.as_str()),
            ("title", a.title),
            ("org", a.org),
            ("by", a.by),
            ("next", next),
            ("channel", channel),
            ("points", points.as_str()),
            ("days", days.as_str()),
            ("reason", a.reason),
        ];
        Letter {
            subject: fill(subject.text(lang), &values),
            body: format!("{}\n\n{link}", fill(body.text(lang), &values)),
        }
    })
}
