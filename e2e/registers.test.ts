/// <reference lib="dom" />
/**
 * The registers in a real browser: each one in both languages (no untranslated key, no overflow,
 * no accessibility violation), filtered and sorted in place by htmx without reloading the page,
 * a record created through its form after a refused date, and the language switched by its link.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasBrowser, shots, useBrowserServer, visitPage } from './harness.ts';

const P = '/programs/LY-2024';

describe.skipIf(!hasBrowser)('registers in Chromium', () => {
  const h = useBrowserServer();

  for (const lang of ['en', 'ja'] as const)
    it(`shows every register and the edit pages in ${lang}`, async () => {
      const page = await h.context.newPage();
      await page.goto(`${h.base}/?lang=${lang}`);
      for (const path of [
        'milestones',
        'verifications',
        'systems',
        'access',
        'incidents',
        'secondary-damage',
        'findings',
      ])
        await visitPage(page, `${h.base}${P}/${path}`, `${path}-${lang}`);
      const relationship = await visitPage(
        page,
        `${h.base}${P}/relationships/R-NAVER-CLOUD-INFRA/edit`,
        `relationship-edit-${lang}`,
      );
      expect(relationship).toContain(lang === 'ja' ? '方針を記録' : 'Record a decision');
      await visitPage(page, `${h.base}${P}/incidents/INC-2023-NAVER-CLOUD/edit`, `incident-edit-${lang}`);
      await visitPage(page, `${h.base}${P}/measures/M-NETSEP/edit`, `measure-edit-${lang}`);
      await page.close();
    });

  it('filters and sorts the outsourcing register in place, keeping the state in the address', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}${P}/relationships?lang=en`);
    // A mark on the window survives a swap by htmx, and not a reload.
    await page.evaluate(() => {
      (window as unknown as { mark: number }).mark = 1;
    });
    const total = await page.locator('#register tbody tr').count();
    await page.selectOption('#register-decision', 'terminate');
    await page.waitForURL(/decision=terminate/);
    await expect.poll(() => page.locator('#register tbody tr').count()).toBeLessThan(total);
    const decisions = await page.locator('#register tbody tr td:nth-child(5)').allInnerTexts();
    expect(decisions.length).toBeGreaterThan(0);
    expect(new Set(decisions)).toEqual(new Set(['Terminate']));
    await page.locator('th a', { hasText: 'Target date' }).click();
    await page.waitForURL(/sort=targetDate&dir=asc/);
    await expect.poll(() => page.locator('th[aria-sort=ascending]').count()).toBe(1);
    const dates = await page.locator('#register tbody tr td:nth-child(6)').allInnerTexts();
    const parsed = dates.map((d) => Date.parse(d));
    expect(parsed).toEqual([...parsed].sort((a, b) => a - b));
    expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
    // The filter kept the sort, and the address holds both: a reload shows the same register.
    await page.reload();
    expect(page.url()).toMatch(/decision=terminate/);
    expect(await page.locator('#register tbody tr td:nth-child(6)').allInnerTexts()).toEqual(dates);
    await page.screenshot({ path: join(shots, 'register-filtered-en.png'), fullPage: true });
    await page.close();
  });

  it('grants access through its form: a bad date is refused by its field, then the record is listed', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}${P}/access/new?lang=en`);
    await page.fill('#f-code', 'A-WEB-AUDIT');
    await page.selectOption('#f-organization', 'JP-SOC');
    await page.selectOption('#f-system', { index: 0 });
    await page.selectOption('#f-via', 'account');
    await page.fill('#f-from', '2026-13-01');
    await page.click('form.card button[type=submit]');
    const error = page.locator('#f-from-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('not a date');
    expect(await page.locator('#f-from').getAttribute('aria-invalid')).toBe('true');
    expect(await page.inputValue('#f-code')).toBe('A-WEB-AUDIT');
    await page.fill('#f-from', '2026-12-01');
    await page.click('form.card button[type=submit]');
    await page.waitForURL(/\/access\?q=A-WEB-AUDIT$/);
    expect(await page.locator('#register tbody tr').count()).toBe(1);
    expect(await page.locator('#register tbody').innerText()).toContain('JP-SOC');
    await page.close();
  });

  it('switches the language by its link and keeps it on the next page', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}${P}?lang=en`);
    expect(await page.locator('nav a').first().innerText()).toBe('Dashboard');
    await page.click('a.lang');
    await page.waitForURL(/lang=ja/);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('nav a').first().innerText()).toBe('ダッシュボード');
    await page.click('nav a:has-text("マイルストーン")');
    await page.waitForURL(/\/milestones$/);
    expect(await page.locator('h1').innerText()).toBe('マイルストーン');
    await page.close();
  });
});
