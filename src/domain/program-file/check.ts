/**
 * The checks on a whole program that a schema cannot express: codes unique, references known,
 * no cycles among milestone dependencies, re-plan histories that add up, dates in order.
 *
 * Pure, and tolerant: it reads the raw document, skipping whatever the schema will reject anyway,
 * so that a file with both kinds of mistakes gets every mistake reported in one run.
 */
import { isCalendarDate } from '../dates.ts';
import type { FieldIssue } from '../errors.ts';
import { findCycles } from '../graph.ts';
import { closingIssue } from '../verification-gate.ts';

type Path = Array<string | number>;
type Loose = Record<string, unknown>;

export interface CheckedIssue extends Omit<FieldIssue, 'path'> {
  path: Path;
}

/** Elements of `value` if it is a list of objects; anything else reads as empty. */
const list = (value: unknown): Loose[] =>
  Array.isArray(value) ? value.map((v) => (v !== null && typeof v === 'object' ? (v as Loose) : {})) : [];
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const date = (value: unknown): string | undefined =>
  typeof value === 'string' && isCalendarDate(value) ? value : undefined;
const strings = (value: unknown): Array<[number, string]> =>
  Array.isArray(value)
    ? value.flatMap((v, i) => (typeof v === 'string' ? [[i, v] as [number, string]] : []))
    : [];

