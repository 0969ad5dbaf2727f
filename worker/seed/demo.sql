-- Demo data for `cargo xtask dev`. Idempotent: every row has a fixed id or idempotency key.
-- The blocks and moves are what domain::ledger decides for the same events: November's grant
-- arrives as a block that expires at the end of November, and the charge draws from it.
INSERT OR IGNORE INTO providers (id, name, utc_offset_minutes) VALUES (1, 'Northwind IT Support', 180);
INSERT OR IGNORE INTO organisations (id, provider_id, name, balance, version, open_period, last_grant, debt, next_block) VALUES
    (1, 1, 'Acme Dental Clinic', 1925, 2, '2026-11', '2026-11', 0, 2),
    (2, 1, 'Globex Logistics', 4000, 1, '2026-11', '2026-11', 0, 2);
INSERT OR IGNORE INTO credit_blocks (org_id, block_no, source, amount, remaining, reserved, expires, expired, created_key, created_at) VALUES
    (1, 1, 'grant:2026-11', 2000, 1925, 0, '2026-11', 0, 'grant:1:2026-11', 1793480400),
    (2, 1, 'grant:2026-11', 4000, 4000, 0, '2026-11', 0, 'grant:2:2026-11', 1793480400);
INSERT OR IGNORE INTO ledger_entries (id, org_id, kind, amount, reason, reference, actor_id, idempotency_key, at, balance_after, debt_change) VALUES
    (1, 1, 'grant', 2000, 'Allotment for 2026-11', 'period:2026-11', NULL, 'grant:1:2026-11', 1793480400, 2000, 0),
    (2, 1, 'charge', -75, 'Client-caused incident #3: 2 work entries, 40 min logged, 45 min billed', 'ticket:3', NULL, 'charge:ticket:3', 1794690000, 1925, 0),
    (3, 2, 'grant', 4000, 'Allotment for 2026-11', 'period:2026-11', NULL, 'grant:2:2026-11', 1793480400, 4000, 0);
INSERT OR IGNORE INTO entry_moves (entry_id, org_id, block_no, points) VALUES
    (1, 1, 1, 2000),
    (2, 1, 1, -75),
    (3, 2, 1, 4000);
INSERT OR IGNORE INTO applied_events (idempotency_key, org_id, at, fingerprint) VALUES
    ('grant:1:2026-11', 1, 1793480400, 'grant:2026-11:20.00'),
    ('charge:ticket:3', 1, 1794690000, 'charge:ticket:3:0.75'),
    ('grant:2:2026-11', 2, 1793480400, 'grant:2026-11:40.00');
