// The first useful screen, measured the way a person on a mid-range phone meets it: Debian's
// Chromium at 390×844, CPU throttled 4×, a cold cache (a fresh profile per run, cache disabled),
// then a repeat visit with the cache on. Each figure is the time from navigation start until
// the screen's key element holds text. Run by `cargo xtask bench` against the release build;
// prints one line per screen and, last, a JSON summary line for the bench to read.
//
// usage: POINTDESK_URL=http://127.0.0.1:8787 node tests/browser/first-screen.mjs [runs]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.POINTDESK_URL;
if (!BASE) throw new Error('POINTDESK_URL is not set');
const RUNS = Number(process.argv[2] || 7);
const PASSWORD = 'pointdesk-demo';

const SCREENS = [
  { name: 'signed-out heading', path: '/', who: null, sel: '[data-testid=page-title]', target: 800 },
  { name: "client admin's balance figure", path: '/', who: 'admin@acme.test', sel: '[data-testid=available]', target: 1000 },
  { name: "engineer's first queue row", path: '/tickets', who: 'engineer@provider.test', sel: '[data-testid=ticket-row]', target: 1000 },
];
const REPEAT_TARGET = 500;

// Records when the selector first matches an element with text (performance.now() is measured
// from the navigation's time origin).
const watcher = (sel) => `(() => {
  const seen = () => { const e = document.querySelector(${JSON.stringify(sel)});
    return e && e.textContent.trim() !== ''; };
  const mark = () => { if (window.__firstScreen === undefined && seen()) {
    window.__firstScreen = performance.now(); } };
  new MutationObserver(mark).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

async function cookieOf(email) {
  const r = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`sign-in of ${email}: HTTP ${r.status}`);
  const set = r.headers.get('set-cookie') || '';
  const [pair] = set.split(';');
  const [name, ...value] = pair.split('=');
  const host = new URL(BASE).hostname;
  // A `__Host-` cookie: Secure, Path=/ and no Domain attribute (the host only).
  return { name, value: value.join('='), domain: host, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' };
}

async function visit(context, screen, { cold }) {
  const page = context.pages()[0] || (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(BASE + screen.path, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__firstScreen !== undefined, null, { timeout: 30000 });
  const ms = await page.evaluate(() => window.__firstScreen);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  return ms;
}

async function context(screen, cookie) {
  const profile = mkdtempSync(join(tmpdir(), 'pointdesk-first-screen-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 390, height: 844 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  if (cookie) await ctx.addCookies([cookie]);
  await ctx.addInitScript(watcher(screen.sel));
  return { ctx, close: async () => { await ctx.close(); rmSync(profile, { recursive: true, force: true }); } };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = [];
for (const screen of SCREENS) {
  const cookie = screen.who ? await cookieOf(screen.who) : null;
  const cold = [];
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    const { ctx, close } = await context(screen, cookie);
    try {
      cold.push(await visit(ctx, screen, { cold: true }));
      // Fill the cache once unthrottled... the cold visit above already did; measure a repeat.
      warm.push(await visit(ctx, screen, { cold: false }));
    } finally {
      await close();
    }
  }
  const line = (label, xs, target) => {
    const m = median(xs);
    console.log(`${label.padEnd(44)} median ${m.toFixed(0).padStart(5)} ms  min ${Math.min(...xs).toFixed(0).padStart(5)}  max ${Math.max(...xs).toFixed(0).padStart(5)}  (target ≤ ${target} ms: ${m <= target ? 'within' : 'OVER'})`);
    return { screen: label, median: m, min: Math.min(...xs), max: Math.max(...xs), target, within: m <= target };
  };
  summary.push(line(`${screen.name}, cold`, cold, screen.target));
  summary.push(line(`${screen.name}, repeat`, warm, REPEAT_TARGET));
}
console.log(JSON.stringify(summary));
