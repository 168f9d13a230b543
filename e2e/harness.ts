/**
 * The real server (embedded database, demo seeded, as `npm start` does) and Debian's Chromium
 * through playwright-core, for the browser tests. Where Chromium is missing the tests are skipped
 * and say so, unless OVERSIGHT_TEST_STRICT (CI) demands it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Config, loadConfig } from '../src/config.ts';
import { type Running, startServer } from '../src/server.ts';
import type { DemoUser } from '../src/services/demo.service.ts';

const CHROMIUM = '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  if (process.env.OVERSIGHT_TEST_STRICT)
    throw new Error(`${CHROMIUM} is required when OVERSIGHT_TEST_STRICT is set`);
  console.warn(`${CHROMIUM} is not installed: the browser tests are skipped.`);
}

/** axe-core, injected into each page to look for accessibility violations. */
const AXE = new URL('../node_modules/axe-core/axe.min.js', import.meta.url).pathname;

/** Where screenshots go (not committed). */
export const shots = new URL('../test-results/', import.meta.url).pathname;

export interface BrowserServer {
  base: string;
  browser: Browser;
  /** A browser context signed in as the demo's program manager (password and TOTP). */
  context: BrowserContext;
  /** The demo users with their passwords and authenticator secrets, as the server printed them. */
  users: DemoUser[];
}

/** A TOTP code of a secret, for a step not used before (waits for the next step when needed). */
const lastStep = new Map<string, number>();
export async function totpCode(secret: string): Promise<string> {
  let step = Math.floor(Date.now() / 30_000);
  if ((lastStep.get(secret) ?? -1) >= step) {
    await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - Date.now() + 200));
    step = Math.floor(Date.now() / 30_000);
  }
  lastStep.set(secret, step);
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) });
}

/** Signs a browser context in through the sign-in form (and the second factor, when the user has one). */
export async function signIn(context: BrowserContext, base: string, user: DemoUser): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('form.card button[type=submit]');
  if (user.totpSecret) {
    await page.waitForURL(/\/login\/mfa/);
    await page.fill('#code', await totpCode(user.totpSecret));
    await page.click('form.card button[type=submit]');
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.close();
}

/** Registers the hooks of the enclosing describe: a fresh server on its own data directory, and a browser. */
export function useBrowserServer(
  configure: () => Promise<Partial<Config>> | Partial<Config> = () => ({}),
): BrowserServer {
  const harness = {} as BrowserServer;
  let running: Running | undefined;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oversight-e2e-'));
    running = await startServer(
      {
        ...loadConfig({}),
        port: 0,
        host: '127.0.0.1',
        dataDir: join(dataDir, 'data'),
        databaseUrl: undefined,
        logLevel: 'silent',
        ...(await configure()),
      },
      () => {},
    );
    harness.base = `http://127.0.0.1:${running.port}`;
    harness.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    mkdirSync(shots, { recursive: true });
    harness.users = running.demoUsers;
    // axe-core is injected as an inline script, which the pages' CSP rightly refuses: tests bypass it.
    harness.context = await harness.browser.newContext({
      viewport: { width: 1366, height: 900 },
      bypassCSP: true,
    });
    await signIn(harness.context, harness.base, userNamed(harness, 'manager'));
  });
  afterAll(async () => {
    await harness.browser?.close();
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return harness;
}

/**
 * Opens a page and checks what every page must satisfy: it answers 200, shows no untranslated key,
 * is no wider than the window and has no accessibility violation found by axe-core; then saves a
 * screenshot. Returns the page's text.
 */
export function userNamed(h: BrowserServer, username: string): DemoUser {
  const user = h.users.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user;
}

export async function visitPage(page: Page, url: string, shot: string): Promise<string> {
  const path = new URL(url).pathname;
  const response = await page.goto(url);
  expect(response?.status(), path).toBe(200);
  const text = await page.locator('body').innerText();
  expect(text, `${path}: an untranslated key`).not.toMatch(
    /\b(ui|app|fields|status|lint|decision|scope|category|kind|register|severity|systemKind|criticality|via|damage|recordStatus|result|exposure)\.[a-z][\w-]*\b/,
  );
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${path}: wider than the window`).toBeLessThanOrEqual(0);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: () => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> };
      }
    ).axe;
    return (await axe.run()).violations.map(
      (v) =>
        `${v.id} ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown; failureSummary?: string }).target))}`,
    );
  });
  expect(violations, `${path}: accessibility`).toEqual([]);
  await page.screenshot({ path: join(shots, `${shot}.png`), fullPage: true });
  return text;
}