export function checkProgramFile(raw: unknown): CheckedIssue[] {
  const file: Loose = raw !== null && typeof raw === 'object' ? (raw as Loose) : {};
  const issues: CheckedIssue[] = [];
  const add = (path: Path, key: string, params?: Record<string, unknown>) =>
    issues.push({ path, key, ...(params ? { params } : {}) });
  const collect = (found: CheckedIssue[], prefix: Path) =>
    found.forEach((i) => issues.push({ ...i, path: [...prefix, ...i.path] }));

  /** Registers codes of one kind; reports duplicates at the second occurrence. */
  const registry = (kind: string) => {
    const seen = new Map<string, Path>();
    return {
      seen,
      add(code: unknown, path: Path) {
        if (typeof code !== 'string') return;
        const first = seen.get(code);
        if (first)
          add([...path, 'code'], 'validation.duplicate_code', { kind, code, first: pathText(first) });
        else seen.set(code, path);
      },
      ref(code: unknown, path: Path) {
        if (typeof code === 'string' && !seen.has(code)) add(path, 'validation.unknown_code', { kind, code });
      },
    };
  };

  const program: Loose = (file.program as Loose) ?? {};
  const organizations = list(file.organizations);
  const ownerships = list(file.ownerships);
  const incidents = list(file.incidents);
  const directives = list(file.directives);
  const systems = list(file.systems);
  const measures = list(file.measures);
  const access = list(file.access);
  const relationships = list(file.relationships);
  const links = list(file.links);

  const orgs = registry('organization');
  organizations.forEach((o, i) => orgs.add(o.code, ['organizations', i]));
  const sys = registry('system');
  systems.forEach((s, i) => sys.add(s.code, ['systems', i]));
  const dirs = registry('directive');
  directives.forEach((d, i) => dirs.add(d.code, ['directives', i]));
  const items = registry('directive item');
  const walkItems = (value: unknown, path: Path) =>
    list(value).forEach((item, i) => {
      items.add(item.code, [...path, i]);
      walkItems(item.items, [...path, i, 'items']);
    });
  directives.forEach((d, i) => walkItems(d.items, ['directives', i, 'items']));
  const meas = registry('measure');
  measures.forEach((m, i) => meas.add(m.code, ['measures', i]));
  const miles = registry('milestone');
  const checks = registry('verification');
  measures.forEach((m, i) => {
    list(m.milestones).forEach((ms, j) => miles.add(ms.code, ['measures', i, 'milestones', j]));
    list(m.verifications).forEach((v, j) => checks.add(v.code, ['measures', i, 'verifications', j]));
  });
  const incs = registry('incident');
  incidents.forEach((x, i) => incs.add(x.code, ['incidents', i]));
  const acc = registry('access');
  access.forEach((a, i) => acc.add(a.code, ['access', i]));
  const lnk = registry('link');
  links.forEach((l, i) => lnk.add(l.code, ['links', i]));
  const rels = registry('relationship');
  relationships.forEach((r, i) => rels.add(r.code, ['relationships', i]));

  orgs.ref(program.regulatedOrganization, ['program', 'regulatedOrganization']);

  const pairs = new Map<string, number>();
  ownerships.forEach((o, i) => {
    if (typeof o.owner === 'string' && typeof o.owned === 'string') {
      const pair = `${o.owner}\u0000${o.owned}`;
      const first = pairs.get(pair);
      if (first !== undefined)
        add(['ownerships', i], 'validation.duplicate_ownership', {
          owner: o.owner,
          owned: o.owned,
          first: `ownerships[${first}]`,
        });
      else pairs.set(pair, i);
    }
    orgs.ref(o.owner, ['ownerships', i, 'owner']);
    orgs.ref(o.owned, ['ownerships', i, 'owned']);
    collect(ownershipIssues(o), ['ownerships', i]);
  });
  incidents.forEach((x, i) => collect(incidentIssues(x), ['incidents', i]));
  const followUps = new Map<string, string[]>();
  directives.forEach((d, i) => {
    orgs.ref(d.issuer, ['directives', i, 'issuer']);
    dirs.ref(d.followsUp, ['directives', i, 'followsUp']);
    collect(directiveIssues(d), ['directives', i]);
    if (typeof d.code === 'string' && typeof d.followsUp === 'string' && d.followsUp !== d.code)
      followUps.set(d.code, [d.followsUp]);
  });
  for (const cycle of findCycles(followUps)) {
    const first = dirs.seen.get(cycle[0]!);
    add([...(first ?? []), 'followsUp'], 'validation.follows_up_cycle', {
      cycle: [...cycle, cycle[0]].join(' → '),
    });
  }
  systems.forEach((s, i) => orgs.ref(s.owner, ['systems', i, 'owner']));

  const dependencyEdges = new Map<string, string[]>();
  measures.forEach((m, i) => {
    const p: Path = ['measures', i];
    orgs.ref(m.organization, [...p, 'organization']);
    for (const [k, code] of strings(m.answers)) items.ref(code, [...p, 'answers', k]);
    for (const [k, code] of strings(m.concerns)) orgs.ref(code, [...p, 'concerns', k]);
    list(m.milestones).forEach((ms, j) => {
      const mp: Path = [...p, 'milestones', j];
      const deps = strings(ms.dependsOn);
      if (typeof ms.code === 'string')
        dependencyEdges.set(
          ms.code,
          deps.map(([, c]) => c),
        );
      for (const [k, code] of deps) {
        miles.ref(code, [...mp, 'dependsOn', k]);
        if (code === ms.code) add([...mp, 'dependsOn', k], 'validation.self_reference', { code });
      }
      collect(milestoneIssues(ms), mp);
    });
    list(m.verifications).forEach((v, j) => {
      meas.ref(v.followUpMeasure, [...p, 'verifications', j, 'followUpMeasure']);
      collect(verificationIssues(v), [...p, 'verifications', j]);
    });
    const gate = list(m.verifications).map((v) => ({
      code: str(v.code) ?? '',
      performedOn: date(v.performedOn),
      result: str(v.result),
      attached: Array.isArray(v.attachments) ? v.attachments.length : 0,
    }));
    const closing = closingIssue(m.status, gate, str(m.code) ?? '');
    if (closing) add([...p, ...closing.path], closing.key, closing.params);
  });
  for (const cycle of findCycles(dependencyEdges)) {
    if (cycle.length < 2) continue; // a self-dependency is reported above
    const first = miles.seen.get(cycle[0]!);
    add([...(first ?? []), 'dependsOn'], 'validation.dependency_cycle', {
      cycle: [...cycle, cycle[0]].join(' → '),
    });
  }

  access.forEach((a, i) => {
    const p: Path = ['access', i];
    orgs.ref(a.organization, [...p, 'organization']);
    sys.ref(a.system, [...p, 'system']);
    miles.ref(a.untilMilestone, [...p, 'untilMilestone']);
    collect(accessIssues(a), p);
  });
  links.forEach((l, i) => {
    const p: Path = ['links', i];
    sys.ref(l.system, [...p, 'system']);
    sys.ref(l.reaches, [...p, 'reaches']);
    miles.ref(l.untilMilestone, [...p, 'untilMilestone']);
    collect(linkIssues(l), p);
  });
  relationships.forEach((r, i) => {
    const p: Path = ['relationships', i];
    orgs.ref(r.customer, [...p, 'customer']);
    orgs.ref(r.provider, [...p, 'provider']);
    collect(relationshipIssues(r), p);
    for (const [k, code] of strings(r.systems)) sys.ref(code, [...p, 'systems', k]);
    for (const [k, code] of strings(r.measures)) meas.ref(code, [...p, 'measures', k]);
    const decisions = list(r.decisions);
    decisions.forEach((d, k) => collect(decisionIssues(d, decisions[k - 1]), [...p, 'decisions', k]));
  });
  return issues;
}

