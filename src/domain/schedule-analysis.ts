/**
 * Schedule analysis of a program as of a day (give it the as-of view): for every milestone its
 * slippage against the baseline and the previous plan, its forecast given its dependencies, the
 * latest date it may reach without missing a commitment downstream, and its float; for every
 * measure a derived status held against the declared one; and the driving (critical) path to each
 * deadline — a measure's committed date, a directive's report due date.
 */

import { type CalendarDate, daysBetween } from './dates.ts';
import type { ProgramFile } from './program-file/schema.ts';
import { baselineOf } from './schedule.ts';
import { latestPerformed } from './verification-gate.ts';

export type DerivedStatus =
  | 'not_started'
  | 'on_track'
  | 'at_risk'
  | 'late'
  | 'done'
  | 'verified'
  | 'cancelled';

export interface MilestoneSchedule {
  code: string;
  measure: string;
  title: string;
  baseline: CalendarDate | null;
  planned: CalendarDate | null;
  /** The planned date before the last re-plan. */
  previous: CalendarDate | null;
  actual: CalendarDate | null;
  /** planned − baseline, in days; negative when brought forward. */
  slipDays: number | null;
  /** planned − previous, in days: what the last re-plan did. */
  lastReplanDays: number | null;
  replans: number;
  /** Past its planned date with no actual date. */
  late: boolean;
  /** The earliest it can be reached: its actual date, or its plan pushed by today and by its dependencies. */
  forecast: CalendarDate | null;
  /** The latest it may be reached without missing its own or a later milestone's planned date. */
  latest: CalendarDate | null;
  floatDays: number | null;
  /** The dependency whose forecast pushes this one past its plan, if any. */
  drivenBy: string | null;
  dependsOn: string[];
}

export interface MeasureSchedule {
  code: string;
  title: string;
  declared: string;
  derived: DerivedStatus;
  /** The last planned date of its milestones: what the measure is committed to. */
  committed: CalendarDate | null;
  forecast: CalendarDate | null;
  lateMilestones: string[];
  /** The declared status says something the milestones do not. */
  mismatch: boolean;
}

export interface CriticalPath {
  target: { kind: 'measure' | 'report'; code: string; due: CalendarDate };
  /** Milestone codes from the first driving milestone to the one that meets the deadline. */
  path: string[];
  forecast: CalendarDate | null;
  floatDays: number | null;
}

export interface ScheduleAnalysis {
  asOf: CalendarDate;
  milestones: MilestoneSchedule[];
  measures: MeasureSchedule[];
  criticalPaths: CriticalPath[];
}

const maxDate = (a: CalendarDate | null, b: CalendarDate | null) =>
  a === null ? b : b === null ? a : a > b ? a : b;
const minDate = (a: CalendarDate | null, b: CalendarDate | null) =>
  a === null ? b : b === null ? a : a < b ? a : b;

