//! What the phone app's offline outbox relies on, over HTTP on the real local runtime: the
//! timer lives on the server (started at the phone's instant, stopped into a work entry), and
//! the writes the outbox queues — work, comments, status, the timer — replayed with the same
//! `Idempotency-Key` act once.

use pointdesk_e2e::{d1_rows, desk, ok, post, sign, Caller};
use serde_json::{json, Value};

fn incident(c: &mut Caller, title: &str) -> i64 {
    let t = ok(
        post(
            c,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": title, "org_id": 2501}),
        ),
        201,
    );
    t["id"].as_i64().expect("an id")
}

fn keyed(c: &mut Caller, path: &str, key: &str, body: Value) -> (u16, Value) {
    let a = c.post_keyed(path, key, &body.to_string());
    let v = if a.body.is_empty() {
        Value::Null
    } else {
        a.json()
    };
    (a.status, v)
}

fn now() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("a clock after 1970")
            .as_secs(),
    )
    .expect("seconds fit")
}

#[test]
fn the_timer_lives_on_the_server_and_stops_into_a_work_entry() {
    desk(2501, "offline", 1000);
    let mut eng = sign("engineer", "offline");
    let mut user = sign("user", "offline");
    let id = incident(&mut user, "Printer in the basement");
    let timer = format!("/api/v1/tickets/{id}/timer");

    // Started offline half an hour ago: the phone's instant is kept.
    let started = now() - 30 * 60;
    let (s, t) = keyed(&mut eng, &timer, "tm-start-1", json!({ "at": started }));
    assert_eq!(s, 201, "{t}");
    assert_eq!(t["timer_started_at"], json!(started));
    // The outbox sends it again after a lost answer: the same answer, one timer.
    let (s, again) = keyed(&mut eng, &timer, "tm-start-1", json!({ "at": started }));
    assert_eq!((s, &again["timer_started_at"]), (201, &json!(started)));
    // Another phone of the same engineer sees it running (it is not in the browser).
    let mut other_phone = sign("engineer", "offline");
    let seen = ok(other_phone.get(&format!("/api/v1/tickets/{id}")), 200);
    assert_eq!(seen["timer_started_at"], json!(started));
    // The client sees no timer of theirs; a second start is refused with the state.
    assert_eq!(
        ok(user.get(&format!("/api/v1/tickets/{id}")), 200)["timer_started_at"],
        Value::Null
    );
    let (s, p) = keyed(&mut eng, &timer, "tm-start-2", json!({}));
    assert_eq!(s, 409, "{p}");
    assert_eq!(p["type"], json!("/problems/illegal-transition"));
    // A client may not time work.
    assert_eq!(keyed(&mut user, &timer, "tm-user", json!({})).0, 403);

    // Stopped 25 minutes 30 seconds after it started (offline too): 26 started minutes, once.
    let stop = format!("{timer}/stop");
    let body = json!({ "at": started + 25 * 60 + 30, "note": "Cleared the jam" });
    let (s, t) = keyed(&mut eng, &stop, "tm-stop-1", body.clone());
    assert_eq!(s, 201, "{t}");
    assert_eq!(t["timer_started_at"], Value::Null);
    assert_eq!(t["logged_minutes"], json!(26));
    assert_eq!(t["work"][0]["note"], json!("Cleared the jam"));
    let (s, again) = keyed(&mut eng, &stop, "tm-stop-1", body);
    assert_eq!((s, &again["logged_minutes"]), (201, &json!(26)));
    let rows = d1_rows(&format!(
        "SELECT (SELECT COUNT(*) FROM work_entries WHERE ticket_id = {id}) AS work, \
         (SELECT COUNT(*) FROM timers WHERE ticket_id = {id}) AS timers"
    ));
    assert_eq!(
        (rows[0]["work"].as_i64(), rows[0]["timers"].as_i64()),
        (Some(1), Some(0))
    );
    // Nothing runs now: stopping again is refused, not logged twice.
    let (s, _) = keyed(&mut eng, &stop, "tm-stop-2", json!({}));
    assert_eq!(s, 409);
    // A start from last week or from the next hour is refused by its field.
    for (key, at) in [("tm-old", now() - 8 * 86_400), ("tm-ahead", now() + 3_600)] {
        let (s, p) = keyed(&mut eng, &timer, key, json!({ "at": at }));
        assert_eq!(s, 422, "{p}");
        assert_eq!(p["errors"][0]["field"], json!("at"));
        assert_eq!(p["errors"][0]["code"], json!("out_of_range"));
    }
}

#[test]
fn outbox_replays_act_once() {
    desk(2502, "outbox", 1000);
    let mut eng = sign("engineer", "outbox");
    let mut user = sign("user", "outbox");
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "No network on floor -1", "org_id": 2502}),
        ),
        201,
    );
    let id = t["id"].as_i64().expect("an id");
    let base = format!("/api/v1/tickets/{id}");
    // What a phone queued in the basement, sent twice (the first answers were lost).
    for _ in 0..2 {
        for (n, minutes) in [(1, 15), (2, 30), (3, 45)] {
            let (s, t) = keyed(
                &mut eng,
                &format!("{base}/work"),
                &format!("ob-work-{n}"),
                json!({ "minutes": minutes, "note": format!("Part {n}") }),
            );
            assert_eq!(s, 201, "{t}");
        }
        let (s, t) = keyed(
            &mut eng,
            &format!("{base}/comments"),
            "ob-comment-1",
            json!({ "body": "Switch in the basement replaced" }),
        );
        assert_eq!(s, 201, "{t}");
    }
    let t = ok(eng.get(&base), 200);
    assert_eq!(t["logged_minutes"], json!(90));
    assert_eq!(t["work"].as_array().map(Vec::len), Some(3));
    let comments = d1_rows(&format!(
        "SELECT COUNT(*) AS n FROM comments WHERE ticket_id = {id}"
    ));
    assert_eq!(comments[0]["n"].as_i64(), Some(1));
    // The same key for a different comment is a conflict the outbox shows, not a new comment.
    let (s, p) = keyed(
        &mut eng,
        &format!("{base}/comments"),
        "ob-comment-1",
        json!({ "body": "Something else" }),
    );
    assert_eq!(s, 422, "{p}");
}
