/**
 * A program's own report layout: versions of its DOCX template and its own cover text per
 * directive (docs/report-templates.md).
 *
 * - Uploading checks the file (a Word document, every tag a placeholder of the vocabulary) and
 *   keeps it as the next version, with its SHA-256, file name, size and placeholders, and puts it
 *   in use. Versions are never changed or deleted (a trigger refuses it), so a report laid out with
 *   one can be laid out with it again.
 * - Putting an earlier version back in use, going back to the built-in layout, and editing a cover
 *   text are changes like any other: the program's managers make them (`report.write`), through
 *   `write()`, with an audit event in the same transaction naming the version and its SHA-256 — so
 *   the audit log is the template's history.
 * - Which version lays out a report: a draft, the one in use; from review on, the one frozen with
 *   the report's content (report-workflow.service.ts), which a submitted report keeps.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Trx } from '../db/program-writer.ts';
import { AppError, notFound, staleVersion } from '../domain/errors.ts';
import { codeSchema } from '../domain/program-file/schema.ts';
import { checkTemplate } from '../reports/docx-template.ts';
import type { ReportCover } from '../reports/model.ts';
import { requirePermission } from './authorize.ts';
import { requireProgram, requireRecord } from './common.ts';
import { type Reader, type ServiceContext, validate, write } from './context.ts';
import { sha256Of } from './evidence-store.ts';

export interface TemplateVersion {
  version: number;
  sha256: string;
  filename: string;
  size: number;
  placeholders: string[];
  by: string;
  at: string;
}

export interface CoverText {
  directive: string;
  en: string | null;
  ja: string | null;
  version: number;
  by: string;
  at: string;
}

export interface ReportLayout {
  /** The version in use; null for the built-in layout. */
  active: number | null;
  /** The version of the setting, for a change to name (0 before the first). */
  version: number;
  /** Newest first. */
  versions: TemplateVersion[];
  covers: CoverText[];
}

const MAX_COVER = 5_000;
const coverText = z
  .string()
  .max(MAX_COVER)
  .nullable()
  .optional()
  .transform((s) =>
    s === undefined || s === null || s.trim() === '' ? null : s.replace(/\r\n?/g, '\n').trim(),
  );
const coverSchema = z.strictObject({
  en: coverText,
  ja: coverText,
  version: z
    .number()
    .int()
    .min(0)
    .max(2_147_483_647)
    .describe('The version read; 0 for a directive without cover text'),
});
const activateSchema = z.strictObject({
  template: z.number().int().min(1).max(2_147_483_647).describe('The template version to use'),
  version: z.number().int().min(0).max(2_147_483_647).describe('The version of the setting read'),
});
const builtInSchema = z.strictObject({ version: activateSchema.shape.version });
const nameSchema = z.string().max(10_000);

const iso = (d: Date | string) => new Date(d).toISOString();
const AUDITED = { entityType: 'report_template', entityCode: 'report-template' } as const;

/** The versions, the one in use and the cover texts of a program. */
export async function reportLayoutOf(reader: Reader, program: string): Promise<ReportLayout> {
  requirePermission(reader, 'program.read', program);
  const [settings, versions, covers] = await Promise.all([
    reader.db
      .selectFrom('report_template_settings')
      .select(['active_version', 'version'])
      .where('program_code', '=', program)
      .executeTakeFirst(),
    reader.db
      .selectFrom('report_templates')
      .select(['template_version', 'sha256', 'filename', 'size', 'placeholders', 'created_by', 'created_at'])
      .where('program_code', '=', program)
      .orderBy('template_version', 'desc')
      .execute(),
    reader.db
      .selectFrom('report_covers')
      .selectAll()
      .where('program_code', '=', program)
      .orderBy('directive_code')
      .execute(),
  ]);
  return {
    active: settings?.active_version ?? null,
    version: settings?.version ?? 0,
    versions: versions.map((v) => ({
      version: v.template_version,
      sha256: v.sha256,
      filename: v.filename,
      size: Number(v.size),
      placeholders: v.placeholders as string[],
      by: v.created_by,
      at: iso(v.created_at),
    })),
    covers: covers.map((c) => ({
      directive: c.directive_code,
      en: c.text_en,
      ja: c.text_ja,
      version: c.version,
      by: c.updated_by,
      at: iso(c.updated_at),
    })),
  };
}

