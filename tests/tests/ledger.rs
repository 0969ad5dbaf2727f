//! The books over HTTP on the real local D1: the period job through `/__scheduled` (exactly once,
//! catch-up in order, rollover none / capped / full), manual adjustments and the edge-triggered
//! low-balance alarm, keyset pages, filters and the CSV — and after each, the stored balance
//! state agrees with the entries.

use pointdesk_e2e::{
    assert_books_agree, balance, d1, d1_rows, desk, get, ok, people, sign, Caller,
};
use serde_json::{json, Value};

fn scheduled() {
    let a = get("/__scheduled?cron=0+*+*+*+*");
    assert!(a.status < 300, "scheduled: {} {}", a.status, a.body);
}

/// An organisation whose plan grants 10.00 a month under `rollover`, two periods behind: its
/// open period began two months ago and nothing was ever granted.
fn behind(id: i64, tag: &str, rollover: &str, cap: &str) -> i64 {
    let org = people(id, tag);
    d1(&format!(
        "INSERT INTO plans (id, provider_id, name, base, per_seat, increment_minutes, rollover, rollover_cap, overdraft) \
           VALUES ({id}, {id}, 'Plan {tag}', 1000, 0, 15, '{rollover}', {cap}, 'never');
         UPDATE organisations SET plan_id = {id}, open_period = strftime('%Y-%m', 'now', 'start of month', '-2 months') \
           WHERE id = {org};"
    ))
    .expect("fixture");
    org
}

fn entries(org: i64) -> Vec<(String, i64, String)> {
    d1_rows(&format!(
        "SELECT kind, amount, reference FROM ledger_entries WHERE org_id = {org} ORDER BY id"
    ))
    .into_iter()
    .map(|r| {
        (
            r["kind"].as_str().unwrap_or_default().to_owned(),
            r["amount"].as_i64().unwrap_or_default(),
            r["reference"].as_str().unwrap_or_default().to_owned(),
        )
    })
    .collect()
}

