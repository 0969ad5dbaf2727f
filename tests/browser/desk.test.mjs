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
  await eng.page.locator('[data-action="take"]').waitFor({ state: 'detached' });
  await eng.page.locator('[data-action="start"]').click();
  await eng.page.locator('[data-testid="status"][data-status="in_progress"]').waitFor();
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

test('the engineer sets a ticket right, a manager records a phone approval, a cancel charges the work', async () => {
  const user = await signedIn(desktop, 'user@flow.e2e');
  await user.goto('/tickets/new');
  await user.page.getByTestId('input-title').fill('Please set up a second monitor');
  await user.page.getByTestId('open-ticket').click();
  await user.page.waitForURL(/\/tickets\/\d+$/);
  const id = Number(user.page.url().split('/').pop());

  // On the phone: it is a request for something new, not a fault — quoted first.
  const eng = await signedIn(phone, 'engineer@flow.e2e');
  await eng.goto(`/tickets/${id}`);
  await eng.page.getByTestId('reclassify').locator('summary').click();
  await eng.page.getByTestId('input-to').selectOption('quoted');
  await eng.page.getByTestId('reclassify').getByTestId('input-reason').fill('New equipment is a service request');
  await eng.screenshot('desk-reclassify-phone');
  await eng.page.getByTestId('reclassify').locator('button[type="submit"]').click();
  await eng.page.getByTestId('quotes').waitFor();
  await eng.page.locator('.timeline__item[data-kind="reclassified"]').waitFor();
  await eng.page.getByTestId('input-points').fill('2');
  await eng.page.getByTestId('input-scope').fill('Mount and connect the monitor');
  await eng.page.getByTestId('quotes').locator('button[type="submit"]').first().click();
  await eng.page.locator('[data-testid="quote"][data-status="awaiting_approval"]').waitFor();

  // The client admin approved on the phone call: the manager records it.
  const mgr = await signedIn(phone, 'manager@flow.e2e');
  await mgr.goto(`/tickets/${id}`);
  await mgr.page.getByTestId('record-approval').locator('summary').click();
  await mgr.page.getByTestId('input-approver_id').locator('option').first().waitFor({ state: 'attached' });
  await mgr.page.getByTestId('input-approved_at').fill('5');
  await mgr.page.getByTestId('record-approval').getByTestId('input-note').fill('Анна approved on the phone');
  await mgr.screenshot('desk-record-approval-phone');
  await mgr.page.getByTestId('record-approval').locator('button[type="submit"]').click();
  await mgr.page.locator('[data-testid="status"][data-status="in_progress"]').waitFor();
  await mgr.page.getByTestId('recorded-approval').waitFor();
  // The admin sees it in their name and may say it was not them.
  const admin = await signedIn(desktop, 'admin@flow.e2e');
  await admin.goto(`/tickets/${id}`);
  await admin.page.getByTestId('dispute-approval').waitFor();

  // 50 minutes of work, then the request is cancelled (a rare step, under "More"): the screen
  // says what that charges and waits for a yes.
  await eng.goto(`/tickets/${id}`);
  await eng.page.getByTestId('work-form').getByTestId('input-minutes').fill('50');
  await eng.page.getByTestId('work-form').locator('button[type="submit"]').click();
  await eng.page.locator('[data-testid="logged"]', { hasText: '50' }).waitFor();
  await eng.page.getByTestId('more-actions').locator('summary').click();
  await eng.page.locator('[data-action="cancel"]').click();
  const charge = eng.page.getByTestId('charge-confirm');
  await charge.waitFor();
  assert.match(await charge.textContent(), /1\.00 points? \(50 minutes → 60 minutes\)/);
  await eng.screenshot('desk-cancel-charge-phone');
  await eng.page.locator('[data-action="charge-back"]').click();
  await charge.waitFor({ state: 'detached' });
  assert.equal(await eng.page.getByTestId('status').getAttribute('data-status'), 'in_progress', 'Back changes nothing');
  await eng.page.locator('[data-action="cancel"]').click();
  await eng.page.locator('[data-action="charge-confirm"]').click();
  await eng.page.locator('[data-testid="status"][data-status="cancelled"]').waitFor();
});

test('the client reads their plan in plain words; a dispute row leads to its ticket', async () => {
  const user = await signedIn(phone, 'user@flow.e2e');
  await user.goto('/');
  await user.page.getByTestId('plan-terms-link').click();
  await user.page.waitForURL(/\/plan$/);
  const rules = user.page.getByTestId('terms-rules');
  await rules.waitFor();
  assert.match(await rules.textContent(), /15 minutes/);
  await user.screenshot('desk-plan-phone');

  // A disputed charge, made through the API, then followed from the manager's report.
  sql(`INSERT INTO tickets (id, provider_id, org_id, number, kind, title, priority, requester_id, status, cause,
         charge_points, charge_at, charge_lines, charge_detail, created_at, updated_at)
       VALUES (53190, 531, 531, 90, 'incident', 'Deleted the shared folder', 'normal',
         (SELECT id FROM users WHERE email = 'user@flow.e2e'), 'resolved', 'client_caused', 100, unixepoch(), 1,
         '{"logged_minutes":60,"billed_minutes":60,"increment_minutes":15,"points":"1.00","rule":"exact"}', unixepoch(), unixepoch());
       INSERT INTO disputes (id, ticket_id, org_id, opened_by, reason, opened_at, state)
       VALUES (53190, 53190, 531, (SELECT id FROM users WHERE email = 'admin@flow.e2e'), 'Not us', unixepoch(), 'open');`);
  const mgr = await signedIn(desktop, 'manager@flow.e2e');
  await mgr.goto('/reports');
  const link = mgr.page.getByTestId('report-disputes').locator('a', { hasText: '90' });
  await link.click();
  await mgr.page.waitForURL(/\/tickets\/53190$/);
  await mgr.page.getByTestId('dispute').waitFor();
});
