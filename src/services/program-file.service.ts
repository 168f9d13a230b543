/**
 * Program files: a whole program as text. `importProgram` is all or nothing: the text is checked
 * entirely first (every problem reported at once, with line, column and field path), then written
 * in one transaction. `exportProgram` writes the program back so that a re-import gives the same
 * program.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { EntityKind } from '../db/program-reader.ts';
import {
  insertAccess,
  insertDirective,
  insertIncident,
  insertLink,
  insertMeasure,
  insertMilestone,
  insertOrganization,
  insertOwnership,
  insertProgram,
  insertRelationship,
  insertSystem,
  insertVerification,
  RowBuffer,
  setMilestoneDependencies,
  setRegulatedOrganization,
  type Trx,
} from '../db/program-writer.ts';
import { mapResolver } from '../db/resolver.ts';
import { allows } from '../domain/access.ts';
import { AppError, validationFailed } from '../domain/errors.ts';
import { parseProgramText } from '../domain/program-file/parse.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { requirePermission } from './authorize.ts';
import { programFileAt } from './common.ts';
import { type Reader, type ServiceContext, write } from './context.ts';
import type { EvidenceStore } from './evidence-store.ts';
import {
  attachListed,
  listedAttachments,
  unprovenAttachments,
  unstoredAttachments,
} from './import-attachments.ts';
import { unapprovedReplans } from './import-replans.ts';

export interface ImportOptions {
  /** Replace a program with the same code instead of refusing. */
  replace?: boolean;
  /**
   * A step of a replayed history: the program as known at the end of `asOf`, written into the
   * log at that day's instant; `recordedAt` is when the replay really ran.
   */
  history?: { asOf: string; recordedAt: string };
  /**
   * The evidence store, to check that each file the program lists as attached is held there. A file
   * listing attachments cannot be imported without it.
   */
  evidence?: Pick<EvidenceStore, 'sizeOf'>;
  /** What the text was, when not a program file (an OSCAL POA&M): recorded in the audit event. */
  origin?: 'oscal-poam';
}

export interface ImportResult {
  programId: string;
  code: string;
  replaced: boolean;
  counts: Record<string, number>;
}

/** Imports program text (YAML or JSON). Throws a validation error listing every problem. */
export async function importProgramText(
  ctx: ServiceContext,
  text: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const parsed = parseProgramText(text);
  if (!parsed.ok) throw validationFailed(parsed.issues);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return importProgram(ctx, parsed.file, { ...options, sha256 });
}

