/** Programs: listing, reading records by kind, the plan as it stood on a given day, and program edits. */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { EntityKind, ProgramSnapshot } from '../db/program-reader.ts';
import { databaseResolver } from '../db/resolver.ts';
import type { DB } from '../db/schema.ts';
import { allows } from '../domain/access.ts';
import { compareCodes } from '../domain/codes.ts';
import type { CalendarDate } from '../domain/dates.ts';
import { notFound, staleVersion } from '../domain/errors.ts';
import { lintSettingsSchema } from '../domain/lint/config.ts';
import { type DirectiveItemInput, programInfoSchema } from '../domain/program-file/schema.ts';
import { baselineOf, decisionAsOf, plannedAsOf, slippageDays } from '../domain/schedule.ts';
import { requirePermission, requireWriteRole } from './authorize.ts';
import { applyPatch, parsePatch, requireProgram, snapshotOf } from './common.ts';
import { type Reader, type ServiceContext, write } from './context.ts';

export interface ProgramSummary {
  id: string;
  code: string;
  name: string;
  nameJa: string | null;
  timeZone: string;
  regulatedOrganization: string | null;
  version: number;
  counts: { directives: number; measures: number; milestones: number; relationships: number };
}

/** The programs whose records the actor may see (every program for an admin). */
export async function listPrograms(reader: Reader): Promise<ProgramSummary[]> {
  const rows = await programSummaryQuery(reader.db).orderBy('p.code').execute();
  // Those whose records the reader may see (a regulator sees only submitted reports: none are listed here).
  return rows.filter((r) => allows(reader.actor.principal, 'program.shared', r.code)).map(toSummary);
}

export async function getProgram(reader: Reader, code: string): Promise<ProgramSummary> {
  requirePermission(reader, 'program.shared', code);
  const row = await programSummaryQuery(reader.db).where('p.code', '=', code).executeTakeFirst();
  if (!row) throw notFound('program', code);
  return toSummary(row);
}

function programSummaryQuery(db: Kysely<DB>) {
  const count = (table: 'directives' | 'measures' | 'milestones' | 'outsourcing_relationships') =>
    sql<number>`(select count(*) from ${sql.table(table)} t where t.program_id = p.id)`;
  return db
    .selectFrom('programs as p')
    .leftJoin('organizations as o', 'o.id', 'p.regulated_org_id')
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.name_ja',
      'p.time_zone',
      'p.version',
      'o.code as regulated',
      count('directives').as('directives'),
      count('measures').as('measures'),
      count('milestones').as('milestones'),
      count('outsourcing_relationships').as('relationships'),
    ]);
}

function toSummary(r: {
  id: string;
  code: string;
  name: string;
  name_ja: string | null;
  time_zone: string;
  version: number;
  regulated: string | null;
  directives: number;
  measures: number;
  milestones: number;
  relationships: number;
}): ProgramSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameJa: r.name_ja,
    timeZone: r.time_zone,
    regulatedOrganization: r.regulated,
    version: r.version,
    counts: {
      directives: Number(r.directives),
      measures: Number(r.measures),
      milestones: Number(r.milestones),
      relationships: Number(r.relationships),
    },
  };
}

const programPatchSchema = programInfoSchema.extend({ lint: lintSettingsSchema });

/** Edits the program's own fields (name, time zone, regulated organization, lint settings…). */
export async function updateProgram(ctx: ServiceContext, code: string, input: unknown) {
  requireWriteRole(ctx, 'program', code);
  const { version, fields } = parsePatch(programPatchSchema, input, [
    'name',
    'nameJa',
    'description',
    'timeZone',
    'regulatedOrganization',
    'lint',
  ]);
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, code);
    if (Object.keys(fields).length === 0) {
      // Nothing to change: say whether the caller's version is current, write nothing.
      if (program.version !== version) throw staleVersion('program', code, version);
      return { id: program.id, code, version };
    }
    const stored = 'lint' in fields ? { ...fields, lint: JSON.stringify(fields.lint ?? {}) } : fields;
    const next = await applyPatch(
      trx,
      'program',
      { id: program.id, code },
      version,
      stored,
      {
        name: { column: 'name' },
        nameJa: { column: 'name_ja' },
        description: { column: 'description' },
        timeZone: { column: 'time_zone' },
        regulatedOrganization: { column: 'regulated_org_id', ref: 'organization' },
        publicName: { column: 'public_name' },
        publicNameJa: { column: 'public_name_ja' },
        disclosureCadenceMonths: { column: 'disclosure_cadence_months' },
        lint: { column: 'lint_config' },
      },
      databaseResolver(trx, program.id),
    );
    audit({
      action: 'program.updated',
      entityType: 'program',
      entityId: program.id,
      entityCode: code,
      programId: program.id,
      payload: { fromVersion: version, fields },
    });
    return { id: program.id, code, version: next };
  });
}

/** The kinds of record the API lists, with the plural used in URLs. */
export const RECORD_KINDS = {
  organizations: 'organization',
  incidents: 'incident',
  directives: 'directive',
  items: 'item',
  measures: 'measure',
  milestones: 'milestone',
  verifications: 'verification',
  systems: 'system',
  access: 'access',
  links: 'link',
  relationships: 'relationship',
} as const satisfies Record<string, EntityKind>;

