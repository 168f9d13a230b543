import { describe, expect, it } from 'vitest';
import { programAsOf } from '../../src/domain/as-of.ts';
import { regulatedGroup } from '../../src/domain/control.ts';
import { exposureOn, exposureTimeline } from '../../src/domain/exposure.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { cleanProgram, DEMO_TEXT } from '../support/builders.ts';

const demo = (() => {
  const r = parseProgramText(DEMO_TEXT);
  if (!r.ok) throw new Error('the demo parses');
  return r.file;
})();
const groupOf = (file: ProgramFile) => regulatedGroup(file);

describe('exposure of the demo program', () => {
  const group = groupOf(demo);

  it('lists on 1 April 2024 the paths from the NAVER side into the shared directory and on to user data', () => {
    const april = exposureOn(programAsOf(demo, '2024-04-01'), '2024-04-01', { today: '2026-11-26', group });
    const reach = (org: string) => april.organizations.find((o) => o.organization === org)?.systems ?? [];
    const auth = reach('COMPANY-A').find((s) => s.system === 'SYS-AUTH-SHARED');
    expect(auth?.path.map((p) => p.edge)).toEqual(['AX-COMPANY-A-NC-NET', 'L-NC-NET-TO-AUTH']);
    const userData = reach('COMPANY-A').find((s) => s.system === 'SYS-LINE-MSG');
    expect(userData?.path.map((p) => p.to)).toEqual(['SYS-NET-NC-DC', 'SYS-AUTH-SHARED', 'SYS-LINE-MSG']);
    expect(userData?.dataClasses).toContain('user data');
    expect(reach('NAVER-CLOUD').map((s) => s.system)).toEqual(
      expect.arrayContaining(['SYS-AUTH-SHARED', 'SYS-NET-LINE-DC', 'SYS-SOC', 'SYS-LINE-MSG']),
    );
    expect(april.dataClasses.find((d) => d.dataClass === 'user data')?.organizations).toEqual([
      'COMPANY-A',
      'NAVER-CLOUD',
    ]);
  });

  it('has no path from the NAVER side left on the day the separations are planned to end', () => {
    // As the plan stood after the July 2024 report, looking ahead to 31 March 2026.
    const july = programAsOf(demo, '2024-07-01');
    const after = exposureOn(july, '2026-03-31', { today: '2024-07-01', group });
    const naverSide = after.organizations.filter((o) =>
      ['NAVER-CLOUD', 'COMPANY-A'].includes(o.organization),
    );
    expect(naverSide.flatMap((o) => o.systems)).toEqual([]);
    // Today, with the network separation overdue and not reported done, the route is still open.
    const now = exposureOn(demo, '2026-11-26', { today: '2026-11-26', group });
    expect(
      now.organizations.find((o) => o.organization === 'NAVER-CLOUD')?.systems.map((s) => s.system),
    ).toContain('SYS-NET-LINE-DC');
    // As now planned, it is gone.
    const planned = exposureOn(demo, '2026-11-26', { today: '2026-11-26', group, view: 'planned' });
    expect(planned.organizations.some((o) => o.organization === 'NAVER-CLOUD')).toBe(false);
  });

  it('shows the drop month by month, earlier as now planned than as baselined', () => {
    const t = exposureTimeline(demo, '2024-01-01', '2026-08-31', { today: '2024-07-01', group });
    const naver = t.series.find((s) => s.organization === 'NAVER-CLOUD')!;
    const at = (month: string) => t.months.indexOf(month);
    expect(naver.planned[at('2024-04-30')]).toBe(4);
    expect(naver.planned[at('2025-03-31')]).toBeLessThan(4);
    expect(naver.planned[at('2026-03-31')]).toBe(0);
    expect(naver.baseline[at('2026-03-31')]).toBeGreaterThan(0);
    expect(naver.baseline[at('2026-06-30')]).toBe(0);
  });
});

describe('exposure rules', () => {
  const base = (edit: Parameters<typeof cleanProgram>[0] = () => {}) =>
    cleanProgram((d) => {
      d.measures[0].milestones[1] = {
        code: 'MS2',
        title: 'Separated',
        committedOn: '2024-02-01',
        planned: '2024-12-31',
      };
      edit?.(d);
    });
  const reaches = (file: ProgramFile, day: string, today: string, view?: 'actual' | 'planned' | 'baseline') =>
    exposureOn(file, day, { today, group: groupOf(file), view }).organizations.flatMap((o) =>
      o.systems.map((s) => s.system),
    );

  it('ends an edge when its milestone is done', () => {
    const done = base((d) => (d.measures[0].milestones[1].actual = '2024-06-15'));
    expect(reaches(done, '2024-06-14', '2024-07-01')).toEqual(['SYS']);
    expect(reaches(done, '2024-06-15', '2024-07-01')).toEqual([]);
  });

  it('counts on the plan only for days to come, unless asked for the plan', () => {
    const file = base();
    expect(reaches(file, '2025-01-31', '2024-07-01')).toEqual([]);
    expect(reaches(file, '2025-01-31', '2025-03-01')).toEqual(['SYS']);
    expect(reaches(file, '2025-01-31', '2025-03-01', 'planned')).toEqual([]);
  });

  it('ends an edge at the baseline date in the baseline view', () => {
    const moved = base((d) => {
      d.measures[0].milestones[1].planned = '2025-06-30';
      d.measures[0].milestones[1].replans = [
        { on: '2024-05-01', from: '2024-12-31', to: '2025-06-30', reason: 'Delay' },
      ];
    });
    expect(reaches(moved, '2025-01-31', '2024-07-01', 'baseline')).toEqual([]);
    expect(reaches(moved, '2025-01-31', '2024-07-01', 'planned')).toEqual(['SYS']);
  });

  it('follows links through systems outside the group, but reports only systems of the group', () => {
    const chained = base((d) => {
      d.systems.push({
        code: 'VSYS',
        name: 'Vendor system',
        kind: 'network',
        owner: 'VENDOR',
        criticality: 'high',
      });
      d.organizations.push({ code: 'SUBCO', name: 'Subcontractor', kind: 'subcontractor' });
      d.access.push({ code: 'AX2', organization: 'SUBCO', system: 'VSYS', via: 'network_route' });
      d.links = [{ code: 'L1', system: 'VSYS', reaches: 'SYS', via: 'trust' }];
    });
    const e = exposureOn(chained, '2024-06-01', { today: '2024-06-01', group: groupOf(chained) });
    const subco = e.organizations.find((o) => o.organization === 'SUBCO');
    expect(subco?.systems.map((s) => [s.system, s.path.map((p) => p.edge)])).toEqual([
      ['SYS', ['AX2', 'L1']],
    ]);
  });
});
