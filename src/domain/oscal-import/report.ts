/**
 * The mapping report of an OSCAL import: what each element became, what Oversight had to supply
 * because the POA&M does not say it, and every element or field that was not mapped, with its JSON
 * pointer and why. Messages are i18n keys (`oscal.*`) with parameters, put in words where shown.
 *
 * Nothing is left out silently: the mapper marks each pointer it reads (`Usage`), and `leftovers`
 * walks the whole document and reports every part nobody read, at the highest level that was not
 * read at all (an observation as one entry, not its twelve fields).
 */
import { at } from './oscal-types.ts';

export interface ReportNote {
  key: string;
  params?: Record<string, unknown>;
}

export type MappedKind = 'organization' | 'directive' | 'item' | 'measure' | 'milestone';

export interface MappedEntry {
  /** JSON pointer of the OSCAL element. */
  path: string;
  became: MappedKind;
  code: string;
  title?: string;
  /** A measure's status. */
  status?: string;
  /** A milestone's planned and actual dates (null: not dated). */
  planned?: string | null;
  actual?: string;
  /** How a value was decided (a status, a date out of a range, a shortened title…). */
  notes: ReportNote[];
}

export interface SuppliedEntry {
  /** Where in the program file the value went, e.g. `program.timeZone`. */
  field: string;
  value: string;
  /** Why this value: an i18n key (`oscal.supplied.*`). */
  key: string;
  params?: Record<string, unknown>;
}

export interface UnmappedEntry {
  path: string;
  /** Why it was not mapped: an i18n key (`oscal.unmapped.*`). */
  key: string;
  params?: Record<string, unknown>;
}

export interface OscalImportReport {
  document: {
    uuid: string;
    title: string;
    version: string;
    oscalVersion: string;
    lastModified: string;
    /** Whether it is Oversight's own export (its system-id names an Oversight program). */
    fromOversight: boolean;
  };
  program: string;
  counts: {
    poamItems: number;
    risks: number;
    milestoneTasks: number;
    measures: number;
    milestones: number;
    items: number;
    organizations: number;
  };
  mapped: MappedEntry[];
  supplied: SuppliedEntry[];
  unmapped: UnmappedEntry[];
}

/** The pointers the mapper has read; a pointer read means all of it was taken care of. */
export class Usage {
  private readonly used = new Set<string>();
  private readonly touched = new Set<string>();

  use(...pointers: string[]): void {
    for (const p of pointers) {
      this.used.add(p);
      for (let q = p; q !== ''; ) {
        q = q.slice(0, q.lastIndexOf('/'));
        this.touched.add(q);
      }
    }
  }

  isUsed(pointer: string): boolean {
    return this.used.has(pointer);
  }

  /** Whether some part below `pointer` was read. */
  isTouched(pointer: string): boolean {
    return this.touched.has(pointer);
  }
}

/** Lists whose members are reported one by one when none of them was read. */
const ONE_BY_ONE = new Set([
  'observations',
  'risks',
  'poam-items',
  'resources',
  'parties',
  'roles',
  'responsible-parties',
  'tasks',
  'remediations',
  'props',
  'links',
  'components',
  'inventory-items',
  'dependencies',
  'revisions',
]);

/** Containers gone into even when nothing in them was read, so that their lists are reported one by one. */
const GO_INTO = new Set(['back-matter', 'local-definitions']);

/** Why each kind of element has no place in Oversight, by the name it has in OSCAL. */
const REASONS: Record<string, string> = {
  observations: 'oscal.unmapped.observation',
  'related-observations': 'oscal.unmapped.relatedObservations',
  characterizations: 'oscal.unmapped.characterizations',
  'mitigating-factors': 'oscal.unmapped.mitigatingFactors',
  'risk-log': 'oscal.unmapped.riskLog',
  origins: 'oscal.unmapped.origins',
  'threat-ids': 'oscal.unmapped.threatIds',
  components: 'oscal.unmapped.component',
  'inventory-items': 'oscal.unmapped.inventoryItem',
  resources: 'oscal.unmapped.resource',
  revisions: 'oscal.unmapped.revision',
  parties: 'oscal.unmapped.party',
  roles: 'oscal.unmapped.role',
  'responsible-parties': 'oscal.unmapped.responsibleParty',
  'import-ssp': 'oscal.unmapped.importSsp',
  tasks: 'oscal.unmapped.task',
  remediations: 'oscal.unmapped.remediation',
  start: 'oscal.unmapped.rangeStart',
  timing: 'oscal.unmapped.timing',
  props: 'oscal.unmapped.prop',
  links: 'oscal.unmapped.link',
  remarks: 'oscal.unmapped.remarks',
  deadline: 'oscal.unmapped.deadline',
  dependencies: 'oscal.unmapped.dependency',
  'required-assets': 'oscal.unmapped.requiredAssets',
  'related-risks': 'oscal.unmapped.relatedRisk',
};

/** A short, one-line name of an element for the report. */
function labelOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const text = [
    v.title,
    v.name,
    v['short-name'],
    v.id,
    v['role-id'],
    v.href,
    v['risk-uuid'],
    v['task-uuid'],
    v.description,
    v.uuid,
  ].find((x): x is string => typeof x === 'string' && x.trim() !== '');
  if (text === undefined) return undefined;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function entryOf(path: string, name: string, value: unknown): UnmappedEntry {
  const key = REASONS[name] ?? 'oscal.unmapped.field';
  const params: Record<string, unknown> = { field: name, title: labelOf(value) ?? '' };
  if (name === 'props' && value && typeof value === 'object') {
    const p = value as { name?: unknown; value?: unknown };
    params.name = p.name;
    params.value = p.value;
  }
  if (typeof value === 'string' || typeof value === 'number') params.value = value;
  if (name === 'tasks' && value && typeof value === 'object')
    params.type = (value as { type?: unknown }).type;
  if (name === 'remediations' && value && typeof value === 'object')
    params.lifecycle = (value as { lifecycle?: unknown }).lifecycle;
  return { path, key, params };
}

/** Every part of `document` that was not read, at the highest level that was not read at all. */
export function leftovers(document: unknown, usage: Usage): UnmappedEntry[] {
  const out: UnmappedEntry[] = [];
  const walk = (value: unknown, path: string, name: string) => {
    if (usage.isUsed(path)) return;
    const isList = Array.isArray(value);
    if (!usage.isTouched(path) && !GO_INTO.has(name)) {
      if (isList && ONE_BY_ONE.has(name))
        value.forEach((member, i) => {
          out.push(entryOf(at(path, i), name, member));
        });
      else out.push(entryOf(path, name, value));
      return;
    }
    if (isList) value.forEach((member, i) => walk(member, at(path, i), name));
    else if (value !== null && typeof value === 'object')
      for (const [key, member] of Object.entries(value)) walk(member, at(path, key), key);
  };
  walk(document, '', '');
  return out;
}
