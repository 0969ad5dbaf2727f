// The seed's two stories in real Chromium: client steps on a 1280×800 desktop, engineer steps
// on a 390×844 phone. 1) A quoted service request: quote → approval (a hold) → work →
// completion (the charge). 2) A client-caused incident: 47 minutes → 1.00 point with the
// rounding explained → dispute → upheld → refund. Plus: internal comments stay internal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, people, sql, DESKTOP, PHONE, closeAll, signedIn } from './pages.mjs';

let desktop;
let phone;

before(async () => {
  people(511, 'tix');
  // A plan in 15-minute steps, 10.00 points granted this period, and a catalogue.
  sql(`INSERT INTO plans (id, provider_id, name, base, per_seat, increment_minutes, rollover, overdraft)
         VALUES (511, 511, 'Plan tix', 1000, 0, 15, 'none', 'never');
       INSERT INTO catalogue_items (provider_id, name, kind, estimate, created_at) VALUES
         (511, 'New laptop', 'quoted', 300, unixepoch()), (511, 'Mailbox for a new starter', 'standard', NULL, unixepoch());
       UPDATE organisations SET plan_id = 511, balance = 1000, version = 1, open_period = strftime('%Y-%m', 'now'),
         granted = strftime('%Y-%m', 'now'), next_block = 2 WHERE id = 511;
       INSERT INTO credit_blocks (org_id, block_no, source, amount, remaining, reserved, expires, expired, created_key, created_at)
         VALUES (511, 1, 'grant:' || strftime('%Y-%m', 'now'), 1000, 1000, 0, strftime('%Y-%m', 'now'), 0, 'grant:511:browser', unixepoch());
       INSERT INTO ledger_entries (org_id, kind, amount, reason, reference, idempotency_key, at, balance_after, debt_change)
         VALUES (511, 'grant', 1000, 'Allotment', 'period:' || strftime('%Y-%m', 'now'), 'grant:511:browser', unixepoch(), 1000, 0);
       INSERT INTO entry_moves (entry_id, org_id, block_no, points)
         VALUES ((SELECT id FROM ledger_entries WHERE idempotency_key = 'grant:511:browser'), 511, 1, 1000);`);
  desktop = await launch(DESKTOP);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

after(() => closeAll(desktop, phone));


async function openTicket(app, { kind, item, title }) {
  const page = app.page;
  await app.goto('/tickets/new');
  await page.locator(`input[name="kind"][value="${kind}"]`).check();
  if (item) {
    await page.locator(`input[name="catalogue"][data-item="${item}"]`).check();
  }
  await page.getByTestId('input-title').fill(title);
  await page.getByTestId('open-ticket').click();
  await page.waitForURL(/\/tickets\/\d+$/);
  await page.getByTestId('status').waitFor();
  return Number(page.url().split('/').pop());
}

async function status(page, want) {
  await page.locator(`[data-testid="status"][data-status="${want}"]`).waitFor();
}

test('story 1: a quoted request is approved (held), worked and completed (charged)', async () => {
  const user = await signedIn(desktop, 'user@tix.e2e');
  await user.goto('/tickets/new');
  await user.screenshot('new-ticket-desktop');
  const id = await openTicket(user, { kind: 'service_request', item: 'New laptop', title: 'Laptop for the new doctor' });
  await status(user.page, 'new');

  // The engineer quotes 3 points from the phone.
  const eng = await signedIn(phone, 'engineer@tix.e2e');
  await eng.goto('/tickets');
  await eng.page.locator(`[data-testid="ticket-row"][data-number]`).first().waitFor();
  await eng.screenshot('ticket-queue-phone');
  assert.equal(await eng.horizontalOverflow(), 0, 'the queue fits a phone');
  await eng.goto(`/tickets/${id}`);
  await eng.page.getByTestId('input-points').fill('3');
  await eng.page.getByTestId('input-scope').fill('Windows, the clinic software, the scanner');
  await eng.page.getByTestId('quote-form').getByRole('button').click();
  await status(eng.page, 'awaiting_approval');

  // The client admin (Russian) sees the quote beside the balance and approves: 3 points held.
  const admin = await signedIn(desktop, 'admin@tix.e2e');
  await admin.goto(`/tickets/${id}`);
  await admin.page.getByTestId('quote-decision').waitFor();
  assert.equal(await admin.page.getByTestId('available').textContent(), '10,00 баллов');
  assert.equal(await admin.page.getByTestId('quote-points').textContent(), '3,00 балла');
  await admin.screenshot('quote-approval-desktop');
  await admin.page.locator('[data-action="approve"]').click();
  await status(admin.page, 'in_progress');
  await admin.page.locator('[data-testid="held"]', { hasText: '3,00 балла' }).waitFor();
  const held = sql(`SELECT h.points FROM holds h JOIN quotes q ON q.id = h.quote_id WHERE q.ticket_id = ${id}`);
  assert.deepEqual(held, [{ points: 300 }]);
  const bal = sql('SELECT balance FROM organisations WHERE id = 511')[0].balance;
  assert.equal(bal, 1000, 'a hold does not change the balance, only what is available');

  // The engineer logs two hours with the quick buttons and completes.
  await eng.goto(`/tickets/${id}`);
  await eng.page.locator('[data-minutes="60"]').click();
  await eng.page.locator('[data-testid="logged"]', { hasText: '60' }).waitFor();
  await eng.page.locator('[data-minutes="60"]').click();
  await eng.page.locator('[data-testid="logged"]', { hasText: '120' }).waitFor();
  await eng.screenshot('ticket-engineer-phone');
  assert.equal(await eng.horizontalOverflow(), 0, 'the ticket fits a phone');
  // Completing charges the approved quote: the screen says how much and waits for a yes.
  await eng.page.locator('[data-action="complete"]').click();
  const ask = eng.page.getByTestId('charge-confirm');
  await ask.waitFor();
  assert.equal(await ask.getByTestId('charge-confirm-points').textContent(), '3.00 points');
  await eng.screenshot('ticket-complete-confirm-phone');
  await eng.page.locator('[data-action="charge-confirm"]').click();
  await status(eng.page, 'completed');

  // The charge: 3 points, linked to the quote of this ticket; the hold is gone.
  await admin.goto(`/tickets/${id}`);
  assert.equal(await admin.page.getByTestId('cost').textContent(), '3,00 балла');
  assert.equal(await admin.page.getByTestId('held').textContent(), '0,00 баллов');
  await admin.page.locator('[data-testid="ledger-effect"]', { hasText: '-3,00' }).waitFor();
  const charges = sql(`SELECT amount, reference FROM ledger_entries WHERE org_id = 511 AND kind = 'charge'`);
  assert.equal(charges.length, 1);
  assert.equal(charges[0].amount, -300);
  assert.match(charges[0].reference, /^quote:\d+$/);
  assert.deepEqual(sql(`SELECT 1 FROM holds WHERE org_id = 511`), []);
});

test('story 2: a client-caused incident is charged, disputed and refunded', async () => {
  const user = await signedIn(desktop, 'user@tix.e2e');
  const id = await openTicket(user, { kind: 'incident', title: 'Shared folder is empty' });

  const eng = await signedIn(phone, 'engineer@tix.e2e');
  await eng.goto(`/tickets/${id}`);
  await eng.page.locator('[data-action="start"]').click();
  await status(eng.page, 'in_progress');
  await eng.page.getByTestId('input-minutes').fill('47');
  await eng.page.getByTestId('input-note').fill('Restored from last night\'s copy');
  await eng.page.getByTestId('work-form').getByRole('button').click();
  await eng.page.locator('[data-testid="logged"]', { hasText: '47' }).waitFor();
  // An internal note for colleagues only.
  await eng.page.getByTestId('comment-form').locator('textarea').fill('Their backup job is misconfigured');
  await eng.page.getByTestId('internal').check();
  await eng.page.getByTestId('comment-form').getByRole('button').click();
  await eng.page.locator('[data-testid="timeline"] [data-kind="comment"]').waitFor();
  await eng.page.locator('[data-action="resolve"]').click();
  await status(eng.page, 'resolved');
  await eng.page.locator('input[name="cause"][value="client_caused"]').check();
  await eng.page.getByTestId('input-explanation').fill('A staff member deleted the folder');
  await eng.page.getByTestId('cause-form').getByRole('button').click();
  // Client caused charges at once: first the exact points and how the time was rounded.
  const cause = eng.page.getByTestId('charge-confirm');
  await cause.waitFor();
  assert.match(await cause.textContent(), /1\.00 points? \(47 minutes → 60 minutes\)/);
  await eng.screenshot('incident-cause-confirm-phone');
  await eng.page.locator('[data-action="charge-confirm"]').click();
  await eng.page.getByTestId('charge').waitFor();
  await eng.screenshot('incident-charged-phone');
  assert.equal(await eng.horizontalOverflow(), 0);

  // The client sees 1.00 point and why; never the internal note.
  await user.goto(`/tickets/${id}`);
  assert.equal(await user.page.getByTestId('charge-why').textContent(),
    '1 entry, 47 min → 1.00 point, rounded up to 15-min steps');
  await user.page.getByTestId('timeline').waitFor();
  assert.doesNotMatch(await user.page.getByTestId('timeline').textContent(), /misconfigured/);
  assert.match(await user.page.getByTestId('timeline').textContent(), /A staff member deleted the folder/);

  // The client admin disputes; the manager upholds; a 1.00 refund appears.
  const admin = await signedIn(desktop, 'admin@tix.e2e');
  await admin.goto(`/tickets/${id}`);
  assert.equal(await admin.page.getByTestId('charge-why').textContent(),
    '1 запись, 47 мин → 1,00 балл, округлено вверх до шага 15 мин');
  await admin.page.getByTestId('dispute-form').getByTestId('input-reason').fill('The nightly update did it');
  await admin.page.getByTestId('dispute-form').getByRole('button').click();
  await admin.page.locator('[data-testid="dispute"][data-state="open"]').waitFor();
  await admin.screenshot('dispute-open-desktop');

  const mgr = await signedIn(desktop, 'manager@tix.e2e');
  await mgr.goto(`/tickets/${id}`);
  await mgr.page.getByTestId('decide-form').getByTestId('input-reason').fill('Confirmed: the update deleted it');
  await mgr.page.locator('[data-action="uphold"]').click();
  await mgr.page.locator('[data-testid="dispute"][data-state="upheld"]').waitFor();
  assert.equal(await mgr.page.getByTestId('cost').textContent(), '0.00 points');
  await mgr.page.locator('[data-testid="ledger-effect"]', { hasText: '1.00' }).nth(1).waitFor();
  const refunds = sql(`SELECT amount FROM ledger_entries WHERE org_id = 511 AND kind = 'refund'`);
  assert.deepEqual(refunds, [{ amount: 100 }]);
  await admin.goto(`/tickets/${id}`);
  assert.equal(await admin.page.getByTestId('decision-reason').textContent(), 'Confirmed: the update deleted it');
});
