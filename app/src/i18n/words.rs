//! Words that depend on a number or a code: plural forms (through `Intl.PluralRules`),
//! field errors, roles, statuses, priorities and a charge's explanation.

use pointdesk_api::wire_enums::TicketStatus;
use pointdesk_domain::policy::Role;

use super::{text, Locale, Msg};

/// Plural forms through `Intl.PluralRules`: `one`, `few`, `many`, `other` (Russian uses all
/// four; English one and other).
fn plural(locale: Locale, n: i64, forms: [pointdesk_api::messages::Row; 4]) -> &'static str {
    let [one, few, many, other] = forms;
    let pick = |f: pointdesk_api::messages::Row| f[locale.index()];
    match crate::format::plural_category(locale, n).as_str() {
        "one" => pick(one),
        "few" => pick(few),
        "many" => pick(many),
        _ => pick(other),
    }
}

/// `1 second`, `2 секунды`, `5 секунд`.
pub fn seconds(locale: Locale, n: i64) -> String {
    let word = plural(
        locale,
        n,
        [
            ["second", "секунду"],
            ["seconds", "секунды"],
            ["seconds", "секунд"],
            ["seconds", "секунды"],
        ],
    );
    format!("{} {word}", crate::format::integer(locale, n))
}

/// `1 day`, `2 дня`, `5 дней`.
pub fn days(locale: Locale, n: i64) -> String {
    let word = plural(
        locale,
        n,
        [
            ["day", "день"],
            ["days", "дня"],
            ["days", "дней"],
            ["days", "дня"],
        ],
    );
    format!("{} {word}", crate::format::integer(locale, n))
}

/// `1 minute`, `2 минуты`, `5 минут`.
pub fn minutes(locale: Locale, n: i64) -> String {
    let word = plural(
        locale,
        n,
        [
            ["minute", "минута"],
            ["minutes", "минуты"],
            ["minutes", "минут"],
            ["minutes", "минуты"],
        ],
    );
    format!("{} {word}", crate::format::integer(locale, n))
}

/// `1 character`, `3 символа`, `10 символов`.
pub fn characters(locale: Locale, n: i64) -> String {
    let word = plural(
        locale,
        n,
        [
            ["character", "символ"],
            ["characters", "символа"],
            ["characters", "символов"],
            ["characters", "символа"],
        ],
    );
    format!("{} {word}", crate::format::integer(locale, n))
}

/// A field error from the server, in the user's language.
pub fn field_error(locale: Locale, field: &pointdesk_api::problem::FieldError) -> String {
    let limit = field.limit.and_then(|l| i64::try_from(l).ok()).unwrap_or(0);
    let msg = match field.code.as_str() {
        "required" if field.field == "requisites" => Msg::RequisitesFirst,
        "required" if field.field == "provider_requisites" => Msg::ProviderRequisitesFirst,
        "required" => Msg::FieldRequired,
        "too_short" => {
            return format!(
                "{} {}.",
                text(locale, Msg::FieldTooShort),
                characters(locale, limit)
            )
        }
        "too_long" => {
            return format!(
                "{} {}.",
                text(locale, Msg::FieldTooLong),
                characters(locale, limit)
            )
        }
        "malformed" if field.field.ends_with("email") => Msg::FieldMalformedEmail,
        "wrong" => Msg::FieldWrongPassword,
        "taken" => Msg::FieldTaken,
        "wrong_type" => Msg::FieldWrongType,
        "unknown_field" => Msg::FieldUnknownField,
        "out_of_range" => Msg::FieldOutOfRange,
        "unknown" => Msg::FieldUnknown,
        "not_allowed" => Msg::FieldNotAllowed,
        "not_positive" => Msg::FieldNotPositive,
        "zero" => Msg::FieldZero,
        "too_large" if field.field == "file" => Msg::FieldFileTooLarge,
        "too_large" => Msg::FieldTooLarge,
        "empty" if field.field == "file" => Msg::FieldFileEmpty,
        "ticket_full" => Msg::FieldTicketFull,
        "unsupported" => Msg::FieldUnsupported,
        "not_for_incidents" => Msg::FieldNotForIncidents,
        "check_digit" => Msg::FieldCheckDigit,
        "digits" => Msg::FieldDigits,
        "bank_key" => Msg::FieldBankKey,
        "not_rub" => Msg::FieldNotRub,
        "not_waiting" => Msg::FieldNotWaiting,
        "not_1c_exchange" | "encoding" | "field" => Msg::FieldNot1c,
        "no_saved_card" => Msg::FieldNoSavedCard,
        "below_pack_price" => Msg::FieldBelowPackPrice,
        _ => Msg::FieldMalformed,
    };
    text(locale, msg).to_owned()
}

