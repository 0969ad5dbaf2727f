//! The schema asserts what the domain asserts (the same property twice): run SQL straight
//! against the test server's local D1 (through wrangler, the real local D1) and watch the
//! constraints refuse what the domain would never decide.

use pointdesk_e2e::d1;

/// A provider and a client organisation with this id, for a test's own rows.
fn organisation(id: i64) {
    d1(&format!(
        "INSERT OR IGNORE INTO providers (id, name) VALUES ({id}, 'Schema test provider {id}');
         INSERT OR IGNORE INTO organisations (id, provider_id, name) VALUES ({id}, {id}, 'Schema test org {id}');"
    ))
    .unwrap_or_else(|e| panic!("organisation {id}: {e}"));
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
    organisation(900);
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
    // Leave books that agree with their entries (`check-ledger` runs after the suite).
    d1(&format!(
        "{BLOCK} VALUES (900, 1, 'grant:2026-11', 2000, 2000, 0, '2026-11', 'schema:grant:900', 0) ON CONFLICT DO NOTHING;
         INSERT OR IGNORE INTO entry_moves (entry_id, org_id, block_no, points)
             SELECT id, 900, 1, 2000 FROM ledger_entries WHERE idempotency_key = 'schema:grant:900';
         UPDATE organisations SET balance = 2000 WHERE id = 900;"
    ))
    .unwrap();
}

const BLOCK: &str = "INSERT INTO credit_blocks (org_id, block_no, source, amount, remaining, reserved, expires, created_key, created_at)";

