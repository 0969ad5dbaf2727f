//! People and their sign-in data, parsed rather than validated: an [`Email`], a [`PersonName`]
//! or a [`Password`] that exists is well-formed. Sessions' lifetimes and the sign-in throttle
//! are decided here too; the worker passes in the clock.

use crate::time::Timestamp;

/// Why a value was refused, as a stable code the app translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reject {
    Required,
    TooShort { min: usize },
    TooLong { max: usize },
    Malformed,
}

impl Reject {
    /// The stable code on the wire (`required`, `too_short`, `too_long`, `malformed`).
    pub const fn code(self) -> &'static str {
        match self {
            Reject::Required => "required",
            Reject::TooShort { .. } => "too_short",
            Reject::TooLong { .. } => "too_long",
            Reject::Malformed => "malformed",
        }
    }
}

/// An email address, trimmed and lower-cased: `local@domain.tld`, at most 254 characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(raw: &str) -> Result<Email, Reject> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(Reject::Required);
        }
        if s.chars().count() > Self::MAX {
            return Err(Reject::TooLong { max: Self::MAX });
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(Reject::Malformed);
        };
        let labels: Vec<&str> = domain.split('.').collect();
        let well_formed = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
            && labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if well_formed {
            Ok(Email(s))
        } else {
            Err(Reject::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's or an organisation's display name: trimmed, 1–100 characters, no control
/// characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<PersonName, Reject> {
        let s = raw.trim();
        if !crate::text::has_visible(s) {
            return Err(Reject::Required);
        }
        if s.chars().count() > Self::MAX {
            return Err(Reject::TooLong { max: Self::MAX });
        }
        if s.chars().any(char::is_control) {
            return Err(Reject::Malformed);
        }
        Ok(PersonName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 10–128 characters (NIST SP 800-63B: long passphrases welcome, no
/// composition rules). Never trimmed: spaces are characters too.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn parse(raw: &str) -> Result<Password, Reject> {
        let n = raw.chars().count();
        if n == 0 {
            return Err(Reject::Required);
        }
        if n < Self::MIN {
            return Err(Reject::TooShort { min: Self::MIN });
        }
        if n > Self::MAX {
            return Err(Reject::TooLong { max: Self::MAX });
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The languages Pointdesk speaks; each person's choice is also used for their email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    En,
    Ru,
}

impl Locale {
    pub const fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    pub fn parse(raw: &str) -> Result<Locale, Reject> {
        match raw.trim() {
            "" => Err(Reject::Required),
            "en" => Ok(Locale::En),
            "ru" => Ok(Locale::Ru),
            _ => Err(Reject::Malformed),
        }
    }
}

/// How long a session lives: it ends after `IDLE` without a request, and `ABSOLUTE` after
/// sign-in whatever happens. Engineers work from a phone between tasks, so a working week of
/// idleness is allowed; a month is the hard limit.
pub struct SessionLife;

impl SessionLife {
    pub const IDLE_SECS: i64 = 7 * 24 * 3600;
    pub const ABSOLUTE_SECS: i64 = 30 * 24 * 3600;
    /// `last_seen_at` is written at most this often, so reads do not all write.
    pub const TOUCH_EVERY_SECS: i64 = 60;

    pub fn is_live(created: Timestamp, last_seen: Timestamp, now: Timestamp) -> bool {
        now.unix() < created.unix() + Self::ABSOLUTE_SECS
            && now.unix() < last_seen.unix() + Self::IDLE_SECS
    }

    pub fn needs_touch(last_seen: Timestamp, now: Timestamp) -> bool {
        now.unix() - last_seen.unix() >= Self::TOUCH_EVERY_SECS
    }
}

/// Single-use email links.
pub struct LinkLife;

impl LinkLife {
    /// An invitation waits a week.
    pub const INVITATION_SECS: i64 = 7 * 24 * 3600;
    /// A password reset link works for half an hour.
    pub const RESET_SECS: i64 = 30 * 60;
}

/// The sign-in throttle. An account gets four free failures, a client address twenty (an
/// office behind one address has many people who mistype); past that, the next attempt must
/// wait 2, 4, 8, … seconds, at most 15 minutes. A success clears the account's count, not the
/// address's: one address guessing many accounts stays slowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Throttle {
    /// One account from one address: 4 free failures. Another address's failures never lock
    /// the account (anyone could otherwise lock anyone out), and a success clears it.
    Account,
    /// One address, whatever the accounts: 20 free failures.
    Address,
}

impl Throttle {
    pub const MAX_WAIT_SECS: i64 = 15 * 60;
    /// A counter with no failure for this long starts again from zero.
    pub const DECAY_SECS: i64 = 15 * 60;

    /// The failures that still count at `now`: none once the last one is `DECAY_SECS` old.
    pub fn live_failures(failures: u32, last_failure: Timestamp, now: Timestamp) -> u32 {
        if now.unix() - last_failure.unix() >= Self::DECAY_SECS {
            0
        } else {
            failures
        }
    }

    pub const fn free_failures(self) -> u32 {
        match self {
            Throttle::Account => 4,
            Throttle::Address => 20,
        }
    }

    /// After `failures` failures, how long the next attempt waits, in seconds.
    pub fn wait_after(self, failures: u32) -> i64 {
        let free = self.free_failures();
        if failures <= free {
            return 0;
        }
        let exp = (failures - free).min(20);
        (1i64 << exp).min(Self::MAX_WAIT_SECS)
    }

    /// Seconds left before an attempt is allowed, or `None` when it is allowed now.
    pub fn retry_after(blocked_until: Timestamp, now: Timestamp) -> Option<i64> {
        let left = blocked_until.unix() - now.unix();
        (left > 0).then_some(left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("  Admin@Acme.TEST ").map(|e| e.0),
            Ok("admin@acme.test".into())
        );
        assert!(Email::parse("иван@пример.рф").is_ok());
        for bad in [
            "plain",
            "@acme.test",
            "a@",
            "a@acme",
            "a@@acme.test",
            "a b@acme.test",
            "a@-acme.test",
            "a@acme..test",
            ".a@acme.test",
            "a..b@acme.test",
            "a\n@acme.test",
            "a@acme.test<script>",
        ] {
            assert_eq!(Email::parse(bad), Err(Reject::Malformed), "{bad:?}");
        }
        assert_eq!(Email::parse(" "), Err(Reject::Required));
        let long = format!("{}@acme.test", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(Reject::TooLong { max: 254 }));
    }

    #[test]
    fn names_and_passwords() {
        assert_eq!(PersonName::parse(" Ann  ").map(|n| n.0), Ok("Ann".into()));
        assert_eq!(PersonName::parse(""), Err(Reject::Required));
        assert_eq!(PersonName::parse("a\u{7}b"), Err(Reject::Malformed));
        assert_eq!(
            PersonName::parse(&"я".repeat(101)),
            Err(Reject::TooLong { max: 100 })
        );
        assert!(PersonName::parse(&"я".repeat(100)).is_ok());

        assert_eq!(Password::parse(""), Err(Reject::Required));
        assert_eq!(
            Password::parse("123456789"),
            Err(Reject::TooShort { min: 10 })
        );
        assert!(Password::parse("пароль-пароль").is_ok());
        assert!(Password::parse(" spaces  count ").is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(129)),
            Err(Reject::TooLong { max: 128 })
        );
        assert_eq!(
            format!("{:?}", Password::parse("secret-secret")),
            "Ok(Password(…))"
        );
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let t = Timestamp::from_unix;
        let day = 24 * 3600;
        assert!(SessionLife::is_live(t(0), t(0), t(day)));
        assert!(!SessionLife::is_live(t(0), t(0), t(7 * day)));
        assert!(SessionLife::is_live(t(0), t(25 * day), t(29 * day)));
        assert!(!SessionLife::is_live(t(0), t(29 * day), t(30 * day)));
        assert!(!SessionLife::needs_touch(t(100), t(159)));
        assert!(SessionLife::needs_touch(t(100), t(160)));
    }

    #[test]
    fn throttle_grows_and_caps() {
        let waits: Vec<i64> = (0..=16).map(|n| Throttle::Account.wait_after(n)).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
        );
        assert_eq!(Throttle::Account.wait_after(u32::MAX), 900);
        assert_eq!(Throttle::Address.wait_after(20), 0);
        assert_eq!(Throttle::Address.wait_after(21), 2);
        let t = Timestamp::from_unix;
        assert_eq!(Throttle::live_failures(7, t(100), t(100 + 899)), 7);
        assert_eq!(Throttle::live_failures(7, t(100), t(100 + 900)), 0);
        assert_eq!(Throttle::retry_after(t(110), t(100)), Some(10));
        assert_eq!(Throttle::retry_after(t(100), t(100)), None);
    }
}
