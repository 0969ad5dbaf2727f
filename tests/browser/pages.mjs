// Page objects for the browser tests: stable data-testid selectors, no raw HTML assertions.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
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
