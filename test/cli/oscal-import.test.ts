/**
 * `bin/oversight import --format oscal`, the real binary on each backend (an embedded data directory;
 * a PostgreSQL database of its own when TEST_DATABASE_URL is set): the mapping report in words or
 * JSON, exit 0 on import, 1 when the document cannot be imported (nothing written), 2 on a usage
 * error.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/backends.ts';
import { NIST_POAM } from '../support/oscal.ts';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin/oversight');
const nist = join(root, 'test/fixtures/oscal/ifa_plan-of-action-and-milestones.json');
const work = mkdtempSync(join(tmpdir(), 'oversight-oscal-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function oversight(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: work,
      env: { ...process.env, DATABASE_URL: '', LANG: 'C', OVERSIGHT_LANG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const P = '/plan-of-action-and-milestones';

describe.each(backends().map((b) => b.name))(
  'bin/oversight import --format oscal on %s',
  { timeout: 180_000 },
  (name) => {
    let database: TestDatabase | undefined;
    let at: string[];
    const programs = async () =>
      (JSON.parse((await oversight([...at, 'programs', '--json'])).stdout) as Array<{ code: string }>).map(
        (p) => p.code,
      );

    beforeAll(async () => {
      if (name === 'postgres') {
        database = await backends()
          .find((b) => b.name === 'postgres')!
          .create();
        at = ['--database-url', database.url!];
      } else at = ['--data-dir', join(work, 'data')];
    });
    afterAll(async () => {
      await database?.close();
    });

    it('with --check prints the mapping report and changes nothing', async () => {
      const run = await oversight([...at, 'import', '--format', 'oscal', '--check', nist]);
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe(`${nist}: OK — it would make program POAM-8101e04d; nothing was changed.`);
      expect(lines).toContain(
        `  ${P}/poam-items/0 → measure M-1 (in progress): Update Django Framework Configuration to Disable Default Admin Panel`,
      );
      expect(lines).toContain(
        `  ${P}/risks/1/remediations/0/tasks/0 → milestone MS-2-1, planned 2024-06-23: Completion of SYSTEM1234 Sprint Ending June 23, 2023`,
      );
      expect(lines).toContain('Not mapped (20):');
      expect(lines).toContain(
        `  ${P}/observations/0 — observation “Django Framework Examination”: Oversight does not import findings; its lint makes its own`,
      );
      expect(lines).toContain(
        `  program.code = POAM-8101e04d — made from the system-id 8101e04d-8305-4e73-bb95-6b59f645b143`,
      );
      expect(await programs()).toEqual([]);
    });

    it("imports NIST's example, exits 0 and prints the report as JSON with --json", async () => {
      const run = await oversight([...at, 'import', '--format', 'oscal', '--json', nist]);
      expect(run.code, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout);
      expect(out).toMatchObject({ imported: true, replaced: false, program: 'POAM-8101e04d' });
      expect(out.counts).toMatchObject({ measures: 2, milestones: 2 });
      expect(out.report.counts).toMatchObject({ poamItems: 2, risks: 2, milestoneTasks: 2 });
      const start = out.report.unmapped.find(
        (u: { path: string }) =>
          u.path === `${P}/risks/0/remediations/0/tasks/0/timing/within-date-range/start`,
      );
      expect(start).toMatchObject({ key: 'oscal.unmapped.rangeStart' });
      expect(start.message).toContain('2023-09-29T09:00:00-04:00');
      expect(await programs()).toEqual(['POAM-8101e04d']);
      // On PostgreSQL, the program is in the test's own database, not in some default place.
      if (database) {
        const rows = await database.db.selectFrom('programs').select('code').execute();
        expect(rows.map((r) => r.code)).toEqual(['POAM-8101e04d']);
      }
    });

    it('refuses a program that exists (exit 1) unless --replace, and names it with --program', async () => {
      const again = await oversight([...at, 'import', '--format', 'oscal', nist]);
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toBe('Program POAM-8101e04d already exists. Use --replace to replace it.');
      const replaced = await oversight([...at, 'import', '--format', 'oscal', '--replace', nist]);
      expect(replaced.code, replaced.stderr).toBe(0);
      expect(replaced.stdout.split('\n')[0]).toMatch(
        /^Replaced POAM-8101e04d in .+: 1 organizations, 1 directives, 2 directive items, 2 measures, 2 milestones\.$/,
      );
      const named = await oversight([
        ...at,
        '--lang',
        'ja',
        'import',
        '--format',
        'oscal',
        '--program',
        'IFA',
        nist,
      ]);
      expect(named.code, named.stderr).toBe(0);
      expect(named.stdout).toContain('対応づけなかったもの（20 件）:');
      expect(named.stdout).toContain('program.code = IFA — --program で指定');
      expect(await programs()).toEqual(['IFA', 'POAM-8101e04d']);
    });

    it('says what is wrong with a document, where, exits 1 and writes nothing', async () => {
      const before = await programs();
      const notJson = join(work, 'not.json');
      writeFileSync(notJson, '{\n  "plan-of-action-and-milestones": {\n    "uuid": \n');
      const a = await oversight([...at, 'import', '--format', 'oscal', notJson]);
      expect(a.code).toBe(1);
      expect(a.stderr.trim()).toBe(
        `${notJson} is not JSON: ValueExpected at line 4, column 1. Nothing was imported.`,
      );

      const program = join(root, 'examples/ly-2024.yaml');
      const b = await oversight([...at, 'import', '--format', 'oscal', program]);
      expect(b.code).toBe(1);
      expect(b.stderr).toContain('is not JSON');

      const ssp = join(work, 'ssp.json');
      writeFileSync(ssp, '{"system-security-plan": {}}');
      const c = await oversight([...at, 'import', '--format', 'oscal', ssp]);
      expect(c.code).toBe(1);
      expect(c.stderr.trim()).toBe(
        `${ssp} is not an OSCAL POA&M: its top level holds system-security-plan, not "plan-of-action-and-milestones". Nothing was imported.`,
      );

      const invalid = join(work, 'invalid.json');
      const doc = JSON.parse(NIST_POAM);
      delete doc['plan-of-action-and-milestones']['poam-items'][1].description;
      doc['plan-of-action-and-milestones'].risks[0].deadline = 'next year';
      writeFileSync(invalid, JSON.stringify(doc, null, 2));
      const d = await oversight([...at, 'import', '--format', 'oscal', invalid]);
      expect(d.code).toBe(1);
      expect(d.stderr.trim().split('\n')).toEqual([
        `${invalid} does not follow NIST's OSCAL 1.0.6 POA&M schema: 2 problem(s), the first 2 below, each at its JSON pointer. Nothing was imported.`,
        `  ${P}/risks/0/deadline: is not a date-time with its offset (e.g. 2024-07-01T00:00:00+09:00)`,
        `  ${P}/poam-items/1/description: is required but missing`,
      ]);
      expect(await programs()).toEqual(before);
    });

    it('exits 2 on a usage error, and --help lists the format', async () => {
      expect((await oversight([...at, 'import', '--format', 'xml', nist])).code).toBe(2);
      const misplaced = await oversight([...at, 'import', '--program', 'X', nist]);
      expect(misplaced.code).toBe(2);
      expect(misplaced.stderr.trim()).toBe('--program, --time-zone and --json go with --format oscal.');
      expect(
        (await oversight([...at, 'import', '--format', 'oscal', '--program', 'not a code', nist])).code,
      ).toBe(2);
      expect(
        (await oversight([...at, 'import', '--format', 'oscal', '--time-zone', 'Mars/Base', nist])).code,
      ).toBe(2);
      const help = await oversight(['import', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('--format <format>');
      expect(help.stdout).toContain('"oscal"');
    });
  },
);
