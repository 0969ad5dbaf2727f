//! Mail about a person's own account: a password reset and an invitation.

use pointdesk_api::messages::Lang;

use super::letter::{fill, Letter};

pointdesk_api::messages! {
    /// `{name}`, `{inviter}`, `{org}` and `{link}` are filled in.
    enum Words {
        ResetSubject => ["Pointdesk: reset your password", "Pointdesk: смена пароля"],
        ResetBody => [
            "Hello {name},\n\nSomeone (we hope you) asked to reset your Pointdesk password. Set a new one with this link; it works once, for 30 minutes:\n\n{link}\n\nIf you did not ask, delete this mail: your password stays as it is.",
            "{name}, здравствуйте!\n\nКто-то (надеемся, вы) попросил сменить пароль в Pointdesk. Задайте новый по ссылке — она действует 30 минут и только один раз:\n\n{link}\n\nЕсли вы ничего не просили, просто удалите это письмо: пароль останется прежним.",
        ],
        InvitationSubject => ["Pointdesk: {inviter} invited you", "Pointdesk: приглашение от {inviter}"],
        InvitationBody => [
            "Hello {name},\n\n{inviter} invited you to Pointdesk ({org}). Set your password with this link; it works for 7 days:\n\n{link}",
            "{name}, здравствуйте!\n\n{inviter} приглашает вас в Pointdesk ({org}). Задайте пароль по ссылке — она действует 7 дней:\n\n{link}",
        ],
    }
}

fn lang(locale: &str) -> Lang {
    Lang::from_tag(locale).unwrap_or(Lang::En)
}

pub fn reset(locale: &str, name: &str, link: &str) -> Letter {
    let (l, values) = (lang(locale), [("name", name), ("link", link)]);
    Letter {
        subject: fill(Words::ResetSubject.text(l), &values),
        body: fill(Words::ResetBody.text(l), &values),
    }
}

pub fn invitation(locale: &str, name: &str, inviter: &str, org: &str, link: &str) -> Letter {
    let l = lang(locale);
    let values = [
        ("name", name),
        ("inviter", inviter),
        ("org", org),
        ("link", link),
    ];
    Letter {
        subject: fill(Words::InvitationSubject.text(l), &values),
        body: fill(Words::InvitationBody.text(l), &values),
    }
}
