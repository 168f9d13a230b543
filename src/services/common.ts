/** Helpers shared by the use cases: finding a program and a record, and applying a versioned patch. */
import { z } from 'zod';
import { programFromLog } from '../db/audit-log.ts';
import { readProgramCached } from '../db/program-cache.ts';
import type { EntityKind, ProgramSnapshot } from '../db/program-reader.ts';
import type { Resolver, Trx } from '../db/program-writer.ts';
import { databaseResolver, findByCode, TABLE_OF } from '../db/resolver.ts';
import { updateVersioned } from '../db/versioned.ts';
import { contractorOrganizations, contractorShare, readsWholeProgram } from '../domain/access.ts';
import { AppError, formatPath, notFound, staleVersion, validationFailed } from '../domain/errors.ts';
import type { CheckedIssue } from '../domain/program-file/check.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { authorizeWrite, requirePermission, requireWriteRole } from './authorize.ts';
import { type Audit, type AuditEntry, type ServiceContext, validate, write } from './context.ts';

/**
 * Finds a program inside a write and locks its row until the transaction ends: writes to one
 * program take turns, so checks that span records (dependency cycles, positions in a list) cannot
 * race each other. A program office's write volume makes this cheap.
 */
export async function requireProgram(
  trx: Trx,
  code: string,
): Promise<{ id: string; version: number; time_zone: string }> {
  const row = await trx
    .selectFrom('programs')
    .select(['id', 'version', 'time_zone'])
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('program', code);
  return row;
}

export async function requireRecord(
  trx: Trx,
  kind: EntityKind,
  programId: string,
  code: string,
): Promise<{ id: string; version: number }> {
  const row = await findByCode(trx, kind, programId, code);
  if (!row) throw notFound(kind, code);
  return row;
}

export const versionSchema = z
  .number({ error: 'validation.version_required' })
  .int()
  .min(1)
  .max(2_147_483_647);

/** A field that may be absent from a record (and so may be cleared with null in a patch). */
const isOptionalField = (field: z.ZodType) => (field as { def: { type: string } }).def.type === 'optional';

/**
 * Validates a patch against the record's schema, keeping only the fields the caller sent
 * (so defaults never overwrite what was not mentioned), plus the version it read. An optional
 * field sent as null is cleared.
 */
export function parsePatch<S extends z.ZodObject>(
  schema: S,
  input: unknown,
  editable: ReadonlyArray<keyof z.output<S> & string>,
): { version: number; fields: Partial<z.output<S>> } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new AppError('validation', 'errors.validation', { count: 1 }, [
      { path: '', key: 'validation.not_json' },
    ]);
  }
  const raw = input as Record<string, unknown>;
  const shape = Object.fromEntries(
    editable.map((k) => {
      const field = schema.shape[k] as z.ZodType;
      return [k, isOptionalField(field) ? field.nullable() : field.optional()];
    }),
  );
  const patchSchema = z.strictObject({ ...shape, version: versionSchema });
  const sent = Object.keys(raw);
  const parsed = validate(patchSchema, raw) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of sent) if (key !== 'version') fields[key] = parsed[key];
  return { version: parsed.version as number, fields: fields as Partial<z.output<S>> };
}

/** How one API field maps to a column; `ref` fields hold a code resolved to an id; `cleared` is what null stores. */
export type ColumnMap = Record<string, { column: string; ref?: EntityKind; cleared?: unknown }>;

/** Applies the scalar fields of a patch to a row, checking the version; returns the new version. */
export async function applyPatch(
  trx: Trx,
  kind: EntityKind | 'program',
  row: { id: string; code: string },
  version: number,
  fields: Record<string, unknown>,
  columns: ColumnMap,
  resolve: Resolver,
): Promise<number> {
  const set: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const spec = columns[field];
    if (!spec) continue;
    if (spec.ref && typeof value === 'string') set[spec.column] = await resolve(spec.ref, value, field);
    else set[spec.column] = value ?? spec.cleared ?? null;
  }
  const table = kind === 'program' ? 'programs' : TABLE_OF[kind];
  const next = await updateVersioned(trx, table, row.id, version, set);
  if (next === undefined) throw staleVersion(kind, row.code, version);
  return next;
}

