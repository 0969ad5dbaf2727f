-- Tickets: incidents (fixed first, charged only when client caused) and service requests
-- (standard catalogue items included, others quoted and approved before work). Every change to a
-- ticket is one D1 batch that starts by stepping the ticket's version by one (a trigger refuses
-- any other step), so a decision made on an older state aborts its whole batch; the timeline
-- row of the change is written in the same batch.

CREATE TABLE catalogue_items (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    -- standard: included in the subscription; quoted: needs an approved quote first.
    kind TEXT NOT NULL CHECK (kind IN ('standard', 'quoted')),
    -- The usual quote, hundredths of a point.
    estimate INTEGER CHECK (estimate IS NULL OR (estimate > 0 AND estimate <= 9007199254740992)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    UNIQUE (provider_id, name)
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    -- Numbered per provider: what people say on the phone ("ticket 42").
    number INTEGER NOT NULL CHECK (number >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('incident', 'service_request')),
    catalogue_id INTEGER REFERENCES catalogue_items(id),
    -- standard | quoted, copied from the catalogue item when the request was opened.
    catalogue_kind TEXT CHECK (catalogue_kind IS NULL OR catalogue_kind IN ('standard', 'quoted')),
    title TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    requester_id INTEGER NOT NULL REFERENCES users(id),
    assignee_id INTEGER REFERENCES users(id),
    status TEXT NOT NULL,
    cause TEXT CHECK (cause IS NULL OR cause IN ('standard', 'client_caused')),
    cause_note TEXT NOT NULL DEFAULT '',
    -- A client-caused incident's charge: points, when, how many work lines it covers and the
    -- domain's explanation (JSON: logged, billed, increment, rule).
    charge_points INTEGER CHECK (charge_points IS NULL OR charge_points > 0),
    charge_at INTEGER,
    charge_lines INTEGER,
    charge_detail TEXT,
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (provider_id, number),
    CHECK ((kind = 'incident') = (catalogue_kind IS NULL)),
    CHECK ((kind = 'incident' AND status IN ('new', 'in_progress', 'resolved', 'closed'))
        OR (kind = 'service_request' AND status IN ('new', 'awaiting_approval', 'in_progress', 'completed', 'declined', 'cancelled'))),
    CHECK (cause IS NULL OR kind = 'incident'),
    CHECK ((charge_points IS NULL) = (charge_at IS NULL))
);
CREATE INDEX tickets_org_status ON tickets (org_id, status, updated_at);
CREATE INDEX tickets_provider_updated ON tickets (provider_id, updated_at);

CREATE TRIGGER tickets_version_steps_by_one BEFORE UPDATE OF version ON tickets
WHEN NEW.version <> OLD.version + 1
BEGIN
    SELECT RAISE(ABORT, 'stale ticket version: decided on an older state');
END;
CREATE TRIGGER tickets_cause_is_final BEFORE UPDATE OF cause ON tickets
WHEN OLD.cause IS NOT NULL AND NEW.cause IS NOT OLD.cause
BEGIN
    SELECT RAISE(ABORT, 'an incident''s cause is set once');
END;

CREATE TABLE ticket_followers (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (ticket_id, user_id)
) WITHOUT ROWID;

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL CHECK (length(trim(body)) BETWEEN 1 AND 10000),
    -- Internal comments never reach client roles.
    internal INTEGER NOT NULL CHECK (internal IN (0, 1)),
    at INTEGER NOT NULL
);
CREATE INDEX comments_ticket ON comments (ticket_id);

CREATE TABLE work_entries (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    engineer_id INTEGER NOT NULL REFERENCES users(id),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    -- The provider's calendar day, YYYY-MM-DD.
    on_day TEXT NOT NULL CHECK (on_day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    at INTEGER NOT NULL
);
CREATE INDEX work_entries_ticket ON work_entries (ticket_id);
CREATE TRIGGER work_entries_append_only_update BEFORE UPDATE ON work_entries
BEGIN
    SELECT RAISE(ABORT, 'work entries are append-only');
END;
CREATE TRIGGER work_entries_append_only_delete BEFORE DELETE ON work_entries
BEGIN
    SELECT RAISE(ABORT, 'work entries are append-only');
END;

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    points INTEGER NOT NULL CHECK (points > 0 AND points <= 9007199254740992),
    scope TEXT NOT NULL CHECK (length(trim(scope)) BETWEEN 1 AND 2000),
    expires_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('awaiting_approval', 'approved', 'declined', 'expired', 'superseded', 'charged', 'released')),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER
);
CREATE INDEX quotes_ticket ON quotes (ticket_id);
CREATE INDEX quotes_open ON quotes (expires_at) WHERE status = 'awaiting_approval';
-- At most one open and one approved quote per ticket.
CREATE UNIQUE INDEX quotes_one_open ON quotes (ticket_id) WHERE status = 'awaiting_approval';
CREATE UNIQUE INDEX quotes_one_approved ON quotes (ticket_id) WHERE status = 'approved';

CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    -- One dispute per charged incident.
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    opened_by INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
    opened_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'upheld', 'rejected')),
    decided_by INTEGER REFERENCES users(id),
    decision_reason TEXT,
    decided_at INTEGER,
    CHECK ((state = 'open') = (decided_at IS NULL))
);

-- Everything that happened to a ticket, with who and when. `detail` is JSON whose shape
-- depends on `kind`; a comment's text lives in `comments`, a ledger effect's figures in
-- `ledger_entries` (the row names the entry by its idempotency key).
CREATE TABLE timeline (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'status', 'assigned', 'comment', 'work', 'quote', 'quote_approved', 'quote_declined', 'quote_expired', 'cause', 'dispute_opened', 'dispute_decided', 'ledger', 'followed')),
    internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    comment_id INTEGER REFERENCES comments(id),
    entry_key TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_ticket ON timeline (ticket_id, id);
CREATE TRIGGER timeline_append_only_update BEFORE UPDATE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;
CREATE TRIGGER timeline_append_only_delete BEFORE DELETE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;

-- Answers of money-moving requests by their `Idempotency-Key`, per person. The row is written
-- in the same batch as the effect (so a key has at most one effect) and its answer right after;
-- a retry with the same fingerprint (method, path, body) gets that answer, another is a 422.
CREATE TABLE idempotent_requests (
    user_id INTEGER NOT NULL REFERENCES users(id),
    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- The dispute window, days after the charge.
ALTER TABLE providers ADD COLUMN dispute_window_days INTEGER NOT NULL DEFAULT 14 CHECK (dispute_window_days BETWEEN 1 AND 365);
