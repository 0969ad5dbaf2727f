-- Self-service top-ups: point packs the manager sells, purchases made through a payment
-- gateway (sandbox, Stripe, YooKassa), the gateways' notifications as received, and the built-in
-- sandbox gateway's own payments.

-- A pack the provider sells: so many points for so much money. Packs are never removed (a
-- purchase names its pack); a pack that is no longer sold is inactive.
CREATE TABLE point_packs (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
    points INTEGER NOT NULL CHECK (points > 0 AND points <= 100000000),
    -- In the currency's minor units (kopecks, cents).
    price_minor INTEGER NOT NULL CHECK (price_minor > 0 AND price_minor <= 100000000000),
    currency TEXT NOT NULL CHECK (currency IN ('RUB', 'EUR', 'USD')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
);
CREATE INDEX point_packs_by_provider ON point_packs (provider_id, active);
CREATE TRIGGER point_packs_are_kept BEFORE DELETE ON point_packs
BEGIN
    SELECT RAISE(ABORT, 'point packs are never removed: deactivate them');
END;

-- One attempt to buy a pack. The pack's points, price and currency are copied: what was bought
-- is what was shown. `payment_id` is the gateway's id for the payment, known once the gateway
-- answered; the pair is unique, so one payment is one purchase. The points arrive as the
-- ledger entry keyed `purchase:{id}` (UNIQUE there), exactly once.
CREATE TABLE purchases (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    pack_id INTEGER NOT NULL REFERENCES point_packs(id),
    pack_name TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    points INTEGER NOT NULL CHECK (points > 0),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    gateway TEXT NOT NULL CHECK (gateway IN ('sandbox', 'stripe', 'yookassa')),
    payment_id TEXT,
    checkout_url TEXT,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
    -- Why a payment failed, as the gateway said it.
    failure TEXT,
    created_at INTEGER NOT NULL,
    settled_at INTEGER,
    UNIQUE (gateway, payment_id)
);
CREATE INDEX purchases_by_org ON purchases (org_id, id);
CREATE INDEX purchases_by_provider ON purchases (provider_id, created_at);
-- Once succeeded, always succeeded: a late failure or cancellation changes nothing.
CREATE TRIGGER purchases_success_is_final BEFORE UPDATE OF status ON purchases
    WHEN OLD.status = 'succeeded' AND NEW.status <> 'succeeded'
BEGIN
    SELECT RAISE(ABORT, 'a succeeded purchase stays succeeded');
END;

-- Every notification that passed its gateway's check, once per gateway event id (replays of an
-- event are refused by the key and answered as already handled).
CREATE TABLE payment_events (
    id INTEGER PRIMARY KEY,
    gateway TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payment_id TEXT NOT NULL,
    purchase_id INTEGER REFERENCES purchases(id),
    outcome TEXT NOT NULL CHECK (outcome IN ('credited', 'failed', 'canceled', 'ignored')),
    received_at INTEGER NOT NULL,
    UNIQUE (gateway, event_id)
);

-- The built-in sandbox gateway's own books (it stands in for a real provider's servers).
CREATE TABLE sandbox_payments (
    id TEXT PRIMARY KEY,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    description TEXT NOT NULL,
    reference TEXT NOT NULL,
    return_url TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
    -- The last notification it delivered, exactly as sent (body and signature header).
    notification TEXT,
    signature TEXT,
    created_at INTEGER NOT NULL
);
