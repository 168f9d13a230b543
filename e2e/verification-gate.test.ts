/// <reference lib="dom" />
/**
 * The verification gate in a real browser. Closing a measure on its edit form is refused by the
 * status field until a verification found it effective with evidence attached; an ineffective
 * result recorded on the verification form reopens the measure, whose page then asks for the
 * additional measure; naming one, recording an effective check and attaching its evidence lets the
 * measure close.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasBrowser, shots, useBrowserServer } from './harness.ts';

const P = '/programs/LY-2024';
const M = 'M-2FA';

describe.skipIf(!hasBrowser)('the verification gate in Chromium', () => {
  const h = useBrowserServer();

  /** Sets the measure's declared status on its edit form and submits it. */
  async function setStatus(page: Page, status: string) {
    await page.goto(`${h.base}${P}/measures/${M}/edit?lang=en`);
    await page.selectOption('#f-status', status);
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForLoadState('load');
  }

  /** Records a verification of the measure on the verification form. */
  async function record(page: Page, v: { code: string; method: string; on: string; result: string }) {
    // From the measure page: the form comes with the measure chosen.
    await page.goto(`${h.base}${P}/measures/${M}?lang=en`);
    await page.locator('a', { hasText: 'Record a verification' }).click();
    expect(await page.locator('#f-measure').inputValue()).toBe(M);
    await page.fill('#f-code', v.code);
    await page.fill('#f-method', v.method);
    await page.fill('#f-performedOn', v.on);
    await page.selectOption('#f-result', v.result);
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForURL(new RegExp(`/measures/${M}#verifications$`));
  }

  it('refuses to close without proof, asks for an additional measure after an ineffective check, closes with evidence', async () => {
    const page = await h.context.newPage();

    // No verification performed yet: the status field says why, and the measure stays implemented.
    await setStatus(page, 'closed');
    const error = page.locator('#f-status-error');
    await error.waitFor();
    expect(await error.innerText()).toContain(
      `measure ${M} cannot be closed: no verification has been performed`,
    );
    expect(await page.locator('#f-status').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join(shots, 'close-refused-en.png'), fullPage: true });
    await page.goto(`${h.base}/api/v1/programs/LY-2024/measures/${M}`);
    expect(JSON.parse(await page.locator('body').innerText()).status).toBe('completed');

    // An ineffective result reopens it, and its page asks for the additional measure.
    await record(page, {
      code: 'V-2FA-RT',
      method: 'Red-team phishing exercise against contractor accounts',
      on: '2024-12-15',
      result: 'ineffective',
    });
    const callout = page.locator('.callout.warn');
    expect(await callout.innerText()).toContain(
      'Verification V-2FA-RT found the measure ineffective, so it is open again.',
    );
    // Its steps are done, but it does not work: at risk, not done.
    expect(await page.locator('h1 + p.sub .badge').innerText()).toBe('at risk');
    await page.screenshot({ path: join(shots, 'verification-ineffective-en.png'), fullPage: true });
    await callout.locator('a', { hasText: 'Name the additional measure' }).click();
    await page.waitForURL(/\/verifications\/V-2FA-RT\/edit/);
    await page.selectOption('#f-followUpMeasure', 'M-CONTRACTOR-PC');
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForURL(/\/verifications\?q=V-2FA-RT/);
    expect(await page.locator('#register tbody tr').first().innerText()).toContain('M-CONTRACTOR-PC');

    // An effective check: closing still waits for its evidence; attached, the measure closes.
    await record(page, {
      code: 'V-2FA-RT2',
      method: 'Phishing exercise repeated after hardened PCs were lent',
      on: '2025-03-31',
      result: 'effective',
    });
    expect(await page.locator('body').innerText()).toContain(
      'attach its evidence below, and the measure can be closed',
    );
    await setStatus(page, 'closed');
    expect(await page.locator('#f-status-error').innerText()).toContain('no evidence is attached to it');
    await page.goto(`${h.base}${P}/measures/${M}?lang=en`);
    await page.selectOption('#e-target', 'verification:V-2FA-RT2');
    await page.setInputFiles('#e-file', {
      name: 'exercise-report.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      ),
    });
    await page.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
    await page.waitForURL(/#evidence$/);
    await setStatus(page, 'closed');
    await page.waitForURL(new RegExp(`/measures/${M}$`));
    await page.goto(`${h.base}/api/v1/programs/LY-2024/measures/${M}`);
    expect(JSON.parse(await page.locator('body').innerText()).status).toBe('closed');
    await page.goto(`${h.base}${P}/measures/${M}?lang=en`);
    await page.screenshot({ path: join(shots, 'measure-closed-en.png'), fullPage: true });
    await page.close();
  });
});
