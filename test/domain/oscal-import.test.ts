/**
 * The OSCAL POA&M import as a pure function: NIST's example POA&M (test/fixtures/oscal) maps to the
 * measures and milestones its poam-items, risks and tasks describe, with a report of what it could
 * not map; Oversight's own export maps back to the same plan, and again after a second round; bad
 * input fails with a clear message at a JSON pointer.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { readOscalPoam } from '../../src/domain/oscal-import/index.ts';
import type { OscalImportReport } from '../../src/domain/oscal-import/report.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { renderOscalPoam } from '../../src/reports/oscal.ts';
import { demoJulyReport } from '../support/builders.ts';
import { NIST_POAM, planOf, reportOn, roundTrip } from '../support/oscal.ts';

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely, field by field
type Doc = any;

const GENERATED_AT = '2024-07-01T01:30:00.000Z';

function read(text: string, options = {}): { file: ProgramFile; report: OscalImportReport } {
  const result = readOscalPoam(text, options);
  if (!result.ok) throw new Error(`${result.key} ${JSON.stringify(result.issues)}`);
  return result;
}

/** NIST's example, changed by `edit`. */
function nistWith(edit: (doc: Doc) => void): string {
  const doc = JSON.parse(NIST_POAM) as Doc;
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

const P = '/plan-of-action-and-milestones';

describe("NIST's example POA&M", () => {
  it("validates against NIST's OSCAL 1.0.6 POA&M schema", () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schema/oscal/oscal_poam_schema.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true });
    ajvFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(NIST_POAM)), JSON.stringify(validate.errors)).toBe(true);
  });

  const { file, report } = read(NIST_POAM);

  it('makes one measure per poam-item, with the milestone task of its risk as its milestone', () => {
    expect(report.counts).toEqual({
      poamItems: 2,
      risks: 2,
      milestoneTasks: 2,
      measures: 2,
      milestones: 2,
      items: 2,
      organizations: 1,
    });
    expect(
      file.measures.map((m) => ({
        code: m.code,
        title: m.title,
        status: m.status,
        answers: m.answers,
        milestones: m.milestones.map((ms) => [ms.code, ms.title, ms.planned, ms.actual ?? null]),
      })),
    ).toEqual([
      {
        code: 'M-1',
        title: 'Update Django Framework Configuration to Disable Default Admin Panel',
        // deviation-approved, and its milestone's date range began 29 Sep 2023, before the POA&M's day.
        status: 'in_progress',
        answers: ['I-1'],
        milestones: [
          ['MS-1-1', 'End of Year Project Management Report of Developed Remediations', '2024-01-01', null],
        ],
      },
      {
        code: 'M-2',
        title: 'SYSTEM1234 System Engineers Have Over-Privileged Access to Cloud Infrastructure Account',
        status: 'in_progress',
        answers: ['I-2'],
        milestones: [['MS-2-1', 'Completion of SYSTEM1234 Sprint Ending June 23, 2023', '2024-06-23', null]],
      },
    ]);
    // Committed on the POA&M's day (its last-modified, 12 May 2026): what it holds was known then.
    expect(file.measures.flatMap((m) => m.milestones.map((ms) => ms.committedOn))).toEqual([
      '2026-05-12',
      '2026-05-12',
    ]);
    expect(file.measures[0]!.source).toBe('OSCAL poam-item e174dfb9-0ae3-4a8f-8e7c-081527b84337');
    expect(file.measures[1]!.milestones[0]!.source).toBe('OSCAL task a0bb457d-0d14-4a74-801a-ffc9bc4cd636');
  });

  it('keeps the risk, its statement, deadline and remediation in the measure description', () => {
    const description = file.measures[0]!.description!;
    expect(description).toContain('Budget and technical staff are needed to re-design');
    expect(description).toContain(
      'Risk: IFA-GOODREAD-RISK-1: PAO Staff Have Over-Privileged Access to SYSTEM1234 System',
    );
    expect(description).toContain('Deadline: 2024-01-01T05:00:00-04:00');
    expect(description).toContain('Remediation (planned): IFA-GOODREAD-RISK1-RESPONSE');
    expect(description).toContain('- MS-1-1: The owner, ISSO, and product team');
  });

  it('takes a related-risks entry that names a mitigating factor as the risk holding it, and says so', () => {
    const m1 = report.mapped.find((e) => e.path === `${P}/poam-items/0`)!;
    expect(m1.notes).toContainEqual({
      key: 'oscal.note.riskViaFactor',
      params: { uuid: '401c15c9-ad6b-4d4a-a591-7d53a3abb3b6', risk: `${P}/risks/0` },
    });
    expect(m1.notes).toContainEqual({
      key: 'oscal.note.statusStarted',
      params: { status: 'deviation-approved', date: '2023-09-29', day: '2026-05-12' },
    });
    expect(report.mapped.find((e) => e.path === `${P}/risks/0`)).toMatchObject({
      became: 'measure',
      code: 'M-1',
    });
    expect(report.mapped.find((e) => e.path === `${P}/risks/1/remediations/0/tasks/0`)).toMatchObject({
      became: 'milestone',
      code: 'MS-2-1',
      planned: '2024-06-23',
    });
  });

  it('supplies a program, a regulated organization and a directive, and says where each came from', () => {
    expect(file.program).toMatchObject({
      code: 'POAM-8101e04d',
      name: 'IFA SYSTEM1234 Plan of Action and Milestones (POAM)',
      timeZone: 'UTC',
      regulatedOrganization: 'OWNER',
    });
    expect(file.directives.map((d) => [d.code, d.issuer, d.issuedOn, d.items.map((i) => i.code)])).toEqual([
      ['POAM', 'OWNER', '2026-05-13', ['I-1', 'I-2']],
    ]);
    expect(report.supplied.map((s) => [s.field, s.value, s.key])).toEqual([
      ['program.code', 'POAM-8101e04d', 'oscal.supplied.programFromSystemId'],
      ['program.timeZone', 'UTC', 'oscal.supplied.zoneFromOffset'],
      ['program.name', 'IFA SYSTEM1234 Plan of Action and Milestones (POAM)', 'oscal.supplied.programName'],
      [
        'organizations',
        'OWNER: Owner of system 8101e04d-8305-4e73-bb95-6b59f645b143',
        'oscal.supplied.regulated',
      ],
      [
        'directives[0]',
        'POAM: IFA SYSTEM1234 Plan of Action and Milestones (POAM)',
        'oscal.supplied.directive',
      ],
      ['measures[].category', 'safety_management', 'oscal.supplied.category'],
      ['measures[].kind', 'permanent', 'oscal.supplied.kind'],
      ['directives[0].items', 'I-1, I-2', 'oscal.supplied.items'],
    ]);
  });

  it('reports every element it did not map, with its JSON pointer and why', () => {
    expect(report.unmapped.map((u) => [u.path, u.key])).toEqual([
      [`${P}/back-matter/resources/0`, 'oscal.unmapped.resource'],
      [`${P}/back-matter/resources/1`, 'oscal.unmapped.resource'],
      [`${P}/import-ssp`, 'oscal.unmapped.importSsp'],
      [`${P}/metadata/revisions/0`, 'oscal.unmapped.revision'],
      [`${P}/metadata/revisions/1`, 'oscal.unmapped.revision'],
      [`${P}/observations/0`, 'oscal.unmapped.observation'],
      [`${P}/observations/1`, 'oscal.unmapped.observation'],
      [`${P}/poam-items/0/related-observations`, 'oscal.unmapped.relatedObservations'],
      [`${P}/poam-items/1/related-observations`, 'oscal.unmapped.relatedObservations'],
      [`${P}/risks/0/characterizations`, 'oscal.unmapped.characterizations'],
      [`${P}/risks/0/deadline`, 'oscal.unmapped.deadline'],
      [`${P}/risks/0/mitigating-factors`, 'oscal.unmapped.mitigatingFactors'],
      [`${P}/risks/0/related-observations`, 'oscal.unmapped.relatedObservations'],
      [`${P}/risks/0/remediations/0/props/0`, 'oscal.unmapped.prop'],
      [`${P}/risks/0/remediations/0/tasks/0/timing/within-date-range/start`, 'oscal.unmapped.rangeStart'],
      [`${P}/risks/1/characterizations`, 'oscal.unmapped.characterizations'],
      [`${P}/risks/1/deadline`, 'oscal.unmapped.deadline'],
      [`${P}/risks/1/related-observations`, 'oscal.unmapped.relatedObservations'],
      [`${P}/risks/1/remediations/0/props/0`, 'oscal.unmapped.prop'],
      [`${P}/risks/1/remediations/0/tasks/0/timing/within-date-range/start`, 'oscal.unmapped.rangeStart'],
    ]);
    const observation = report.unmapped.find((u) => u.path === `${P}/observations/0`)!;
    expect(observation.params).toMatchObject({ title: 'Django Framework Examination' });
    expect(
      report.unmapped.find((u) => u.path === `${P}/risks/0/remediations/0/props/0`)!.params,
    ).toMatchObject({
      name: 'type',
      value: 'accept',
    });
  });
});