fn count(sql: &str) -> i64 {
    let out = d1(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let json: serde_json::Value =
        serde_json::from_str(out.trim_start_matches(|c| c != '[')).expect("wrangler's JSON");
    json[0]["results"][0]["n"]
        .as_i64()
        .expect("a count named n")
}

#[test]
fn a_decision_made_on_an_older_version_aborts_its_whole_batch() {
    organisation(910);
    let version = count("SELECT version AS n FROM organisations WHERE id = 910");
    // Decided on `version`, written as one batch: the step to version + 1 succeeds once...
    d1(&format!(
        "UPDATE organisations SET version = {next} WHERE id = 910;
         INSERT INTO applied_events (idempotency_key, org_id, at, fingerprint) VALUES ('schema:v:{next}', 910, 0, 'a');",
        next = version + 1
    ))
    .unwrap();
    // ...and a second decision made on the same `version` is refused, with everything it wrote.
    refused(
        &format!(
            "INSERT INTO applied_events (idempotency_key, org_id, at, fingerprint) VALUES ('schema:v:stale', 910, 0, 'b');
             UPDATE organisations SET version = {next} WHERE id = 910;",
            next = version + 1
        ),
        "stale account version",
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM applied_events WHERE idempotency_key = 'schema:v:stale'"),
        0,
        "the batch was rolled back"
    );
    assert_eq!(
        count("SELECT version AS n FROM organisations WHERE id = 910"),
        version + 1
    );
}

#[test]
fn credit_blocks_keep_their_source_amount_and_expiry() {
    organisation(920);
    d1(&format!(
        "{BLOCK} VALUES (920, 1, 'grant:2026-11', 2000, 2000, 0, '2026-11', 'schema:b1', 0)
         ON CONFLICT DO NOTHING;
         {BLOCK} VALUES (920, 2, 'purchase:5', 1000, 1000, 0, NULL, 'schema:b2', 0)
         ON CONFLICT DO NOTHING;"
    ))
    .unwrap();
    // Bought points never expire; allotment always does.
    refused(
        &format!("{BLOCK} VALUES (920, 3, 'purchase:6', 1000, 1000, 0, '2026-11', 'k', 0)"),
        "CHECK",
    );
    refused(
        &format!("{BLOCK} VALUES (920, 3, 'grant:2026-12', 1000, 1000, 0, NULL, 'k', 0)"),
        "CHECK",
    );
    refused(
        "UPDATE credit_blocks SET expired = 1 WHERE org_id = 920 AND block_no = 2",
        "CHECK",
    );
    refused(
        &format!("{BLOCK} VALUES (920, 3, 'gift:1', 1000, 1000, 0, NULL, 'k', 0)"),
        "CHECK",
    );
    // Reserved ≤ remaining ≤ amount.
    refused(
        "UPDATE credit_blocks SET reserved = 2001 WHERE org_id = 920 AND block_no = 1",
        "CHECK",
    );
    refused(
        "UPDATE credit_blocks SET remaining = 2001 WHERE org_id = 920 AND block_no = 1",
        "CHECK",
    );
    refused(
        "UPDATE credit_blocks SET remaining = -1 WHERE org_id = 920 AND block_no = 1",
        "CHECK",
    );
    refused(
        "UPDATE credit_blocks SET source = 'purchase:1', expires = NULL WHERE org_id = 920 AND block_no = 1",
        "never change",
    );
    refused(
        "UPDATE credit_blocks SET amount = 5000 WHERE org_id = 920 AND block_no = 2",
        "never change",
    );
    refused(
        "DELETE FROM credit_blocks WHERE org_id = 920",
        "never removed",
    );
    d1("UPDATE credit_blocks SET expired = 1, remaining = 0 WHERE org_id = 920 AND block_no = 1")
        .unwrap();
    refused(
        "UPDATE credit_blocks SET expired = 0 WHERE org_id = 920 AND block_no = 1",
        "stays expired",
    );
    // The entries these blocks stand for, so the books agree (`check-ledger` runs after).
    d1(&format!(
        "{ENTRY} VALUES (920, 'grant', 2000, 'Allotment', 'period:2026-11', 'schema:920:g', 0, 2000) ON CONFLICT DO NOTHING;
         {ENTRY} VALUES (920, 'purchase', 1000, 'Top-up', 'payment:5', 'schema:920:p', 0, 3000) ON CONFLICT DO NOTHING;
         {ENTRY} VALUES (920, 'expiry', -2000, 'Expired', 'period:2026-11', 'schema:920:e', 0, 1000) ON CONFLICT DO NOTHING;
         UPDATE organisations SET balance = 1000 WHERE id = 920;"
    ))
    .unwrap();
}

#[test]
fn entries_record_their_moves_and_repayments_move_no_balance() {
    organisation(930);
    d1(&format!(
        "{BLOCK} VALUES (930, 1, 'purchase:9', 500, 500, 0, NULL, 'schema:m1', 0) ON CONFLICT DO NOTHING;
         {ENTRY} VALUES (930, 'purchase', 500, 'Top-up', 'payment:9', 'schema:purchase:930', 0, 500)
         ON CONFLICT DO NOTHING;
         INSERT OR IGNORE INTO entry_moves (entry_id, org_id, block_no, points)
             SELECT id, 930, 1, 500 FROM ledger_entries WHERE idempotency_key = 'schema:purchase:930';"
    ))
    .unwrap();
    refused(
        "UPDATE entry_moves SET points = 1 WHERE org_id = 930",
        "append-only",
    );
    refused("DELETE FROM entry_moves WHERE org_id = 930", "append-only");
    refused(
        "INSERT INTO entry_moves (entry_id, org_id, block_no, points)
             SELECT id, 930, 7, 5 FROM ledger_entries WHERE idempotency_key = 'schema:purchase:930'",
        "FOREIGN KEY",
    );
    // A repayment changes no balance and always reduces debt.
    refused(
        &format!(
            "{ENTRY} VALUES (930, 'repayment', 5, 'r', 'period:2026-11', 'schema:r1', 0, 505)"
        ),
        "CHECK",
    );
    refused(
        "INSERT INTO ledger_entries (org_id, kind, amount, reason, reference, idempotency_key, at, balance_after, debt_change) VALUES (930, 'repayment', 0, 'r', 'period:2026-11', 'schema:r2', 0, 500, 0)",
        "CHECK",
    );
    d1("INSERT OR IGNORE INTO ledger_entries (org_id, kind, amount, reason, reference, idempotency_key, at, balance_after, debt_change) VALUES (930, 'repayment', 0, '5.00 repaid', 'period:2026-11', 'schema:r3', 0, 500, -500)")
        .unwrap();
    // An expiry may carry everything over (amount 0) but never adds points.
    refused(
        &format!("{ENTRY} VALUES (930, 'expiry', 5, 'e', 'period:2026-11', 'schema:e1', 0, 505)"),
        "CHECK",
    );
    refused(
        "INSERT INTO outstanding_charges (org_id, ticket_id, points) VALUES (930, 1, 0)",
        "CHECK",
    );
    d1("UPDATE organisations SET balance = 500 WHERE id = 930").unwrap();
}
