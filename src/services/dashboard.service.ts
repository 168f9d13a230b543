/**
 * What a program office reads first each morning, as figures: measures by derived status, the lint
 * counts, the late milestones and those due soon, the reports due, and the outsourcing decisions by
 * the quarter they take effect. The dashboard page and `GET /programs/:p/dashboard` show this one
 * summary.
 */
import { addDays, type CalendarDate, daysBetween } from '../domain/dates.ts';
import { quarterOf } from '../domain/register.ts';
import type { DerivedStatus } from '../domain/schedule-analysis.ts';
import type { Reader } from './context.ts';
import { type ProgramView, programView } from './view.service.ts';

/** How far ahead "due soon" looks, in days. */
export const UPCOMING_DAYS = 45;

/** How many late and upcoming milestones the summary lists (their counts are whole); the registers list all. */
export const LISTED = 50;

export const DERIVED_ORDER = [
  'late',
  'at_risk',
  'on_track',
  'not_started',
  'done',
  'verified',
  'cancelled',
] as const satisfies readonly DerivedStatus[];

export const DECISIONS = ['terminate', 'reduce', 'maintain', 'undecided'] as const;

export interface DueMilestone {
  code: string;
  title: string;
  measure: string;
  planned: CalendarDate;
}

export interface DashboardSummary {
  program: string;
  today: CalendarDate;
  /** Measures by derived status, in the order a reader scans them; absent statuses left out. */
  measures: Array<{ status: DerivedStatus; count: number }>;
  lint: { error: number; warning: number; info: number };
  /** Past their planned date with no actual date, the longest overdue first (the first LISTED). */
  late: Array<DueMilestone & { daysLate: number }>;
  lateCount: number;
  /** Open milestones planned from today to UPCOMING_DAYS ahead, the nearest first (the first LISTED). */
  upcoming: DueMilestone[];
  upcomingCount: number;
  /** Directives whose report is due today or later, the nearest first. */
  reportsDue: Array<{ directive: string; due: CalendarDate }>;
  /** Relationships by the quarter their decision's target date falls in (null: no date). */
  decisionsByQuarter: Array<{ quarter: string | null } & Record<(typeof DECISIONS)[number], number>>;
}

/** The dashboard of a program as of today in its time zone. */
export async function programDashboard(reader: Reader, programCode: string): Promise<DashboardSummary> {
  return dashboardOf(await programView(reader, programCode));
}

/** A view shared by readers (unchanged program, same day) gives the same summary: made once. */
const summaries = new WeakMap<ProgramView, DashboardSummary>();

export function dashboardOf(view: ProgramView): DashboardSummary {
  const known = summaries.get(view);
  if (known) return known;
  const { schedule } = view.analysis;
  const counts = new Map<DerivedStatus, number>();
  for (const m of schedule.measures) counts.set(m.derived, (counts.get(m.derived) ?? 0) + 1);
  const due = (m: (typeof schedule.milestones)[number]): DueMilestone => ({
    code: m.code,
    title: m.title,
    measure: m.measure,
    planned: m.planned!,
  });
  const horizon = addDays(view.today, UPCOMING_DAYS);
  const quarters = new Map<string | null, Record<(typeof DECISIONS)[number], number>>();
  for (const r of view.register) {
    const q = r.targetDate ? quarterOf(r.targetDate) : null;
    const row = quarters.get(q) ?? { terminate: 0, reduce: 0, maintain: 0, undecided: 0 };
    const decision = (DECISIONS as readonly (string | undefined)[]).includes(r.decision)
      ? r.decision
      : 'undecided';
    row[decision as (typeof DECISIONS)[number]] += 1;
    quarters.set(q, row);
  }
  const late = schedule.milestones
    .filter((m) => m.late && m.planned !== null)
    .sort((a, b) => a.planned!.localeCompare(b.planned!) || a.code.localeCompare(b.code));
  const upcoming = schedule.milestones
    .filter((m) => m.actual === null && m.planned !== null && m.planned >= view.today && m.planned <= horizon)
    .sort((a, b) => a.planned!.localeCompare(b.planned!) || a.code.localeCompare(b.code));
  const summary: DashboardSummary = {
    program: view.file.program.code,
    today: view.today,
    measures: DERIVED_ORDER.filter((s) => counts.has(s)).map((status) => ({
      status,
      count: counts.get(status)!,
    })),
    lint: { ...view.lint.counts },
    late: late.slice(0, LISTED).map((m) => ({ ...due(m), daysLate: daysBetween(m.planned!, view.today) })),
    lateCount: late.length,
    upcoming: upcoming.slice(0, LISTED).map(due),
    upcomingCount: upcoming.length,
    reportsDue: view.file.directives
      .filter((d) => d.reportDue !== undefined && d.reportDue >= view.today)
      .sort((a, b) => a.reportDue!.localeCompare(b.reportDue!))
      .map((d) => ({ directive: d.code, due: d.reportDue! })),
    decisionsByQuarter: [...quarters.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
      .map(([quarter, row]) => ({ quarter, ...row })),
  };
  summaries.set(view, summary);
  return summary;
}
