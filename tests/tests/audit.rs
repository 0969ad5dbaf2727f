//! The outside audit's findings, end to end over HTTP on the real local D1: each test failed
//! before its fix. Fixture ids 1701–1799.

use pointdesk_e2e::{d1, d1_rows, desk, ok, post, request, sign, Caller, FIXTURE_PASSWORD};
use serde_json::{json, Value};

/// Item 9: a client searching by their ticket's full Cyrillic title (over D1's 50-byte LIKE
/// limit) finds it; any length the app accepts answers 200, never 5xx.
#[test]
fn search_works_for_a_full_cyrillic_title() {
    desk(1701, "search", 1000);
    let mut user = sign("user", "search");
    let title = "Не печатает принтер в бухгалтерии на втором этаже после обновления драйвера";
    assert!(title.len() > 48);
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": title}),
        ),
        201,
    );
    let q = |s: &str| {
        let mut out = String::new();
        for b in s.bytes() {
            out.push_str(&format!("%{b:02X}"));
        }
        out
    };
    let found = ok(user.get(&format!("/api/v1/tickets?q={}", q(title))), 200);
    let ids: Vec<i64> = found["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, vec![t["id"].as_i64().expect("id")]);
    // Upper-case ASCII still matches lower-case, as before; % and _ are plain characters.
    let long = "x".repeat(500);
    assert_eq!(
        user.get(&format!("/api/v1/tickets?q={long}%25_")).status,
        200
    );
}

/// Item 15: files trunk named by their hash are kept a year; the page, its loader and the SPA's
/// paths are asked again every time; `/favicon.ico` is an icon, not the page.
#[test]
fn hashed_assets_are_immutable_and_the_page_is_not() {
    use pointdesk_e2e::get;
    let index = get("/");
    assert_eq!(index.header("cache-control"), Some("no-cache"), "/");
    assert_eq!(get("/boot.js").header("cache-control"), Some("no-cache"));
    let attr = |name: &str| -> String {
        let at = index
            .body
            .find(name)
            .unwrap_or_else(|| panic!("{name} in index.html"));
        index.body[at + name.len()..]
            .trim_start_matches(['=', '"'])
            .split(['"', ' ', '>'])
            .next()
            .expect("a value")
            .to_owned()
    };
    let css = index
        .body
        .split("href=")
        .map(|s| s.trim_start_matches('"'))
        .filter_map(|s| s.split(['"', ' ', '>']).next())
        .find(|s| s.ends_with(".css"))
        .expect("a stylesheet")
        .to_owned();
    for path in [attr("data-pointdesk-js"), attr("data-pointdesk-wasm"), css] {
        assert_eq!(
            get(&path).header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
    }
    let icon = get("/favicon.ico");
    assert_eq!(icon.status, 200);
    let kind = icon.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("image/"), "favicon is {kind}");
}