/** `later` must not be before `earlier` (both only when they are dates; the schema reports the rest). */
function order(earlier: unknown, later: unknown, path: Path, earlierField: string): CheckedIssue[] {
  const a = date(earlier);
  const b = date(later);
  return a !== undefined && b !== undefined && b < a
    ? [{ path, key: 'validation.date_before', params: { field: earlierField, date: a } }]
    : [];
}

/** Checks of one record by itself, shared by the file import and the API; paths relative to the record. */
export const ownershipIssues = (o: { owner?: unknown; owned?: unknown }): CheckedIssue[] =>
  str(o.owner) !== undefined && o.owner === o.owned
    ? [{ path: ['owned'], key: 'validation.self_reference', params: { code: o.owned } }]
    : [];

export const incidentIssues = (x: {
  accessFrom?: unknown;
  accessUntil?: unknown;
  detectedOn?: unknown;
  containedOn?: unknown;
}) => [
  ...order(x.accessFrom, x.accessUntil, ['accessUntil'], 'accessFrom'),
  ...order(x.detectedOn, x.containedOn, ['containedOn'], 'detectedOn'),
];

export const directiveIssues = (d: {
  code?: unknown;
  followsUp?: unknown;
  issuedOn?: unknown;
  reportDue?: unknown;
}) => [
  ...(str(d.followsUp) !== undefined && d.followsUp === d.code
    ? [{ path: ['followsUp'], key: 'validation.self_reference', params: { code: d.code } }]
    : []),
  ...order(d.issuedOn, d.reportDue, ['reportDue'], 'issuedOn'),
];

export const accessIssues = (a: { from?: unknown; until?: unknown }) =>
  order(a.from, a.until, ['until'], 'from');

export const linkIssues = (l: {
  system?: unknown;
  reaches?: unknown;
  from?: unknown;
  until?: unknown;
}): CheckedIssue[] => [
  ...(str(l.system) !== undefined && l.system === l.reaches
    ? [{ path: ['reaches'], key: 'validation.self_reference', params: { code: l.reaches } }]
    : []),
  ...order(l.from, l.until, ['until'], 'from'),
];

export const relationshipIssues = (r: { customer?: unknown; provider?: unknown }): CheckedIssue[] =>
  str(r.customer) !== undefined && r.customer === r.provider
    ? [{ path: ['provider'], key: 'validation.self_reference', params: { code: r.provider } }]
    : [];

/** Codes used twice among one record's children (milestones of a measure, items of a directive). */
export function duplicateCodes(
  kind: string,
  codes: ReadonlyArray<{ code?: unknown }>,
  listPath: Path,
): CheckedIssue[] {
  const seen = new Set<string>();
  const out: CheckedIssue[] = [];
  codes.forEach((c, i) => {
    if (typeof c.code !== 'string') return;
    if (seen.has(c.code))
      out.push({
        path: [...listPath, i, 'code'],
        key: 'validation.duplicate_in_record',
        params: { kind, code: c.code },
      });
    seen.add(c.code);
  });
  return out;
}

/** Checks of one measure with its milestones and verifications, as the API receives it. */
export function measureIssues(m: {
  milestones: ReadonlyArray<{
    code: string;
    dependsOn: readonly string[];
    committedOn?: unknown;
    planned?: unknown;
    replans?: unknown;
  }>;
  verifications: ReadonlyArray<{ code: string; result?: unknown; performedOn?: unknown }>;
}): CheckedIssue[] {
  return [
    ...duplicateCodes('milestone', m.milestones, ['milestones']),
    ...duplicateCodes('verification', m.verifications, ['verifications']),
    ...m.milestones.flatMap((ms, j) => [
      ...milestoneIssues(ms).map((i) => ({ ...i, path: ['milestones', j, ...i.path] })),
      ...ms.dependsOn.flatMap((code, k) =>
        code === ms.code
          ? [{ path: ['milestones', j, 'dependsOn', k], key: 'validation.self_reference', params: { code } }]
          : [],
      ),
    ]),
    ...m.verifications.flatMap((v, j) =>
      verificationIssues(v).map((i) => ({ ...i, path: ['verifications', j, ...i.path] })),
    ),
  ];
}

