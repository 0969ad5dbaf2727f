-- The audit's fixes (money, payments, sign-in).

-- Every period from the open one on whose allotment has arrived, ascending, comma-separated
-- ('2026-11,2027-01'). It replaces `last_grant`, a high-water mark that let a grant posted
-- ahead (January) hide a period that was never granted (December).
ALTER TABLE organisations ADD COLUMN granted TEXT NOT NULL DEFAULT ''
    CHECK (granted = '' OR granted GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]*');
UPDATE organisations SET granted = COALESCE((
    SELECT group_concat(p, ',') FROM (
        SELECT substr(e.idempotency_key, length('grant:' || organisations.id || ':') + 1) AS p
        FROM applied_events e
        WHERE e.org_id = organisations.id
          AND e.idempotency_key GLOB 'grant:*'
          AND substr(e.idempotency_key, length('grant:' || organisations.id || ':') + 1)
              >= COALESCE(organisations.open_period, '')
        ORDER BY p)), '');
ALTER TABLE organisations DROP COLUMN last_grant;

-- A random id of this database, made once when it is created (a reset database gets a new one):
-- the prefix of the idempotency keys sent to payment gateways, so two deployments on one
-- gateway account, or one deployment before and after a reset, never send the same key.
ALTER TABLE schema_info ADD COLUMN deployment TEXT NOT NULL DEFAULT '';
UPDATE schema_info SET deployment = lower(hex(randomblob(8)));

-- The VAT code YooKassa's 54-FZ receipts carry for every pack (YooKassa's `vat_code`: 1 без НДС,
-- 2 0 %, 3 10 %, 4 20 %, 5 10/110, 6 20/120, 7 5 %, 8 7 %, 9 5/105, 10 7/107, 11 22 %, 12 22/122).
ALTER TABLE providers ADD COLUMN vat_code INTEGER NOT NULL DEFAULT 1 CHECK (vat_code BETWEEN 1 AND 12);

-- A payment the gateway refunds takes its points back: entries of kind `purchase_refund`
-- (negative). SQLite cannot alter a CHECK, so the table is rebuilt as in 0002 — and with it
-- entry_moves, which refers to it: the new moves refer to the new table, the old moves and the
-- old entries go in that order, and the renames carry the reference along.
CREATE TABLE ledger_entries_v3 (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'purchase', 'charge', 'refund', 'adjustment', 'expiry', 'repayment', 'purchase_refund')),
    amount INTEGER NOT NULL CHECK (amount BETWEEN -9007199254740992 AND 9007199254740992),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    reference TEXT NOT NULL,
    actor_id INTEGER,
    idempotency_key TEXT NOT NULL UNIQUE,
    at INTEGER NOT NULL,
    balance_after INTEGER NOT NULL CHECK (balance_after BETWEEN -9007199254740992 AND 9007199254740992),
    debt_change INTEGER NOT NULL DEFAULT 0 CHECK (debt_change BETWEEN -9007199254740992 AND 9007199254740992),
    -- Sign follows kind, as in the domain.
    CHECK ((kind IN ('grant', 'purchase', 'refund') AND amount > 0)
        OR (kind IN ('charge', 'purchase_refund') AND amount < 0)
        OR (kind = 'expiry' AND amount <= 0)
        OR (kind = 'repayment' AND amount = 0 AND debt_change < 0)
        OR (kind = 'adjustment' AND amount <> 0))
);
INSERT INTO ledger_entries_v3 (id, org_id, kind, amount, reason, reference, actor_id, idempotency_key, at, balance_after, debt_change)
    SELECT id, org_id, kind, amount, reason, reference, actor_id, idempotency_key, at, balance_after, debt_change FROM ledger_entries;
CREATE TABLE entry_moves_v2 (
    entry_id INTEGER NOT NULL REFERENCES ledger_entries_v3(id),
    org_id INTEGER NOT NULL,
    block_no INTEGER NOT NULL,
    points INTEGER NOT NULL CHECK (points <> 0 AND points BETWEEN -9007199254740992 AND 9007199254740992),
    PRIMARY KEY (entry_id, block_no),
    FOREIGN KEY (org_id, block_no) REFERENCES credit_blocks(org_id, block_no)
) WITHOUT ROWID;
INSERT INTO entry_moves_v2 (entry_id, org_id, block_no, points)
    SELECT entry_id, org_id, block_no, points FROM entry_moves;
