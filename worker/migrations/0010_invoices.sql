-- Paying by bank transfer: requisites, invoices (purchases that wait for a transfer), payments
-- read from 1C bank statements, and closing acts.

-- The provider's requisites (the seller on invoices and acts); checked by the API.
CREATE TABLE provider_requisites (
    provider_id INTEGER PRIMARY KEY REFERENCES providers(id),
    legal_name TEXT NOT NULL,
    inn TEXT NOT NULL CHECK (length(inn) IN (10, 12)),
    kpp TEXT NOT NULL,
    ogrn TEXT NOT NULL,
    address TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    bik TEXT NOT NULL CHECK (length(bik) = 9),
    account TEXT NOT NULL CHECK (length(account) = 20),
    corr_account TEXT NOT NULL CHECK (length(corr_account) = 20),
    vat TEXT NOT NULL CHECK (vat IN ('none', '5', '7', '20', '22')),
    signatory TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A client organisation's requisites (the buyer).
CREATE TABLE org_requisites (
    org_id INTEGER PRIMARY KEY REFERENCES organisations(id),
    legal_name TEXT NOT NULL,
    inn TEXT NOT NULL CHECK (length(inn) IN (10, 12)),
    kpp TEXT NOT NULL,
    address TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX org_requisites_by_inn ON org_requisites (inn);

-- A purchase may now be paid by invoice (`gateway = 'invoice'`), waiting as
-- `awaiting_transfer` until the transfer arrives. SQLite cannot alter a CHECK, so the table is
-- rebuilt as in 0007 — and with it the two tables that refer to it: the new ones refer to the
-- new table, the old ones go first, and the renames carry the references along.
CREATE TABLE purchases_v2 (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    pack_id INTEGER NOT NULL REFERENCES point_packs(id),
    pack_name TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    points INTEGER NOT NULL CHECK (points > 0),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    gateway TEXT NOT NULL CHECK (gateway IN ('sandbox', 'stripe', 'yookassa', 'invoice')),
    payment_id TEXT,
    checkout_url TEXT,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'awaiting_transfer', 'succeeded', 'failed', 'canceled')),
    failure TEXT,
    created_at INTEGER NOT NULL,
    settled_at INTEGER,
    UNIQUE (gateway, payment_id),
    -- Only an invoice waits for a transfer, and an invoice is never `pending` or `failed`.
    CHECK (gateway = 'invoice' OR status <> 'awaiting_transfer'),
    CHECK (gateway <> 'invoice' OR status IN ('awaiting_transfer', 'succeeded', 'canceled'))
);
INSERT INTO purchases_v2 (id, provider_id, org_id, pack_id, pack_name, user_id, points,
    amount_minor, currency, gateway, payment_id, checkout_url, status, failure, created_at, settled_at)
    SELECT id, provider_id, org_id, pack_id, pack_name, user_id, points, amount_minor, currency,
        gateway, payment_id, checkout_url, status, failure, created_at, settled_at FROM purchases;

CREATE TABLE payment_events_v3 (
    id INTEGER PRIMARY KEY,
    gateway TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payment_id TEXT NOT NULL,
    purchase_id INTEGER REFERENCES purchases_v2(id),
    outcome TEXT NOT NULL CHECK (outcome IN ('credited', 'failed', 'canceled', 'ignored', 'refunded')),
    received_at INTEGER NOT NULL,
    UNIQUE (gateway, event_id)
);
INSERT INTO payment_events_v3 SELECT id, gateway, event_id, kind, payment_id, purchase_id, outcome, received_at FROM payment_events;

CREATE TABLE outstanding_refunds_v2 (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    purchase_id INTEGER NOT NULL REFERENCES purchases_v2(id),
    points INTEGER NOT NULL CHECK (points > 0 AND points <= 9007199254740992),
    PRIMARY KEY (org_id, purchase_id)
) WITHOUT ROWID;
INSERT INTO outstanding_refunds_v2 SELECT org_id, purchase_id, points FROM outstanding_refunds;

