-- Credit blocks (domain::credit): every point that arrives is a block with a source, an amount,
-- what remains, what holds reserve in it and when it expires; every entry records the blocks it
-- moved. The account carries a version that every decision bumps by exactly one, so a decision
-- computed on an older state aborts its whole batch. Debt and outstanding charges are explicit.
-- The schema asserts what the domain asserts; see ARCHITECTURE.md for the draw-down order.

PRAGMA defer_foreign_keys = on;

-- The account: the expirable pool gives way to blocks.
ALTER TABLE organisations DROP COLUMN grant_pool;
ALTER TABLE organisations ADD COLUMN version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0);
-- The open period (`YYYY-MM`): expiry has run for every period before it.
ALTER TABLE organisations ADD COLUMN open_period TEXT CHECK (open_period IS NULL OR open_period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]');
ALTER TABLE organisations ADD COLUMN last_grant TEXT CHECK (last_grant IS NULL OR last_grant GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]');
ALTER TABLE organisations ADD COLUMN debt INTEGER NOT NULL DEFAULT 0 CHECK (debt BETWEEN 0 AND 9007199254740992);
ALTER TABLE organisations ADD COLUMN next_block INTEGER NOT NULL DEFAULT 1 CHECK (next_block >= 1);

-- A decision's batch starts with `UPDATE organisations SET version = :decided_on + 1, ...`:
-- unless the row is still at :decided_on, this aborts the batch (D1 batches are transactions).
CREATE TRIGGER organisations_version_steps_by_one BEFORE UPDATE OF version ON organisations
WHEN NEW.version <> OLD.version + 1
BEGIN
    SELECT RAISE(ABORT, 'stale account version: decided on an older state');
END;

CREATE TABLE credit_blocks (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    -- Numbered per organisation in arrival order (domain::ids::BlockId).
    block_no INTEGER NOT NULL CHECK (block_no >= 1),
    -- domain::credit::BlockSource::code: grant:2026-11, purchase:7, adjustment:2, refund:4,
    -- rollover:2026-10, returned:3
    source TEXT NOT NULL CHECK (
        source GLOB 'grant:[0-9][0-9][0-9][0-9]-[01][0-9]'
        OR source GLOB 'rollover:[0-9][0-9][0-9][0-9]-[01][0-9]'
        OR source GLOB 'purchase:[0-9]*'
        OR source GLOB 'adjustment:[0-9]*'
        OR source GLOB 'refund:[0-9]*'
        OR source GLOB 'returned:[0-9]*'),
    amount INTEGER NOT NULL CHECK (amount > 0 AND amount <= 9007199254740992),
    remaining INTEGER NOT NULL,
    reserved INTEGER NOT NULL DEFAULT 0,
    -- The period at whose end the block expires; NULL for never.
    expires TEXT CHECK (expires IS NULL OR expires GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    expired INTEGER NOT NULL DEFAULT 0 CHECK (expired IN (0, 1)),
    -- The decision that created it.
    created_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, block_no),
    CHECK (0 <= reserved AND reserved <= remaining AND remaining <= amount),
    -- Bought, credited and refunded points never expire; allotment, rollover and returned
    -- points always do.
    CHECK ((expires IS NULL) = (source GLOB 'purchase:*' OR source GLOB 'adjustment:*' OR source GLOB 'refund:*')),
    CHECK (expired = 0 OR expires IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX credit_blocks_live ON credit_blocks (org_id) WHERE remaining > 0;

CREATE TRIGGER credit_blocks_identity_is_fixed BEFORE UPDATE OF org_id, block_no, source, amount, expires, created_key, created_at ON credit_blocks
BEGIN
    SELECT RAISE(ABORT, 'a credit block''s source, amount and expiry never change');
END;
CREATE TRIGGER credit_blocks_expiry_is_final BEFORE UPDATE OF expired ON credit_blocks
WHEN OLD.expired = 1 AND NEW.expired = 0
BEGIN
    SELECT RAISE(ABORT, 'an expired block stays expired');
END;
CREATE TRIGGER credit_blocks_are_kept BEFORE DELETE ON credit_blocks
BEGIN
    SELECT RAISE(ABORT, 'credit blocks are never removed');
END;

-- Entries gain `repayment` (amount 0: debt repaid from arriving points) and an expiry of 0 (all
-- unused points carried over), and record their debt change. SQLite cannot alter a CHECK, so the
-- table is rebuilt; entries are copied as they are (they moved no block: there were none).
CREATE TABLE ledger_entries_v2 (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'purchase', 'charge', 'refund', 'adjustment', 'expiry', 'repayment')),
    amount INTEGER NOT NULL CHECK (amount BETWEEN -9007199254740992 AND 9007199254740992),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    reference TEXT NOT NULL,
    actor_id INTEGER,
    idempotency_key TEXT NOT NULL UNIQUE,
    at INTEGER NOT NULL,
    balance_after INTEGER NOT NULL CHECK (balance_after BETWEEN -9007199254740992 AND 9007199254740992),
    -- amount = Σ moves − debt_change (checked by the domain; the moves live in entry_moves).
    debt_change INTEGER NOT NULL DEFAULT 0 CHECK (debt_change BETWEEN -9007199254740992 AND 9007199254740992),
    -- Sign follows kind, as in the domain.
    CHECK ((kind IN ('grant', 'purchase', 'refund') AND amount > 0)
        OR (kind = 'charge' AND amount < 0)
        OR (kind = 'expiry' AND amount <= 0)
        OR (kind = 'repayment' AND amount = 0 AND debt_change < 0)
        OR (kind = 'adjustment' AND amount <> 0))
);
INSERT INTO ledger_entries_v2 (id, org_id, kind, amount, reason, reference, actor_id, idempotency_key, at, balance_after)
    SELECT id, org_id, kind, amount, reason, reference, actor_id, idempotency_key, at, balance_after FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_v2 RENAME TO ledger_entries;
