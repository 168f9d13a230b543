/// <reference lib="dom" />
/**
 * Reports in a real browser: the program manager starts the 1 July 2024 report through the form,
 * sees what changed since 1 April, opens the HTML preview, and sends the report for review; each
 * page in both languages passes the same checks as every other page (no untranslated key, no
 * overflow, no accessibility violation).
 */
import { describe, expect, it } from 'vitest';
import { hasBrowser, useBrowserServer, visitPage } from './harness.ts';

const P = '/programs/LY-2024';

describe.skipIf(!hasBrowser)('reports in Chromium', () => {
  const h = useBrowserServer();

  it('starts a report through its form, shows the changes since the last one, previews it, and sends it for review', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/?lang=en`);
    const list = await visitPage(page, `${h.base}${P}/reports`, 'reports-en');
    expect(list).toContain('submitted');
    await page.selectOption('#r-directive', 'MIC-2024-04-16');
    await page.fill('#r-asof', '2024-07-01');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
    const url = page.url();
    const text = await visitPage(page, url, 'report-draft-en');
    expect(text).toContain('Brought forward: MS-NETSEP of M-NETSEP, 30 Jun 2026 → 31 Mar 2026');
    // The demo's history holds the report submitted on 1 April 2024: the new one is compared with it.
    expect(text).toContain('Compared with the report submitted for MIC-2024-03-05 as of 1 Apr 2024');
    const ja = await visitPage(page, `${url}?lang=ja`, 'report-draft-ja');
    expect(ja).toContain('前倒し');
    // The printable preview in Japanese.
    const preview = await visitPage(page, `${url}/preview/html?lang=ja`, 'report-preview-ja');
    expect(preview).toContain('本事案を踏まえた安全管理措置及び委託先管理の抜本的な見直し・強化の加速');
    await page.goto(`${url}?lang=en`);
    await page.click('form[action$="/review"] button');
    await page.waitForURL(url);
    expect(await page.locator('.badge').first().innerText()).toBe('in review');
    await page.close();
  });
});