export interface Written {
  id: string;
  code?: string;
  version: number;
}

/** Creates one coded record of a program: validate, insert, audit — in one transaction. */
export async function createRecord<S extends z.ZodType<{ code: string }>>(
  ctx: ServiceContext,
  kind: EntityKind,
  programCode: string,
  schema: S,
  input: unknown,
  insert: (
    trx: Trx,
    programId: string,
    value: z.output<S>,
    resolve: Resolver,
    audit: Audit,
  ) => Promise<string>,
  /** Context recorded with the audit event, such as the parent a child record was added to. */
  context: Record<string, unknown> = {},
  /** Checks of the record by itself (dates in order, no self-reference, codes unique within it). */
  check: (value: z.output<S>) => CheckedIssue[] = () => [],
): Promise<Written> {
  requireWriteRole(ctx, kind, programCode);
  const value = validate(schema, input);
  rejectIssues([...check(value), ...attachmentsGiven(value)], '');
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    await authorizeWrite(
      trx,
      ctx,
      { id: program.id, code: programCode },
      {
        kind,
        value: value as Record<string, unknown>,
        parent: context,
      },
    );
    const later: AuditEntry[] = [];
    const id = await insert(trx, program.id, value, databaseResolver(trx, program.id), (e) => later.push(e));
    audit({
      action: `${kind}.created`,
      entityType: kind,
      entityId: id,
      entityCode: value.code,
      programId: program.id,
      payload: { ...context, ...(value as Record<string, unknown>) },
    });
    for (const e of later) audit(e);
    return { id, code: value.code, version: 1 };
  });
}

export interface UpdateSpec<S extends z.ZodObject> {
  kind: EntityKind;
  schema: S;
  columns: ColumnMap;
  /** Fields kept in link tables, set after the row itself: field → setter. */
  links?: Record<
    string,
    (trx: Trx, rowId: string, value: never, resolve: Resolver, programId: string) => Promise<void>
  >;
  /**
   * Runs after the change, in its transaction: a check across stored and patched fields, or a
   * change that follows from it (audited after the update itself).
   */
  after?: (trx: Trx, rowId: string, audit: Audit, programId: string) => Promise<void>;
}

/** Updates one coded record from a patch that names the version it read. */
export async function updateRecord<S extends z.ZodObject>(
  ctx: ServiceContext,
  spec: UpdateSpec<S>,
  programCode: string,
  code: string,
  input: unknown,
): Promise<Written> {
  const editable = [...Object.keys(spec.columns), ...Object.keys(spec.links ?? {})] as Array<
    keyof z.output<S> & string
  >;
  requireWriteRole(ctx, spec.kind, programCode);
  const { version, fields } = parsePatch(spec.schema, input, editable);
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const row = await requireRecord(trx, spec.kind, program.id, code);
    await authorizeWrite(
      trx,
      ctx,
      { id: program.id, code: programCode },
      {
        kind: spec.kind,
        rowId: row.id,
        value: fields as Record<string, unknown>,
      },
    );
    if (Object.keys(fields).length === 0) {
      // Nothing to change: say whether the caller's version is current, write nothing.
      if (row.version !== version) throw staleVersion(spec.kind, code, version);
      return { id: row.id, code, version };
    }
    const resolve = databaseResolver(trx, program.id);
    const next = await applyPatch(
      trx,
      spec.kind,
      { id: row.id, code },
      version,
      fields,
      spec.columns,
      resolve,
    );
    for (const [field, setLinks] of Object.entries(spec.links ?? {})) {
      const value = (fields as Record<string, unknown>)[field];
      if (value !== undefined) await setLinks(trx, row.id, value as never, resolve, program.id);
    }
    const later: AuditEntry[] = [];
    await spec.after?.(trx, row.id, (e) => later.push(e), program.id);
    audit({
      action: `${spec.kind}.updated`,
      entityType: spec.kind,
      entityId: row.id,
      entityCode: code,
      programId: program.id,
      payload: { fromVersion: version, fields },
    });
    for (const e of later) audit(e);
    return { id: row.id, code, version: next };
  });
}

/**
 * Files of evidence are attached by uploading them (attachEvidence), never by naming them in a
 * record's fields: a record created through the API or a form that lists attachments is refused.
 */
