/**
 * Milestone tasks → milestones. Oversight's own tasks carry the code and the baseline, planned and
 * actual dates in props. Any other task is dated by its timing: an on-date is the planned date; of
 * a date range the end is the planned date (the start only tells whether work has begun); a
 * frequency has no date. A milestone of a closed risk or a completed remediation was done on its
 * date when that date is not after the document's day.
 *
 * A baseline other than the planned date becomes one re-plan, from the baseline to the planned
 * date, made on the document's day (the POA&M says where the date moved from, not when or why).
 */
import type { CalendarDate } from '../dates.ts';
import { findCycles } from '../graph.ts';
import { dayOfDateTime, markdownEscape, OVERSIGHT_NS } from '../oscal.ts';
import { type codeKeeper, fitText, type MapContext, type MilestoneDraft, own, ownDate } from './context.ts';
import { at, type OscalTask } from './oscal-types.ts';
import type { MappedEntry, ReportNote } from './report.ts';

export interface MappedTask {
  milestone: MilestoneDraft;
  /** When work on it begins (a range's start, else its date), for the status of its measure. */
  starts: CalendarDate | null;
  entry: MappedEntry;
}

const OWN_DATES = ['milestone', 'baseline-date', 'planned-date', 'actual-date'];

/** `M-1: Title` → `Title`, when the title starts with the code Oversight put before it. */
export function stripCode(title: string, code: string | undefined): string {
  const prefix = code === undefined ? undefined : `${markdownEscape(code)}: `;
  return prefix !== undefined && title.startsWith(prefix) ? title.slice(prefix.length) : title;
}

export function mapTask(
  ctx: MapContext,
  task: OscalTask,
  base: string,
  done: boolean,
  fallback: string,
  codes: ReturnType<typeof codeKeeper>,
): MappedTask {
  const notes: ReportNote[] = [];
  const wanted = own(ctx, task.props, base, 'milestone');
  const code = codes.take(wanted, fallback);
  if (wanted !== undefined && wanted !== code)
    notes.push({ key: 'oscal.note.codeTaken', params: { wanted } });
  const title = fitText(stripCode(task.title, wanted), 500, 'title', notes) ?? code;
  ctx.usage.use(at(base, 'uuid'), at(base, 'type'), at(base, 'title'));
  // Oversight's task description is made from the dates; another's goes into the measure's description.
  if (task.description !== undefined) ctx.usage.use(at(base, 'description'));

  let planned: CalendarDate | null;
  let actual: CalendarDate | undefined;
  let baseline: CalendarDate | undefined;
  let starts: CalendarDate | null;
  const hasOwn = (task.props ?? []).some((p) => p.ns === OVERSIGHT_NS && OWN_DATES.includes(p.name));
  if (hasOwn) {
    baseline = ownDate(ctx, task.props, base, 'baseline-date');
    planned = ownDate(ctx, task.props, base, 'planned-date') ?? null;
    actual = ownDate(ctx, task.props, base, 'actual-date');
    // Derived from the dates, and the timing repeats the actual or planned date.
    own(ctx, task.props, base, 'slip-days');
    own(ctx, task.props, base, 'late');
    if (task.timing) ctx.usage.use(at(base, 'timing'));
    starts = actual ?? planned;
  } else {
    ({ planned, starts } = timingOf(ctx, task, base, notes));
    if (done && planned !== null && planned <= ctx.day) {
      actual = planned;
      notes.push({ key: 'oscal.note.doneOn', params: { date: planned } });
    } else if (done) notes.push({ key: 'oscal.note.doneUndated', params: { day: ctx.day } });
  }

  const replans =
    baseline !== undefined && baseline !== planned
      ? [
          {
            on: ctx.day,
            from: baseline,
            to: planned,
            reason: `Planned for ${baseline} when first committed; ${planned ?? 'not dated'} in the OSCAL POA&M of ${ctx.day}, which gives no reason.`,
          },
        ]
      : [];
  if (replans.length > 0)
    notes.push({ key: 'oscal.note.replanned', params: { from: baseline, to: planned } });
  const milestone: MilestoneDraft = {
    code,
    title,
    committedOn: ctx.day,
    planned,
    ...(actual !== undefined ? { actual } : {}),
    dependsOn: [],
    replans,
    source: `OSCAL task ${task.uuid}`,
  };
  const entry: MappedEntry = { path: base, became: 'milestone', code, title, planned, notes };
  if (actual !== undefined) entry.actual = actual;
  return { milestone, starts, entry };
}

function timingOf(
  ctx: MapContext,
  task: OscalTask,
  base: string,
  notes: ReportNote[],
): { planned: CalendarDate | null; starts: CalendarDate | null } {
  const timing = task.timing;
  const path = at(base, 'timing');
  const onDate = timing?.['on-date'];
  if (onDate) {
    ctx.usage.use(at(path, 'on-date'));
    const day = dayOfDateTime(onDate.date) ?? null;
    return { planned: day, starts: day };
  }
  const range = timing?.['within-date-range'];
  if (range) {
    // The start is left unread, so the report lists it.
    ctx.usage.use(at(path, 'within-date-range', 'end'));
    const end = dayOfDateTime(range.end) ?? null;
    const start = dayOfDateTime(range.start) ?? null;
    notes.push({ key: 'oscal.note.rangeEnd', params: { start, end } });
    return { planned: end, starts: start };
  }
  notes.push({ key: 'oscal.note.undated' });
  return { planned: null, starts: null };
}

/**
 * Task dependencies between milestone tasks become `dependsOn`. One that would close a cycle (which
 * Oversight refuses) is dropped and reported; so is one on a task that did not become a milestone.
 */
export function resolveDependencies(
  ctx: MapContext,
  dependencies: ReadonlyArray<{ from: MilestoneDraft; to: string; path: string }>,
  taskCodes: ReadonlyMap<string, string>,
): void {
  const byCode = new Map<string, MilestoneDraft>();
  const paths = new Map<string, string>();
  for (const dep of dependencies) {
    const to = taskCodes.get(dep.to);
    if (to === undefined || to === dep.from.code || dep.from.dependsOn.includes(to)) continue;
    dep.from.dependsOn.push(to);
    byCode.set(dep.from.code, dep.from);
    paths.set(`${dep.from.code}\u0000${to}`, dep.path);
    ctx.usage.use(dep.path);
  }
  for (;;) {
    const edges = new Map([...byCode.values()].map((m) => [m.code, m.dependsOn] as const));
    const cycles = findCycles(edges);
    if (cycles.length === 0) return;
    for (const cycle of cycles) {
      // The edge back to the cycle's first milestone closes it.
      const last = cycle[cycle.length - 1]!;
      const first = cycle[0]!;
      const from = byCode.get(last);
      if (!from) continue;
      from.dependsOn = from.dependsOn.filter((c) => c !== first);
      ctx.unmapped.push({
        path: paths.get(`${last}\u0000${first}`) ?? '',
        key: 'oscal.unmapped.dependencyCycle',
        params: { cycle: [...cycle, first].join(' → ') },
      });
    }
  }
}
