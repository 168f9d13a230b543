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
    await bare.goto(`${h.base}/public/LY-2024?lang=ja`);
    expect(await bare.locator('h1').innerText()).toBe('再発防止策の進捗状況');
    await noScript.close();
    // The checks every page gets (axe runs as a script of its own).
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const ja = await visitPage(page, `${h.base}/public/LY-2024?lang=ja`, 'public-ja');
    expect(ja).toContain('再発防止策の進捗状況');
    expect(ja).toContain('LINEとNAVER Cloudのデータセンター間ネットワークの分離');
    const en = await visitPage(page, `${h.base}/public/LY-2024?lang=en`, 'public-en');
    expect(en).toContain('Progress of our recurrence-prevention measures');
    await context.close();
    const phone = await h.browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const small = await phone.newPage();
    await visitPage(small, `${h.base}/public/LY-2024?lang=ja`, 'public-ja-phone');
    await phone.close();
  });
});
