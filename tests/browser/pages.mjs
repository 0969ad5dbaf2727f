// Page objects for the browser tests: stable data-testid selectors, no raw HTML assertions.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE = process.env.POINTDESK_URL;
if (!BASE) {
  throw new Error('POINTDESK_URL is not set: run these through `cargo xtask test`, which starts an isolated server');
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

/** A fresh Chromium profile per call (Debian's Chromium, offline-friendly flags). */
export async function launch(viewport, extra = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'pointdesk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    ...extra,
  });
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  // The CSP must allow the app and nothing else: any violation Chromium reports fails the run.
  context.on('console', (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(msg.text())) {
      errors.push(`CSP: ${msg.text()}`);
    }
  });
  return {
    context,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export class AppPage {
  constructor(page) {
    this.page = page;
  }
  async goto(path) {
    const response = await this.page.goto(BASE + path);
    await this.page.getByTestId('brand').waitFor();
    return response;
  }
  title() {
    return this.page.getByTestId('page-title');
  }
  async language(tag) {
    await this.openMenuIfCollapsed();
    await this.page.getByTestId(`lang-${tag}`).click();
  }
  async openMenuIfCollapsed() {
    const toggle = this.page.getByTestId('menu-toggle');
    if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') {
      await toggle.click();
    }
  }
  statusLine() {
    return this.page.getByTestId('status-line');
  }
  async calculate({ logged, increment, minimum }) {
    const p = this.page;
    await p.getByTestId('calc-logged').fill(String(logged));
    await p.getByTestId('calc-increment').fill(String(increment));
    await p.getByTestId('calc-minimum').fill(String(minimum));
    await p.getByTestId('calc-submit').click();
  }
  calcResult() {
    return this.page.getByTestId('calc-result');
  }
  /** The result once it shows these canonical points (earlier results may still be on screen). */
  async calcResultFor(points) {
    const el = this.page.locator(`[data-testid="calc-result"][data-points="${points}"]`);
    await el.waitFor();
    return el;
  }
  error() {
    return this.page.getByTestId('error');
  }
  async horizontalOverflow() {
    return this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  }
  async screenshot(name) {
    mkdirSync(SHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }
}

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** SQL straight into the test server's local D1, for fixtures the API cannot make yet. */
export function sql(command) {
  const state = process.env.POINTDESK_STATE;
  const wrangler = process.env.POINTDESK_WRANGLER;
  if (!state || !wrangler) {
    throw new Error('POINTDESK_STATE / POINTDESK_WRANGLER are not set: run through `cargo xtask test`');
  }
  // The page may still be reading after a step; local D1 is one SQLite file that workerd and
  // this wrangler open separately, and neither waits for the other's lock (SQLITE_BUSY): try
  // again a few times rather than fail on that.
  for (let attempt = 1; ; attempt++) {
    try {
      const out = execFileSync(
        wrangler,
        ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--json', '--command', command],
        { cwd: ROOT, env: { ...process.env, CI: 'true' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return JSON.parse(out.slice(out.indexOf('[')))[0].results;
    } catch (e) {
      const busy = /SQLITE_BUSY|database is locked/.test(`${e.stdout}${e.stderr}`);
      if (!busy || attempt >= 5) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
}

export const PASSWORD = 'pointdesk-demo';
const HASH = readFileSync(join(ROOT, 'worker/seed/demo.sql'), 'utf8').match(/\$argon2id\$[^']+/)[0];

/** A provider with one client organisation and a person per role: `{role}@{tag}.e2e`. */
export function people(id, tag) {
  sql(`INSERT INTO providers (id, name) VALUES (${id}, 'Browser provider ${tag}');
       INSERT INTO organisations (id, provider_id, name) VALUES (${id}, ${id}, 'Org ${tag}');
       INSERT INTO users (provider_id, org_id, email, name, role, locale, password_hash) VALUES
         (${id}, NULL, 'manager@${tag}.e2e', 'Mara Manager', 'manager', 'en', '${HASH}'),
         (${id}, NULL, 'engineer@${tag}.e2e', 'Eli Engineer', 'engineer', 'en', '${HASH}'),
         (${id}, ${id}, 'admin@${tag}.e2e', 'Анна Админ', 'client_admin', 'ru', '${HASH}'),
         (${id}, ${id}, 'user@${tag}.e2e', 'Uma User', 'client_user', 'en', '${HASH}');`);
}

/**
 * A plan for organisation `id` (15-minute steps, no overdraft) and `points` hundredths of this
 * period's allotment, written as a grant writes it (block, entry, moves, account state).
 */
export function grant(id, points) {
  sql(`INSERT INTO plans (id, provider_id, name, base, per_seat, increment_minutes, rollover, overdraft)
         VALUES (${id}, ${id}, 'Plan ${id}', ${points}, 0, 15, 'none', 'never');
       UPDATE organisations SET plan_id = ${id}, balance = ${points}, version = 1, open_period = strftime('%Y-%m', 'now'),
         granted = strftime('%Y-%m', 'now'), next_block = 2 WHERE id = ${id};
       INSERT INTO credit_blocks (org_id, block_no, source, amount, remaining, reserved, expires, expired, created_key, created_at)
         VALUES (${id}, 1, 'grant:' || strftime('%Y-%m', 'now'), ${points}, ${points}, 0, strftime('%Y-%m', 'now'), 0, 'grant:${id}:browser', unixepoch());
       INSERT INTO ledger_entries (org_id, kind, amount, reason, reference, idempotency_key, at, balance_after, debt_change)
         VALUES (${id}, 'grant', ${points}, 'Allotment', 'period:' || strftime('%Y-%m', 'now'), 'grant:${id}:browser', unixepoch(), ${points}, 0);
       INSERT INTO entry_moves (entry_id, org_id, block_no, points)
         VALUES ((SELECT id FROM ledger_entries WHERE idempotency_key = 'grant:${id}:browser'), ${id}, 1, ${points});`);
}

/** An invitation for a new person without a password; returns the link's path. */
export function invitation(id, email, name) {
  const secret = createHash('sha256').update(email).digest('hex').slice(0, 32);
  const hash = createHash('sha256').update(secret).digest('hex');
  const now = Math.floor(Date.now() / 1000);
  sql(`INSERT INTO users (provider_id, org_id, email, name, role, locale) VALUES (${id}, ${id}, '${email}', '${name}', 'client_user', 'en');
       INSERT INTO email_tokens (token_hash, purpose, user_id, created_at, expires_at)
         SELECT '${hash}', 'invitation', id, ${now}, ${now + 86400} FROM users WHERE email = '${email}';`);
  return `/accept-invitation#token=${secret}`;
}

export class SignInPage {
  constructor(page) {
    this.page = page;
  }
  async signIn(email, password) {
    const p = this.page;
    await p.getByTestId('input-email').fill(email);
    await p.getByTestId('input-password').fill(password);
    await p.getByTestId('sign-in-submit').click();
  }
  fieldError(name) {
    return this.page.getByTestId(`error-${name}`);
  }
}

/** A new page in `browser`, signed in as `email` and on their home. */
export async function signedIn(browser, email) {
  const page = await browser.context.newPage();
  const app = new AppPage(page);
  await app.goto('/sign-in');
  await new SignInPage(page).signIn(email, PASSWORD);
  await page.getByTestId('home-role').waitFor();
  return app;
}

/** Closes the browsers; any uncaught error or CSP violation a page met fails the run. */
export async function closeAll(...browsers) {
  for (const b of browsers) {
    if (b) {
      assert.deepEqual(b.errors, [], 'no uncaught errors and no CSP violation in the page');
      await b.close();
    }
  }
}

/** The API as `email`, from Node: sign in once, then JSON calls with the session cookie. */
export async function caller(email) {
  const r = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(r.status, 200, `${email} signs in`);
  const cookie = (r.headers.get('set-cookie') || '').split(';')[0];
  const me = await r.json();
  const call = async (method, path, body) => {
    const a = await fetch(`${BASE}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: BASE, cookie },
      body: body && JSON.stringify(body),
    });
    const text = await a.text();
    assert.ok(a.status < 300, `${method} ${path}: ${a.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { me, call };
}
