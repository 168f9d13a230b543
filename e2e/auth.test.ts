/// <reference lib="dom" />
/**
 * Accounts in a real browser: the sign-in form, an admin creating a program manager who must then
 * enrol an authenticator by its QR code, and a contractor who sees only its own organization's
 * share and attests it.
 */
import { join } from 'node:path';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { hasBrowser, shots, signIn, useBrowserServer, userNamed, visitPage } from './harness.ts';

describe.skipIf(!hasBrowser)('accounts in Chromium', () => {
  const h = useBrowserServer();
  const fresh = () => h.browser.newContext({ viewport: { width: 1366, height: 900 }, bypassCSP: true });

  it('sends a reader who is not signed in to the sign-in form, and back after it', async () => {
    const context = await fresh();
    const page = await context.newPage();
    await page.goto(`${h.base}/programs/LY-2024/milestones?lang=ja`);
    expect(page.url()).toMatch(/\/login\?next=/);
    await visitPage(page, page.url(), 'login-ja');
    const auditor = userNamed(h, 'auditor');
    await page.fill('#username', auditor.username);
    await page.fill('#password', 'not the password');
    await page.click('main form button[type=submit]');
    expect(await page.locator('[role=alert]').innerText()).toContain('正しくありません');
    await page.fill('#password', auditor.password);
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/programs\/LY-2024\/milestones/);
    expect(await page.locator('nav a', { hasText: '監査ログ' }).count()).toBe(1);
    await visitPage(page, `${h.base}/programs/LY-2024/audit`, 'audit-ja');
    // The oldest event is the first day of the demo's replayed history: the program then, and its proof.
    const oldest = page.locator('tbody tr').last();
    expect(await oldest.locator('td').nth(1).innerText()).toContain('2023年11月27日');
    const [then, proof] = await Promise.all(
      [0, 1].map((i) => oldest.locator('a').nth(i).getAttribute('href')),
    );
    const program = await page.request.get(`${h.base}${then}`);
    expect(program.status()).toBe(200);
    const yaml = await program.text();
    expect(yaml).toContain('code: LY-2024');
    expect(yaml).not.toContain('MIC-2024-04-16');
    const proven = await page.request.get(`${h.base}${proof}`);
    expect(proven.status()).toBe(200);
    expect(await proven.json()).toMatchObject({ seq: 1, leafIndex: 0 });
    await context.close();
  });

  it('lets an admin create a program manager, who must enrol an authenticator by its QR code first', async () => {
    const admin = await fresh();
    await signIn(admin, h.base, userNamed(h, 'admin'));
    const page = await admin.newPage();
    await page.goto(`${h.base}/admin/users?lang=en`);
    await page.fill('#u-username', 'pm-new');
    await page.fill('#u-name', 'New program manager');
    await page.selectOption('#u-role', 'program_manager');
    await page.click('form.spaced-form button[type=submit]');
    const password = await page.locator('.notice code.secret').innerText();
    expect(password.length).toBeGreaterThanOrEqual(20);
    await visitPage(page, `${h.base}/admin/users`, 'admin-users-en');
    await admin.close();

    const context = await fresh();
    const pm = await context.newPage();
    await pm.goto(`${h.base}/login?lang=en`);
    await pm.fill('#username', 'pm-new');
    await pm.fill('#password', password);
    await pm.click('main form button[type=submit]');
    await pm.waitForURL(/\/account\/mfa$/);
    // Nothing else opens before the authenticator is enrolled.
    await pm.goto(`${h.base}/programs/LY-2024`);
    expect(pm.url()).toMatch(/\/account\/mfa$/);
    expect(await pm.locator('.qr svg').count()).toBe(1);
    await pm.screenshot({ path: join(shots, 'mfa-enrol-en.png'), fullPage: true });
    const secret = await pm.locator('code.secret').innerText();
    await pm.fill('#code', await generate({ secret }));
    await pm.click('main form button[type=submit]');
    expect(await pm.locator('ul.codes li').count()).toBe(10);
    await pm.screenshot({ path: join(shots, 'mfa-recovery-en.png'), fullPage: true });
    await pm.goto(`${h.base}/programs/LY-2024`);
    expect(await pm.locator('h1').innerText()).toContain('LY Corporation');
    await visitPage(pm, `${h.base}/account`, 'account-en');
    await context.close();
  });

  it('shows a contractor only its organization’s relationships and access, and records its attestation', async () => {
    const context = await fresh();
    await signIn(context, h.base, userNamed(h, 'naver-cloud'));
    const page = await context.newPage();
    await page.goto(`${h.base}/?lang=en`);
    await page.click('a:has-text("LY-2024")');
    await page.waitForURL(/\/programs\/LY-2024\/relationships$/);
    const nav = await page.locator('header nav a').allInnerTexts();
    expect(nav).toEqual(['Outsourcing', 'Systems', 'Access']);
    const providers = await page.locator('#register tbody tr td:nth-child(3)').allInnerTexts();
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) expect(p).toMatch(/NAVER Cloud|Company A/);
    await visitPage(page, `${h.base}/programs/LY-2024/relationships`, 'contractor-register-en');
    await page.goto(`${h.base}/programs/LY-2024/relationships/R-NAVER-CLOUD-INFRA/edit`);
    // The decision is the program office's: its form is not shown to the contractor.
    expect(await page.locator('#d-decision').count()).toBe(0);
    await page.fill('#a-statement', 'All shared accounts on the LINE network were closed.');
    await page.click('form[action$="/attestation"] button[type=submit]');
    await page.waitForURL(/#attestations$/);
    expect(await page.locator('#attestations + table').innerText()).toContain('All shared accounts');
    await page.screenshot({ path: join(shots, 'contractor-attestation-en.png'), fullPage: true });
    const dashboard = await page.goto(`${h.base}/programs/LY-2024`);
    expect(dashboard?.status()).toBe(403);
    await context.close();
  });
});