/// The role's name.
pub fn role_name(locale: Locale, role: Role) -> &'static str {
    text(
        locale,
        match role {
            Role::Manager => Msg::RoleManager,
            Role::Engineer => Msg::RoleEngineer,
            Role::ClientAdmin => Msg::RoleClientAdmin,
            Role::ClientUser => Msg::RoleClientUser,
        },
    )
}

/// `1 seat`, `3 места`, `12 мест`.
pub fn seats(locale: Locale, n: i64) -> String {
    let word = plural(
        locale,
        n,
        [
            ["seat", "место"],
            ["seats", "места"],
            ["seats", "мест"],
            ["seats", "места"],
        ],
    );
    format!("{} {word}", crate::format::integer(locale, n))
}

/// `1 балл`, `2 балла`, `5 баллов`, `1,50 балла`; `1 point`, `2.50 points`.
pub fn points(locale: Locale, p: pointdesk_api::WirePoints) -> String {
    let h = p.0.hundredths();
    let word = if h % 100 == 0 {
        plural(
            locale,
            h / 100,
            [
                ["point", "балл"],
                ["points", "балла"],
                ["points", "баллов"],
                ["points", "балла"],
            ],
        )
    } else {
        // CLDR: a visible fraction takes `other` in both languages.
        match locale {
            Locale::En => "points",
            Locale::Ru => "балла",
        }
    };
    format!("{} {word}", crate::format::points(locale, p))
}

/// A ticket's status.
pub fn status_name(locale: Locale, status: TicketStatus) -> &'static str {
    use Msg::*;
    text(
        locale,
        match status {
            TicketStatus::New => TicketNew,
            TicketStatus::InProgress => TicketInProgress,
            TicketStatus::AwaitingApproval => TicketAwaitingApproval,
            TicketStatus::Resolved => TicketResolved,
            TicketStatus::Closed => TicketClosed,
            TicketStatus::Completed => TicketCompleted,
            TicketStatus::Declined => TicketDeclined,
            TicketStatus::Cancelled => TicketCancelled,
        },
    )
}

/// A ticket's priority.
pub fn priority_name(locale: Locale, priority: &str) -> &'static str {
    use Msg::*;
    text(
        locale,
        match priority {
            "low" => PriorityLow,
            "high" => PriorityHigh,
            "urgent" => PriorityUrgent,
            _ => PriorityNormal,
        },
    )
}

/// A quote's status.
pub fn quote_status_name(locale: Locale, status: &str) -> &'static str {
    use Msg::*;
    text(
        locale,
        match status {
            "awaiting_approval" => QuoteAwaiting,
            "approved" => QuoteApproved,
            "declined" => QuoteDeclined,
            "expired" => QuoteLapsed,
            "charged" => QuoteCharged,
            "released" => QuoteReleased,
            _ => QuoteSuperseded,
        },
    )
}

/// "3 entries, 47 min → 1.00 point, rounded up to 15-min steps".
pub fn charge_text(
    locale: Locale,
    lines: u32,
    e: &pointdesk_api::ledger::ChargeExplanationDto,
) -> String {
    let entries = plural(
        locale,
        i64::from(lines),
        [
            ["entry", "запись"],
            ["entries", "записи"],
            ["entries", "записей"],
            ["entries", "записи"],
        ],
    );
    let how = match (e.rule.as_str(), locale) {
        ("exact", Locale::En) => String::new(),
        ("exact", Locale::Ru) => String::new(),
        ("minimum", Locale::En) => ", the plan's minimum charge".into(),
        ("minimum", Locale::Ru) => ", минимальное списание по тарифу".into(),
        (_, Locale::En) => format!(", rounded up to {}-min steps", e.increment_minutes),
        (_, Locale::Ru) => format!(", округлено вверх до шага {} мин", e.increment_minutes),
    };
    format!(
        "{lines} {entries}, {} {} → {}{how}",
        e.logged_minutes,
        if locale == Locale::Ru {
            "мин"
        } else {
            "min"
        },
        points(locale, e.points)
    )
}

/// A span of time, short: `25 min`, `3 h 10 min`, `2 d 4 h` (`мин`, `ч`, `дн.`): abbreviations,
/// so no plural form is needed.
pub fn span(locale: Locale, seconds: i64) -> String {
    let minutes = seconds.unsigned_abs().div_ceil(60);
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let w = |msg: Msg| text(locale, msg);
    match (d, h) {
        (0, 0) => format!("{m} {}", w(Msg::AbbrMinutes)),
        (0, _) if m > 0 => format!("{h} {} {m} {}", w(Msg::AbbrHours), w(Msg::AbbrMinutes)),
        (0, _) => format!("{h} {}", w(Msg::AbbrHours)),
        (_, 0) => format!("{d} {}", w(Msg::AbbrDays)),
        _ => format!("{d} {} {h} {}", w(Msg::AbbrDays), w(Msg::AbbrHours)),
    }
}
