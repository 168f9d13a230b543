/**
 * The OSCAL POA&M import through the database, on each backend: NIST's example becomes a program
 * (audited, all or nothing); Oversight's export of a report, imported, gives back the same plan, and
 * exporting that again and re-importing it gives the same program file; an existing program is
 * refused unless replaced; a document that cannot be read changes nothing.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { renderOscalPoam } from '../../src/reports/oscal.ts';
import { importOscalPoam } from '../../src/services/oscal-import.service.ts';
import {
  exportProgram,
  importProgramText,
  renderProgramFile,
} from '../../src/services/program-file.service.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT, demoJulyReport } from '../support/builders.ts';
import { NIST_POAM, planOf, reportOn } from '../support/oscal.ts';

const GENERATED_AT = '2024-07-01T01:30:00.000Z';

/** Row counts of every table, to show that a refused import changed nothing. */
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

async function refusal(run: Promise<unknown>): Promise<AppError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(backends())('the OSCAL POA&M import on $name', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await backend.create();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("imports NIST's example as a program, in one audited import, and reports what it made", async () => {
    const { result, report } = await importOscalPoam(t.ctx, NIST_POAM);
    expect(result).toMatchObject({ code: 'POAM-8101e04d', replaced: false });
    expect(result.counts).toMatchObject({
      organizations: 1,
      directives: 1,
      directiveItems: 2,
      measures: 2,
      milestones: 2,
    });
    expect(report.counts.measures).toBe(2);

    const stored = await exportProgram(t.ctx, 'POAM-8101e04d');
    expect(stored.program).toMatchObject({ timeZone: 'UTC', regulatedOrganization: 'OWNER' });
    expect(
      stored.measures.map((m) => [
        m.code,
        m.status,
        m.answers,
        m.milestones.map((ms) => [ms.code, ms.planned]),
      ]),
    ).toEqual([
      ['M-1', 'in_progress', ['I-1'], [['MS-1-1', '2024-01-01']]],
      ['M-2', 'in_progress', ['I-2'], [['MS-2-1', '2024-06-23']]],
    ]);
    expect(stored.measures[0]!.title).toBe(
      'Update Django Framework Configuration to Disable Default Admin Panel',
    );

    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'payload'])
      .where('entity_code', '=', 'POAM-8101e04d')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['program.imported']);
    const payload = (
      typeof events[0]!.payload === 'string' ? JSON.parse(events[0]!.payload) : events[0]!.payload
    ) as { sha256: string; origin: string };
    expect(payload.sha256).toBe(createHash('sha256').update(NIST_POAM).digest('hex'));
    expect(payload.origin).toBe('oscal-poam');
  });

  it('refuses a program code that exists unless told to replace it, changing nothing', async () => {
    const before = await tableCounts(t);
    const error = await refusal(importOscalPoam(t.ctx, NIST_POAM));
    expect([error.code, error.key]).toEqual(['conflict', 'errors.program_exists']);
    expect(await tableCounts(t)).toEqual(before);

    const again = await importOscalPoam(t.ctx, NIST_POAM, { replace: true });
    expect(again.result.replaced).toBe(true);
    const named = await importOscalPoam(t.ctx, NIST_POAM, {
      program: 'IFA-POAM',
      timeZone: 'America/New_York',
    });
    expect(named.result.code).toBe('IFA-POAM');
    expect((await exportProgram(t.ctx, 'IFA-POAM')).program.timeZone).toBe('America/New_York');
  });

  it('gives back the plan of the report it exported, and the same program after a second round', async () => {
    // The report of 1 July 2024 on the demo, as OSCAL, imported into a database without the demo.
    const model = demoJulyReport();
    const first = renderOscalPoam(model, { lang: 'en', generatedAt: GENERATED_AT });
    const once = await importOscalPoam(t.ctx, first);
    expect(once.result.code).toBe('LY-2024');
    const stored = await exportProgram(t.ctx, 'LY-2024');
    // The same measures (codes, titles, category, kind, status), milestones (codes, titles,
    // baseline, planned and actual dates) and directive items answered.
    expect(planOf(reportOn(stored))).toEqual(planOf(model));
    expect(stored.measures).toHaveLength(model.measures.length);

    // Report on what was imported, export it as OSCAL, import that over it: the same program.
    const second = renderOscalPoam(reportOn(stored), { lang: 'en', generatedAt: GENERATED_AT });
    const twice = await importOscalPoam(t.ctx, second, { replace: true });
    expect(twice.result).toMatchObject({ replaced: true, counts: once.result.counts });
    const restored = await exportProgram(t.ctx, 'LY-2024');
    expect(renderProgramFile(restored, 'yaml')).toBe(renderProgramFile(stored, 'yaml'));
  });

  it('refuses to replace a program holding more than a POA&M carries, naming what would go', async () => {
    // The demo itself under its own code: its OSCAL export names it, and --replace would land on it.
    await importProgramText(t.ctx, DEMO_TEXT, { replace: true });
    const before = await tableCounts(t);
    const exported = renderOscalPoam(demoJulyReport(), { lang: 'en', generatedAt: GENERATED_AT });
    const error = await refusal(importOscalPoam(t.ctx, exported, { replace: true }));
    expect([error.code, error.key]).toEqual(['conflict', 'errors.oscal_replace_loses']);
    expect(String(error.params.lost)).toMatch(/^verifications: \d+, systems: \d+, access: \d+/);
    expect(await tableCounts(t)).toEqual(before);
    // Under a code of its own it imports, and the demo stays as it was.
    const beside = await importOscalPoam(t.ctx, exported, { program: 'LY-2024-OSCAL' });
    expect(beside.result.code).toBe('LY-2024-OSCAL');
    expect((await exportProgram(t.ctx, 'LY-2024')).systems.length).toBeGreaterThan(0);
  });

  it('changes nothing when a document is not JSON, not a POA&M, or breaks the schema', async () => {
    const before = await tableCounts(t);
    const notJson = await refusal(importOscalPoam(t.ctx, '{"plan-of-action-and-milestones": '));
    expect([notJson.code, notJson.key]).toEqual(['validation', 'errors.oscal_not_json']);
    const notPoam = await refusal(importOscalPoam(t.ctx, '{"system-security-plan": {}}'));
    expect(notPoam.key).toBe('errors.oscal_not_poam');
    const broken = JSON.parse(NIST_POAM);
    broken['plan-of-action-and-milestones']['poam-items'] = [];
    const invalid = await refusal(importOscalPoam(t.ctx, JSON.stringify(broken)));
    expect(invalid.key).toBe('errors.oscal_invalid');
    expect(invalid.issues.map((i) => [i.path, i.key])).toEqual([
      ['/plan-of-action-and-milestones/poam-items', 'oscal.schema.empty'],
    ]);
    expect(await tableCounts(t)).toEqual(before);
  });
});
