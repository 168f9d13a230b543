/**
 * What an audit event says a record became, and how the events rebuild a program. A program is
 * made of units — the program's own fields, and each organization, incident, directive (with its
 * items), measure (with its milestones and checks), system, access edge, link and relationship
 * (with its decisions), and the list of ownerships. An event carries the whole unit it changed,
 * after the change; an import carries the whole program. Folding the events in order gives the
 * program as the tables should hold it.
 */
import canonicalize from 'canonicalize';
import type { ProgramFile } from './program-file/schema.ts';

export type UnitName =
  | 'program'
  | 'organizations'
  | 'ownerships'
  | 'incidents'
  | 'directives'
  | 'measures'
  | 'systems'
  | 'access'
  | 'links'
  | 'relationships';

/** The state an event records: one unit after the change, or the whole program. */
export type EventState =
  | { unit: 'file'; value: ProgramFile }
  | { unit: UnitName; code: string | null; value: unknown };

const COLLECTIONS = [
  'organizations',
  'incidents',
  'directives',
  'measures',
  'systems',
  'access',
  'links',
  'relationships',
] as const;
type Collection = (typeof COLLECTIONS)[number];

/** The unit an entity kind belongs to. */
const UNIT_OF: Record<string, UnitName> = {
  program: 'program',
  organization: 'organizations',
  ownership: 'ownerships',
  incident: 'incidents',
  directive: 'directives',
  item: 'directives',
  measure: 'measures',
  milestone: 'measures',
  verification: 'measures',
  system: 'systems',
  access: 'access',
  link: 'links',
  relationship: 'relationships',
};

const programUnit = (file: ProgramFile) => ({
  program: file.program,
  lint: file.lint,
  tiering: file.tiering,
});

/** The code of the top-level record that holds a nested one (a milestone's measure, an item's directive). */
function holderOf(file: ProgramFile, kind: string, code: string): string | undefined {
  if (kind === 'milestone') return file.measures.find((m) => m.milestones.some((x) => x.code === code))?.code;
  if (kind === 'verification')
    return file.measures.find((m) => m.verifications.some((x) => x.code === code))?.code;
  if (kind === 'item') {
    const has = (items: ProgramFile['directives'][number]['items']): boolean =>
      items.some((i) => i.code === code || has(i.items));
    return file.directives.find((d) => has(d.items))?.code;
  }
  return code;
}

/** The state of the unit an event about `kind`/`code` changed, read from the program after the change. */
export function stateOf(file: ProgramFile, kind: string, code: string | null): EventState | undefined {
  const unit = UNIT_OF[kind];
  if (!unit) return undefined;
  if (unit === 'program') return { unit, code: null, value: programUnit(file) };
  if (unit === 'ownerships') return { unit, code: null, value: file.ownerships };
  const holder = code === null ? undefined : holderOf(file, kind, code);
  if (holder === undefined) return undefined;
  const value = (file[unit] as Array<{ code: string }>).find((r) => r.code === holder) ?? null;
  return { unit, code: holder, value };
}

/** A program with one event's state applied (a new object; the input is left as it was). */
export function applyState(file: ProgramFile | undefined, state: EventState): ProgramFile | undefined {
  if (state.unit === 'file') return state.value;
  if (!file) return undefined;
  if (state.unit === 'program') return { ...file, ...(state.value as ReturnType<typeof programUnit>) };
  if (state.unit === 'ownerships') return { ...file, ownerships: state.value as ProgramFile['ownerships'] };
  const list = file[state.unit] as Array<{ code: string }>;
  const at = list.findIndex((r) => r.code === state.code);
  const next = [...list];
  if (state.value === null) {
    if (at >= 0) next.splice(at, 1);
  } else if (at >= 0) next[at] = state.value as { code: string };
  else next.push(state.value as { code: string });
  return { ...file, [state.unit]: next };
}

/** The units of a program by name (`measures/M-1`, `program`, `ownerships`), as canonical JSON, to compare. */
export function unitsOf(file: ProgramFile): Map<string, string> {
  const out = new Map<string, string>();
  out.set('program', canonicalize(programUnit(file))!);
  out.set('ownerships', canonicalize(file.ownerships)!);
  for (const c of COLLECTIONS as readonly Collection[])
    for (const r of file[c] as Array<{ code: string }>) out.set(`${c}/${r.code}`, canonicalize(r)!);
  return out;
}

/** The first unit in which two programs differ, or undefined when they hold the same. */
export function firstDifference(expected: ProgramFile, actual: ProgramFile): string | undefined {
  const a = unitsOf(expected);
  const b = unitsOf(actual);
  for (const [name, value] of a) if (b.get(name) !== value) return name;
  for (const name of b.keys()) if (!a.has(name)) return name;
  return undefined;
}
