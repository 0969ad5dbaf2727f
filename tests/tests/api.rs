//! The API over HTTP against a real `wrangler dev` (workerd with local D1 and KV).

use pointdesk_e2e::{api, get, post_json, send};

#[test]
fn health_reports_version_and_that_d1_and_kv_answer() {
    let a = get("/api/v1/health");
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.content_type, "application/json");
    let h: api::Health = serde_json::from_str(&a.body).unwrap();
    assert_eq!(h.service, "pointdesk");
    assert_eq!(h.version, env!("CARGO_PKG_VERSION"));
    assert!(h.ok && h.d1.ok && h.kv.ok, "{h:?}");
}

#[test]
fn the_noop_floor_route_answers_empty() {
    let a = get("/api/v1/ping");
    assert_eq!((a.status, a.body.as_str()), (204, ""));
}

#[test]
fn unknown_api_paths_are_problem_404s() {
    for path in [
        "/api/v1/nope",
        "/api/v1/health/extra",
        "/api/v2/health",
        "/api/",
        "/api/v1",
    ] {
        let p = get(path).problem(404, "/problems/not-found");
        assert_eq!(p.instance.as_deref(), Some(path));
    }
}

#[test]
fn wrong_methods_are_problem_405s_with_allow() {
    let a = send("DELETE", "/api/v1/health", None, None);
    a.problem(405, "/problems/method-not-allowed");
    assert_eq!(a.allow.as_deref(), Some("GET"));
    let a = get("/api/v1/charge-preview");
    a.problem(405, "/problems/method-not-allowed");
    assert_eq!(a.allow.as_deref(), Some("POST"));
}

#[test]
fn malformed_json_is_a_400_that_says_what_was_wrong() {
    let cases = [
        ("{\"logged_minutes\": 12,", "ends before"),
        ("{logged_minutes: 12}", "not valid JSON"),
        ("{\"logged_minutes\": \"12\", \"increment_minutes\": 15, \"minimum_charge\": \"0\"}", "expected shape"),
        ("{\"logged_minutes\": 12, \"increment_minutes\": 15, \"minimum_charge\": 0.5}", "expected shape"),
        ("{\"logged_minutes\": 12, \"increment_minutes\": 15, \"minimum_charge\": \"0\", \"x\": 1}", "unknown field"),
        ("", "ends before"),
    ];
    for (body, says) in cases {
        let p = post_json("/api/v1/charge-preview", body).problem(400, "/problems/malformed-json");
        let detail = p.detail.unwrap();
        assert!(
            detail.contains(says),
            "{body:?} → {detail:?} should mention {says:?}"
        );
    }
}

#[test]
fn points_never_travel_as_json_numbers() {
    // A float for points is refused (above); the answer carries points as a string.
    let a = post_json(
        "/api/v1/charge-preview",
        r#"{"logged_minutes":12,"increment_minutes":15,"minimum_charge":"0"}"#,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let v = a.json();
    assert_eq!(v["points"], "0.25");
    assert_eq!(v["billed_minutes"], 15);
    assert_eq!(v["rule"], "rounded_up");
}

#[test]
fn domain_rules_refuse_impossible_terms_with_a_422() {
    let p = post_json(
        "/api/v1/charge-preview",
        r#"{"logged_minutes":12,"increment_minutes":0,"minimum_charge":"0"}"#,
    )
    .problem(422, "/problems/invalid");
    assert!(p.detail.unwrap().contains("increment"));
    post_json(
        "/api/v1/charge-preview",
        r#"{"logged_minutes":12,"increment_minutes":15,"minimum_charge":"99999999999999999"}"#,
    )
    .problem(400, "/problems/malformed-json");
}

#[test]
fn bodies_must_be_json_and_small() {
    send(
        "POST",
        "/api/v1/charge-preview",
        Some("text/plain"),
        Some(b"{}"),
    )
    .problem(415, "/problems/unsupported-media-type");
    send("POST", "/api/v1/charge-preview", None, Some(b"{}"))
        .problem(415, "/problems/unsupported-media-type");
    let big = format!("{{\"pad\":\"{}\"}}", "a".repeat(70 * 1024));
    post_json("/api/v1/charge-preview", &big).problem(413, "/problems/payload-too-large");
}

#[test]
fn deep_links_serve_the_app_and_assets_are_not_swallowed_by_the_api() {
    for path in ["/", "/tickets/1", "/status"] {
        let a = get(path);
        assert_eq!(a.status, 200, "{path}");
        assert!(
            a.content_type.starts_with("text/html"),
            "{path}: {}",
            a.content_type
        );
        assert!(
            a.body.contains("pointdesk-app"),
            "{path} serves the app's index.html"
        );
    }
}

#[test]
fn the_scheduled_handler_runs() {
    // `wrangler dev --test-scheduled` exposes the cron handler at /__scheduled.
    let a = get("/__scheduled?cron=7+*+*+*+*");
    assert_eq!(a.status, 200, "{}", a.body);
}