export function analyzeSchedule(file: ProgramFile, asOf: CalendarDate): ScheduleAnalysis {
  const rows: MilestoneSchedule[] = [];
  const byCode = new Map<string, MilestoneSchedule>();
  for (const m of file.measures) {
    for (const ms of m.milestones) {
      const last = ms.replans.at(-1);
      const baseline = baselineOf(ms);
      const actual = ms.actual ?? null;
      const row: MilestoneSchedule = {
        code: ms.code,
        measure: m.code,
        title: ms.title,
        baseline,
        planned: ms.planned,
        previous: last ? last.from : null,
        actual,
        slipDays: baseline !== null && ms.planned !== null ? daysBetween(baseline, ms.planned) : null,
        lastReplanDays: last?.from && last.to ? daysBetween(last.from, last.to) : null,
        replans: ms.replans.length,
        late: actual === null && ms.planned !== null && ms.planned < asOf,
        forecast: null,
        latest: null,
        floatDays: null,
        drivenBy: null,
        dependsOn: ms.dependsOn,
      };
      rows.push(row);
      byCode.set(ms.code, row);
    }
  }

  const order = topologicalOrder(rows, byCode);
  // Forward pass: a milestone is reached no earlier than its plan, today (if it is late), and its dependencies.
  for (const row of order) {
    if (row.actual !== null) {
      row.forecast = row.actual;
      continue;
    }
    let forecast = row.late ? asOf : row.planned;
    for (const dep of row.dependsOn) {
      const d = byCode.get(dep);
      if (!d || d.forecast === null) continue;
      if (forecast === null || d.forecast > forecast) {
        forecast = d.forecast;
        if (row.planned === null || d.forecast > row.planned) row.drivenBy = d.code;
      }
    }
    row.forecast = forecast;
  }
  // Backward pass: the latest date is bounded by its own plan and by every successor's latest date.
  const successors = new Map<string, MilestoneSchedule[]>();
  for (const row of rows)
    for (const dep of row.dependsOn) {
      const list = successors.get(dep);
      if (list) list.push(row);
      else successors.set(dep, [row]);
    }
  for (let i = order.length - 1; i >= 0; i--) {
    const row = order[i]!;
    let latest = row.actual === null ? row.planned : row.actual;
    for (const s of successors.get(row.code) ?? []) if (s.actual === null) latest = minDate(latest, s.latest);
    row.latest = latest;
    row.floatDays =
      row.latest !== null && row.forecast !== null ? daysBetween(row.forecast, row.latest) : null;
  }

  const measures = file.measures.map((m): MeasureSchedule => {
    const own = m.milestones.map((ms) => byCode.get(ms.code)!);
    // The latest verification performed by then: effective makes done steps verified; ineffective
    // means the steps, done or not, did not work — at risk, not done.
    const latest = latestPerformed(m.verifications, asOf)?.result;
    const derived = deriveStatus(m.status, own, latest, asOf);
    let committed: CalendarDate | null = null;
    let forecast: CalendarDate | null = null;
    for (const r of own) {
      committed = maxDate(committed, r.actual ?? r.planned);
      forecast = maxDate(forecast, r.forecast);
    }
    return {
      code: m.code,
      title: m.title,
      declared: m.status,
      derived,
      committed,
      forecast,
      lateMilestones: own.filter((r) => r.late).map((r) => r.code),
      mismatch: isMismatch(m.status, derived, own),
    };
  });

  return { asOf, milestones: rows, measures, criticalPaths: criticalPaths(file, measures, byCode, asOf) };
}

function deriveStatus(
  declared: string,
  own: MilestoneSchedule[],
  latestResult: string | undefined,
  asOf: CalendarDate,
): DerivedStatus {
  if (declared === 'cancelled') return 'cancelled';
  if (own.length === 0) return 'not_started';
  if (own.every((r) => r.actual !== null))
    return latestResult === 'effective' ? 'verified' : latestResult === 'ineffective' ? 'at_risk' : 'done';
  if (own.some((r) => r.late)) return 'late';
  if (own.some((r) => r.actual === null && (r.planned === null || (r.floatDays !== null && r.floatDays < 0))))
    return 'at_risk';
  if (own.every((r) => r.actual === null && r.planned !== null && r.planned > asOf)) return 'not_started';
  return 'on_track';
}

function isMismatch(declared: string, derived: DerivedStatus, own: MilestoneSchedule[]): boolean {
  const done = derived === 'done' || derived === 'verified';
  if (declared === 'completed' || declared === 'closed') return own.length > 0 && !done;
  if (declared === 'planned') return own.some((r) => r.actual !== null);
  if (declared === 'in_progress') return done;
  return false;
}

