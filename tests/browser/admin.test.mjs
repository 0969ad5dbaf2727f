// Running clients and people in real Chromium: a manager changes a client's seats and sees the
// allotment follow; a client admin invites a colleague who accepts through the mailed link (the
// outbox shows it masked) and signs in; a manager deactivates someone; the outbox and the audit log show what happened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppPage, launch, people, sql, DESKTOP, PHONE, closeAll, signedIn } from './pages.mjs';

let desktop;
let phone;

before(async () => {
  people(501, 'admin');
  // Standard: 8 + 1 per seat, monitoring +4. The organisation has 12 seats: 20.00 a month.
  sql(`INSERT INTO plans (provider_id, name, base, per_seat, options, increment_minutes, rollover, overdraft)
       VALUES (501, 'Standard', 800, 100, '[{"code":"monitoring","name":"Server monitoring","points":"4.00"}]', 15, 'none', 'incidents_only');
       UPDATE organisations SET plan_id = (SELECT id FROM plans WHERE provider_id = 501), seats = 12, balance = 0 WHERE id = 501;`);
  desktop = await launch(DESKTOP);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

after(() => closeAll(desktop, phone));


test('a manager changes a client\'s seats and options and sees the allotment follow', async () => {
  const app = await signedIn(desktop, 'manager@admin.e2e');
  const page = app.page;
  await page.getByTestId('site-nav').getByRole('link', { name: 'Clients' }).click();
  const row = page.locator('[data-testid="client-row"][data-name="Org admin"]');
  await row.waitFor();
  await app.screenshot('clients-desktop');
  await row.getByRole('link').click();
  await page.getByTestId('allotment-total').waitFor();
  assert.equal(await page.getByTestId('allotment').getAttribute('data-total'), '20.00');
  assert.equal(await page.getByTestId('client-seats').textContent(), '12 seats');

  await page.getByTestId('input-seats').fill('15');
  await page.getByTestId('option-monitoring').check();
  await page.getByTestId('edit-client-submit').click();
  await page.locator('[data-testid="allotment"][data-total="27.00"]').waitFor();
  assert.equal(await page.getByTestId('client-seats').textContent(), '15 seats');
  assert.match(await page.getByTestId('allotment').textContent(), /15 seats × 1\.00 pt.*15\.00 pt.*Server monitoring.*4\.00 pt/);
  await app.screenshot('client-detail-desktop');

  // Bad input is named next to its field and nothing is lost.
  await page.getByTestId('input-seats').fill('-3');
  await page.getByTestId('edit-client-submit').click();
  await page.getByTestId('error-seats').waitFor();
  assert.equal(await page.getByTestId('input-seats').inputValue(), '-3');

  // The audit log is a page the worker draws; the manager's shortcut opens it.
  await app.goto('/');
  await page.getByTestId('shortcut-audit-log').click();
  await page.locator('[data-testid="audit-entry"][data-action="organization.update"]').first().waitFor();
  await app.screenshot('audit-log-desktop');
  await page.close();
});

test('a client admin invites a colleague, who accepts through the mailed link and signs in', async () => {
  const admin = await signedIn(phone, 'admin@admin.e2e');
  const page = admin.page;
  // On a phone, the home's shortcuts are the one-handed way in.
  await page.getByTestId('shortcut-people').click();
  await page.getByTestId('invite-form').waitFor();
  // The admin's language is Russian: errors come in Russian.
  await page.getByTestId('input-email').fill('not-an-email');
  await page.getByTestId('invite-submit').click();
  await page.getByTestId('error-email').waitFor();
  assert.equal(await page.getByTestId('error-email').textContent(), 'Введите адрес вида name@company.ru.');
  await page.getByTestId('input-email').fill('colleague@admin.e2e');
  await page.getByTestId('input-name').fill('Колл Ега');
  await page.getByTestId('invite-submit').click();
  await page.getByTestId('invited').waitFor();
  await page.locator('[data-testid="person-row"][data-email="colleague@admin.e2e"]').waitFor();
  assert.ok((await admin.horizontalOverflow()) <= 0, 'nothing scrolls sideways');
  await admin.screenshot('people-phone-ru');
  await page.context().clearCookies();
  await page.close();

  // The manager sees the mail in the outbox, but not a link anyone else could use.
  const manager = await signedIn(desktop, 'manager@admin.e2e');
  await manager.goto('/');
  await manager.page.getByTestId('shortcut-outbox').click();
  const mail = manager.page.locator('[data-testid="mail"][data-to="colleague@admin.e2e"]');
  await mail.waitFor();
  await manager.screenshot('outbox-desktop');
  assert.match(await mail.locator('pre').textContent(), /#token=••••••/);
  assert.equal(await mail.getByTestId('mail-link').count(), 0, 'no link to open: it is masked');
  await manager.page.context().clearCookies();
  await manager.page.close();

  // The colleague follows the link in the mail they received.
  const [received] = sql("SELECT link FROM outbox WHERE to_email = 'colleague@admin.e2e' ORDER BY id DESC LIMIT 1");
  const invited = new AppPage(await phone.context.newPage());
  const url = new URL(received.link);
  await invited.goto(url.pathname + url.hash);
  await invited.page.getByTestId('input-password').fill('a colleague phrase');
  await invited.page.getByTestId('accept-submit').click();
  await invited.page.getByTestId('home-client_user').waitFor();
  assert.equal(await invited.page.getByTestId('home-org').textContent(), 'Org admin');
  await invited.page.context().clearCookies();
  await invited.page.close();
});

test('a manager deactivates a person; their session ends at once', async () => {
  const victim = await signedIn(phone, 'user@admin.e2e');
  const manager = await signedIn(desktop, 'manager@admin.e2e');
  await manager.goto('/people');
  const row = manager.page.locator('[data-testid="person-row"][data-email="user@admin.e2e"]');
  await row.getByTestId('deactivate').click();
  await row.getByTestId('person-status').waitFor();
  assert.equal(await row.getByTestId('person-status').textContent(), 'deactivated');
  await manager.screenshot('people-desktop');
  const status = await victim.page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(status, 401);
  await victim.page.close();
  await manager.page.context().clearCookies();
  await manager.page.close();
});

test('a client admin sets the low-balance threshold and who is alerted', async () => {
  const admin = await signedIn(phone, 'admin@admin.e2e');
  await admin.goto('/settings');
  await admin.page.getByTestId('settings-form').waitFor();
  await admin.page.getByTestId('input-threshold').fill('abc');
  await admin.page.getByTestId('settings-submit').click();
  await admin.page.getByTestId('error-threshold').waitFor();
  await admin.page.getByTestId('input-threshold').fill('7,5');
  await admin.page.getByTestId('recipient-admin@admin.e2e').check();
  await admin.page.getByTestId('settings-submit').click();
  await admin.page.getByTestId('settings-saved').waitFor();
  const [org] = sql('SELECT threshold, alert_recipients FROM organisations WHERE id = 501');
  assert.equal(org.threshold, 750);
  assert.equal(JSON.parse(org.alert_recipients).length, 1);
  assert.ok((await admin.horizontalOverflow()) <= 0);
  await admin.screenshot('settings-phone-ru');
  await admin.page.context().clearCookies();
  await admin.page.close();
});

test('a manager edits a plan\'s terms and adds a plan; bad input is named', async () => {
  const app = await signedIn(phone, 'manager@admin.e2e');
  const page = app.page;
  await app.goto('/plans');
  const row = page.locator('[data-testid="plan-row"][data-name="Standard"]');
  await row.waitFor();
  await row.getByTestId('edit-plan').click();
  await page.getByTestId('input-increment_minutes').fill('6');
  await page.getByTestId('input-rollover').selectOption('capped');
  await page.getByTestId('plan-submit').click();
  await page.getByTestId('error-rollover_cap').waitFor();
  await page.getByTestId('input-rollover_cap').fill('5');
  await page.getByTestId('plan-submit').click();
  await page.locator('[data-testid="plan-row"][data-name="Standard"]').filter({ hasText: '6 min' }).waitFor();
  const [plan] = sql("SELECT increment_minutes, rollover, rollover_cap, options FROM plans WHERE provider_id = 501 AND name = 'Standard'");
  assert.deepEqual([plan.increment_minutes, plan.rollover, plan.rollover_cap], [6, 'capped', 500]);
  assert.match(plan.options, /monitoring/, 'the options are kept');
  assert.ok((await app.horizontalOverflow()) <= 0);
  await app.screenshot('plans-phone');

  await page.getByTestId('input-name').fill('Standard');
  await page.getByTestId('plan-submit').click();
  await page.getByTestId('error-name').waitFor();
  assert.equal(await page.getByTestId('error-name').textContent(), 'Already in use.');
  await page.getByTestId('input-name').fill('Night shift');
  await page.getByTestId('plan-submit').click();
  await page.locator('[data-testid="plan-row"][data-name="Night shift"]').waitFor();
  await page.context().clearCookies();
  await page.close();
});
