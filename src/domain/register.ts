/**
 * The outsourcing register: one row per outsourcing relationship, with columns close to the EU
 * DORA register of information where they fit (docs/register.md gives the mapping). Rows are
 * derived from the program; an import reads the editable columns back, cell by cell.
 */
import { holdingsOf, influenceOver, regulatedGroup } from './control.ts';
import { isCalendarDate } from './dates.ts';
import type { FieldIssue } from './errors.ts';
import type { ProgramFile } from './program-file/schema.ts';
import { codeSchema } from './program-file/schema.ts';
import { DECISIONS, RELATIONSHIP_SCOPES } from './vocab.ts';

export const REGISTER_SHEET = 'Register';

export interface RegisterColumn {
  key: string;
  /** DORA register-of-information field it corresponds to, where one fits. */
  dora?: string;
  /** Derived from the rest of the program: exported, ignored on import. */
  derived?: boolean;
  /** Several codes, separated by "; ". */
  list?: boolean;
  date?: boolean;
  required?: boolean;
}

export const REGISTER_COLUMNS: readonly RegisterColumn[] = [
  { key: 'reference', dora: 'B_02.01.0010 contractual arrangement reference number', required: true },
  { key: 'title', dora: 'B_02.02.0060 type of ICT services (description)', required: true },
  { key: 'customer', dora: 'B_02.02.0020 entity making use of the services', required: true },
  { key: 'customerName', derived: true },
  { key: 'provider', dora: 'B_02.02.0030 identification code of the provider', required: true },
  { key: 'providerName', dora: 'B_05.01.0050 legal name of the provider', derived: true },
  { key: 'providerLei', dora: 'B_05.01.0010 LEI of the provider', derived: true },
  { key: 'providerCountry', dora: 'B_05.01.0080 country of the provider’s headquarters', derived: true },
  { key: 'providerParent', dora: 'B_05.01.0110 ultimate parent undertaking', derived: true },
  { key: 'subcontractors', dora: 'B_05.02 ICT service supply chain (rank 2)', derived: true, list: true },
  { key: 'scope', dora: 'B_02.02.0060 type of ICT services', required: true },
  { key: 'systems', dora: 'B_06.01 functions supported (as systems)', list: true },
  { key: 'dataClasses', dora: 'B_02.02.0140 data sensitiveness', derived: true, list: true },
  { key: 'criticality', dora: 'B_06.01.0050 criticality assessment', derived: true },
  { key: 'startedOn', dora: 'B_02.02.0070 start date of the arrangement', date: true },
  { key: 'decision', dora: 'B_07.01.0090 exit plan (reduce / terminate / maintain)', required: true },
  { key: 'decidedOn', date: true },
  { key: 'targetDate', dora: 'B_02.02.0080 end date of the arrangement', date: true },
  { key: 'reason', dora: 'B_07.01.0100 reason for termination' },
  { key: 'measures', list: true },
  { key: 'milestones', derived: true, list: true },
  { key: 'description' },
];

export type RegisterRow = Record<string, string>;

const CRITICALITY_ORDER = ['critical', 'high', 'medium', 'low'];

