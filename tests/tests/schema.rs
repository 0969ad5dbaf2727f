//! The schema asserts what the domain asserts (the same property twice): run SQL straight
//! against the test server's local D1 (through wrangler, the real local D1) and watch the
//! constraints refuse what the domain would never decide.

use std::process::Command;

fn d1(sql: &str) -> Result<String, String> {
    let state = std::env::var("POINTDESK_STATE")
        .expect("POINTDESK_STATE is not set: run through `cargo xtask test`");
    let wrangler = std::env::var("POINTDESK_WRANGLER")
        .expect("POINTDESK_WRANGLER is not set: run through `cargo xtask test`");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = Command::new(wrangler)
        .args([
            "d1",
            "execute",
            "DB",
            "--local",
            "--persist-to",
            &state,
            "--json",
            "--command",
            sql,
        ])
        // Non-interactive; the offline settings come from `cargo xtask test`'s environment.
        .env("CI", "true")
        .current_dir(root)
        .output()
        .expect("wrangler runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

fn refused(sql: &str, because: &str) {
    match d1(sql) {
        Ok(out) => panic!("the schema accepted {sql}\n{out}"),
        Err(out) => assert!(
            out.contains(because),
            "{sql} was refused, but not for {because:?}:\n{out}"
        ),
    }
}

const ENTRY: &str = "INSERT INTO ledger_entries (org_id, kind, amount, reason, reference, idempotency_key, at, balance_after)";

#[test]
fn the_ledger_is_append_only_and_its_amounts_are_checked() {
    d1("INSERT OR IGNORE INTO providers (id, name) VALUES (900, 'Schema test provider');
        INSERT OR IGNORE INTO organisations (id, provider_id, name) VALUES (900, 900, 'Schema test org');")
        .unwrap();
    d1(&format!("{ENTRY} VALUES (900, 'grant', 2000, 'Allotment', 'period:2026-11', 'schema:grant:900', 0, 2000)")).unwrap();

    refused(
        "UPDATE ledger_entries SET amount = 1 WHERE idempotency_key = 'schema:grant:900'",
        "append-only",
    );
    refused(
        "DELETE FROM ledger_entries WHERE idempotency_key = 'schema:grant:900'",
        "append-only",
    );
    refused(
        &format!("{ENTRY} VALUES (900, 'grant', 2000, 'Allotment', 'period:2026-11', 'schema:grant:900', 0, 4000)"),
        "UNIQUE",
    );
    refused(
        &format!(
            "{ENTRY} VALUES (900, 'charge', 75, 'sign', 'ticket:1', 'schema:charge:1', 0, 2075)"
        ),
        "CHECK",
    );
    refused(
        &format!("{ENTRY} VALUES (900, 'grant', 0, 'zero', 'period:x', 'schema:zero', 0, 2000)"),
        "CHECK",
    );
    refused(
        &format!("{ENTRY} VALUES (900, 'gift', 5, 'kind', 'x', 'schema:kind', 0, 2005)"),
        "CHECK",
    );
    refused(
        &format!("{ENTRY} VALUES (900, 'purchase', 9007199254740993, 'too big', 'payment:1', 'schema:big', 0, 1)"),
        "CHECK",
    );
    refused(
        &format!(
            "{ENTRY} VALUES (900, 'adjustment', 5, '  ', 'adjustment:1', 'schema:blank', 0, 2005)"
        ),
        "CHECK",
    );
    refused(
        "INSERT INTO holds (quote_id, org_id, points, placed_at) VALUES (900, 900, 0, 0)",
        "CHECK",
    );
    d1("INSERT INTO holds (quote_id, org_id, points, placed_at) VALUES (901, 900, 100, 0)")
        .unwrap();
    refused(
        "INSERT INTO holds (quote_id, org_id, points, placed_at) VALUES (901, 900, 50, 0)",
        "UNIQUE",
    );
}
