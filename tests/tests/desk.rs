//! The desk's daily flow over HTTP on the real local D1: who hears of a new ticket, tickets
//! opened for a caller, reclassification, the client's word on a fix (and silence closing it),
//! disputes and recorded approvals reaching who must act, cancelling after work, what waits on
//! each home, the plan in plain terms and the default threshold.

use pointdesk_e2e::{
    balance, d1, d1_rows, desk, fixture_hash, get, item, ok, post, put, sign, Caller,
};
use serde_json::{json, Value};

fn id(v: &Value) -> i64 {
    v["id"].as_i64().expect("an id")
}

/// `(email, kind)` of every notice about a ticket, sorted.
fn notices(ticket: i64) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = d1_rows(&format!(
        "SELECT u.email, n.kind FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.ticket_id = {ticket}"
    ))
    .iter()
    .map(|r| {
        (
            r["email"].as_str().unwrap_or_default().to_owned(),
            r["kind"].as_str().unwrap_or_default().to_owned(),
        )
    })
    .collect();
    out.sort();
    out
}

/// How many letters of `kind` went to `email`.
fn letters(email: &str, kind: &str) -> i64 {
    d1_rows(&format!(
        "SELECT COUNT(*) AS n FROM outbox WHERE to_email = '{email}' AND kind = '{kind}'"
    ))[0]["n"]
        .as_i64()
        .unwrap_or(0)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    v.sort();
    v
}

fn user_id(email: &str) -> i64 {
    d1_rows(&format!("SELECT id FROM users WHERE email = '{email}'"))[0]["id"]
        .as_i64()
        .expect("a person")
}

