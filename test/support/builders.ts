/**
 * Test-data builders: one place that makes valid program files of any size, so tests state only
 * what matters to them.
 */
import { readFileSync } from 'node:fs';
import { programAsOf } from '../../src/domain/as-of.ts';
import { runLint } from '../../src/domain/lint/index.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { programFileSchema } from '../../src/domain/program-file/schema.ts';
import { buildReportModel, type ReportInput, type ReportModel } from '../../src/reports/model.ts';

/** The demo program file, as shipped in examples/. */
export const DEMO_TEXT = readFileSync(new URL('../../examples/ly-2024.yaml', import.meta.url), 'utf8');

const pad = (n: number) => String(n).padStart(4, '0');
const day = (base: string, plusDays: number) => {
  const d = new Date(`${base}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString().slice(0, 10);
};

export interface LargeProgramOptions {
  code?: string;
  measures?: number;
  milestonesPerMeasure?: number;
  relationships?: number;
  systems?: number;
}

/** A program with many measures, milestones with re-plans and dependencies, systems, access and relationships. */
export function largeProgram(options: LargeProgramOptions = {}): ProgramFile {
  const {
    code = 'BIG',
    measures = 200,
    milestonesPerMeasure = 4,
    relationships = 40,
    systems = 30,
  } = options;
  const orgs = [
    { code: 'REG', name: 'Regulated Co.', kind: 'regulated' },
    { code: 'PARENT', name: 'Parent Co.', kind: 'parent' },
    { code: 'AUTH', name: 'The Ministry', kind: 'regulator' },
    ...Array.from({ length: 20 }, (_, i) => ({
      code: `VENDOR-${pad(i)}`,
      name: `Vendor ${i}`,
      kind: 'provider',
    })),
  ];
  const items = Array.from({ length: 10 }, (_, i) => ({
    code: `D1-${i + 1}`,
    label: `(${i + 1})`,
    text: `Demand ${i + 1}`,
    items: [{ code: `D1-${i + 1}a`, label: '•', text: `Detail of demand ${i + 1}` }],
  }));
  const raw = {
    oversight: 1,
    program: { code, name: `Large program ${code}`, timeZone: 'Asia/Tokyo', regulatedOrganization: 'REG' },
    organizations: orgs,
    ownerships: [{ owner: 'PARENT', owned: 'REG', share: 60.25, voting: 61.5, asOf: '2024-04-01' }],
    incidents: [
      {
        code: 'INC-1',
        title: 'The incident',
        accessFrom: '2023-09-14',
        accessUntil: '2023-10-27',
        records: [{ category: 'users', count: 123456, status: 'confirmed' }],
        secondaryDamage: [
          { reportedOn: '2023-12-01', kind: 'phishing', count: 3, description: 'Phishing mails' },
        ],
      },
    ],
    directives: [
      {
        code: 'D1',
        issuer: 'AUTH',
        issuedOn: '2024-03-05',
        title: 'First guidance',
        reportDue: '2024-04-01',
        items,
      },
      {
        code: 'D2',
        issuer: 'AUTH',
        issuedOn: '2024-04-16',
        title: 'Follow-up',
        followsUp: 'D1',
        reportDue: '2024-07-01',
      },
    ],
    systems: Array.from({ length: systems }, (_, i) => ({
      code: `SYS-${pad(i)}`,
      name: `System ${i}`,
      kind: i % 3 === 0 ? 'network' : 'application',
      owner: 'REG',
      criticality: i % 4 === 0 ? 'critical' : 'high',
      dataClasses: ['user data'],
    })),
    measures: Array.from({ length: measures }, (_, i) => {
      const m = `M-${pad(i)}`;
      return {
        code: m,
        title: `Measure ${i}`,
        category: ['safety_management', 'contractor_management', 'governance', 'user_communication'][i % 4],
        kind: i % 5 === 0 ? 'emergency' : 'permanent',
        owner: `Team ${i % 7}`,
        organization: 'REG',
        status: i % 3 === 0 ? 'completed' : 'in_progress',
        answers: [`D1-${(i % 10) + 1}`, `D1-${(i % 10) + 1}a`],
        milestones: Array.from({ length: milestonesPerMeasure }, (_, j) => {
          const first = day('2024-05-01', i + 30 * j);
          const moved = day(first, j % 2 === 0 ? -14 : 21);
          return {
            code: `${m}.${j + 1}`,
            title: `Step ${j + 1} of measure ${i}`,
            committedOn: '2024-04-01',
            planned: j === 0 ? first : moved,
            ...(i % 3 === 0 ? { actual: day(first, 2) } : {}),
            dependsOn: j > 0 ? [`${m}.${j}`] : i > 0 ? [`M-${pad(i - 1)}.1`] : [],
            replans:
              j === 0
                ? []
                : [{ on: '2024-07-01', from: first, to: moved, reason: `Re-planned step ${j + 1}` }],
          };
        }),
        verifications:
          i % 2 === 0
            ? [
                {
                  code: `V-${pad(i)}`,
                  method: 'Review',
                  plannedOn: '2024-09-30',
                  performedOn: '2024-10-02',
                  result: 'effective',
                  recurrence: 'quarterly',
                },
              ]
            : [],
      };
    }),
    access: Array.from({ length: systems }, (_, i) => ({
      code: `AX-${pad(i)}`,
      organization: `VENDOR-${pad(i % 20)}`,
      system: `SYS-${pad(i)}`,
      via: 'network_route',
      from: '2020-01-01',
      untilMilestone: `M-${pad(i % measures)}.1`,
    })),
    relationships: Array.from({ length: relationships }, (_, i) => ({
      code: `R-${pad(i)}`,
      title: `Outsourcing ${i}`,
      customer: 'REG',
      provider: `VENDOR-${pad(i % 20)}`,
      scope: 'service_development',
      systems: [`SYS-${pad(i % systems)}`],
      measures: [`M-${pad(i % measures)}`],
      decisions: [
        { on: '2024-04-01', decision: 'undecided' },
        {
          on: '2024-07-01',
          decision: i % 3 === 0 ? 'maintain' : 'terminate',
          ...(i % 3 === 0 ? {} : { targetDate: '2025-12-31' }),
          reason: 'Plan',
        },
      ],
    })),
  };
  return programFileSchema.parse(raw);
}

/** The smallest valid program: one regulated organization. */
export function minimalProgram(code = 'MINI'): ProgramFile {
  return programFileSchema.parse({
    oversight: 1,
    program: { code, name: `Program ${code}`, regulatedOrganization: 'ORG' },
    organizations: [
      { code: 'ORG', name: 'Org', kind: 'regulated' },
      { code: 'REG', name: 'Regulator', kind: 'regulator' },
    ],
    measures: [
      {
        code: 'M-1',
        title: 'A measure',
        category: 'safety_management',
        kind: 'permanent',
        milestones: [{ code: 'MS-1', title: 'Step', committedOn: '2024-04-01', planned: '2024-06-30' }],
      },
    ],
  });
}

/**
 * A small program that passes every lint rule as of 2024-06-01: the base for rule tests, which
 * change one thing and watch one rule fire. `edit` receives the raw document.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests edit the raw document freely before it is parsed
export function cleanProgram(edit: (doc: any) => void = () => {}): ProgramFile {
  const doc = {
    oversight: 1,
    program: { code: 'CLEAN', name: 'Clean program', regulatedOrganization: 'REG' },
    organizations: [
      { code: 'REG', name: 'Regulated Co.', kind: 'regulated' },
      { code: 'SUB', name: 'Subsidiary', kind: 'subsidiary' },
      { code: 'AUTH', name: 'The Ministry', kind: 'regulator' },
      { code: 'VENDOR', name: 'Vendor', kind: 'provider', attestedLevel: 4 },
    ],
    ownerships: [{ owner: 'REG', owned: 'SUB', share: 100 }],
    directives: [
      {
        code: 'D1',
        issuer: 'AUTH',
        issuedOn: '2024-01-10',
        reportDue: '2024-12-31',
        title: 'Guidance',
        items: [
          {
            code: 'I1',
            label: '(1)',
            text: 'Separate the network',
            items: [{ code: 'I1a', label: '•', text: 'Plan it' }],
          },
        ],
      },
    ],
    systems: [{ code: 'SYS', name: 'Core network', kind: 'network', owner: 'REG', criticality: 'critical' }],
    measures: [
      {
        code: 'M1',
        title: 'Separate the network',
        category: 'safety_management',
        kind: 'permanent',
        status: 'in_progress',
        answers: ['I1a'],
        concerns: ['VENDOR'],
        milestones: [
          {
            code: 'MS1',
            title: 'Firewall',
            committedOn: '2024-02-01',
            planned: '2024-05-31',
            actual: '2024-05-30',
          },
          {
            code: 'MS2',
            title: 'Separated',
            committedOn: '2024-02-01',
            planned: '2024-12-31',
            dependsOn: ['MS1'],
          },
        ],
        verifications: [{ code: 'V1', method: 'Penetration test', plannedOn: '2025-01-31' }],
      },
    ],
    access: [
      { code: 'AX1', organization: 'VENDOR', system: 'SYS', via: 'network_route', untilMilestone: 'MS2' },
    ],
    relationships: [
      {
        code: 'R1',
        title: 'Operations by the vendor',
        customer: 'REG',
        provider: 'VENDOR',
        scope: 'network_operation',
        systems: ['SYS'],
        measures: ['M1'],
        decisions: [
          { on: '2024-03-01', decision: 'terminate', targetDate: '2024-12-31', reason: 'Plan agreed' },
        ],
      },
    ],
  };
  edit(doc);
  return programFileSchema.parse(doc);
}

/**
 * The demo's 1 July 2024 report model (MIC's guidance of 16 April), compared with the plan of
 * 1 April 2024, with the lint as of its day — what every renderer's test renders.
 */
export function demoJulyReport(evidence: ReportInput['evidence'] = []): ReportModel {
  const parsed = parseProgramText(DEMO_TEXT);
  if (!parsed.ok) throw new Error('the demo does not parse');
  const demo = parsed.file;
  return buildReportModel({
    file: demo,
    directive: 'MIC-2024-04-16',
    asOf: '2024-07-01',
    findings: runLint(demo, '2024-07-01', '2024-07-01').findings,
    previous: {
      basis: { kind: 'due', asOf: '2024-04-01', directive: 'MIC-2024-03-05' },
      view: programAsOf(demo, '2024-04-01'),
    },
    ...(evidence && evidence.length > 0 ? { evidence } : {}),
  });
}

/**
 * A program whose dates sit around `today`: for reminders. Team A's measure M-1 has a milestone
 * due in 3 days, one 5 days overdue and one a month out, and an ineffective verification; Team B's
 * M-2 has one due in 2 days; the directive's report is due in 5 days.
 */
export function reminderProgram(today: string, code = 'REM'): ProgramFile {
  const at = (days: number) => day(today, days);
  return programFileSchema.parse({
    oversight: 1,
    program: { code, name: `Program ${code}`, timeZone: 'Asia/Tokyo', regulatedOrganization: 'ORG' },
    organizations: [
      { code: 'ORG', name: 'Org', kind: 'regulated' },
      { code: 'AUTH', name: 'Regulator', kind: 'regulator' },
    ],
    directives: [
      {
        code: 'D1',
        issuer: 'AUTH',
        issuedOn: at(-60),
        reportDue: at(5),
        title: 'Guidance',
        items: [{ code: 'I1', label: '(1)', text: 'Strengthen safety management' }],
      },
    ],
    measures: [
      {
        code: 'M-1',
        title: 'Separate the networks',
        category: 'safety_management',
        kind: 'permanent',
        status: 'in_progress',
        owner: 'Team A',
        answers: ['I1'],
        milestones: [
          { code: 'MS-1', title: 'Design approved', committedOn: at(-50), planned: at(3) },
          { code: 'MS-2', title: 'Firewall rules', committedOn: at(-50), planned: at(-5) },
          { code: 'MS-3', title: 'Cut over', committedOn: at(-50), planned: at(30) },
        ],
        verifications: [
          { code: 'V-1', method: 'Penetration test', performedOn: at(-1), result: 'ineffective' },
        ],
      },
      {
        code: 'M-2',
        title: 'Contractor review',
        category: 'contractor_management',
        kind: 'permanent',
        status: 'in_progress',
        owner: 'Team B',
        answers: ['I1'],
        milestones: [{ code: 'MS-4', title: 'Reviews done', committedOn: at(-50), planned: at(2) }],
      },
    ],
  });
}
