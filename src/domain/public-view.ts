/**
 * The public view of a program: what a progress page for users may show, built from the fields
 * classified public and nothing else. Every field is internal unless it is read here:
 *
 * - the program's public name (without one, the program has no public page);
 * - public directives (`public: true`): issuer's name, date, title and the items' texts;
 * - measures with a public title: that title, a public status derived from the milestones (never
 *   the declared one, never a milestone title), the committed date and the completion date;
 *   measures without one are counted, not named;
 * - outsourcing relationships only in aggregate: how many are decided which way, and how many of
 *   those to end or reduce are done — no provider, no scope, no reason;
 * - public incidents (`public: true`): title, announcement date, the affected records by category,
 *   and secondary damage per month and kind (counts only, no description, no source).
 *
 * Pure: the pages, the feed and the static export are all rendered from this alone, so the canary
 * test over them is a test of this function.
 */
import type { CalendarDate } from './dates.ts';
import type { ProgramFile } from './program-file/schema.ts';
import { decisionAsOf } from './schedule.ts';
import type { Decision } from './vocab.ts';

export type PublicStatus = 'planned' | 'in_progress' | 'completed';

export interface PublicMeasure {
  title: string;
  titleJa: string | null;
  status: PublicStatus;
  /** The last planned date of its milestones. */
  due: CalendarDate | null;
  /** When its last milestone was done, if all are. */
  completedOn: CalendarDate | null;
}

export interface PublicItem {
  label: string | null;
  text: string;
  textJa: string | null;
  depth: number;
  measures: PublicMeasure[];
  /** Measures answering the item that have no public title. */
  unnamed: { total: number; completed: number };
}

export interface PublicView {
  name: string;
  nameJa: string | null;
  timeZone: string;
  asOf: CalendarDate;
  directives: Array<{
    issuer: string;
    issuerJa: string | null;
    issuedOn: CalendarDate;
    title: string;
    titleJa: string | null;
    items: PublicItem[];
  }>;
  measures: { total: number; completed: number; inProgress: number };
  outsourcing: Record<Decision, number> & { total: number; endingDone: number; ending: number };
  incidents: Array<{
    title: string;
    announcedOn: CalendarDate | null;
    records: Array<{ category: string; count: number; status: string; asOf: CalendarDate | null }>;
    damage: Array<{ month: string; kind: string; reports: number; count: number | null }>;
  }>;
}

type Measure = ProgramFile['measures'][number];

function publicStatus(m: Measure, asOf: CalendarDate): PublicStatus {
  const done = m.milestones.filter((ms) => ms.actual !== undefined && ms.actual <= asOf).length;
  if (m.milestones.length > 0 && done === m.milestones.length) return 'completed';
  if (done > 0 || m.status === 'in_progress') return 'in_progress';
  return 'planned';
}

const lastDate = (dates: Array<CalendarDate | null | undefined>) =>
  dates
    .filter((d): d is CalendarDate => typeof d === 'string')
    .sort()
    .at(-1) ?? null;

function publicMeasure(m: Measure, asOf: CalendarDate): PublicMeasure {
  const status = publicStatus(m, asOf);
  return {
    title: m.publicTitle!,
    titleJa: m.publicTitleJa ?? null,
    status,
    due: lastDate(m.milestones.map((ms) => ms.planned)),
    completedOn: status === 'completed' ? lastDate(m.milestones.map((ms) => ms.actual)) : null,
  };
}

/** The public view, or undefined when the program has no public name (no public page). */
export function publicView(file: ProgramFile, asOf: CalendarDate): PublicView | undefined {
  if (!file.program.publicName) return undefined;
  const org = (code: string) => file.organizations.find((o) => o.code === code);
  const directives = file.directives
    .filter((d) => d.public === true && d.issuedOn <= asOf)
    .map((d) => {
      const items: PublicItem[] = [];
      const walk = (list: typeof d.items, depth: number) => {
        for (const i of list) {
          const answering = file.measures.filter((m) => m.answers.includes(i.code));
          const named = answering.filter((m) => m.publicTitle);
          const unnamed = answering.filter((m) => !m.publicTitle);
          items.push({
            label: i.label ?? null,
            text: i.text,
            textJa: i.textJa ?? null,
            depth,
            measures: named.map((m) => publicMeasure(m, asOf)),
            unnamed: {
              total: unnamed.length,
              completed: unnamed.filter((m) => publicStatus(m, asOf) === 'completed').length,
            },
          });
          walk(i.items, depth + 1);
        }
      };
      walk(d.items, 0);
      const issuer = org(d.issuer);
      return {
        issuer: issuer?.name ?? '',
        issuerJa: issuer?.nameJa ?? null,
        issuedOn: d.issuedOn,
        title: d.title,
        titleJa: d.titleJa ?? null,
        items,
      };
    });
  const statuses = file.measures.map((m) => publicStatus(m, asOf));
  const outsourcing = {
    reduce: 0,
    terminate: 0,
    maintain: 0,
    undecided: 0,
    total: 0,
    ending: 0,
    endingDone: 0,
  };
  for (const r of file.relationships) {
    const d = decisionAsOf(r.decisions, asOf)?.decision ?? 'undecided';
    outsourcing[d] += 1;
    outsourcing.total += 1;
    if (d === 'terminate' || d === 'reduce') {
      outsourcing.ending += 1;
      const carriers = file.measures.filter((m) => r.measures.includes(m.code));
      if (carriers.length > 0 && carriers.every((m) => publicStatus(m, asOf) === 'completed'))
        outsourcing.endingDone += 1;
    }
  }
  const incidents = file.incidents
    .filter((x) => x.public === true)
    .map((x) => {
      const monthly = new Map<
        string,
        { month: string; kind: string; reports: number; count: number | null }
      >();
      for (const s of x.secondaryDamage) {
        if (s.reportedOn > asOf) continue;
        const month = s.reportedOn.slice(0, 7);
        const row = monthly.get(`${month}/${s.kind}`) ?? { month, kind: s.kind, reports: 0, count: null };
        row.reports += 1;
        if (s.count !== undefined) row.count = (row.count ?? 0) + s.count;
        monthly.set(`${month}/${s.kind}`, row);
      }
      return {
        title: x.title,
        announcedOn: x.announcedOn ?? null,
        records: x.records
          .filter((r) => r.asOf === undefined || r.asOf <= asOf)
          .map((r) => ({ category: r.category, count: r.count, status: r.status, asOf: r.asOf ?? null })),
        damage: [...monthly.values()].sort(
          (a, b) => a.month.localeCompare(b.month) || a.kind.localeCompare(b.kind),
        ),
      };
    });
  return {
    name: file.program.publicName,
    nameJa: file.program.publicNameJa ?? null,
    timeZone: file.program.timeZone,
    asOf,
    directives,
    measures: {
      total: statuses.length,
      completed: statuses.filter((s) => s === 'completed').length,
      inProgress: statuses.filter((s) => s === 'in_progress').length,
    },
    outsourcing,
    incidents,
  };
}
