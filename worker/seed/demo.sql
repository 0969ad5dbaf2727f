-- Demo data for `cargo xtask dev`. Idempotent: every row has a fixed id or idempotency key.
-- The blocks and moves are what domain::ledger decides for the same events: November's grant
-- arrives as a block that expires at the end of November, and the charge draws from it.
INSERT OR IGNORE INTO providers (id, name, utc_offset_minutes, time_zone) VALUES (1, 'Northwind IT Support', 180, 'Europe/Moscow');
-- Plans: Acme's 8 + 12 seats × 1 = 20.00; Globex's 20 + 10 × 1.5 + monitoring 5 = 40.00;
-- Initech's 10 + 4 × 0.5 = 12.00 — the grants below.
INSERT OR IGNORE INTO plans (id, provider_id, name, base, per_seat, options, increment_minutes, minimum_charge, rollover, rollover_cap, overdraft) VALUES
    (1, 1, 'Standard', 800, 100, '[{"code":"monitoring","name":"Server monitoring","points":"4.00"}]', 15, 0, 'capped', 500, 'incidents_only'),
    (2, 1, 'Premium', 2000, 150, '[{"code":"monitoring","name":"Server monitoring","points":"5.00"},{"code":"backup","name":"Backup checks","points":"2.00"}]', 6, 0, 'full', NULL, 'always'),
    (3, 1, 'Basic', 1000, 50, '[]', 15, 25, 'none', NULL, 'never');
-- Service levels: Premium answers an urgent ticket in 30 minutes round the clock; Basic's
-- normal ticket is answered within 8 business hours and solved within 3 business days.
UPDATE plans SET sla = '[{"priority":"urgent","respond_minutes":30,"resolve_minutes":240,"round_the_clock":true},{"priority":"high","respond_minutes":60,"resolve_minutes":480,"round_the_clock":false},{"priority":"normal","respond_minutes":240,"resolve_minutes":960,"round_the_clock":false},{"priority":"low","respond_minutes":480,"resolve_minutes":1920,"round_the_clock":false}]' WHERE id = 2 AND sla = '[]';
UPDATE plans SET sla = '[{"priority":"urgent","respond_minutes":60,"resolve_minutes":480,"round_the_clock":true},{"priority":"high","respond_minutes":120,"resolve_minutes":960,"round_the_clock":false},{"priority":"normal","respond_minutes":480,"resolve_minutes":1440,"round_the_clock":false},{"priority":"low","respond_minutes":960,"resolve_minutes":2400,"round_the_clock":false}]' WHERE id = 1 AND sla = '[]';
UPDATE plans SET sla = '[{"priority":"urgent","respond_minutes":120,"resolve_minutes":960,"round_the_clock":false},{"priority":"high","respond_minutes":240,"resolve_minutes":1440,"round_the_clock":false},{"priority":"normal","respond_minutes":480,"resolve_minutes":1440,"round_the_clock":false},{"priority":"low","respond_minutes":960,"resolve_minutes":2880,"round_the_clock":false}]' WHERE id = 3 AND sla = '[]';
-- Northwind's office: Monday to Friday 9–18 with lunch 13–14, Moscow time, Russia's public holidays.
INSERT OR IGNORE INTO business_calendars (provider_id, week, holidays, updated_at) VALUES (1,
    '[[[540,780],[840,1080]],[[540,780],[840,1080]],[[540,780],[840,1080]],[[540,780],[840,1080]],[[540,780],[840,1080]],[],[]]',
    '[{"date":"2026-01-01","yearly":true,"name":"Новый год"},{"date":"2026-01-02","yearly":true,"name":"Новогодние каникулы"},{"date":"2026-01-07","yearly":true,"name":"Рождество"},{"date":"2026-02-23","yearly":true,"name":"День защитника Отечества"},{"date":"2026-03-08","yearly":true,"name":"Международный женский день"},{"date":"2026-05-01","yearly":true,"name":"Праздник Весны и Труда"},{"date":"2026-05-09","yearly":true,"name":"День Победы"},{"date":"2026-06-12","yearly":true,"name":"День России"},{"date":"2026-11-04","yearly":true,"name":"День народного единства"}]',
    1793480400);
