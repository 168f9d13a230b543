/**
 * The real server (embedded database, demo seeded, as `npm start` does) and Debian's Chromium
 * through playwright-core, for the browser tests. Where Chromium is missing the tests are skipped
 * and say so, unless OVERSIGHT_TEST_STRICT (CI) demands it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type Running, startServer } from '../src/server.ts';

const CHROMIUM = '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  if (process.env.OVERSIGHT_TEST_STRICT)
    throw new Error(`${CHROMIUM} is required when OVERSIGHT_TEST_STRICT is set`);
  console.warn(`${CHROMIUM} is not installed: the browser tests are skipped.`);
}

/** Where screenshots go (not committed). */
export const shots = new URL('../test-results/', import.meta.url).pathname;

export interface BrowserServer {
  base: string;
  browser: Browser;
}

/** Registers the hooks of the enclosing describe: a fresh server on its own data directory, and a browser. */
export function useBrowserServer(): BrowserServer {
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
  });
  afterAll(async () => {
    await harness.browser?.close();
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return harness;
}
