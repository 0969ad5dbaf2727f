-- Issue 23: files on tickets (kept in R2), mail that threads, and mail that comes in.

-- A file on a ticket. The bytes live in R2 under `r2_key` (random, never derived from the
-- name); the kind was read from the content. Internal files (uploaded with an internal comment
-- or marked so by staff) never reach client roles. A deleted file keeps its row (who and when)
-- and loses its bytes.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    comment_id INTEGER REFERENCES comments(id),
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    via TEXT NOT NULL CHECK (via IN ('app', 'mail')),
    r2_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 26214400),
    internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    created_at INTEGER NOT NULL,
    deleted_at INTEGER,
    deleted_by INTEGER REFERENCES users(id)
);
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, id);

-- A comment written in the app or arrived by mail.
ALTER TABLE comments ADD COLUMN via TEXT NOT NULL DEFAULT 'app' CHECK (via IN ('app', 'mail'));

-- Ticket mail threads: each carries its own Message-ID and answers the ticket's first mail.
ALTER TABLE outbox ADD COLUMN ticket_id INTEGER REFERENCES tickets(id);
ALTER TABLE outbox ADD COLUMN message_id TEXT;

-- Every mail that came in, once (a redelivery with the same Message-ID is recognised), and what
-- became of it.
CREATE TABLE inbound_mail (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    from_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('opened', 'commented', 'unknown_sender',
        'automatic', 'not_allowed', 'empty', 'too_large')),
    ticket_id INTEGER REFERENCES tickets(id),
    user_id INTEGER REFERENCES users(id),
    received_at INTEGER NOT NULL
);
CREATE INDEX inbound_mail_by_sender ON inbound_mail (from_email, received_at);
