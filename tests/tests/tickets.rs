//! Tickets end to end over HTTP on the real local D1: the seed's two stories, what costs
//! nothing, what is refused, who sees internal comments, and races settled by D1.

use std::sync::{Arc, Barrier};
use std::time::Instant;

use pointdesk_e2e::{
    d1, d1_rows, desk, item, ok, people, post, put, request, sign, Answer, Caller,
};
use serde_json::json;

/// (balance, held, available) as the API says them.
fn points(c: &mut Caller, org: i64) -> (String, String, String) {
    let b = ok(c.get(&format!("/api/v1/organizations/{org}/balance")), 200);
    let s = |k: &str| b[k].as_str().expect(k).to_owned();
    (s("balance"), s("held"), s("available"))
}

fn timeline_kinds(c: &mut Caller, ticket: i64) -> Vec<String> {
    ok(c.get(&format!("/api/v1/tickets/{ticket}/timeline")), 200)["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn open_request(c: &mut Caller, tag: &str) -> i64 {
    let t = ok(
        post(
            c,
            "/api/v1/tickets",
            json!({"kind": "service_request", "title": "A laptop for the new doctor",
                   "catalogue_id": item(tag, "Quoted")}),
        ),
        201,
    );
    t["id"].as_i64().expect("an id")
}

fn quote(c: &mut Caller, ticket: i64, points: &str) -> i64 {
    let t = ok(
        post(
            c,
            &format!("/api/v1/tickets/{ticket}/quotes"),
            json!({"points": points, "scope": "Install and set up", "valid_days": 7}),
        ),
        201,
    );
    t["quotes"]
        .as_array()
        .and_then(|q| q.last())
        .and_then(|q| q["id"].as_i64())
        .expect("a quote")
}

#[test]
fn story_one_a_quoted_request_is_held_then_charged() {
    let org = desk(701, "tk1", 1000);
    let (mut user, mut admin, mut eng) = (
        sign("user", "tk1"),
        sign("admin", "tk1"),
        sign("engineer", "tk1"),
    );
    let ticket = open_request(&mut user, "tk1");
    let q = quote(&mut eng, ticket, "3");
    let t = ok(admin.get(&format!("/api/v1/tickets/{ticket}")), 200);
    assert_eq!(t["status"], "awaiting_approval");
    assert!(t["awaiting_client"].as_bool().unwrap());
    assert_eq!(
        points(&mut admin, org),
        ("10.00".into(), "0.00".into(), "10.00".into())
    );
    let t = ok(
        admin.call("POST", &format!("/api/v1/quotes/{q}/approval"), None),
        200,
    );
    assert_eq!(t["status"], "in_progress");
    assert_eq!(t["held"], "3.00");
    assert_eq!(
        points(&mut admin, org),
        ("10.00".into(), "3.00".into(), "7.00".into())
    );
    ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{ticket}/work"),
            json!({"minutes": 120, "note": "Set up"}),
        ),
        201,
    );
    let t = ok(
        eng.call(
            "POST",
            &format!("/api/v1/tickets/{ticket}/completion"),
            None,
        ),
        200,
    );
    assert_eq!(t["status"], "completed");
    assert_eq!(t["held"], "0.00");
    assert_eq!(t["cost"], "3.00");
    assert_eq!(
        points(&mut admin, org),
        ("7.00".into(), "0.00".into(), "7.00".into())
    );
    let entries = d1_rows(&format!(
        "SELECT kind, amount, reference FROM ledger_entries WHERE org_id = {org} AND kind = 'charge'"
    ));
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["amount"], -300);
    assert_eq!(entries[0]["reference"], format!("quote:{q}"));
    assert!(d1_rows(&format!("SELECT 1 FROM holds WHERE org_id = {org}")).is_empty());
    let kinds = timeline_kinds(&mut user, ticket);
    for k in [
        "opened",
        "quote",
        "quote_approved",
        "work",
        "status",
        "ledger",
    ] {
        assert!(kinds.contains(&k.to_owned()), "{k} in {kinds:?}");
    }
    // The quote reached the client admin's outbox, in their language.
    let mail = d1_rows(
        "SELECT subject FROM outbox WHERE to_email = 'admin@tk1.e2e' AND kind = 'quote_awaiting'",
    );
    assert_eq!(mail.len(), 1);
    assert!(mail[0]["subject"].as_str().unwrap().contains("смета"));
}

