/// <reference lib="dom" />
/**
 * The public progress page in a real browser, signed out: in Japanese and English, without
 * JavaScript, with no untranslated key, no overflow and no accessibility violation; on a phone too.
 */
import { describe, expect, it } from 'vitest';
import { hasBrowser, useBrowserServer, visitPage } from './harness.ts';

describe.skipIf(!hasBrowser)('the public progress page in Chromium', () => {
  const h = useBrowserServer();

  it('shows the progress to anyone, in Japanese and English, with JavaScript off', async () => {
    // The page needs no script: with JavaScript off it is all there.
    const noScript = await h.browser.newContext({ javaScriptEnabled: false });
    const bare = await noScript.newPage();
    await bare.goto(`${h.base}/public/LY-2024/ja/`);
    expect(await bare.locator('h1').innerText()).toBe('再発防止策の進捗状況');
    await noScript.close();
    // The checks every page gets (axe runs as a script of its own).
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const ja = await visitPage(page, `${h.base}/public/LY-2024/ja/`, 'public-ja');
    expect(ja).toContain('再発防止策の進捗状況');
    expect(ja).toContain('LINEとNAVER Cloudのデータセンター間ネットワークの分離');
    const en = await visitPage(page, `${h.base}/public/LY-2024/en/`, 'public-en');
    expect(en).toContain('Progress of our recurrence-prevention measures');
    await context.close();
    const phone = await h.browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const small = await phone.newPage();
    await visitPage(small, `${h.base}/public/LY-2024/ja/`, 'public-ja-phone');
    await phone.close();
  });
});

describe.skipIf(!hasBrowser)('public updates for the staff in Chromium', () => {
  const h = useBrowserServer();

  it('drafts an update in both languages through the form; the author cannot approve it', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/?lang=en`);
    await visitPage(page, `${h.base}/programs/LY-2024/disclosures`, 'disclosures-en');
    await page.fill('#d-title-ja', '再発防止策の進捗（2026年11月）');
    await page.fill('#d-title-en', 'Progress of our measures (November 2026)');
    await page.fill('#d-body-ja', 'ネットワークの分離を進めています。');
    await page.fill('#d-body-en', 'The network separation is under way.');
    await page.click('form.spaced-form button[type=submit]');
    await page.waitForURL(/\/disclosures$/);
    const text = await visitPage(page, `${h.base}/programs/LY-2024/disclosures?lang=ja`, 'disclosures-ja');
    expect(text).toContain('再発防止策の進捗（2026年11月）');
    await page.click('form[action$="/approve"] button');
    expect(await page.locator('[role=alert]').innerText()).toContain('作成した人以外');
    await page.close();
  });
});
