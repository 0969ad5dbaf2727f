//! Russian company requisites (реквизиты): the identifiers a bank transfer, an invoice and an
//! act carry, each checked the way the tax service and the Bank of Russia define it, and the VAT
//! rule an invoice states.

/// Why a requisite was refused; the wire code is stable (`digits`, `check_digit`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Required,
    /// Not the right number of digits (or not digits at all).
    Digits,
    /// The digits do not add up: a typo.
    CheckDigit,
    /// The account does not belong to the bank with this БИК (the key check fails).
    BankKey,
    TooLong,
}

impl Refusal {
    pub const fn code(self) -> &'static str {
        match self {
            Refusal::Required => "required",
            Refusal::Digits => "digits",
            Refusal::CheckDigit => "check_digit",
            Refusal::BankKey => "bank_key",
            Refusal::TooLong => "too_long",
        }
    }
}

fn digits(raw: &str, lens: &[usize]) -> Result<Vec<u32>, Refusal> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Refusal::Required);
    }
    let d: Option<Vec<u32>> = s.chars().map(|c| c.to_digit(10)).collect();
    match d {
        Some(d) if lens.contains(&d.len()) => Ok(d),
        _ => Err(Refusal::Digits),
    }
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum()
}

/// ИНН: 10 digits (an organisation) or 12 (a person or sole trader), with the tax service's
/// check digits.
pub fn inn(raw: &str) -> Result<String, Refusal> {
    let d = digits(raw, &[10, 12])?;
    const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let check = |n: usize, w: &[u32]| weighted(&d[..n], w) % 11 % 10 == d[n];
    let ok = if d.len() == 10 {
        check(9, &W10)
    } else {
        check(10, &W11) && check(11, &W12)
    };
    if ok {
        Ok(raw.trim().to_owned())
    } else {
        Err(Refusal::CheckDigit)
    }
}

/// КПП: 9 characters, `NNNNPPNNN`, where `PP` are digits or capital Latin letters.
pub fn kpp(raw: &str) -> Result<String, Refusal> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Refusal::Required);
    }
    let b = s.as_bytes();
    let ok = b.len() == 9
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 5 => c.is_ascii_digit() || c.is_ascii_uppercase(),
            _ => c.is_ascii_digit(),
        });
    if ok {
        Ok(s.to_owned())
    } else {
        Err(Refusal::Digits)
    }
}

/// ОГРН (13 digits) or ОГРНИП (15): the last digit is the rest of the number before it divided
/// by 11 (13 for ОГРНИП), taken modulo 10.
pub fn ogrn(raw: &str) -> Result<String, Refusal> {
    let d = digits(raw, &[13, 15])?;
    let n = d.len() - 1;
    let body = d[..n].iter().fold(0u64, |acc, x| acc * 10 + u64::from(*x));
    let m = if n == 12 { 11 } else { 13 };
    if body % m % 10 == u64::from(d[n]) {
        Ok(raw.trim().to_owned())
    } else {
        Err(Refusal::CheckDigit)
    }
}

/// БИК: 9 digits.
pub fn bik(raw: &str) -> Result<String, Refusal> {
    digits(raw, &[9]).map(|_| raw.trim().to_owned())
}

/// The Bank of Russia's key check: 23 digits weighted 7, 1, 3, … sum to a multiple of 10.
fn key_ok(prefix: &[u32], account: &[u32]) -> bool {
    let all: Vec<u32> = prefix.iter().chain(account).copied().collect();
    let w: Vec<u32> = (0..all.len()).map(|i| [7, 1, 3][i % 3]).collect();
    weighted(&all, &w).is_multiple_of(10)
}

/// A settlement account (р/с, 20 digits) at the bank with this БИК (key: the БИК's last three
/// digits before the account).
pub fn account(raw: &str, bik: &str) -> Result<String, Refusal> {
    let a = digits(raw, &[20])?;
    let b = digits(bik, &[9]).map_err(|_| Refusal::BankKey)?;
    if key_ok(&b[6..], &a) {
        Ok(raw.trim().to_owned())
    } else {
        Err(Refusal::BankKey)
    }
}

/// A correspondent account (к/с, 20 digits) of the bank with this БИК (key: `0` and the БИК's
/// fifth and sixth digits before the account).
pub fn corr_account(raw: &str, bik: &str) -> Result<String, Refusal> {
    let a = digits(raw, &[20])?;
    let b = digits(bik, &[9]).map_err(|_| Refusal::BankKey)?;
    if key_ok(&[0, b[4], b[5]], &a) {
        Ok(raw.trim().to_owned())
    } else {
        Err(Refusal::BankKey)
    }
}