fn steps(c: &mut Caller, ticket: i64) -> Vec<String> {
    ok(c.get(&format!("/api/v1/tickets/{ticket}")), 200)["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_owned())
        .collect()
}

fn scheduled() {
    let a = get("/__scheduled?cron=0+*+*+*+*");
    assert!(a.status < 300, "scheduled: {} {}", a.status, a.body);
}

#[test]
fn a_new_ticket_reaches_the_engineers_on_duty_and_its_requester() {
    let tag = "duty";
    let org = desk(1901, tag, 1000);
    d1(&format!(
        "INSERT INTO users (provider_id, org_id, email, name, role, locale, password_hash) VALUES \
         (1901, NULL, 'engineer2@{tag}.e2e', 'Second engineer', 'engineer', 'ru', '{}')",
        fixture_hash()
    ))
    .expect("a second engineer");
    let (mut user, mut manager, mut eng) = (
        sign("user", tag),
        sign("manager", tag),
        sign("engineer", tag),
    );

    // A client user's ticket: one notice for each engineer (none on duty chosen: all of them),
    // one acknowledgement for the requester, nothing for the manager (it is not urgent).
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "The printer jams"}),
        ),
        201,
    );
    assert_eq!(
        notices(id(&t)),
        pairs(&[
            ("engineer2@duty.e2e", "ticket_opened"),
            ("engineer@duty.e2e", "ticket_opened"),
            ("user@duty.e2e", "ticket_received"),
        ])
    );
    assert_eq!(letters("user@duty.e2e", "ticket_received"), 1);
    let ack = d1_rows("SELECT subject, body FROM outbox WHERE to_email = 'user@duty.e2e' AND kind = 'ticket_received'");
    let number = t["number"].as_i64().expect("a number");
    assert!(ack[0]["subject"]
        .as_str()
        .unwrap_or_default()
        .contains(&format!("#{number}")));
    assert!(ack[0]["body"]
        .as_str()
        .unwrap_or_default()
        .contains("fix it first"));
    // The engineer's home counts it as unassigned.
    let home = ok(eng.get("/api/v1/desk"), 200);
    let count = |home: &Value, q: &str| {
        home["queues"]
            .as_array()
            .expect("queues")
            .iter()
            .find(|x| x["queue"] == q)
            .and_then(|x| x["count"].as_i64())
    };
    assert_eq!(count(&home, "unassigned"), Some(1));
    assert_eq!(count(&home, "disputes"), None, "disputes are the managers'");

    // The manager puts the second engineer on duty for this client; an urgent ticket reaches
    // them and the managers, and muting the kind stops the mail but not the notice.
    let second = user_id("engineer2@duty.e2e");
    let o = ok(
        manager.call(
            "PATCH",
            &format!("/api/v1/organizations/{org}"),
            Some(&json!({"on_duty": [second]}).to_string()),
        ),
        200,
    );
    assert_eq!(o["on_duty"], json!([second]));
    let bad = manager.call(
        "PATCH",
        &format!("/api/v1/organizations/{org}"),
        Some(&json!({"on_duty": [user_id("user@duty.e2e")]}).to_string()),
    );
    assert_eq!(
        bad.problem(422, "/problems/validation").errors[0].field,
        "on_duty[0]"
    );
    let mut second_caller = sign("engineer2", tag);
    ok(
        put(
            &mut second_caller,
            "/api/v1/me/notification-preferences",
            json!({"email_muted": ["ticket_opened"]}),
        ),
        200,
    );
    let t2 = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Server down", "priority": "urgent"}),
        ),
        201,
    );
    assert_eq!(
        notices(id(&t2)),
        pairs(&[
            ("engineer2@duty.e2e", "ticket_opened"),
            ("manager@duty.e2e", "ticket_opened"),
            ("user@duty.e2e", "ticket_received"),
        ])
    );
    assert_eq!(
        letters("engineer2@duty.e2e", "ticket_opened"),
        1,
        "muted after the first"
    );
    assert_eq!(letters("manager@duty.e2e", "ticket_opened"), 1);

    // Staff open a ticket for the client person who called: they are the requester, follow
    // it and get its acknowledgement; "opened by" names the engineer.
    let caller_id = user_id("user@duty.e2e");
    let t3 = ok(
        post(
            &mut eng,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Called about the VPN", "org_id": org,
                   "requester_id": caller_id}),
        ),
        201,
    );
    assert_eq!(t3["requester"]["id"], json!(caller_id));
    assert_eq!(t3["opened_by"]["name"], json!("Engineer duty"));
    let seen = ok(user.get(&format!("/api/v1/tickets/{}", id(&t3))), 200);
    assert_eq!(seen["following"], json!(true));
    assert!(notices(id(&t3)).contains(&("user@duty.e2e".into(), "ticket_received".into())));
    assert!(!notices(id(&t3))
        .iter()
        .any(|(e, _)| e == "engineer@duty.e2e"));
    // A caller from another organisation, or a client naming someone else, is refused.
    let other = post(
        &mut eng,
        "/api/v1/tickets",
        json!({"kind": "incident", "title": "x", "org_id": org, "requester_id": user_id("manager@duty.e2e")}),
    );
    assert_eq!(
        other.problem(422, "/problems/validation").errors[0].field,
        "requester_id"
    );
    let own = post(
        &mut user,
        "/api/v1/tickets",
        json!({"kind": "incident", "title": "x", "requester_id": user_id("admin@duty.e2e")}),
    );
    assert_eq!(
        own.problem(422, "/problems/validation").errors[0].code,
        "not_allowed"
    );
}