DROP TABLE entry_moves;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_v3 RENAME TO ledger_entries;
ALTER TABLE entry_moves_v2 RENAME TO entry_moves;
CREATE INDEX entry_moves_block ON entry_moves (org_id, block_no);
CREATE TRIGGER entry_moves_append_only_update BEFORE UPDATE ON entry_moves
BEGIN
    SELECT RAISE(ABORT, 'entry moves are append-only');
END;
CREATE TRIGGER entry_moves_append_only_delete BEFORE DELETE ON entry_moves
BEGIN
    SELECT RAISE(ABORT, 'entry moves are append-only');
END;
CREATE INDEX ledger_entries_org_at ON ledger_entries (org_id, at);
CREATE INDEX ledger_entries_org_reference ON ledger_entries (org_id, reference);
CREATE INDEX ledger_entries_org_id ON ledger_entries (org_id, id);
CREATE INDEX ledger_entries_org_kind ON ledger_entries (org_id, kind, id);
CREATE TRIGGER ledger_entries_append_only_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
CREATE TRIGGER ledger_entries_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
-- The daily roll-up (0005), with points taken back by refunds counted against purchases.
CREATE TRIGGER ledger_entries_roll_up AFTER INSERT ON ledger_entries
BEGIN
    INSERT INTO ledger_days (org_id, day, grants, purchases, charges, refunds, adjustments, expiry, entries, closing)
    VALUES (NEW.org_id, NEW.at / 86400,
        CASE NEW.kind WHEN 'grant' THEN NEW.amount ELSE 0 END,
        CASE WHEN NEW.kind IN ('purchase', 'purchase_refund') THEN NEW.amount ELSE 0 END,
        CASE NEW.kind WHEN 'charge' THEN NEW.amount ELSE 0 END,
        CASE NEW.kind WHEN 'refund' THEN NEW.amount ELSE 0 END,
        CASE NEW.kind WHEN 'adjustment' THEN NEW.amount ELSE 0 END,
        CASE NEW.kind WHEN 'expiry' THEN NEW.amount ELSE 0 END,
        1, NEW.balance_after)
    ON CONFLICT (org_id, day) DO UPDATE SET
        grants = grants + excluded.grants,
        purchases = purchases + excluded.purchases,
        charges = charges + excluded.charges,
        refunds = refunds + excluded.refunds,
        adjustments = adjustments + excluded.adjustments,
        expiry = expiry + excluded.expiry,
        entries = entries + 1,
        closing = excluded.closing;
END;

-- Points of refunded purchases that had been spent and, under overdraft `never`, could not be
-- taken back at once: owed (not part of the balance) and taken as points arrive.
CREATE TABLE outstanding_refunds (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    purchase_id INTEGER NOT NULL REFERENCES purchases(id),
    points INTEGER NOT NULL CHECK (points > 0 AND points <= 9007199254740992),
    PRIMARY KEY (org_id, purchase_id)
) WITHOUT ROWID;

-- A notification may now take points back (`refunded`); nothing refers to these rows.
CREATE TABLE payment_events_v2 (
    id INTEGER PRIMARY KEY,
    gateway TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payment_id TEXT NOT NULL,
    purchase_id INTEGER REFERENCES purchases(id),
    outcome TEXT NOT NULL CHECK (outcome IN ('credited', 'failed', 'canceled', 'ignored', 'refunded')),
    received_at INTEGER NOT NULL,
    UNIQUE (gateway, event_id)
);
INSERT INTO payment_events_v2 SELECT id, gateway, event_id, kind, payment_id, purchase_id, outcome, received_at FROM payment_events;
DROP TABLE payment_events;
ALTER TABLE payment_events_v2 RENAME TO payment_events;

-- A notice for a refunded payment whose points were taken back (`purchase_refunded`);
-- nothing refers to these rows.
CREATE TABLE notifications_v2 (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('low_balance', 'balance_exhausted', 'grant_arrived',
        'charge_made', 'quote_awaiting', 'dispute_decided', 'ticket_changed', 'topup_credited',
        'refunded', 'adjustment_made', 'purchase_refunded')),
    org_id INTEGER REFERENCES organisations(id),
    ticket_id INTEGER REFERENCES tickets(id),
    data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
INSERT INTO notifications_v2 SELECT id, user_id, kind, org_id, ticket_id, data, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v2 RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
