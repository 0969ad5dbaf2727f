//! Mail about a person's own account: a password reset and an invitation.

use super::letter::Letter;

pub fn reset(locale: &str, name: &str, link: &str) -> Letter {
    match locale {
        "ru" => Letter {
            subject: "Pointdesk: смена пароля".into(),
            body: format!(
                "{name}, здравствуйте!\n\nКто-то (надеемся, вы) попросил сменить пароль в Pointdesk. \
                 Задайте новый по ссылке — она действует 30 минут и только один раз:\n\n{link}\n\n\
                 Если вы ничего не просили, просто удалите это письмо: пароль останется прежним."
            ),
        },
        _ => Letter {
            subject: "Pointdesk: reset your password".into(),
            body: format!(
                "Hello {name},\n\nSomeone (we hope you) asked to reset your Pointdesk password. \
                 Set a new one with this link; it works once, for 30 minutes:\n\n{link}\n\n\
                 If you did not ask, delete this mail: your password stays as it is."
            ),
        },
    }
}

pub fn invitation(locale: &str, name: &str, inviter: &str, org: &str, link: &str) -> Letter {
    match locale {
        "ru" => Letter {
            subject: format!("Pointdesk: приглашение от {inviter}"),
            body: format!(
                "{name}, здравствуйте!\n\n{inviter} приглашает вас в Pointdesk ({org}). \
                 Задайте пароль по ссылке — она действует 7 дней:\n\n{link}"
            ),
        },
        _ => Letter {
            subject: format!("Pointdesk: {inviter} invited you"),
            body: format!(
                "Hello {name},\n\n{inviter} invited you to Pointdesk ({org}). \
                 Set your password with this link; it works for 7 days:\n\n{link}"
            ),
        },
    }
}
