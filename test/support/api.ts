/** The demo program behind the real app, on one backend, for API tests; fails the file on any unexpected error. */
import { afterAll, beforeAll, expect } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { importProgramText } from '../../src/services/program-file.service.ts';
import type { Backend, TestDatabase } from './backends.ts';
import { DEMO_TEXT } from './builders.ts';

export { DEMO_TEXT };

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions themselves
export type Doc = any;

export interface DemoApi {
  t: TestDatabase;
  app: ReturnType<typeof createApp>;
}

/** Registers the hooks of the enclosing describe: a fresh database with the demo, and the app on it. */
export function useDemoApi(backend: Backend): DemoApi {
  const api = {} as DemoApi;
  const logged: string[] = [];
  beforeAll(async () => {
    api.t = await backend.create();
    await importProgramText(api.t.ctx, DEMO_TEXT);
    api.app = createApp({
      database: api.t,
      logger: createLogger('error', { write: (line: string) => logged.push(line) }),
    });
  });
  afterAll(async () => {
    await api.t?.close();
    expect(logged, 'no request may end in an unexpected error').toEqual([]);
  });
  return api;
}