describe('the mapping of a POA&M not made by Oversight', () => {
  it('maps parties by role, a closed risk to an implemented measure, and leaves what is not a plan', () => {
    const text = nistWith((doc) => {
      const poam = doc['plan-of-action-and-milestones'];
      poam.metadata.parties = [
        {
          uuid: 'e7730080-71ce-4b20-bec4-84f33136fd58',
          type: 'organization',
          name: 'IFA',
          'short-name': 'IFA',
        },
        { uuid: '3b2a5ad4-5a4a-4a4a-8a4a-4a4a4a4a4a4a', type: 'person', name: 'An Assessor' },
      ];
      poam.metadata.roles = [{ id: 'system-owner', title: 'System Owner' }];
      poam.metadata['responsible-parties'] = [
        { 'role-id': 'system-owner', 'party-uuids': ['e7730080-71ce-4b20-bec4-84f33136fd58'] },
      ];
      const risk = poam.risks[1];
      risk.status = 'closed';
      const tasks = risk.remediations[0].tasks;
      tasks[0].timing = { 'on-date': { date: '2023-06-23T17:00:00-04:00' } };
      tasks.push(
        {
          uuid: '0d3e3a59-7b0c-4d3c-9d3e-3a597b0c4d3c',
          type: 'milestone',
          title: 'Review the roles again',
          dependencies: [{ 'task-uuid': tasks[0].uuid }],
          timing: { 'at-frequency': { period: 3, unit: 'months' } },
        },
        { uuid: '1d3e3a59-7b0c-4d3c-9d3e-3a597b0c4d3c', type: 'action', title: 'Tell the ISSO' },
      );
      risk.remediations.push({
        uuid: '2d3e3a59-7b0c-4d3c-9d3e-3a597b0c4d3c',
        lifecycle: 'recommendation',
        title: 'Rebuild the account',
        description: 'An assessor recommends rebuilding the account.',
      });
      // A risk no poam-item relates to: a measure of its own.
      poam.risks.push({
        uuid: '4d3e3a59-7b0c-4d3c-9d3e-3a597b0c4d3c',
        title: 'Stale accounts',
        description: 'Accounts of staff who left.',
        statement: 'They could be misused.',
        status: 'investigating',
      });
    });
    const { file, report } = read(text, { program: 'IFA-1', timeZone: 'America/New_York' });
    expect(file.program).toMatchObject({
      code: 'IFA-1',
      timeZone: 'America/New_York',
      regulatedOrganization: 'IFA',
    });
    expect(file.organizations).toEqual([{ code: 'IFA', name: 'IFA', kind: 'regulated' }]);
    expect(report.supplied.filter((s) => s.field.startsWith('program.'))).toEqual([
      { field: 'program.code', value: 'IFA-1', key: 'oscal.supplied.programOption' },
      { field: 'program.timeZone', value: 'America/New_York', key: 'oscal.supplied.zoneOption' },
      { field: 'program.name', value: expect.any(String), key: 'oscal.supplied.programName' },
    ]);

    const m2 = file.measures.find((m) => m.code === 'M-2')!;
    // Closed, and never `closed`: that needs an effective verification with evidence.
    expect(m2.status).toBe('completed');
    expect(m2.milestones.map((ms) => [ms.code, ms.planned, ms.actual ?? null, ms.dependsOn])).toEqual([
      ['MS-2-1', '2023-06-23', '2023-06-23', []],
      ['MS-2-2', null, null, ['MS-2-1']],
    ]);
    const m3 = file.measures.find((m) => m.code === 'M-3')!;
    expect([m3.title, m3.status, m3.milestones.length, m3.answers]).toEqual([
      'Stale accounts',
      'planned',
      0,
      ['I-3'],
    ]);

    const unmapped = report.unmapped.map((u) => [u.path, u.key]);
    expect(unmapped).toContainEqual([`${P}/metadata/parties/1`, 'oscal.unmapped.party']);
    expect(unmapped).toContainEqual([`${P}/risks/1/remediations/0/tasks/1/timing`, 'oscal.unmapped.timing']);
    expect(unmapped).toContainEqual([`${P}/risks/1/remediations/0/tasks/2`, 'oscal.unmapped.task']);
    expect(unmapped).toContainEqual([`${P}/risks/1/remediations/1`, 'oscal.unmapped.remediation']);
    expect(report.mapped.find((e) => e.path === `${P}/risks/2`)).toMatchObject({
      became: 'measure',
      code: 'M-3',
      status: 'planned',
    });
  });

  it('drops a dependency that would close a cycle, and reports it', () => {
    const text = nistWith((doc) => {
      const tasks = doc['plan-of-action-and-milestones'].risks[1].remediations[0].tasks;
      tasks.push({ uuid: '5d3e3a59-7b0c-4d3c-9d3e-3a597b0c4d3c', type: 'milestone', title: 'Second' });
      tasks[0].dependencies = [{ 'task-uuid': tasks[1].uuid }];
      tasks[1].dependencies = [{ 'task-uuid': tasks[0].uuid }];
    });
    const { file, report } = read(text);
    const deps = file.measures[1]!.milestones.map((ms) => ms.dependsOn.length);
    expect(deps.reduce((a, b) => a + b, 0)).toBe(1);
    expect(report.unmapped.filter((u) => u.key === 'oscal.unmapped.dependencyCycle')).toHaveLength(1);
  });
});

