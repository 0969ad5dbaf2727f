//! The hourly job at chosen instants (miniflare's `/cdn-cgi/local/scheduled?time=`; wrangler's
//! `/__scheduled` passes only the cron): points about to expire are
//! announced once per organisation and period, within the last week of the period in the
//! provider's time zone, and only when something would expire. Alone in its binary: running
//! the job ahead of the real clock lapses other fixtures' quotes.

use pointdesk_e2e::{d1, d1_rows, desk, get, people};

fn run_at(unix: i64) {
    let a = get(&format!(
        "/cdn-cgi/local/scheduled?cron=0+*+*+*+*&time={}",
        unix * 1000
    ));
    assert!(a.status < 300, "scheduled: {} {}", a.status, a.body);
}

fn count(sql: &str) -> i64 {
    d1_rows(sql)[0]["n"].as_i64().unwrap_or(-1)
}

#[test]
fn points_about_to_expire_are_announced_once_in_the_last_week() {
    // Two clients of a Moscow provider: 10.00 points of this month's allotment that expire
    // (no rollover), and one whose plan carries everything over (nothing expires).
    let org = desk(1951, "clock", 1000);
    people(1952, "clockfull");
    d1("UPDATE providers SET time_zone = 'Europe/Moscow' WHERE id IN (1951, 1952);
        INSERT INTO plans (id, provider_id, name, base, per_seat, increment_minutes, rollover, overdraft)
          VALUES (1952, 1952, 'Full', 1000, 0, 15, 'full', 'never');
        UPDATE organisations SET plan_id = 1952, open_period = strftime('%Y-%m', 'now'),
          granted = strftime('%Y-%m', 'now') WHERE id = 1952;")
    .expect("a carrying-over client");
    // The month ends at midnight in Moscow: 21:00 UTC the day before.
    let end = count("SELECT unixepoch(date('now', 'start of month', '+1 month')) - 3 * 3600 AS n");
    let notices = |org: i64| {
        count(&format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE org_id = {org} AND kind = 'points_expiring'"
        ))
    };
    run_at(end - 8 * 86_400);
    assert_eq!(notices(org), 0, "eight days before the end: not yet");
    run_at(end - 6 * 86_400);
    assert_eq!(notices(org), 1, "six days before: the client admin is told");
    run_at(end - 6 * 86_400 + 3_600);
    run_at(end - 2 * 86_400);
    assert_eq!(notices(org), 1, "once per period");
    assert_eq!(notices(1952), 0, "nothing expires: no notice");
    let mail = d1_rows(
        "SELECT subject, body FROM outbox WHERE to_email = 'admin@clock.e2e' AND kind = 'points_expiring'",
    );
    assert_eq!(mail.len(), 1);
    let body = mail[0]["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("10,00"),
        "the figure, in Russian notation: {body}"
    );
    let day = d1_rows(
        "SELECT strftime('%d.%m.%Y', date('now', 'start of month', '+1 month', '-1 day')) AS d",
    )[0]["d"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(body.contains(&day), "the last day, {day}: {body}");
}