/** The register of a program: one row per relationship, in code order, every cell a string. */
export function registerRows(file: ProgramFile): RegisterRow[] {
  const orgs = new Map(file.organizations.map((o) => [o.code, o]));
  const systems = new Map(file.systems.map((s) => [s.code, s]));
  const measures = new Map(file.measures.map((m) => [m.code, m]));
  const holdings = holdingsOf(file);
  const group = regulatedGroup(file);
  const join = (list: readonly string[]) => list.join('; ');
  return file.relationships.map((r) => {
    const provider = orgs.get(r.provider);
    const controller = influenceOver(holdings, r.provider)
      .filter((i) => i.controls && !group.has(i.holder))
      .sort((a, b) => b.path.length - a.path.length)[0];
    const touched = r.systems.map((code) => systems.get(code)).filter((s) => s !== undefined);
    const current = r.decisions.at(-1);
    return {
      reference: r.code,
      title: r.title,
      customer: r.customer,
      customerName: orgs.get(r.customer)?.name ?? '',
      provider: r.provider,
      providerName: provider?.name ?? '',
      providerLei: provider?.lei ?? '',
      providerCountry: provider?.country ?? '',
      providerParent: controller?.holder ?? '',
      subcontractors: join(
        file.relationships.filter((s) => s.customer === r.provider).map((s) => s.provider),
      ),
      scope: r.scope,
      systems: join(r.systems),
      dataClasses: join([...new Set(touched.flatMap((s) => s.dataClasses))].sort()),
      criticality:
        touched
          .map((s) => s.criticality)
          .sort((a, b) => CRITICALITY_ORDER.indexOf(a) - CRITICALITY_ORDER.indexOf(b))[0] ?? '',
      startedOn: r.startedOn ?? '',
      decision: current?.decision ?? 'undecided',
      decidedOn: current?.on ?? '',
      targetDate: current?.targetDate ?? '',
      reason: current?.reason ?? '',
      measures: join(r.measures),
      milestones: join(
        r.measures.flatMap((code) => measures.get(code)?.milestones.map((ms) => ms.code) ?? []),
      ),
      description: r.description ?? '',
    };
  });
}

export interface RegisterEntry {
  /** 1-based row in the sheet. */
  row: number;
  reference: string;
  title: string;
  customer: string;
  provider: string;
  scope: (typeof RELATIONSHIP_SCOPES)[number];
  systems: string[];
  startedOn?: string;
  decision: (typeof DECISIONS)[number];
  decidedOn?: string;
  targetDate?: string;
  reason?: string;
  measures: string[];
  description?: string;
}

/** Where a cell is, as a spreadsheet names it: `Register!F7`. */
export function cellRef(column: number, row: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return `${REGISTER_SHEET}!${name}${row}`;
}

/**
 * Reads register rows from cell values (already strings), checking each editable cell. Issues carry
 * the cell reference as their path. `headerKeys[i]` is the column key of sheet column i+1.
 */
export function readRegisterRows(
  headerKeys: ReadonlyArray<string | undefined>,
  rows: ReadonlyArray<{ row: number; cells: ReadonlyArray<string> }>,
): { entries: RegisterEntry[]; issues: FieldIssue[]; cellOf: (key: string, row: number) => string } {
  const issues: FieldIssue[] = [];
  const columnOf = new Map<string, number>();
  headerKeys.forEach((k, i) => {
    if (k !== undefined) columnOf.set(k, i);
  });
  for (const c of REGISTER_COLUMNS)
    if (c.required && !columnOf.has(c.key))
      issues.push({ path: `${REGISTER_SHEET}!1`, key: 'register.missing_column', params: { column: c.key } });
  const cellOf = (key: string, row: number) => cellRef((columnOf.get(key) ?? 0) + 1, row);
  if (issues.length > 0) return { entries: [], issues, cellOf };

  const entries: RegisterEntry[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (key: string) => (cells[columnOf.get(key) ?? -1] ?? '').trim();
    const at = (key: string) => cellRef((columnOf.get(key) ?? 0) + 1, row);
    const problem = (key: string, message: string, params: Record<string, unknown> = {}) =>
      issues.push({ path: at(key), key: message, params: { ...params, input: JSON.stringify(cell(key)) } });
    const codes = (key: string) =>
      cell(key)
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    const date = (key: string) => {
      const v = cell(key);
      if (v === '') return undefined;
      if (!isCalendarDate(v)) problem(key, 'validation.not_a_date');
      return v;
    };
    for (const key of ['reference', 'title', 'customer', 'provider'])
      if (cell(key) === '') problem(key, 'validation.required');
    for (const key of ['reference', 'customer', 'provider'])
      if (cell(key) !== '' && !codeSchema.safeParse(cell(key)).success) problem(key, 'validation.code');
    for (const key of ['systems', 'measures'])
      for (const code of codes(key)) if (!codeSchema.safeParse(code).success) problem(key, 'validation.code');
    for (const [key, max] of [
      ['title', 500],
      ['reason', 5_000],
      ['description', 20_000],
    ] as const)
      if (cell(key).length > max) problem(key, 'validation.too_big', { maximum: max });
    const reference = cell('reference');
    if (reference !== '') {
      const first = seen.get(reference);
      if (first !== undefined) problem('reference', 'register.duplicate_reference', { first });
      else seen.set(reference, row);
    }
    const scope = cell('scope');
    if (!(RELATIONSHIP_SCOPES as readonly string[]).includes(scope))
      problem('scope', 'validation.invalid_value', { allowed: RELATIONSHIP_SCOPES.join(', ') });
    const decision = cell('decision') === '' ? 'undecided' : cell('decision');
    if (!(DECISIONS as readonly string[]).includes(decision))
      problem('decision', 'validation.invalid_value', { allowed: DECISIONS.join(', ') });
    const startedOn = date('startedOn');
    const decidedOn = date('decidedOn');
    const targetDate = date('targetDate');
    if (
      decidedOn !== undefined &&
      targetDate !== undefined &&
      isCalendarDate(decidedOn) &&
      isCalendarDate(targetDate) &&
      targetDate < decidedOn
    )
      problem('targetDate', 'validation.date_before', { field: 'decidedOn', date: decidedOn });
    entries.push({
      row,
      reference,
      title: cell('title'),
      customer: cell('customer'),
      provider: cell('provider'),
      scope: scope as RegisterEntry['scope'],
      systems: codes('systems'),
      ...(startedOn !== undefined ? { startedOn } : {}),
      decision: decision as RegisterEntry['decision'],
      ...(decidedOn !== undefined ? { decidedOn } : {}),
      ...(targetDate !== undefined ? { targetDate } : {}),
      ...(cell('reason') !== '' ? { reason: cell('reason') } : {}),
      measures: codes('measures'),
      ...(cell('description') !== '' ? { description: cell('description') } : {}),
    });
  }
  return { entries, issues, cellOf };
}