#[test]
fn story_two_a_client_caused_incident_is_charged_disputed_and_refunded() {
    let org = desk(702, "tk2", 1000);
    let (mut user, mut admin, mut eng, mut mgr) = (
        sign("user", "tk2"),
        sign("admin", "tk2"),
        sign("engineer", "tk2"),
        sign("manager", "tk2"),
    );
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Files gone", "priority": "high"}),
        ),
        201,
    );
    let ticket = t["id"].as_i64().unwrap();
    ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{ticket}/status"),
            json!({"status": "in_progress"}),
        ),
        200,
    );
    for minutes in [20, 15, 12] {
        ok(
            post(
                &mut eng,
                &format!("/api/v1/tickets/{ticket}/work"),
                json!({"minutes": minutes}),
            ),
            201,
        );
    }
    ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{ticket}/status"),
            json!({"status": "resolved"}),
        ),
        200,
    );
    let t = ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{ticket}/cause"),
            json!({"cause": "client_caused", "explanation": "A staff member deleted the folder"}),
        ),
        200,
    );
    assert_eq!(t["cause"], "client_caused");
    let charge = &t["charge"];
    assert_eq!(charge["points"], "1.00");
    assert_eq!(charge["explanation"]["logged_minutes"], 47);
    assert_eq!(charge["explanation"]["billed_minutes"], 60);
    assert_eq!(charge["explanation"]["increment_minutes"], 15);
    assert_eq!(charge["explanation"]["rule"], "rounded_up");
    assert_eq!(charge["lines"], 3);
    let seen = ok(user.get(&format!("/api/v1/tickets/{ticket}")), 200);
    assert_eq!(seen["cost"], "1.00");
    assert_eq!(seen["cause_note"], "A staff member deleted the folder");
    assert_eq!(points(&mut admin, org).0, "9.00");
    // A client user may not dispute; the admin may.
    let a = post(
        &mut user,
        &format!("/api/v1/tickets/{ticket}/dispute"),
        json!({"reason": "Not us"}),
    );
    a.problem(403, "/problems/forbidden");
    ok(
        post(
            &mut admin,
            &format!("/api/v1/tickets/{ticket}/dispute"),
            json!({"reason": "The update did it"}),
        ),
        201,
    );
    let t = ok(
        put(
            &mut mgr,
            &format!("/api/v1/tickets/{ticket}/dispute/decision"),
            json!({"upheld": true, "reason": "The nightly update deleted it"}),
        ),
        200,
    );
    assert_eq!(t["dispute"]["state"], "upheld");
    assert_eq!(
        t["dispute"]["decision_reason"],
        "The nightly update deleted it"
    );
    assert_eq!(t["cost"], "0.00");
    assert_eq!(points(&mut admin, org).0, "10.00");
    let refunds = d1_rows(&format!(
        "SELECT amount FROM ledger_entries WHERE org_id = {org} AND kind = 'refund'"
    ));
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0]["amount"], 100);
    let kinds = timeline_kinds(&mut admin, ticket);
    assert_eq!(
        kinds.iter().filter(|k| *k == "ledger").count(),
        2,
        "{kinds:?}"
    );
    // A decided dispute is not decided again.
    put(
        &mut mgr,
        &format!("/api/v1/tickets/{ticket}/dispute/decision"),
        json!({"upheld": true, "reason": "again"}),
    )
    .problem(409, "/problems/illegal-transition");
}

