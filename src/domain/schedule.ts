/**
 * Schedule math on milestones: the baseline (the first committed date), what the plan said on a
 * given day, and slippage. All derived from the re-plan history, never typed in.
 */
import { type CalendarDate, daysBetween } from './dates.ts';

export interface Replan {
  on: CalendarDate;
  from: CalendarDate | null;
  to: CalendarDate | null;
}

export interface MilestoneHistory {
  committedOn: CalendarDate;
  planned: CalendarDate | null;
  replans: readonly Replan[];
}

/** The first date the milestone was committed to: the first dated point of its history. */
export function baselineOf(m: MilestoneHistory): CalendarDate | null {
  for (const r of m.replans) {
    if (r.from !== null) return r.from;
    if (r.to !== null) return r.to;
  }
  return m.planned;
}

/**
 * The planned date as the plan stood at the end of `asOf`; `undefined` when the milestone had not
 * been committed yet on that day, `null` when it was committed but not dated.
 */
export function plannedAsOf(m: MilestoneHistory, asOf: CalendarDate): CalendarDate | null | undefined {
  if (m.committedOn > asOf) return undefined;
  let current: CalendarDate | null = m.replans.length > 0 ? m.replans[0]!.from : m.planned;
  for (const r of m.replans) {
    if (r.on > asOf) break;
    current = r.to;
  }
  return current;
}

/** Days the current plan lies after the baseline (negative: brought forward). */
export function slippageDays(m: MilestoneHistory): number | null {
  const baseline = baselineOf(m);
  if (baseline === null || m.planned === null) return null;
  return daysBetween(baseline, m.planned);
}

export interface DecisionHistory<D extends string> {
  on: CalendarDate;
  decision: D;
  targetDate?: CalendarDate | null | undefined;
}

/** The decision in force at the end of `asOf`, or undefined if none had been made. */
export function decisionAsOf<D extends string, H extends DecisionHistory<D>>(
  history: readonly H[],
  asOf: CalendarDate,
): H | undefined {
  let current: H | undefined;
  for (const h of history) {
    if (h.on > asOf) break;
    current = h;
  }
  return current;
}
