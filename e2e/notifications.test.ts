/// <reference lib="dom" />
/**
 * Reminders as a person meets them: the server (its own job worker, a real SMTP server in this
 * process) e-mails the demo's program manager the milestones that are late, in Japanese, her
 * language; she sees the same reminders in the web UI under the count beside her name, marks them
 * read, and changes her settings — a wrong value is refused with the field named.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type MailReceiver, startMailReceiver } from '../test/support/receivers.ts';
import { hasBrowser, useBrowserServer, visitPage } from './harness.ts';

async function until(
  what: string,
  check: () => boolean,
  ms = 30_000,
  poll: () => Promise<void> = async () => {},
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    await poll();
    if (check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasBrowser)('reminders in Chromium and by e-mail', () => {
  let mail: MailReceiver | undefined;
  const h = useBrowserServer(async () => {
    mail = await startMailReceiver();
    return {
      smtp: { url: mail.url, from: 'Oversight <oversight@example.com>' },
      jobs: {
        enabled: true,
        pollMs: 200,
        leaseMs: 30_000,
        scanEveryMs: 3_600_000,
        retryBaseMs: 200,
        allowPrivateWebhooks: false,
      },
    };
  });
  afterAll(async () => {
    await mail?.close();
  });

  it('e-mails the program manager her reminders in Japanese, and shows the same ones on the page', async () => {
    const page = await h.context.newPage();
    // Her notifications, as the API lists them to her session: every one of them arrives by e-mail.
    let listed: Array<{ id: string; title: string }> = [];
    await until(
      'the manager’s reminders',
      () => listed.length > 0,
      30_000,
      async () => {
        const res = await page.request.get(`${h.base}/api/v1/notifications?lang=ja`);
        listed = (await res.json()).notifications;
      },
    );
    const mailed = () => mail!.mails.filter((m) => m.to === 'manager@example.com');
    await until('her reminders by e-mail', () => mailed().length === listed.length);
    const hers = mailed();
    expect(hers.map((m) => m.notification).sort()).toEqual(listed.map((n) => n.id).sort());
    expect(hers.map((m) => m.subject).sort()).toEqual(listed.map((n) => `[Oversight] ${n.title}`).sort());
    expect(hers.every((m) => m.language === 'ja')).toBe(true);
    const late = hers.find((m) => m.subject.includes('MS-NETSEP-FW'))!;
    expect(late.subject).toMatch(
      /^\[Oversight\] LY-2024：マイルストーン MS-NETSEP-FW は期限を\d+日過ぎています$/,
    );
    expect(late.text).toContain('2024年8月31日');
    expect(late.text).toMatch(/http:\/\/localhost:\d+\/programs\/LY-2024\/measures\/M-NETSEP/);
    // The auditor chose English: the week's digest of the whole program.
    const audit = mail!.mails.find((m) => m.to === 'auditor@example.com')!;
    expect(audit.language).toBe('en');
    expect(audit.subject).toMatch(/^\[Oversight\] LY-2024: your week \(\d{4}-W\d{2}\)$/);
    // No one got the same reminder twice.
    const ids = mail!.mails.map((m) => m.notification);
    expect(new Set(ids).size).toBe(ids.length);

    await page.goto(`${h.base}/programs/LY-2024?lang=ja`);
    const count = page.locator('header .bell .count');
    await count.waitFor();
    expect(Number(await count.innerText())).toBe(hers.length);
    const text = await visitPage(page, `${h.base}/notifications`, 'notifications-ja');
    for (const m of hers) expect(text).toContain(m.subject.replace('[Oversight] ', ''));
    await page.click('a.n-title >> text=MS-NETSEP-FW');
    await page.waitForURL(/\/programs\/LY-2024\/measures\/M-NETSEP$/);

    // In English, the same notifications in English; all marked read, the count goes.
    await visitPage(page, `${h.base}/notifications?lang=en`, 'notifications-en');
    expect(await page.locator('ol.notifications li.unread').count()).toBe(hers.length);
    expect(await page.locator('body').innerText()).toContain('LY-2024: milestone MS-NETSEP-FW is');
    await page.click('button:has-text("Mark all read")');
    await page.waitForURL(/\/notifications$/);
    expect(await page.locator('ol.notifications li.unread').count()).toBe(0);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/notifications/badge')),
      page.goto(`${h.base}/programs/LY-2024`),
    ]);
    expect(await page.locator('header .bell .count').count()).toBe(0);
    await page.close();
  });

  it('keeps the settings a person saves, and refuses a wrong value with the field named', async () => {
    const page = await h.context.newPage();
    await visitPage(page, `${h.base}/account/notifications?lang=en`, 'notification-settings-en');
    expect(await page.inputValue('#n-email')).toBe('manager@example.com');
    await page.fill('#n-due', '120');
    await page.fill('#n-webhook', 'ftp://example.com/hook');
    await page.evaluate(() => {
      // The browser's own checks would stop the form; the server's are the ones under test.
      document.querySelectorAll('input').forEach((i) => i.removeAttribute('max'));
      document.querySelectorAll('input[type=url]').forEach((i) => i.setAttribute('type', 'text'));
      // A language the form never offers, as a hand-made request would send.
      const select = document.querySelector<HTMLSelectElement>('#n-language')!;
      select.add(new Option('Français', 'fr', true, true));
    });
    const refused = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form.card button[type=submit]'),
    ]);
    expect(refused[0].status()).toBe(422);
    expect(await page.locator('#n-dueDays-error').innerText()).not.toBe('');
    expect(await page.locator('#n-webhookUrl-error').innerText()).toContain('http(s)');
    // An error of a field with no place for one beside it is said on top of the form.
    expect(await page.locator('.error[role=alert]').innerText()).toMatch(/language/i);
    // What was sent stays in the form beside its errors.
    expect(await page.inputValue('#n-due')).toBe('120');
    expect(await page.inputValue('#n-webhook')).toBe('ftp://example.com/hook');
    // Nothing was changed.
    await page.goto(`${h.base}/account/notifications`);
    expect(await page.inputValue('#n-due')).toBe('7');

    await page.fill('#n-due', '14');
    await page.uncheck('input[name=kinds][value=digest]');
    await page.selectOption('#n-language', 'en');
    await page.fill('#n-webhook', 'https://hooks.example.com/oversight');
    await page.click('form.card button[type=submit]');
    expect(await page.locator('.notice').innerText()).toContain('saved');
    expect(await page.inputValue('#n-due')).toBe('14');
    expect(await page.isChecked('input[name=kinds][value=digest]')).toBe(false);
    expect(await page.locator('code.secret').innerText()).toMatch(/^whsec_/);
    await visitPage(page, `${h.base}/account/notifications`, 'notification-settings-saved');
    await page.close();
  });
});
