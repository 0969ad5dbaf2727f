//! Points: integer hundredths of a point (1 point = 1 person-hour). Never a float.

use std::fmt;
use std::str::FromStr;

/// The largest magnitude a [`Points`] value may hold, in hundredths: 2^53, so every amount
/// survives a trip through a JavaScript number (D1's bindings, JSON in the browser).
pub const MAX_HUNDREDTHS: i64 = 1 << 53;

/// An amount of points, stored as signed integer hundredths and bounded to ±2^53.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(i64);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PointsError {
    #[error("points must stay within ±2^53 hundredths")]
    OutOfRange,
    #[error("“{0}” is not an amount of points (expected e.g. 12 or 12.25, at most two decimals)")]
    Malformed(String),
}

impl Points {
    pub const ZERO: Points = Points(0);

    /// From hundredths, checking the ±2^53 bound.
    pub const fn from_hundredths(h: i64) -> Result<Points, PointsError> {
        if h > MAX_HUNDREDTHS || h < -MAX_HUNDREDTHS {
            Err(PointsError::OutOfRange)
        } else {
            Ok(Points(h))
        }
    }

    /// Whole points, checking the bound.
    pub fn whole(p: i64) -> Result<Points, PointsError> {
        p.checked_mul(100)
            .ok_or(PointsError::OutOfRange)
            .and_then(Points::from_hundredths)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Points) -> Result<Points, PointsError> {
        self.0
            .checked_add(other.0)
            .ok_or(PointsError::OutOfRange)
            .and_then(Points::from_hundredths)
    }

    pub fn checked_sub(self, other: Points) -> Result<Points, PointsError> {
        self.0
            .checked_sub(other.0)
            .ok_or(PointsError::OutOfRange)
            .and_then(Points::from_hundredths)
    }

    /// Negation cannot leave the symmetric ±2^53 range.
    pub const fn neg(self) -> Points {
        Points(-self.0)
    }

    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn min(self, other: Points) -> Points {
        Points(self.0.min(other.0))
    }

    pub fn max(self, other: Points) -> Points {
        Points(self.0.max(other.0))
    }

    /// Sums amounts, failing if any partial sum leaves the bound.
    pub fn sum<I: IntoIterator<Item = Points>>(items: I) -> Result<Points, PointsError> {
        items
            .into_iter()
            .try_fold(Points::ZERO, |acc, p| acc.checked_add(p))
    }
}

/// The canonical, locale-free form: `-12.25`, `3`, `0.5` → `"-12.25"`, `"3.00"`, `"0.50"`.
/// Always two decimals, so the wire form is stable; the UI formats per locale.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// Parses `12`, `12.5`, `12.25`, `-0.75`, `+3`. Rejects more than two decimals, exponents,
/// separators, empty parts and anything else a float parser would accept.
impl FromStr for Points {
    type Err = PointsError;

    fn from_str(s: &str) -> Result<Points, PointsError> {
        let malformed = || PointsError::Malformed(s.to_owned());
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || frac.len() > 2 {
            return Err(malformed());
        }
        if body.contains('.') && frac.is_empty() {
            return Err(malformed());
        }
        // Leading zeros are fine ("007.10"); 18 significant digits of whole points already
        // exceed 2^53 hundredths, so refuse those before the parse could overflow.
        let int = match int.trim_start_matches('0') {
            "" => "0",
            significant => significant,
        };
        if int.len() > 18 {
            return Err(PointsError::OutOfRange);
        }
        let whole: i64 = int.parse().map_err(|_| malformed())?;
        let cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| malformed())? * 10,
            _ => frac.parse().map_err(|_| malformed())?,
        };
        let h = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .ok_or(PointsError::OutOfRange)?;
        Points::from_hundredths(if negative { -h } else { h })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_forms_people_type() {
        let cases = [
            ("12", 1200),
            ("12.5", 1250),
            ("12.25", 1225),
            ("0.01", 1),
            ("-0.75", -75),
            ("+3", 300),
            ("007.10", 710),
            ("0000000000000000000001.50", 150),
            ("-000", 0),
        ];
        for (text, h) in cases {
            assert_eq!(text.parse::<Points>(), Ok(Points(h)), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for text in [
            "", "-", ".", "1.", ".5", "1.234", "1e3", "1,5", " 1", "1 ", "--1", "NaN", "inf",
            "0x10", "1.2.3",
        ] {
            assert!(
                matches!(text.parse::<Points>(), Err(PointsError::Malformed(_))),
                "{text:?} should be malformed"
            );
        }
    }

    #[test]
    fn enforces_the_javascript_safe_bound() {
        assert!(Points::from_hundredths(MAX_HUNDREDTHS).is_ok());
        assert!(Points::from_hundredths(-MAX_HUNDREDTHS).is_ok());
        assert_eq!(
            Points::from_hundredths(MAX_HUNDREDTHS + 1),
            Err(PointsError::OutOfRange)
        );
        assert_eq!(
            "90071992547409.93".parse::<Points>(),
            Err(PointsError::OutOfRange)
        );
        assert_eq!(
            "9999999999999999999".parse::<Points>(),
            Err(PointsError::OutOfRange)
        );
        let max = Points::from_hundredths(MAX_HUNDREDTHS).unwrap();
        assert_eq!(
            max.checked_add(Points::from_hundredths(1).unwrap()),
            Err(PointsError::OutOfRange)
        );
        assert_eq!(max.neg().checked_sub(max), Err(PointsError::OutOfRange));
    }

    #[test]
    fn prints_the_canonical_form() {
        let cases = [
            (0, "0.00"),
            (5, "0.05"),
            (1225, "12.25"),
            (-75, "-0.75"),
            (-1200, "-12.00"),
        ];
        for (h, text) in cases {
            assert_eq!(Points(h).to_string(), text);
        }
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(h in -MAX_HUNDREDTHS..=MAX_HUNDREDTHS) {
            let p = Points::from_hundredths(h).unwrap();
            prop_assert_eq!(p.to_string().parse::<Points>(), Ok(p));
        }

        #[test]
        fn addition_is_checked_not_wrapping(a in any::<i64>(), b in any::<i64>()) {
            if let (Ok(pa), Ok(pb)) = (Points::from_hundredths(a), Points::from_hundredths(b)) {
                let sum = pa.checked_add(pb);
                let exact = i128::from(a) + i128::from(b);
                if exact.abs() <= i128::from(MAX_HUNDREDTHS) {
                    prop_assert_eq!(sum.map(Points::hundredths), Ok(exact as i64));
                } else {
                    prop_assert_eq!(sum, Err(PointsError::OutOfRange));
                }
            }
        }
    }
}