#[test]
fn standard_incidents_declined_and_expired_quotes_cost_nothing() {
    let org = desk(703, "tk3", 500);
    let (mut user, mut admin, mut eng) = (
        sign("user", "tk3"),
        sign("admin", "tk3"),
        sign("engineer", "tk3"),
    );
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "VPN"}),
        ),
        201,
    );
    let inc = t["id"].as_i64().unwrap();
    ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{inc}/work"),
            json!({"minutes": 90}),
        ),
        201,
    );
    ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{inc}/status"),
            json!({"status": "resolved"}),
        ),
        200,
    );
    let t = ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{inc}/cause"),
            json!({"cause": "standard", "explanation": "Our gateway"}),
        ),
        200,
    );
    assert!(t["charge"].is_null());
    assert_eq!(t["cost"], "0.00");
    // Set twice: refused, nothing changes.
    put(
        &mut eng,
        &format!("/api/v1/tickets/{inc}/cause"),
        json!({"cause": "client_caused", "explanation": "x"}),
    )
    .problem(409, "/problems/illegal-transition");
    assert_eq!(
        points(&mut admin, org),
        ("5.00".into(), "0.00".into(), "5.00".into())
    );

    let req = open_request(&mut user, "tk3");
    let q = quote(&mut eng, req, "2");
    let t = ok(
        admin.call("POST", &format!("/api/v1/quotes/{q}/decline"), None),
        200,
    );
    assert_eq!(t["status"], "declined");
    assert_eq!(
        points(&mut admin, org),
        ("5.00".into(), "0.00".into(), "5.00".into())
    );

    let req = open_request(&mut user, "tk3");
    let q = quote(&mut eng, req, "1");
    d1(&format!(
        "UPDATE quotes SET expires_at = unixepoch() - 60 WHERE id = {q}"
    ))
    .unwrap();
    admin
        .call("POST", &format!("/api/v1/quotes/{q}/approval"), None)
        .problem(409, "/problems/quote-expired");
    assert_eq!(
        points(&mut admin, org),
        ("5.00".into(), "0.00".into(), "5.00".into())
    );
    // More than is available: refused with the figures.
    let q = quote(&mut eng, req, "6");
    let p = admin
        .call("POST", &format!("/api/v1/quotes/{q}/approval"), None)
        .problem(409, "/problems/insufficient-points");
    assert!(p.detail.unwrap().contains("6.00"));
}

#[test]
fn internal_comments_never_reach_client_roles() {
    desk(704, "tk4", 500);
    let (mut user, mut admin, mut eng) = (
        sign("user", "tk4"),
        sign("admin", "tk4"),
        sign("engineer", "tk4"),
    );
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Slow"}),
        ),
        201,
    );
    let id = t["id"].as_i64().unwrap();
    ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{id}/comments"),
            json!({"body": "Their NAS is ancient", "internal": true}),
        ),
        201,
    );
    ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{id}/comments"),
            json!({"body": "Looking into it"}),
        ),
        201,
    );
    let staff = ok(eng.get(&format!("/api/v1/tickets/{id}/timeline")), 200).to_string();
    assert!(staff.contains("Their NAS is ancient") && staff.contains("Looking into it"));
    for c in [&mut user, &mut admin] {
        for path in [
            format!("/api/v1/tickets/{id}/timeline"),
            format!("/api/v1/tickets/{id}"),
        ] {
            let body = ok(c.get(&path), 200).to_string();
            assert!(!body.contains("ancient"), "{path}: {body}");
        }
        assert!(ok(c.get(&format!("/api/v1/tickets/{id}/timeline")), 200)
            .to_string()
            .contains("Looking into it"));
    }
    post(
        &mut user,
        &format!("/api/v1/tickets/{id}/comments"),
        json!({"body": "psst", "internal": true}),
    )
    .problem(403, "/problems/forbidden");
    // No mail about the internal comment.
    assert!(d1_rows("SELECT 1 FROM outbox WHERE body LIKE '%ancient%'").is_empty());
}

