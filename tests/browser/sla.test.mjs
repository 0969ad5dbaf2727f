// Service levels in real Chromium: the engineer's phone queue shows each ticket's running
// deadline, the ticket shows both promises, a priority change makes it round the clock, waiting
// for the client stops the clock until the client writes; the manager sets the working week and
// a plan's targets, and reads the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, people, grant, sql, DESKTOP, PHONE, closeAll, signedIn } from './pages.mjs';

let desktop;
let phone;

before(async () => {
  people(541, 'levels');
  grant(541, 1000);
  sql(`UPDATE plans SET sla = '[{"priority":"urgent","respond_minutes":60,"resolve_minutes":240,"round_the_clock":true},{"priority":"normal","respond_minutes":480,"resolve_minutes":1440,"round_the_clock":false}]' WHERE id = 541;`);
  desktop = await launch(DESKTOP);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

after(() => closeAll(desktop, phone));

test('deadlines on the phone queue and the ticket; waiting stops the clock until the client writes', async () => {
  const user = await signedIn(desktop, 'user@levels.e2e');
  await user.goto('/tickets/new');
  await user.page.getByTestId('input-title').fill('The router reboots every hour');
  await user.page.getByTestId('open-ticket').click();
  await user.page.waitForURL(/\/tickets\/\d+$/);
  const id = Number(user.page.url().split('/').pop());
  // The client reads what was promised.
  await user.page.getByTestId('sla-card').waitFor();
  await user.page.getByTestId('sla-respond').waitFor();

  // The engineer's queue on a phone: the card says how long is left.
  const eng = await signedIn(phone, 'engineer@levels.e2e');
  await eng.goto('/tickets?queue=open');
  const row = eng.page.locator(`[data-testid="ticket-row"][data-number]`).first();
  await row.getByTestId('ticket-due').waitFor();
  assert.match(await row.getByTestId('ticket-due').textContent(), /answer in/);
  await eng.screenshot('sla-queue-phone');

  // Urgent runs round the clock: an hour to answer, whatever the time of day.
  await eng.goto(`/tickets/${id}`);
  await eng.page.getByTestId('sla-card').waitFor();
  await eng.page.getByTestId('priority').selectOption('urgent');
  await eng.page.locator('[data-testid="sla-card"]', { hasText: 'round the clock' }).waitFor();
  assert.match(await eng.page.getByTestId('sla-due').textContent(), /answer in (1 h|5\d min)/);
  // Waiting for the client: the clock stands (and asking is the first answer).
  await eng.page.getByTestId('awaiting-client').click();
  await eng.page.getByTestId('sla-paused').waitFor();
  await eng.page.locator('[data-testid="sla-respond"][data-state="met"]').waitFor();
  await eng.screenshot('sla-ticket-waiting-phone');

  // The client answers: the clock runs again.
  await user.goto(`/tickets/${id}`);
  await user.page.getByTestId('sla-paused').waitFor();
  const comment = user.page.getByTestId('comment-form');
  await comment.locator('textarea').fill('It happens at 10:05 every hour');
  await comment.locator('button[type="submit"]').click();
  await user.page.getByTestId('sla-paused').waitFor({ state: 'detached' });
  await user.screenshot('sla-ticket-client-desktop');
});

test('the manager sets the working week, holidays and a plan\'s targets, and reads the report', async () => {
  const manager = await signedIn(desktop, 'manager@levels.e2e');
  await manager.goto('/plans');
  const hours = manager.page.getByTestId('hours-form');
  await hours.waitFor();
  assert.equal(await hours.getByTestId('input-week[0]').inputValue(), '09:00–13:00, 14:00–18:00');
  // A day that does not read is named, and nothing is lost.
  await hours.getByTestId('input-week[5]').fill('10 to 14');
  await hours.getByTestId('input-holidays').fill('01-01 New Year\n2027-01-08 Extra day off');
  await manager.page.getByTestId('hours-save').click();
  await manager.page.getByTestId('error-week[5]').waitFor();
  assert.equal(await hours.getByTestId('input-holidays').inputValue(), '01-01 New Year\n2027-01-08 Extra day off');
  await hours.getByTestId('input-week[5]').fill('10:00–14:00');
  await manager.page.getByTestId('hours-save').click();
  await hours.locator('[role="status"]').waitFor();
  await manager.goto('/plans');
  await manager.page.getByTestId('hours-form').waitFor();
  assert.equal(await manager.page.getByTestId('input-week[5]').inputValue(), '10:00–14:00');
  assert.equal(await manager.page.getByTestId('input-holidays').inputValue(), '01-01 New Year\n2027-01-08 Extra day off');
  await manager.screenshot('sla-working-hours-desktop');
  // A yearly holiday entered with any year reads as its month and day, so saving the form
  // again keeps it yearly.
  sql(`UPDATE business_calendars SET holidays = '[{"date":"2026-05-09","yearly":true,"name":"Victory Day"}]' WHERE provider_id = 541;`);
  await manager.goto('/plans');
  await manager.page.getByTestId('hours-form').waitFor();
  assert.equal(await manager.page.getByTestId('input-holidays').inputValue(), '05-09 Victory Day');
  await manager.page.getByTestId('hours-save').click();
  await manager.page.getByTestId('hours-form').locator('[role="status"]').waitFor();
  assert.deepEqual(
    JSON.parse(sql('SELECT holidays FROM business_calendars WHERE provider_id = 541;')[0].holidays),
    [{ date: '2000-05-09', yearly: true, name: 'Victory Day' }],
  );

  // The plan's targets, in hours.
  await manager.page.getByTestId('edit-plan').first().click();
  const targets = manager.page.getByTestId('sla-targets');
  await targets.waitFor();
  assert.equal(await targets.locator('input[name="respond-urgent"]').inputValue(), '1');
  await targets.locator('input[name="respond-high"]').fill('2');
  await targets.locator('input[name="resolve-high"]').fill('soon');
  await manager.page.getByTestId('plan-submit').click();
  await targets.locator('[data-priority="high"] .field__error').waitFor();
  await targets.locator('input[name="resolve-high"]').fill('8');
  await manager.page.getByTestId('plan-submit').click();
  // Saved: the form starts again as a new plan's, and the plan holds the targets in minutes.
  await manager.page.locator('[data-testid="sla-targets"] [data-priority="high"] .field__error').waitFor({ state: 'detached' });
  let high;
  for (let i = 0; i < 20 && !high?.resolve_minutes; i++) {
    high = JSON.parse(sql('SELECT sla FROM plans WHERE id = 541;')[0].sla).find((t) => t.priority === 'high');
    if (high?.resolve_minutes !== 480) await manager.page.waitForTimeout(250);
  }
  assert.deepEqual(high, { priority: 'high', respond_minutes: 120, resolve_minutes: 480, round_the_clock: false });

  // The report counts this month's ticket.
  await manager.goto('/reports');
  await manager.page.getByTestId('report-sla').locator('tbody tr').first().waitFor();
  await manager.screenshot('sla-report-desktop');
});
