-- Pointdesk's foundation schema. Amounts are integer hundredths of a point, bounded to ±2^53
-- (the same bound the domain's Points type enforces). Ledger entries are append-only: triggers
-- refuse UPDATE and DELETE; a mistake is corrected by a new entry.

CREATE TABLE schema_info (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    created_at INTEGER NOT NULL
);
INSERT INTO schema_info (id, created_at) VALUES (1, unixepoch());

CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    -- Billing periods are calendar months at this offset from UTC.
    utc_offset_minutes INTEGER NOT NULL DEFAULT 0 CHECK (utc_offset_minutes BETWEEN -720 AND 840),
    created_at INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    -- Cached sum of ledger entries and the expirable allotment pool (see domain::ledger).
    balance INTEGER NOT NULL DEFAULT 0 CHECK (balance BETWEEN -9007199254740992 AND 9007199254740992),
    grant_pool INTEGER NOT NULL DEFAULT 0 CHECK (grant_pool BETWEEN 0 AND 9007199254740992),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (provider_id, name)
);

CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'purchase', 'charge', 'refund', 'adjustment', 'expiry')),
    amount INTEGER NOT NULL CHECK (amount <> 0 AND amount BETWEEN -9007199254740992 AND 9007199254740992),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    reference TEXT NOT NULL,
    actor_id INTEGER,
    idempotency_key TEXT NOT NULL UNIQUE,
    at INTEGER NOT NULL,
    balance_after INTEGER NOT NULL CHECK (balance_after BETWEEN -9007199254740992 AND 9007199254740992),
    -- Sign follows kind, as in the domain.
    CHECK ((kind IN ('grant', 'purchase', 'refund') AND amount > 0)
        OR (kind IN ('charge', 'expiry') AND amount < 0)
        OR kind = 'adjustment')
);
CREATE INDEX ledger_entries_org_at ON ledger_entries (org_id, at);

CREATE TRIGGER ledger_entries_append_only_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
CREATE TRIGGER ledger_entries_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

-- Holds of approved quotes whose work is not finished: at most one per quote.
CREATE TABLE holds (
    quote_id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    points INTEGER NOT NULL CHECK (points > 0 AND points <= 9007199254740992),
    placed_at INTEGER NOT NULL
);

-- Keys of business events that changed no entry (a hold placed, a zero grant): a retried
-- command finds its key here or in ledger_entries and changes nothing.
CREATE TABLE applied_events (
    idempotency_key TEXT PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    at INTEGER NOT NULL
);