export type RecordCollection = keyof typeof RECORD_KINDS;
type ApiRecord = Record<string, unknown> & { code: string; id: string; version: number };

/** The collections a contractor sees its share of; the others are the program office's. */
const SHARED: ReadonlySet<RecordCollection> = new Set([
  'organizations',
  'systems',
  'access',
  'relationships',
]);
const permissionFor = (collection: RecordCollection) =>
  SHARED.has(collection) ? 'program.shared' : 'program.read';

/** Every record of one kind, in the shape of the program file plus id, version and derived fields. */
export async function listRecords(
  reader: Reader,
  programCode: string,
  collection: RecordCollection,
): Promise<ApiRecord[]> {
  const snapshot = await snapshotOf(reader, programCode, permissionFor(collection));
  return recordsOf(snapshot, collection);
}

export async function getRecord(
  reader: Reader,
  programCode: string,
  collection: RecordCollection,
  code: string,
): Promise<ApiRecord> {
  const snapshot = await snapshotOf(reader, programCode, permissionFor(collection));
  const found = recordsOf(snapshot, collection).find((r) => r.code === code);
  if (!found) throw notFound(RECORD_KINDS[collection], code);
  return found;
}

function recordsOf(snapshot: ProgramSnapshot, collection: RecordCollection): ApiRecord[] {
  const kind = RECORD_KINDS[collection];
  const f = snapshot.file;
  const withMeta = <T extends { code: string }>(r: T, extra: Record<string, unknown> = {}): ApiRecord => ({
    ...snapshot.meta.get(`${kind}:${r.code}`)!,
    ...r,
    ...extra,
  });
  switch (collection) {
    case 'organizations':
      return f.organizations.map((r) => withMeta(r));
    case 'incidents':
      return f.incidents.map((r) => withMeta(r));
    case 'directives':
      return f.directives.map((r) => withMeta(r));
    case 'items':
      return f.directives.flatMap((d) => {
        const rows: ApiRecord[] = [];
        const walk = (items: DirectiveItemInput[], parent: string | null) =>
          items.forEach((i) => {
            rows.push(
              withMeta({
                code: i.code,
                directive: d.code,
                parent,
                ...(i.label !== undefined ? { label: i.label } : {}),
                text: i.text,
                ...(i.textJa !== undefined ? { textJa: i.textJa } : {}),
              }),
            );
            walk(i.items, i.code);
          });
        walk(d.items, null);
        return rows;
      });
    case 'measures':
      return f.measures.map((m) =>
        withMeta(m, {
          milestones: m.milestones.map((ms) => ms.code),
          verifications: m.verifications.map((v) => v.code),
        }),
      );
    case 'milestones':
      return f.measures
        .flatMap((m) => m.milestones.map((ms) => ({ ms, measure: m.code })))
        .map(({ ms, measure }) =>
          withMeta(ms, { measure, baseline: baselineOf(ms), slippageDays: slippageDays(ms) }),
        );
    case 'verifications':
      return f.measures.flatMap((m) => m.verifications.map((v) => withMeta(v, { measure: m.code })));
    case 'systems':
      return f.systems.map((r) => withMeta(r));
    case 'access':
      return f.access.map((r) => withMeta(r));
    case 'links':
      return f.links.map((r) => withMeta(r));
    case 'relationships':
      return f.relationships.map((r) => withMeta(r, { current: r.decisions.at(-1) ?? null }));
  }
}

export interface PlanAsOf {
  program: string;
  asOf: CalendarDate;
  milestones: Array<{
    code: string;
    measure: string;
    title: string;
    planned: CalendarDate | null;
    actual?: CalendarDate;
  }>;
  relationships: Array<{
    code: string;
    title: string;
    decision: string;
    targetDate: CalendarDate | null;
    decidedOn: CalendarDate | null;
  }>;
}

/**
 * The plan as it stood at the end of `asOf`: the milestones committed by then with the planned
 * date then in force (and the actual date if already reached), and each relationship's decision then.
 */
export async function planAsOf(reader: Reader, programCode: string, asOf: CalendarDate): Promise<PlanAsOf> {
  const { file } = await snapshotOf(reader, programCode);
  const milestones: PlanAsOf['milestones'] = [];
  for (const m of file.measures) {
    for (const ms of m.milestones) {
      const planned = plannedAsOf(ms, asOf);
      if (planned === undefined) continue;
      milestones.push({
        code: ms.code,
        measure: m.code,
        title: ms.title,
        planned,
        ...(ms.actual !== undefined && ms.actual <= asOf ? { actual: ms.actual } : {}),
      });
    }
  }
  milestones.sort((a, b) => compareCodes(a.code, b.code));
  const relationships = file.relationships.map((r) => {
    const d = decisionAsOf(r.decisions, asOf);
    return {
      code: r.code,
      title: r.title,
      decision: d?.decision ?? 'undecided',
      targetDate: d?.targetDate ?? null,
      decidedOn: d?.on ?? null,
    };
  });
  return { program: file.program.code, asOf, milestones, relationships };
}
