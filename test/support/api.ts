/**
 * The demo program behind the real app, on one backend, with a user for each role: requests go
 * out as the program manager (by API token) unless a test says who. Fails the file on any
 * unexpected error.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Assignment } from '../../src/domain/access.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { assignmentsOf, createUser } from '../../src/services/account.service.ts';
import { importProgramText } from '../../src/services/program-file.service.ts';
import { createApiToken } from '../../src/services/session.service.ts';
import type { Backend, TestDatabase } from './backends.ts';
import { DEMO_TEXT } from './builders.ts';

export { DEMO_TEXT };

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions themselves
export type Doc = any;

/** The users every API test can act as, one per role (and a second contractor, of another provider). */
export const TEST_USERS = {
  admin: { role: 'admin', program: null },
  manager: { role: 'program_manager', program: 'LY-2024' },
  owner: { role: 'measure_owner', program: 'LY-2024', owner: 'Network engineering (illustrative)' },
  contractor: { role: 'contractor', program: 'LY-2024', organization: 'NAVER-CLOUD' },
  soc: { role: 'contractor', program: 'LY-2024', organization: 'JP-SOC' },
  regulator: { role: 'regulator', program: 'LY-2024' },
  auditor: { role: 'auditor', program: 'LY-2024' },
} as const satisfies Record<string, Assignment>;

export type TestUser = keyof typeof TEST_USERS;

export interface DemoApi {
  t: TestDatabase;
  /** The app, as the program manager unless the request names another Authorization. */
  app: { request: (path: string, init?: RequestInit) => Promise<Response> };
  /** The app with no credentials added. */
  raw: ReturnType<typeof createApp>;
  /** A bearer token per test user. */
  tokens: Record<TestUser, string>;
  /** The Authorization header of a test user. */
  as: (user: TestUser) => Record<string, string>;
}

/** Creates the test users with an API token each, holding all their roles. */
export async function createTestUsers(t: TestDatabase): Promise<Record<TestUser, string>> {
  const tokens = {} as Record<TestUser, string>;
  for (const [username, assignment] of Object.entries(TEST_USERS) as Array<[TestUser, Assignment]>) {
    const { id } = await createUser(t.ctx, { username, assignments: [assignment] });
    const roles = await assignmentsOf(t.db, id);
    const principal = { kind: 'user' as const, id, username, assignments: roles, via: 'session' as const };
    const { token } = await createApiToken(
      { db: t.db, actor: { id: `user:${username}`, principal } },
      { name: 'tests', expiresInDays: 1, assignments: roles.map((r) => r.id) },
    );
    tokens[username] = token;
  }
  return tokens;
}

/** Registers the hooks of the enclosing describe: a fresh database with the demo and its users, and the app on it. */
export function useDemoApi(backend: Backend): DemoApi {
  const api = {} as DemoApi;
  const logged: string[] = [];
  beforeAll(async () => {
    api.t = await backend.create();
    await importProgramText(api.t.ctx, DEMO_TEXT);
    api.tokens = await createTestUsers(api.t);
    api.as = (user) => ({ authorization: `Bearer ${api.tokens[user]}` });
    api.raw = createApp({
      database: api.t,
      logger: createLogger('error', { write: (line: string) => logged.push(line) }),
    });
    api.app = {
      request: (path, init = {}) => {
        const headers = new Headers(init.headers);
        if (!headers.has('authorization')) headers.set('authorization', `Bearer ${api.tokens.manager}`);
        return Promise.resolve(api.raw.request(path, { ...init, headers }));
      },
    };
  });
  afterAll(async () => {
    await api.t?.close();
    expect(logged, 'no request may end in an unexpected error').toEqual([]);
  });
  return api;
}
