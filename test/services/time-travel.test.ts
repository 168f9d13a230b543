/**
 * Time travel: the demo's history is replayed into the audit log day by day, so the log can be
 * read back to any instant of the case. The demo as of 1 April 2024 is what was known at the end
 * of 31 March 2024, and it differs from today's exactly in the records the events in between
 * changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../src/db/audit-log.ts';
import { programAsOf } from '../../src/domain/as-of.ts';
import { type EventState, unitsOf } from '../../src/domain/audit-state.ts';
import { parseInstant, zonedInstant } from '../../src/domain/dates.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { inStoredOrder } from '../../src/domain/program-file/stored-order.ts';
import { lintProgram } from '../../src/services/analysis.service.ts';
import { verifyAuditLog } from '../../src/services/audit-log.service.ts';
import { importDemo } from '../../src/services/demo.service.ts';
import { ephemeralSigner } from '../../src/services/log-key.ts';
import { exportProgram } from '../../src/services/program-file.service.ts';
import { replanMilestone } from '../../src/services/replan.service.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT } from '../support/builders.ts';

const parsed = parseProgramText(DEMO_TEXT);
if (!parsed.ok) throw new Error('the demo does not parse');
const demo = inStoredOrder(parsed.file);
const APRIL = parseInstant('2024-04-01T00:00+09:00')!;

/** The units (`measures/M-1`, `program`…) in which two programs differ. */
function differing(a: ProgramFile, b: ProgramFile): string[] {
  const x = unitsOf(a);
  const y = unitsOf(b);
  return [...new Set([...x.keys(), ...y.keys()])].filter((k) => x.get(k) !== y.get(k)).sort();
}

for (const backend of backends()) {
  describe(`time travel through the audit log (${backend.name})`, () => {
    let t: TestDatabase;

    beforeAll(async () => {
      t = await backend.create();
      await importDemo(t.ctx, DEMO_TEXT);
    });
    afterAll(async () => t?.close());

    const events = () =>
      t.db
        .selectFrom('audit_events')
        .select(['seq', 'occurred_at', 'action', 'payload', 'state'])
        .orderBy('seq')
        .execute();

    it("replays the demo's history into an empty log, one event per day that changed something, at 18:00 Tokyo time", async () => {
      const all = await events();
      const list = all.filter((e) => e.action.startsWith('program.'));
      expect(list[0]!.action).toBe('program.imported');
      expect(list.slice(1).every((e) => e.action === 'program.replaced')).toBe(true);
      // The reports the case sent were submitted on their days, in between.
      const submitted = all.filter((e) => e.action === 'report.submitted');
      expect(submitted.map((e) => new Date(e.occurred_at).toISOString())).toEqual([
        '2024-04-01T09:00:00.000Z',
        '2024-07-01T09:00:00.000Z',
      ]);
      const days = list.map((e) => (e.payload as { history: { asOf: string } }).history.asOf);
      expect(days[0]).toBe('2023-11-27');
      expect(days).toContain('2024-04-16');
      expect(days).toContain('2024-07-01');
      expect([...days].sort()).toEqual(days);
      for (const [i, e] of list.entries())
        expect(new Date(e.occurred_at).toISOString()).toBe(
          zonedInstant(days[i]!, 18, 'Asia/Tokyo').toISOString(),
        );
      // Each says when it was really written.
      const recorded = (list[0]!.payload as { history: { recordedAt: string } }).history.recordedAt;
      expect(Date.now() - Date.parse(recorded)).toBeLessThan(10 * 60_000);
      expect(differing(await exportProgram(t.ctx, 'LY-2024'), demo)).toEqual([]);
      const signer = ephemeralSigner();
      const v = await verifyAuditLog(t.db, { name: signer.name, publicKey: signer.publicKey });
      expect(v.problems).toEqual([]);
    });

    it('rebuilds the demo as of 1 April 2024 00:00 in Tokyo: what was known at the end of 31 March', async () => {
      const april = await exportProgram(t.ctx, 'LY-2024', APRIL);
      expect(differing(april, programAsOf(demo, '2024-03-31'))).toEqual([]);
      expect(april.directives.map((d) => d.code)).toEqual(['MIC-2024-03-05', 'PPC-2024-03-28']);
      const naver = april.relationships.find((r) => r.code === 'R-NAVER-INFRA');
      expect(naver?.decisions ?? []).toEqual([]);
      await expect(exportProgram(t.ctx, 'LY-2024', new Date('2023-01-01T00:00:00Z'))).rejects.toMatchObject({
        code: 'not_found',
        key: 'errors.program_not_yet',
      });
    });

    it('differs between 1 April 2024 and now by exactly the records the events in between changed', async () => {
      const ms = await t.db
        .selectFrom('milestones')
        .select('version')
        .where('code', '=', 'MS-NETSEP')
        .executeTakeFirstOrThrow();
      const beforeChange = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await replanMilestone(t.ctx, 'LY-2024', 'MS-NETSEP', {
        version: ms.version,
        to: '2026-12-31',
        reason: 'Vendor slipped',
        on: '2026-11-20',
      });
      const april = await exportProgram(t.ctx, 'LY-2024', APRIL);
      const now = await exportProgram(t.ctx, 'LY-2024');
      // The units each event after the instant changed: a unit event names its unit; an import
      // holds the whole program, compared with the whole program before it.
      const touched = new Set<string>();
      let before: ProgramFile | undefined;
      for (const e of await events()) {
        const state = e.state as EventState | null;
        if (!state) continue;
        const after = state.unit === 'file' ? state.value : undefined;
        if (new Date(e.occurred_at) > APRIL) {
          if (state.unit !== 'file')
            touched.add(state.code === null ? state.unit : `${state.unit}/${state.code}`);
          else if (before) for (const u of differing(before, after!)) touched.add(u);
        }
        if (after) before = after;
      }
      expect(touched.size).toBeGreaterThan(10);
      expect(touched).toContain('measures/M-NETSEP');
      expect(differing(april, now)).toEqual([...touched].sort());
      // Just before the re-plan, the log held the demo as replayed; after it, the re-plan.
      const justBefore = await exportProgram(t.ctx, 'LY-2024', beforeChange);
      expect(differing(justBefore, demo)).toEqual([]);
      expect(differing(justBefore, now)).toEqual(['measures/M-NETSEP']);
    });

    it('judges lint, as of an instant, on what the log held then', async () => {
      const then = await lintProgram(t.ctx, 'LY-2024', { at: APRIL });
      expect(then.asOf).toBe('2024-04-01');
      const known = await lintProgram(t.ctx, 'LY-2024', { asOf: '2024-04-01' });
      // The day judged from today's data knows the directive of 16 April is not yet issued, too;
      // the two agree on what is about the first directive.
      expect(then.findings.length).toBeGreaterThan(0);
      expect(then.findings.some((f) => f.code === 'MIC-2024-04-16')).toBe(false);
      expect(known.asOf).toBe('2024-04-01');
    });

    it('refuses to write an event dated before the last one, and writes nothing', async () => {
      const size = (await events()).length;
      await expect(
        t.db
          .transaction()
          .execute((trx) =>
            appendEvents(trx, 'system:test', [{ action: 'test.backdated', entityType: 'test' }], APRIL),
          ),
      ).rejects.toThrow(/earlier than the last event/);
      expect((await events()).length).toBe(size);
    });
  });
}
