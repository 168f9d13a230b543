/**
 * The checks on a whole program that a schema cannot express: codes unique, references known,
 * no cycles among milestone dependencies, re-plan histories that add up, dates in order.
 * Pure: takes a parsed program file, returns every problem with its field path.
 */
import type { FieldIssue } from '../errors.ts';
import { findCycles } from '../graph.ts';
import type { DirectiveItemInput, ProgramFile } from './schema.ts';

type Path = Array<string | number>;

export interface CheckedIssue extends Omit<FieldIssue, 'path'> {
  path: Path;
}

export function checkProgramFile(file: ProgramFile): CheckedIssue[] {
  const issues: CheckedIssue[] = [];
  const add = (path: Path, key: string, params?: Record<string, unknown>) =>
    issues.push({ path, key, ...(params ? { params } : {}) });

  /** Registers codes of one kind; reports duplicates at the second occurrence. */
  const registry = (kind: string) => {
    const seen = new Map<string, Path>();
    return {
      seen,
      add(code: string, path: Path) {
        const first = seen.get(code);
        if (first)
          add([...path, 'code'], 'validation.duplicate_code', { kind, code, first: pathText(first) });
        else seen.set(code, path);
      },
      ref(code: string | undefined, path: Path) {
        if (code !== undefined && !seen.has(code)) add(path, 'validation.unknown_code', { kind, code });
      },
    };
  };

  const orgs = registry('organization');
  file.organizations.forEach((o, i) => orgs.add(o.code, ['organizations', i]));
  const systems = registry('system');
  file.systems.forEach((s, i) => systems.add(s.code, ['systems', i]));
  const directives = registry('directive');
  file.directives.forEach((d, i) => directives.add(d.code, ['directives', i]));
  const items = registry('directive item');
  const walkItems = (list: DirectiveItemInput[], path: Path) =>
    list.forEach((item, i) => {
      items.add(item.code, [...path, i]);
      walkItems(item.items, [...path, i, 'items']);
    });
  file.directives.forEach((d, i) => walkItems(d.items, ['directives', i, 'items']));
  const measures = registry('measure');
  file.measures.forEach((m, i) => measures.add(m.code, ['measures', i]));
  const milestones = registry('milestone');
  const verifications = registry('verification');
  file.measures.forEach((m, i) => {
    m.milestones.forEach((ms, j) => milestones.add(ms.code, ['measures', i, 'milestones', j]));
    m.verifications.forEach((v, j) => verifications.add(v.code, ['measures', i, 'verifications', j]));
  });
  const incidents = registry('incident');
  file.incidents.forEach((x, i) => incidents.add(x.code, ['incidents', i]));
  const access = registry('access');
  file.access.forEach((a, i) => access.add(a.code, ['access', i]));
  const relationships = registry('relationship');
  file.relationships.forEach((r, i) => relationships.add(r.code, ['relationships', i]));

  orgs.ref(file.program.regulatedOrganization, ['program', 'regulatedOrganization']);

  file.ownerships.forEach((o, i) => {
    orgs.ref(o.owner, ['ownerships', i, 'owner']);
    orgs.ref(o.owned, ['ownerships', i, 'owned']);
    if (o.owner === o.owned) add(['ownerships', i, 'owned'], 'validation.self_reference', { code: o.owned });
  });
  file.incidents.forEach((x, i) => {
    const p = ['incidents', i];
    order(x.accessFrom, x.accessUntil, [...p, 'accessUntil'], 'accessFrom');
    order(x.detectedOn, x.containedOn, [...p, 'containedOn'], 'detectedOn');
  });
  file.directives.forEach((d, i) => {
    orgs.ref(d.issuer, ['directives', i, 'issuer']);
    directives.ref(d.followsUp, ['directives', i, 'followsUp']);
    if (d.followsUp === d.code)
      add(['directives', i, 'followsUp'], 'validation.self_reference', { code: d.code });
    order(d.issuedOn, d.reportDue, ['directives', i, 'reportDue'], 'issuedOn');
  });
  file.systems.forEach((s, i) => orgs.ref(s.owner, ['systems', i, 'owner']));

  const dependencyEdges = new Map<string, string[]>();
  file.measures.forEach((m, i) => {
    const p: Path = ['measures', i];
    orgs.ref(m.organization, [...p, 'organization']);
    m.answers.forEach((code, k) => items.ref(code, [...p, 'answers', k]));
    m.milestones.forEach((ms, j) => {
      const mp: Path = [...p, 'milestones', j];
      dependencyEdges.set(ms.code, ms.dependsOn);
      ms.dependsOn.forEach((code, k) => {
        milestones.ref(code, [...mp, 'dependsOn', k]);
        if (code === ms.code) add([...mp, 'dependsOn', k], 'validation.self_reference', { code });
      });
      for (const i of milestoneIssues(ms)) issues.push({ ...i, path: [...mp, ...i.path] });
    });
    m.verifications.forEach((v, j) => {
      measures.ref(v.followUpMeasure, [...p, 'verifications', j, 'followUpMeasure']);
      for (const i of verificationIssues(v))
        issues.push({ ...i, path: [...p, 'verifications', j, ...i.path] });
    });
  });
  for (const cycle of findCycles(dependencyEdges)) {
    if (cycle.length < 2) continue; // a self-dependency is reported above
    const first = milestones.seen.get(cycle[0]!);
    add([...(first ?? []), 'dependsOn'], 'validation.dependency_cycle', {
      cycle: [...cycle, cycle[0]].join(' → '),
    });
  }

  file.access.forEach((a, i) => {
    const p: Path = ['access', i];
    orgs.ref(a.organization, [...p, 'organization']);
    systems.ref(a.system, [...p, 'system']);
    milestones.ref(a.untilMilestone, [...p, 'untilMilestone']);
    order(a.from, a.until, [...p, 'until'], 'from');
  });
  file.relationships.forEach((r, i) => {
    const p: Path = ['relationships', i];
    orgs.ref(r.customer, [...p, 'customer']);
    orgs.ref(r.provider, [...p, 'provider']);
    if (r.customer === r.provider) add([...p, 'provider'], 'validation.self_reference', { code: r.provider });
    r.systems.forEach((code, k) => systems.ref(code, [...p, 'systems', k]));
    r.measures.forEach((code, k) => measures.ref(code, [...p, 'measures', k]));
    r.decisions.forEach((d, k) => {
      const prev = r.decisions[k - 1];
      for (const i of decisionIssues(d, prev)) issues.push({ ...i, path: [...p, 'decisions', k, ...i.path] });
    });
  });
  return issues;

  function order(earlier: string | undefined, later: string | undefined, path: Path, earlierField: string) {
    if (earlier !== undefined && later !== undefined && later < earlier)
      add(path, 'validation.date_before', { field: earlierField, date: earlier });
  }
}

