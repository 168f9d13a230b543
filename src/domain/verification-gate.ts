/**
 * The verification gate: a measure is closed only on proof that it works. Its latest performed
 * verification must have found it effective and have evidence attached; an ineffective result
 * reopens a measure that was completed or closed; and a recurring verification falls due again.
 *
 * Pure: the services feed it rows from the database, the program-file check feeds it the file, so
 * the API, the web form and the import refuse the same things with the same message.
 */
import { addMonths, type CalendarDate, daysBetween } from './dates.ts';

export interface GateVerification {
  code: string;
  performedOn?: string | null | undefined;
  result?: string | null | undefined;
  recurrence?: string | undefined;
  followUpMeasure?: string | null | undefined;
  /** How many files of evidence are attached to it. */
  attached: number;
}

export interface GateIssue {
  path: Array<string | number>;
  key: string;
  params: Record<string, unknown>;
}

/** Months between two checks of a recurring verification. */
export const RECURRENCE_MONTHS: Record<string, number> = {
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
};

/**
 * The latest verification performed (by `asOf`, when given) with a result: the latest
 * `performedOn`; on the same day, the one listed last. The same rule decides the derived
 * `verified` status (schedule-analysis.ts).
 */
export function latestPerformed<V extends Pick<GateVerification, 'performedOn' | 'result'>>(
  verifications: readonly V[],
  asOf?: CalendarDate,
): V | undefined {
  let latest: V | undefined;
  for (const v of verifications) {
    if (!v.result || !v.performedOn || (asOf !== undefined && v.performedOn > asOf)) continue;
    if (latest === undefined || v.performedOn >= latest.performedOn!) latest = v;
  }
  return latest;
}

/** Why a measure may not be `closed`, or undefined when it may. Its path is the status field. */
export function closingIssue(
  status: unknown,
  verifications: readonly GateVerification[],
  measure: string,
): GateIssue | undefined {
  if (status !== 'closed') return undefined;
  const latest = latestPerformed(verifications);
  const path = ['status'];
  if (!latest) return { path, key: 'validation.close_needs_verification', params: { measure } };
  if (latest.result !== 'effective')
    return {
      path,
      key: 'validation.close_needs_effective',
      params: { measure, verification: latest.code, result: latest.result, performedOn: latest.performedOn },
    };
  if (latest.attached === 0)
    return {
      path,
      key: 'validation.close_needs_evidence',
      params: { measure, verification: latest.code, performedOn: latest.performedOn },
    };
  return undefined;
}

/**
 * The status a measure takes after its verifications change: an ineffective latest result reopens a
 * completed or closed measure (in progress again); a closed measure whose proof no longer holds
 * (partly effective, say) goes back to completed. Undefined when the status stands.
 */
export function settledStatus(
  status: string,
  verifications: readonly GateVerification[],
): 'in_progress' | 'completed' | undefined {
  const latest = latestPerformed(verifications);
  if ((status === 'completed' || status === 'closed') && latest?.result === 'ineffective')
    return 'in_progress';
  if (status === 'closed' && closingIssue(status, verifications, '') !== undefined) return 'completed';
  return undefined;
}

export interface ReverificationDue {
  verification: string;
  performedOn: CalendarDate;
  recurrence: string;
  due: CalendarDate;
  /** Days from `asOf` to the due date: negative once it has passed. */
  days: number;
}

/**
 * When a measure must be verified again: its latest performed verification, if it recurs, is due
 * again one period after it was performed. A cancelled measure is never due.
 */
export function reverificationDue(
  measure: { status: string; verifications: readonly Omit<GateVerification, 'attached'>[] },
  asOf: CalendarDate,
): ReverificationDue | undefined {
  if (measure.status === 'cancelled') return undefined;
  const latest = latestPerformed(measure.verifications, asOf);
  const months = latest?.recurrence ? RECURRENCE_MONTHS[latest.recurrence] : undefined;
  if (!latest || months === undefined) return undefined;
  const due = addMonths(latest.performedOn!, months);
  return {
    verification: latest.code,
    performedOn: latest.performedOn!,
    recurrence: latest.recurrence!,
    due,
    days: daysBetween(asOf, due),
  };
}
