/**
 * Every route for every role, against the one access table: a route without a row fails here,
 * and every request is answered as its row says — refused (401 for no one, 403 for a user without
 * the role, or the sign-in page for a page) or let through to its handler. Bodies are empty, so
 * nothing is written whatever the answer.
 */
import { describe, expect, it } from 'vitest';
import { type Assignment, allows, type Principal } from '../../src/domain/access.ts';
import { ROUTE_ACCESS } from '../../src/http/access-table.ts';
import { TEST_USERS, type TestUser, useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

/** A real record for each kind of path parameter, so an allowed request reaches its handler. */
const CODES: Record<string, string> = {
  organizations: 'NAVER-CLOUD',
  incidents: 'INC-2023-NAVER-CLOUD',
  items: 'G2-1a',
  directives: 'MIC-2024-04-16',
  measures: 'M-NETSEP',
  milestones: 'MS-NETSEP',
  verifications: 'V-AUTHSEP',
  systems: 'SYS-NET-LINE-DC',
  links: 'L-NC-NET-TO-AUTH',
  access: 'AX-NC-LINE-NET',
  relationships: 'R-NAVER-CLOUD-INFRA',
};
const PARAMS: Record<string, string> = {
  program: 'LY-2024',
  measure: 'M-NETSEP',
  directive: 'MIC-2024-04-16',
  file: 'app.css',
  id: '00000000-0000-4000-8000-000000000000',
  username: 'nobody',
};

/** A route's path with its parameters filled in. */
function urlOf(path: string): string {
  const parts = path.split('/');
  return parts
    .map((p, i) => {
      if (!p.startsWith(':')) return p;
      const name = p.slice(1);
      if (name === 'code') return CODES[parts[i - 1]!] ?? 'X';
      return PARAMS[name] ?? 'X';
    })
    .join('/');
}

const principalOf = (user: TestUser | 'anonymous'): Principal =>
  user === 'anonymous'
    ? { kind: 'anonymous' }
    : { kind: 'user', id: user, username: user, assignments: [TEST_USERS[user] as Assignment], via: 'token' };

for (const backend of backends()) {
  describe(`every route for every role (${backend.name})`, () => {
    const api = useDemoApi(backend);
    const routes = () => {
      const seen = new Map<string, { method: string; path: string }>();
      for (const r of api.raw.routes) if (r.method !== 'ALL') seen.set(`${r.method} ${r.path}`, r);
      return [...seen.entries()];
    };

    it('has one row in the access table for each route, and no row without a route', () => {
      const keys = routes().map(([k]) => k);
      expect(
        keys.filter((k) => !(k in ROUTE_ACCESS)),
        'routes without a row',
      ).toEqual([]);
      expect(
        Object.keys(ROUTE_ACCESS).filter((k) => !keys.includes(k)),
        'rows without a route',
      ).toEqual([]);
      expect(keys.length).toBeGreaterThan(120);
    });

    it('lets through or refuses each request as the table says, for every role and for no one', async () => {
      const users = [...(Object.keys(TEST_USERS) as TestUser[]), 'anonymous' as const];
      const wrong: string[] = [];
      let allowed = 0;
      let refused = 0;
      for (const [key, route] of routes()) {
        const permission = ROUTE_ACCESS[key]!;
        const url = urlOf(route.path);
        for (const user of users) {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (user !== 'anonymous') headers.authorization = `Bearer ${api.tokens[user]}`;
          const res = await api.raw.request(`http://localhost${url}`, {
            method: route.method,
            headers,
            ...(route.method === 'GET' ? {} : { body: '{}' }),
          });
          const toSignIn = res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login');
          // A public route may send one to the sign-in page as its own answer (signing out does).
          const denied = res.status === 401 || res.status === 403 || (toSignIn && permission !== 'public');
          const expected = allows(principalOf(user), permission, 'LY-2024');
          // Signing in refuses a wrong password with 401: that is its answer, not the gate's.
          const isSignIn = key === 'POST /login' || key === 'POST /login/mfa';
          if (res.status >= 500) wrong.push(`${key} as ${user}: ${res.status}`);
          else if (expected && denied && !isSignIn)
            wrong.push(`${key} as ${user}: refused (${res.status}), the table lets ${permission} through`);
          else if (!expected && !denied)
            wrong.push(`${key} as ${user}: ${res.status}, the table refuses (${permission})`);
          if (expected) allowed++;
          else refused++;
        }
      }
      expect(wrong).toEqual([]);
      expect(allowed).toBeGreaterThan(300);
      expect(refused).toBeGreaterThan(300);
    });
  });
}
