-- Balance, ledger, periods, notifications and reports. What a balance read needs is state kept
-- in the same transaction as the entries (the organisation's row, its live blocks, its holds and
-- the daily roll-up below), so a read costs the same at any history length.

-- The provider's time zone, a named IANA zone: periods are its calendar months, resolved to
-- instants by the runtime's Intl (daylight saving included).
ALTER TABLE providers ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC'
    CHECK (length(time_zone) BETWEEN 1 AND 64 AND time_zone NOT GLOB '*[^A-Za-z0-9/_+-]*');

-- The low-balance alarm (domain::notify::LowBalanceAlarm), stepped in the batch of every ledger
-- decision: one notice per downward crossing of the threshold, one more at zero.
ALTER TABLE organisations ADD COLUMN low_armed INTEGER NOT NULL DEFAULT 1 CHECK (low_armed IN (0, 1));
ALTER TABLE organisations ADD COLUMN zero_armed INTEGER NOT NULL DEFAULT 1 CHECK (zero_armed IN (0, 1));

-- Keyset pages of an organisation's ledger, newest first, optionally by kind or reference.
CREATE INDEX ledger_entries_org_id ON ledger_entries (org_id, id);
CREATE INDEX ledger_entries_org_kind ON ledger_entries (org_id, kind, id);

-- Per organisation and UTC day: what arrived and left by kind, and the balance at the day's
-- end. Kept by a trigger in the transaction that appends the entry; the balance chart and the
-- run-out forecast read at most a year of these rows, never the entries.
CREATE TABLE ledger_days (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    -- Days since 1970-01-01 (UTC).
    day INTEGER NOT NULL,
    grants INTEGER NOT NULL DEFAULT 0,
    purchases INTEGER NOT NULL DEFAULT 0,
    charges INTEGER NOT NULL DEFAULT 0,
    refunds INTEGER NOT NULL DEFAULT 0,
    adjustments INTEGER NOT NULL DEFAULT 0,
    expiry INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0,
    closing INTEGER NOT NULL,
    PRIMARY KEY (org_id, day)
) WITHOUT ROWID;

INSERT INTO ledger_days (org_id, day, grants, purchases, charges, refunds, adjustments, expiry, entries, closing)
SELECT org_id, at / 86400,
    SUM(CASE kind WHEN 'grant' THEN amount ELSE 0 END),
    SUM(CASE kind WHEN 'purchase' THEN amount ELSE 0 END),
    SUM(CASE kind WHEN 'charge' THEN amount ELSE 0 END),
    SUM(CASE kind WHEN 'refund' THEN amount ELSE 0 END),
    SUM(CASE kind WHEN 'adjustment' THEN amount ELSE 0 END),
    SUM(CASE kind WHEN 'expiry' THEN amount ELSE 0 END),
    COUNT(*),
    (SELECT l.balance_after FROM ledger_entries l WHERE l.org_id = e.org_id AND l.at / 86400 = e.at / 86400 ORDER BY l.id DESC LIMIT 1)
FROM ledger_entries e GROUP BY org_id, at / 86400;

CREATE TRIGGER ledger_entries_roll_up AFTER INSERT ON ledger_entries
BEGIN
    INSERT INTO ledger_days (org_id, day, grants, purchases, charges, refunds, adjustments, expiry, entries, closing)
    VALUES (NEW.org_id, NEW.at / 86400,
        CASE NEW.kind WHEN 'grant' THEN NEW.amount ELSE 0 END,
        CASE NEW.kind WHEN 'purchase' THEN NEW.amount ELSE 0 END,
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

-- A manager's manual adjustment: credit or debit with a mandatory reason (the entry carries
-- the same reason; the audit log records who and when).
CREATE TABLE adjustments (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    amount INTEGER NOT NULL CHECK (amount <> 0 AND amount BETWEEN -9007199254740992 AND 9007199254740992),
    reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
    actor_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE TRIGGER adjustments_are_kept_update BEFORE UPDATE ON adjustments
BEGIN
    SELECT RAISE(ABORT, 'adjustments are append-only');
END;
CREATE TRIGGER adjustments_are_kept_delete BEFORE DELETE ON adjustments
BEGIN
    SELECT RAISE(ABORT, 'adjustments are append-only');
END;

-- The in-app notification centre: one row per recipient, worded by the app in the reader's
-- language from `kind` and `data` (JSON: points, ticket number and title, ...).
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('low_balance', 'balance_exhausted', 'grant_arrived',
        'charge_made', 'quote_awaiting', 'dispute_decided', 'ticket_changed', 'topup_credited',
        'refunded', 'adjustment_made')),
    org_id INTEGER REFERENCES organisations(id),
    ticket_id INTEGER REFERENCES tickets(id),
    data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Per-person choice of which notices also come by email (JSON array of kinds not mailed). The
-- in-app centre always has them all.
ALTER TABLE users ADD COLUMN email_muted TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(email_muted) AND json_type(email_muted) = 'array');

UPDATE providers SET time_zone = 'Europe/Moscow' WHERE utc_offset_minutes = 180;
