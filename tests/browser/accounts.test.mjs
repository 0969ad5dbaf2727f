// Signing in, in real Chromium under the production CSP: each role lands on its own home, bad
// input is explained next to its field, the phone viewport works, an invited person sets a
// password and is signed in, a reset link from the outbox works once, sign-out ends it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppPage, SignInPage, launch, people, invitation, sql, PASSWORD, DESKTOP, PHONE, closeAll } from './pages.mjs';

let desktop;
let phone;

before(async () => {
  people(301, 'roles');
  desktop = await launch(DESKTOP);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

after(() => closeAll(desktop, phone));

const HOMES = [
  ['manager', 'Manager', /^Hello, Mara Manager$/],
  ['engineer', 'Engineer', /^Hello, Eli Engineer$/],
  ['client_admin', 'Администратор клиента', /^Здравствуйте, Анна Админ$/],
  ['client_user', 'Client user', /^Hello, Uma User$/],
];

test('each role signs in and lands on its own home, in its own language', async () => {
  for (const [role, label, greeting] of HOMES) {
    const page = await desktop.context.newPage();
    const app = new AppPage(page);
    await app.goto('/sign-in');
    await app.title().waitFor();
    const email = `${role === 'client_admin' ? 'admin' : role === 'client_user' ? 'user' : role}@roles.e2e`;
    await new SignInPage(page).signIn(email, PASSWORD);
    await page.getByTestId(`home-${role}`).waitFor();
    assert.equal(await page.getByTestId('home-role').textContent(), label);
    assert.match(await app.title().textContent(), greeting);
    if (role.startsWith('client')) {
      assert.equal(await page.getByTestId('home-org').textContent(), 'Org roles');
    }
    await app.screenshot(`home-${role}-desktop`);
    // The session is a cookie: a reload keeps the person signed in.
    await page.reload();
    await page.getByTestId(`home-${role}`).waitFor();
    await page.context().clearCookies();
    await page.close();
  }
});

test('on a phone: wrong password and malformed email are explained, then sign-in works', async () => {
  const page = await phone.context.newPage();
  const app = new AppPage(page);
  const form = new SignInPage(page);
  await app.goto('/sign-in');
  await form.signIn('not-an-email', '');
  await form.fieldError('email').waitFor();
  assert.equal(await form.fieldError('email').textContent(), 'Enter an email address like name@company.com.');
  assert.equal(await form.fieldError('password').textContent(), 'Fill this in.');
  assert.equal(await page.getByTestId('input-email').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('input-email').inputValue(), 'not-an-email', 'what was typed is kept');
  await app.screenshot('sign-in-errors-phone');

  await form.signIn('user@roles.e2e', 'not the password');
  await app.error().filter({ hasText: 'The email or the password is wrong.' }).waitFor();
  assert.equal(await form.fieldError('email').count(), 0, 'the field errors are gone');
  assert.ok((await page.getByTestId('sign-in-submit').boundingBox()).height >= 44);
  assert.ok((await app.horizontalOverflow()) <= 0, 'nothing scrolls sideways');

  await form.signIn('user@roles.e2e', PASSWORD);
  await page.getByTestId('home-client_user').waitFor();
  assert.ok((await app.horizontalOverflow()) <= 0);
  await app.screenshot('home-client_user-phone');
  await page.context().clearCookies();
  await page.close();
});

test('profile: the language is stored with the person; sign-out ends the session', async () => {
  const page = await desktop.context.newPage();
  const app = new AppPage(page);
  await app.goto('/sign-in');
  await new SignInPage(page).signIn('engineer@roles.e2e', PASSWORD);
  await page.getByTestId('home-engineer').waitFor();
  await page.getByTestId('nav-profile').click();
  await page.getByTestId('profile-email').waitFor();
  assert.equal(await page.getByTestId('profile-email').textContent(), 'engineer@roles.e2e');
  await page.locator('#main').getByTestId('lang-ru').click();
  await page.waitForFunction(async () => {
    const r = await fetch('/api/v1/me');
    return (await r.json()).locale === 'ru';
  });
  assert.equal(await app.title().textContent(), 'Ваш профиль');
  await app.screenshot('profile-desktop-ru');

  await page.getByTestId('sign-out').click();
  await page.waitForURL(/\/sign-in$/);
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(me, 401, 'the session ended on the server');
  await page.close();
});

test('an invited person sets a password from the link and is signed in', async () => {
  const page = await phone.context.newPage();
  const app = new AppPage(page);
  const link = invitation(301, 'new@roles.e2e', 'New Person');
  await app.goto(link);
  await page.getByTestId('accept-form').waitFor();
  await page.getByTestId('input-password').fill('short');
  await page.getByTestId('accept-submit').click();
  await page.getByTestId('error-password').waitFor();
  assert.equal(await page.getByTestId('error-password').textContent(), 'Too short: at least 10 characters.');
  await app.screenshot('accept-invitation-phone');
  await page.getByTestId('input-name').fill('Nova Person');
  await page.getByTestId('input-password').fill('my own long phrase');
  await page.getByTestId('accept-submit').click();
  await page.getByTestId('home-client_user').waitFor();
  assert.match(await app.title().textContent(), /Nova Person/);
  await page.context().clearCookies();

  // The link worked once.
  await app.goto(link);
  await page.getByTestId('input-password').fill('another long phrase');
  await page.getByTestId('accept-submit').click();
  await app.error().waitFor();
  assert.match(await app.error().textContent(), /no longer works/);
  await page.close();
});

test('a reset link from the outbox sets a new password once', async () => {
  const page = await desktop.context.newPage();
  const app = new AppPage(page);
  await app.goto('/sign-in');
  await page.getByTestId('forgot-link').click();
  await page.getByTestId('input-email').fill('manager@roles.e2e');
  await page.getByTestId('forgot-submit').click();
  await page.getByTestId('forgot-sent').waitFor();
  await app.screenshot('forgot-sent-desktop');
  const [mail] = sql("SELECT link FROM outbox WHERE to_email = 'manager@roles.e2e' ORDER BY id DESC LIMIT 1");
  const path = new URL(mail.link).pathname + new URL(mail.link).hash;
  await app.goto(path);
  await page.getByTestId('input-password').fill('a fresh manager phrase');
  await page.getByTestId('reset-submit').click();
  await page.getByTestId('reset-done').waitFor();
  await app.screenshot('reset-done-desktop');
  await app.goto('/sign-in');
  await new SignInPage(page).signIn('manager@roles.e2e', 'a fresh manager phrase');
  await page.getByTestId('home-manager').waitFor();
  await page.context().clearCookies();
  await page.close();
});
