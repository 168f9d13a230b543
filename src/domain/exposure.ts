/**
 * Exposure paths: which outside organizations can reach which systems of the regulated group —
 * and the data classes those systems hold — through access edges (organization → system) and
 * links (system → system), on a given day.
 *
 * An edge that ends with a milestone ends when the milestone ends it, seen one of three ways:
 * - `actual`: when it was done; for a day still to come, when it is planned to be done. What is
 *   true: an overdue separation leaves the path open.
 * - `planned`: when it was done, or else when it is planned to be ("as now planned").
 * - `baseline`: when its baseline date has passed ("as baselined").
 */
import { addMonths, type CalendarDate } from './dates.ts';
import type { ProgramFile } from './program-file/schema.ts';
import { baselineOf } from './schedule.ts';

export type PlanView = 'actual' | 'planned' | 'baseline';
export const PLAN_VIEWS: readonly PlanView[] = ['actual', 'planned', 'baseline'];

export interface Step {
  kind: 'access' | 'link';
  /** Code of the access edge or link. */
  edge: string;
  from: string;
  to: string;
  via: string;
}

export interface ReachedSystem {
  system: string;
  name: string;
  criticality: string;
  owner: string | null;
  dataClasses: string[];
  /** The shortest path, first step from the organization. */
  path: Step[];
}

export interface OrganizationExposure {
  organization: string;
  systems: ReachedSystem[];
}

export interface ExposureResult {
  asOf: CalendarDate;
  view: PlanView;
  organizations: OrganizationExposure[];
  /** Per data class, the outside organizations that can reach a system holding it. */
  dataClasses: Array<{ dataClass: string; organizations: string[] }>;
}

interface Edge {
  kind: 'access' | 'link';
  code: string;
  from: string;
  to: string;
  via: string;
  start?: CalendarDate | undefined;
  until?: CalendarDate | undefined;
  untilMilestone?: string | undefined;
}

interface MilestoneDates {
  planned: CalendarDate | null;
  actual: CalendarDate | null;
  baseline: CalendarDate | null;
}

/** Whether an edge is open at the end of `day`. */
function isOpen(
  e: Edge,
  day: CalendarDate,
  today: CalendarDate,
  view: PlanView,
  milestones: Map<string, MilestoneDates>,
): boolean {
  if (e.start !== undefined && e.start > day) return false;
  if (e.until !== undefined && e.until <= day) return false;
  if (e.untilMilestone === undefined) return true;
  const m = milestones.get(e.untilMilestone);
  if (!m) return true;
  if (view === 'baseline') return m.baseline === null || m.baseline > day;
  if (m.actual !== null) return m.actual > day;
  const plannedEnds = m.planned !== null && m.planned <= day;
  if (view === 'planned') return !plannedEnds;
  // What is true: a past day needed the milestone done; a day to come may count on a plan that is
  // still ahead of today, but not on one already overdue.
  return !(plannedEnds && day > today && m.planned! >= today);
}

export interface ExposureOptions {
  today: CalendarDate;
  view?: PlanView;
  /** Only this organization. */
  organization?: string | undefined;
  /** Organizations of the regulated group: they are the inside, not exposure. */
  group: Set<string>;
}

/**
 * A reusable index of the program's exposure graph. Organizations are keyed `@CODE`: codes cannot
 * contain `@`, so no organization collides with a system.
 */
export class ExposureGraph {
  private readonly edgesFrom = new Map<string, Edge[]>();
  private readonly systems: Map<string, ProgramFile['systems'][number]>;
  private readonly milestones = new Map<string, MilestoneDates>();
  readonly outsiders: string[];

  constructor(
    file: ProgramFile,
    private readonly group: Set<string>,
  ) {
    this.systems = new Map(file.systems.map((s) => [s.code, s]));
    for (const m of file.measures)
      for (const ms of m.milestones)
        this.milestones.set(ms.code, {
          planned: ms.planned,
          actual: ms.actual ?? null,
          baseline: baselineOf(ms),
        });
    const add = (e: Edge) => {
      const list = this.edgesFrom.get(e.from);
      if (list) list.push(e);
      else this.edgesFrom.set(e.from, [e]);
    };
    for (const a of file.access)
      add({
        kind: 'access',
        code: a.code,
        from: `@${a.organization}`,
        to: a.system,
        via: a.via,
        start: a.from,
        until: a.until,
        untilMilestone: a.untilMilestone,
      });
    for (const l of file.links)
      add({
        kind: 'link',
        code: l.code,
        from: l.system,
        to: l.reaches,
        via: l.via,
        start: l.from,
        until: l.until,
        untilMilestone: l.untilMilestone,
      });
    this.outsiders = [...new Set(file.access.map((a) => a.organization))].filter((o) => !group.has(o)).sort();
  }

