-- Automatic top-ups: what a client admin chose, what happened (the notice standing, the last
-- top-up's day, what this month's cost), and the payment methods gateways saved for off-session
-- charges.
CREATE TABLE auto_topups (
    org_id INTEGER PRIMARY KEY REFERENCES organisations(id),
    enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    threshold INTEGER NOT NULL CHECK (threshold >= 0 AND threshold <= 9007199254740992),
    pack_id INTEGER NOT NULL REFERENCES point_packs(id),
    method TEXT NOT NULL CHECK (method IN ('card', 'invoice')),
    monthly_cap_minor INTEGER NOT NULL CHECK (monthly_cap_minor > 0),
    announced_at INTEGER,
    last_day TEXT,
    month TEXT,
    spent_minor INTEGER NOT NULL DEFAULT 0 CHECK (spent_minor >= 0),
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL
);

-- A card (Stripe payment method and customer, YooKassa payment_method_id, the sandbox's token)
-- a gateway saved at a checkout the admin agreed to save it at; one per organisation and
-- gateway, the newest winning.
CREATE TABLE saved_payment_methods (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    gateway TEXT NOT NULL CHECK (gateway IN ('sandbox', 'stripe', 'yookassa')),
    method_id TEXT NOT NULL,
    customer_id TEXT,
    label TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, gateway)
) WITHOUT ROWID;

-- A checkout whose buyer agreed to keep the card (for automatic top-ups), and a purchase the
-- automatic top-up made.
ALTER TABLE purchases ADD COLUMN save_card INTEGER NOT NULL DEFAULT 0 CHECK (save_card IN (0, 1));
ALTER TABLE purchases ADD COLUMN automatic INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1));
ALTER TABLE sandbox_payments ADD COLUMN save_card INTEGER NOT NULL DEFAULT 0 CHECK (save_card IN (0, 1));

-- The automatic top-up's notices: before a charge, after it, the bank asking for the
-- cardholder, and a top-up that could not be made (SQLite cannot alter a CHECK: rebuilt).
CREATE TABLE notifications_v5 (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('low_balance', 'balance_exhausted', 'grant_arrived',
        'charge_made', 'quote_awaiting', 'dispute_decided', 'ticket_changed', 'topup_credited',
        'refunded', 'adjustment_made', 'purchase_refunded', 'ticket_opened', 'ticket_received',
        'dispute_opened', 'approval_recorded', 'closing_soon', 'points_expiring', 'sla_warning',
        'sla_breach', 'auto_topup_due', 'auto_topup_made', 'auto_topup_confirm',
        'auto_topup_failed')),
    org_id INTEGER REFERENCES organisations(id),
    ticket_id INTEGER REFERENCES tickets(id),
    data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
INSERT INTO notifications_v5 SELECT id, user_id, kind, org_id, ticket_id, data, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v5 RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