/** Sets the version in use (null: the built-in layout), holding the setting to the version read. */
async function setActive(
  trx: Trx,
  ctx: ServiceContext,
  program: string,
  active: number | null,
  expected: number | undefined,
): Promise<number> {
  const row = await trx
    .selectFrom('report_template_settings')
    .select('version')
    .where('program_code', '=', program)
    .forUpdate()
    .executeTakeFirst();
  const current = row?.version ?? 0;
  if (expected !== undefined && expected !== current)
    throw staleVersion('report template', program, expected);
  await trx
    .insertInto('report_template_settings')
    .values({ program_code: program, active_version: active, updated_by: ctx.actor.id })
    .onConflict((oc) =>
      oc.column('program_code').doUpdateSet({
        active_version: active,
        version: sql`report_template_settings.version + 1`,
        updated_by: ctx.actor.id,
        updated_at: sql`now()`,
      }),
    )
    .execute();
  return current + 1;
}

/** A file name to keep: its last path segment, without control or format characters, at most 200 characters. */
const keptName = (name: string) =>
  [...(name.split(/[\\/]/).pop() ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '')].slice(0, 200).join('') ||
  'template.docx';

/** Checks and keeps a template as the program's next version, and puts it in use. Nothing is stored when it is refused. */
export async function uploadReportTemplate(
  ctx: ServiceContext,
  program: string,
  file: { name: string; bytes: Uint8Array } | undefined,
) {
  requirePermission(ctx, 'report.write', program);
  // The bytes are checked as a template, not walked as input (a validator would visit every byte).
  const f = {
    name: validate(nameSchema, file?.name ?? '', 'filename'),
    bytes: file?.bytes ?? new Uint8Array(),
  };
  const { placeholders } = checkTemplate(f.bytes);
  const hash = sha256Of(f.bytes);
  const filename = keptName(f.name);
  return write(ctx, async (trx, audit) => {
    const { id: programId } = await requireProgram(trx, program);
    const last = await trx
      .selectFrom('report_templates')
      .select((eb) => eb.fn.max('template_version').as('n'))
      .where('program_code', '=', program)
      .executeTakeFirst();
    const version = Number(last?.n ?? 0) + 1;
    await trx
      .insertInto('report_templates')
      .values({
        program_code: program,
        template_version: version,
        sha256: hash,
        filename,
        size: f.bytes.length,
        placeholders: JSON.stringify(placeholders),
        bytes: f.bytes,
        created_by: ctx.actor.id,
      })
      .execute();
    const settings = await setActive(trx, ctx, program, version, undefined);
    audit({
      action: 'report_template.uploaded',
      ...AUDITED,
      programId,
      payload: { version, sha256: hash, filename, size: f.bytes.length, placeholders, active: version },
    });
    return { version, sha256: hash, filename, size: f.bytes.length, placeholders, settings };
  });
}

/** Puts an earlier (or the latest) version back in use. */
export async function activateReportTemplate(ctx: ServiceContext, program: string, input: unknown) {
  requirePermission(ctx, 'report.write', program);
  const a = validate(activateSchema, input);
  return write(ctx, async (trx, audit) => {
    const { id: programId } = await requireProgram(trx, program);
    const row = await trx
      .selectFrom('report_templates')
      .select('sha256')
      .where('program_code', '=', program)
      .where('template_version', '=', a.template)
      .executeTakeFirst();
    if (!row) throw notFound('report template', `v${a.template}`);
    const settings = await setActive(trx, ctx, program, a.template, a.version);
    audit({
      action: 'report_template.activated',
      ...AUDITED,
      programId,
      payload: { version: a.template, sha256: row.sha256 },
    });
    return { active: a.template, version: settings };
  });
}

/** Goes back to the built-in layout; the versions stay, and any can be put back in use. */
export async function useBuiltInReportLayout(ctx: ServiceContext, program: string, input: unknown) {
  requirePermission(ctx, 'report.write', program);
  const a = validate(builtInSchema, input);
  return write(ctx, async (trx, audit) => {
    const { id: programId } = await requireProgram(trx, program);
    const before = await trx
      .selectFrom('report_template_settings')
      .select('active_version')
      .where('program_code', '=', program)
      .executeTakeFirst();
    const settings = await setActive(trx, ctx, program, null, a.version);
    audit({
      action: 'report_template.built_in',
      ...AUDITED,
      programId,
      payload: { version: null, previous: before?.active_version ?? null },
    });
    return { active: null, version: settings };
  });
}

