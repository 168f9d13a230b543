/**
 * Signing in and what a signed-in user may reach: passwords, the second factor and its replay,
 * throttling, tokens that expired or were revoked, forged cookies, cross-site form posts, and the
 * walls between contractors and between measure owners.
 */
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/account.service.ts';
import { provisionTotp } from '../../src/services/session.service.ts';
import { type Doc, useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

const P = '/api/v1/programs/LY-2024';
const ORIGIN = 'http://localhost';

for (const backend of backends()) {
  describe(`accounts and permissions (${backend.name})`, () => {
    const api = useDemoApi(backend);
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const FORM = { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN };
    const cookieOf = (res: Response) =>
      /oversight_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    const signIn = (username: string, password: string) =>
      api.raw.request(`${ORIGIN}/login`, {
        method: 'POST',
        headers: FORM,
        body: form({ username, password, next: '/' }),
      });
    const asSession = (cookie: string, path: string, init: RequestInit = {}) =>
      api.raw.request(`${ORIGIN}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), cookie: `oversight_session=${cookie}` },
      });
    const newUser = async (username: string, assignments: unknown[], totp = false) => {
      const { password } = await createUser(api.t.ctx, { username, assignments });
      const secret = totp ? await provisionTotp(api.t.ctx, username) : undefined;
      return { password: password!, secret };
    };

    it('signs in with a password and says the same for an unknown user and a wrong password', async () => {
      const { password } = await newUser('reader', [{ role: 'auditor', program: 'LY-2024' }]);
      const ok = await signIn('reader', password);
      expect(ok.status).toBe(303);
      expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly/i);
      expect(ok.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
      const session = cookieOf(ok)!;
      expect((await asSession(session, '/programs/LY-2024')).status).toBe(200);
      const wrong = await signIn('reader', `${password}x`);
      const unknown = await signIn('nobody-here', password);
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const message = (html: string) => /role="alert">([^<]+)</.exec(html)?.[1];
      expect(message(await wrong.text())).toBe(message(await unknown.text()));
      // Signing out ends the session for good.
      await asSession(session, '/logout', { method: 'POST', headers: FORM });
      const after = await asSession(session, '/programs/LY-2024');
      expect(after.status).toBe(303);
      expect(after.headers.get('location')).toMatch(/^\/login\?next=/);
      // The unread count polled by a page left open is empty: the page is not sent away.
      const polled = await asSession(session, '/notifications/badge', { headers: { 'hx-request': 'true' } });
      expect(polled.status).toBe(200);
      expect(polled.headers.get('hx-redirect')).toBeNull();
      expect(await polled.text()).toBe('');
      // Any other htmx request of an ended session sends the whole page to sign in, back to where it was.
      const fragment = (current: string) =>
        asSession(session, '/programs/LY-2024/milestones', {
          headers: { 'hx-request': 'true', 'hx-current-url': current },
        });
      const sent = await fragment('http://localhost/programs/LY-2024/milestones?page=2');
      expect(sent.status).toBe(200);
      expect(sent.headers.get('hx-redirect')).toBe(
        `/login?next=${encodeURIComponent('/programs/LY-2024/milestones?page=2')}`,
      );
      // A header no URL can be made of sends it to sign in all the same, and back to the start.
      const malformed = await fragment('http://[');
      expect(malformed.status).toBe(200);
      expect(malformed.headers.get('hx-redirect')).toBe(`/login?next=${encodeURIComponent('/')}`);
    });

    it('refuses a forged or unknown session cookie: the reader is no one', async () => {
      for (const forged of ['ovs_forged', `ovs_${'A'.repeat(43)}`, 'not-a-session', '%00']) {
        const page = await asSession(forged, '/programs/LY-2024');
        expect(page.status, forged).toBe(303);
        const apiRes = await asSession(forged, `${P}/measures`);
        expect(apiRes.status, forged).toBe(401);
      }
    });

    it('asks for the second factor; refuses a wrong code and the same code twice', async () => {
      const { password, secret } = await newUser(
        'pm2',
        [{ role: 'program_manager', program: 'LY-2024' }],
        true,
      );
      const first = await signIn('pm2', password);
      expect(first.headers.get('location')).toMatch(/^\/login\/mfa/);
      const pending = cookieOf(first)!;
      // Waiting for the second factor, the session opens nothing.
      expect((await asSession(pending, '/programs/LY-2024')).status).toBe(303);
      expect((await asSession(pending, `${P}/measures`)).status).toBe(401);
      const wrongCode = await asSession(pending, '/login/mfa', {
        method: 'POST',
        headers: FORM,
        body: form({ code: '000000' }),
      });
      expect(wrongCode.status).toBe(401);
      const code = await generate({ secret: secret! });
      const passed = await asSession(pending, '/login/mfa', {
        method: 'POST',
        headers: FORM,
        body: form({ code }),
      });
      expect(passed.status).toBe(303);
      const full = cookieOf(passed)!;
      expect(full).not.toBe(pending);
      expect((await asSession(full, '/programs/LY-2024')).status).toBe(200);
      // The pending session's secret is worth nothing now.
      expect(
        (await asSession(pending, '/login/mfa', { method: 'POST', headers: FORM, body: form({ code }) }))
          .status,
      ).toBe(303);
      // The same code again, on a new sign-in: refused.
      const again = cookieOf(await signIn('pm2', password))!;
      const replay = await asSession(again, '/login/mfa', {
        method: 'POST',
        headers: FORM,
        body: form({ code }),
      });
      expect(replay.status).toBe(401);
    });

    it('sends a manager without an authenticator to enrol one, and opens nothing else until then', async () => {
      const { password } = await newUser('pm3', [{ role: 'program_manager', program: 'LY-2024' }]);
      const res = await signIn('pm3', password);
      expect(res.headers.get('location')).toBe('/account/mfa');
      const session = cookieOf(res)!;
      const dashboard = await asSession(session, '/programs/LY-2024');
      expect(dashboard.headers.get('location')).toBe('/account/mfa');
      expect((await asSession(session, `${P}/measures`)).status).toBe(403);
      // An htmx request is told to navigate, never handed the enrolment page to swap into a fragment.
      const swapped = await asSession(session, '/notifications/badge', { headers: { 'hx-request': 'true' } });
      expect(swapped.headers.get('hx-redirect')).toBe('/account/mfa');
      expect(await swapped.text()).toBe('');
      const enrol = await asSession(session, '/account/mfa');
      expect(enrol.status).toBe(200);
      const html = await enrol.text();
      expect(html).toContain('<svg');
      // The enrolment page asks nothing more of the server: no unread count polled behind it.
      expect(html).not.toContain('/notifications/badge');
      const secret = /class="secret">([A-Z2-7]+)</.exec(html)![1]!;
      const bad = await asSession(session, '/account/mfa', {
        method: 'POST',
        headers: FORM,
        body: form({ code: '12345' }),
      });
      expect(bad.status).toBe(422);
      const ok = await asSession(session, '/account/mfa', {
        method: 'POST',
        headers: FORM,
        body: form({ code: await generate({ secret }) }),
      });
      expect(ok.status).toBe(200);
      const codes = [...(await ok.text()).matchAll(/<li><code>([0-9a-f-]{14})<\/code><\/li>/g)].map(
        (m) => m[1],
      );
      expect(codes).toHaveLength(10);
      // The enrolling session is replaced by one past the second factor; the old token is worth nothing.
      const enrolled = cookieOf(ok)!;
      expect(enrolled).not.toBe(session);
      expect((await asSession(enrolled, '/programs/LY-2024')).status).toBe(200);
      expect((await asSession(session, '/programs/LY-2024')).status).toBe(303);
      // A recovery code signs in once.
      const next = cookieOf(await signIn('pm3', password))!;
      const recovered = await asSession(next, '/login/mfa', {
        method: 'POST',
        headers: FORM,
        body: form({ code: codes[0]! }),
      });
      expect(recovered.status).toBe(303);
      const reuse = cookieOf(await signIn('pm3', password))!;
      expect(
        (
          await asSession(reuse, '/login/mfa', {
            method: 'POST',
            headers: FORM,
            body: form({ code: codes[0]! }),
          })
        ).status,
      ).toBe(401);
    });

    it('shows each session its own enrolment secret, and ends the user’s other sessions when one enrols', async () => {
      const { password } = await newUser('pm4', [{ role: 'program_manager', program: 'LY-2024' }]);
      const intruder = cookieOf(await signIn('pm4', password))!;
      const owner = cookieOf(await signIn('pm4', password))!;
      const secretOf = async (cookie: string) =>
        /class="secret">([A-Z2-7]+)</.exec(await (await asSession(cookie, '/account/mfa')).text())![1]!;
      const seen = await secretOf(intruder);
      const mine = await secretOf(owner);
      expect(mine).not.toBe(seen);
      // The intruder's secret does not enrol the owner's session.
      const wrong = await asSession(owner, '/account/mfa', {
        method: 'POST',
        headers: FORM,
        body: form({ code: await generate({ secret: seen }) }),
      });
      expect(wrong.status).toBe(422);
      const ok = await asSession(owner, '/account/mfa', {
        method: 'POST',
        headers: FORM,
        body: form({ code: await generate({ secret: mine }) }),
      });
      expect(ok.status).toBe(200);
      expect((await asSession(cookieOf(ok)!, '/programs/LY-2024')).status).toBe(200);
      // The intruder's session is over, not promoted.
      expect((await asSession(intruder, '/programs/LY-2024')).status).toBe(303);
    });

    it('counts concurrent wrong codes one by one: a burst cannot pass the limit', async () => {
      const { password } = await newUser('pm5', [{ role: 'program_manager', program: 'LY-2024' }], true);
      const pending = cookieOf(await signIn('pm5', password))!;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          asSession(pending, '/login/mfa', {
            method: 'POST',
            headers: FORM,
            body: form({ code: String(100000 + i) }),
          }),
        ),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.every((s) => s === 401 || s === 429 || s === 303)).toBe(true);
      // A right password afterwards does not reset the second factor's count.
      const again = cookieOf(await signIn('pm5', password))!;
      expect(
        (
          await asSession(again, '/login/mfa', {
            method: 'POST',
            headers: FORM,
            body: form({ code: '123456' }),
          })
        ).status,
      ).toBe(429);
    });

    it('keeps an API token to its own roles: it cannot reach the account, mint a wider token or enrol', async () => {
      const token = { authorization: `Bearer ${api.tokens.contractor}` };
      for (const [method, path] of [
        ['GET', '/account'],
        ['GET', '/account/mfa'],
        ['POST', '/account/tokens'],
        ['POST', '/account/password'],
      ] as const) {
        const res = await api.raw.request(`${ORIGIN}${path}`, {
          method,
          headers: { ...token, ...FORM },
          body: method === 'POST' ? form({}) : undefined,
        });
        expect(res.status, path).toBe(403);
      }
    });

    it('answers odd bytes in a username or a return address as any wrong sign-in, never a 500', async () => {
      for (const username of ['a\u0000b', '\u{1F600}'.repeat(40), ' ', '../../etc'])
        expect((await signIn(username, 'whatever password')).status, JSON.stringify(username)).toBe(401);
      const { password } = await newUser('nexter', [{ role: 'auditor', program: 'LY-2024' }]);
      const res = await api.raw.request(`${ORIGIN}/login`, {
        method: 'POST',
        headers: FORM,
        body: form({ username: 'nexter', password, next: '/\u0000\r\nSet-Cookie: x=1' }),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
    });

    it('throttles sign-ins after five failures for an account, whatever the password then', async () => {
      const { password } = await newUser('target', [{ role: 'auditor', program: 'LY-2024' }]);
      for (let i = 0; i < 5; i++) expect((await signIn('target', 'wrong password!')).status).toBe(401);
      const blocked = await signIn('target', password);
      expect(blocked.status).toBe(429);
      // An account that does not exist is throttled the same way: the answer says nothing of existence.
      for (let i = 0; i < 5; i++) await signIn('ghost', 'wrong password!');
      expect((await signIn('ghost', 'wrong password!')).status).toBe(429);
    });

    it('refuses an API token once revoked or expired, and a token that was never issued', async () => {
      const { password } = await newUser('tokens', [{ role: 'auditor', program: 'LY-2024' }]);
      const session = cookieOf(await signIn('tokens', password))!;
      const me = (await (await asSession(session, '/api/v1/me')).json()) as Doc;
      expect(me.username).toBe('tokens');
      const account = await (await asSession(session, '/account')).text();
      const assignment = /name="assignments" value="([0-9a-f-]+)"/.exec(account)![1]!;
      const created = await asSession(session, '/account/tokens', {
        method: 'POST',
        headers: FORM,
        body: form({ name: 'ci', expiresInDays: '30', assignments: assignment }),
      });
      const token = /class="secret">(ovt_[A-Za-z0-9_-]+)</.exec(await created.text())![1]!;
      const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
      expect((await api.raw.request(`${ORIGIN}${P}/measures`, bearer(token))).status).toBe(200);
      expect((await api.raw.request(`${ORIGIN}${P}/measures`, bearer(`${token}x`))).status).toBe(401);
      expect((await api.raw.request(`${ORIGIN}${P}/measures`, bearer('ovt_never'))).status).toBe(401);
      expect(
        (await api.raw.request(`${ORIGIN}${P}/measures`, { headers: { authorization: 'Basic abc' } })).status,
      ).toBe(401);
      // Expired: the database says it ended a second ago.
      await api.t.db
        .updateTable('api_tokens')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .execute();
      expect((await api.raw.request(`${ORIGIN}${P}/measures`, bearer(token))).status).toBe(401);
      await api.t.db
        .updateTable('api_tokens')
        .set({ expires_at: new Date(Date.now() + 86_400_000) })
        .execute();
      expect((await api.raw.request(`${ORIGIN}${P}/measures`, bearer(token))).status).toBe(200);
      const id = /action="\/account\/tokens\/([0-9a-f-]+)\/revoke"/.exec(
        await (await asSession(session, '/account')).text(),
      )![1]!;
      await asSession(session, `/account/tokens/${id}/revoke`, { method: 'POST', headers: FORM });
      expect((await api.raw.request(`${ORIGIN}${P}/measures`, bearer(token))).status).toBe(401);
    });

    it('refuses a form posted from another site, even with a valid session', async () => {
      const { password } = await newUser('owner2', [
        { role: 'measure_owner', program: 'LY-2024', owner: 'Network engineering (illustrative)' },
      ]);
      const session = cookieOf(await signIn('owner2', password))!;
      const before = await api.t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const res = await asSession(session, '/programs/LY-2024/milestones/MS-NETSEP/replan', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
        body: form({ version: '1', to: '2030-01-01', reason: 'forged' }),
      });
      expect(res.status).toBe(403);
      const after = await api.t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('keeps a contractor to its own organization: another provider’s records cannot be read or changed by code', async () => {
      const as = api.as('contractor');
      const get = (path: string) => api.raw.request(`${ORIGIN}${path}`, { headers: as });
      const relationships = (await (await get(`${P}/relationships`)).json()) as Doc[];
      expect(relationships.length).toBeGreaterThan(0);
      expect(relationships.every((r) => r.provider === 'NAVER-CLOUD' || r.customer === 'NAVER-CLOUD')).toBe(
        true,
      );
      const access = (await (await get(`${P}/access`)).json()) as Doc[];
      expect(access.every((a) => a.organization === 'NAVER-CLOUD')).toBe(true);
      // JP-SOC's relationship, guessed by its code.
      expect((await get(`${P}/relationships/R-JP-SOC`)).status).toBe(404);
      expect((await get('/programs/LY-2024/relationships/R-JP-SOC/edit')).status).toBe(404);
      const soc = (await (
        await api.raw.request(`${ORIGIN}${P}/relationships/R-JP-SOC`, { headers: api.as('soc') })
      ).json()) as Doc;
      const patch = await api.raw.request(`${ORIGIN}${P}/relationships/R-JP-SOC`, {
        method: 'PATCH',
        headers: { ...as, 'content-type': 'application/json' },
        body: JSON.stringify({ version: soc.version, title: 'taken over' }),
      });
      expect(patch.status).toBe(403);
      const attest = await api.raw.request(`${ORIGIN}${P}/relationships/R-JP-SOC/attestations`, {
        method: 'POST',
        headers: { ...as, 'content-type': 'application/json' },
        body: JSON.stringify({ statement: 'all fine' }),
      });
      expect(attest.status).toBe(403);
      // Nor move its own relationship to another provider.
      const own = (await (await get(`${P}/relationships/R-NAVER-CLOUD-INFRA`)).json()) as Doc;
      const moved = await api.raw.request(`${ORIGIN}${P}/relationships/R-NAVER-CLOUD-INFRA`, {
        method: 'PATCH',
        headers: { ...as, 'content-type': 'application/json' },
        body: JSON.stringify({ version: own.version, provider: 'JP-SOC' }),
      });
      expect(moved.status).toBe(403);
      // Nor swap the other party, add systems, or create a relationship or an access edge.
      for (const body of [
        { provider: 'JP-SOC', customer: 'NAVER-CLOUD' },
        { customer: 'NAVER-CLOUD' },
        { systems: ['SYS-ACCOUNTING'] },
      ]) {
        const res = await api.raw.request(`${ORIGIN}${P}/relationships/R-NAVER-CLOUD-INFRA`, {
          method: 'PATCH',
          headers: { ...as, 'content-type': 'application/json' },
          body: JSON.stringify({ version: own.version, ...body }),
        });
        expect(res.status, JSON.stringify(body)).toBe(403);
      }
      const created = await api.raw.request(`${ORIGIN}${P}/access`, {
        method: 'POST',
        headers: { ...as, 'content-type': 'application/json' },
        body: JSON.stringify({
          code: 'AX-NEW',
          organization: 'NAVER-CLOUD',
          system: 'SYS-EMP-INFO',
          via: 'account',
        }),
      });
      expect(created.status).toBe(403);
      expect((await get(`${P}/systems/SYS-ACCOUNTING`)).status).toBe(404);
      // Nor change which measures carry it out: that is the program office's.
      const relinked = await api.raw.request(`${ORIGIN}${P}/relationships/R-NAVER-CLOUD-INFRA`, {
        method: 'PATCH',
        headers: { ...as, 'content-type': 'application/json' },
        body: JSON.stringify({ version: own.version, measures: [] }),
      });
      expect(relinked.status).toBe(403);
      // Its own, in words it may change: saved.
      const renamed = await api.raw.request(`${ORIGIN}${P}/relationships/R-NAVER-CLOUD-INFRA`, {
        method: 'PATCH',
        headers: { ...as, 'content-type': 'application/json' },
        body: JSON.stringify({ version: own.version, description: 'Operated from the NAVER Cloud side' }),
      });
      expect(renamed.status).toBe(200);
      expect(
        ((await (await api.app.request(`${P}/relationships/R-NAVER-CLOUD-INFRA`)).json()) as Doc).measures
          .length,
      ).toBeGreaterThan(0);
      // Its own: attested.
      const mine = await api.raw.request(`${ORIGIN}${P}/relationships/R-NAVER-CLOUD-INFRA/attestations`, {
        method: 'POST',
        headers: { ...as, 'content-type': 'application/json' },
        body: JSON.stringify({ statement: 'Shared accounts closed', on: '2026-11-20' }),
      });
      expect(mine.status).toBe(201);
      expect(await mine.json()).toMatchObject({ organization: 'NAVER-CLOUD', on: '2026-11-20' });
      // And the plan, the lint and the measures are not its to see.
      for (const path of [
        `${P}/measures`,
        `${P}/lint`,
        `${P}/export`,
        '/programs/LY-2024',
        '/programs/LY-2024/measures',
      ])
        expect((await get(path)).status, path).toBe(403);
    });

    it('lets a measure owner change its team’s measures and no other', async () => {
      const as = { ...api.as('owner'), 'content-type': 'application/json' };
      const measure = async (code: string) =>
        (await (await api.app.request(`${P}/measures/${code}`)).json()) as Doc;
      const netsep = await measure('M-NETSEP');
      const mine = await api.raw.request(`${ORIGIN}${P}/measures/M-NETSEP`, {
        method: 'PATCH',
        headers: as,
        body: JSON.stringify({ version: netsep.version, description: 'Updated by its owner' }),
      });
      expect(mine.status).toBe(200);
      const other = await measure('M-2FA');
      expect(other.owner).not.toBe('Network engineering (illustrative)');
      const theirs = await api.raw.request(`${ORIGIN}${P}/measures/M-2FA`, {
        method: 'PATCH',
        headers: as,
        body: JSON.stringify({ version: other.version, description: 'not mine' }),
      });
      expect(theirs.status).toBe(403);
      // Giving its measure away to another team is not its to do either.
      const giveAway = await api.raw.request(`${ORIGIN}${P}/measures/M-NETSEP`, {
        method: 'PATCH',
        headers: as,
        body: JSON.stringify({ version: netsep.version + 1, owner: 'Someone else' }),
      });
      expect(giveAway.status).toBe(403);
      const created = await api.raw.request(`${ORIGIN}${P}/measures`, {
        method: 'POST',
        headers: as,
        body: JSON.stringify({
          code: 'M-OWN',
          title: 'Own',
          category: 'governance',
          kind: 'permanent',
          owner: 'Network engineering (illustrative)',
        }),
      });
      expect(created.status).toBe(201);
      const foreign = await api.raw.request(`${ORIGIN}${P}/measures`, {
        method: 'POST',
        headers: as,
        body: JSON.stringify({
          code: 'M-FOREIGN',
          title: 'Foreign',
          category: 'governance',
          kind: 'permanent',
          owner: 'Corporate IT',
        }),
      });
      expect(foreign.status).toBe(403);
    });

    it('sends the security headers: a CSP without inline scripts, no framing, no sniffing', async () => {
      const res = await api.app.request('/programs/LY-2024');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      // Behind TLS, the session cookie is Secure.
      const { password } = await newUser('tls', [{ role: 'auditor', program: 'LY-2024' }]);
      const signed = await api.raw.request(`${ORIGIN}/login`, {
        method: 'POST',
        headers: { ...FORM, 'x-forwarded-proto': 'https' },
        body: form({ username: 'tls', password }),
      });
      expect(signed.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    });
  });
}
