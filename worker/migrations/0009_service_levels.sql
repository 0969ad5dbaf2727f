-- Service levels: the provider's business calendar, targets per plan and priority, the two
-- clocks of every ticket, and the warnings sent about them.

-- Working windows per weekday, Monday first: [[[540,780],[840,1080]], ...] in minutes after
-- local midnight of the provider's zone; holidays: [{"date":"2027-01-01","yearly":true,
-- "name":"..."}]. No row: Monday to Friday 09:00–13:00 and 14:00–18:00, no holidays.
CREATE TABLE business_calendars (
    provider_id INTEGER PRIMARY KEY REFERENCES providers(id),
    week TEXT NOT NULL CHECK (json_valid(week) AND json_type(week) = 'array' AND json_array_length(week) = 7),
    holidays TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(holidays) AND json_type(holidays) = 'array'),
    updated_at INTEGER NOT NULL
);

-- Targets per priority, in business minutes (or in minutes of any time when round the clock):
-- [{"priority":"urgent","respond_minutes":30,"resolve_minutes":240,"round_the_clock":true}, ...].
-- A priority without a target has no clocks.
ALTER TABLE plans ADD COLUMN sla TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(sla) AND json_type(sla) = 'array');
UPDATE plans SET sla = '[{"priority":"urgent","respond_minutes":60,"resolve_minutes":480,"round_the_clock":true},'
    || '{"priority":"high","respond_minutes":120,"resolve_minutes":960,"round_the_clock":false},'
    || '{"priority":"normal","respond_minutes":480,"resolve_minutes":1440,"round_the_clock":false},'
    || '{"priority":"low","respond_minutes":960,"resolve_minutes":2400,"round_the_clock":false}]';

-- A ticket's clocks, as the domain's `sla::Clocks` (JSON: the target it runs on, deadlines,
-- warning instants, waiting time, business seconds to answer and to solve), decided when it
-- happened so reports never recompute history. `sla_due`: the running clock's deadline, for
-- sorting queues (NULL while it waits for the client or is finished).
ALTER TABLE tickets ADD COLUMN sla TEXT CHECK (sla IS NULL OR json_valid(sla));
ALTER TABLE tickets ADD COLUMN sla_due INTEGER;
ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
-- Staff said the ticket waits for the client (an answer, access, a part): the clocks stand.
ALTER TABLE tickets ADD COLUMN awaiting_client_since INTEGER;
CREATE INDEX tickets_sla_due ON tickets (provider_id, sla_due) WHERE sla_due IS NOT NULL;

-- Each warning (75 % of a target) and breach notice, once per ticket and clock.
CREATE TABLE sla_notices (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    clock TEXT NOT NULL CHECK (clock IN ('respond', 'resolve')),
    level TEXT NOT NULL CHECK (level IN ('warning', 'breach')),
    at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, clock, level)
) WITHOUT ROWID;

-- New timeline kinds (priority changes, waiting for the client): the table is rebuilt.
CREATE TABLE timeline_v3 (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'status', 'assigned', 'comment', 'work', 'quote',
        'quote_approved', 'quote_declined', 'quote_expired', 'cause', 'dispute_opened',
        'dispute_decided', 'ledger', 'followed', 'reclassified', 'confirmed', 'reopened',
        'auto_closed', 'approval_recorded', 'approval_disputed', 'cancelled', 'priority',
        'awaiting_client', 'sla_warning', 'sla_breach')),
    internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    comment_id INTEGER REFERENCES comments(id),
    entry_key TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO timeline_v3 SELECT id, ticket_id, at, actor_id, kind, internal, comment_id, entry_key, detail FROM timeline;
DROP TABLE timeline;
ALTER TABLE timeline_v3 RENAME TO timeline;
CREATE INDEX timeline_ticket ON timeline (ticket_id, id);
CREATE TRIGGER timeline_append_only_update BEFORE UPDATE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;
CREATE TRIGGER timeline_append_only_delete BEFORE DELETE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;

CREATE TABLE notifications_v4 (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('low_balance', 'balance_exhausted', 'grant_arrived',
        'charge_made', 'quote_awaiting', 'dispute_decided', 'ticket_changed', 'topup_credited',
        'refunded', 'adjustment_made', 'purchase_refunded', 'ticket_opened', 'ticket_received',
        'dispute_opened', 'approval_recorded', 'closing_soon', 'points_expiring', 'sla_warning',
        'sla_breach')),
    org_id INTEGER REFERENCES organisations(id),
    ticket_id INTEGER REFERENCES tickets(id),
    data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
INSERT INTO notifications_v4 SELECT id, user_id, kind, org_id, ticket_id, data, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v4 RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
