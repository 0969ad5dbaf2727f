//! Helpers for the API end-to-end tests: a client for the server that `cargo xtask test`
//! started (its address is in `POINTDESK_URL`). Without it the tests fail loudly; they never
//! pass by skipping.

use std::process::Command;
use std::time::Duration;

pub use pointdesk_api as api;

pub mod contract;

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
    /// The body as it came (a file is not text).
    pub bytes: Vec<u8>,
    /// Every header, names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The session cookie's value from `Set-Cookie`, if one was set (empty when cleared).
    pub fn session_cookie(&self) -> Option<String> {
        let set = self.header("set-cookie")?;
        let first = set.split(';').next()?;
        let (name, value) = first.split_once('=')?;
        (name == api::SESSION_COOKIE).then(|| value.to_owned())
    }
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
    let mut headers = Vec::new();
    if let Some(ct) = content_type {
        headers.push(("content-type", ct));
    }
    request(method, path, &headers, body)
}

/// Any request with any headers.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Answer {
    // Requests share the database; a `d1` fixture waits until none is in flight.
    let _shared = (!ALONE.with(std::cell::Cell::get)).then(|| {
        DATABASE
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    });
    let mut req = agent().request(method, &format!("{}{path}", base_url()));
    for (name, value) in headers {
        req = req.set(name, value);
    }
    let result = match body {
        Some(b) => req.send_bytes(b),
        None => req.call(),
    };
    let resp = match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    let headers = resp
        .headers_names()
        .into_iter()
        .flat_map(|n| {
            resp.all(&n)
                .into_iter()
                .map(|v| (n.to_ascii_lowercase(), v.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    let (status, content_type) = (resp.status(), resp.content_type().to_owned());
    let allow = resp.header("allow").map(str::to_owned);
    let mut bytes = Vec::new();
    // At most 30 MB: more than any answer or file may be.
    let _ = std::io::Read::read_to_end(
        &mut std::io::Read::take(resp.into_reader(), 30 << 20),
        &mut bytes,
    );
    let answer = Answer {
        status,
        content_type,
        allow,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    };
    contract::check(
        method,
        path,
        answer.status,
        &answer.content_type,
        &answer.body,
    );
    answer
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

/// Local D1 is one SQLite file that workerd and a `wrangler d1 execute` open separately, and
/// neither waits for the other's lock: a write from one while the other writes is
/// `SQLITE_BUSY` (a 500 from the server, seen in CI). Requests take this lock shared and a
/// `d1` statement exclusively, so the two never overlap within a test binary (and the binaries
/// run one after another).
static DATABASE: std::sync::RwLock<()> = std::sync::RwLock::new(());

thread_local! {
    /// This thread holds [`DATABASE`] exclusively (inside [`alone`]).
    static ALONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with the server to itself: no other test's request or fixture runs meanwhile. For
/// steps whose meaning is timing (a throttle's 2 s wait must not pass while this test's next
/// request queues behind other tests' Argon2 sign-ins or a wrangler fixture).
pub fn alone<T>(f: impl FnOnce() -> T) -> T {
    let _all = DATABASE
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    ALONE.with(|a| a.set(true));
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ALONE.with(|a| a.set(false));
        }
    }
    let _reset = Reset;
    f()
}

/// Runs SQL straight against the test server's local D1 (through wrangler: the real local D1).
/// For fixtures the API cannot make yet and for reaching behind it (expiring a session).
pub fn d1(sql: &str) -> Result<String, String> {
    let _alone = (!ALONE.with(std::cell::Cell::get)).then(|| {
        DATABASE
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    });
    let state = std::env::var("POINTDESK_STATE")
        .expect("POINTDESK_STATE is not set: run through `cargo xtask test`");
    let wrangler = std::env::var("POINTDESK_WRANGLER")
        .expect("POINTDESK_WRANGLER is not set: run through `cargo xtask test`");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    // Local D1 is one SQLite file that workerd and this wrangler open separately; workerd may
    // still hold its lock a moment after answering (neither waits for the other: SQLITE_BUSY).
    // A busy database ran nothing, so that one failure is tried again, a few times.
    for attempt in 1.. {
        let out = Command::new(&wrangler)
            .args([
                "d1",
                "execute",
                "DB",
                "--local",
                "--persist-to",
                &state,
                "--json",
                "--command",
                sql,
            ])
            // Non-interactive; the offline settings come from `cargo xtask test`'s environment.
            .env("CI", "true")
            .current_dir(root)
            .output()
            .expect("wrangler runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() {
            return Ok(text);
        }
        let busy = text.contains("SQLITE_BUSY") || text.contains("database is locked");
        if !busy || attempt >= 5 {
            return Err(text);
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    unreachable!("the loop returns")
}

/// Every organisation whose stored balance state disagrees with its entries: the balance
/// against Σ entries, Σ block remainders − debt and the last entry's balance after, and the daily
/// roll-up against the entries (the same query as `cargo xtask check-ledger`).
pub const BOOKS_DISAGREE: &str = include_str!("../../xtask/src/check_ledger.sql");

/// Fails unless every organisation's books agree with its entries.
pub fn assert_books_agree() {
    let rows = d1_rows(BOOKS_DISAGREE);
    assert!(
        rows.is_empty(),
        "books disagree with their entries: {rows:?}"
    );
}

/// The rows of a query, as JSON objects.
pub fn d1_rows(sql: &str) -> Vec<serde_json::Value> {
    let out = d1(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let start = out.find('[').unwrap_or(0);
    let v: serde_json::Value = serde_json::from_str(&out[start..])
        .unwrap_or_else(|e| panic!("wrangler's JSON ({e}): {out}"));
    v[0]["results"].as_array().cloned().unwrap_or_default()
}

/// A browser-like caller of the API: keeps the session cookie and sends JSON from the app's
/// own origin.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub cookie: Option<String>,
    /// The instant the local server takes as now (`X-Pointdesk-Clock`), when set.
    pub clock: Option<i64>,
}

impl Caller {
    pub fn anonymous() -> Caller {
        Caller::default()
    }

    pub fn with_cookie(secret: &str) -> Caller {
        Caller {
            cookie: Some(secret.to_owned()),
            clock: None,
        }
    }

    fn headers(&self) -> Vec<(String, String)> {
        let mut h = vec![
            ("sec-fetch-site".to_owned(), "same-origin".to_owned()),
            ("origin".to_owned(), base_url()),
        ];
        if let Some(c) = &self.cookie {
            h.push(("cookie".to_owned(), format!("{}={c}", api::SESSION_COOKIE)));
        }
        if let Some(t) = self.clock {
            h.push(("x-pointdesk-clock".to_owned(), t.to_string()));
        }
        h
    }

    pub fn call(&mut self, method: &str, path: &str, body: Option<&str>) -> Answer {
        let mut headers = self.headers();
        if body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let a = request(method, path, &refs, body.map(str::as_bytes));
        if let Some(c) = a.session_cookie() {
            self.cookie = (!c.is_empty()).then_some(c);
        }
        a
    }

    pub fn get(&mut self, path: &str) -> Answer {
        self.call("GET", path, None)
    }

    /// A JSON POST with an `Idempotency-Key`.
    pub fn post_keyed(&mut self, path: &str, key: &str, body: &str) -> Answer {
        let mut headers = self.headers();
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
        headers.push(("idempotency-key".to_owned(), key.to_owned()));
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        request("POST", path, &refs, Some(body.as_bytes()))
    }

    /// A raw `POST` of `bytes` (a file upload: the body is the file).
    pub fn upload(&mut self, path: &str, bytes: &[u8]) -> Answer {
        let mut headers = self.headers();
        headers.push((
            "content-type".to_owned(),
            "application/octet-stream".to_owned(),
        ));
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        request("POST", path, &refs, Some(bytes))
    }

    /// Signs in (asserting success) and keeps the cookie.
    pub fn sign_in(email: &str, password: &str) -> Caller {
        let mut c = Caller::anonymous();
        let body = serde_json::json!({ "email": email, "password": password }).to_string();
        let a = c.call("POST", "/api/v1/session", Some(&body));
        assert_eq!(a.status, 200, "sign in as {email}: {}", a.body);
        assert!(c.cookie.is_some(), "a session cookie for {email}");
        c
    }
}

/// Presses a button (`pay`, `pay_3ds`, `decline`, `cancel`) on the sandbox gateway's hosted
/// page for `payment`, as the browser's form would.
pub fn sandbox_press(payment: &str, action: &str) -> Answer {
    request(
        "POST",
        &format!("/api/v1/sandbox/payments/{payment}"),
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("sec-fetch-site", "same-origin"),
        ],
        Some(format!("action={action}").as_bytes()),
    )
}

/// Signs in as `{role}@{tag}.e2e`, a fixture person of [`people`].
pub fn sign(role: &str, tag: &str) -> Caller {
    Caller::sign_in(&format!("{role}@{tag}.e2e"), FIXTURE_PASSWORD)
}

/// The answer's JSON, asserting its status (the body in the message when it is not).
pub fn ok(a: Answer, status: u16) -> serde_json::Value {
    assert_eq!(a.status, status, "{}", a.body);
    a.json()
}

/// A JSON `POST` as `c`.
pub fn post(c: &mut Caller, path: &str, body: serde_json::Value) -> Answer {
    c.call("POST", path, Some(&body.to_string()))
}

/// A JSON `PUT` as `c`.
pub fn put(c: &mut Caller, path: &str, body: serde_json::Value) -> Answer {
    c.call("PUT", path, Some(&body.to_string()))
}

/// The id of [`desk`]'s catalogue item `{kind} {tag}` (`Standard` or `Quoted`).
pub fn item(tag: &str, kind: &str) -> i64 {
    d1_rows(&format!(
        "SELECT id FROM catalogue_items WHERE name = '{kind} {tag}'"
    ))[0]["id"]
        .as_i64()
        .expect("a catalogue item")
}

/// An organisation's stored balance, in hundredths.
pub fn balance(org: i64) -> i64 {
    d1_rows(&format!(
        "SELECT balance FROM organisations WHERE id = {org}"
    ))[0]["balance"]
        .as_i64()
        .unwrap_or_default()
}

/// The Argon2id hash of [`FIXTURE_PASSWORD`], the same one the demo seed uses.
pub fn fixture_hash() -> String {
    let seed = include_str!("../../worker/seed/demo.sql");
    seed.split('\'')
        .find(|s| s.starts_with("$argon2id$"))
        .expect("the demo seed holds a password hash")
        .to_owned()
}

pub const FIXTURE_PASSWORD: &str = "pointdesk-demo";

/// A provider with one client organisation and one person per role, for one test's own use:
/// emails are `{role}@{tag}.e2e`. Returns the organisation's id.
pub fn people(id: i64, tag: &str) -> i64 {
    let hash = fixture_hash();
    let org = id;
    let sql = format!(
        "INSERT INTO providers (id, name) VALUES ({id}, 'E2E provider {tag}');
         INSERT INTO organisations (id, provider_id, name) VALUES ({org}, {id}, 'E2E org {tag}');
         INSERT INTO users (provider_id, org_id, email, name, role, locale, password_hash) VALUES
           ({id}, NULL, 'manager@{tag}.e2e', 'Manager {tag}', 'manager', 'en', '{hash}'),
           ({id}, NULL, 'engineer@{tag}.e2e', 'Engineer {tag}', 'engineer', 'en', '{hash}'),
           ({id}, {org}, 'admin@{tag}.e2e', 'Admin {tag}', 'client_admin', 'ru', '{hash}'),
           ({id}, {org}, 'user@{tag}.e2e', 'User {tag}', 'client_user', 'en', '{hash}');"
    );
    d1(&sql).unwrap_or_else(|e| panic!("fixture {tag}: {e}"));
    org
}

/// [`people`] with a plan (15-minute steps, no overdraft), `points` hundredths granted for the
/// current period (a block, its entry and the account's state, as a grant writes them) and a
/// catalogue: a standard item `Standard {tag}` and a quoted one `Quoted {tag}`. Returns the
/// organisation's id.
pub fn desk(id: i64, tag: &str, points: i64) -> i64 {
    let org = people(id, tag);
    let sql = format!(
        "INSERT INTO plans (id, provider_id, name, base, per_seat, increment_minutes, rollover, overdraft) \
           VALUES ({id}, {id}, 'Plan {tag}', 1000, 100, 15, 'none', 'never');
         INSERT INTO catalogue_items (provider_id, name, kind, estimate, created_at) VALUES
           ({id}, 'Standard {tag}', 'standard', NULL, unixepoch()),
           ({id}, 'Quoted {tag}', 'quoted', 300, unixepoch());
         UPDATE organisations SET plan_id = {id}, balance = {points}, version = 1,
           open_period = strftime('%Y-%m', 'now'), granted = strftime('%Y-%m', 'now'),
           next_block = 2 WHERE id = {org};
         INSERT INTO credit_blocks (org_id, block_no, source, amount, remaining, reserved, expires, expired, created_key, created_at)
           VALUES ({org}, 1, 'grant:' || strftime('%Y-%m', 'now'), {points}, {points}, 0, strftime('%Y-%m', 'now'), 0, 'grant:{org}:e2e', unixepoch());
         INSERT INTO ledger_entries (org_id, kind, amount, reason, reference, idempotency_key, at, balance_after, debt_change)
           VALUES ({org}, 'grant', {points}, 'Allotment', 'period:' || strftime('%Y-%m', 'now'), 'grant:{org}:e2e', unixepoch(), {points}, 0);
         INSERT INTO entry_moves (entry_id, org_id, block_no, points)
           VALUES ((SELECT id FROM ledger_entries WHERE idempotency_key = 'grant:{org}:e2e'), {org}, 1, {points});
         INSERT INTO applied_events (idempotency_key, org_id, at, fingerprint) VALUES ('grant:{org}:e2e', {org}, unixepoch(), 'grant');"
    );
    d1(&sql).unwrap_or_else(|e| panic!("desk {tag}: {e}"));
    org
}
