// Paying by bank transfer in real Chromium. The client admin (390×844 phone, Russian) fills in
// the organisation's requisites (a wrong ИНН is refused under its field), asks for an invoice
// for a pack and prints it; the manager (desktop) imports the bank's 1C statement, in
// Windows-1251 as banks send it; the admin sees the points arrive and prints the month's act.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, caller, grant, launch, people, DESKTOP, PHONE, closeAll, signedIn } from './pages.mjs';

const ID = 751;
const OUR_ACCOUNT = '40702810200000000001';
let desktop;
let phone;

/** Windows-1251 bytes of a statement (Cyrillic, №, ASCII). */
function cp1251(text) {
  return Buffer.from([...text].map((c) => {
    const u = c.codePointAt(0);
    if (u < 0x80) return u;
    if (u >= 0x410 && u <= 0x44f) return u - 0x410 + 0xc0;
    if (u === 0x401) return 0xa8;
    if (u === 0x451) return 0xb8;
    if (u === 0x2116) return 0xb9;
    return 0x3f;
  }));
}

before(async () => {
  people(ID, 'inv');
  grant(ID, 100);
  const { call: manager } = await caller('manager@inv.e2e');
  await manager('PUT', '/provider-requisites', {
    legal_name: 'ООО «Сервис»', inn: '7707083893', kpp: '773601001', ogrn: '1027700132195',
    address: 'Москва, ул. Вавилова, 19', bank_name: 'ПАО Сбербанк', bik: '044525225',
    account: OUR_ACCOUNT, corr_account: '30101810400000000225', vat: 'none', signatory: 'Иванов И. И., директор',
  });
  await manager('POST', '/point-packs', { name: '10 баллов', points: '10', price_minor: 1200000, currency: 'RUB' });
  desktop = await launch(DESKTOP);
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});

after(() => closeAll(desktop, phone));

test('an invoice is asked for, printed, paid through the bank statement and closed by an act', async () => {
  const admin = await signedIn(phone, 'admin@inv.e2e');
  const p = admin.page;
  // Requisites first: a wrong check digit is named under the field, nothing typed is lost.
  await admin.goto('/settings');
  const form = p.getByTestId('requisites-form');
  await form.waitFor();
  await p.locator('#field-legal_name').fill('ИП Петров Пётр Петрович');
  await p.locator('#field-inn').fill('500100732258');
  await p.locator('#field-address').fill('Тула, ул. Ленина, 1');
  await p.getByTestId('requisites-submit').click();
  await p.getByTestId('error-inn').waitFor();
  assert.match(await p.getByTestId('error-inn').textContent(), /контрольная цифра/);
  assert.equal(await p.locator('#field-legal_name').inputValue(), 'ИП Петров Пётр Петрович');
  await p.locator('#field-inn').fill('500100732259');
  await p.getByTestId('requisites-submit').click();
  await p.getByTestId('requisites-saved').waitFor();
  await admin.screenshot('invoice-requisites-phone');

  // The invoice, for the pack.
  await admin.goto('/buy-points');
  await p.getByTestId('buy-invoice').click();
  await p.waitForURL(/\/purchases\/\d+$/);
  const purchase = p.url().split('/').pop();
  await p.locator('[data-testid=purchase-status][data-status=awaiting_transfer]').waitFor();
  const href = await p.getByTestId('invoice-print').getAttribute('href');
  const print = await phone.context.newPage();
  await print.goto(BASE + href);
  const title = await print.getByTestId('invoice-title').textContent();
  const [, number, date] = title.match(/№ (\d+) от (\d\d\.\d\d\.\d{4})/);
  assert.equal(await print.getByTestId('invoice-total').textContent(), '12\u00a0000,00');
  assert.match(await print.getByTestId('invoice-reference').textContent(), new RegExp(`счёту № ${number} от ${date}`));
  await print.screenshot({ path: new URL('./screenshots/invoice-print-phone.png', import.meta.url).pathname, fullPage: true });
  await print.setViewportSize({ width: 1280, height: 1000 });
  await print.screenshot({ path: new URL('./screenshots/invoice-print-desktop.png', import.meta.url).pathname, fullPage: true });
  await print.close();

  // The manager imports the bank's statement.
  const statement = [
    '1CClientBankExchange', 'ВерсияФормата=1.03', 'Кодировка=Windows', `РасчСчет=${OUR_ACCOUNT}`,
    'СекцияДокумент=Платежное поручение', 'Номер=77', `Дата=${date}`, 'Сумма=12000.00',
    'ПлательщикСчет=40702810000000000777', 'ПлательщикИНН=500100732259', 'Плательщик1=ИП Петров П. П.',
    `ПолучательСчет=${OUR_ACCOUNT}`, 'ПолучательИНН=7707083893',
    `НазначениеПлатежа=Оплата по счёту № ${number} от ${date} за техподдержку. НДС не облагается`,
    'КонецДокумента', 'КонецФайла', '',
  ].join('\r\n');
  const manager = await signedIn(desktop, 'manager@inv.e2e');
  // The bank desk is a worker page, reached from the packs screen.
  await manager.goto('/packs');
  await manager.page.getByTestId('bank-desk').click();
  await manager.page.getByTestId('statement-file').waitFor();
  await manager.page.getByTestId('statement-file').setInputFiles({ name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: cp1251(statement) });
  await manager.page.getByTestId('import-summary').waitFor();
  assert.match(await manager.page.getByTestId('import-summary').textContent(), /Credited: 1 · Already imported: 0/);
  await manager.page.getByTestId('no-open-payments').waitFor();
  await manager.screenshot('invoice-bank-desktop');
  // The same file again changes nothing.
  await manager.page.getByTestId('statement-file').setInputFiles({ name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: cp1251(statement) });
  await manager.page.getByText('Credited: 0 · Already imported: 1').waitFor();

  // The admin sees the points and prints the month's act.
  await admin.goto(`/purchases/${purchase}`);
  await p.locator('[data-testid=purchase-status][data-status=succeeded]').waitFor();
  await admin.goto('/ledger');
  await p.getByTestId('statement-link').click();
  await p.getByTestId('statement').waitFor();
  assert.equal(await p.getByTestId('statement').getAttribute('data-closing'), '11.00');
  await p.getByTestId('act-link').click();
  await p.getByTestId('act-title').waitFor();
  assert.ok((await admin.horizontalOverflow()) <= 0, 'the act fits the phone');
  await admin.screenshot('invoice-act-phone');
});
