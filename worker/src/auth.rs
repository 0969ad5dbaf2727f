//! Passwords, tokens and the session cookie.
//!
//! Passwords: Argon2id at OWASP's setting (19 MiB, t=2, p=1; the `argon2` crate's default),
//! stored as PHC strings. Tokens (sessions and emailed links): 128 random bits from the
//! runtime's CSPRNG, sent once, stored only as their SHA-256.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use pointdesk_api::SESSION_COOKIE;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// 16 bytes from `crypto.getRandomValues`.
pub fn random_bytes() -> AppResult<[u8; 16]> {
    use wasm_bindgen::JsCast;
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())
        .map_err(|_| AppError::Internal("no crypto in this runtime".into()))?;
    let fill: js_sys::Function = js_sys::Reflect::get(&crypto, &"getRandomValues".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| AppError::Internal("no crypto.getRandomValues".into()))?;
    let array = js_sys::Uint8Array::new_with_length(16);
    fill.call1(&crypto, &array)
        .map_err(|_| AppError::Internal("crypto.getRandomValues failed".into()))?;
    let mut out = [0u8; 16];
    array.copy_to(&mut out);
    Ok(out)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new token: what the client gets (32 hex characters) and what is stored.
pub struct Token {
    pub secret: String,
    pub hash: String,
}

impl Token {
    pub fn new() -> AppResult<Token> {
        let secret = hex(&random_bytes()?);
        let hash = token_hash(&secret);
        Ok(Token { secret, hash })
    }
}

/// The stored form of a token.
pub fn token_hash(secret: &str) -> String {
    token_hash_bytes(secret.as_bytes())
}

/// The SHA-256 of any bytes, in hex.
pub fn token_hash_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = random_bytes()?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
}

/// Checks a password against a PHC string. An unknown person is checked against a fixed hash
/// so that the answer takes as long as for a known one.
pub fn verify_password(password: &str, phc: Option<&str>) -> bool {
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), phc.unwrap_or(DUMMY_HASH))
        .is_ok();
    ok && phc.is_some()
}

/// The hash of a password nobody knows, verified when the person does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$bm9ib2R5LWtub3dzLWl0$odsCFq8VpeT/vwWpYFxOSZd24OkqajlaaqXkIYoIZ2g";

/// The session cookie's value in a `Cookie` header.
pub fn session_cookie(header: Option<&str>) -> Option<&str> {
    header?.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == SESSION_COOKIE && !value.is_empty()).then_some(value)
    })
}

/// `Set-Cookie` for a new session: `__Host-` (Secure, Path=/, no Domain), HttpOnly,
/// SameSite=Lax, as long as the session's absolute lifetime.
pub fn set_session_cookie(secret: &str) -> String {
    format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={}",
        pointdesk_domain::account::SessionLife::ABSOLUTE_SECS
    )
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others() {
        let h = format!("a=1; {SESSION_COOKIE}=abc; b=2");
        assert_eq!(session_cookie(Some(&h)), Some("abc"));
        assert_eq!(session_cookie(Some("a=1")), None);
        assert_eq!(session_cookie(Some(&format!("{SESSION_COOKIE}="))), None);
        assert_eq!(
            session_cookie(Some(&format!("x{SESSION_COOKIE}=abc"))),
            None
        );
        assert!(set_session_cookie("s").contains("HttpOnly; Secure; SameSite=Lax"));
    }

    #[test]
    fn token_hashes_are_sha256_hex() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// The demo seed's hash is "pointdesk-demo" at OWASP's parameters; the dummy hash parses.
    #[test]
    fn seed_and_dummy_hashes_verify() {
        let seed = include_str!("../seed/demo.sql");
        let phc = seed
            .split('\'')
            .find(|s| s.starts_with("$argon2id$"))
            .expect("the demo seed has a password hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("pointdesk-demo", Some(phc)));
        assert!(!verify_password("pointdesk-demo!", Some(phc)));
        assert!(!verify_password("anything", None));
    }
}
