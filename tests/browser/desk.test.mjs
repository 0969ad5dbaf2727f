// The desk's daily flow in real Chromium: a client user opens a ticket on a desktop and is
// told it was received; the engineer sees it arrive on a 390×844 phone (the home's queue count,
// the notification), takes it and resolves it; the client is asked "does this solve it?" and
// says no with a reason, then yes; the client admin's home lists the quote waiting for them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, people, grant, sql, DESKTOP, PHONE, closeAll, signedIn } from './pages.mjs';

let desktop;
let phone;

before(async () => {
  people(531, 'flow');
  grant(531, 1000);
  sql(`INSERT INTO catalogue_items (provider_id, name, kind, estimate, created_at)
         VALUES (531, 'Network survey', 'quoted', 300, unixepoch());`);
  desktop = await launch(DESKTOP);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

after(() => closeAll(desktop, phone));

test('open → acknowledged → the engineer sees it on the phone → the client confirms the fix', async () => {
  const user = await signedIn(desktop, 'user@flow.e2e');
  await user.goto('/');
  await user.page.getByTestId('home-new-ticket').click();
  await user.page.getByTestId('input-title').fill('The scanner does not start');
  await user.page.getByTestId('open-ticket').click();
  await user.page.waitForURL(/\/tickets\/\d+$/);
  const id = Number(user.page.url().split('/').pop());
  // The acknowledgement is in the user's notification centre.
  await user.goto('/notifications');
  await user.page.locator('[data-testid="notification"][data-kind="ticket_received"]').waitFor();

  // The engineer, on a phone: the home counts it, the bell has it, the queue opens it.
  const eng = await signedIn(phone, 'engineer@flow.e2e');
  await eng.goto('/');
  const unassigned = eng.page.getByTestId('count-unassigned');
  await unassigned.waitFor();
  assert.ok(Number((await unassigned.locator('.count__value').textContent()).trim()) >= 1);
  await eng.screenshot('desk-engineer-home-phone');
  await eng.goto('/notifications');
  await eng.page.locator('[data-testid="notification"][data-kind="ticket_opened"]').first().waitFor();
  await eng.screenshot('desk-engineer-notices-phone');
  await eng.goto(`/tickets/${id}`);
  await eng.page.locator('[data-action="take"]').click();
  await eng.page.locator('[data-action="start"]').click();
  await eng.page.locator('[data-action="resolve"]').click();
  await eng.page.locator('[data-testid="status"][data-status="resolved"]').waitFor();

  // The client: "does this solve it?" — no, with a reason; then, resolved again, yes.
  await user.goto(`/tickets/${id}`);
  await user.page.getByTestId('resolution').waitFor();
  await user.screenshot('desk-resolution-desktop');
  await user.page.locator('[data-action="not_fixed"]').click();
  await user.page.getByTestId('not-fixed-form').locator('textarea, input').first().fill('It still beeps');
  await user.page.getByTestId('not-fixed-form').locator('button[type="submit"]').click();
  await user.page.locator('[data-testid="status"][data-status="in_progress"]').waitFor();
  await eng.goto(`/tickets/${id}`);
  await eng.page.locator('[data-action="resolve"]').click();
  await eng.page.locator('[data-testid="status"][data-status="resolved"]').waitFor();
  await user.goto(`/tickets/${id}`);
  await user.page.locator('[data-action="confirm"]').click();
  await user.page.locator('[data-testid="status"][data-status="closed"]').waitFor();
});

test('a client admin\'s home lists the quote waiting for their decision', async () => {
  const user = await signedIn(desktop, 'user@flow.e2e');
  await user.goto('/tickets/new');
  await user.page.locator('input[name="kind"][value="service_request"]').check();
  await user.page.locator('input[name="catalogue"][data-item="Network survey"]').check();
  await user.page.getByTestId('input-title').fill('Survey the second floor');
  await user.page.getByTestId('open-ticket').click();
  await user.page.waitForURL(/\/tickets\/\d+$/);
  const id = Number(user.page.url().split('/').pop());
  const eng = await signedIn(phone, 'engineer@flow.e2e');
  await eng.goto(`/tickets/${id}`);
  await eng.page.getByTestId('input-points').fill('2');
  await eng.page.getByTestId('input-scope').fill('Walk the floor and map the sockets');
  await eng.page.getByTestId('quotes').locator('button[type="submit"]').click();
  await eng.page.locator('[data-testid="quote"][data-status="awaiting_approval"]').waitFor();
  const admin = await signedIn(phone, 'admin@flow.e2e');
  await admin.goto('/');
  const row = admin.page.locator('[data-testid="decision"][data-kind="quote"]');
  await row.waitFor();
  assert.match(await row.textContent(), /Survey the second floor/);
  await admin.screenshot('desk-admin-home-phone');
});
