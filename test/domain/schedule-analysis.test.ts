import { describe, expect, it } from 'vitest';
import { programAsOf } from '../../src/domain/as-of.ts';
import { controlledGroup, influenceOver } from '../../src/domain/control.ts';
import { analyzeSchedule } from '../../src/domain/schedule-analysis.ts';
import { traceability } from '../../src/domain/traceability.ts';
import { cleanProgram } from '../support/builders.ts';

/** A chain A → B → C across two measures, with C promised before B can be reached. */
const chained = cleanProgram((d) => {
  d.measures[0].milestones = [
    { code: 'A', title: 'A', committedOn: '2024-02-01', planned: '2024-05-15' },
    { code: 'B', title: 'B', committedOn: '2024-02-01', planned: '2024-08-31', dependsOn: ['A'] },
  ];
  d.measures.push({
    code: 'M2',
    title: 'Second',
    category: 'contractor_management',
    kind: 'permanent',
    status: 'in_progress',
    answers: ['I1a'],
    milestones: [
      { code: 'C', title: 'C', committedOn: '2024-02-01', planned: '2024-08-15', dependsOn: ['B'] },
    ],
  });
  d.access[0].untilMilestone = 'C';
});

describe('schedule analysis', () => {
  const s = analyzeSchedule(chained, '2024-06-01');
  const ms = (code: string) => s.milestones.find((m) => m.code === code)!;

  it('pushes a late milestone to today and its dependants after it', () => {
    expect(ms('A')).toMatchObject({ late: true, forecast: '2024-06-01' });
    expect(ms('B')).toMatchObject({ late: false, forecast: '2024-08-31', drivenBy: null });
    expect(ms('C')).toMatchObject({ forecast: '2024-08-31', drivenBy: 'B' });
  });

  it('computes float against every commitment downstream', () => {
    expect(ms('C').floatDays).toBe(-16);
    expect(ms('B')).toMatchObject({ latest: '2024-08-15', floatDays: -16 });
    expect(ms('A')).toMatchObject({ latest: '2024-05-15', floatDays: -17 });
  });

  it('derives measure statuses and holds them against the declared ones', () => {
    const m = (code: string) => s.measures.find((x) => x.code === code)!;
    expect(m('M1')).toMatchObject({
      derived: 'late',
      lateMilestones: ['A'],
      committed: '2024-08-31',
      forecast: '2024-08-31',
    });
    expect(m('M2')).toMatchObject({ derived: 'at_risk', mismatch: false });
    const done = analyzeSchedule(
      cleanProgram((d) => (d.measures[0].milestones[1].actual = '2024-05-31')),
      '2024-06-01',
    );
    expect(done.measures[0]).toMatchObject({ derived: 'done', declared: 'in_progress', mismatch: true });
    const verified = analyzeSchedule(
      cleanProgram((d) => {
        d.measures[0].milestones[1].actual = '2024-05-31';
        Object.assign(d.measures[0].verifications[0], { performedOn: '2024-05-31', result: 'effective' });
      }),
      '2024-06-01',
    );
    expect(verified.measures[0]?.derived).toBe('verified');
    expect(
      analyzeSchedule(programAsOf(cleanProgram(), '2024-02-15'), '2024-02-15').measures[0]?.derived,
    ).toBe('not_started');
  });

  it('calls a measure verified only when its latest verification found it effective, at risk when ineffective', () => {
    const file = cleanProgram((d) => {
      d.measures[0].milestones[1].actual = '2024-05-31';
      d.measures[0].verifications = [
        { code: 'V1', method: 'Test', performedOn: '2024-03-01', result: 'effective' },
        {
          code: 'V2',
          method: 'Retest',
          performedOn: '2024-05-01',
          result: 'ineffective',
          followUpMeasure: 'M1',
        },
      ];
    });
    // Its steps are done, but the latest check says it does not work.
    expect(analyzeSchedule(file, '2024-06-01').measures[0]?.derived).toBe('at_risk');
    // On 1 April the effective check of March was still the latest.
    expect(analyzeSchedule(file, '2024-04-01').measures[0]?.derived).toBe('verified');
  });

  it('names the driving path to each deadline, least float first', () => {
    expect(s.criticalPaths[0]).toMatchObject({
      target: { kind: 'measure', code: 'M2', due: '2024-08-15' },
      path: ['B', 'C'],
      floatDays: -16,
    });
    const report = analyzeSchedule(
      cleanProgram((d) => (d.directives[0].reportDue = '2024-12-31')),
      '2024-06-01',
    ).criticalPaths.find((p) => p.target.kind === 'report');
    expect(report).toMatchObject({ target: { code: 'D1', due: '2024-12-31' }, path: ['MS2'], floatDays: 0 });
  });

  it('reports slippage against the baseline and against the previous plan', () => {
    const replanned = analyzeSchedule(
      cleanProgram((d) => {
        d.measures[0].milestones[1].planned = '2025-01-31';
        d.measures[0].milestones[1].replans = [
          { on: '2024-03-01', from: '2024-12-31', to: '2024-10-31', reason: 'Forward' },
          { on: '2024-05-01', from: '2024-10-31', to: '2025-01-31', reason: 'Vendor delay' },
        ];
      }),
      '2024-06-01',
    );
    expect(replanned.milestones[1]).toMatchObject({
      baseline: '2024-12-31',
      previous: '2024-10-31',
      slipDays: 31,
      lastReplanDays: 92,
      replans: 2,
    });
  });
});

