// A visual check of the main screens at 360, 390 and 1280 px, in Russian and in English: no
// element leaves the viewport or its card, no word is broken across lines, every tap target is
// at least 44 px high and wide, and the console stays silent (no warning, no error). Each screen
// is saved to tests/browser/screenshots/visual-*.png for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, PASSWORD, caller, grant, launch, people, sql } from './pages.mjs';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const WIDTHS = [360, 390, 1280];
const ID = 741;

// A client with points, an incident nobody took yet, one being worked on, and a request
// quoted and waiting for the client's decision.
const t = {};
before(async () => {
  people(ID, 'vis');
  grant(ID, 2000);
  sql(`INSERT INTO catalogue_items (id, provider_id, name, kind, estimate, created_at)
         VALUES (${ID}, ${ID}, 'Laptop for a new starter', 'quoted', 300, unixepoch());`);
  const eng = await caller('engineer@vis.e2e');
  const open = (body) => eng.call('POST', '/tickets', { org_id: ID, ...body });
  t.fresh = (await open({ kind: 'incident', title: 'The printer in reception prints blank pages', description: 'Since this morning.' })).id;
  t.worked = (await open({ kind: 'incident', title: 'Accounting software is slow since the update', description: 'Every document takes a minute to open.' })).id;
  await eng.call('PUT', `/tickets/${t.worked}/assignee`, { assignee_id: eng.me.id });
  await eng.call('PUT', `/tickets/${t.worked}/status`, { status: 'in_progress' });
  await eng.call('POST', `/tickets/${t.worked}/work`, { minutes: 30, note: 'The database disk is nearly full.' });
  t.quoted = (await open({ kind: 'service_request', title: 'Laptop for the new doctor', catalogue_id: ID })).id;
  await eng.call('POST', `/tickets/${t.quoted}/quotes`, { points: '3.00', scope: 'Windows, the clinic software and a scanner; 3 hours.', valid_days: 7 });
  t.month = new Date().toISOString().slice(0, 7);
});

// Who looks at what, in which language: the admin reads Russian, the others English, and the
// engineer once more in Russian.
const WALKS = [
  { who: null, tag: 'anon', paths: () => ['/', '/sign-in'] },
  {
    who: 'admin@vis.e2e', tag: 'admin-ru',
    paths: () => ['/', '/tickets', `/tickets/${t.worked}`, `/tickets/${t.quoted}`, '/ledger', `/api/v1/organizations/${ID}/statements/${t.month}?format=html`, '/buy-points', '/notifications'],
  },
  { who: 'user@vis.e2e', tag: 'user-en', paths: () => ['/', `/tickets/${t.fresh}`] },
  {
    who: 'engineer@vis.e2e', tag: 'engineer-en',
    paths: () => ['/', '/tickets', `/tickets/${t.fresh}`, `/tickets/${t.worked}`, `/tickets/${t.quoted}`, '/tickets/new'],
  },
  {
    who: 'engineer@vis.e2e', tag: 'engineer-ru', locale: 'ru',
    paths: () => ['/', '/tickets', `/tickets/${t.worked}`, `/tickets/${t.quoted}`],
  },
  {
    who: 'manager@vis.e2e', tag: 'manager-en',
    paths: () => ['/', '/clients', `/clients/${ID}`, `/clients/${ID}/ledger`, '/reports', '/plans', '/packs'],
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
        const locale = walk.locale ?? (walk.tag.endsWith('-ru') ? 'ru' : 'en');
        const l = await page.request.patch(`${BASE}/api/v1/me`, { data: { locale }, headers: { origin: BASE } });
        assert.equal(l.status(), 200, `${walk.who} reads ${locale}`);
      }
      mkdirSync(SHOTS, { recursive: true });
      for (const path of walk.paths()) {
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