export const REGISTER_GROUPINGS = ['provider', 'decision', 'quarter'] as const;
export type RegisterGrouping = (typeof REGISTER_GROUPINGS)[number];

/** The quarter a calendar date falls in, `2025-Q4`. */
export const quarterOf = (date: string) => `${date.slice(0, 4)}-Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;

/** The register's rows grouped by provider, by decision, or by the quarter of their target date. */
export function groupRegister(
  rows: RegisterRow[],
  by: RegisterGrouping,
): Array<{ key: string; rows: RegisterRow[] }> {
  const keyOf = (r: RegisterRow) =>
    by === 'provider'
      ? r.provider!
      : by === 'decision'
        ? r.decision!
        : r.targetDate
          ? quarterOf(r.targetDate)
          : 'none';
  const groups = new Map<string, RegisterRow[]>();
  for (const r of rows) {
    const list = groups.get(keyOf(r));
    if (list) list.push(r);
    else groups.set(keyOf(r), [r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)))
    .map(([key, list]) => ({ key, rows: list }));
}

export interface RegisterChange {
  reference: string;
  provider: string;
  on: string;
  kind: 'started' | 'decided';
  from?: { decision: string; targetDate?: string | undefined } | undefined;
  to?: { decision: string; targetDate?: string | undefined; reason?: string | undefined } | undefined;
}

/** What changed in the register since a day (inclusive): relationships begun, decisions made. */
export function registerChanges(file: ProgramFile, since: string): RegisterChange[] {
  const changes: RegisterChange[] = [];
  for (const r of file.relationships) {
    if (r.startedOn !== undefined && r.startedOn >= since)
      changes.push({ reference: r.code, provider: r.provider, on: r.startedOn, kind: 'started' });
    r.decisions.forEach((d, i) => {
      if (d.on < since) return;
      const prev = r.decisions[i - 1];
      changes.push({
        reference: r.code,
        provider: r.provider,
        on: d.on,
        kind: 'decided',
        from: prev ? { decision: prev.decision, targetDate: prev.targetDate } : undefined,
        to: { decision: d.decision, targetDate: d.targetDate, reason: d.reason },
      });
    });
  }
  return changes.sort((a, b) => a.on.localeCompare(b.on) || a.reference.localeCompare(b.reference));
}
