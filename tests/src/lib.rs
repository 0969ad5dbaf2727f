//! Helpers for the API end-to-end tests: a client for the server that `cargo xtask test`
//! started (its address is in `POINTDESK_URL`). Without it the tests fail loudly; they never
//! pass by skipping.

use std::time::Duration;

pub use pointdesk_api as api;

pub fn base_url() -> String {
    std::env::var("POINTDESK_URL")
        .expect("POINTDESK_URL is not set: run the end-to-end tests through `cargo xtask test`")
}

pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(15))
        .build()
}

/// One answer, whatever its status: ureq's error for 4xx/5xx is turned back into a response.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub allow: Option<String>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts an RFC 9457 problem with this status and `type`, and returns it.
    pub fn problem(&self, status: u16, kind: &str) -> api::Problem {
        assert_eq!(self.status, status, "status of {}", self.body);
        assert_eq!(
            self.content_type, "application/problem+json",
            "content type of {}",
            self.body
        );
        let p: api::Problem = serde_json::from_str(&self.body).expect("a problem document");
        assert_eq!(p.status, status);
        assert_eq!(p.kind, kind);
        assert!(!p.title.is_empty());
        assert!(
            p.detail.as_deref().is_some_and(|d| !d.is_empty()),
            "a problem says what went wrong"
        );
        p
    }
}

pub fn send(method: &str, path: &str, content_type: Option<&str>, body: Option<&[u8]>) -> Answer {
    let mut req = agent().request(method, &format!("{}{path}", base_url()));
    if let Some(ct) = content_type {
        req = req.set("content-type", ct);
    }
    let result = match body {
        Some(b) => req.send_bytes(b),
        None => req.call(),
    };
    let resp = match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    Answer {
        status: resp.status(),
        content_type: resp.content_type().to_owned(),
        allow: resp.header("allow").map(str::to_owned),
        body: resp.into_string().unwrap_or_default(),
    }
}

pub fn get(path: &str) -> Answer {
    send("GET", path, None, None)
}

pub fn post_json(path: &str, body: &str) -> Answer {
    send(
        "POST",
        path,
        Some("application/json"),
        Some(body.as_bytes()),
    )
}