INSERT OR IGNORE INTO organisations (id, provider_id, name, balance, version, open_period, granted, debt, next_block, plan_id, seats, option_codes, threshold, alert_recipients, locale) VALUES
    (1, 1, 'Acme Dental Clinic', 1925, 2, '2026-11', '2026-11', 0, 2, 1, 12, '[]', 500, '[4]', 'ru'),
    (2, 1, 'Globex Logistics', 3800, 4, '2026-11', '2026-11', 0, 2, 2, 10, '["monitoring"]', 1000, '[6]', 'en'),
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
    (2, 1, 'grant:2026-11', 4000, 3800, 400, '2026-11', 0, 'grant:2:2026-11', 1793480400),
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

-- The service catalogue and tickets in every state (ticket n is number n). Their ledger effects
-- agree with the entries above and below: Acme's incident #3 was charged 0.75 (40 min, 15-min
-- steps) and is disputed; Globex's request #9 was charged its 2.00 quote; request #8 holds 4.00.
INSERT OR IGNORE INTO catalogue_items (id, provider_id, name, description, kind, estimate, active, created_at) VALUES
    (1, 1, 'Учётная запись для нового сотрудника', 'Почта, вход в домен, доступ к общим папкам. Входит в подписку.', 'standard', NULL, 1, 1793480400),
    (2, 1, 'Установка программы из каталога', 'Офис, браузеры, 1С-клиент, мессенджеры. Входит в подписку.', 'standard', NULL, 1, 1793480400),
    (3, 1, 'Настройка нового ноутбука', 'Установка системы, программ, перенос данных со старого. Оценивается отдельно.', 'quoted', 300, 1, 1793480400),
    (4, 1, 'Перенос почты в новый домен', 'Перенос ящиков и архивов, настройка DNS. Оценивается отдельно.', 'quoted', 800, 1, 1793480400);
-- Point packs for sale (Acme and Globex pay in roubles; an EUR pack for clients abroad; one
-- pack no longer sold).
INSERT OR IGNORE INTO point_packs (id, provider_id, name, points, price_minor, currency, active, created_at) VALUES
    (1, 1, '5 баллов', 500, 750000, 'RUB', 1, 1793480400),
    (2, 1, '10 баллов', 1000, 1400000, 'RUB', 1, 1793480400),
    (3, 1, '20 баллов', 2000, 2600000, 'RUB', 1, 1793480400),
    (4, 1, '10 points (EUR)', 1000, 90000, 'EUR', 1, 1793480400),
    (5, 1, '3 балла (архив)', 300, 480000, 'RUB', 0, 1793480400);
INSERT OR IGNORE INTO tickets (id, provider_id, org_id, number, kind, catalogue_id, catalogue_kind, title, description, priority, requester_id, assignee_id, status, cause, cause_note, charge_points, charge_at, charge_lines, charge_detail, version, created_at, updated_at) VALUES
    (1, 1, 1, 1, 'incident', NULL, NULL, 'Не печатает принтер в регистратуре', 'Принтер HP в регистратуре пишет «замятие», но бумаги внутри нет.', 'high', 5, NULL, 'new', NULL, '', NULL, NULL, NULL, NULL, 0, 1795690800, 1795690800),
    (2, 1, 1, 2, 'incident', NULL, NULL, 'Медленно работает 1С', 'С утра 1С открывает документы по минуте.', 'normal', 4, 2, 'in_progress', NULL, '', NULL, NULL, NULL, NULL, 2, 1795608000, 1795615200),
    (3, 1, 1, 3, 'incident', NULL, NULL, 'Пропали файлы в общей папке', 'Папка «Договоры» пустая.', 'urgent', 5, 2, 'resolved', 'client_caused', 'Файлы удалены с учётной записи сотрудника клиники; восстановлены из резервной копии.', 75, 1794690000, 2, '{"logged_minutes":40,"billed_minutes":45,"increment_minutes":15,"points":"0.75","rule":"rounded_up"}', 4, 1794675600, 1794690000),
    (4, 1, 1, 4, 'service_request', 3, 'quoted', 'Ноутбук для нового врача', 'Нужен рабочий ноутбук с МИС и сканером документов к понедельнику.', 'normal', 5, 2, 'awaiting_approval', NULL, '', NULL, NULL, NULL, NULL, 1, 1795600000, 1795603600),
    (5, 1, 2, 5, 'service_request', 1, 'standard', 'New starter account: Ada Lovelace', 'Starts Monday in accounting.', 'normal', 7, 3, 'in_progress', NULL, '', NULL, NULL, NULL, NULL, 1, 1795520000, 1795523600),
    (6, 1, 2, 6, 'incident', NULL, NULL, 'VPN drops every hour', 'Remote staff lose the VPN on the hour.', 'high', 6, 3, 'closed', 'standard', 'A certificate on our gateway had expired; renewed. Not caused by your staff.', NULL, NULL, NULL, NULL, 4, 1794300000, 1794400000),
    (7, 1, 3, 7, 'service_request', 4, 'quoted', 'Move mail to the new domain', 'initech.example to initech.test', 'low', 8, 3, 'declined', NULL, '', NULL, NULL, NULL, NULL, 2, 1794900000, 1795000000),
    (8, 1, 2, 8, 'service_request', 3, 'quoted', 'Laptop for the new accountant', 'Same setup as the rest of accounting.', 'normal', 6, 3, 'in_progress', NULL, '', NULL, NULL, NULL, NULL, 2, 1795300000, 1795400000),
    (9, 1, 2, 9, 'service_request', 3, 'quoted', 'Laptop for the warehouse office', 'Replace the broken one.', 'normal', 6, 3, 'completed', NULL, '', NULL, NULL, NULL, NULL, 3, 1794500000, 1794700000);
