-- Demo data for `cargo xtask dev`. Idempotent: every row has a fixed id or idempotency key.
-- The blocks and moves are what domain::ledger decides for the same events: November's grant
-- arrives as a block that expires at the end of November, and the charge draws from it.
INSERT OR IGNORE INTO providers (id, name, utc_offset_minutes) VALUES (1, 'Northwind IT Support', 180);
-- Plans: Acme's 8 + 12 seats × 1 = 20.00; Globex's 20 + 10 × 1.5 + monitoring 5 = 40.00;
-- Initech's 10 + 4 × 0.5 = 12.00 — the grants below.
INSERT OR IGNORE INTO plans (id, provider_id, name, base, per_seat, options, increment_minutes, minimum_charge, rollover, rollover_cap, overdraft) VALUES
    (1, 1, 'Standard', 800, 100, '[{"code":"monitoring","name":"Server monitoring","points":"4.00"}]', 15, 0, 'capped', 500, 'incidents_only'),
    (2, 1, 'Premium', 2000, 150, '[{"code":"monitoring","name":"Server monitoring","points":"5.00"},{"code":"backup","name":"Backup checks","points":"2.00"}]', 6, 0, 'full', NULL, 'always'),
    (3, 1, 'Basic', 1000, 50, '[]', 15, 25, 'none', NULL, 'never');
INSERT OR IGNORE INTO organisations (id, provider_id, name, balance, version, open_period, last_grant, debt, next_block, plan_id, seats, option_codes, threshold, alert_recipients, locale) VALUES
    (1, 1, 'Acme Dental Clinic', 1925, 2, '2026-11', '2026-11', 0, 2, 1, 12, '[]', 500, '[4]', 'ru'),
    (2, 1, 'Globex Logistics', 4000, 1, '2026-11', '2026-11', 0, 2, 2, 10, '["monitoring"]', 1000, '[6]', 'en'),
    (3, 1, 'Initech', 1200, 1, '2026-11', '2026-11', 0, 2, 3, 4, '[]', 300, '[8]', 'en');
-- Everyone's password is `pointdesk-demo` (Argon2id, OWASP parameters).
INSERT OR IGNORE INTO users (id, provider_id, org_id, email, name, role, locale, password_hash) VALUES
    (1, 1, NULL, 'manager@provider.test', 'Марина Петрова', 'manager', 'ru', '$argon2id$v=19$m=19456,t=2,p=1$cG9pbnRkZXNrLWRlbW8tc2FsdA$CI5CMgnv2Z1nXh2gX1UpYIp+jtDP6nmgy8usTKdxoWM'),
    (2, 1, NULL, 'engineer@provider.test', 'Олег Смирнов', 'engineer', 'ru', '$argon2id$v=19$m=19456,t=2,p=1$cG9pbnRkZXNrLWRlbW8tc2FsdA$CI5CMgnv2Z1nXh2gX1UpYIp+jtDP6nmgy8usTKdxoWM'),
    (3, 1, NULL, 'engineer2@provider.test', 'Dina Kim', 'engineer', 'en', '$argon2id$v=19$m=19456,t=2,p=1$cG9pbnRkZXNrLWRlbW8tc2FsdA$CI5CMgnv2Z1nXh2gX1UpYIp+jtDP6nmgy8usTKdxoWM'),
    (4, 1, 1, 'admin@acme.test', 'Анна Соколова', 'client_admin', 'ru', '$argon2id$v=19$m=19456,t=2,p=1$cG9pbnRkZXNrLWRlbW8tc2FsdA$CI5CMgnv2Z1nXh2gX1UpYIp+jtDP6nmgy8usTKdxoWM'),
    (5, 1, 1, 'user@acme.test', 'Игорь Лебедев', 'client_user', 'ru', '$argon2id$v=19$m=19456,t=2,p=1$cG9pbnRkZXNrLWRlbW8tc2FsdA$CI5CMgnv2Z1nXh2gX1UpYIp+jtDP6nmgy8usTKdxoWM'),
    (6, 1, 2, 'admin@globex.test', 'Greta Holm', 'client_admin', 'en', '$argon2id$v=19$m=19456,t=2,p=1$cG9pbnRkZXNrLWRlbW8tc2FsdA$CI5CMgnv2Z1nXh2gX1UpYIp+jtDP6nmgy8usTKdxoWM'),
    (7, 1, 2, 'user@globex.test', 'Tom Berg', 'client_user', 'en', '$argon2id$v=19$m=19456,t=2,p=1$cG9pbnRkZXNrLWRlbW8tc2FsdA$CI5CMgnv2Z1nXh2gX1UpYIp+jtDP6nmgy8usTKdxoWM'),
    (8, 1, 3, 'admin@initech.test', 'Peter Gibbons', 'client_admin', 'en', '$argon2id$v=19$m=19456,t=2,p=1$cG9pbnRkZXNrLWRlbW8tc2FsdA$CI5CMgnv2Z1nXh2gX1UpYIp+jtDP6nmgy8usTKdxoWM');
INSERT OR IGNORE INTO credit_blocks (org_id, block_no, source, amount, remaining, reserved, expires, expired, created_key, created_at) VALUES
    (1, 1, 'grant:2026-11', 2000, 1925, 0, '2026-11', 0, 'grant:1:2026-11', 1793480400),
    (2, 1, 'grant:2026-11', 4000, 4000, 0, '2026-11', 0, 'grant:2:2026-11', 1793480400),
    (3, 1, 'grant:2026-11', 1200, 1200, 0, '2026-11', 0, 'grant:3:2026-11', 1793480400);
INSERT OR IGNORE INTO ledger_entries (id, org_id, kind, amount, reason, reference, actor_id, idempotency_key, at, balance_after, debt_change) VALUES
    (1, 1, 'grant', 2000, 'Allotment for 2026-11', 'period:2026-11', NULL, 'grant:1:2026-11', 1793480400, 2000, 0),
    (2, 1, 'charge', -75, 'Client-caused incident #3: 2 work entries, 40 min logged, 45 min billed', 'ticket:3', NULL, 'charge:ticket:3', 1794690000, 1925, 0),
    (3, 2, 'grant', 4000, 'Allotment for 2026-11', 'period:2026-11', NULL, 'grant:2:2026-11', 1793480400, 4000, 0),
    (4, 3, 'grant', 1200, 'Allotment for 2026-11', 'period:2026-11', NULL, 'grant:3:2026-11', 1793480400, 1200, 0);
INSERT OR IGNORE INTO entry_moves (entry_id, org_id, block_no, points) VALUES
    (1, 1, 1, 2000),
    (2, 1, 1, -75),
    (3, 2, 1, 4000),
    (4, 3, 1, 1200);
INSERT OR IGNORE INTO applied_events (idempotency_key, org_id, at, fingerprint) VALUES
    ('grant:1:2026-11', 1, 1793480400, 'grant:2026-11:20.00'),
    ('charge:ticket:3', 1, 1794690000, 'charge:ticket:3:0.75'),
    ('grant:2:2026-11', 2, 1793480400, 'grant:2026-11:40.00'),
    ('grant:3:2026-11', 3, 1793480400, 'grant:2026-11:12.00');