#[test]
fn the_period_job_catches_up_in_order_exactly_once_per_rollover_rule() {
    let none = behind(801, "pnone", "none", "NULL");
    let capped = behind(802, "pcapped", "capped", "500");
    let full = behind(803, "pfull", "full", "NULL");
    scheduled();
    scheduled(); // a second run changes nothing
    let months: Vec<String> = d1_rows(
        "SELECT strftime('%Y-%m', 'now', 'start of month', '-2 months') AS a, \
         strftime('%Y-%m', 'now', 'start of month', '-1 months') AS b, strftime('%Y-%m', 'now') AS c",
    )[0]
    .as_object()
    .expect("months")
    .values()
    .map(|v| v.as_str().unwrap_or_default().to_owned())
    .collect();
    let (a, b, c) = (&months[0], &months[1], &months[2]);
    let p = |m: &str| format!("period:{m}");
    // none: each month's unused allotment expires whole.
    assert_eq!(
        entries(none),
        vec![
            ("grant".into(), 1000, p(a)),
            ("expiry".into(), -1000, p(a)),
            ("grant".into(), 1000, p(b)),
            ("expiry".into(), -1000, p(b)),
            ("grant".into(), 1000, p(c)),
        ]
    );
    assert_eq!(balance(none), 1000);
    // capped 5: 5 carried each time, the rest expires (the carried 5 included the second time).
    assert_eq!(
        entries(capped),
        vec![
            ("grant".into(), 1000, p(a)),
            ("expiry".into(), -500, p(a)),
            ("grant".into(), 1000, p(b)),
            ("expiry".into(), -1000, p(b)),
            ("grant".into(), 1000, p(c)),
        ]
    );
    assert_eq!(balance(capped), 1500);
    // full: nothing expires.
    assert_eq!(
        entries(full),
        vec![
            ("grant".into(), 1000, p(a)),
            ("expiry".into(), 0, p(a)),
            ("grant".into(), 1000, p(b)),
            ("expiry".into(), 0, p(b)),
            ("grant".into(), 1000, p(c)),
        ]
    );
    assert_eq!(balance(full), 3000);
    // Each grant reached the client admin once, in the centre and by mail.
    let mut admin = sign("admin", "pnone");
    let n = ok(admin.get("/api/v1/notifications"), 200);
    let grants = n["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["kind"] == "grant_arrived")
        .count();
    assert_eq!(grants, 3, "{n}");
    let mails = d1_rows("SELECT COUNT(*) AS n FROM outbox WHERE to_email = 'admin@pnone.e2e' AND kind = 'grant_arrived'");
    assert_eq!(mails[0]["n"], 3);
    assert_books_agree();
}

#[test]
fn adjustments_move_points_once_and_the_low_balance_alarm_is_edge_triggered() {
    let org = desk(804, "adj", 1000); // threshold 5.00
    let mut manager = sign("manager", "adj");
    let mut admin = sign("admin", "adj");
    let path = format!("/api/v1/organizations/{org}/adjustments");
    let adjust = |m: &mut Caller, key: &str, amount: &str| {
        m.post_keyed(
            &path,
            key,
            &json!({ "amount": amount, "reason": format!("Correction {key}") }).to_string(),
        )
    };
    let lows = |admin: &mut Caller| {
        let n = ok(admin.get("/api/v1/notifications"), 200);
        n["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["kind"] == "low_balance")
            .count()
    };
    // 10 → 6: above the threshold, no notice.
    let first = ok(adjust(&mut manager, "a1", "-4.00"), 201);
    assert_eq!(first["balance_after"], "6.00");
    assert_eq!(first["actor"], "Manager adj");
    assert_eq!(lows(&mut admin), 0);
    // The same key again: the first answer, nothing moved twice.
    let again = ok(adjust(&mut manager, "a1", "-4.00"), 201);
    assert_eq!(again["id"], first["id"]);
    // 6 → 4: crosses below 5, one notice and one mail.
    ok(adjust(&mut manager, "a2", "-2.00"), 201);
    assert_eq!(lows(&mut admin), 1);
    // 4 → 3: still below, nothing more.
    ok(adjust(&mut manager, "a3", "-1.00"), 201);
    assert_eq!(lows(&mut admin), 1);
    // 3 → 8 re-arms; 8 → 4 notifies once more.
    ok(adjust(&mut manager, "a4", "5.00"), 201);
    ok(adjust(&mut manager, "a5", "-4.00"), 201);
    assert_eq!(lows(&mut admin), 2);
    let mails = d1_rows("SELECT COUNT(*) AS n FROM outbox WHERE to_email = 'admin@adj.e2e' AND kind = 'low_balance'");
    assert_eq!(mails[0]["n"], 2);
    // The unread count falls when they are read.
    let before = ok(admin.get("/api/v1/notifications"), 200)["unread"]
        .as_i64()
        .unwrap_or(0);
    assert!(before >= 2);
    let after = ok(
        admin.call(
            "POST",
            "/api/v1/notifications/read",
            Some(r#"{"all":true}"#),
        ),
        200,
    );
    assert_eq!(after["unread"], 0);
    // Bad input is named, and changes nothing.
    let b = balance(org);
    let zero = adjust(&mut manager, "a6", "0");
    assert_eq!(zero.status, 422, "{}", zero.body);
    assert!(
        zero.body.contains("\"amount\"") && zero.body.contains("\"zero\""),
        "{}",
        zero.body
    );
    let no_reason = manager.call("POST", &path, Some(r#"{"amount":"1.00","reason":"  "}"#));
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    assert!(no_reason.body.contains("\"reason\""), "{}", no_reason.body);
    let key_reused = adjust(&mut manager, "a1", "-3.00");
    assert_eq!(key_reused.status, 422, "{}", key_reused.body);
    assert_eq!(balance(org), b);
    // A client admin may not adjust; the manager's reason is in the client's ledger.
    assert_eq!(adjust(&mut admin, "a7", "100").status, 403);
    let page = ok(
        admin.get(&format!(
            "/api/v1/organizations/{org}/ledger?kind=adjustment"
        )),
        200,
    );
    let reasons: Vec<&str> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["reason"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        reasons,
        [
            "Correction a5",
            "Correction a4",
            "Correction a3",
            "Correction a2",
            "Correction a1"
        ]
    );
    assert_books_agree();
}

#[test]
fn ledger_pages_filters_and_csv_agree_with_each_other() {
    let org = desk(805, "pages", 5000);
    let mut manager = sign("manager", "pages");
    for i in 0..7 {
        let amount = if i % 2 == 0 { "1.25" } else { "-0.50" };
        ok(
            manager.post_keyed(
                &format!("/api/v1/organizations/{org}/adjustments"),
                &format!("p{i}"),
                &json!({ "amount": amount, "reason": format!("Line {i}, \"quoted\"") }).to_string(),
            ),
            201,
        );
    }
    let mut admin = sign("admin", "pages");
    // Walk the pages three at a time: every entry once, newest first, balances chained.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = ok(
            admin.get(&format!(
                "/api/v1/organizations/{org}/ledger?limit=3{cursor}"
            )),
            200,
        );
        for e in page["entries"].as_array().expect("entries") {
            seen.push(e.clone());
        }
        match page["next"].as_i64() {
            Some(n) => cursor = format!("&before={n}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 8, "7 adjustments and the grant");
    let ids: Vec<i64> = seen.iter().map(|e| e["id"].as_i64().unwrap_or(0)).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    assert_eq!(seen[0]["balance_after"], "53.50");
    assert_eq!(seen.last().expect("grant")["kind"], "grant");
    // Filters: by kind and by period; a bad filter is named.
    let grants = ok(
        admin.get(&format!("/api/v1/organizations/{org}/ledger?kind=grant")),
        200,
    );
    assert_eq!(grants["entries"].as_array().map(Vec::len), Some(1));
    let month = d1_rows("SELECT strftime('%Y-%m', 'now') AS m")[0]["m"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let this = ok(
        admin.get(&format!(
            "/api/v1/organizations/{org}/ledger?period={month}"
        )),
        200,
    );
    assert_eq!(this["entries"].as_array().map(Vec::len), Some(8));
    let bad = admin.get(&format!(
        "/api/v1/organizations/{org}/ledger?kind=gift&limit=0"
    ));
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("\"kind\"") && bad.body.contains("\"limit\""),
        "{}",
        bad.body
    );
    // The CSV in the reader's convention (this admin reads Russian: `;`, decimal commas,
    // Russian headers): a BOM, one header, the same rows and amounts as the API.
    let csv = admin.get(&format!(
        "/api/v1/organizations/{org}/ledger.csv?period={month}"
    ));
    assert_eq!(
        csv.header("content-disposition").unwrap_or_default(),
        format!("attachment; filename=\"pointdesk-e2e-org-pages-{month}.csv\"")
    );
    assert_eq!(csv.status, 200);
    assert!(csv
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/csv"));
    let text = csv
        .body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(
        lines[0],
        "№;Когда (UTC);Вид;Баллы;Баланс после;Ссылка;Заявка;Основание;Кто"
    );
    assert_eq!(lines.len(), 9);
    let comma = |v: &Value| v.as_str().unwrap_or_default().replace('.', ",");
    for (line, e) in lines[1..].iter().zip(&seen) {
        let cells: Vec<&str> = line.splitn(6, ';').collect();
        assert_eq!(cells[0], e["id"].as_i64().unwrap_or(0).to_string());
        assert!(cells[1].ends_with('Z') && cells[1].contains('T'), "{line}");
        assert_eq!(cells[3], comma(&e["amount"]));
        assert_eq!(cells[4], comma(&e["balance_after"]));
    }
    assert!(text.contains("\"Line 6, \"\"quoted\"\"\""), "{text}");
    // The statement adds up: opening + movements = closing.
    let s = ok(
        admin.get(&format!("/api/v1/organizations/{org}/statements/{month}")),
        200,
    );
    assert_eq!(s["closing"], "53.50");
    assert_eq!(s["adjustments"].as_array().map(Vec::len), Some(7));
    // Another tenant's ledger is unknown.
    people(806, "stranger");
    let mut stranger = sign("manager", "stranger");
    assert_eq!(
        stranger
            .get(&format!("/api/v1/organizations/{org}/ledger"))
            .status,
        404
    );
    assert_eq!(
        stranger
            .get(&format!("/api/v1/organizations/{org}/ledger.csv"))
            .status,
        404
    );
    assert_books_agree();
}

/// Opens an incident, logs `minutes`, resolves it and finds it client caused: a charge.
fn charged_incident(user: &mut Caller, eng: &mut Caller, minutes: i64) -> Value {
    let t = ok(
        user.call(
            "POST",
            "/api/v1/tickets",
            Some(&json!({"kind": "incident", "title": "Broken again"}).to_string()),
        ),
        201,
    );
    let id = t["id"].as_i64().unwrap_or(0);
    let put = |c: &mut Caller, path: &str, body: Value| {
        c.call(
            "PUT",
            &format!("/api/v1/tickets/{id}{path}"),
            Some(&body.to_string()),
        )
    };
    ok(put(eng, "/status", json!({"status": "in_progress"})), 200);
    ok(
        eng.call(
            "POST",
            &format!("/api/v1/tickets/{id}/work"),
            Some(&json!({ "minutes": minutes }).to_string()),
        ),
        201,
    );
    ok(put(eng, "/status", json!({"status": "resolved"})), 200);
    ok(
        put(
            eng,
            "/cause",
            json!({"cause": "client_caused", "explanation": "Unplugged again"}),
        ),
        200,
    )
}

#[test]
fn a_charge_that_crosses_the_threshold_notifies_once_and_the_next_one_below_does_not() {
    let org = desk(807, "cross", 600); // 6.00 available, threshold 5.00
    let (mut user, mut eng, mut admin) = (
        sign("user", "cross"),
        sign("engineer", "cross"),
        sign("admin", "cross"),
    );
    let count = |admin: &mut Caller, kind: &str| {
        let n = ok(admin.get("/api/v1/notifications"), 200);
        n["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["kind"] == kind)
            .count()
    };
    let mails = || {
        d1_rows("SELECT COUNT(*) AS n FROM outbox WHERE to_email = 'admin@cross.e2e' AND kind = 'low_balance'")[0]["n"]
            .as_i64()
            .unwrap_or(-1)
    };
    let t = charged_incident(&mut user, &mut eng, 90); // 1.50: 6.00 → 4.50
    assert_eq!(t["charge"]["points"], "1.50");
    assert_eq!(count(&mut admin, "low_balance"), 1);
    assert_eq!(mails(), 1);
    // The charge itself reached the admin too, with its points.
    let n = ok(admin.get("/api/v1/notifications"), 200);
    let charge = n["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "charge_made")
        .cloned()
        .expect("a charge notice");
    assert_eq!(charge["points"], "1.50");
    charged_incident(&mut user, &mut eng, 30); // 0.50: 4.50 → 4.00, still below
    assert_eq!(count(&mut admin, "low_balance"), 1);
    assert_eq!(mails(), 1);
    let b = ok(
        admin.get(&format!("/api/v1/organizations/{org}/balance")),
        200,
    );
    assert_eq!(b["available"], "4.00");
    assert_eq!(b["used"], "2.00");
    assert_eq!(b["run_out"]["kind"], "on");
    assert_books_agree();
}
