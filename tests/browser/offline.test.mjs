// The engineer's phone app in a basement, in real Chromium at 390×844 with its offline
// emulation: installable (the manifest, its icons and Chromium's own installability check),
// the service worker controls the page, the queue and a ticket open offline after one online
// visit, work, a comment and the timer made offline wait in the outbox and reach the server
// exactly once (also after a second reconnect and a restart), a change the server refuses is
// shown on its ticket until the engineer discards it, money says it needs a connection, and a
// new deploy offers a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, people, grant, caller, PHONE, closeAll, signedIn, sql, ROOT, BASE } from './pages.mjs';

let phone;
let eng;
let engApi;
let ticket;
let resolved;

const count = (table, id) => sql(`SELECT COUNT(*) AS n FROM ${table} WHERE ticket_id = ${id}`)[0].n;

before(async () => {
  people(781, 'basement');
  grant(781, 1000);
  const user = await caller('user@basement.e2e');
  engApi = await caller('engineer@basement.e2e');
  ticket = (await user.call('POST', '/tickets', { kind: 'incident', title: 'Switch dead in the basement' })).id;
  await engApi.call('PUT', `/tickets/${ticket}/status`, { status: 'in_progress' });
  // A second one, resolved with an hour logged: its cause would charge points.
  resolved = (await user.call('POST', '/tickets', { kind: 'incident', title: 'Printer toner spilled' })).id;
  await engApi.call('PUT', `/tickets/${resolved}/status`, { status: 'in_progress' });
  await engApi.call('POST', `/tickets/${resolved}/work`, { minutes: 60, note: 'Cleaned it' });
  await engApi.call('PUT', `/tickets/${resolved}/status`, { status: 'resolved' });
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  eng = await signedIn(phone, 'engineer@basement.e2e');
  await eng.page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 30000 });
});

after(() => closeAll(phone));

test('installable: a valid manifest, its icons, and a service worker in control', async () => {
  const p = eng.page;
  const manifest = await p.evaluate(async () => {
    const link = document.querySelector('link[rel=manifest]');
    const r = await fetch(link.href);
    return { type: r.headers.get('content-type'), body: await r.json() };
  });
  assert.match(manifest.type, /application\/manifest\+json/);
  const m = manifest.body;
  assert.equal(m.name, 'Pointdesk');
  assert.equal(m.display, 'standalone');
  assert.equal(m.start_url, '/tickets');
  assert.equal(m.theme_color, '#1f4fd1');
  // Every icon the manifest names loads at the size it says; 192 and 512, plain and maskable.
  for (const icon of m.icons.filter((i) => i.type === 'image/png')) {
    const size = await p.evaluate((src) => new Promise((ok) => {
      const img = new Image();
      img.onload = () => ok(`${img.naturalWidth}x${img.naturalHeight}`);
      img.onerror = () => ok('broken');
      img.src = src;
    }), icon.src);
    assert.equal(size, icon.sizes, icon.src);
  }
  const kinds = m.icons.map((i) => `${i.sizes} ${i.purpose}`);
  for (const k of ['192x192 any', '512x512 any', '192x192 maskable', '512x512 maskable']) {
    assert.ok(kinds.includes(k), `an icon ${k}`);
  }
  const favicon = await p.evaluate(async () => (await fetch('/favicon.ico')).headers.get('content-type'));
  assert.match(favicon, /image\//, '/favicon.ico is an image, not the app page');
  assert.ok(await p.evaluate(() => !!document.querySelector('link[rel=apple-touch-icon]')));
  // Chromium's own checks (what its install prompt and Lighthouse's installability audit use).
  const cdp = await phone.context.newCDPSession(p);
  const parsed = await cdp.send('Page.getAppManifest');
  assert.deepEqual(parsed.errors, [], 'the manifest parses without errors');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'Chromium finds nothing that stops installing it');
  const sw = await p.evaluate(() => navigator.serviceWorker.controller.scriptURL);
  assert.equal(sw, `${BASE}/sw.js`, 'the service worker controls the page');
  const headers = await p.evaluate(async () => (await fetch('/sw.js', { cache: 'no-store' })).headers.get('cache-control'));
  assert.equal(headers, 'no-cache');
});