CREATE INDEX ledger_entries_org_at ON ledger_entries (org_id, at);
CREATE INDEX ledger_entries_org_reference ON ledger_entries (org_id, reference);

CREATE TRIGGER ledger_entries_append_only_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
CREATE TRIGGER ledger_entries_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

-- Which blocks each entry drew from (negative) or added to (positive).
CREATE TABLE entry_moves (
    entry_id INTEGER NOT NULL REFERENCES ledger_entries(id),
    org_id INTEGER NOT NULL,
    block_no INTEGER NOT NULL,
    points INTEGER NOT NULL CHECK (points <> 0 AND points BETWEEN -9007199254740992 AND 9007199254740992),
    PRIMARY KEY (entry_id, block_no),
    FOREIGN KEY (org_id, block_no) REFERENCES credit_blocks(org_id, block_no)
) WITHOUT ROWID;
CREATE INDEX entry_moves_block ON entry_moves (org_id, block_no);
CREATE TRIGGER entry_moves_append_only_update BEFORE UPDATE ON entry_moves
BEGIN
    SELECT RAISE(ABORT, 'entry moves are append-only');
END;
CREATE TRIGGER entry_moves_append_only_delete BEFORE DELETE ON entry_moves
BEGIN
    SELECT RAISE(ABORT, 'entry moves are append-only');
END;

-- Where each hold's points are reserved. A hold may be only partly backed (a plan that lets
-- approvals overdraw); its rows go with it.
CREATE TABLE hold_reservations (
    quote_id INTEGER NOT NULL REFERENCES holds(quote_id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL,
    block_no INTEGER NOT NULL,
    points INTEGER NOT NULL CHECK (points > 0 AND points <= 9007199254740992),
    PRIMARY KEY (quote_id, block_no),
    FOREIGN KEY (org_id, block_no) REFERENCES credit_blocks(org_id, block_no)
) WITHOUT ROWID;

-- Incident charges that did not fit under overdraft `never`: settled by charge entries as points
-- arrive; not part of the balance.
CREATE TABLE outstanding_charges (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    ticket_id INTEGER NOT NULL,
    points INTEGER NOT NULL CHECK (points > 0 AND points <= 9007199254740992),
    PRIMARY KEY (org_id, ticket_id)
) WITHOUT ROWID;

-- Every decision's key, with the fingerprint of the request it was first used for: a retry with
-- the same fingerprint returns the first answer, another fingerprint is a conflict (422).
ALTER TABLE applied_events ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
