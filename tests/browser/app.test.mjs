// The app shell in real Chromium: home, health through the API, the language switch, deep links,
// the in-app 404, the charge calculator's result and errors, and a 390×844 phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppPage, BASE, grant, launch, people, signedIn, DESKTOP, PHONE } from './pages.mjs';

let desktop;
let phone;

before(async () => {
  desktop = await launch(DESKTOP);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

after(async () => {
  for (const b of [desktop, phone]) {
    if (b) {
      assert.deepEqual(b.errors, [], 'no uncaught errors in the page');
      await b.close();
    }
  }
});

test('home shows the shell and the health answer from the API', async () => {
  const app = new AppPage(await desktop.context.newPage());
  await app.goto('/');
  await app.title().waitFor();
  assert.equal(await app.title().textContent(), 'Support you can see');
  await app.statusLine().waitFor();
  assert.equal(await app.statusLine().textContent(), 'All systems answer');
  assert.equal(await app.page.getByTestId('check-d1').getAttribute('data-ok'), 'true');
  assert.equal(await app.page.getByTestId('check-kv').getAttribute('data-ok'), 'true');
  assert.match(await app.page.getByTestId('version').textContent(), /^\d+\.\d+\.\d+$/);
  await app.screenshot('home-desktop-en');
  await app.page.close();
});

test('the language switch translates, formats per locale, and is remembered', async () => {
  const app = new AppPage(await desktop.context.newPage());
  await app.goto('/');
  await app.language('ru');
  assert.equal(await app.title().textContent(), 'Поддержка, которую видно');
  assert.equal(await app.page.getAttribute('html', 'lang'), 'ru');
  assert.equal(await app.page.getByTestId('lang-ru').getAttribute('aria-pressed'), 'true');
  await app.calculate({ logged: 1500, increment: 15, minimum: '0,5' });
  // 1500 min → 25 pt; Russian groups thousands with a narrow no-break space and uses a comma.
  const ru = await (await app.calcResultFor('25.00')).textContent();
  assert.match(ru, /1\s500 мин → 25,00 б\./, ru);
  await app.statusLine().waitFor();
  await app.screenshot('home-desktop-ru');

  await app.page.reload();
  await app.title().waitFor();
  assert.equal(await app.title().textContent(), 'Поддержка, которую видно', 'remembered after reload');

  await app.language('en');
  assert.equal(await app.title().textContent(), 'Support you can see');
  assert.equal(await app.page.getAttribute('html', 'lang'), 'en');
  await app.page.close();
});

test('deep links load the app; unknown paths show the in-app 404 page', async () => {
  const app = new AppPage(await desktop.context.newPage());
  const status = await app.goto('/status');
  assert.equal(status.status(), 200);
  assert.equal(await app.title().textContent(), 'System status');
  await app.statusLine().waitFor();
  assert.match(await app.page.getByTestId('check-d1').textContent(), /answers · \d+ ms/);
  await app.screenshot('status-desktop-en');
  assert.equal(
    await app.page.locator('#site-nav a[aria-current="page"]').textContent(),
    'System status',
    'the navigation marks where we are',
  );

  const deep = await app.goto('/nowhere/1');
  assert.equal(deep.status(), 200, 'the SPA fallback serves the app, not a server 404');
  await app.page.getByTestId('not-found').waitFor();
  assert.equal(await app.title().textContent(), 'Page not found');
  await app.screenshot('not-found-desktop');
  await app.page.getByRole('link', { name: 'Back to the home page' }).click();
  await app.page.waitForURL(/\/$/);
  assert.equal(await app.title().textContent(), 'Support you can see');
  await app.page.close();
});

test('the charge calculator explains the rounding and refuses bad input readably', async () => {
  const app = new AppPage(await desktop.context.newPage());
  await app.goto('/');
  // The worked example shows at once.
  const example = await app.calcResultFor('0.25');
  assert.match(await example.textContent(), /12 min → 0\.25 pt.*rounded up to 15 min/);
  await app.calculate({ logged: 50, increment: 15, minimum: 0 });
  assert.match(await (await app.calcResultFor('1.00')).textContent(), /50 min → 1\.00 pt.*rounded up to 60 min/);
  await app.calculate({ logged: 5, increment: 15, minimum: '0.5' });
  assert.match(await (await app.calcResultFor('0.50')).textContent(), /raised to the minimum charge/);
  await app.calculate({ logged: 45, increment: 15, minimum: 0 });
  assert.match(await (await app.calcResultFor('0.75')).textContent(), /45 min → 0\.75 pt.*exactly the time logged/);

  await app.calculate({ logged: 'twelve', increment: 15, minimum: 0 });
  await app.error().waitFor();
  assert.match(await app.error().textContent(), /Enter whole minutes/);
  assert.equal(await app.page.getByTestId('calc-logged').inputValue(), 'twelve', 'the input is kept');

  await app.calculate({ logged: 12, increment: 0, minimum: 0 });
  await app.error().waitFor();
  assert.match(await app.error().textContent(), /billing increment/, 'the server problem detail is shown');
  await app.page.close();
});

test('on a 390×844 phone the navigation collapses behind a menu button', async () => {
  const app = new AppPage(await phone.context.newPage());
  await app.goto('/');
  await app.title().waitFor();
  await app.statusLine().waitFor();
  const toggle = app.page.getByTestId('menu-toggle');
  assert.ok(await toggle.isVisible(), 'menu button shown on a phone');
  assert.ok(!(await app.page.getByTestId('site-nav').isVisible()), 'navigation collapsed');
  assert.ok((await toggle.boundingBox()).height >= 44, 'the menu button is a comfortable tap target');
  assert.ok((await app.horizontalOverflow()) <= 0, 'nothing scrolls sideways');
  await app.screenshot('home-phone-en');

  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.ok(await app.page.getByTestId('site-nav').isVisible());
  await app.screenshot('menu-phone-en');
  await app.page.getByRole('link', { name: 'System status' }).click();
  await app.page.waitForURL(/\/status$/);
  assert.ok(!(await app.page.getByTestId('site-nav').isVisible()), 'navigating closes the menu');
  await app.statusLine().waitFor();

  await app.language('ru');
  assert.equal(await app.title().textContent(), 'Состояние системы');
  assert.match(await app.page.getByTestId('check-d1').textContent(), /отвечает · \d+ мс/);
  assert.ok((await app.horizontalOverflow()) <= 0, 'Russian text does not overflow either');
  await app.screenshot('status-phone-ru');

  await app.goto('/nowhere/1');
  await app.page.getByTestId('not-found').waitFor();
  assert.equal(await app.title().textContent(), 'Страница не найдена');
  assert.ok((await app.horizontalOverflow()) <= 0);
  await app.screenshot('not-found-phone-ru');
  await app.page.close();
});

test('links are followed in place; back and forward restore the screen without a reload', async () => {
  const app = new AppPage(await desktop.context.newPage());
  await app.goto('/');
  await app.title().waitFor();
  await app.page.evaluate(() => { window.pointdeskMarker = 'same document'; });
  await app.page.getByTestId('site-nav').getByRole('link', { name: 'System status' }).click();
  await app.page.waitForURL((u) => new URL(u).pathname === '/status');
  await app.statusLine().waitFor();
  assert.equal(await app.page.evaluate(() => window.pointdeskMarker), 'same document', 'no page load');
  assert.equal(await app.page.locator('#site-nav a[aria-current="page"]').textContent(), 'System status');
  await app.page.goBack();
  await app.page.waitForURL((u) => new URL(u).pathname === '/');
  await app.page.locator('[data-testid="page-title"]', { hasText: 'Support you can see' }).waitFor();
  assert.equal(await app.page.locator('#site-nav a[aria-current="page"]').textContent(), 'Home');
  await app.page.goForward();
  await app.statusLine().waitFor();
  assert.equal(await app.page.evaluate(() => window.pointdeskMarker), 'same document', 'back and forward stay in the page');
  await app.page.close();
});

test('the session and the first screen are asked for while the app loads, each once', async () => {
  // boot.js starts these reads before the wasm runs; the app must take every one of them (a
  // read the app asks for under another address would travel twice and leave one unused).
  people(542, 'early');
  grant(542, 1000);
  const b = await launch(PHONE, { isMobile: true, hasTouch: true });
  try {
    const cases = [
      [null, '/', '[data-testid=page-title]'],
      ['admin@early.e2e', '/', '[data-testid=available]'],
      ['engineer@early.e2e', '/tickets?queue=mine', '[data-testid=queues]'],
    ];
    for (const [email, path, ready] of cases) {
      if (email) await (await signedIn(b, email)).page.close();
      const page = await b.context.newPage();
      const asked = [];
      const logged = [];
      page.on('request', (r) => { if (r.url().includes('/api/')) asked.push(r.url().replace(BASE, '')); });
      page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) logged.push(m.text()); });
      await page.goto(BASE + path);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(asked[0], '/api/v1/session', `${path}: the session is asked for first`);
      assert.deepEqual(asked, [...new Set(asked)], `${path}: no read travels twice`);
      assert.deepEqual(await page.evaluate(() => [...window.__pointdeskReads.keys()]), [],
        `${path}: every read boot.js started was taken by the app`);
      assert.deepEqual(logged, [], `${path}: nothing logged (a signed-out visit is not an error)`);
      if (email) {
        assert.ok(asked.length >= 3, `${path}: the screen's reads were started early: ${asked}`);
        await page.evaluate(() => fetch('/api/v1/session', { method: 'DELETE' }));
      }
      await page.close();
    }
  } finally {
    await b.close();
  }
});
