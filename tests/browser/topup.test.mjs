// Self-service top-ups in real Chromium, through the built-in sandbox gateway: a client admin
// (Russian, on a phone) without enough available points for a quote follows "Buy points",
// declines in the sandbox (the balance stays and the receipt says so), buys again and pays,
// comes back to the receipt with the credit and the new balance, returns to the ticket and approves
// the quote; and a receipt left open while the payment is pending turns to "credited" when the
// notification arrives later, without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BASE, launch, people, grant, sql, DESKTOP, PHONE, closeAll, signedIn } from './pages.mjs';

let phone;
let office; // the engineer's own browser: a context keeps one session
let ticket;

const balance = () => sql('SELECT balance FROM organisations WHERE id = 523')[0].balance;

before(async () => {
  people(523, 'topup');
  grant(523, 100); // 1.00 point: short of a 3.00 quote
  sql(`INSERT INTO catalogue_items (id, provider_id, name, kind, estimate, created_at)
         VALUES (523, 523, 'Laptop setup', 'quoted', 300, unixepoch());
       INSERT INTO point_packs (id, provider_id, name, points, price_minor, currency, active, created_at)
         VALUES (523, 523, '5 баллов', 500, 750000, 'RUB', 1, unixepoch());`);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  office = await launch(DESKTOP);
  // The engineer opens the request on the client's behalf and quotes 3 points.
  const eng = await signedIn(office, 'engineer@topup.e2e');
  const headers = { origin: BASE };
  const t = await eng.page.request.post(`${BASE}/api/v1/tickets`, {
    headers,
    data: { kind: 'service_request', title: 'Laptop for the new accountant', catalogue_id: 523, org_id: 523 },
  });
  assert.equal(t.status(), 201, await t.text());
  ticket = (await t.json()).id;
  const q = await eng.page.request.post(`${BASE}/api/v1/tickets/${ticket}/quotes`, {
    headers,
    data: { points: '3.00', scope: 'Windows, office software, mail', valid_days: 7 },
  });
  assert.equal(q.status(), 201, await q.text());
});

after(() => closeAll(phone, office));

test('short of points for a quote: buy in the sandbox, come back, approve', async () => {
  const admin = await signedIn(phone, 'admin@topup.e2e');
  const p = admin.page;
  await admin.goto(`/tickets/${ticket}`);
  await p.getByTestId('quote-decision').waitFor();
  assert.equal(await p.getByTestId('available').textContent(), '1,00 балл');
  await p.getByTestId('short').waitFor();

  // Declined in the sandbox: the receipt says so, and nothing changed.
  await p.getByTestId('buy-points').click();
  await p.getByTestId('packs').waitFor();
  assert.match(await p.getByTestId('pack').first().textContent(), /5,00 баллов.*7\s500,00\s₽/);
  await p.getByTestId('buy').first().click();
  await p.getByTestId('sandbox-decline').click();
  const failed = p.locator('[data-testid="purchase-status"][data-status="failed"]');
  await failed.waitFor();
  assert.match(await failed.textContent(), /Оплата не прошла\. Баланс не изменился\./);
  assert.equal(balance(), 100);
  await admin.screenshot('topup-declined-phone');

  // Bought and paid: the receipt shows the credit and the new balance.
  await admin.goto('/buy-points');
  await p.locator('[data-testid="purchase-row"][data-status="failed"]').waitFor();
  await p.getByTestId('buy').first().click();
  assert.match(await p.getByTestId('sandbox-amount').textContent(), /7500\.00 RUB/);
  await p.getByTestId('sandbox-pay').click();
  const credited = p.locator('[data-testid="purchase-status"][data-status="succeeded"]');
  await credited.waitFor();
  assert.match(await credited.textContent(), /зачислено: 5,00 баллов/);
  assert.match(await p.getByTestId('receipt').textContent(), /Баланс после пополнения\s*6,00 баллов/);
  assert.equal(balance(), 600);
  await admin.screenshot('topup-receipt-phone');
  // Nothing scrolls sideways on the phone.
  assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));

  // Back to the quote: now affordable, approved, its points held.
  await p.getByTestId('back-to-ticket').click();
  await p.getByTestId('quote-decision').waitFor();
  await p.locator('[data-testid="available"]', { hasText: '6,00 баллов' }).waitFor();
  assert.equal(await p.getByTestId('short').count(), 0);
  await p.locator('[data-action="approve"]').click();
  await p.locator('[data-testid="status"][data-status="in_progress"]').waitFor();
  const held = sql(`SELECT h.points FROM holds h JOIN quotes q ON q.id = h.quote_id WHERE q.ticket_id = ${ticket}`);
  assert.deepEqual(held.map((h) => h.points), [300]);

  // The history: one failed, one credited purchase; one purchase entry in the books.
  await admin.goto('/buy-points');
  await p.locator('[data-testid="purchase-row"][data-status="succeeded"]').waitFor();
  assert.equal(await p.getByTestId('purchase-row').count(), 2);
  const entries = sql("SELECT COUNT(*) AS n FROM ledger_entries WHERE org_id = 523 AND kind = 'purchase'")[0].n;
  assert.equal(entries, 1);
});

test('a receipt left open while the payment is pending turns to credited by itself', async () => {
  const admin = await signedIn(phone, 'admin@topup.e2e');
  const p = admin.page;
  // A purchase whose payment is still open at the gateway.
  const c = await p.request.post(`${BASE}/api/v1/checkouts`, {
    headers: { origin: BASE, 'idempotency-key': 'topup-later' },
    data: { pack_id: 523 },
  });
  assert.equal(c.status(), 201, await c.text());
  const { purchase } = await c.json();
  await admin.goto(`/purchases/${purchase.id}`);
  await p.locator('[data-testid="purchase-status"][data-status="pending"]').waitFor();
  assert.match(await p.getByTestId('purchase-status').textContent(), /Ждём подтверждения оплаты/);
  // The gateway's notification arrives later, signed as the sandbox signs.
  const body = JSON.stringify({
    id: `evt_later_${purchase.id}`,
    type: 'payment.succeeded',
    created: Math.floor(Date.now() / 1000),
    payment: { id: purchase.payment_id, status: 'succeeded', amount_minor: 750000, currency: 'RUB', reference: 'later' },
  });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', 'pointdesk-sandbox-secret').update(`${t}.${body}`).digest('hex');
  const n = await fetch(`${BASE}/api/v1/payments/sandbox/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sandbox-signature': `t=${t},v1=${v1}` },
    body,
  });
  assert.equal(n.status, 200);
  assert.equal((await n.json()).outcome, 'credited');
  // No reload: the page asks again while pending and shows the credit.
  await p.locator('[data-testid="purchase-status"][data-status="succeeded"]').waitFor();
  assert.equal(balance(), 1100);
});

test('a manager sets the VAT rate of the receipts on the packs page', async () => {
  const manager = await signedIn(office, 'manager@topup.e2e');
  const p = manager.page;
  await manager.goto('/packs');
  await p.getByTestId('vat-form').waitFor();
  assert.equal(await p.getByTestId('vat-code').inputValue(), '1', 'без НДС until chosen');
  await p.getByTestId('vat-code').selectOption('11');
  await p.getByTestId('vat-submit').click();
  await p.getByTestId('vat-saved').waitFor();
  assert.equal(sql('SELECT vat_code FROM providers WHERE id = 523')[0].vat_code, 11);
  await manager.screenshot('vat-desktop');
  await p.reload();
  await p.getByTestId('vat-form').waitFor();
  assert.equal(await p.getByTestId('vat-code').inputValue(), '11');
  await p.close();
});
