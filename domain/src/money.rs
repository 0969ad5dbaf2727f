//! Money for top-ups: integer minor units with an ISO 4217 currency.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Currency {
    Rub,
    Eur,
    Usd,
}

impl Currency {
    pub const ALL: [Currency; 3] = [Currency::Rub, Currency::Eur, Currency::Usd];

    pub const fn code(self) -> &'static str {
        match self {
            Currency::Rub => "RUB",
            Currency::Eur => "EUR",
            Currency::Usd => "USD",
        }
    }

    /// Digits after the decimal separator (ISO 4217 minor unit exponent).
    pub const fn exponent(self) -> u32 {
        2
    }

    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| MoneyError::UnknownCurrency(code.to_owned()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown or unsupported currency “{0}” (supported: RUB, EUR, USD)")]
    UnknownCurrency(String),
    #[error("a price must be positive and below 2^53 minor units")]
    OutOfRange,
}

/// An amount of money in minor units (kopecks, cents).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// A price: strictly positive, within ±2^53.
    pub fn price(minor: i64, currency: Currency) -> Result<Money, MoneyError> {
        if minor <= 0 || minor > crate::points::MAX_HUNDREDTHS {
            return Err(MoneyError::OutOfRange);
        }
        Ok(Money { minor, currency })
    }
    pub const fn minor(self) -> i64 {
        self.minor
    }
    pub const fn currency(self) -> Currency {
        self.currency
    }
}

/// Canonical, locale-free: `1500.00 RUB`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10_i64.pow(self.currency.exponent());
        write!(
            f,
            "{}.{:0width$} {}",
            self.minor / scale,
            self.minor % scale,
            self.currency.code(),
            width = self.currency.exponent() as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_positive_minor_units() {
        let m = Money::price(150_000, Currency::Rub).unwrap();
        assert_eq!(m.to_string(), "1500.00 RUB");
        assert_eq!(Money::price(0, Currency::Eur), Err(MoneyError::OutOfRange));
        assert_eq!(Money::price(-5, Currency::Eur), Err(MoneyError::OutOfRange));
        assert_eq!(Currency::parse("EUR"), Ok(Currency::Eur));
        assert!(Currency::parse("eur").is_err());
    }
}
