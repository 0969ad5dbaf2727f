//! What every request and response passes through: the same-origin proof for state-changing
//! requests and the security headers on every answer. Static assets get the same headers from
//! `app/_headers` (copied into app/dist by trunk); `tests/api.rs` checks both.

use worker::{Request, Response};

use crate::error::{AppError, AppResult};

/// The Content-Security-Policy: the wasm app and nothing else.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub const HEADERS: [(&str, &str); 6] = [
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
    ("cross-origin-opener-policy", "same-origin"),
];

pub fn add_headers(resp: &mut Response) -> worker::Result<()> {
    let headers = resp.headers_mut();
    for (name, value) in HEADERS {
        // A page may carry the same policy extended for itself (the sandbox checkout's style).
        if name == "content-security-policy" && headers.has(name)? {
            continue;
        }
        headers.set(name, value)?;
    }
    Ok(())
}

/// A state-changing request must come from this origin. Browsers send `Sec-Fetch-Site` (and
/// `Origin` on every POST/PUT/PATCH/DELETE); a request with neither is not from a browser,
/// where a cross-site forgery would come from, and is let through. Together with JSON-only
/// bodies (which a cross-site form cannot send without a preflight) this closes CSRF.
pub fn same_origin(req: &Request) -> AppResult<()> {
    let headers = req.headers();
    let site = headers.get("sec-fetch-site")?;
    let origin = headers.get("origin")?;
    let own = own_origin(req)?;
    if verdict(site.as_deref(), origin.as_deref(), &own) {
        Ok(())
    } else {
        Err(AppError::CrossSite)
    }
}

fn own_origin(req: &Request) -> AppResult<String> {
    let url = req.url()?;
    Ok(url.origin().ascii_serialization())
}

fn verdict(site: Option<&str>, origin: Option<&str>, own: &str) -> bool {
    let site_ok = match site {
        None | Some("same-origin" | "none") => true,
        Some(_) => false,
    };
    let origin_ok = match origin {
        None => true,
        Some(o) => o.eq_ignore_ascii_case(own),
    };
    site_ok && origin_ok
}

#[cfg(test)]
mod tests {
    use super::verdict;

    #[test]
    fn only_this_origin_may_change_state() {
        let own = "https://desk.example";
        assert!(verdict(Some("same-origin"), Some(own), own));
        assert!(verdict(None, None, own));
        assert!(verdict(Some("none"), None, own));
        assert!(!verdict(
            Some("cross-site"),
            Some("https://evil.example"),
            own
        ));
        assert!(!verdict(
            Some("same-site"),
            Some("https://a.desk.example"),
            own
        ));
        assert!(!verdict(None, Some("https://evil.example"), own));
        assert!(!verdict(None, Some("null"), own));
        assert!(!verdict(Some("cross-site"), None, own));
    }
}
