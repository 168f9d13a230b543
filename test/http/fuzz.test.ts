/**
 * Property-based: malformed bodies, headers and ids thrown at the API and the pages. Whatever
 * arrives, the answer is a clear 4xx (never a 500, never a stack trace) and nothing is written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

const P = '/api/v1/programs/LY-2024';
const WRITES: Array<[string, string]> = [
  ['POST', `${P}/measures`],
  ['PATCH', `${P}/measures/M-NETSEP`],
  ['POST', `${P}/milestones/MS-NETSEP/replan`],
  ['POST', `${P}/relationships/R-NAVER-CLOUD-INFRA/decisions`],
  ['POST', `${P}/relationships/R-NAVER-CLOUD-INFRA/attestations`],
  ['PATCH', `${P}/access/AX-NC-LINE-NET`],
  ['POST', `${P}/incidents/INC-2023-NAVER-CLOUD/secondary-damage`],
  ['POST', `${P}/ownerships`],
  ['PATCH', P],
  ['POST', '/api/v1/programs'],
];
const RUNS = 60;

for (const backend of backends()) {
  describe(`malformed input, property-based (${backend.name})`, () => {
    const api = useDemoApi(backend);
    const events = async () =>
      Number(
        (
          await api.t.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** Never a 500; a refusal names no source file. (A body that happens to change nothing may pass.) */
    const clear = async (res: Response, what: string) => {
      expect(res.status, what).toBeLessThan(500);
      expect(await res.text(), what).not.toMatch(/\bat \S+\.tsx?:\d+|node_modules/);
    };

    it('answers any JSON value or text as a body with a 4xx and writes nothing', async () => {
      const before = await events();
      const passed: string[] = [];
      const body = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.object({ maxDepth: 3 }).map((o) => JSON.stringify({ version: 1, ...o })),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...WRITES), body, async ([method, path], text) => {
          const res = await api.app.request(path, {
            method,
            headers: { 'content-type': 'application/json', ...api.as('admin') },
            body: text,
          });
          await clear(res, `${method} ${path} ${text.slice(0, 80)}`);
          if (res.status < 400) passed.push(`${method} ${path} ${text.slice(0, 200)} → ${res.status}`);
        }),
        { numRuns: RUNS },
      );
      expect(await events(), passed.join('\n')).toBe(before);
    });

    it('answers any header values with a 4xx or the page, never a 500', async () => {
      const header = fc.string({ maxLength: 120 }).filter((s) => /^[\x20-\x7e]*$/.test(s));
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              'content-type': header,
              authorization: header,
              cookie: header,
              'accept-language': header,
              origin: header,
            },
            { requiredKeys: ['content-type'] },
          ),
          fc.constantFrom(...WRITES),
          async (headers, [method, path]) => {
            // Without a generated Authorization, as an admin: the odd headers then reach the handlers.
            const sent = { ...(headers.authorization === undefined ? api.as('admin') : {}), ...headers };
            const res = await api.raw.request(`http://localhost${path}`, {
              method,
              headers: sent,
              body: '{}',
            });
            await clear(res, `${method} ${path} ${JSON.stringify(headers)}`);
            expect(res.status).toBeGreaterThanOrEqual(400);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('answers any id in a path with a 4xx, for the API and the pages', async () => {
      const before = await events();
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 80 }),
          fc.constantFrom(
            (id: string) => ['GET', `${P}/measures/${id}`],
            (id: string) => ['PATCH', `${P}/relationships/${id}`],
            (id: string) => ['GET', `/api/v1/programs/${id}/lint`],
            (id: string) => ['GET', `/programs/LY-2024/systems/${id}/edit`],
            (id: string) => ['POST', `/programs/LY-2024/milestones/${id}/replan`],
            (id: string) => ['GET', `/programs/${id}/measures`],
          ),
          async (raw, route) => {
            const [method, path] = route(encodeURIComponent(raw));
            const res = await api.app.request(path!, {
              method: method!,
              headers: { 'content-type': 'application/json', origin: 'http://localhost' },
              ...(method === 'GET' ? {} : { body: '{"version":1}' }),
            });
            // An id that happens to be a real code is answered as such; anything else is a clear refusal.
            if (res.status < 400) return;
            await clear(res, `${method} ${path}`);
          },
        ),
        { numRuns: RUNS },
      );
      expect(await events()).toBe(before);
    });
  });
}
