// A visual check of the main screens at 360, 390 and 1280 px, in Russian and in English: no
// element leaves the viewport or its card, no word is broken across lines, every tap target is
// at least 44 px high and wide, and the console stays silent (no warning, no error). Each screen
// is saved to tests/browser/screenshots/visual-*.png for a person to look at.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, launch } from './pages.mjs';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const WIDTHS = [360, 390, 1280];
const PASSWORD = 'pointdesk-demo';

// Who looks at what. Acme's people and the provider's first engineer read Russian; Globex's
// people and the second engineer read English.
const WALKS = [
  { who: null, tag: 'anon', paths: ['/', '/sign-in'] },
  {
    who: 'admin@acme.test', tag: 'admin-ru',
    paths: ['/', '/tickets', '/tickets/number/3', '/tickets/number/4', '/ledger', '/ledger/statements/2026-11', '/buy-points', '/notifications'],
  },
  {
    who: 'admin@globex.test', tag: 'admin-en',
    paths: ['/', '/tickets/number/8', '/ledger', '/buy-points'],
  },
  {
    who: 'engineer@provider.test', tag: 'engineer-ru',
    paths: ['/', '/tickets', '/tickets/number/1', '/tickets/number/2', '/tickets/number/4', '/tickets/new'],
  },
  {
    who: 'engineer2@provider.test', tag: 'engineer-en',
    paths: ['/tickets', '/tickets/number/5', '/tickets/number/8'],
  },
  {
    who: 'manager@provider.test', tag: 'manager',
    paths: ['/', '/clients', '/clients/1', '/clients/1/ledger', '/reports', '/plans', '/packs'],
  },
];

/** Runs in the page: every problem found, as readable lines. */
function inspect() {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const name = (e) => {
    const id = e.closest('[data-testid]')?.dataset.testid;
    const text = (e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''} in [${id ?? '-'}] "${text}"`;
  };
  // Inside a container that scrolls sideways on purpose (a wide table), overflow is expected.
  const scrolls = (e) => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  const all = [...document.body.querySelectorAll('*')].filter(visible);
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px in ${width}`);
  }
  for (const e of all) {
    if (scrolls(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.right <= 0) continue; // kept off-screen on purpose (the skip link until focused)
    if (r.right > width + 1 || r.left < -1) {
      problems.push(`leaves the viewport (${Math.round(r.left)}–${Math.round(r.right)} of ${width}): ${name(e)}`);
      continue;
    }
    const card = e.parentElement?.closest('.card');
    if (card) {
      const c = card.getBoundingClientRect();
      if (r.right > c.right + 1 || r.left < c.left - 1) {
        problems.push(`leaves its card (${Math.round(r.right)} > ${Math.round(c.right)}): ${name(e)}`);
      }
    }
  }
  // A word drawn on two lines: its characters' boxes start on different rows.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !visible(parent) || parent.closest('input, textarea, select, svg')) continue;
    for (const m of node.data.matchAll(/\S+/g)) {
      if (m[0].length < 2 || m[0].length > 30) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
      if (tops.size > 1) problems.push(`a word is broken across lines: "${m[0]}" in ${name(parent)}`);
    }
  }
  const targets = 'button, a.button, a.shortcut, a.tab, .tabs a, .tabs button, nav a, select, textarea, '
    + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), label.check';
  for (const e of document.querySelectorAll(targets)) {
    if (!visible(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5) {
      problems.push(`a tap target is ${Math.round(r.width)}×${Math.round(r.height)} px: ${name(e)}`);
    }
  }
  return [...new Set(problems)];
}

const found = [];
after(() => {
  assert.deepEqual(found, [], `the screens have ${found.length} visual problems`);
});

for (const walk of WALKS) {
  test(`screens of ${walk.tag} at ${WIDTHS.join(', ')} px`, async () => {
    const browser = await launch({ width: WIDTHS[0], height: 800 });
    try {
      const page = await browser.context.newPage();
      const logged = [];
      page.on('console', (m) => {
        if (['error', 'warning'].includes(m.type())) logged.push(`${m.type()}: ${m.text()}`);
      });
      if (walk.who) {
        const r = await page.request.post(`${BASE}/api/v1/session`, {
          data: { email: walk.who, password: PASSWORD },
          headers: { origin: BASE },
        });
        assert.equal(r.status(), 200, `${walk.who} signs in`);
      }
      mkdirSync(SHOTS, { recursive: true });
      for (const path of walk.paths) {
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: width < 1000 ? 800 : 800 });
          logged.length = 0;
          await page.goto(BASE + path);
          await page.getByTestId('brand').waitFor();
          await page.waitForLoadState('networkidle');
          await page.locator('[data-testid=loading]').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
          const slug = path === '/' ? 'home' : path.slice(1).replace(/[/?=&]+/g, '-');
          await page.screenshot({ path: join(SHOTS, `visual-${walk.tag}-${slug}-${width}.png`), fullPage: true });
          const problems = await page.evaluate(inspect);
          for (const p of [...problems, ...logged]) found.push(`${walk.tag} ${path} @${width}: ${p}`);
        }
      }
    } finally {
      await browser.close();
    }
  });
}
