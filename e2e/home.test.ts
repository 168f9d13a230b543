/**
 * The home page in a real browser (Debian's Chromium through playwright-core), served by the real
 * server on an embedded database seeded with the demo, as `npm start` does.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasBrowser, shots, useBrowserServer } from './harness.ts';

describe.skipIf(!hasBrowser)('home page in Chromium', () => {
  const h = useBrowserServer();

  it('shows the seeded demo program and links to its JSON', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/`);
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
    const page = await h.context.newPage();
    await page.goto(`${h.base}/`);
    await page.getByRole('link', { name: '日本語' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('table tbody tr td').nth(1).innerText()).toContain('LINEヤフー株式会社');
    await page.screenshot({ path: join(shots, 'home-ja.png'), fullPage: true });
    await page.close();
  });
});