export async function importProgram(
  ctx: ServiceContext,
  file: ProgramFile,
  options: ImportOptions & { sha256?: string } = {},
): Promise<ImportResult> {
  // Replacing a program is a program manager's; bringing in a new one, an admin's.
  if (!allows(ctx.actor.principal, 'program.write', file.program.code)) requirePermission(ctx, 'admin');
  const listed = listedAttachments(file);
  const unstored = unstoredAttachments(listed, options.evidence);
  if (unstored.length > 0) throw validationFailed(unstored);
  return write(ctx, async (trx, audit) => {
    const existing = await trx
      .selectFrom('programs')
      .select('id')
      .where('code', '=', file.program.code)
      .executeTakeFirst();
    if (!existing) requirePermission(ctx, 'admin');
    if (existing && !options.replace) {
      throw new AppError('conflict', 'errors.program_exists', { code: file.program.code });
    }
    const unproven = [
      ...(await unprovenAttachments(trx, ctx, listed, existing?.id)),
      ...(await unapprovedReplans(trx, ctx, file, existing?.id)),
    ];
    if (unproven.length > 0) throw validationFailed(unproven);
    if (existing) await trx.deleteFrom('programs').where('id', '=', existing.id).execute();
    const programId = await writeProgram(trx, file);
    const counts = countRecords(file);
    audit({
      action: existing ? 'program.replaced' : 'program.imported',
      entityType: 'program',
      entityId: programId,
      entityCode: file.program.code,
      programId,
      payload: {
        counts,
        ...(options.sha256 ? { sha256: options.sha256 } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
        ...(options.history ? { history: options.history } : {}),
        ...(existing ? { replacedId: existing.id } : {}),
      },
    });
    // After the program's own event, which ends the replaced program's attachments in the log.
    await attachListed(trx, programId, listed, audit);
    return { programId, code: file.program.code, replaced: Boolean(existing), counts };
  });
}

/**
 * Writes a whole program in a few multi-row statements: the records go into a buffer (their ids
 * made as they are read, so references resolve from memory), then into the tables in order.
 */
async function writeProgram(trx: Trx, file: ProgramFile): Promise<string> {
  const out = new RowBuffer();
  const maps = new Map<EntityKind, Map<string, string>>();
  const remember = (kind: EntityKind, code: string, id: string) => {
    const m = maps.get(kind) ?? new Map<string, string>();
    maps.set(kind, m);
    m.set(code, id);
  };
  const resolve = mapResolver(maps);

  const programId = await insertProgram(out, file.program, file.lint, file.tiering);
  for (const o of file.organizations)
    remember('organization', o.code, await insertOrganization(out, programId, o));
  const regulated = await resolve(
    'organization',
    file.program.regulatedOrganization,
    'program.regulatedOrganization',
  );
  for (const [i, o] of file.ownerships.entries())
    await insertOwnership(out, programId, o, i, resolve, `ownerships[${i}]`);
  for (const x of file.incidents) remember('incident', x.code, await insertIncident(out, programId, x));
  // A directive may follow up one that comes later in the file: insert in dependency order.
  for (const [i, d] of orderDirectives(file.directives)) {
    const { id, items } = await insertDirective(out, programId, d, resolve, `directives[${i}]`);
    remember('directive', d.code, id);
    for (const [code, itemId] of items) remember('item', code, itemId);
  }
  for (const [i, s] of file.systems.entries())
    remember('system', s.code, await insertSystem(out, programId, s, resolve, `systems[${i}]`));
  for (const [i, m] of file.measures.entries())
    remember('measure', m.code, await insertMeasure(out, programId, m, resolve, `measures[${i}]`));
  for (const [i, m] of file.measures.entries()) {
    const measureId = maps.get('measure')!.get(m.code)!;
    for (const [j, ms] of m.milestones.entries())
      remember('milestone', ms.code, await insertMilestone(out, programId, measureId, ms, j));
    for (const [j, v] of m.verifications.entries())
      await insertVerification(
        out,
        programId,
        measureId,
        v,
        j,
        resolve,
        `measures[${i}].verifications[${j}]`,
      );
  }
  for (const [i, m] of file.measures.entries())
    for (const [j, ms] of m.milestones.entries())
      if (ms.dependsOn.length > 0)
        await setMilestoneDependencies(
          out,
          maps.get('milestone')!.get(ms.code)!,
          ms.dependsOn,
          resolve,
          `measures[${i}].milestones[${j}].dependsOn`,
        );
  for (const [i, a] of file.access.entries()) await insertAccess(out, programId, a, resolve, `access[${i}]`);
  for (const [i, l] of file.links.entries()) await insertLink(out, programId, l, resolve, `links[${i}]`);
  for (const [i, r] of file.relationships.entries())
    await insertRelationship(out, programId, r, resolve, `relationships[${i}]`);
  await out.flush(trx);
  await setRegulatedOrganization(trx, programId, regulated);
  return programId;
}

function orderDirectives(
  list: ProgramFile['directives'],
): Array<[number, ProgramFile['directives'][number]]> {
  const byCode = new Map(list.map((d, i) => [d.code, i] as const));
  const done = new Set<string>();
  const out: Array<[number, ProgramFile['directives'][number]]> = [];
  const visit = (i: number, depth: number) => {
    const d = list[i]!;
    if (done.has(d.code) || depth > list.length) return;
    const dep = d.followsUp === undefined ? undefined : byCode.get(d.followsUp);
    if (dep !== undefined && dep !== i) visit(dep, depth + 1);
    if (!done.has(d.code)) {
      done.add(d.code);
      out.push([i, d]);
    }
  };
  list.forEach((_, i) => visit(i, 0));
  return out;
}

function countRecords(file: ProgramFile): Record<string, number> {
  const countItems = (items: ProgramFile['directives'][number]['items']): number =>
    items.reduce((n, i) => n + 1 + countItems(i.items), 0);
  return {
    organizations: file.organizations.length,
    ownerships: file.ownerships.length,
    incidents: file.incidents.length,
    directives: file.directives.length,
    directiveItems: file.directives.reduce((n, d) => n + countItems(d.items), 0),
    systems: file.systems.length,
    measures: file.measures.length,
    milestones: file.measures.reduce((n, m) => n + m.milestones.length, 0),
    replans: file.measures.reduce((n, m) => n + m.milestones.reduce((k, ms) => k + ms.replans.length, 0), 0),
    verifications: file.measures.reduce((n, m) => n + m.verifications.length, 0),
    access: file.access.length,
    links: file.links.length,
    relationships: file.relationships.length,
  };
}

export type ExportFormat = 'yaml' | 'json';

/** The program as a program file: as it is now, or as the audit log held it at an instant. */
export async function exportProgram(ctx: Reader, code: string, at?: Date): Promise<ProgramFile> {
  return (await programFileAt(ctx, code, at)).file;
}

/** Renders a program file as text, deterministically: the same program always gives the same bytes. */
export function renderProgramFile(file: ProgramFile, format: ExportFormat): string {
  const clean = prune(file);
  if (format === 'json') return `${JSON.stringify(clean, null, 2)}\n`;
  return `# Oversight program file (format ${file.oversight}); schema: schema/program.schema.json\n${stringify(
    clean,
    {
      lineWidth: 0,
      aliasDuplicateObjects: false,
    },
  )}`;
}

/** Drops undefined fields and empty lists, so exports stay short and stable. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      out[k] = prune(v);
    }
    return out;
  }
  return value;
}
