/// <reference lib="dom" />
/**
 * The group page in a real browser: the control chain and the exposure paths drawn as SVG beside
 * their tables, in English and Japanese, with no untranslated key, nothing wider than the window
 * and no accessibility violation; the form changes the view and the day.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasBrowser, shots, useBrowserServer, visitPage } from './harness.ts';

describe.skipIf(!hasBrowser)('group page in Chromium', () => {
  const h = useBrowserServer();

  const visit = (page: Page, path: string, shot: string) => visitPage(page, `${h.base}${path}`, shot);

  /** Pairs of texts of different boxes (nodes, edge labels, legend items) that overlap on the screen. */
  async function overlappingLabels(page: Page, selector: string): Promise<string[]> {
    return page.evaluate((sel) => {
      const boxes = Array.from(document.querySelectorAll(`${sel} text`)).map((t) => ({
        text: t.textContent ?? '',
        parent: t.parentElement,
        r: t.getBoundingClientRect(),
      }));
      const hits: string[] = [];
      boxes.forEach((a, i) => {
        for (const b of boxes.slice(i + 1)) {
          const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          // Lines of one box are set apart by design; texts of different boxes must not meet.
          if (a.parent !== b.parent && x > 1 && y > 1) hits.push(`${a.text} / ${b.text}`);
        }
      });
      return hits;
    }, selector);
  }

  /** Node names whose drawn text is wider than their box. */
  async function textOutsideBoxes(page: Page, selector: string): Promise<string[]> {
    return page.evaluate((sel) => {
      const out: string[] = [];
      for (const g of Array.from(document.querySelectorAll(`${sel} g.node, ${sel} g.edge-label`))) {
        const rect = g.querySelector(':scope > rect');
        if (!rect) continue;
        const box = rect.getBoundingClientRect();
        for (const t of Array.from(g.querySelectorAll(':scope > text'))) {
          const r = t.getBoundingClientRect();
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(t.textContent ?? '');
        }
      }
      return out;
    }, selector);
  }

  for (const lang of ['en', 'ja'] as const) {
    it(`draws the control chain and the exposure paths beside their tables in ${lang}`, async () => {
      const page = await h.context.newPage();
      await page.goto(`${h.base}/?lang=${lang}`);
      const text = await visit(page, '/programs/LY-2024/group?asOf=2024-06-01&view=actual', `group-${lang}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(text).toContain('NAVER Cloud Corporation');
      expect(text).toContain(lang === 'ja' ? '2024年6月1日' : '1 Jun 2024');
      const chain = page.locator('#chain-h ~ div svg[role=img]');
      const exposure = page.locator('#exposure-h ~ div svg[role=img]');
      expect(await chain.locator('rect').count()).toBeGreaterThan(6);
      expect(await exposure.locator('path[marker-end]').count()).toBeGreaterThan(4);
      for (const svg of ['#chain-h ~ div svg', '#exposure-h ~ div svg']) {
        expect(await overlappingLabels(page, svg), `${svg}: overlapping text`).toEqual([]);
        expect(await textOutsideBoxes(page, svg), `${svg}: text wider than its box`).toEqual([]);
      }
      await chain.screenshot({ path: join(shots, `group-chain-${lang}.png`) });
      await exposure.screenshot({ path: join(shots, `group-exposure-${lang}.png`) });
      // Drawn at a readable size: names at no less than 11 px on the screen.
      const nameHeight = await chain
        .locator('text[font-weight="600"]')
        .first()
        .evaluate((t) => {
          return t.getBoundingClientRect().height;
        });
      expect(nameHeight).toBeGreaterThanOrEqual(11);
      await page.close();
    });
  }

  it('changes the view and the day through the form', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/programs/LY-2024/group?lang=en&asOf=2024-06-01`);
    const rowsBefore = await page.locator('#exposure-h ~ table tbody tr').count();
    await page.selectOption('#group-view', 'planned');
    await page.fill('#group-as-of', '2026-06-01');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/view=planned/);
    expect(page.url()).toContain('asOf=2026-06-01');
    expect(await page.locator('#exposure-h').innerText()).toContain('1 Jun 2026');
    const rowsAfter = await page.locator('#exposure-h ~ table tbody tr').count();
    expect(rowsAfter).toBeLessThan(rowsBefore);
    expect(await page.locator('#exposure-h ~ table').innerText()).not.toContain('NAVER Cloud');
    await page.screenshot({ path: join(shots, 'group-planned-en.png'), fullPage: true });
    await page.close();
  });
});
