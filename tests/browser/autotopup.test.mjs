// Automatic top-ups in real Chromium. A client admin (Russian, on a phone) buys a pack with
// "Keep the card" ticked, pays on the sandbox's page, turns the automatic top-up on with a
// threshold and a monthly limit (a limit below the pack's price is refused under its field and
// nothing typed is lost), and sees the kept card; on a desktop the same form reads in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, people, sql, DESKTOP, PHONE, closeAll, signedIn } from './pages.mjs';

let phone;
let desktop;

before(async () => {
  people(761, 'auto');
  sql(`INSERT INTO point_packs (id, provider_id, name, points, price_minor, currency, active, created_at)
         VALUES (761, 761, '5 баллов', 500, 750000, 'RUB', 1, unixepoch());`);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  desktop = await launch(DESKTOP);
});

after(() => closeAll(phone, desktop));

test('a card kept at checkout, then the automatic top-up turned on', async () => {
  const admin = await signedIn(phone, 'admin@auto.e2e');
  const p = admin.page;
  await admin.goto('/buy-points');
  await p.getByTestId('auto-topup-form').waitFor();
  // No card yet: the form says how to keep one.
  assert.match(await p.getByTestId('auto-topup-card').textContent(), /Карта не сохранена/);
  await p.getByTestId('keep-card').check();
  await p.getByTestId('buy').first().click();
  await p.getByTestId('sandbox-pay').click();
  await p.locator('[data-testid="purchase-status"][data-status="succeeded"]').waitFor();

  await admin.goto('/buy-points');
  await p.getByTestId('auto-topup-form').waitFor();
  assert.match(await p.getByTestId('auto-topup-card').textContent(), /Sandbox •• 4242/);
  await p.getByTestId('input-enabled').check();
  await p.getByTestId('input-threshold').fill('3');
  await p.getByTestId('input-monthly_cap_minor').fill('5000');
  await p.getByTestId('auto-topup-submit').click();
  await p.getByTestId('error-monthly_cap_minor').waitFor();
  assert.match(await p.getByTestId('error-monthly_cap_minor').textContent(), /Меньше цены пакета/);
  assert.equal(await p.getByTestId('input-threshold').inputValue(), '3');
  await p.getByTestId('input-monthly_cap_minor').fill('15 000');
  await p.getByTestId('auto-topup-submit').click();
  await p.getByTestId('auto-topup-saved').waitFor();
  await p.getByTestId('auto-topup').scrollIntoViewIfNeeded();
  await admin.screenshot('autotopup-phone');
  assert.ok((await admin.horizontalOverflow()) <= 0, 'the form fits the phone');
  const saved = sql('SELECT enabled, threshold, method, monthly_cap_minor FROM auto_topups WHERE org_id = 761')[0];
  assert.deepEqual(saved, { enabled: 1, threshold: 300, method: 'card', monthly_cap_minor: 1500000 });

  // The same settings, read back on a desktop in English.
  sql("UPDATE users SET locale = 'en' WHERE email = 'admin@auto.e2e'");
  const office = await signedIn(desktop, 'admin@auto.e2e');
  await office.goto('/buy-points');
  await office.page.getByTestId('auto-topup-form').waitFor();
  assert.equal(await office.page.getByTestId('input-enabled').isChecked(), true);
  assert.equal(await office.page.getByTestId('input-monthly_cap_minor').inputValue(), '15000');
  assert.match(await office.page.getByTestId('auto-topup-card').textContent(), /Card kept: Sandbox •• 4242/);
  await office.screenshot('autotopup-desktop');
});
