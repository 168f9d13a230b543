/// <reference lib="dom" />
/**
 * The report layout page in a real browser: the program manager uploads the program's template
 * through the form and sees version 1 in use; a template with an unknown placeholder is refused on
 * the form, by name; a cover text is saved. The page passes the checks every page passes, in both
 * languages.
 */
import { describe, expect, it } from 'vitest';
import { programTemplate, templateWith } from '../test/support/templates.ts';
import { hasBrowser, shots, useBrowserServer, visitPage } from './harness.ts';

const P = '/programs/LY-2024';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe.skipIf(!hasBrowser)('the report layout page in Chromium', () => {
  const h = useBrowserServer();

  it('uploads a template through the form, lists it in use, refuses an unknown placeholder by name, and saves a cover text', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/?lang=en`);
    await page.goto(`${h.base}${P}/reports`);
    await page.click(`a[href="${P}/report-template"]`);
    await page.waitForURL(`${h.base}${P}/report-template`);
    expect(await page.locator('#layout-in-use').innerText()).toBe('The built-in layout (no template)');

    await page.setInputFiles('#t-file', {
      name: 'ly-report.docx',
      mimeType: DOCX,
      buffer: await programTemplate(),
    });
    await page.click('#upload button[type=submit]');
    await page.waitForURL(`${h.base}${P}/report-template`);
    expect(await page.locator('#layout-in-use').innerText()).toBe('Version 1: ly-report.docx');
    const row = await page.locator('#template-versions tbody tr').first().innerText();
    expect(row).toContain('ly-report.docx');
    expect(row).toContain('user:manager');

    await page.setInputFiles('#t-file', {
      name: 'budget.docx',
      mimeType: DOCX,
      buffer: await templateWith('Budget: {#measures}{budget}{/measures}'),
    });
    await page.click('#upload button[type=submit]');
    const error = page.locator('#upload-error');
    await error.waitFor();
    expect(await error.innerText()).toContain(
      '{budget} (in word/document.xml › {#measures}) is not a placeholder',
    );
    await page.screenshot({ path: `${shots}report-template-refused-en.png`, fullPage: true });
    // Nothing was stored: still one version.
    expect(await page.locator('#template-versions tbody tr').count()).toBe(1);

    await page.fill('#cover-MIC-2024-04-16-en', 'To the Minister for Internal Affairs and Communications');
    await page.fill('#cover-MIC-2024-04-16-ja', '総務大臣 殿');
    await page.click('#cover-MIC-2024-04-16 button[type=submit]');
    await page.waitForURL(/report-template#cover-MIC-2024-04-16$/);
    expect(await page.inputValue('#cover-MIC-2024-04-16-ja')).toBe('総務大臣 殿');

    await visitPage(page, `${h.base}${P}/report-template?lang=en`, 'report-template-en');
    const ja = await visitPage(page, `${h.base}${P}/report-template?lang=ja`, 'report-template-ja');
    expect(ja).toContain('バージョン 1: ly-report.docx');
    await page.close();
  });
});