#[test]
fn a_ticket_opened_as_the_wrong_thing_is_reclassified_until_points_move() {
    let tag = "reclass";
    desk(1902, tag, 1000);
    let (mut user, mut eng, mut admin) =
        (sign("user", tag), sign("engineer", tag), sign("admin", tag));
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "I need a new laptop"}),
        ),
        201,
    );
    let tid = id(&t);
    let path = format!("/api/v1/tickets/{tid}/class");
    let missing = put(&mut eng, &path, json!({"to": "quoted", "reason": " "}));
    assert_eq!(
        missing.problem(422, "/problems/validation").errors[0].field,
        "reason"
    );
    assert_eq!(
        put(&mut user, &path, json!({"to": "quoted", "reason": "x"})).status,
        403
    );
    let r = ok(
        put(
            &mut eng,
            &path,
            json!({"to": "quoted", "reason": "A new laptop is a purchase, not a fault"}),
        ),
        200,
    );
    assert_eq!(
        (
            r["class"].as_str(),
            r["kind"].as_str(),
            r["status"].as_str()
        ),
        (Some("quoted"), Some("service_request"), Some("new"))
    );
    assert!(r["steps"]
        .as_array()
        .expect("steps")
        .contains(&json!("quote")));
    // The client reads why on the timeline.
    let timeline = ok(user.get(&format!("/api/v1/tickets/{tid}/timeline")), 200);
    let event = timeline["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["kind"] == "reclassified")
        .cloned()
        .expect("a reclassified event");
    assert_eq!(
        (
            event["from"].as_str(),
            event["status"].as_str(),
            event["text"].as_str()
        ),
        (
            Some("incident"),
            Some("quoted"),
            Some("A new laptop is a purchase, not a fault")
        )
    );
    // Quoted and approved: points are held, and the class is fixed (409 naming why).
    let q = ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{tid}/quotes"),
            json!({"points": "2.00", "scope": "Order and set up", "valid_days": 7}),
        ),
        201,
    );
    let quote = q["quotes"][0]["id"].as_i64().expect("a quote");
    ok(
        admin.call("POST", &format!("/api/v1/quotes/{quote}/approval"), None),
        200,
    );
    let locked = put(
        &mut eng,
        &path,
        json!({"to": "incident", "reason": "Was a fault after all"}),
    );
    let p = locked.problem(409, "/problems/ticket-locked");
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("ticket", "points_held")
    );
    assert!(!steps(&mut eng, tid).contains(&"reclassify".to_owned()));
    // A standard request back to an incident keeps going; a request with an open quote loses it.
    let s = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "service_request", "title": "Reset my password",
                   "catalogue_id": item(tag, "Standard")}),
        ),
        201,
    );
    let back = ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{}/class", id(&s)),
            json!({"to": "incident", "reason": "It is an outage"}),
        ),
        200,
    );
    assert_eq!(
        (back["kind"].as_str(), back["catalogue"].is_null()),
        (Some("incident"), true)
    );
}