function attachmentsGiven(value: unknown): CheckedIssue[] {
  const out: CheckedIssue[] = [];
  const look = (v: unknown, path: Array<string | number>) => {
    if (v === null || typeof v !== 'object') return;
    const r = v as Record<string, unknown>;
    if (Array.isArray(r.attachments) && r.attachments.length > 0)
      out.push({ path: [...path, 'attachments'], key: 'validation.attachments_by_upload' });
    for (const nested of ['milestones', 'verifications'])
      if (Array.isArray(r[nested])) r[nested].forEach((x, i) => look(x, [...path, nested, i]));
  };
  look(value, []);
  return out;
}

/** Column maps for the provenance fields most records carry. */
export const PROVENANCE_COLUMNS: ColumnMap = {
  source: { column: 'source' },
  // Clearing the flag (null in a patch) means "not illustrative": the column holds no unknown.
  illustrative: { column: 'illustrative', cleared: false },
};

/** Next free position in an ordered child list. */
export async function nextPosition(
  trx: Trx,
  table: 'ownerships' | 'secondary_damage_reports' | 'milestones' | 'verifications' | 'directive_items',
  where: {
    column: 'program_id' | 'incident_id' | 'measure_id' | 'parent_id' | 'directive_id';
    value: string | null;
  },
): Promise<number> {
  let q = trx.selectFrom(table as 'milestones').select((eb) => eb.fn.max('position').as('max'));
  q =
    where.value === null
      ? q.where(where.column as 'measure_id', 'is', null)
      : q.where(where.column as 'measure_id', '=', where.value);
  const row = await q.executeTakeFirst();
  return (row?.max ?? -1) + 1;
}

/** Throws one validation error for domain-check issues, their paths under `prefix`. */
export function rejectIssues(issues: CheckedIssue[], prefix: string): void {
  if (issues.length === 0) return;
  throw validationFailed(
    issues.map((i) => {
      const rel = formatPath(i.path);
      return {
        ...i,
        path: prefix && rel ? `${prefix}${rel.startsWith('[') ? '' : '.'}${rel}` : prefix || rel,
      };
    }),
  );
}

/**
 * The program as its file shape (one consistent read), as much of it as the actor may see: the
 * whole program for `program.read`; with `program.shared`, a contractor sees its organization's
 * share only. Refused before the program is looked up, so a code one may not read says nothing.
 */
export async function snapshotOf(
  ctx: Pick<ServiceContext, 'db' | 'actor'>,
  programCode: string,
  permission: 'program.read' | 'program.shared' = 'program.read',
): Promise<ProgramSnapshot> {
  requirePermission(ctx, permission, programCode);
  const snapshot = await readProgramCached(ctx.db, programCode);
  if (!snapshot) throw notFound('program', programCode);
  return { ...snapshot, file: visiblePart(ctx, programCode, snapshot.file) };
}

/** As much of a program as the actor may see (the whole, or a contractor's share). */
function visiblePart(
  ctx: Pick<ServiceContext, 'actor'>,
  programCode: string,
  file: ProgramFile,
): ProgramFile {
  if (readsWholeProgram(ctx.actor.principal, programCode)) return file;
  return contractorShare(file, contractorOrganizations(ctx.actor.principal, programCode));
}

/**
 * The program as a file: as the tables hold it now, or, given an instant, as the audit log's
 * events up to that instant rebuild it (time travel: what the tool held then, not what is now
 * known about then). `seq` is the last event that went into a rebuilt one.
 */
export async function programFileAt(
  ctx: Pick<ServiceContext, 'db' | 'actor'>,
  programCode: string,
  at: Date | undefined,
  permission: 'program.read' | 'program.shared' = 'program.read',
): Promise<{ file: ProgramFile; seq?: number }> {
  if (!at) return { file: (await snapshotOf(ctx, programCode, permission)).file };
  requirePermission(ctx, permission, programCode);
  const rebuilt = await programFromLog(ctx.db, programCode, at);
  if (!rebuilt)
    throw new AppError('not_found', 'errors.program_not_yet', { code: programCode, at: at.toISOString() });
  return { file: visiblePart(ctx, programCode, rebuilt.file), seq: rebuilt.seq };
}