describe('the program as of a day', () => {
  it('keeps only what had been issued, adopted, committed and done by then', () => {
    const file = cleanProgram((d) => {
      d.directives.push({
        code: 'D2',
        issuer: 'AUTH',
        issuedOn: '2024-07-01',
        title: 'Later',
        items: [{ code: 'J1', text: 'x' }],
      });
      d.measures[0].answers.push('J1');
      d.measures[0].milestones[1].planned = '2024-10-31';
      d.measures[0].milestones[1].replans = [
        { on: '2024-07-15', from: '2024-12-31', to: '2024-10-31', reason: 'Forward' },
      ];
      Object.assign(d.measures[0].verifications[0], { performedOn: '2024-08-01', result: 'effective' });
      d.relationships[0].decisions.unshift({ on: '2024-02-01', decision: 'undecided' });
    });
    const june = programAsOf(file, '2024-06-01');
    expect(june.directives.map((d) => d.code)).toEqual(['D1']);
    expect(june.measures[0]?.answers).toEqual(['I1a']);
    expect(june.measures[0]?.milestones[1]).toMatchObject({ planned: '2024-12-31', replans: [] });
    expect(june.measures[0]?.verifications[0]).not.toHaveProperty('result');
    expect(programAsOf(file, '2024-05-01').measures[0]?.milestones[0]).not.toHaveProperty('actual');
    expect(june.relationships[0]?.decisions.map((d) => d.on)).toEqual(['2024-02-01', '2024-03-01']);
    expect(programAsOf(file, '2024-01-31').measures).toEqual([]);
  });
});

describe('traceability', () => {
  it('covers a parent item through all its sub-items, and counts leaves per directive', () => {
    const t = traceability(
      cleanProgram((d) => d.directives[0].items[0].items.push({ code: 'I1b', label: '•', text: 'Do it' })),
    );
    expect(t.rows.map((r) => [r.item, r.covered, r.measures])).toEqual([
      ['I1', false, []],
      ['I1a', true, ['M1']],
      ['I1b', false, []],
    ]);
    expect(t.directives).toEqual([{ directive: 'D1', leaves: 2, covered: 1, coverage: 0.5 }]);
    expect(t.unanswered.map((r) => r.item)).toEqual(['I1b']);
  });
});

describe('control chain', () => {
  const holdings = [
    { owner: 'NAVER', owned: 'AHD', share: 50 },
    { owner: 'SOFTBANK', owned: 'AHD', share: 50 },
    { owner: 'AHD', owned: 'LY', share: 64.5 },
    { owner: 'LY', owned: 'SUB', share: 100 },
    { owner: 'LY', owned: 'JV', share: 50 },
  ];
  it('multiplies stakes along the chain and sees joint control', () => {
    const naver = influenceOver(holdings, 'LY').find((i) => i.holder === 'NAVER');
    expect(naver).toMatchObject({ controls: true, path: ['NAVER', 'AHD', 'LY'] });
    expect(naver?.effective).toBeCloseTo(0.3225);
  });
  it('adds up stakes held through several paths', () => {
    const both = influenceOver(
      [
        { owner: 'X', owned: 'T', share: 10 },
        { owner: 'X', owned: 'H', share: 100 },
        { owner: 'H', owned: 'T', share: 20, voting: 30 },
      ],
      'T',
    ).find((i) => i.holder === 'X');
    expect(both?.effective).toBeCloseTo(0.4);
    expect(both?.controls).toBe(false);
  });
  it('puts only majority-held companies in the group', () => {
    expect([...controlledGroup(holdings, 'LY')].sort()).toEqual(['LY', 'SUB']);
  });
  it('survives cross-holdings', () => {
    const cyclic = influenceOver(
      [
        { owner: 'A', owned: 'B', share: 60 },
        { owner: 'B', owned: 'A', share: 10 },
        { owner: 'A', owned: 'T', share: 60 },
      ],
      'T',
    );
    expect(cyclic.map((i) => i.holder)).toEqual(['A', 'B']);
  });
});
