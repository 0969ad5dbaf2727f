SELECT o.id, o.balance, e.total AS entries, b.remaining - o.debt AS blocks, l.balance_after AS last_entry, d.total AS days, r.reserved AS reserved, h.held AS reservations
FROM organisations o
LEFT JOIN (SELECT org_id, SUM(amount) AS total FROM ledger_entries GROUP BY org_id) e ON e.org_id = o.id
LEFT JOIN (SELECT org_id, SUM(remaining) AS remaining FROM credit_blocks GROUP BY org_id) b ON b.org_id = o.id
LEFT JOIN (SELECT org_id, balance_after FROM ledger_entries WHERE id IN (SELECT MAX(id) FROM ledger_entries GROUP BY org_id)) l ON l.org_id = o.id
LEFT JOIN (SELECT org_id, SUM(grants + purchases + charges + refunds + adjustments + expiry) AS total FROM ledger_days GROUP BY org_id) d ON d.org_id = o.id
LEFT JOIN (SELECT org_id, SUM(reserved) AS reserved FROM credit_blocks GROUP BY org_id) r ON r.org_id = o.id
LEFT JOIN (SELECT org_id, SUM(points) AS held FROM hold_reservations GROUP BY org_id) h ON h.org_id = o.id
WHERE o.balance <> COALESCE(e.total, 0)
   OR o.balance <> COALESCE(b.remaining, 0) - o.debt
   OR (l.balance_after IS NOT NULL AND l.balance_after <> o.balance)
   OR COALESCE(d.total, 0) <> COALESCE(e.total, 0)
   OR COALESCE(r.reserved, 0) <> COALESCE(h.held, 0)
ORDER BY o.id
