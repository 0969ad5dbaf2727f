//! Sessions over HTTP against the real worker and local D1: sign-in, the cookie, sign-out,
//! deactivation and password changes ending sessions at once, refused cookies, same-origin
//! proof, throttling, emailed links that work once, security headers on every answer.
//! Each test makes its own provider and people (`people(id, tag)`), so they run side by side.

use pointdesk_e2e::{api, d1, d1_rows, get, people, request, Caller, FIXTURE_PASSWORD};

const SESSION: &str = "/api/v1/session";

fn sign_in_body(email: &str, password: &str) -> String {
    serde_json::json!({ "email": email, "password": password }).to_string()
}

#[test]
fn sign_in_sets_a_host_only_http_only_cookie_and_me_answers() {
    people(201, "signin");
    let mut c = Caller::anonymous();
    let a = c.call(
        "POST",
        SESSION,
        Some(&sign_in_body("Admin@SignIn.e2e ", FIXTURE_PASSWORD)),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let set = a.header("set-cookie").expect("a cookie").to_owned();
    assert!(set.starts_with("__Host-pointdesk_session="), "{set}");
    for part in ["Path=/", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age="] {
        assert!(set.contains(part), "{part} in {set}");
    }
    assert!(!set.to_ascii_lowercase().contains("domain="), "{set}");
    let secret = c.cookie.clone().expect("kept");
    assert_eq!(secret.len(), 32, "128 bits as hex");
    // Only the hash is stored.
    let stored = d1_rows("SELECT token_hash FROM sessions");
    assert!(stored.iter().all(|r| r["token_hash"] != secret.as_str()));

    let me = c.get("/api/v1/me");
    assert_eq!(me.status, 200, "{}", me.body);
    let me: api::accounts::MeDto = serde_json::from_str(&me.body).expect("a MeDto");
    assert_eq!(
        (me.email.as_str(), me.role.as_str(), me.locale.as_str()),
        ("admin@signin.e2e", "client_admin", "ru")
    );
    assert_eq!(
        me.organization.map(|o| o.name),
        Some("E2E org signin".into())
    );

    // A fresh token at every sign-in, and the session the request came with ends.
    let old = secret.clone();
    let a = c.call(
        "POST",
        SESSION,
        Some(&sign_in_body("admin@signin.e2e", FIXTURE_PASSWORD)),
    );
    assert_eq!(a.status, 200);
    assert_ne!(c.cookie.as_deref(), Some(old.as_str()));
    Caller::with_cookie(&old)
        .get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");

    Caller::anonymous()
        .get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");
}

#[test]
fn sign_out_ends_the_session_at_once() {
    people(202, "signout");
    let mut c = Caller::sign_in("user@signout.e2e", FIXTURE_PASSWORD);
    let old = c.cookie.clone().expect("a cookie");
    let a = c.call("DELETE", SESSION, None);
    assert_eq!(a.status, 204, "{}", a.body);
    assert!(a
        .header("set-cookie")
        .is_some_and(|s| s.contains("Max-Age=0")));
    Caller::with_cookie(&old)
        .get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");
}

#[test]
fn deactivation_ends_every_session_at_once() {
    people(203, "deact");
    let mut c = Caller::sign_in("engineer@deact.e2e", FIXTURE_PASSWORD);
    assert_eq!(c.get("/api/v1/me").status, 200);
    d1("UPDATE users SET active = 0 WHERE email = 'engineer@deact.e2e'").expect("deactivated");
    c.get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");
    Caller::anonymous()
        .call(
            "POST",
            SESSION,
            Some(&sign_in_body("engineer@deact.e2e", FIXTURE_PASSWORD)),
        )
        .problem(401, "/problems/invalid-credentials");
}

#[test]
fn a_password_change_ends_every_other_session_and_renews_this_one() {
    people(204, "pwchange");
    let email = "manager@pwchange.e2e";
    let mut phone = Caller::sign_in(email, FIXTURE_PASSWORD);
    let mut laptop = Caller::sign_in(email, FIXTURE_PASSWORD);
    let laptop_before = laptop.cookie.clone().expect("a cookie");

    // The current password is checked, and the new one is checked, field by field.
    let a = laptop.call(
        "PUT",
        "/api/v1/me/password",
        Some(r#"{"current_password":"wrong-one-here","new_password":"a brand new phrase"}"#),
    );
    let p = a.problem(422, "/problems/validation");
    assert_eq!(
        p.field("current_password").map(|f| f.code.as_str()),
        Some("wrong")
    );
    let a = laptop.call(
        "PUT",
        "/api/v1/me/password",
        Some(&format!(
            r#"{{"current_password":"{FIXTURE_PASSWORD}","new_password":"short"}}"#
        )),
    );
    let p = a.problem(422, "/problems/validation");
    let f = p.field("new_password").expect("names new_password");
    assert_eq!((f.code.as_str(), f.limit), ("too_short", Some(10)));

    let a = laptop.call(
        "PUT",
        "/api/v1/me/password",
        Some(&format!(
            r#"{{"current_password":"{FIXTURE_PASSWORD}","new_password":"a brand new phrase"}}"#
        )),
    );
    assert_eq!(a.status, 204, "{}", a.body);
    assert_ne!(laptop.cookie.as_deref(), Some(laptop_before.as_str()));
    assert_eq!(laptop.get("/api/v1/me").status, 200, "this client goes on");
    phone
        .get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");
    Caller::with_cookie(&laptop_before)
        .get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");
    Caller::anonymous()
        .call(
            "POST",
            SESSION,
            Some(&sign_in_body(email, FIXTURE_PASSWORD)),
        )
        .problem(401, "/problems/invalid-credentials");
    Caller::sign_in(email, "a brand new phrase");
    let audit = d1_rows("SELECT action FROM audit_log WHERE object = (SELECT 'user:' || id FROM users WHERE email = 'manager@pwchange.e2e')");
    assert_eq!(audit.len(), 1);
}

#[test]
fn tampered_foreign_malformed_and_expired_cookies_are_refused() {
    people(205, "cookies");
    let c = Caller::sign_in("user@cookies.e2e", FIXTURE_PASSWORD);
    let good = c.cookie.clone().expect("a cookie");
    let mut tampered = good.clone().into_bytes();
    tampered[5] = if tampered[5] == b'a' { b'b' } else { b'a' };
    let tampered = String::from_utf8(tampered).expect("hex");
    for bad in [
        tampered.as_str(),
        "0123456789abcdef0123456789abcdef",
        "not-a-token",
        &format!("{good}00"),
        "",
    ] {
        Caller::with_cookie(bad)
            .get("/api/v1/me")
            .problem(401, "/problems/unauthenticated");
    }
    assert_eq!(Caller::with_cookie(&good).get("/api/v1/me").status, 200);
    // Idle for more than a week: over.
    d1("UPDATE sessions SET created_at = created_at - 8 * 86400, last_seen_at = last_seen_at - 8 * 86400 WHERE user_id = (SELECT id FROM users WHERE email = 'user@cookies.e2e')")
        .expect("aged");
    Caller::with_cookie(&good)
        .get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");
    let left = d1_rows("SELECT count(*) AS n FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'user@cookies.e2e')");
    assert_eq!(left[0]["n"], 0, "an expired session is removed when met");
}

#[test]
fn cross_site_writes_are_refused() {
    people(206, "csrf");
    let body = sign_in_body("admin@csrf.e2e", FIXTURE_PASSWORD);
    let json = ("content-type", "application/json");
    for headers in [
        vec![json, ("origin", "https://evil.example")],
        vec![json, ("sec-fetch-site", "cross-site")],
        vec![
            json,
            ("sec-fetch-site", "same-site"),
            ("origin", "https://a.evil.example"),
        ],
        vec![json, ("origin", "null")],
    ] {
        request("POST", SESSION, &headers, Some(body.as_bytes()))
            .problem(403, "/problems/cross-site");
    }
    // What a cross-site form can send is not JSON.
    request(
        "POST",
        SESSION,
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(b"email=admin%40csrf.e2e&password=pointdesk-demo"),
    )
    .problem(415, "/problems/unsupported-media-type");
    // A signed-in person's write from another site is refused before the session is used.
    let c = Caller::sign_in("admin@csrf.e2e", FIXTURE_PASSWORD);
    let cookie = format!(
        "{}={}",
        api::SESSION_COOKIE,
        c.cookie.clone().expect("a cookie")
    );
    request(
        "DELETE",
        SESSION,
        &[("cookie", &cookie), ("origin", "https://evil.example")],
        None,
    )
    .problem(403, "/problems/cross-site");
    assert_eq!(c.clone().get("/api/v1/me").status, 200, "still signed in");
}

#[test]
fn failed_sign_ins_are_throttled_per_account_with_a_growing_wait() {
    people(207, "throttle");
    let wrong = sign_in_body("admin@throttle.e2e", "not the password");
    let mut c = Caller::anonymous();
    // The waits are seconds: nothing else may run on the server meanwhile.
    pointdesk_e2e::alone(|| throttled(&mut c, &wrong));
    let rows =
        d1_rows("SELECT failures FROM signin_failures WHERE key LIKE 'pair:admin@throttle.e2e|%'");
    assert_eq!(rows[0]["failures"], 6);
}

fn throttled(c: &mut Caller, wrong: &str) {
    for i in 1..=5 {
        c.call("POST", SESSION, Some(wrong))
            .problem(401, "/problems/invalid-credentials");
        let _ = i;
    }
    // The fifth failure set a 2 s wait: even the right password waits.
    let a = c.call(
        "POST",
        SESSION,
        Some(&sign_in_body("admin@throttle.e2e", FIXTURE_PASSWORD)),
    );
    let p = a.problem(429, "/problems/too-many-attempts");
    let wait = p.retry_after.expect("says when");
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(a.header("retry-after"), Some(wait.to_string().as_str()));
    std::thread::sleep(std::time::Duration::from_secs(wait + 1));
    // The sixth failure doubles the wait.
    c.call("POST", SESSION, Some(wrong))
        .problem(401, "/problems/invalid-credentials");
    let p = c
        .call("POST", SESSION, Some(wrong))
        .problem(429, "/problems/too-many-attempts");
    assert!(
        (3..=4).contains(&p.retry_after.expect("says when")),
        "{p:?}"
    );
}

#[test]
fn answers_do_not_reveal_who_has_an_account() {
    people(208, "enum");
    let known = Caller::anonymous().call(
        "POST",
        SESSION,
        Some(&sign_in_body("user@enum.e2e", "wrong password")),
    );
    let unknown = Caller::anonymous().call(
        "POST",
        SESSION,
        Some(&sign_in_body("nobody@enum.e2e", "wrong password")),
    );
    let (pk, pu) = (
        known.problem(401, "/problems/invalid-credentials"),
        unknown.problem(401, "/problems/invalid-credentials"),
    );
    assert_eq!((pk.title, pk.detail), (pu.title, pu.detail));

    for email in ["user@enum.e2e", "nobody@enum.e2e"] {
        let a = Caller::anonymous().call(
            "POST",
            "/api/v1/password-reset-requests",
            Some(&format!(r#"{{"email":"{email}"}}"#)),
        );
        assert_eq!((a.status, a.body.as_str()), (202, ""), "{email}");
    }
    let mail = d1_rows("SELECT to_email FROM outbox WHERE to_email LIKE '%@enum.e2e'");
    assert_eq!(mail.len(), 1, "only the known address gets mail");
}

#[test]
fn a_reset_link_works_once_and_ends_every_session() {
    people(209, "reset");
    let email = "engineer@reset.e2e";
    let mut before = Caller::sign_in(email, FIXTURE_PASSWORD);
    let a = Caller::anonymous().call(
        "POST",
        "/api/v1/password-reset-requests",
        Some(&format!(r#"{{"email":"{email}"}}"#)),
    );
    assert_eq!(a.status, 202);
    let mail = d1_rows(&format!(
        "SELECT subject, body, link, locale FROM outbox WHERE to_email = '{email}'"
    ));
    assert_eq!(mail.len(), 1);
    let link = mail[0]["link"].as_str().expect("a link").to_owned();
    assert!(mail[0]["body"].as_str().is_some_and(|b| b.contains(&link)));
    assert_eq!(mail[0]["locale"], "en");
    let token = link.split("#token=").nth(1).expect("token in the fragment");
    assert!(link.contains("/reset-password#token="), "{link}");

    let body = |t: &str, p: &str| format!(r#"{{"token":"{t}","password":"{p}"}}"#);
    let p = Caller::anonymous()
        .call(
            "POST",
            "/api/v1/password-resets",
            Some(&body(token, "short")),
        )
        .problem(422, "/problems/validation");
    assert_eq!(
        p.field("password").map(|f| f.code.as_str()),
        Some("too_short")
    );
    let a = Caller::anonymous().call(
        "POST",
        "/api/v1/password-resets",
        Some(&body(token, "reset to this phrase")),
    );
    assert_eq!(a.status, 204, "{}", a.body);
    before
        .get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");
    Caller::anonymous()
        .call(
            "POST",
            "/api/v1/password-resets",
            Some(&body(token, "and again to this")),
        )
        .problem(410, "/problems/link-invalid");
    Caller::sign_in(email, "reset to this phrase");
    Caller::anonymous()
        .call(
            "POST",
            "/api/v1/password-resets",
            Some(&body(
                "0123456789abcdef0123456789abcdef",
                "reset to this phrase",
            )),
        )
        .problem(410, "/problems/link-invalid");
}

#[test]
fn bad_input_names_the_field() {
    let mut c = Caller::anonymous();
    let p = c
        .call(
            "POST",
            SESSION,
            Some(r#"{"email":"not-an-email","password":""}"#),
        )
        .problem(422, "/problems/validation");
    assert_eq!(p.field("email").map(|f| f.code.as_str()), Some("malformed"));
    assert_eq!(
        p.field("password").map(|f| f.code.as_str()),
        Some("required")
    );
    let p = c
        .call("POST", SESSION, Some(r#"{"email":5,"password":"x"}"#))
        .problem(400, "/problems/malformed-json");
    assert_eq!(
        p.field("email").map(|f| f.code.as_str()),
        Some("wrong_type")
    );
    let p = c
        .call(
            "POST",
            SESSION,
            Some(r#"{"email":"a@b.test","password":"x","role":"manager"}"#),
        )
        .problem(400, "/problems/malformed-json");
    assert_eq!(
        p.field("role").map(|f| f.code.as_str()),
        Some("unknown_field")
    );
    let long = "a".repeat(300);
    let p = c
        .call(
            "POST",
            SESSION,
            Some(&format!(r#"{{"email":"{long}@b.test","password":"x"}}"#)),
        )
        .problem(422, "/problems/validation");
    assert_eq!(p.field("email").map(|f| f.code.as_str()), Some("too_long"));
}

#[test]
fn every_answer_carries_the_security_headers() {
    let expect = [
        (
            "content-security-policy",
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("strict-transport-security", "max-age=63072000; includeSubDomains"),
    ];
    let index = get("/");
    // The page may be minified: attribute values quoted or not.
    let script = index
        .body
        .split("src=")
        .nth(1)
        .map(|s| s.trim_start_matches('"'))
        .and_then(|s| s.split(['"', ' ', '>']).next())
        .expect("index.html loads a script")
        .to_owned();
    for path in [
        "/api/v1/health",
        "/api/v1/nope",
        "/api/v1/me",
        "/",
        "/sign-in",
        "/boot.js",
        script.as_str(),
    ] {
        let a = get(path);
        for (name, value) in expect {
            assert_eq!(a.header(name), Some(value), "{name} on {path}");
        }
        assert!(a.header("permissions-policy").is_some(), "on {path}");
    }
    assert!(
        !index.body.contains("<script>")
            && !index.body.contains("<script type=\"module\">")
            && !index.body.contains("<script type=module>"),
        "no inline script in index.html: {}",
        index.body
    );
}

/// A read after the first is answered on the session the worker read before, confirmed by the
/// read's own batch: whatever changed the session in between is seen by that very read.
#[test]
fn a_read_on_a_trusted_session_sees_every_change_to_it() {
    let org = people(210, "trusted");
    let email = "manager@trusted.e2e";
    let mut c = Caller::sign_in(email, FIXTURE_PASSWORD);
    let balance = format!("/api/v1/organizations/{org}/balance");
    for _ in 0..3 {
        assert_eq!(c.get("/api/v1/audit-log").status, 200);
        assert_eq!(c.get(&balance).status, 200);
    }
    // A new role counts at once: an engineer may not read the audit log.
    d1(&format!(
        "UPDATE users SET role = 'engineer' WHERE email = '{email}'"
    ))
    .expect("role");
    c.get("/api/v1/audit-log")
        .problem(403, "/problems/forbidden");
    assert_eq!(c.get(&balance).status, 200);
    // A session that ended is refused by the read itself, whatever it reads.
    d1("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'manager@trusted.e2e')")
        .expect("ended");
    c.get(&balance).problem(401, "/problems/unauthenticated");
    c.get("/api/v1/tickets?queue=open")
        .problem(401, "/problems/unauthenticated");
}