test('work, a comment and the timer made offline reach the server once', async () => {
  const p = eng.page;
  // One visit online: the queue and the ticket.
  await eng.goto('/tickets?queue=mine');
  await p.getByTestId('ticket-row').first().waitFor();
  await eng.goto(`/tickets/${ticket}`);
  await p.getByTestId('work-logger').waitFor();
  await eng.goto(`/tickets/${resolved}`);
  await p.getByTestId('cause-form').waitFor();

  await phone.context.setOffline(true);
  // The queue opens from the phone's copy, saying since when.
  await eng.goto('/tickets?queue=mine');
  await p.getByTestId('ticket-row').first().waitFor();
  await p.getByTestId('offline').waitFor();
  assert.match(await p.getByTestId('offline').textContent(), /Offline — as of/);
  await p.locator(`[data-testid=ticket-row] a[href="/tickets/${ticket}"]`).click();
  await p.getByTestId('work-logger').waitFor();
  assert.equal(await p.getByTestId('page-title').textContent(), 'Switch dead in the basement');

  for (const minutes of [15, 30, 60]) {
    await p.locator(`[data-minutes="${minutes}"]`).click();
    await p.locator('[data-testid=outbox-item]').nth([15, 30, 60].indexOf(minutes)).waitFor();
  }
  await p.getByTestId('comment-form').locator('textarea').fill('Replaced the switch, link is up');
  await p.getByTestId('comment-form').getByRole('button').click();
  await p.locator('[data-testid=outbox-item]').nth(3).waitFor();
  const pressed = Math.floor(Date.now() / 1000);
  await p.getByTestId('timer').click();
  await p.locator('[data-testid=outbox-item]').nth(4).waitFor();
  const items = await p.locator('[data-testid=outbox-item]').evaluateAll((li) => li.map((l) => l.dataset.state));
  assert.deepEqual(items, ['waiting', 'waiting', 'waiting', 'waiting', 'waiting']);
  assert.match(await p.getByTestId('outbox').textContent(), /\+15 min/);
  assert.match(await p.getByTestId('outbox-count').textContent(), /Waiting to send: 5/);
  await p.getByTestId('outbox').scrollIntoViewIfNeeded();
  await eng.screenshot('offline-outbox-phone');
  assert.ok((await eng.horizontalOverflow()) <= 0, 'the outbox fits the phone');
  assert.equal(count('work_entries', ticket), 0, 'nothing reached the server yet');

  // The queue marks the ticket with changes waiting.
  await eng.goto('/tickets?queue=mine');
  const row = p.locator(`[data-testid=ticket-row]:has(a[href="/tickets/${ticket}"])`);
  await row.getByTestId('ticket-waiting').waitFor();
  assert.equal(await row.getByTestId('ticket-waiting').textContent(), 'Waiting to send');
  await eng.screenshot('offline-queue-phone');

  // The app restarts offline: the outbox and the running timer are still there.
  await eng.goto(`/tickets/${ticket}`);
  await p.locator('[data-testid=outbox-item]').nth(4).waitFor();
  await p.locator('[data-testid=timer-elapsed]:not(:empty)').waitFor();

  // Money never waits: the cause of the resolved ticket needs a connection.
  await eng.goto(`/tickets/${resolved}`);
  await p.locator('input[name="cause"][value="client_caused"]').check();
  await p.getByTestId('input-explanation').fill('Spilled by their staff');
  await p.getByTestId('cause-form').getByRole('button').click();
  await p.getByTestId('charge-confirm').waitFor();
  await p.locator('[data-action="charge-confirm"]').click();
  await p.getByText('No connection: this needs the network.').waitFor();
  await eng.screenshot('offline-money-phone');

  // Back online: everything arrives, in order, once.
  await phone.context.setOffline(false);
  await eng.goto(`/tickets/${ticket}`);
  await p.getByTestId('outbox').waitFor({ state: 'detached', timeout: 30000 });
  await p.locator('[data-testid=timeline] [data-kind=comment]').waitFor();
  const landed = () => ({
    work: sql(`SELECT minutes FROM work_entries WHERE ticket_id = ${ticket} ORDER BY id`).map((r) => r.minutes),
    comments: count('comments', ticket),
    timer: sql(`SELECT started_at FROM timers WHERE ticket_id = ${ticket}`).map((r) => r.started_at),
  });
  const first = landed();
  assert.deepEqual(first.work, [15, 30, 60]);
  assert.equal(first.comments, 1);
  assert.equal(first.timer.length, 1, 'the timer runs on the server');
  assert.ok(Math.abs(first.timer[0] - pressed) <= 3, 'from when it was pressed offline');
  assert.equal(await p.getByTestId('logged').textContent(), '105 min');
  assert.equal(sql(`SELECT cause FROM tickets WHERE id = ${resolved}`)[0].cause, null, 'no charge was queued');

  // A second reconnect and a restart send nothing again.
  await phone.context.setOffline(true);
  await phone.context.setOffline(false);
  await eng.goto(`/tickets/${ticket}`);
  await p.getByTestId('work-logger').waitFor();
  await p.waitForTimeout(1500);
  assert.deepEqual(landed(), first);
});

