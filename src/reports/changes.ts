/**
 * What changed between two views of a program (the previous report's and this one's): measures
 * adopted, measures completed, milestones committed, done, brought forward or slipped (with the
 * days and the reasons of the re-plans in between), outsourcing decisions taken, verifications
 * performed. Derived from the two views alone, never typed in; in a stable order.
 */
import { type CalendarDate, daysBetween } from '../domain/dates.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { decisionAsOf } from '../domain/schedule.ts';
import type { Decision, VerificationResult } from '../domain/vocab.ts';

export type ReportChange =
  | { kind: 'measure_added'; measure: string }
  | { kind: 'measure_completed'; measure: string }
  | { kind: 'milestone_added'; measure: string; milestone: string; planned: CalendarDate | null }
  | { kind: 'milestone_done'; measure: string; milestone: string; actual: CalendarDate }
  | {
      kind: 'brought_forward' | 'slipped' | 'dated' | 'undated';
      measure: string;
      milestone: string;
      from: CalendarDate | null;
      to: CalendarDate | null;
      /** to − from in days (negative: brought forward); null when either is undated. */
      days: number | null;
      reasons: string[];
    }
  | {
      kind: 'decision';
      relationship: string;
      from: Decision | null;
      to: Decision;
      on: CalendarDate;
      targetDate: CalendarDate | null;
      reason: string | null;
    }
  | {
      kind: 'verified';
      measure: string;
      verification: string;
      on: CalendarDate;
      result: VerificationResult | null;
    }
  | { kind: 'directive_issued'; directive: string; on: CalendarDate };

const ORDER: Record<ReportChange['kind'], number> = {
  directive_issued: 0,
  measure_added: 1,
  measure_completed: 2,
  milestone_added: 3,
  milestone_done: 4,
  brought_forward: 5,
  dated: 6,
  slipped: 7,
  undated: 8,
  verified: 9,
  decision: 10,
};

const isDone = (m: ProgramFile['measures'][number]) =>
  m.milestones.length > 0 && m.milestones.every((ms) => ms.actual !== undefined);

/** The changes from `before` (the program as of `since`) to `after`. */
export function changesBetween(before: ProgramFile, after: ProgramFile, since: CalendarDate): ReportChange[] {
  const out: ReportChange[] = [];
  for (const d of after.directives)
    if (!before.directives.some((x) => x.code === d.code))
      out.push({ kind: 'directive_issued', directive: d.code, on: d.issuedOn });
  const old = new Map(before.measures.map((m) => [m.code, m]));
  for (const m of after.measures) {
    const was = old.get(m.code);
    if (!was) out.push({ kind: 'measure_added', measure: m.code });
    // Completion as the milestones show it (the declared status has no history).
    if (isDone(m) && !(was && isDone(was))) out.push({ kind: 'measure_completed', measure: m.code });
    const oldMs = new Map((was?.milestones ?? []).map((x) => [x.code, x]));
    for (const ms of m.milestones) {
      const prev = oldMs.get(ms.code);
      if (!prev) {
        out.push({ kind: 'milestone_added', measure: m.code, milestone: ms.code, planned: ms.planned });
      } else if (prev.planned !== ms.planned) {
        const days =
          prev.planned !== null && ms.planned !== null ? daysBetween(prev.planned, ms.planned) : null;
        const kind =
          prev.planned === null
            ? 'dated'
            : ms.planned === null
              ? 'undated'
              : (days ?? 0) < 0
                ? 'brought_forward'
                : 'slipped';
        out.push({
          kind,
          measure: m.code,
          milestone: ms.code,
          from: prev.planned,
          to: ms.planned,
          days,
          reasons: ms.replans.filter((r) => r.on > since).map((r) => r.reason),
        });
      }
      if (ms.actual !== undefined && prev?.actual === undefined)
        out.push({ kind: 'milestone_done', measure: m.code, milestone: ms.code, actual: ms.actual });
    }
    const oldV = new Map((was?.verifications ?? []).map((v) => [v.code, v]));
    for (const v of m.verifications)
      if (v.performedOn !== undefined && oldV.get(v.code)?.performedOn === undefined)
        out.push({
          kind: 'verified',
          measure: m.code,
          verification: v.code,
          on: v.performedOn,
          result: v.result ?? null,
        });
  }
  const oldRel = new Map(before.relationships.map((r) => [r.code, r]));
  for (const r of after.relationships) {
    const prev = oldRel.get(r.code);
    const was = prev ? decisionAsOf(prev.decisions, since) : undefined;
    for (const d of r.decisions.filter((x) => x.on > since)) {
      out.push({
        kind: 'decision',
        relationship: r.code,
        from: was?.decision ?? null,
        to: d.decision,
        on: d.on,
        targetDate: d.targetDate ?? null,
        reason: d.reason ?? null,
      });
    }
  }
  const key = (c: ReportChange) =>
    'milestone' in c
      ? c.milestone
      : 'measure' in c
        ? c.measure
        : 'relationship' in c
          ? c.relationship
          : c.directive;
  return out
    .map((c, i) => ({ c, i }))
    .sort((a, b) => ORDER[a.c.kind] - ORDER[b.c.kind] || key(a.c).localeCompare(key(b.c)) || a.i - b.i)
    .map((x) => x.c);
}