/// Free text of a requisite (a name, an address): trimmed, 1..=max characters.
pub fn text(raw: &str, max: usize) -> Result<String, Refusal> {
    let s = raw.trim();
    if s.is_empty() {
        Err(Refusal::Required)
    } else if s.chars().count() > max {
        Err(Refusal::TooLong)
    } else {
        Ok(s.to_owned())
    }
}

/// The VAT an invoice states: none (the simplified tax system: «Без НДС») or a rate in percent,
/// included in the price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vat {
    None,
    Rate(u8),
}

impl Vat {
    /// The rules on the wire: `none`, `5`, `7`, `20`, `22` (22 % is the general rate from 2026).
    pub const CODES: [&'static str; 5] = ["none", "5", "7", "20", "22"];

    pub fn parse(code: &str) -> Option<Vat> {
        match code {
            "none" => Some(Vat::None),
            "5" => Some(Vat::Rate(5)),
            "7" => Some(Vat::Rate(7)),
            "20" => Some(Vat::Rate(20)),
            "22" => Some(Vat::Rate(22)),
            _ => None,
        }
    }

    pub fn code(self) -> String {
        match self {
            Vat::None => "none".to_owned(),
            Vat::Rate(r) => r.to_string(),
        }
    }

    /// The VAT inside a price that includes it, in kopecks, rounded half up:
    /// `price × rate / (100 + rate)`.
    pub fn included_in(self, price_minor: i64) -> i64 {
        match self {
            Vat::None => 0,
            Vat::Rate(r) => {
                let (p, r) = (i128::from(price_minor), i128::from(r));
                let (num, den) = (p * r, 100 + r);
                ((2 * num + den) / (2 * den)) as i64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_identifiers_pass_and_a_changed_digit_fails() {
        // ПАО Сбербанк.
        assert!(inn("7707083893").is_ok());
        assert_eq!(inn("7707083894"), Err(Refusal::CheckDigit));
        assert!(kpp("773601001").is_ok());
        assert!(kpp("7736AB001").is_ok());
        assert_eq!(kpp("77360100"), Err(Refusal::Digits));
        assert!(ogrn("1027700132195").is_ok());
        assert_eq!(ogrn("1027700132194"), Err(Refusal::CheckDigit));
        assert!(bik("044525225").is_ok());
        assert!(corr_account("30101810400000000225", "044525225").is_ok());
        assert_eq!(
            corr_account("30101810400000000226", "044525225"),
            Err(Refusal::BankKey)
        );
        // АО «ТБанк».
        assert!(corr_account("30101810145250000974", "044525974").is_ok());
        // A person's ИНН (12 digits, two check digits).
        assert!(inn("500100732259").is_ok());
        assert_eq!(inn("500100732258"), Err(Refusal::CheckDigit));
        assert_eq!(inn("77070838"), Err(Refusal::Digits));
        assert_eq!(inn("  "), Err(Refusal::Required));
        assert_eq!(inn("770708389x"), Err(Refusal::Digits));
        // ОГРНИП (15 digits, modulo 13).
        assert!(ogrn("304500116000157").is_ok());
    }

    #[test]
    fn a_settlement_account_is_keyed_to_its_bank() {
        let good = "40702810938000000004";
        let key_digit = (0..10)
            .find(|k| {
                let a = format!("{}{}{}", &good[..8], k, &good[9..]);
                account(&a, "044525225").is_ok()
            })
            .expect("one key digit fits");
        let a = format!("{}{}{}", &good[..8], key_digit, &good[9..]);
        assert!(account(&a, "044525225").is_ok());
        let wrong = format!("{}{}{}", &good[..8], (key_digit + 1) % 10, &good[9..]);
        assert_eq!(account(&wrong, "044525225"), Err(Refusal::BankKey));
        // The same account at another bank fails.
        assert_eq!(account(&a, "044525974"), Err(Refusal::BankKey));
        assert_eq!(account("4070281", "044525225"), Err(Refusal::Digits));
    }

    #[test]
    fn vat_is_included_in_the_price() {
        assert_eq!(Vat::None.included_in(1_200_000), 0);
        assert_eq!(Vat::Rate(20).included_in(1_200_000), 200_000);
        assert_eq!(Vat::Rate(22).included_in(1_220_000), 220_000);
        // 100.00 ₽ at 5 %: 4.7619… → 4.76.
        assert_eq!(Vat::Rate(5).included_in(10_000), 476);
        assert_eq!(Vat::parse("7"), Some(Vat::Rate(7)));
        assert_eq!(Vat::parse("18"), None);
        for c in Vat::CODES {
            assert_eq!(Vat::parse(c).map(Vat::code).as_deref(), Some(c));
        }
    }
}
