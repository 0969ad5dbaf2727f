-- Accounts and tenancy: plans, what each client organisation subscribes to, people and their
-- roles, sessions, invitations, password resets, the email outbox, the audit log and sign-in
-- throttling. One deployment serves one provider (providers.id = 1 in practice); every row
-- still names its provider so that tenancy is checked, never assumed.

-- Plans (domain::plan::Plan). Options are a JSON array of {code, name, points}.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    base INTEGER NOT NULL CHECK (base BETWEEN 0 AND 9007199254740992),
    per_seat INTEGER NOT NULL CHECK (per_seat BETWEEN 0 AND 9007199254740992),
    options TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options) AND json_type(options) = 'array'),
    increment_minutes INTEGER NOT NULL CHECK (increment_minutes BETWEEN 1 AND 1440),
    minimum_charge INTEGER NOT NULL DEFAULT 0 CHECK (minimum_charge BETWEEN 0 AND 9007199254740992),
    rollover TEXT NOT NULL CHECK (rollover IN ('none', 'capped', 'full')),
    rollover_cap INTEGER CHECK (rollover_cap IS NULL OR rollover_cap BETWEEN 0 AND 9007199254740992),
    overdraft TEXT NOT NULL CHECK (overdraft IN ('never', 'incidents_only', 'always')),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (provider_id, name),
    CHECK ((rollover = 'capped') = (rollover_cap IS NOT NULL))
);

-- What a client organisation subscribes to, and how it wants to be warned.
ALTER TABLE organisations ADD COLUMN plan_id INTEGER REFERENCES plans(id);
ALTER TABLE organisations ADD COLUMN seats INTEGER NOT NULL DEFAULT 0 CHECK (seats BETWEEN 0 AND 100000);
-- JSON array of the plan's option codes this organisation takes.
ALTER TABLE organisations ADD COLUMN option_codes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(option_codes) AND json_type(option_codes) = 'array');
ALTER TABLE organisations ADD COLUMN threshold INTEGER NOT NULL DEFAULT 500 CHECK (threshold BETWEEN 0 AND 9007199254740992);
-- JSON array of user ids who receive low-balance alerts (client admins by default).
ALTER TABLE organisations ADD COLUMN alert_recipients TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(alert_recipients) AND json_type(alert_recipients) = 'array');
ALTER TABLE organisations ADD COLUMN locale TEXT NOT NULL DEFAULT 'ru' CHECK (locale IN ('en', 'ru'));
ALTER TABLE organisations ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE organisations ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;

-- People. Provider staff (engineer, manager) have no organisation; client people have one.
-- An invited person has no password until they accept.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    org_id INTEGER REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    role TEXT NOT NULL CHECK (role IN ('client_user', 'client_admin', 'engineer', 'manager')),
    locale TEXT NOT NULL DEFAULT 'ru' CHECK (locale IN ('en', 'ru')),
    -- Argon2id PHC string.
    password_hash TEXT CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK ((role IN ('client_user', 'client_admin')) = (org_id IS NOT NULL))
);
CREATE INDEX users_by_org ON users (org_id);

-- Sessions: the cookie carries 128 random bits; only their SHA-256 is stored. A session ends
-- when it is deleted (sign-out, deactivation, password change), idle too long or too old.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    CHECK (last_seen_at >= created_at AND expires_at > created_at)
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Single-use links sent by email: invitations (set a first password) and password resets.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
    used_at INTEGER,
    -- A random value written when the link is used: the same batch's later statements act
    -- only on the row that carries this request's claim, so a link works exactly once.
    claim TEXT UNIQUE,
    CHECK ((used_at IS NULL) = (claim IS NULL))
);
CREATE INDEX email_tokens_by_user ON email_tokens (user_id, purpose);

-- Mail waits here, written in the same batch as the event that caused it, until a sender
-- delivers it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    to_email TEXT NOT NULL,
    locale TEXT NOT NULL CHECK (locale IN ('en', 'ru')),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

-- Every privileged action: who, what, when, before → after (JSON). Append-only.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    org_id INTEGER REFERENCES organisations(id),
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    before TEXT CHECK (before IS NULL OR json_valid(before)),
    after TEXT CHECK (after IS NULL OR json_valid(after)),
    at INTEGER NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (provider_id, id DESC);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Failed sign-ins per account (`account:{email}`) and per client address (`address:{ip}`):
-- from the fifth failure on, each further attempt waits twice as long as the last.
CREATE TABLE signin_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 1),
    last_failure_at INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL
);