function pathText(path: Path): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
}

/** Problems in one milestone's re-plan history; paths are relative to the milestone. */
export function milestoneIssues(ms: {
  committedOn: string;
  planned: string | null;
  replans: ReadonlyArray<{ on: string; from: string | null; to: string | null }>;
}): CheckedIssue[] {
  const out: CheckedIssue[] = [];
  let previousTo: string | null | undefined;
  ms.replans.forEach((r, k) => {
    const prev = ms.replans[k - 1];
    if (r.on < ms.committedOn)
      out.push({
        path: ['replans', k, 'on'],
        key: 'validation.date_before',
        params: { field: 'committedOn', date: ms.committedOn },
      });
    if (prev && r.on < prev.on)
      out.push({
        path: ['replans', k, 'on'],
        key: 'validation.history_order',
        params: { previous: prev.on },
      });
    if (previousTo !== undefined && r.from !== previousTo)
      out.push({
        path: ['replans', k, 'from'],
        key: 'validation.replan_chain',
        params: { expected: previousTo ?? 'null' },
      });
    if (r.from === r.to) out.push({ path: ['replans', k, 'to'], key: 'validation.replan_no_change' });
    previousTo = r.to;
  });
  if (previousTo !== undefined && previousTo !== ms.planned)
    out.push({
      path: ['planned'],
      key: 'validation.replan_planned',
      params: { expected: previousTo ?? 'null' },
    });
  return out;
}

/** Problems in one outsourcing decision, given the one before it. */
export function decisionIssues(
  d: { on: string; decision: string; targetDate?: string | undefined },
  previous?: { on: string },
): CheckedIssue[] {
  const out: CheckedIssue[] = [];
  if (previous && d.on < previous.on)
    out.push({ path: ['on'], key: 'validation.history_order', params: { previous: previous.on } });
  if ((d.decision === 'reduce' || d.decision === 'terminate') && d.targetDate === undefined)
    out.push({
      path: ['targetDate'],
      key: 'validation.decision_needs_date',
      params: { decision: d.decision },
    });
  return out;
}

/** Problems in one verification: a result needs the date the check was performed. */
export function verificationIssues(v: {
  result?: string | undefined | null;
  performedOn?: string | undefined | null;
}): CheckedIssue[] {
  return v.result != null && v.performedOn == null
    ? [{ path: ['performedOn'], key: 'validation.result_needs_date' }]
    : [];
}
