//! Stripe's webhook signature scheme, which the sandbox gateway speaks too: the header
//! `t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">[,v1=...][,v0=...]`. A notification
//! is genuine when any `v1` matches (compared in constant time) and `t` is within the tolerance
//! of now, in either direction.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Seconds a signed notification stays acceptable, before or after now.
pub const TOLERANCE_SECONDS: i64 = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureError {
    Missing,
    Malformed,
    /// No `v1` signature (only older schemes such as `v0`).
    NoV1,
    TooOld,
    TooNew,
    Mismatch,
}

impl SignatureError {
    pub fn reason(self) -> &'static str {
        match self {
            SignatureError::Missing => "the signature header is missing",
            SignatureError::Malformed => "the signature header is malformed",
            SignatureError::NoV1 => "the signature header has no v1 signature",
            SignatureError::TooOld => "the signature's timestamp is too old",
            SignatureError::TooNew => "the signature's timestamp is in the future",
            SignatureError::Mismatch => "no signature matches the body",
        }
    }
}

fn mac(secret: &[u8], t: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    #[allow(clippy::expect_used)]
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The header a sender puts on `body` at `t`.
pub fn sign(secret: &[u8], t: i64, body: &[u8]) -> String {
    let sig = hex::encode(mac(secret, t, body).finalize().into_bytes());
    format!("t={t},v1={sig}")
}

/// Checks `header` against the raw `body` at `now`.
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let header = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(SignatureError::Missing)?;
    let mut t = None;
    let mut v1 = Vec::new();
    for part in header.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or(SignatureError::Malformed)?;
        match k {
            "t" => t = Some(v.parse::<i64>().map_err(|_| SignatureError::Malformed)?),
            "v1" => v1.push(v),
            _ => {} // v0 and future schemes are not trusted
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if v1.is_empty() {
        return Err(SignatureError::NoV1);
    }
    if now - t > TOLERANCE_SECONDS {
        return Err(SignatureError::TooOld);
    }
    if t - now > TOLERANCE_SECONDS {
        return Err(SignatureError::TooNew);
    }
    let genuine = v1.iter().any(|sig| {
        hex::decode(sig)
            .ok()
            .is_some_and(|bytes| mac(secret, t, body).verify_slice(&bytes).is_ok())
    });
    if genuine {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;
    const NOW: i64 = 1_790_000_000;

    #[test]
    fn a_valid_signature_passes() {
        let h = sign(SECRET, NOW, BODY);
        assert_eq!(verify(Some(&h), BODY, SECRET, NOW), Ok(()));
        // Within the tolerance either way.
        assert_eq!(verify(Some(&h), BODY, SECRET, NOW + 300), Ok(()));
        assert_eq!(verify(Some(&h), BODY, SECRET, NOW - 300), Ok(()));
    }

    #[test]
    fn the_scheme_is_stripes_documented_one() {
        // HMAC-SHA256("whsec_test_secret", "1790000000.{body}"), computed independently with
        // `printf '1790000000.%s' "$body" | openssl dgst -sha256 -hmac whsec_test_secret`.
        let h = sign(SECRET, NOW, BODY);
        assert_eq!(
            h,
            "t=1790000000,v1=081916dffe60d5d7ed5cde3427cc5da76a2e156f4f24d544a5363c4f5f8dac54"
        );
    }

    #[test]
    fn a_wrong_secret_fails() {
        let h = sign(b"whsec_other", NOW, BODY);
        assert_eq!(
            verify(Some(&h), BODY, SECRET, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn one_changed_body_byte_fails() {
        let h = sign(SECRET, NOW, BODY);
        let mut body = BODY.to_vec();
        body[10] ^= 1;
        assert_eq!(
            verify(Some(&h), &body, SECRET, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_timestamp_older_than_300_s_fails() {
        let h = sign(SECRET, NOW - 301, BODY);
        assert_eq!(
            verify(Some(&h), BODY, SECRET, NOW),
            Err(SignatureError::TooOld)
        );
    }

    #[test]
    fn a_timestamp_too_far_in_the_future_fails() {
        let h = sign(SECRET, NOW + 301, BODY);
        assert_eq!(
            verify(Some(&h), BODY, SECRET, NOW),
            Err(SignatureError::TooNew)
        );
    }

    #[test]
    fn two_v1_values_with_one_valid_pass() {
        let good = sign(SECRET, NOW, BODY);
        let sig = good.split("v1=").nth(1).unwrap();
        let h = format!("t={NOW},v1={},v1={sig}", "ab".repeat(32));
        assert_eq!(verify(Some(&h), BODY, SECRET, NOW), Ok(()));
        let h = format!("t={NOW},v1={sig},v1=zz");
        assert_eq!(verify(Some(&h), BODY, SECRET, NOW), Ok(()));
    }

    #[test]
    fn a_missing_header_fails() {
        assert_eq!(
            verify(None, BODY, SECRET, NOW),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(Some("  "), BODY, SECRET, NOW),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn v0_only_fails() {
        let good = sign(SECRET, NOW, BODY);
        let sig = good.split("v1=").nth(1).unwrap();
        let h = format!("t={NOW},v0={sig}");
        assert_eq!(
            verify(Some(&h), BODY, SECRET, NOW),
            Err(SignatureError::NoV1)
        );
    }

    #[test]
    fn malformed_headers_fail() {
        for h in ["v1=abc", "t=abc,v1=00", "garbage", "t=1,v1"] {
            assert_eq!(
                verify(Some(h), BODY, SECRET, NOW),
                Err(SignatureError::Malformed),
                "{h}"
            );
        }
    }
}