DROP TABLE payment_events;
DROP TABLE outstanding_refunds;
DROP TABLE purchases;
ALTER TABLE purchases_v2 RENAME TO purchases;
ALTER TABLE payment_events_v3 RENAME TO payment_events;
ALTER TABLE outstanding_refunds_v2 RENAME TO outstanding_refunds;
CREATE INDEX purchases_by_org ON purchases (org_id, id);
CREATE INDEX purchases_by_provider ON purchases (provider_id, created_at);
CREATE TRIGGER purchases_success_is_final BEFORE UPDATE OF status ON purchases
    WHEN OLD.status = 'succeeded' AND NEW.status <> 'succeeded'
BEGIN
    SELECT RAISE(ABORT, 'a succeeded purchase stays succeeded');
END;

-- An invoice is settled once: paid or cancelled, it stays so (a transfer arriving for a cancelled
-- invoice waits for the manager instead of crediting it).
CREATE TRIGGER invoices_settle_once BEFORE UPDATE OF status ON purchases
    WHEN OLD.gateway = 'invoice' AND OLD.status <> 'awaiting_transfer' AND NEW.status <> OLD.status
BEGIN
    SELECT RAISE(ABORT, 'an invoice is settled once');
END;

-- An invoice: the purchase it is, its number (per provider and year, from 1), and the document
-- as issued (seller and buyer requisites, VAT), so a reprint is identical whatever changes later.
CREATE TABLE invoices (
    purchase_id INTEGER PRIMARY KEY REFERENCES purchases(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    issued_on TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    description TEXT NOT NULL,
    vat TEXT NOT NULL,
    vat_minor INTEGER NOT NULL CHECK (vat_minor >= 0),
    buyer_inn TEXT NOT NULL,
    document TEXT NOT NULL,
    paid_on TEXT,
    payment_reference TEXT,
    UNIQUE (provider_id, year, number)
);
CREATE INDEX invoices_by_org ON invoices (org_id, purchase_id);
CREATE TRIGGER invoices_document_is_kept BEFORE UPDATE OF number, year, issued_on, document, vat_minor ON invoices
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice does not change');
END;

-- Incoming payments read from bank statements. The same payment in two files (or one file
-- imported twice) is the same row: number, date and payer account make its key.
CREATE TABLE bank_payments (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    doc_key TEXT NOT NULL,
    number TEXT NOT NULL,
    doc_date TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    payer_name TEXT NOT NULL,
    payer_inn TEXT NOT NULL,
    payer_account TEXT NOT NULL,
    purpose TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('credited', 'open', 'refund', 'ignored')),
    reason TEXT,
    invoice_id INTEGER REFERENCES purchases(id),
    note TEXT,
    imported_at INTEGER NOT NULL,
    resolved_by INTEGER REFERENCES users(id),
    resolved_at INTEGER,
    UNIQUE (provider_id, doc_key),
    CHECK (state <> 'credited' OR invoice_id IS NOT NULL)
);
CREATE INDEX bank_payments_open ON bank_payments (provider_id, state, id);
-- A payment that credited an invoice stays so; a decided one is not decided again.
CREATE TRIGGER bank_payments_decided_once BEFORE UPDATE OF state ON bank_payments
    WHEN OLD.state <> 'open'
BEGIN
    SELECT RAISE(ABORT, 'a decided bank payment stays decided');
END;

-- A closing act: numbered per provider and year when first issued, its document kept as issued.
CREATE TABLE acts (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    issued_on TEXT NOT NULL,
    document TEXT NOT NULL,
    UNIQUE (org_id, period),
    UNIQUE (provider_id, year, number)
);
CREATE TRIGGER acts_are_kept BEFORE UPDATE ON acts
BEGIN
    SELECT RAISE(ABORT, 'an issued act does not change');
END;
