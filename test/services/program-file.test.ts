import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import {
  exportProgram,
  importProgram,
  importProgramText,
  renderProgramFile,
} from '../../src/services/program-file.service.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT, largeProgram, minimalProgram } from '../support/builders.ts';

/** Row counts of every table, to show that a failed import changed nothing. */
async function tableCounts(t: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(t.db);
  const counts: Record<string, number> = {};
  for (const { table_name } of rows)
    counts[table_name] = Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table_name)}`.execute(t.db)).rows[0]!.n,
    );
  return counts;
}

/** Lists that are sets (answers, dependsOn, systems, measures) compare in any order. */
function sortSets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortSets) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] =
      ['answers', 'dependsOn', 'systems', 'measures'].includes(k) &&
      Array.isArray(v) &&
      v.every((x) => typeof x === 'string')
        ? [...v].sort()
        : sortSets(v);
  return out as T;
}

describe.each(backends())('program files on $name', (backend) => {
  let first: TestDatabase;
  let second: TestDatabase;
  beforeAll(async () => {
    [first, second] = await Promise.all([backend.create(), backend.create()]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it('exports the demo so that a re-import exports byte-identical', async () => {
    await importProgramText(first.ctx, DEMO_TEXT);
    const once = renderProgramFile(await exportProgram(first.ctx, 'LY-2024'), 'yaml');
    await importProgramText(second.ctx, once);
    const twice = renderProgramFile(await exportProgram(second.ctx, 'LY-2024'), 'yaml');
    expect(twice).toBe(once);
  });

  it('exports the same program that was imported', async () => {
    const exported = parseProgramText(renderProgramFile(await exportProgram(first.ctx, 'LY-2024'), 'json'));
    const original = parseProgramText(DEMO_TEXT);
    if (!exported.ok || !original.ok) throw new Error('both parse');
    const byCode = <T extends { code: string }>(list: T[]) =>
      [...list].sort((a, b) => a.code.localeCompare(b.code)).map(sortSets);
    for (const key of [
      'organizations',
      'directives',
      'measures',
      'systems',
      'access',
      'relationships',
      'incidents',
    ] as const)
      expect(byCode(exported.file[key] as { code: string }[]), key).toEqual(
        byCode(original.file[key] as { code: string }[]),
      );
    expect(exported.file.ownerships).toEqual(original.file.ownerships);
    expect(exported.file.program).toEqual(original.file.program);
  });

  it('round-trips a large program from the test-data builder', async () => {
    const big = largeProgram({ code: 'BIG', measures: 120 });
    await importProgram(first.ctx, big);
    const once = renderProgramFile(await exportProgram(first.ctx, 'BIG'), 'json');
    await importProgramText(second.ctx, once);
    expect(renderProgramFile(await exportProgram(second.ctx, 'BIG'), 'json')).toBe(once);
    const parsed = parseProgramText(once);
    expect(parsed.ok && parsed.file.measures.flatMap((m) => m.milestones)).toHaveLength(480);
  });

  it('imports nothing from a broken file and reports every mistake', async () => {
    const before = await tableCounts(first);
    const broken = DEMO_TEXT.replace(
      'planned: 2025-03-31\n        actual: 2025-03-31',
      'planned: 2025-02-30\n        actual: 2025-03-31',
    )
      .replace(
        'customer: LY\n    provider: NAVER-CLOUD\n    scope: soc',
        'customer: LY\n    provider: NAVER-CLOWD\n    scope: soc',
      )
      .replace('code: PPC-2024-03-28', 'code: MIC-2024-04-16');
    await expect(
      importProgramText(first.ctx, broken.replace('code: LY-2024', 'code: LY-BROKEN')),
    ).rejects.toMatchObject({
      code: 'validation',
      issues: expect.arrayContaining([
        expect.objectContaining({ key: 'validation.not_a_date' }),
        expect.objectContaining({ key: 'validation.unknown_code', path: 'relationships[1].provider' }),
        expect.objectContaining({ key: 'validation.duplicate_code' }),
      ]),
    });
    expect(await tableCounts(first)).toEqual(before);
  });

  it('refuses to import over an existing program unless asked to replace it, all or nothing', async () => {
    const before = await tableCounts(first);
    await expect(importProgramText(first.ctx, DEMO_TEXT)).rejects.toMatchObject({ code: 'conflict' });
    expect(await tableCounts(first)).toEqual(before);
    const result = await importProgramText(first.ctx, DEMO_TEXT, { replace: true });
    expect(result.replaced).toBe(true);
    const after = await tableCounts(first);
    expect(after.audit_events).toBe(before.audit_events! + 1);
    expect({ ...after, audit_events: 0 }).toEqual({ ...before, audit_events: 0 });
  });

  it('writes the audit event of an import in the same transaction', async () => {
    const rows = await first.db
      .selectFrom('audit_events')
      .select(['action', 'entity_code', 'actor', 'payload'])
      .where('entity_code', '=', 'LY-2024')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['program.imported', 'program.replaced']);
    expect(rows[0]!.actor).toBe('test:runner');
    expect((rows[0]!.payload as { counts: { measures: number } }).counts.measures).toBe(19);
  });

  it('keeps calendar dates as written, whatever the time zone', async () => {
    const file = minimalProgram('TZ');
    await importProgram(first.ctx, file);
    const row = await first.db
      .selectFrom('milestones')
      .select('planned_date')
      .where('code', '=', 'MS-1')
      .executeTakeFirstOrThrow();
    expect(row.planned_date).toBe('2024-06-30');
  });
});
