//! The outside audit's findings, end to end over HTTP on the real local D1: each test failed
//! before its fix. Fixture ids 1701–1799.

use pointdesk_e2e::{d1, d1_rows, desk, request, Answer, Caller, FIXTURE_PASSWORD};
use serde_json::{json, Value};

fn sign(role: &str, tag: &str) -> Caller {
    Caller::sign_in(&format!("{role}@{tag}.e2e"), FIXTURE_PASSWORD)
}

fn ok(a: Answer, status: u16) -> Value {
    assert_eq!(a.status, status, "{}", a.body);
    a.json()
}

fn post(c: &mut Caller, path: &str, body: Value) -> Answer {
    c.call("POST", path, Some(&body.to_string()))
}

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
    let _ = (d1, d1_rows, request);
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
