/**
 * The report model of the demo: the 1 July 2024 report answers MIC's guidance of 16 April item by
 * item, in its order, and lists exactly what changed since the plan reported on 1 April 2024.
 */
import { describe, expect, it } from 'vitest';
import { programAsOf } from '../../src/domain/as-of.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import { changesBetween } from '../../src/reports/changes.ts';
import { exposureSvg } from '../../src/reports/exposure-svg.ts';
import { reportText } from '../../src/reports/text.ts';
import { DEMO_TEXT, demoJulyReport } from '../support/builders.ts';

const parsed = parseProgramText(DEMO_TEXT);
if (!parsed.ok) throw new Error('the demo does not parse');
const demo = parsed.file;

function july() {
  return demoJulyReport();
}

describe('the report model', () => {
  it("answers the directive item by item, in the directive's own order, bullets under their item", () => {
    const m = july();
    expect(m.items.map((i) => `${'  '.repeat(i.depth)}${i.code}`)).toEqual([
      'G2-1',
      '  G2-1a',
      '  G2-1b',
      '  G2-1c',
      'G2-2',
      '  G2-2a',
      '  G2-2b',
      '  G2-2c',
      'G2-3',
      '  G2-3a',
    ]);
    expect(m.items.find((i) => i.code === 'G2-1a')!.measures).toContain('M-NETSEP');
    expect(m.items[0]!.textJa).toContain('安全管理措置');
    const netsep = m.measures.find((x) => x.code === 'M-NETSEP')!;
    const ms = netsep.milestones.find((x) => x.code === 'MS-NETSEP')!;
    expect(ms.replansSince.map((r) => r.on)).toEqual(['2024-07-01']);
    expect(ms.replansSince[0]!.reason).toContain('March 2026');
    expect(m.relationships.find((r) => r.code === 'R-NAVER-CLOUD-INFRA')).toMatchObject({
      decision: 'terminate',
      decidedOn: '2024-07-01',
    });
    expect(m.findings.every((f) => f.severity !== 'info')).toBe(true);
  });

  it('counts, month by month, the critical systems outside organizations reach: done up to its day, planned, baselined', () => {
    const { months, actual, planned, baseline } = july().exposure;
    expect(months.length).toBeGreaterThan(24);
    expect(actual).toHaveLength(months.filter((d) => d <= '2024-07-01').length);
    // The plan ends the reach of the NAVER side; it ends earlier than first planned.
    expect(planned[0]).toBeGreaterThan(0);
    expect(planned.at(-1)).toBe(0);
    const firstZero = (v: number[]) => v.indexOf(0);
    expect(firstZero(planned)).toBeLessThan(firstZero(baseline) === -1 ? months.length : firstZero(baseline));
    const svg = exposureSvg(july(), reportText(july(), 'en'))!;
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).not.toMatch(/class=|<script|style=/);
  });

  it('lists exactly what changed between the plan of 1 April and 1 July 2024', () => {
    const april = programAsOf(demo, '2024-04-01');
    const julyView = programAsOf(demo, '2024-07-01');
    const changes = july().changes;
    // Every re-plan made in between is there, with its reason; every decision; every measure adopted.
    const replans = demo.measures.flatMap((m) =>
      m.milestones.filter((ms) => ms.replans.some((r) => r.on > '2024-04-01' && r.on <= '2024-07-01')),
    );
    for (const ms of replans)
      expect(changes.some((c) => 'milestone' in c && c.milestone === ms.code && 'reasons' in c)).toBe(true);
    const decisions = demo.relationships.flatMap((r) =>
      r.decisions.filter((d) => d.on > '2024-04-01' && d.on <= '2024-07-01').map(() => r.code),
    );
    expect(
      changes.filter((c) => c.kind === 'decision').map((c) => (c as { relationship: string }).relationship),
    ).toEqual([...decisions].sort());
    const added = julyView.measures
      .filter((m) => !april.measures.some((x) => x.code === m.code))
      .map((m) => m.code);
    expect(
      changes.filter((c) => c.kind === 'measure_added').map((c) => (c as { measure: string }).measure),
    ).toEqual([...added].sort());
    expect(changes).toContainEqual({
      kind: 'directive_issued',
      directive: 'MIC-2024-04-16',
      on: '2024-04-16',
    });
    // And nothing else: between a view and itself, nothing.
    expect(changesBetween(julyView, julyView, '2024-07-01')).toEqual([]);
    const netsep = changes.find((c) => 'milestone' in c && c.milestone === 'MS-NETSEP');
    expect(netsep).toMatchObject({
      kind: 'brought_forward',
      from: '2026-06-30',
      to: '2026-03-31',
      days: -91,
    });
  });
});
