//! Service levels with a fixed clock: tickets are opened at chosen instants (a local server
//! takes "now" from `X-Pointdesk-Clock`) and the warnings job runs at chosen instants
//! (miniflare's `/cdn-cgi/local/scheduled?time=`). The week is Moscow's, Monday to Friday
//! 09:00–13:00 and 14:00–18:00: an eight-hour day with a lunch hour. The instants are in the
//! past (the week of 23 November 2026) so the job run at them lapses nobody's quotes.

use pointdesk_e2e::{d1, d1_rows, desk, get, ok, post, put, sign, Caller};
use serde_json::{json, Value};

/// Unix seconds of a Moscow wall-clock time (UTC+3 all year) in November–December 2026.
fn msk(day: &str, hm: &str) -> i64 {
    let rows = d1_rows(&format!(
        "SELECT unixepoch('{day} {hm}:00') - 3 * 3600 AS t"
    ));
    rows[0]["t"].as_i64().expect("an instant")
}

fn run_job_at(unix: i64) {
    let a = get(&format!(
        "/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*&time={}",
        unix * 1000
    ));
    assert!(a.status < 300, "scheduled: {} {}", a.status, a.body);
}

/// A provider in Moscow whose plan answers a normal ticket within 8 business hours, solves it
/// within 3 business days (24 h), and an urgent one in an hour round the clock.
fn provider(id: i64, tag: &str) -> i64 {
    let org = desk(id, tag, 1000);
    d1(&format!(
        "UPDATE providers SET time_zone = 'Europe/Moscow' WHERE id = {id};
         UPDATE plans SET sla = '[{{\"priority\":\"urgent\",\"respond_minutes\":60,\"resolve_minutes\":240,\"round_the_clock\":true}},{{\"priority\":\"normal\",\"respond_minutes\":480,\"resolve_minutes\":1440,\"round_the_clock\":false}}]' WHERE id = {id};"
    ))
    .expect("service levels");
    org
}

fn open_at(c: &mut Caller, at: i64, title: &str) -> Value {
    c.clock = Some(at);
    let t = ok(
        post(
            c,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": title, "priority": "normal"}),
        ),
        201,
    );
    c.clock = None;
    t
}

fn notices(ticket: i64, kind: &str) -> Vec<String> {
    d1_rows(&format!(
        "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.ticket_id = {ticket} AND n.kind = '{kind}' ORDER BY u.email"
    ))
    .iter()
    .map(|r| r["email"].as_str().unwrap_or_default().to_owned())
    .collect()
}