  /** Breadth-first from an organization over the edges open on `day`: the nodes in reach order, and how each was reached. */
  private walk(organization: string, day: CalendarDate, today: CalendarDate, view: PlanView) {
    const start = `@${organization}`;
    const parent = new Map<string, Edge>();
    const queue: string[] = [start];
    const seen = new Set<string>([start]);
    for (let i = 0; i < queue.length; i++) {
      for (const e of this.edgesFrom.get(queue[i]!) ?? []) {
        if (seen.has(e.to) || !isOpen(e, day, today, view, this.milestones)) continue;
        seen.add(e.to);
        parent.set(e.to, e);
        queue.push(e.to);
      }
    }
    return { start, queue, parent };
  }

  private inGroup(code: string): ProgramFile['systems'][number] | undefined {
    const s = this.systems.get(code);
    return s && (s.owner === undefined || this.group.has(s.owner)) ? s : undefined;
  }

  /** How many critical systems of the group `organization` can reach on `day` (no paths: for timelines). */
  criticalReach(organization: string, day: CalendarDate, today: CalendarDate, view: PlanView): number {
    const { queue } = this.walk(organization, day, today, view);
    let n = 0;
    for (let i = 1; i < queue.length; i++) if (this.inGroup(queue[i]!)?.criticality === 'critical') n++;
    return n;
  }

  /** Systems of the group (owned by it, or by nobody) that `organization` can reach on `day`, with the shortest path. */
  reach(organization: string, day: CalendarDate, today: CalendarDate, view: PlanView): ReachedSystem[] {
    const { start, queue, parent } = this.walk(organization, day, today, view);
    const reached: ReachedSystem[] = [];
    for (const code of queue.slice(1)) {
      const s = this.inGroup(code);
      if (!s) continue;
      const path: Step[] = [];
      for (let at = code; at !== start; ) {
        const e = parent.get(at)!;
        path.unshift({ kind: e.kind, edge: e.code, from: e.from.replace(/^@/, ''), to: e.to, via: e.via });
        at = e.from;
      }
      reached.push({
        system: s.code,
        name: s.name,
        criticality: s.criticality,
        owner: s.owner ?? null,
        dataClasses: s.dataClasses,
        path,
      });
    }
    return reached.sort((a, b) => a.path.length - b.path.length || a.system.localeCompare(b.system));
  }
}

export function exposureOn(file: ProgramFile, day: CalendarDate, options: ExposureOptions): ExposureResult {
  const view = options.view ?? 'actual';
  const graph = new ExposureGraph(file, options.group);
  const orgs = options.organization !== undefined ? [options.organization] : graph.outsiders;
  const organizations = orgs
    .map((organization) => ({ organization, systems: graph.reach(organization, day, options.today, view) }))
    .filter((o) => o.systems.length > 0 || options.organization !== undefined);
  const byClass = new Map<string, Set<string>>();
  for (const o of organizations)
    for (const s of o.systems)
      for (const dc of s.dataClasses) {
        const set = byClass.get(dc) ?? new Set<string>();
        set.add(o.organization);
        byClass.set(dc, set);
      }
  return {
    asOf: day,
    view,
    organizations,
    dataClasses: [...byClass.entries()]
      .map(([dataClass, set]) => ({ dataClass, organizations: [...set].sort() }))
      .sort((a, b) => a.dataClass.localeCompare(b.dataClass)),
  };
}

export interface ExposureTimeline {
  months: CalendarDate[];
  /** Per outside organization: critical systems it can reach at each month's end, in each view. */
  series: Array<{ organization: string } & Record<PlanView, number[]>>;
}

/** Month by month, how many critical systems of the group each outside organization can reach. */
export function exposureTimeline(
  file: ProgramFile,
  from: CalendarDate,
  to: CalendarDate,
  options: Omit<ExposureOptions, 'view' | 'organization'>,
): ExposureTimeline {
  const graph = new ExposureGraph(file, options.group);
  const months: CalendarDate[] = [];
  for (
    let m = monthEnd(from);
    m <= monthEnd(to) && months.length < 240;
    m = monthEnd(addMonths(`${m.slice(0, 7)}-01`, 1))
  )
    months.push(m);
  const count = (organization: string, view: PlanView) =>
    months.map((m) => graph.criticalReach(organization, m, options.today, view));
  return {
    months,
    series: graph.outsiders.map((organization) => ({
      organization,
      actual: count(organization, 'actual'),
      planned: count(organization, 'planned'),
      baseline: count(organization, 'baseline'),
    })),
  };
}

function monthEnd(day: CalendarDate): CalendarDate {
  const first = addMonths(`${day.slice(0, 7)}-01`, 1);
  const d = new Date(`${first}T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}
