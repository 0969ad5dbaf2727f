-- The audit's fixes (money, payments, sign-in).

-- Every period from the open one on whose allotment has arrived, ascending, comma-separated
-- ('2026-11,2027-01'). It replaces `last_grant`, a high-water mark that let a grant posted
-- ahead (January) hide a period that was never granted (December).
ALTER TABLE organisations ADD COLUMN granted TEXT NOT NULL DEFAULT ''
    CHECK (granted = '' OR granted GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]*');
UPDATE organisations SET granted = COALESCE((
    SELECT group_concat(p, ',') FROM (
        SELECT substr(e.idempotency_key, length('grant:' || organisations.id || ':') + 1) AS p
        FROM applied_events e
        WHERE e.org_id = organisations.id
          AND e.idempotency_key GLOB 'grant:*'
          AND substr(e.idempotency_key, length('grant:' || organisations.id || ':') + 1)
              >= COALESCE(organisations.open_period, '')
        ORDER BY p)), '');
ALTER TABLE organisations DROP COLUMN last_grant;

-- A random id of this database, made once when it is created (a reset database gets a new one):
-- the prefix of the idempotency keys sent to payment gateways, so two deployments on one
-- gateway account, or one deployment before and after a reset, never send the same key.
ALTER TABLE schema_info ADD COLUMN deployment TEXT NOT NULL DEFAULT '';
UPDATE schema_info SET deployment = lower(hex(randomblob(8)));

-- The VAT code YooKassa's 54-FZ receipts carry for every pack (YooKassa's `vat_code`: 1 без НДС,
-- 2 0 %, 3 10 %, 4 20 %, 5 10/110, 6 20/120, 7 5 %, 8 7 %, 9 5/105, 10 7/107, 11 22 %, 12 22/122).
ALTER TABLE providers ADD COLUMN vat_code INTEGER NOT NULL DEFAULT 1 CHECK (vat_code BETWEEN 1 AND 12);