#[test]
fn the_client_confirms_a_fix_or_reopens_it_and_silence_closes_it() {
    let tag = "confirm";
    desk(1903, tag, 1000);
    let (mut user, mut eng, mut admin) =
        (sign("user", tag), sign("engineer", tag), sign("admin", tag));
    let open = |c: &mut Caller, title: &str| {
        id(&ok(
            post(
                c,
                "/api/v1/tickets",
                json!({"kind": "incident", "title": title}),
            ),
            201,
        ))
    };
    let resolve = |c: &mut Caller, t: i64| {
        ok(
            put(
                c,
                &format!("/api/v1/tickets/{t}/status"),
                json!({"status": "resolved"}),
            ),
            200,
        )
    };
    let t = open(&mut user, "Wi-Fi drops");
    let r = resolve(&mut eng, t);
    assert!(
        r["closes_at"].as_i64().is_some(),
        "a resolved incident says when it closes"
    );
    assert_eq!(steps(&mut user, t), ["confirm", "not_fixed"]);
    // Engineers do not confirm for the client.
    assert_eq!(
        eng.call("POST", &format!("/api/v1/tickets/{t}/confirmation"), None)
            .status,
        403
    );
    let no_reason = post(
        &mut user,
        &format!("/api/v1/tickets/{t}/reopening"),
        json!({"reason": ""}),
    );
    assert_eq!(
        no_reason.problem(422, "/problems/validation").errors[0].field,
        "reason"
    );
    let back = ok(
        post(
            &mut user,
            &format!("/api/v1/tickets/{t}/reopening"),
            json!({"reason": "Still drops at 5 pm"}),
        ),
        200,
    );
    assert_eq!(
        (back["status"].as_str(), back["closes_at"].is_null()),
        (Some("in_progress"), true)
    );
    resolve(&mut eng, t);
    // The client admin speaks for the organisation too.
    let done = ok(
        admin.call("POST", &format!("/api/v1/tickets/{t}/confirmation"), None),
        200,
    );
    assert_eq!(done["status"], json!("closed"));
    let kinds: Vec<String> = ok(user.get(&format!("/api/v1/tickets/{t}/timeline")), 200)["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(kinds.contains(&"reopened".to_owned()) && kinds.contains(&"confirmed".to_owned()));
    let again = admin.call("POST", &format!("/api/v1/tickets/{t}/confirmation"), None);
    assert_eq!(again.status, 409);

    // Silence: a day before the auto-close (5 days by default) the requester is told once;
    // at it, the ticket closes by itself.
    let quiet = open(&mut user, "Monitor flickers");
    resolve(&mut eng, quiet);
    d1(&format!(
        "UPDATE tickets SET resolved_at = unixepoch() - 4 * 86400 - 3600 WHERE id = {quiet}"
    ))
    .expect("four days ago");
    scheduled();
    scheduled();
    let soon = notices(quiet)
        .into_iter()
        .filter(|(_, k)| k == "closing_soon")
        .collect::<Vec<_>>();
    assert_eq!(soon, pairs(&[("user@confirm.e2e", "closing_soon")]));
    assert_eq!(letters("user@confirm.e2e", "closing_soon"), 1);
    assert_eq!(
        ok(user.get(&format!("/api/v1/tickets/{quiet}")), 200)["status"],
        json!("resolved")
    );
    d1(&format!(
        "UPDATE tickets SET resolved_at = unixepoch() - 5 * 86400 - 60 WHERE id = {quiet}"
    ))
    .expect("five days ago");
    scheduled();
    let closed = ok(user.get(&format!("/api/v1/tickets/{quiet}")), 200);
    assert_eq!(closed["status"], json!("closed"));
    let auto = ok(user.get(&format!("/api/v1/tickets/{quiet}/timeline")), 200);
    assert!(auto["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|e| e["kind"] == "auto_closed"));
}

#[test]
fn disputes_and_recorded_approvals_reach_who_must_act() {
    let tag = "decide";
    let org = desk(1904, tag, 1000);
    let (mut user, mut eng, mut admin, mut manager) = (
        sign("user", tag),
        sign("engineer", tag),
        sign("admin", tag),
        sign("manager", tag),
    );
    // A client-caused incident, charged; the admin disputes; the manager hears of it at once.
    let t = id(&ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Deleted the share"}),
        ),
        201,
    ));
    ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{t}/work"),
            json!({"minutes": 45}),
        ),
        201,
    );
    ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{t}/status"),
            json!({"status": "resolved"}),
        ),
        200,
    );
    ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{t}/cause"),
            json!({"cause": "client_caused", "explanation": "A user deleted it"}),
        ),
        200,
    );
    // The admin's home lists the charge open to dispute, with its deadline; the user's does not.
    let home = ok(admin.get("/api/v1/desk"), 200);
    let charge = home["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["kind"] == "charge" && d["ticket_id"] == json!(t))
        .cloned()
        .expect("the charge");
    assert_eq!(charge["points"], json!("0.75"));
    assert!(charge["until"].as_i64().is_some());
    assert!(!ok(user.get("/api/v1/desk"), 200)["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .any(|d| d["kind"] == "charge"));
    // The charge asks the admin; the user who asked reads that their admin may dispute it.
    let told = notices(t);
    assert!(told.contains(&("admin@decide.e2e".into(), "charge_made".into())));
    assert!(told.contains(&("user@decide.e2e".into(), "ticket_changed".into())));
    assert!(!told.contains(&("user@decide.e2e".into(), "charge_made".into())));
    ok(
        post(
            &mut admin,
            &format!("/api/v1/tickets/{t}/dispute"),
            json!({"reason": "We did not"}),
        ),
        201,
    );
    assert!(notices(t).contains(&("manager@decide.e2e".into(), "dispute_opened".into())));
    assert_eq!(letters("manager@decide.e2e", "dispute_opened"), 1);
    let count = ok(manager.get("/api/v1/desk"), 200)["queues"]
        .as_array()
        .expect("queues")
        .iter()
        .find(|q| q["queue"] == "disputes")
        .and_then(|q| q["count"].as_i64());
    assert!(count.is_some_and(|n| n >= 1));
    let queue = ok(manager.get("/api/v1/tickets?queue=disputes"), 200);
    assert!(queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["id"] == json!(t)));

    // A quote approved by phone: the manager records it (same money as approveQuote), the
    // admin hears of it and may say they never approved it; the managers hear of that.
    let r = id(&ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "service_request",
        "title": "Set up a scanner", "catalogue_id": item(tag, "Quoted")}),
        ),
        201,
    ));
    let q = ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{r}/quotes"),
            json!({"points": "2.50", "scope": "Install the scanner", "valid_days": 7}),
        ),
        201,
    );
    let quote = q["quotes"][0]["id"].as_i64().expect("a quote");
    // The admin is asked to decide; the user who asked is told it waits for their admin.
    let told = notices(r);
    assert!(told.contains(&("admin@decide.e2e".into(), "quote_awaiting".into())));
    assert!(told.contains(&("user@decide.e2e".into(), "ticket_changed".into())));
    assert!(!told.contains(&("user@decide.e2e".into(), "quote_awaiting".into())));
    let waiting = ok(admin.get("/api/v1/desk"), 200);
    let d = waiting["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["kind"] == "quote")
        .cloned()
        .expect("the quote waits");
    assert_eq!(
        (d["points"].as_str(), d["scope"].as_str()),
        (Some("2.50"), Some("Install the scanner"))
    );
    assert!(steps(&mut manager, r).contains(&"record_approval".to_owned()));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let body = json!({"approver_id": user_id("admin@decide.e2e"), "approved_at": now - 600,
        "channel": "phone", "note": "Anna said yes on the phone"})
    .to_string();
    let path = format!("/api/v1/quotes/{quote}/recorded-approval");
    assert_eq!(
        eng.post_keyed(&path, "decide-record-eng", &body).status,
        403
    );
    let wrong = json!({"approver_id": user_id("user@decide.e2e"), "approved_at": now - 600, "channel": "phone"});
    assert_eq!(
        manager
            .post_keyed(&path, "decide-record-wrong", &wrong.to_string())
            .problem(422, "/problems/validation")
            .errors[0]
            .field,
        "approver_id"
    );
    let before = balance(org);
    let recorded = ok(manager.post_keyed(&path, "decide-record", &body), 200);
    assert_eq!(
        (recorded["status"].as_str(), recorded["held"].as_str()),
        (Some("in_progress"), Some("2.50"))
    );
    assert_eq!(recorded["recorded_approval"]["channel"], json!("phone"));
    // A retry with the same key changes nothing.
    ok(manager.post_keyed(&path, "decide-record", &body), 200);
    assert_eq!(balance(org), before, "a hold moves no balance");
    assert_eq!(
        ok(
            admin.get(&format!("/api/v1/organizations/{org}/balance")),
            200
        )["held"],
        json!("2.50")
    );
    assert!(notices(r).contains(&("admin@decide.e2e".into(), "approval_recorded".into())));
    let timeline = d1_rows(&format!(
        "SELECT COUNT(*) AS n FROM timeline WHERE ticket_id = {r} AND kind = 'approval_recorded'"
    ));
    assert_eq!(timeline[0]["n"], json!(1));
    let audit = d1_rows(&format!(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'quote.record_approval' \
         AND object = 'quote:{quote}'"
    ));
    assert_eq!(
        audit[0]["n"],
        json!(1),
        "audit-logged once, the retry included"
    );
    assert!(ok(admin.get("/api/v1/desk"), 200)["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .any(|d| d["kind"] == "approval"));
    let disputed = ok(
        post(
            &mut admin,
            &format!("/api/v1/quotes/{quote}/recorded-approval/dispute"),
            json!({"reason": "I did not approve this"}),
        ),
        200,
    );
    assert!(disputed["recorded_approval"]["disputed_at"]
        .as_i64()
        .is_some());
    assert!(notices(r).contains(&("manager@decide.e2e".into(), "dispute_opened".into())));
    assert_eq!(
        post(
            &mut admin,
            &format!("/api/v1/quotes/{quote}/recorded-approval/dispute"),
            json!({"reason": "again"})
        )
        .status,
        409
    );
}

#[test]
fn cancelling_after_work_charges_the_time_spent_capped_at_the_quote() {
    let tag = "cancel";
    let org = desk(1905, tag, 1000);
    let (mut user, mut eng, mut admin) =
        (sign("user", tag), sign("engineer", tag), sign("admin", tag));
    let r = id(&ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "service_request",
        "title": "Move the office network", "catalogue_id": item(tag, "Quoted")}),
        ),
        201,
    ));
    let q = ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{r}/quotes"),
            json!({"points": "3.00", "scope": "Move it", "valid_days": 7}),
        ),
        201,
    );
    let quote = q["quotes"][0]["id"].as_i64().expect("a quote");
    ok(
        admin.call("POST", &format!("/api/v1/quotes/{quote}/approval"), None),
        200,
    );
    ok(
        post(
            &mut eng,
            &format!("/api/v1/tickets/{r}/work"),
            json!({"minutes": 50}),
        ),
        201,
    );
    // The client may no longer cancel: work was logged.
    let refused = admin.call("POST", &format!("/api/v1/tickets/{r}/cancellation"), None);
    assert_eq!(
        refused.problem(409, "/problems/ticket-locked").errors[0].code,
        "work_logged"
    );
    assert!(!steps(&mut admin, r).contains(&"cancel".to_owned()));
    // Staff see what it would charge: 50 min → 60 min under 15-minute steps = 1.00 point.
    let shown = ok(eng.get(&format!("/api/v1/tickets/{r}")), 200);
    assert_eq!(shown["cancellation"]["points"], json!("1.00"));
    assert_eq!(shown["cancellation"]["billed_minutes"], json!(60));
    let before = balance(org);
    let done = ok(
        eng.call("POST", &format!("/api/v1/tickets/{r}/cancellation"), None),
        200,
    );
    assert_eq!(
        (
            done["status"].as_str(),
            done["held"].as_str(),
            done["cost"].as_str()
        ),
        (Some("cancelled"), Some("0.00"), Some("1.00"))
    );
    assert_eq!(balance(org), before - 100);
    let entry = d1_rows(&format!(
        "SELECT reason FROM ledger_entries WHERE org_id = {org} AND kind = 'charge'"
    ));
    assert!(entry[0]["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("50 min logged"));
    pointdesk_e2e::assert_books_agree();
}

#[test]
fn the_plan_in_plain_terms_and_a_threshold_that_follows_the_allotment() {
    let tag = "terms";
    let org = desk(1906, tag, 1000);
    let (mut user, mut eng, mut manager, mut admin) = (
        sign("user", tag),
        sign("engineer", tag),
        sign("manager", tag),
        sign("admin", tag),
    );
    let terms = ok(user.get("/api/v1/plan-terms"), 200);
    assert_eq!(terms["increment_minutes"], json!(15));
    assert_eq!(terms["overdraft"], json!("never"));
    assert_eq!(
        terms["allotment"]["total"],
        json!("10.00"),
        "10 base + 0 seats"
    );
    assert_eq!(terms["standard_items"], json!(["Standard terms"]));
    assert_eq!(terms["quoted_items"], json!(["Quoted terms"]));
    assert_eq!(
        (
            terms["dispute_window_days"].as_i64(),
            terms["auto_close_days"].as_i64()
        ),
        (Some(14), Some(5))
    );
    assert_eq!(eng.get("/api/v1/plan-terms").status, 403);
    // Seats change the allotment; a default threshold follows it (a fifth), a chosen one stays.
    let o = ok(
        manager.call(
            "PATCH",
            &format!("/api/v1/organizations/{org}"),
            Some(&json!({"seats": 10}).to_string()),
        ),
        200,
    );
    assert_eq!(
        (o["threshold"].as_str(), o["threshold_custom"].as_bool()),
        (Some("4.00"), Some(false))
    );
    ok(
        admin.call(
            "PATCH",
            &format!("/api/v1/organizations/{org}"),
            Some(&json!({"threshold": "7.00"}).to_string()),
        ),
        200,
    );
    let o = ok(
        manager.call(
            "PATCH",
            &format!("/api/v1/organizations/{org}"),
            Some(&json!({"seats": 20}).to_string()),
        ),
        200,
    );
    assert_eq!(
        (o["threshold"].as_str(), o["threshold_custom"].as_bool()),
        (Some("7.00"), Some(true))
    );
    // A new organisation without a threshold gets a fifth of its allotment.
    let plan = d1_rows("SELECT id FROM plans WHERE provider_id = 1906")[0]["id"]
        .as_i64()
        .expect("a plan");
    let created = ok(
        manager.call(
            "POST",
            "/api/v1/organizations",
            Some(&json!({"name": "Terms Two", "plan_id": plan, "seats": 5}).to_string()),
        ),
        201,
    );
    assert_eq!(created["threshold"], json!("3.00"), "(10 + 5 × 1) / 5");
    // Desk settings: the manager changes the auto-close; it shows in the terms.
    ok(
        put(
            &mut manager,
            "/api/v1/desk-settings",
            json!({"auto_close_days": 3, "dispute_window_days": 14}),
        ),
        200,
    );
    assert_eq!(
        put(
            &mut manager,
            "/api/v1/desk-settings",
            json!({"auto_close_days": 0, "dispute_window_days": 14})
        )
        .problem(422, "/problems/validation")
        .errors[0]
            .field,
        "auto_close_days"
    );
    assert_eq!(
        ok(user.get("/api/v1/plan-terms"), 200)["auto_close_days"],
        json!(3)
    );
}