describe("Oversight's own export", () => {
  const model = demoJulyReport();
  const exported = renderOscalPoam(model, { lang: 'en', generatedAt: GENERATED_AT });

  it('maps back to the same plan: measures, milestones and the directive items they answer', () => {
    const { file, report } = read(exported);
    expect(report.document.fromOversight).toBe(true);
    expect(planOf(reportOn(file))).toEqual(planOf(model));
    expect(file.program).toMatchObject({
      code: 'LY-2024',
      timeZone: 'Asia/Tokyo',
      regulatedOrganization: 'LY',
    });
    expect(file.directives.map((d) => [d.code, d.issuer, d.issuedOn, d.reportDue])).toEqual([
      ['MIC-2024-04-16', 'MIC', '2024-04-16', '2024-07-01'],
    ]);
    // Nothing had to be supplied: the export says all of it.
    expect(report.supplied).toEqual([]);
    // The lint findings are not imported, nor the directive it follows up.
    expect(report.unmapped.filter((u) => u.key === 'oscal.unmapped.observation')).toHaveLength(
      model.findings.length,
    );
    expect(report.unmapped).toContainEqual({
      path: `${P}/metadata/props/6`,
      key: 'oscal.unmapped.followsUp',
      params: { code: 'MIC-2024-03-05' },
    });
  });

  it('keeps a re-planned milestone’s baseline as one re-plan from it to the planned date', () => {
    const { file } = read(exported);
    const netsep = file.measures.flatMap((m) => m.milestones).find((ms) => ms.code === 'MS-NETSEP')!;
    expect(netsep.planned).toBe('2026-03-31');
    expect(netsep.replans.map((r) => [r.on, r.from, r.to])).toEqual([
      ['2024-07-01', '2026-06-30', '2026-03-31'],
    ]);
  });

  it('makes the same program again from the export of what it imported', () => {
    const first = read(exported).file;
    const again = renderOscalPoam(reportOn(first), { lang: 'en', generatedAt: GENERATED_AT });
    expect(read(again).file).toEqual(first);
    expect(roundTrip(model).file).toEqual(first);
  });

  it('imports a measure declared closed as implemented, and says why', () => {
    const doc = JSON.parse(exported) as Doc;
    const item = doc['plan-of-action-and-milestones']['poam-items'][0];
    item.props.find((p: Doc) => p.name === 'declared-status').value = 'closed';
    const { file, report } = read(JSON.stringify(doc));
    expect(file.measures[0]!.status).toBe('completed');
    expect(
      report.mapped.find((e) => e.code === file.measures[0]!.code && e.path.endsWith('/poam-items/0'))!.notes,
    ).toContainEqual({
      key: 'oscal.note.closedAsCompleted',
    });
  });

  it('reads the directive items from the description when an older export has no answers props', () => {
    const doc = JSON.parse(exported) as Doc;
    for (const item of doc['plan-of-action-and-milestones']['poam-items'])
      item.props = item.props.filter((p: Doc) => p.name !== 'answers');
    const { file } = read(JSON.stringify(doc));
    expect(planOf(reportOn(file))).toEqual(planOf(model));
  });
});