/** Kahn's order over the dependencies; members of a cycle (not possible after validation) come last. */
function topologicalOrder(
  rows: MilestoneSchedule[],
  byCode: Map<string, MilestoneSchedule>,
): MilestoneSchedule[] {
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const row of rows) {
    const deps = row.dependsOn.filter((d) => byCode.has(d));
    indegree.set(row.code, deps.length);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(row.code);
      else dependents.set(d, [row.code]);
    }
  }
  const queue = rows.filter((r) => indegree.get(r.code) === 0).map((r) => r.code);
  const out: MilestoneSchedule[] = [];
  for (let i = 0; i < queue.length; i++) {
    const code = queue[i]!;
    out.push(byCode.get(code)!);
    for (const next of dependents.get(code) ?? []) {
      const n = indegree.get(next)! - 1;
      indegree.set(next, n);
      if (n === 0) queue.push(next);
    }
  }
  if (out.length < rows.length) {
    const placed = new Set(out.map((r) => r.code));
    out.push(...rows.filter((r) => !placed.has(r.code)));
  }
  return out;
}

/** The longest driving path shown: beyond it the start of the chain is cut (its length is kept). */
export const MAX_PATH = 25;

/** The chain of driving dependencies that ends at `end`, first step first; at most MAX_PATH steps. */
function drivingPath(end: MilestoneSchedule, byCode: Map<string, MilestoneSchedule>): string[] {
  const reversed = [end.code];
  const seen = new Set(reversed);
  let at = end;
  while (at.drivenBy !== null && !seen.has(at.drivenBy) && reversed.length < MAX_PATH) {
    const next = byCode.get(at.drivenBy);
    if (!next) break;
    reversed.push(next.code);
    seen.add(next.code);
    at = next;
  }
  return reversed.reverse();
}

function criticalPaths(
  file: ProgramFile,
  measures: MeasureSchedule[],
  byCode: Map<string, MilestoneSchedule>,
  asOf: CalendarDate,
): CriticalPath[] {
  const out: CriticalPath[] = [];
  const summaries = new Map(measures.map((x) => [x.code, x]));
  // Each open measure: the path to its last planned milestone.
  for (const m of file.measures) {
    const open = m.milestones.map((ms) => byCode.get(ms.code)!).filter((r) => r.actual === null);
    if (open.length === 0) continue;
    const summary = summaries.get(m.code);
    const end = open.reduce((a, b) => ((b.planned ?? '') > (a.planned ?? '') ? b : a));
    if (end.planned === null || summary?.derived === 'cancelled') continue;
    out.push({
      target: { kind: 'measure', code: m.code, due: end.planned },
      path: drivingPath(end, byCode),
      forecast: end.forecast,
      floatDays: end.forecast === null ? null : daysBetween(end.forecast, end.planned),
    });
  }
  // Each report still to come: the open milestone, promised by then, that is closest to missing it.
  const answering = new Map<string, string[]>();
  for (const m of file.measures)
    for (const item of m.answers) {
      const list = answering.get(item);
      if (list) list.push(m.code);
      else answering.set(item, [m.code]);
    }
  for (const d of file.directives) {
    if (d.reportDue === undefined || d.reportDue < asOf) continue;
    const codes = new Set<string>();
    const walk = (items: typeof d.items) =>
      items.forEach((i) => {
        for (const code of answering.get(i.code) ?? []) codes.add(code);
        walk(i.items);
      });
    walk(d.items);
    let worst: MilestoneSchedule | undefined;
    for (const m of file.measures) {
      if (!codes.has(m.code)) continue;
      for (const ms of m.milestones) {
        const r = byCode.get(ms.code)!;
        if (r.actual !== null || r.planned === null || r.planned > d.reportDue || r.forecast === null)
          continue;
        if (worst === undefined || r.forecast > worst.forecast!) worst = r;
      }
    }
    if (worst)
      out.push({
        target: { kind: 'report', code: d.code, due: d.reportDue },
        path: drivingPath(worst, byCode),
        forecast: worst.forecast,
        floatDays: daysBetween(worst.forecast!, d.reportDue),
      });
  }
  return out.sort(
    (a, b) => (a.floatDays ?? 0) - (b.floatDays ?? 0) || a.target.code.localeCompare(b.target.code),
  );
}