INSERT OR IGNORE INTO ticket_followers (ticket_id, user_id) VALUES
    (1, 5), (2, 4), (2, 2), (3, 5), (3, 4), (3, 2), (4, 5), (4, 2), (5, 7), (5, 3), (6, 6), (7, 8), (8, 6), (8, 3), (9, 6);
INSERT OR IGNORE INTO work_entries (id, ticket_id, engineer_id, minutes, note, on_day, at) VALUES
    (1, 2, 2, 30, 'Проверил сервер 1С: кончается место на диске с базой.', '2026-11-26', 1795615200),
    (2, 3, 2, 25, 'Нашёл в журнале удаление с учётной записи регистратуры.', '2026-11-15', 1794686400),
    (3, 3, 2, 15, 'Восстановил папку из ночной копии.', '2026-11-15', 1794688200),
    (4, 6, 3, 50, 'Renewed the gateway certificate.', '2026-11-10', 1794390000),
    (5, 5, 3, 20, 'Account and mailbox created.', '2026-11-25', 1795523600),
    (6, 9, 3, 110, 'Installed and handed over.', '2026-11-16', 1794690000);
INSERT OR IGNORE INTO quotes (id, ticket_id, org_id, points, scope, expires_at, status, created_by, created_at, decided_by, decided_at) VALUES
    (1, 4, 1, 300, 'Установка Windows, МИС, сканера; перенос профиля. 3 часа.', 1796208000, 'awaiting_approval', 2, 1795603600, NULL, NULL),
    (2, 7, 3, 800, 'Mailbox and archive migration, DNS and client setup.', 1795600000, 'declined', 3, 1794950000, 8, 1795000000),
    (3, 8, 2, 400, 'Setup, accounting software, printer; data from the shared drive.', 1796000000, 'approved', 3, 1795320000, 6, 1795400000),
    (4, 9, 2, 200, 'Setup and data transfer.', 1795000000, 'charged', 3, 1794550000, 6, 1794600000);
INSERT OR IGNORE INTO holds (quote_id, org_id, points, placed_at) VALUES (3, 2, 400, 1795400000);
INSERT OR IGNORE INTO hold_reservations (quote_id, org_id, block_no, points) VALUES (3, 2, 1, 400);
INSERT OR IGNORE INTO ledger_entries (id, org_id, kind, amount, reason, reference, actor_id, idempotency_key, at, balance_after, debt_change) VALUES
    (5, 2, 'charge', -200, 'Service request #9: Setup and data transfer.', 'quote:4', 3, 'charge:quote:4', 1794700000, 3800, 0);
INSERT OR IGNORE INTO entry_moves (entry_id, org_id, block_no, points) VALUES (5, 2, 1, -200);
INSERT OR IGNORE INTO applied_events (idempotency_key, org_id, at, fingerprint) VALUES
    ('hold:quote:4', 2, 1794600000, 'hold:quote:4:2.00:'),
    ('charge:quote:4', 2, 1794700000, 'charge:quote:4'),
    ('hold:quote:3', 2, 1795400000, 'hold:quote:3:4.00:');
INSERT OR IGNORE INTO disputes (id, ticket_id, org_id, opened_by, reason, opened_at, state) VALUES
    (1, 3, 1, 4, 'Файлы пропали после ночного обновления, сотрудник ничего не удалял.', 1794780000, 'open');
