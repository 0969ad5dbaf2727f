-- Demo data for `cargo xtask dev`. Idempotent: every row has a fixed id or idempotency key.
INSERT OR IGNORE INTO providers (id, name, utc_offset_minutes) VALUES (1, 'Northwind IT Support', 180);
INSERT OR IGNORE INTO organisations (id, provider_id, name, balance, grant_pool) VALUES
    (1, 1, 'Acme Dental Clinic', 0, 0),
    (2, 1, 'Globex Logistics', 0, 0);
INSERT OR IGNORE INTO ledger_entries (id, org_id, kind, amount, reason, reference, actor_id, idempotency_key, at, balance_after) VALUES
    (1, 1, 'grant', 2000, 'Allotment for 2026-11', 'period:2026-11', NULL, 'grant:1:2026-11', 1793480400, 2000),
    (2, 1, 'charge', -75, 'Client-caused incident #3: 40 min logged, 45 min billed', 'ticket:3', NULL, 'charge:ticket:3', 1794690000, 1925),
    (3, 2, 'grant', 4000, 'Allotment for 2026-11', 'period:2026-11', NULL, 'grant:2:2026-11', 1793480400, 4000);
UPDATE organisations SET balance = (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE org_id = organisations.id);
UPDATE organisations SET grant_pool = MAX(balance, 0);
