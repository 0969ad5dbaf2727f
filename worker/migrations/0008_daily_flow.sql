-- The desk's daily flow: who hears of a new ticket, tickets opened on a caller's behalf,
-- reclassification, resolutions the client confirms (or that close by themselves), approvals
-- recorded by a manager, and the announcements of points about to expire.

-- Who opened the ticket when it is not the requester (staff opening it for a caller).
ALTER TABLE tickets ADD COLUMN opened_by INTEGER REFERENCES users(id);
-- When an incident was last resolved (the auto-close clock), and when its "closes tomorrow"
-- mail went out.
ALTER TABLE tickets ADD COLUMN resolved_at INTEGER;
ALTER TABLE tickets ADD COLUMN close_warned_at INTEGER;
UPDATE tickets SET resolved_at = updated_at WHERE status = 'resolved';
CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE status = 'resolved';

-- Unconfirmed resolved incidents close by themselves this many days after resolution.
ALTER TABLE providers ADD COLUMN auto_close_days INTEGER NOT NULL DEFAULT 5
    CHECK (auto_close_days BETWEEN 1 AND 60);

-- The low-balance threshold is a fifth of the allotment until the client sets their own.
ALTER TABLE organisations ADD COLUMN threshold_custom INTEGER NOT NULL DEFAULT 0
    CHECK (threshold_custom IN (0, 1));

-- The engineers on duty for a client: they hear of its new tickets. None chosen: every engineer.
CREATE TABLE org_duty (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (org_id, user_id)
) WITHOUT ROWID;

-- A client admin's approval given by phone, mail or in person and recorded by a manager. The
-- quote's own row says it was approved (and by whom); this says how, and whether the client
-- admin disputed that they gave it.
CREATE TABLE recorded_approvals (
    quote_id INTEGER PRIMARY KEY REFERENCES quotes(id),
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    approver_id INTEGER NOT NULL REFERENCES users(id),
    approved_at INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'in_person')),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at INTEGER NOT NULL,
    disputed_at INTEGER,
    dispute_reason TEXT
);
CREATE INDEX recorded_approvals_ticket ON recorded_approvals (ticket_id);

-- One "points expire soon" announcement per organisation and period.
CREATE TABLE expiry_notices (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    points INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (org_id, period)
) WITHOUT ROWID;

-- New timeline kinds. SQLite cannot alter a CHECK: the table is rebuilt (nothing refers to it).
CREATE TABLE timeline_v2 (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'status', 'assigned', 'comment', 'work', 'quote',
        'quote_approved', 'quote_declined', 'quote_expired', 'cause', 'dispute_opened',
        'dispute_decided', 'ledger', 'followed', 'reclassified', 'confirmed', 'reopened',
        'auto_closed', 'approval_recorded', 'approval_disputed', 'cancelled')),
    internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    comment_id INTEGER REFERENCES comments(id),
    entry_key TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO timeline_v2 SELECT id, ticket_id, at, actor_id, kind, internal, comment_id, entry_key, detail FROM timeline;
DROP TABLE timeline;
ALTER TABLE timeline_v2 RENAME TO timeline;
CREATE INDEX timeline_ticket ON timeline (ticket_id, id);
CREATE TRIGGER timeline_append_only_update BEFORE UPDATE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;
CREATE TRIGGER timeline_append_only_delete BEFORE DELETE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;

-- New notice kinds; nothing refers to these rows.
CREATE TABLE notifications_v3 (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('low_balance', 'balance_exhausted', 'grant_arrived',
        'charge_made', 'quote_awaiting', 'dispute_decided', 'ticket_changed', 'topup_credited',
        'refunded', 'adjustment_made', 'purchase_refunded', 'ticket_opened', 'ticket_received',
        'dispute_opened', 'approval_recorded', 'closing_soon', 'points_expiring')),
    org_id INTEGER REFERENCES organisations(id),
    ticket_id INTEGER REFERENCES tickets(id),
    data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
INSERT INTO notifications_v3 SELECT id, user_id, kind, org_id, ticket_id, data, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v3 RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