/** Item codes used twice within one directive's (or one item's) tree. */
export function itemTreeIssues(items: unknown, path: Path = ['items']): CheckedIssue[] {
  const seen = new Set<string>();
  const out: CheckedIssue[] = [];
  const walk = (value: unknown, at: Path) =>
    list(value).forEach((item, i) => {
      if (typeof item.code === 'string') {
        if (seen.has(item.code))
          out.push({
            path: [...at, i, 'code'],
            key: 'validation.duplicate_in_record',
            params: { kind: 'directive item', code: item.code },
          });
        seen.add(item.code);
      }
      walk(item.items, [...at, i, 'items']);
    });
  walk(items, path);
  return out;
}

/** Problems in one milestone's re-plan history; paths are relative to the milestone. */
export function milestoneIssues(ms: {
  committedOn?: unknown;
  planned?: unknown;
  replans?: unknown;
  replanRequests?: unknown;
}): CheckedIssue[] {
  const out: CheckedIssue[] = [];
  const committedOn = date(ms.committedOn);
  const replans = list(ms.replans);
  let previousTo: string | null | undefined;
  replans.forEach((r, k) => {
    const on = date(r.on);
    const prevOn = date(replans[k - 1]?.on);
    if (on !== undefined && committedOn !== undefined && on < committedOn)
      out.push({
        path: ['replans', k, 'on'],
        key: 'validation.date_before',
        params: { field: 'committedOn', date: committedOn },
      });
    if (on !== undefined && prevOn !== undefined && on < prevOn)
      out.push({ path: ['replans', k, 'on'], key: 'validation.history_order', params: { previous: prevOn } });
    const from = nullableDate(r.from);
    const to = nullableDate(r.to);
    if (previousTo !== undefined && from !== undefined && from !== previousTo)
      out.push({
        path: ['replans', k, 'from'],
        key: 'validation.replan_chain',
        params: { expected: previousTo ?? 'null' },
      });
    if (from !== undefined && from === to)
      out.push({ path: ['replans', k, 'to'], key: 'validation.replan_no_change' });
    previousTo = to;
  });
  const planned = ms.planned === undefined ? null : nullableDate(ms.planned);
  if (previousTo !== undefined && planned !== undefined && previousTo !== planned)
    out.push({
      path: ['planned'],
      key: 'validation.replan_planned',
      params: { expected: previousTo ?? 'null' },
    });
  // One re-plan at a time waits for approval.
  list(ms.replanRequests).forEach((r, k, all) => {
    if (r.status === 'pending' && all.findIndex((x) => x.status === 'pending') !== k)
      out.push({ path: ['replanRequests', k, 'status'], key: 'validation.one_pending_replan' });
  });
  return out;
}

/** A date, null, or undefined when the value is neither (the schema reports that). */
function nullableDate(value: unknown): string | null | undefined {
  return value === null ? null : date(value);
}

/**
 * Problems in one outsourcing decision, given the one before it. A decision to reduce or
 * terminate without a target date is allowed here (a program may state the policy before it has
 * the date); the readiness lint's decision-undated rule reports it.
 */
export function decisionIssues(d: { on?: unknown }, previous?: { on?: unknown }): CheckedIssue[] {
  const on = date(d.on);
  const prevOn = date(previous?.on);
  return on !== undefined && prevOn !== undefined && on < prevOn
    ? [{ path: ['on'], key: 'validation.history_order', params: { previous: prevOn } }]
    : [];
}

/** Problems in one verification: a result needs the date the check was performed. */
export function verificationIssues(v: { result?: unknown; performedOn?: unknown }): CheckedIssue[] {
  return v.result != null && v.performedOn == null
    ? [{ path: ['performedOn'], key: 'validation.result_needs_date' }]
    : [];
}

function pathText(path: Path): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
}
