/**
 * The home page in a real browser (Debian's Chromium through playwright-core), served by the real
 * server on an embedded database seeded with the demo, as `npm start` does.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type Running, startServer } from '../src/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  if (process.env.OVERSIGHT_TEST_STRICT)
    throw new Error(`${CHROMIUM} is required when OVERSIGHT_TEST_STRICT is set`);
  console.warn(`${CHROMIUM} is not installed: the browser tests are skipped.`);
}
const shots = new URL('../test-results/', import.meta.url).pathname;

describe.skipIf(!hasBrowser)('home page in Chromium', () => {
  let running: Running;
  let browser: Browser;
  let dataDir: string;
  let base: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oversight-e2e-'));
    running = await startServer(
      {
        ...loadConfig({}),
        port: 0,
        host: '127.0.0.1',
        dataDir: join(dataDir, 'data'),
        databaseUrl: undefined,
      },
      () => {},
    );
    base = `http://127.0.0.1:${running.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the seeded demo program and links to its JSON', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${base}/`);
    expect(await page.locator('header .brand').innerText()).toBe('Oversight');
    expect(await page.locator('h1').innerText()).toBe('Programs');
    expect(await page.locator('table tbody tr').count()).toBe(1);
    expect(await page.locator('table tbody tr td').first().innerText()).toBe('LY-2024');
    await page.screenshot({ path: join(shots, 'home-en.png'), fullPage: true });
    await page.getByRole('link', { name: 'JSON', exact: true }).click();
    const program = JSON.parse(await page.locator('body').innerText());
    expect(program).toMatchObject({ code: 'LY-2024', counts: { measures: 19 } });
    await page.close();
  });

  it('switches to Japanese', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: '日本語' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('table tbody tr td').nth(1).innerText()).toContain('LINEヤフー株式会社');
    await page.screenshot({ path: join(shots, 'home-ja.png'), fullPage: true });
    await page.close();
  });
});