test('a change the server refuses stays on its ticket until the engineer discards it', async () => {
  const p = eng.page;
  await eng.goto(`/tickets/${ticket}`);
  await p.getByTestId('work-logger').waitFor();
  await phone.context.setOffline(true);
  await p.locator('[data-action="resolve"]').click();
  await p.locator('[data-testid=outbox-item][data-state=waiting]').waitFor();
  // Meanwhile, from the office, the ticket is resolved and closed.
  await engApi.call('PUT', `/tickets/${ticket}/status`, { status: 'resolved' });
  await engApi.call('PUT', `/tickets/${ticket}/status`, { status: 'closed' });
  await phone.context.setOffline(false);
  const refused = p.locator('[data-testid=outbox-item][data-state=refused]');
  await refused.waitFor({ timeout: 30000 });
  assert.match(await refused.textContent(), /Not sent: the ticket changed meanwhile/);
  assert.match(await refused.textContent(), /not possible in the ticket's current state/);
  await refused.scrollIntoViewIfNeeded();
  await eng.screenshot('offline-refused-phone');
  // Still there after a restart: nothing is dropped unseen; in Russian too.
  await eng.goto(`/tickets/${ticket}`);
  await refused.waitFor();
  const language = async (tag) => {
    await eng.language(tag);
    const menu = p.getByTestId('menu-toggle');
    if ((await menu.getAttribute('aria-expanded')) === 'true') await menu.click();
  };
  await language('ru');
  await p.getByText('Не отправлено: заявка за это время изменилась').waitFor();
  assert.equal(await p.getByTestId('outbox-discard').textContent(), 'Отменить');
  assert.equal(await p.getByTestId('outbox-retry').textContent(), 'Отправить снова');
  await refused.scrollIntoViewIfNeeded();
  await eng.screenshot('offline-refused-phone-ru');
  assert.ok((await eng.horizontalOverflow()) <= 0, 'the Russian outbox fits the phone');
  await language('en');
  await p.getByTestId('outbox-discard').click();
  await p.getByTestId('outbox').waitFor({ state: 'detached' });
  assert.equal(sql(`SELECT status FROM tickets WHERE id = ${ticket}`)[0].status, 'closed');
});

test('a new deploy offers a reload', async () => {
  const p = eng.page;
  const file = join(ROOT, 'app/dist/sw.js');
  const deployed = readFileSync(file, 'utf8');
  try {
    writeFileSync(file, `${deployed}\n// the next deploy\n`);
    // The local server takes a moment to see its files change; then the phone looks again.
    await p.waitForFunction(async () => (await (await fetch('/sw.js', { cache: 'no-store' })).text())
      .endsWith('// the next deploy\n'), null, { timeout: 30000, polling: 500 });
    // (the first look may still meet the old file in the local server's asset cache: look
    // again until the new version waits, as a phone does each time the app comes back).
    await p.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      for (let tries = 0; tries < 15 && !r.waiting; tries++) {
        await r.update();
        await new Promise((ok) => setTimeout(ok, 1000));
      }
    });
    await p.getByTestId('update').waitFor({ timeout: 30000 });
    assert.match(await p.getByTestId('update').textContent(), /A new version of Pointdesk is ready/);
    await eng.screenshot('offline-update-phone');
    await Promise.all([p.waitForEvent('load'), p.getByTestId('reload').click()]);
    await p.getByTestId('brand').waitFor();
    assert.equal(await p.getByTestId('update').count(), 0, 'the new version runs');
    const waiting = await p.evaluate(async () => !!(await navigator.serviceWorker.getRegistration()).waiting);
    assert.equal(waiting, false);
  } finally {
    writeFileSync(file, deployed);
  }
});