#[test]
fn bad_input_gets_a_problem_and_changes_nothing() {
    let org = desk(705, "tk5", 500);
    let (mut user, mut eng) = (sign("user", "tk5"), sign("engineer", "tk5"));
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Printer"}),
        ),
        201,
    );
    let id = t["id"].as_i64().unwrap();
    let version =
        || d1_rows(&format!("SELECT version FROM tickets WHERE id = {id}"))[0]["version"].as_i64();
    let before = version();
    eng.get("/api/v1/tickets/999999")
        .problem(404, "/problems/not-found");
    for (minutes, code) in [(0, "not_positive"), (2000, "too_large")] {
        let p = post(
            &mut eng,
            &format!("/api/v1/tickets/{id}/work"),
            json!({"minutes": minutes}),
        )
        .problem(422, "/problems/validation");
        assert_eq!(p.errors[0].field, "minutes");
        assert_eq!(p.errors[0].code, code);
    }
    let p = post(
        &mut eng,
        &format!("/api/v1/tickets/{id}/work"),
        json!({"minutes": -5}),
    )
    .problem(400, "/problems/malformed-json");
    assert_eq!(p.errors[0].field, "minutes");
    // A quote on an incident, and quotes out of range on a request.
    post(
        &mut eng,
        &format!("/api/v1/tickets/{id}/quotes"),
        json!({"points": "1", "scope": "x", "valid_days": 7}),
    )
    .problem(409, "/problems/illegal-transition");
    let req = open_request(&mut user, "tk5");
    for (pts, code) in [("0", "not_positive"), ("10000.01", "too_large")] {
        let p = post(
            &mut eng,
            &format!("/api/v1/tickets/{req}/quotes"),
            json!({"points": pts, "scope": "x", "valid_days": 7}),
        )
        .problem(422, "/problems/validation");
        assert_eq!(
            (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
            ("points", code)
        );
    }
    // A transition the state machine forbids.
    put(
        &mut eng,
        &format!("/api/v1/tickets/{id}/status"),
        json!({"status": "closed"}),
    )
    .problem(409, "/problems/illegal-transition");
    put(
        &mut eng,
        &format!("/api/v1/tickets/{id}/cause"),
        json!({"cause": "standard", "explanation": "x"}),
    )
    .problem(409, "/problems/illegal-transition");
    let p = put(
        &mut eng,
        &format!("/api/v1/tickets/{id}/status"),
        json!({"status": "flying"}),
    )
    .problem(422, "/problems/invalid");
    assert!(p.detail.is_some());
    assert_eq!(version(), before, "refusals change nothing");
    assert!(d1_rows(&format!(
        "SELECT 1 FROM work_entries WHERE ticket_id = {id}"
    ))
    .is_empty());
    // Another tenant's ticket is a 404, like a missing one. The tenant is
    // this test's own: tests of one binary run in parallel, in no fixed order.
    people(707, "tk7");
    let mut other = sign("engineer", "tk7");
    other
        .get(&format!("/api/v1/tickets/{id}"))
        .problem(404, "/problems/not-found");
    other
        .get(&format!("/api/v1/organizations/{org}/balance"))
        .problem(404, "/problems/not-found");
}

fn concurrently(
    n: usize,
    f: impl Fn(usize) -> Answer + Send + Sync + 'static,
) -> (Vec<Answer>, u128) {
    let f = Arc::new(f);
    let gate = Arc::new(Barrier::new(n));
    let started = Instant::now();
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (f, gate) = (f.clone(), gate.clone());
            std::thread::spawn(move || {
                gate.wait();
                f(i)
            })
        })
        .collect();
    let answers = handles
        .into_iter()
        .map(|h| h.join().expect("a thread"))
        .collect();
    (answers, started.elapsed().as_millis())
}

fn cookie_call(
    cookie: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&str>,
) -> Answer {
    let url = pointdesk_e2e::base_url();
    let cookie = format!("{}={cookie}", pointdesk_e2e::api::SESSION_COOKIE);
    let mut h = vec![
        ("sec-fetch-site", "same-origin"),
        ("origin", url.as_str()),
        ("cookie", cookie.as_str()),
    ];
    if let Some(k) = key {
        h.push(("idempotency-key", k));
    }
    if body.is_some() {
        h.push(("content-type", "application/json"));
    }
    request(method, path, &h, body.map(str::as_bytes))
}