INSERT OR IGNORE INTO comments (id, ticket_id, author_id, body, internal, at) VALUES
    (1, 2, 2, 'Освобождаю место на сервере, к обеду должно стать быстрее.', 0, 1795615300),
    (2, 2, 2, 'Журналы транзакций 1С не чистятся с лета — предложить клиенту регламент.', 1, 1795615400);
INSERT OR IGNORE INTO timeline (id, ticket_id, at, actor_id, kind, internal, comment_id, entry_key, detail) VALUES
    (1, 1, 1795690800, 5, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (2, 2, 1795608000, 4, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (3, 2, 1795610000, 2, 'status', 0, NULL, NULL, '{"status":"in_progress"}'),
    (4, 2, 1795615200, 2, 'work', 0, NULL, NULL, '{"minutes":30,"text":"Проверил сервер 1С: кончается место на диске с базой."}'),
    (5, 2, 1795615300, 2, 'comment', 0, 1, NULL, '{}'),
    (6, 2, 1795615400, 2, 'comment', 1, 2, NULL, '{}'),
    (7, 3, 1794675600, 5, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (8, 3, 1794686400, 2, 'work', 0, NULL, NULL, '{"minutes":25,"text":"Нашёл в журнале удаление с учётной записи регистратуры."}'),
    (9, 3, 1794688200, 2, 'work', 0, NULL, NULL, '{"minutes":15,"text":"Восстановил папку из ночной копии."}'),
    (10, 3, 1794689000, 2, 'status', 0, NULL, NULL, '{"status":"resolved"}'),
    (11, 3, 1794690000, 2, 'cause', 0, NULL, NULL, '{"status":"client_caused","text":"Файлы удалены с учётной записи сотрудника клиники; восстановлены из резервной копии."}'),
    (12, 3, 1794690000, 2, 'ledger', 0, NULL, 'charge:ticket:3', '{}'),
    (13, 3, 1794780000, 4, 'dispute_opened', 0, NULL, NULL, '{"text":"Файлы пропали после ночного обновления, сотрудник ничего не удалял."}'),
    (14, 4, 1795600000, 5, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (15, 4, 1795603600, 2, 'quote', 0, NULL, NULL, '{"quote_id":1,"points":300,"text":"Установка Windows, МИС, сканера; перенос профиля. 3 часа."}'),
    (16, 5, 1795520000, 7, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (17, 5, 1795523600, 3, 'work', 0, NULL, NULL, '{"minutes":20,"text":"Account and mailbox created."}'),
    (18, 6, 1794300000, 6, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (19, 6, 1794390000, 3, 'work', 0, NULL, NULL, '{"minutes":50,"text":"Renewed the gateway certificate."}'),
    (20, 6, 1794395000, 3, 'status', 0, NULL, NULL, '{"status":"resolved"}'),
    (21, 6, 1794396000, 3, 'cause', 0, NULL, NULL, '{"status":"standard","text":"A certificate on our gateway had expired; renewed. Not caused by your staff."}'),
    (22, 6, 1794400000, 3, 'status', 0, NULL, NULL, '{"status":"closed"}'),
    (23, 7, 1794900000, 8, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (24, 7, 1794950000, 3, 'quote', 0, NULL, NULL, '{"quote_id":2,"points":800,"text":"Mailbox and archive migration, DNS and client setup."}'),
    (25, 7, 1795000000, 8, 'quote_declined', 0, NULL, NULL, '{"quote_id":2}'),
    (26, 8, 1795300000, 6, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (27, 8, 1795320000, 3, 'quote', 0, NULL, NULL, '{"quote_id":3,"points":400,"text":"Setup, accounting software, printer; data from the shared drive."}'),
    (28, 8, 1795400000, 6, 'quote_approved', 0, NULL, NULL, '{"quote_id":3,"points":400}'),
    (29, 9, 1794500000, 6, 'opened', 0, NULL, NULL, '{"status":"new"}'),
    (30, 9, 1794550000, 3, 'quote', 0, NULL, NULL, '{"quote_id":4,"points":200,"text":"Setup and data transfer."}'),
    (31, 9, 1794600000, 6, 'quote_approved', 0, NULL, NULL, '{"quote_id":4,"points":200}'),
    (32, 9, 1794690000, 3, 'work', 0, NULL, NULL, '{"minutes":110,"text":"Installed and handed over."}'),
    (33, 9, 1794700000, 3, 'status', 0, NULL, NULL, '{"status":"completed"}'),
    (34, 9, 1794700000, 3, 'ledger', 0, NULL, 'charge:quote:4', '{}');
