// Photos on tickets in real Chromium. An engineer on a 390×844 phone attaches a photo through
// the ticket's "Take a photo" control (the camera on a phone: `accept="image/*" capture`); an
// empty file is refused under the control and nothing is lost; the client admin (Russian, on a
// phone) and the client user (English, on a desktop) see the photo as a thumbnail that loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, people, grant, caller, DESKTOP, PHONE, closeAll, signedIn, ROOT } from './pages.mjs';

let phone;
let desktop;
let ticket;

before(async () => {
  people(771, 'photo');
  grant(771, 1000);
  const user = await caller('user@photo.e2e');
  ticket = (await user.call('POST', '/tickets', { kind: 'incident', title: 'Сервер гудит в подсобке' })).id;
  phone = await launch(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  desktop = await launch(DESKTOP);
});

after(() => closeAll(phone, desktop));

/** Waits until every thumbnail on the page has loaded and returns their natural widths. */
async function thumbs(page) {
  await page.getByTestId('thumb').first().waitFor();
  return page.$$eval('[data-testid="thumb"]', (imgs) =>
    Promise.all(imgs.map((i) => (i.complete ? i.naturalWidth : new Promise((r) => { i.onload = () => r(i.naturalWidth); i.onerror = () => r(0); })))));
}

test('the engineer attaches a photo from the phone and the client sees it', async () => {
  const eng = await signedIn(phone, 'engineer@photo.e2e');
  const p = eng.page;
  await eng.goto(`/tickets/${ticket}`);
  await p.getByTestId('files').waitFor();
  const camera = p.getByTestId('take-photo');
  assert.equal(await camera.getAttribute('accept'), 'image/*');
  assert.equal(await camera.getAttribute('capture'), 'environment');
  const photo = readFileSync(join(ROOT, 'tests/fixtures/files/server-rack.png'));
  await camera.setInputFiles({ name: 'IMG_2041.png', mimeType: 'image/png', buffer: photo });
  assert.deepEqual(await thumbs(p), [320], 'the photo shows as a thumbnail');
  assert.match(await p.getByTestId('file').first().textContent(), /IMG_2041\.png/);

  // An empty file is refused under the controls; the photo stays.
  await p.getByTestId('attach-file').setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await p.getByTestId('file-error').waitFor();
  assert.equal(await p.getByTestId('file-error').textContent(), 'The file is empty.');
  assert.equal(await p.getByTestId('file').count(), 1);
  await p.getByTestId('files').scrollIntoViewIfNeeded();
  await eng.screenshot('files-phone');
  assert.ok((await eng.horizontalOverflow()) <= 0, 'the files card fits the phone');

  // The client admin, in Russian on a phone, sees the same photo.
  const admin = await signedIn(phone, 'admin@photo.e2e');
  await admin.goto(`/tickets/${ticket}`);
  assert.deepEqual(await thumbs(admin.page), [320]);
  assert.match(await admin.page.getByTestId('files').textContent(), /Фото и файлы/);
  assert.match(await admin.page.getByTestId('file').textContent(), /Eli Engineer/);
  // The engineer's photo is not theirs to delete.
  assert.equal(await admin.page.getByTestId('delete-file').count(), 0);
  await admin.page.getByTestId('files').scrollIntoViewIfNeeded();
  await admin.screenshot('files-phone-ru');
  assert.ok((await admin.horizontalOverflow()) <= 0, 'the Russian controls fit the phone');
  const inside = await admin.page.$eval('[data-testid="files"]', (card) => {
    const edge = card.getBoundingClientRect().right;
    return [...card.querySelectorAll('.button')].every((b) => {
      const box = b.getBoundingClientRect();
      const words = [...b.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
      return box.right <= edge && words.length > 0 && words.every((n) => {
        const range = document.createRange();
        range.selectNodeContents(n);
        const text = range.getBoundingClientRect();
        return text.left >= box.left && text.right <= box.right;
      });
    });
  });
  assert.ok(inside, 'the Russian buttons and their words stay inside the card');

  // The client user at a desk; the photo opens in full at its own address.
  const user = await signedIn(desktop, 'user@photo.e2e');
  await user.goto(`/tickets/${ticket}`);
  assert.deepEqual(await thumbs(user.page), [320]);
  const href = await user.page.locator('[data-testid="file"] a').first().getAttribute('href');
  const got = await user.page.request.get(new URL(href, user.page.url()).href);
  assert.equal(got.status(), 200);
  assert.equal(got.headers()['content-type'], 'image/png');
  assert.deepEqual(Buffer.from(await got.body()), photo);
  await user.screenshot('files-desktop');
});