#[test]
fn races_are_settled_by_d1() {
    let org = desk(706, "tk6", 10_000);
    let (mut user, admin, mut eng) = (
        sign("user", "tk6"),
        sign("admin", "tk6"),
        sign("engineer", "tk6"),
    );
    let admin_cookie = admin.cookie.clone().unwrap();
    let eng_cookie = eng.cookie.clone().unwrap();

    // 100 concurrent approvals of one quote: exactly one hold.
    let req = open_request(&mut user, "tk6");
    let q = quote(&mut eng, req, "3");
    let c = admin_cookie.clone();
    let (answers, ms) = concurrently(100, move |_| {
        cookie_call(
            &c,
            "POST",
            &format!("/api/v1/quotes/{q}/approval"),
            None,
            None,
        )
    });
    let won = answers.iter().filter(|a| a.status == 200).count();
    let lost = answers.iter().filter(|a| a.status == 409).count();
    assert!(
        won >= 1 && won + lost == 100,
        "statuses: {:?}",
        answers
            .iter()
            .map(|a| (a.status, a.body.clone()))
            .filter(|(s, _)| *s != 200 && *s != 409)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        d1_rows(&format!("SELECT points FROM holds WHERE quote_id = {q}")).len(),
        1
    );
    assert_eq!(
        d1_rows(&format!(
            "SELECT 1 FROM applied_events WHERE idempotency_key = 'hold:quote:{q}'"
        ))
        .len(),
        1
    );
    eprintln!("100 concurrent approvals: {won} answered 200, {lost} 409, one hold, {ms} ms");

    // Completion and cancellation at once: exactly one outcome.
    let c = eng_cookie.clone();
    let (answers, ms) = concurrently(2, move |i| {
        let what = if i == 0 { "completion" } else { "cancellation" };
        cookie_call(
            &c,
            "POST",
            &format!("/api/v1/tickets/{req}/{what}"),
            None,
            None,
        )
    });
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    let status =
        d1_rows(&format!("SELECT status FROM tickets WHERE id = {req}"))[0]["status"].clone();
    let charges = d1_rows(&format!(
        "SELECT 1 FROM ledger_entries WHERE reference = 'quote:{q}' AND kind = 'charge'"
    ))
    .len();
    assert!(
        (status == "completed" && charges == 1) || (status == "cancelled" && charges == 0),
        "{status} with {charges} charges"
    );
    assert!(d1_rows(&format!("SELECT 1 FROM holds WHERE org_id = {org}")).is_empty());
    eprintln!("completion against cancellation: {statuses:?} → {status}, {ms} ms");

    // 20 concurrent retries with one Idempotency-Key: one effect, identical answers.
    let req = open_request(&mut user, "tk6");
    let q = quote(&mut eng, req, "2");
    let c = admin_cookie.clone();
    let (answers, ms) = concurrently(20, move |_| {
        cookie_call(
            &c,
            "POST",
            &format!("/api/v1/quotes/{q}/approval"),
            Some("approve-once-tk6"),
            None,
        )
    });
    assert!(
        answers.iter().all(|a| a.status == 200),
        "{:?}",
        answers.iter().map(|a| &a.body).collect::<Vec<_>>()
    );
    assert!(
        answers.windows(2).all(|w| w[0].body == w[1].body),
        "identical answers"
    );
    assert_eq!(
        d1_rows(&format!("SELECT 1 FROM holds WHERE quote_id = {q}")).len(),
        1
    );
    eprintln!("20 retries with one Idempotency-Key: all 200, identical, one hold, {ms} ms");

    // The same key for a different request is a conflict.
    let a = cookie_call(
        &admin_cookie,
        "POST",
        &format!("/api/v1/quotes/{}/decline", q),
        Some("approve-once-tk6"),
        None,
    );
    a.problem(422, "/problems/idempotency-key-reused");
}

/// The server says what each person may do next, and every step it offers is one that works.
#[test]
fn every_ticket_says_what_its_reader_may_do_next() {
    let tag = "steps";
    desk(1801, tag, 1000);
    let (mut eng, mut admin, mut user) =
        (sign("engineer", tag), sign("admin", tag), sign("user", tag));
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Mail is down"}),
        ),
        201,
    );
    let id = t["id"].as_i64().expect("an id");
    let next = |c: &mut Caller| {
        let t = ok(c.get(&format!("/api/v1/tickets/{id}")), 200);
        let words = |k: &str| -> Vec<String> {
            t[k].as_array()
                .expect(k)
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect()
        };
        (words("steps"), words("actions"), t["done"].as_bool())
    };
    let (steps, actions, done) = next(&mut eng);
    assert_eq!(steps, ["take", "start", "log_work", "reclassify"]);
    assert_eq!(
        actions,
        [
            "assignTicket",
            "changeTicketStatus",
            "logWork",
            "reclassifyTicket",
            "addComment",
            "changeTicketPriority",
            "setAwaitingClient"
        ]
    );
    assert_eq!(done, Some(false));
    // A client may only comment on an incident.
    assert_eq!(next(&mut user).1, ["addComment"]);
    assert_eq!(next(&mut admin).0, Vec::<String>::new());

    // Each offered step works, and the next ones follow the flow.
    ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{id}/status"),
            json!({"status": "in_progress"}),
        ),
        200,
    );
    // Starting it made it the engineer's own: no "take" any more.
    assert_eq!(next(&mut eng).0, ["resolve", "log_work", "reclassify"]);
    ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{id}/status"),
            json!({"status": "resolved"}),
        ),
        200,
    );
    assert_eq!(
        next(&mut eng).0,
        ["reopen", "close", "log_work", "set_cause"]
    );
    // The requester is asked whether it is fixed.
    assert_eq!(next(&mut user).0, ["confirm", "not_fixed"]);
    ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{id}/status"),
            json!({"status": "closed"}),
        ),
        200,
    );
    let (steps, _, done) = next(&mut eng);
    assert_eq!((steps, done), (vec!["set_cause".to_owned()], Some(true)));
}