/// Item 8: a gateway this deployment has not set up answers 404 `/problems/unknown-gateway`
/// (a 5xx would invite days of retries); an unknown name too.
#[test]
fn an_unconfigured_gateway_is_404_not_503() {
    for path in [
        "/api/v1/payments/stripe/notifications",
        "/api/v1/payments/yookassa/notifications",
        "/api/v1/payments/paypal/notifications",
    ] {
        let a = request(
            "POST",
            path,
            &[("content-type", "application/json")],
            Some(br#"{"id":"evt_1"}"#),
        );
        assert_eq!(a.status, 404, "{path}: {}", a.body);
    }
    let a = request(
        "POST",
        "/api/v1/payments/stripe/notifications",
        &[("content-type", "application/json")],
        Some(b"{}"),
    );
    a.problem(404, "/problems/unknown-gateway");
}

/// Item 8: the key a gateway gets is prefixed by this database's random id, so two deployments
/// (or one after a reset) on one gateway account never send the same key.
#[test]
fn gateway_keys_carry_a_per_deployment_prefix() {
    let rows = d1_rows("SELECT deployment FROM schema_info");
    let id = rows[0]["deployment"].as_str().expect("a deployment id");
    assert_eq!(id.len(), 16, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
}

/// Item 13: a JSON array where an object is expected is 400; text made only of invisible or
/// formatting characters is 422 `required`; work is logged within the ticket's life.
#[test]
fn bodies_are_objects_with_visible_text_and_work_days_in_the_tickets_life() {
    desk(1702, "bodies", 1000);
    let mut user = sign("user", "bodies");
    let before = user.get("/api/v1/tickets").json()["items"]
        .as_array()
        .map_or(0, Vec::len);
    user.call("POST", "/api/v1/tickets", Some(r#"["incident","x"]"#))
        .problem(400, "/problems/malformed-json");
    assert_eq!(
        user.get("/api/v1/tickets").json()["items"]
            .as_array()
            .map_or(0, Vec::len),
        before,
        "nothing was opened"
    );
    for blank in ["\u{200B}", "\u{2060}\u{FEFF}", " \u{202E} ", "\u{E0041}"] {
        let p = post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": blank}),
        )
        .problem(422, "/problems/validation");
        assert_eq!(
            p.errors
                .iter()
                .map(|e| (e.field.as_str(), e.code.as_str()))
                .collect::<Vec<_>>(),
            vec![("title", "required")],
            "{blank:?}"
        );
    }
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Printer"}),
        ),
        201,
    );
    let id = t["id"].as_i64().expect("id");
    let p = post(
        &mut user,
        &format!("/api/v1/tickets/{id}/comments"),
        json!({"body": "\u{200B}\u{200B}", "internal": false}),
    )
    .problem(422, "/problems/validation");
    assert_eq!(p.errors[0].field, "body");
    let mut engineer = sign("engineer", "bodies");
    let mut manager = sign("manager", "bodies");
    let p = c_patch_me(&mut manager, "\u{2060}");
    assert_eq!(p.errors[0].code, "required");
    let today = chrono_today();
    for (on, status) in [
        ("2001-01-01".to_owned(), 422),
        ("2999-12-31".to_owned(), 422),
        (today, 201),
    ] {
        let a = post(
            &mut engineer,
            &format!("/api/v1/tickets/{id}/work"),
            json!({"minutes": 15, "note": "looked", "on": on}),
        );
        assert_eq!(a.status, status, "{on}: {}", a.body);
        if status == 422 {
            let p = a.problem(422, "/problems/validation");
            assert_eq!(
                (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
                ("on", "out_of_range")
            );
        }
    }
}

fn c_patch_me(c: &mut Caller, name: &str) -> pointdesk_e2e::api::Problem {
    c.call(
        "PATCH",
        "/api/v1/me",
        Some(&json!({ "name": name }).to_string()),
    )
    .problem(422, "/problems/validation")
}

/// Today in UTC as `YYYY-MM-DD` (the fixtures' provider zone).
fn chrono_today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        / 86_400;
    let d = pointdesk_domain::time::Date::from_days(i64::try_from(days).expect("days"));
    d.to_string()
}

/// Item 12: failures from one address never lock the account for another; the right password
/// from an address with no failures signs in; a success clears that address's counter.
#[test]
fn nobody_can_lock_someone_elses_account() {
    pointdesk_e2e::people(1703, "lockout");
    let body = |pw: &str| json!({"email": "admin@lockout.e2e", "password": pw}).to_string();
    let from = |ip: &str, pw: &str| {
        request(
            "POST",
            "/api/v1/session",
            &[
                ("content-type", "application/json"),
                ("origin", &pointdesk_e2e::base_url()),
                ("sec-fetch-site", "same-origin"),
                ("cf-connecting-ip", ip),
            ],
            Some(body(pw).as_bytes()),
        )
    };
    let attacker = "198.51.100.7";
    let owner = "203.0.113.20";
    pointdesk_e2e::alone(|| {
        for _ in 0..6 {
            let a = from(attacker, "guessing");
            assert!(matches!(a.status, 401 | 429), "{}", a.body);
        }
        // The attacker's address waits, even with the right password ...
        from(attacker, FIXTURE_PASSWORD).problem(429, "/problems/too-many-attempts");
        // ... the owner's does not.
        assert_eq!(from(owner, FIXTURE_PASSWORD).status, 200);
        // The owner's own slips count for the owner's address, and a success clears them.
        for _ in 0..3 {
            from(owner, "typo").problem(401, "/problems/invalid-credentials");
        }
        assert_eq!(from(owner, FIXTURE_PASSWORD).status, 200);
    });
    let pair = d1_rows(&format!(
        "SELECT failures FROM signin_failures WHERE key = 'pair:admin@lockout.e2e|{owner}'"
    ));
    assert!(pair.is_empty(), "cleared by the success: {pair:?}");
    let decayed = d1(&format!(
        "UPDATE signin_failures SET last_failure_at = last_failure_at - 900, \
         blocked_until = blocked_until - 900 WHERE key = 'pair:admin@lockout.e2e|{attacker}'"
    ));
    assert!(decayed.is_ok());
    // A quiet quarter of an hour: the counter starts again, one failure waits nothing.
    from(attacker, "again").problem(401, "/problems/invalid-credentials");
    let rows = d1_rows(&format!(
        "SELECT failures FROM signin_failures WHERE key = 'pair:admin@lockout.e2e|{attacker}'"
    ));
    assert_eq!(rows[0]["failures"], 1);
}

/// Item 11: deactivating an organisation ends its people's sessions at once and refuses their
/// sign-in with a clear problem; staff still see its history; reactivation restores sign-in.
#[test]
fn a_deactivated_organisation_is_locked_out_and_staff_still_see_it() {
    let org = desk(1704, "paused", 1000);
    let mut admin = sign("admin", "paused");
    let mut manager = sign("manager", "paused");
    ok(
        post(
            &mut admin,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Before the pause"}),
        ),
        201,
    );
    let patch = |c: &mut Caller, active: bool| {
        c.call(
            "PATCH",
            &format!("/api/v1/organizations/{org}"),
            Some(&json!({ "active": active }).to_string()),
        )
    };
    assert_eq!(ok(patch(&mut manager, false), 200)["active"], false);
    admin
        .get("/api/v1/me")
        .problem(401, "/problems/unauthenticated");
    let mut again = Caller::anonymous();
    again
        .call(
            "POST",
            "/api/v1/session",
            Some(&json!({"email": "admin@paused.e2e", "password": FIXTURE_PASSWORD}).to_string()),
        )
        .problem(403, "/problems/organization-inactive");
    // A wrong password still reads as a wrong password (nothing told about the account).
    Caller::anonymous()
        .call(
            "POST",
            "/api/v1/session",
            Some(&json!({"email": "user@paused.e2e", "password": "nope nope"}).to_string()),
        )
        .problem(401, "/problems/invalid-credentials");
    let seen = ok(manager.get(&format!("/api/v1/tickets?org={org}")), 200);
    assert_eq!(seen["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        manager
            .get(&format!("/api/v1/organizations/{org}/ledger"))
            .status,
        200
    );
    ok(patch(&mut manager, true), 200);
    let mut back = sign("admin", "paused");
    assert_eq!(back.get("/api/v1/me").status, 200);
}

/// Item 10: the outbox shows managers every mail, but never a usable invitation or reset
/// token: a manager cannot take over the account the mail is for.
#[test]
fn the_outbox_masks_emailed_secrets() {
    let org = desk(1705, "masked", 1000);
    let mut manager = sign("manager", "masked");
    let a = post(
        &mut manager,
        "/api/v1/users",
        json!({"email": "new@masked.e2e", "name": "New", "role": "client_admin",
               "organization_id": org}),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let stored = d1_rows("SELECT link FROM outbox WHERE to_email = 'new@masked.e2e'");
    let real = stored[0]["link"].as_str().expect("a link").to_owned();
    let secret = real.split("#token=").nth(1).expect("a token").to_owned();
    assert!(secret.len() > 20);
    let outbox = ok(manager.get("/api/v1/outbox"), 200);
    let mail = outbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["to"] == "new@masked.e2e")
        .expect("the invitation")
        .clone();
    let shown = mail.to_string();
    assert!(!shown.contains(&secret), "a live token shown: {shown}");
    assert!(mail["link"]
        .as_str()
        .is_some_and(|l| l.ends_with("#token=••••••")));
    // The masked link is no link at all; the real one still works for its recipient.
    Caller::anonymous()
        .call(
            "POST",
            "/api/v1/invitations/accept",
            Some(&json!({"token": "••••••", "password": "a good long password"}).to_string()),
        )
        .problem(422, "/problems/validation");
    let a = Caller::anonymous().call(
        "POST",
        "/api/v1/invitations/accept",
        Some(&json!({"token": secret, "password": "a good long password"}).to_string()),
    );
    assert_eq!(a.status, 200, "{}", a.body);
}

/// Item 5: managers set the VAT code of the 54-FZ receipts card payments carry; 1 (без НДС)
/// until they do; a code YooKassa does not know is refused on its field.
#[test]
fn managers_set_the_receipts_vat_code() {
    desk(1706, "vat", 1000);
    let mut manager = sign("manager", "vat");
    assert_eq!(
        ok(manager.get("/api/v1/payment-settings"), 200)["vat_code"],
        1
    );
    let put = |c: &mut Caller, body: Value| {
        c.call("PUT", "/api/v1/payment-settings", Some(&body.to_string()))
    };
    assert_eq!(
        ok(put(&mut manager, json!({"vat_code": 11})), 200)["vat_code"],
        11
    );
    assert_eq!(
        ok(manager.get("/api/v1/payment-settings"), 200)["vat_code"],
        11
    );
    for bad in [0, 13] {
        let p = put(&mut manager, json!({ "vat_code": bad })).problem(422, "/problems/validation");
        assert_eq!(
            (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
            ("vat_code", "out_of_range")
        );
    }
    let audit = d1_rows(
        "SELECT after FROM audit_log WHERE action = 'payment_settings.update' AND provider_id = 1706",
    );
    assert_eq!(audit.len(), 1);
    let mut admin = sign("admin", "vat");
    assert_eq!(admin.get("/api/v1/payment-settings").status, 403);
}
