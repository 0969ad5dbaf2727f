// The books in real Chromium. A manager (desktop) adjusts a client's balance; the client admin
// (390×844 phone) reads balance, available, holds, forecast, what expires, the chart and the
// ledger; filters it; downloads the CSV, which must match the API row for row; opens the
// statement. The low-balance alarm fires once per downward crossing, in the centre and by mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, people, sql, DESKTOP, PHONE, closeAll, signedIn } from './pages.mjs';

let desktop;
let phone;

before(async () => {
  people(521, 'books');
  // 10.00 points granted this period; the threshold is 5.00 (the default).
  sql(`INSERT INTO plans (id, provider_id, name, base, per_seat, increment_minutes, rollover, overdraft)
         VALUES (521, 521, 'Plan books', 1000, 0, 15, 'none', 'never');
       UPDATE organisations SET plan_id = 521, balance = 1000, version = 1, open_period = strftime('%Y-%m', 'now'),
         granted = strftime('%Y-%m', 'now'), next_block = 2 WHERE id = 521;
       INSERT INTO credit_blocks (org_id, block_no, source, amount, remaining, reserved, expires, expired, created_key, created_at)
         VALUES (521, 1, 'grant:' || strftime('%Y-%m', 'now'), 1000, 1000, 0, strftime('%Y-%m', 'now'), 0, 'grant:521:browser', unixepoch());
       INSERT INTO ledger_entries (org_id, kind, amount, reason, reference, idempotency_key, at, balance_after, debt_change)
         VALUES (521, 'grant', 1000, 'Allotment', 'period:' || strftime('%Y-%m', 'now'), 'grant:521:browser', unixepoch(), 1000, 0);
       INSERT INTO entry_moves (entry_id, org_id, block_no, points)
         VALUES ((SELECT id FROM ledger_entries WHERE idempotency_key = 'grant:521:browser'), 521, 1, 1000);`);
  desktop = await launch(DESKTOP);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

after(() => closeAll(desktop, phone));

async function adjust(manager, amount, reason) {
  const p = manager.page;
  assert.equal(await p.getByTestId('adjust-done').count(), 0, 'a fresh form');
  await p.locator('#field-amount').fill(amount);
  await p.locator('#field-reason').fill(reason);
  await p.getByTestId('adjust-submit').click();
  await p.getByTestId('adjust-done').waitFor();
}

const lows = () => sql("SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'admin@books.e2e' AND n.kind = 'low_balance'")[0].n;
const lowMails = () => sql("SELECT COUNT(*) AS n FROM outbox WHERE to_email = 'admin@books.e2e' AND kind = 'low_balance'")[0].n;

test('a client admin sees every point: balance, forecast, chart, ledger, CSV and statement', async () => {
  const manager = await signedIn(desktop, 'manager@books.e2e');
  await manager.goto('/clients/521');
  // A bad amount is refused at the field, in the reader's language, and nothing moves.
  await manager.page.locator('#field-amount').fill('0');
  await manager.page.locator('#field-reason').fill('Nothing');
  await manager.page.getByTestId('adjust-submit').click();
  await manager.page.locator('#field-amount-error').waitFor();
  // 10 → 6: above the threshold, no alarm.
  await manager.goto('/clients/521');
  await adjust(manager, '-4', 'Onsite visit not in the plan');
  assert.equal(lows(), 0);
  // 6 → 4: crosses 5 — exactly one notice and one mail; 4 → 3.5: below already, nothing more.
  await manager.goto('/clients/521');
  await adjust(manager, '-2', 'Printer toner');
  await manager.goto('/clients/521');
  await adjust(manager, '-0.50', 'Cable');
  assert.equal(lows(), 1);
  assert.equal(lowMails(), 1);

  const admin = await signedIn(phone, 'admin@books.e2e');
  const p = admin.page;
  const card = p.getByTestId('balance-card');
  await card.waitFor();
  assert.equal(await card.getByTestId('available').textContent(), '3,50 балла');
  assert.equal(await card.getByTestId('held').textContent(), '0,00 баллов');
  assert.match(await card.getByTestId('run-out').textContent(), /баллы/);
  assert.match(await card.getByTestId('expiring').textContent(), /3,50 балла/);
  assert.ok((await admin.horizontalOverflow()) <= 0, 'home fits the phone');
  // The bell counts what is unread; the centre shows the one low-balance notice.
  assert.equal(await p.getByTestId('unread').textContent(), '4', 'three adjustments and one low balance');
  await p.getByTestId('bell').click();
  await p.getByTestId('notification').first().waitFor();
  assert.equal(await p.locator('[data-testid="notification"][data-kind="low_balance"]').count(), 1);
  // Opening the centre keeps them unread; "Mark all read" clears the bell.
  assert.equal(await p.getByTestId('unread').textContent(), '4');
  await p.getByTestId('mark-all-read').click();
  await p.waitForFunction(() => !document.querySelector('[data-testid="unread"]'));

  // The ledger: chart with a summary for screen readers, every entry, filters, CSV.
  await admin.goto('/ledger');
  await p.getByTestId('balance-chart').waitFor();
  assert.match(await p.getByTestId('chart-summary').textContent(), /3,50 балла/);
  await p.getByTestId('entry').first().waitFor();
  assert.equal(await p.getByTestId('entry').count(), 4);
  assert.ok((await admin.horizontalOverflow()) <= 0, 'the ledger fits the phone');
  await p.getByTestId('filter-kind').selectOption('adjustment');
  await p.getByRole('button', { name: 'Применить' }).click();
  await p.waitForFunction(() => document.querySelectorAll('[data-testid="entry"]').length === 3);
  const api = await p.evaluate(async () => (await fetch('/api/v1/organizations/521/ledger?kind=adjustment')).json());
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('ledger-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.equal(csv.charCodeAt(0), 0xfeff, 'a byte-order mark for Excel');
  const lines = csv.slice(1).trimEnd().split('\r\n');
  // A Russian reader's file: `;` between fields, decimal commas, Russian headers, named for
  // the client and the day.
  assert.match(download.suggestedFilename(), /^pointdesk-[a-z0-9-]+-\d{4}-\d{2}(-\d{2})?\.csv$/);
  assert.equal(lines[0], '№;Когда (UTC);Вид;Баллы;Баланс после;Ссылка;Заявка;Основание;Кто');
  assert.equal(lines.length - 1, api.entries.length);
  api.entries.forEach((e, i) => {
    const cells = lines[i + 1].split(';');
    assert.equal(cells[0], String(e.id));
    assert.equal(cells[2], 'adjustment');
    assert.equal(cells[3], e.amount.replace('.', ','));
    assert.equal(cells[4], e.balance_after.replace('.', ','));
    assert.equal(cells[7], e.reason);
  });

  // The statement of this month adds up to the balance.
  await p.getByTestId('statement-link').click();
  await p.getByTestId('statement').waitFor();
  assert.equal(await p.getByTestId('statement').getAttribute('data-closing'), '3.50');
  const rows = p.getByTestId('statement-summary').locator('tr');
  assert.equal(await rows.first().innerText(), 'Остаток на начало\t0,00 баллов');
  assert.equal(await rows.last().innerText(), 'Остаток на конец\t3,50 балла');
  assert.ok((await admin.horizontalOverflow()) <= 0, 'the statement fits the phone');
  await admin.screenshot('ledger-statement-phone');
});

test('the alarm re-arms above the threshold and fires again below it', async () => {
  const manager = await signedIn(desktop, 'manager@books.e2e');
  await manager.goto('/clients/521');
  await adjust(manager, '5', 'Goodwill credit'); // 3.5 → 8.5: above 5, re-armed
  assert.equal(lows(), 1);
  await manager.goto('/clients/521');
  await adjust(manager, '-4', 'Router'); // 8.5 → 4.5: a second crossing
  assert.equal(lows(), 2);
  assert.equal(lowMails(), 2);
  // The client reads the manager's reason in their ledger.
  const admin = await signedIn(phone, 'admin@books.e2e');
  await admin.goto('/ledger');
  await admin.page.getByText('Goodwill credit').waitFor();
  await admin.page.getByTestId('balance-chart').scrollIntoViewIfNeeded();
  await admin.screenshot('ledger-chart-phone');
});