#[test]
fn deadlines_count_business_hours_skip_holidays_and_waiting_and_warn_once_in_working_time() {
    let org = provider(2101, "sla");
    let holiday_org = provider(2102, "slah");
    let (mut user, mut eng, mut manager) = (
        sign("user", "sla"),
        sign("engineer", "sla"),
        sign("manager", "sla"),
    );
    let friday = msk("2026-11-27", "17:30");

    // The calendar is the office week by default, in the provider's zone.
    let cal = ok(manager.get("/api/v1/business-calendar"), 200);
    assert_eq!(cal["time_zone"], "Europe/Moscow");
    assert_eq!(
        cal["week"][0],
        json!([{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}])
    );
    assert_eq!(cal["week"][5], json!([]));

    // Opened Friday 17:30 with 8 business hours to answer: due Monday 17:30.
    let a = open_at(&mut user, friday, "Printer offline");
    let a_id = a["id"].as_i64().expect("id");
    assert_eq!(a["sla"]["respond_by"], msk("2026-11-30", "17:30"));
    assert_eq!(a["sla"]["resolve_by"], msk("2026-12-02", "17:30"));
    assert_eq!(a["sla"]["first_response_at"], Value::Null);
    assert_eq!(a["sla"]["paused"], false);
    assert_eq!(a["sla"]["respond_minutes"], 480);

    // A holiday on that Monday moves it a day (another provider, whose manager set it).
    let mut hmanager = sign("manager", "slah");
    let mut week =
        vec![json!([{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}]); 5];
    week.extend([json!([]), json!([])]);
    let bad = put(
        &mut hmanager,
        "/api/v1/business-calendar",
        json!({"week": week, "holidays": [{"date": "2026-11-31", "yearly": false}]}),
    )
    .problem(422, "/problems/validation");
    assert_eq!(bad.errors[0].field, "holidays[0].date");
    ok(
        put(
            &mut hmanager,
            "/api/v1/business-calendar",
            json!({"week": week, "holidays": [{"date": "2026-11-30", "yearly": false, "name": "Day off"}]}),
        ),
        200,
    );
    let b = open_at(&mut sign("user", "slah"), friday, "Scanner");
    assert_eq!(b["sla"]["respond_by"], msk("2026-12-01", "17:30"));
    assert_eq!(holiday_org, b["organization"]["id"].as_i64().expect("org"));

    // Waiting for the client does not count: the engineer asks Monday 10:00 (that is the first
    // answer), the client replies Tuesday 10:00: eight business hours waited, so the fix is
    // due a day later than promised at the opening.
    let c = open_at(&mut user, friday, "Mail bounces");
    let c_id = c["id"].as_i64().expect("id");
    assert_eq!(c["sla"]["resolve_by"], msk("2026-12-02", "17:30"));
    eng.clock = Some(msk("2026-11-30", "10:00"));
    let waiting = ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{c_id}/awaiting-client"),
            json!({"awaiting": true, "note": "Which mailbox?"}),
        ),
        200,
    );
    assert_eq!(waiting["sla"]["paused"], true);
    assert_eq!(
        waiting["sla"]["first_response_at"],
        msk("2026-11-30", "10:00")
    );
    assert_eq!(waiting["sla"]["respond"], "met");
    assert!(waiting["awaiting_client"].as_bool().expect("flag"));
    user.clock = Some(msk("2026-12-01", "10:00"));
    let back = ok(
        post(
            &mut user,
            &format!("/api/v1/tickets/{c_id}/comments"),
            json!({"body": "The sales@ one"}),
        ),
        201,
    );
    user.clock = None;
    assert_eq!(back["sla"]["paused"], false);
    assert!(!back["awaiting_client"].as_bool().expect("flag"));
    assert_eq!(back["sla"]["resolve_by"], msk("2026-12-03", "17:30"));

    // A priority change recomputes from the opening: urgent is an hour, round the clock.
    eng.clock = Some(msk("2026-11-27", "17:40"));
    let urgent = ok(
        put(
            &mut eng,
            &format!("/api/v1/tickets/{c_id}/priority"),
            json!({"priority": "urgent"}),
        ),
        200,
    );
    assert_eq!(urgent["priority"], "urgent");
    assert_eq!(urgent["sla"]["round_the_clock"], true);
    assert_eq!(urgent["sla"]["respond_by"], friday + 3600);
    put(
        &mut eng,
        &format!("/api/v1/tickets/{c_id}/priority"),
        json!({"priority": "soon"}),
    )
    .problem(422, "/problems/validation");
    eng.clock = None;

    // The warnings job: at 75 % of the 8 hours (Monday 15:30) the engineers on duty hear once;
    // the breach at 17:30 is not announced after hours, but at the next opening, to the
    // engineers and the managers, once.
    run_job_at(msk("2026-11-30", "15:00"));
    assert!(notices(a_id, "sla_warning").is_empty(), "not yet at 15:00");
    run_job_at(msk("2026-11-30", "15:35"));
    assert_eq!(notices(a_id, "sla_warning"), ["engineer@sla.e2e"]);
    run_job_at(msk("2026-11-30", "16:00"));
    assert_eq!(notices(a_id, "sla_warning").len(), 1, "once");
    run_job_at(msk("2026-11-30", "19:00"));
    assert!(
        notices(a_id, "sla_breach").is_empty(),
        "no mail after hours"
    );
    run_job_at(msk("2026-12-01", "09:05"));
    assert_eq!(
        notices(a_id, "sla_breach"),
        ["engineer@sla.e2e", "manager@sla.e2e"]
    );
    run_job_at(msk("2026-12-01", "10:00"));
    assert_eq!(notices(a_id, "sla_breach").len(), 2, "once");
    let mail = d1_rows(&format!(
        "SELECT subject FROM outbox WHERE to_email = 'manager@sla.e2e' AND kind = 'sla_breach' \
         AND subject LIKE '%[#{}] missed its first-answer time'",
        a["number"]
    ));
    assert_eq!(mail.len(), 1, "one letter: {mail:?}");
    // Ticket C answered in time: no warning about its first answer.
    assert!(d1_rows(&format!(
        "SELECT 1 FROM sla_notices WHERE ticket_id = {c_id} AND clock = 'respond'"
    ))
    .is_empty());

    // The ticket says so, and the queue puts the nearest deadline first.
    eng.clock = Some(msk("2026-12-01", "10:00"));
    let seen = ok(eng.get(&format!("/api/v1/tickets/{a_id}")), 200);
    assert_eq!(seen["sla"]["breached"], true);
    assert_eq!(seen["sla"]["respond"], "breached");
    let list = ok(eng.get("/api/v1/tickets?queue=open"), 200);
    let numbers: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["sla"]["due"].as_i64())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort_unstable();
    assert_eq!(numbers, sorted, "nearest deadline first");
    let desk = ok(eng.get("/api/v1/desk"), 200);
    let overdue = desk["queues"]
        .as_array()
        .expect("queues")
        .iter()
        .find(|q| q["queue"] == "overdue")
        .expect("an overdue count");
    assert!(overdue["count"].as_u64().expect("count") >= 1);
    eng.clock = None;

    // The report: November, one client; A was never answered, C was answered Monday 10:00,
    // in time for a normal ticket but late for the urgent one it became.
    manager.clock = Some(msk("2026-12-01", "10:00"));
    let report = ok(
        manager.get("/api/v1/reports/sla?from=2026-11&to=2026-11"),
        200,
    );
    let row = &report["rows"][0];
    assert_eq!(row["organization"]["id"], org);
    assert_eq!(row["tickets"], 2);
    assert_eq!(row["respond_breached"], 2);
    assert_eq!(row["respond_met"], 0);
    assert_eq!(
        row["median_response_minutes"], 90,
        "C answered after 90 business minutes"
    );
    let csv = manager.get("/api/v1/reports/sla?from=2026-11&to=2026-11&format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("first_response_breached"), "{}", csv.body);
    assert!(csv.body.contains("E2E org sla"), "{}", csv.body);
    // Client people do not read it.
    user.get("/api/v1/reports/sla")
        .problem(403, "/problems/forbidden");
}
