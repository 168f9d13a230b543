/// <reference lib="dom" />
/**
 * The program pages in a real browser: dashboard, measures, a measure with its Gantt, a directive,
 * the outsourcing register — in English and Japanese, with no untranslated key and nothing wider
 * than the window; a forged id gets an error page, not a stack trace.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasBrowser, shots, signIn, useBrowserServer, userNamed, visitPage } from './harness.ts';

describe.skipIf(!hasBrowser)('program pages in Chromium', () => {
  const h = useBrowserServer();

  const visit = (page: Page, path: string, shot: string) => visitPage(page, `${h.base}${path}`, shot);

  for (const lang of ['en', 'ja'] as const) {
    it(`shows the dashboard, a measure and the register in ${lang}`, async () => {
      const page = await h.context.newPage();
      await page.goto(`${h.base}/?lang=${lang}`);
      const dashboard = await visit(page, '/programs/LY-2024', `dashboard-${lang}`);
      expect(dashboard).toContain(
        lang === 'ja' ? 'LINEヤフー株式会社 再発防止策' : 'LY Corporation — recurrence prevention',
      );
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      const measure = await visit(page, '/programs/LY-2024/measures/M-NETSEP', `measure-${lang}`);
      expect(measure).toContain('MS-NETSEP');
      expect(await page.locator('svg.gantt polygon').count()).toBeGreaterThan(2);
      const register = await visit(page, '/programs/LY-2024/relationships', `register-${lang}`);
      expect(register).toContain('R-NAVER-CLOUD-INFRA');
      await visit(page, '/programs/LY-2024/directives/MIC-2024-04-16', `directive-${lang}`);
      await visit(page, '/programs/LY-2024/measures', `measures-${lang}`);
      await page.close();
    });
  }

  it('follows the numbers of the dashboard to the records behind them', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/programs/LY-2024?lang=en`);
    await page.locator('a.kpi').first().click();
    await expect(page.url()).toMatch(/\/measures\?status=/);
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('re-plans a milestone with a reason and shows the new plan and history; a missing reason is refused by the field', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/programs/LY-2024/measures/M-NETSEP?lang=en`);
    const lateBefore = await page.locator('text=The milestone was due 31 Mar 2026').count();
    const form = page
      .locator('details.form', { hasText: 'MS-NETSEP' })
      .filter({ hasNotText: 'MS-NETSEP-FW' });
    await form.locator('summary').click();
    await form.locator('input[name=to]').fill('2027-03-31');
    await form.locator('textarea[name=reason]').fill(' ');
    await form.locator('button[type=submit]').click();
    // The browser's own check stops an empty reason; a blank one reaches the server and comes back by the field.
    const error = page.locator('#replan-MS-NETSEP-reason-error');
    await error.waitFor();
    expect(await error.innerText()).toBe('is required');
    expect(await page.locator('#replan-MS-NETSEP-reason').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join(shots, 'replan-error-en.png'), fullPage: true });
    await page.locator('#replan-MS-NETSEP-reason').fill('Vendor exit slipped by a year');
    await page.locator('details.form[open] button[type=submit]').click();
    await page.waitForURL(/\/measures\/M-NETSEP#milestones$/);
    const text = await page.locator('body').innerText();
    expect(text).toContain('Vendor exit slipped by a year');
    expect(text).toContain('31 Mar 2027');
    // The 1 July 2024 report showed this milestone to the regulator: the re-plan waits for a second
    // person, and the plan (and so the lint) is as it was.
    const pending = page.locator('.replans li.pending');
    expect(await pending.innerText()).toContain('Awaiting approval');
    expect(await page.locator('text=The milestone was due 31 Mar 2026').count()).toBe(lateBefore);
    await page.screenshot({ path: join(shots, 'replan-pending-en.png'), fullPage: true });
    // Its asker cannot approve it.
    await pending.locator('button', { hasText: 'Approve' }).click();
    await page.locator('#decide-MS-NETSEP-form-error').waitFor();
    expect(await page.locator('#decide-MS-NETSEP-form-error').innerText()).toContain('second person');
    await page.close();

    // The measure's owner approves it: now the plan and the lint change.
    const owner = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    await signIn(owner, h.base, userNamed(h, 'owner'));
    const approver = await owner.newPage();
    await approver.goto(`${h.base}/programs/LY-2024/measures/M-NETSEP?lang=en`);
    await approver.locator('#decide-MS-NETSEP-note').fill('Agreed with the vendor');
    await approver.locator('.replans li.pending button', { hasText: 'Approve' }).click();
    await approver.waitForURL(/\/measures\/M-NETSEP#milestones$/);
    expect(await approver.locator('.replans li.pending').count()).toBe(0);
    expect(await approver.locator('.replans').innerText()).toContain('approved by user:owner');
    expect(await approver.locator('text=The milestone was due 31 Mar 2026').count()).toBe(lateBefore - 1);
    await approver.screenshot({ path: join(shots, 'replan-done-en.png'), fullPage: true });
    await owner.close();
  });

  it('creates a measure, and shows a bad date next to its field', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/programs/LY-2024/measures/new?lang=en`);
    await page.fill('#f-code', 'M-WEB');
    await page.fill('#f-title', 'Quarterly access review of contractor accounts');
    await page.fill('#f-milestones\\[0\\]\\.title', 'First review');
    await page.fill('#f-milestones\\[0\\]\\.planned', '2027-02-30');
    await page.click('main form button[type=submit]');
    const error = page.locator('[id="f-milestones[0].planned-error"]');
    await error.waitFor();
    expect(await error.innerText()).toContain('not a date');
    expect(await page.inputValue('#f-title')).toBe('Quarterly access review of contractor accounts');
    await page.screenshot({ path: join(shots, 'new-measure-error-en.png'), fullPage: true });
    await page.fill('#f-milestones\\[0\\]\\.planned', '2027-02-28');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/measures\/M-WEB$/);
    expect(await page.locator('h1').innerText()).toBe('Quarterly access review of contractor accounts');
    await page.close();
  });

  it('answers a forged id or a bad filter with an error page, never a stack trace', async () => {
    const page = await h.context.newPage();
    for (const [path, status] of [
      ['/programs/LY-2024/measures/NOPE', 404],
      ['/programs/LY-2024/measures/%3Cscript%3E', 400],
      ['/programs/LY-2024/measures?status=everything', 400],
      ['/programs/NOPE', 403],
      ['/nowhere', 404],
    ] as const) {
      const response = await page.goto(`${h.base}${path}`);
      expect(response?.status(), path).toBe(status);
      expect(await page.locator('[role=alert] h1').innerText(), path).toMatch(new RegExp(`^${status} `));
      expect(await page.content(), path).not.toMatch(/at \S+\.tsx?:\d+/);
    }
    await page.close();
  });
});
