/**
 * From the governance services' answers to what the group page draws and lists: the organizations
 * of the control chain with their role and flag, and the exposure paths as nodes, edges and rows,
 * each edge with when it ends in the chosen view.
 */
import { regulatedGroup } from '../../domain/control.ts';
import type { CalendarDate } from '../../domain/dates.ts';
import type { ExposureResult, PlanView, ReachedSystem, Step } from '../../domain/exposure.ts';
import type { ProgramFile } from '../../domain/program-file/schema.ts';
import { baselineOf } from '../../domain/schedule.ts';
import type { ControlChain } from '../../services/governance.service.ts';
import type { ChainHolding, ChainOrganization, ChainRole, ExposureEdge, ExposureNode } from './diagrams.tsx';

/** Names of the program's organizations and systems in one language. */
export function namer(file: ProgramFile, lang: 'en' | 'ja') {
  const orgs = new Map(
    file.organizations.map((o) => [o.code, lang === 'ja' && o.nameJa ? o.nameJa : o.name]),
  );
  const systems = new Map(file.systems.map((s) => [s.code, s.name]));
  return {
    organization: (code: string) => orgs.get(code) ?? code,
    system: (code: string) => systems.get(code) ?? code,
  };
}

export function chainHoldings(file: ProgramFile): ChainHolding[] {
  return file.ownerships.map((o) => ({
    owner: o.owner,
    owned: o.owned,
    share: o.share,
    voting: o.voting ?? o.share,
  }));
}

/** The organizations in the ownership graph (and the regulated one), each with its role towards the regulated one. */
export function chainOrganizations(
  file: ProgramFile,
  chain: ControlChain,
  name: (code: string) => string,
): ChainOrganization[] {
  const codes = new Set<string>([chain.organization]);
  for (const o of file.ownerships) codes.add(o.owner).add(o.owned);
  const flagged = new Set<string>();
  for (const p of chain.providersInChain) {
    flagged.add(p.provider);
    if (p.through !== null) flagged.add(p.through);
  }
  for (const code of flagged) codes.add(code);
  const controllers = new Set(chain.holders.filter((h) => h.controls).map((h) => h.holder));
  const holders = new Set(chain.holders.map((h) => h.holder));
  const group = regulatedGroup(file);
  const role = (code: string): ChainRole =>
    code === chain.organization
      ? 'regulated'
      : controllers.has(code)
        ? 'controller'
        : holders.has(code)
          ? 'holder'
          : group.has(code)
            ? 'group'
            : 'other';
  return [...codes].map((code) => ({ code, name: name(code), role: role(code), flagged: flagged.has(code) }));
}

/** When an access edge or link ends, as the chosen view sees it; `overdue` when it should have ended by the day but is open. */
export interface EdgeEnd {
  date: CalendarDate | null;
  milestone?: string | undefined;
  overdue: boolean;
}

/** The end of the edge a step took, from the program as known on the day (`asKnown`). */
export function endOfStep(
  step: Step,
  asKnown: ProgramFile,
  view: PlanView,
  asOf: CalendarDate,
): EdgeEnd | undefined {
  const edge =
    step.kind === 'access'
      ? asKnown.access.find((a) => a.code === step.edge)
      : asKnown.links.find((l) => l.code === step.edge);
  if (!edge) return undefined;
  if (edge.until !== undefined) return { date: edge.until, overdue: false };
  if (edge.untilMilestone === undefined) return undefined;
  const ms = asKnown.measures.flatMap((m) => m.milestones).find((x) => x.code === edge.untilMilestone);
  if (!ms) return { date: null, milestone: edge.untilMilestone, overdue: false };
  const date = view === 'baseline' ? baselineOf(ms) : (ms.actual ?? ms.planned ?? null);
  // The step is on an open path: an end on or before the day means the milestone is late.
  return { date, milestone: ms.code, overdue: date !== null && date <= asOf };
}

export interface PathRow {
  organization: string;
  reached: ReachedSystem;
  steps: Array<Step & { end?: EdgeEnd | undefined }>;
}

/** Every exposure path as a row: an outside organization, the system it reaches, and the steps taken. */
export function pathRows(
  result: ExposureResult,
  asKnown: ProgramFile,
  view: PlanView,
  asOf: CalendarDate,
): PathRow[] {
  return result.organizations.flatMap((o) =>
    o.systems.map((reached) => ({
      organization: o.organization,
      reached,
      steps: reached.path.map((step) => ({ ...step, end: endOfStep(step, asKnown, view, asOf) })),
    })),
  );
}

/** The union of all paths as a graph: organizations, the systems passed and reached, and each edge once. */
export function exposureGraph(
  rows: PathRow[],
  file: ProgramFile,
  names: ReturnType<typeof namer>,
  words: { via: (via: string) => string; end: (end: EdgeEnd) => string },
): { nodes: ExposureNode[]; edges: ExposureEdge[] } {
  const reached = new Set(rows.map((r) => r.reached.system));
  const criticality = new Map(file.systems.map((s) => [s.code, s.criticality]));
  const nodes = new Map<string, ExposureNode>();
  const system = (code: string): ExposureNode => ({
    id: `s:${code}`,
    kind: 'system',
    code,
    name: names.system(code),
    critical: criticality.get(code) === 'critical',
    inGroup: reached.has(code),
  });
  for (const r of rows)
    nodes.set(`o:${r.organization}`, {
      id: `o:${r.organization}`,
      kind: 'organization',
      code: r.organization,
      name: names.organization(r.organization),
      critical: false,
      inGroup: false,
    });
  const edges = new Map<string, ExposureEdge>();
  for (const r of rows)
    for (const s of r.steps) {
      const from = s.kind === 'access' ? `o:${s.from}` : `s:${s.from}`;
      if (s.kind === 'link' && !nodes.has(from)) nodes.set(from, system(s.from));
      if (!nodes.has(`s:${s.to}`)) nodes.set(`s:${s.to}`, system(s.to));
      edges.set(`${s.kind}:${s.edge}`, {
        from,
        to: `s:${s.to}`,
        kind: s.kind,
        code: s.edge,
        via: words.via(s.via),
        end: s.end ? words.end(s.end) : undefined,
      });
    }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
