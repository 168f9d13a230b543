/**
 * No N+1: the dashboard and a measure page take the same number of queries for the demo (19
 * measures) as for a generated program of 300 measures and 1,500 milestones, read afresh or from
 * the shared snapshot; and the count stays small. Queries are counted by a Kysely plugin on the
 * app's own database handle.
 */
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { generateProgram } from '../../src/domain/generate.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { importProgram, importProgramText } from '../../src/services/program-file.service.ts';
import { createTestUsers, DEMO_TEXT } from '../support/api.ts';
import { backends } from '../support/backends.ts';

describe.each(backends())('queries per page on $name', (backend) => {
  it('the dashboard and a measure page take as many queries for 300 measures as for 19, and few', async () => {
    const t = await backend.create();
    try {
      await importProgramText(t.ctx, DEMO_TEXT);
      await importProgram(t.ctx, generateProgram({ scale: 1, seed: 1 }));
      const { admin } = await createTestUsers(t);
      const headers = { authorization: `Bearer ${admin}` };
      // A token records its use at most once a minute: once here, so that no counted request does.
      await createApp({ database: t, logger: createLogger('error') }).request('/api/v1/programs', {
        headers,
      });

      /** Queries made by each of two requests for `path`: the first reads the program, the second shares it. */
      const queriesFor = async (path: string): Promise<[number, number]> => {
        let n = 0;
        const counter: KyselyPlugin = {
          transformQuery: (args) => {
            n++;
            return args.node;
          },
          transformResult: async (args) => args.result,
        };
        // A handle of its own: nothing cached by an earlier request counts for this one.
        const app = createApp({
          database: { ...t, db: t.db.withPlugin(counter) },
          logger: createLogger('error'),
        });
        const counts: number[] = [];
        for (let i = 0; i < 2; i++) {
          n = 0;
          const res = await app.request(path, { headers });
          expect(res.status, path).toBe(200);
          await res.arrayBuffer();
          counts.push(n);
        }
        return [counts[0]!, counts[1]!];
      };

      const pages = [
        ['/programs/LY-2024', '/programs/GEN-1-1'],
        ['/programs/LY-2024/measures/M-NETSEP', '/programs/GEN-1-1/measures/M-00001'],
        ['/api/v1/programs/LY-2024/dashboard', '/api/v1/programs/GEN-1-1/dashboard'],
      ] as const;
      for (const [small, large] of pages) {
        const [smallFirst, smallThen] = await queriesFor(small);
        const [largeFirst, largeThen] = await queriesFor(large);
        expect({ page: large, first: largeFirst, shared: largeThen }).toEqual({
          page: large,
          first: smallFirst,
          shared: smallThen,
        });
        // The whole program is read in one repeatable-read transaction of one query per table.
        expect(smallFirst, small).toBeLessThanOrEqual(32);
        // Once read: who is asking, whether the audit log has grown, and (a measure) its evidence and history.
        expect(smallThen, small).toBeLessThanOrEqual(8);
        expect(smallThen, small).toBeLessThan(smallFirst);
      }
    } finally {
      await t.close();
    }
  });
});