/** Sets the cover text of the reports on a directive, in English and Japanese (an empty text clears it). */
export async function setReportCover(
  ctx: ServiceContext,
  program: string,
  directive: unknown,
  input: unknown,
) {
  requirePermission(ctx, 'report.write', program);
  const code = validate(codeSchema, directive, 'directive');
  const c = validate(coverSchema, input);
  return write(ctx, async (trx, audit) => {
    const { id: programId } = await requireProgram(trx, program);
    await requireRecord(trx, 'directive', programId, code);
    const row = await trx
      .selectFrom('report_covers')
      .select('version')
      .where('program_code', '=', program)
      .where('directive_code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    if ((row?.version ?? 0) !== c.version) throw staleVersion('cover text', code, c.version);
    const values = { text_en: c.en, text_ja: c.ja, updated_by: ctx.actor.id };
    if (row)
      await trx
        .updateTable('report_covers')
        .set({ ...values, version: c.version + 1, updated_at: sql`now()` })
        .where('program_code', '=', program)
        .where('directive_code', '=', code)
        .execute();
    else
      await trx
        .insertInto('report_covers')
        .values({ program_code: program, directive_code: code, ...values })
        .execute();
    audit({
      action: 'report_cover.set',
      entityType: 'report_cover',
      entityCode: code,
      programId,
      // The text itself: the log holds every cover text a report could have had.
      payload: { program, directive: code, en: c.en, ja: c.ja },
    });
    return { directive: code, version: c.version + 1 };
  });
}

/** A stored version's bytes, hashed again on the way out. */
async function templateBytes(reader: Reader, program: string, version: number) {
  const row = await reader.db
    .selectFrom('report_templates')
    .select(['bytes', 'sha256', 'filename'])
    .where('program_code', '=', program)
    .where('template_version', '=', version)
    .executeTakeFirst();
  if (!row) throw notFound('report template', `v${version}`);
  const bytes = Buffer.from(row.bytes);
  if (sha256Of(bytes) !== row.sha256) throw new AppError('conflict', 'errors.template_altered', { version });
  return { version, bytes, sha256: row.sha256, filename: row.filename };
}

/** A version of the program's template, to download. */
export async function readReportTemplate(reader: Reader, program: string, version: number) {
  requirePermission(reader, 'program.read', program);
  return templateBytes(reader, program, version);
}

/** The version in use, if any (for a draft, and to freeze with a report sent for review). */
export async function activeReportTemplate(
  reader: Reader,
  program: string,
): Promise<{ version: number; sha256: string } | null> {
  requirePermission(reader, 'report.read', program);
  const row = await reader.db
    .selectFrom('report_template_settings as s')
    .innerJoin('report_templates as t', (j) =>
      j.onRef('t.program_code', '=', 's.program_code').onRef('t.template_version', '=', 's.active_version'),
    )
    .select(['t.template_version', 't.sha256'])
    .where('s.program_code', '=', program)
    .executeTakeFirst();
  return row ? { version: row.template_version, sha256: row.sha256 } : null;
}

/**
 * The bytes a report's DOCX is laid out with: the given version (frozen with a report), the one
 * in use when `version` is undefined, none (the built-in layout) when it is null.
 */
export async function layoutTemplate(
  reader: Reader,
  program: string,
  version?: number | null,
): Promise<Uint8Array | undefined> {
  requirePermission(reader, 'report.read', program);
  const chosen = version === undefined ? (await activeReportTemplate(reader, program))?.version : version;
  return chosen === null || chosen === undefined
    ? undefined
    : (await templateBytes(reader, program, chosen)).bytes;
}

/**
 * The cover text of a program's reports on a directive: as it is, or — looking back to an instant —
 * as the audit log held it then (each change's event carries the text).
 */
export async function reportCoverOf(
  reader: Reader,
  program: string,
  directive: string,
  at?: Date,
): Promise<ReportCover | undefined> {
  if (!at) {
    const row = await reader.db
      .selectFrom('report_covers')
      .select(['text_en', 'text_ja'])
      .where('program_code', '=', program)
      .where('directive_code', '=', directive)
      .executeTakeFirst();
    return row && (row.text_en || row.text_ja) ? { en: row.text_en, ja: row.text_ja } : undefined;
  }
  const event = await reader.db
    .selectFrom('audit_events')
    .select('payload')
    .where('entity_type', '=', 'report_cover')
    .where('entity_code', '=', directive)
    .where(sql<boolean>`payload->>'program' = ${program}`)
    .where('occurred_at', '<=', at)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const p = event?.payload as { en?: string | null; ja?: string | null } | undefined;
  return p && (p.en || p.ja) ? { en: p.en ?? null, ja: p.ja ?? null } : undefined;
}
