/**
 * A report's way to the regulator: draft → in review → approved → submitted.
 *
 * - A draft is computed live from the program (a preview).
 * - Sending it for review freezes its model: what is approved is what is sent.
 * - Approval needs a second person: neither the author nor the one who sent it for review.
 * - Submitting renders every format in Japanese and English from the frozen model, stores the files
 *   with their SHA-256 and the audit log's latest signed checkpoint, and logs the hashes. From then
 *   on nothing can change it: the services refuse, and a trigger refuses any other path.
 * - A regulator sees submitted reports only, and records findings on them (report-finding.service.ts).
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { allows } from '../domain/access.ts';
import { AppError, notFound, staleVersion } from '../domain/errors.ts';
import { dateSchema } from '../domain/program-file/schema.ts';
import { LANGUAGES, type Language } from '../i18n/index.ts';
import type { ReportModel } from '../reports/model.ts';
import { MEDIA_TYPES, REPORT_FORMATS, type ReportFormat, renderReport } from '../reports/render.ts';
import { checkpointNow, latestCheckpoint } from './audit-log.service.ts';
import { requirePermission } from './authorize.ts';
import { requireProgram } from './common.ts';
import { type Reader, type ServiceContext, validate, write } from './context.ts';
import { sha256Of } from './evidence-store.ts';
import type { LogSigner } from './log-key.ts';
import { reportModelOf } from './report.service.ts';
import { activeReportTemplate, layoutTemplate } from './report-template.service.ts';

export type ReportStatus = 'draft' | 'in_review' | 'approved' | 'submitted';

export interface ReportSummary {
  id: string;
  program: string;
  directive: string;
  asOf: string;
  status: ReportStatus;
  version: number;
  createdBy: string;
  createdAt: string;
  reviewedBy: string | null;
  approvedBy: string | null;
  submittedBy: string | null;
  submittedAt: string | null;
  checkpoint: { size: number; note: string } | null;
  files: Array<{ format: string; lang: string; sha256: string; size: number }>;
  /**
   * The program's template version its DOCX is laid out with (null: the built-in layout): for a
   * draft the one in use now; from review on the one frozen with its content.
   */
  template: { version: number; sha256: string } | null;
}

const createSchema = z.strictObject({
  directive: z.string().min(1).max(64),
  asOf: dateSchema,
});
const stepSchema = z.strictObject({ version: z.number().int().min(1).max(2_147_483_647) });

/** The SHA-256 of a model as canonical JSON (RFC 8785): what the review froze and the approval approves. */
const modelHash = (model: unknown) => createHash('sha256').update(canonicalize(model)!).digest('hex');

/** The frozen model must still be the one its hash was taken of. */
function assertFrozen(row: { id: string; model: unknown; model_sha256: string | null }) {
  if (row.model === null || row.model_sha256 === null || modelHash(row.model) !== row.model_sha256)
    throw new AppError('conflict', 'errors.report_model_changed', { id: row.id });
}

/** The instant of a step: the context's clock (a replayed history) or now. */
const nowOf = (ctx: ServiceContext) => ctx.clock?.() ?? new Date();
export const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const uuidOk = (id: string) => z.uuid().safeParse(id).success;

/** Whether the principal sees a report in this state: a regulator only submitted ones. */
function mayRead(ctx: Reader, program: string, status: ReportStatus): boolean {
  if (allows(ctx.actor.principal, 'program.read', program)) return true;
  return status === 'submitted' && allows(ctx.actor.principal, 'report.read', program);
}

/** A report's row, if the reader may see it in its state; else not found. */
export async function loadReportRow(ctx: Reader, program: string, id: string) {
  requirePermission(ctx, 'report.read', program);
  if (!uuidOk(id)) throw notFound('report', id.slice(0, 80));
  const row = await ctx.db
    .selectFrom('reports')
    .selectAll()
    .where('program_code', '=', program)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || !mayRead(ctx, program, row.status)) throw notFound('report', id);
  return row;
}

async function summaryOf(
  ctx: Reader,
  row: Awaited<ReturnType<typeof loadReportRow>>,
): Promise<ReportSummary> {
  const files = await ctx.db
    .selectFrom('report_files')
    .select(['format', 'lang', 'sha256', 'size'])
    .where('report_id', '=', row.id)
    .orderBy('format')
    .orderBy('lang')
    .execute();
  return {
    id: row.id,
    program: row.program_code,
    directive: row.directive_code,
    asOf: row.as_of,
    status: row.status,
    version: row.version,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    reviewedBy: row.reviewed_by,
    approvedBy: row.approved_by,
    submittedBy: row.submitted_by,
    submittedAt: iso(row.submitted_at),
    checkpoint:
      row.checkpoint_size === null
        ? null
        : { size: Number(row.checkpoint_size), note: row.checkpoint_note ?? '' },
    files: files.map((f) => ({ ...f, size: Number(f.size) })),
    template:
      row.status === 'draft'
        ? await activeReportTemplate(ctx, row.program_code)
        : row.template_version === null
          ? null
          : { version: row.template_version, sha256: row.template_sha256 ?? '' },
  };
}

export async function listReports(reader: Reader, program: string): Promise<ReportSummary[]> {
  requirePermission(reader, 'report.read', program);
  const rows = await reader.db
    .selectFrom('reports')
    .selectAll()
    .where('program_code', '=', program)
    .orderBy('as_of', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  const visible = rows.filter((r) => mayRead(reader, program, r.status));
  return Promise.all(visible.map((r) => summaryOf(reader, r)));
}

export async function getReport(
  reader: Reader,
  program: string,
  id: string,
): Promise<ReportSummary & { model: ReportModel }> {
  const row = await loadReportRow(reader, program, id);
  // A draft is a live preview; from review on, the frozen model.
  const model =
    row.status === 'draft'
      ? await reportModelOf(reader, program, row.directive_code, { asOf: row.as_of })
      : (row.model as ReportModel);
  return { ...(await summaryOf(reader, row)), model };
}

export async function createReport(ctx: ServiceContext, program: string, input: unknown) {
  requirePermission(ctx, 'report.write', program);
  const r = validate(createSchema, input);
  // The directive must exist and be issued by the report's day: the model says so, or refuses.
  await reportModelOf(ctx, program, r.directive, { asOf: r.asOf });
  return write(ctx, async (trx, audit) => {
    const programId = (await requireProgram(trx, program)).id;
    const { id } = await trx
      .insertInto('reports')
      .values({ program_code: program, directive_code: r.directive, as_of: r.asOf, created_by: ctx.actor.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({
      action: 'report.created',
      entityType: 'report',
      entityId: id,
      entityCode: r.directive,
      programId,
      payload: { directive: r.directive, asOf: r.asOf },
    });
    return { id, version: 1 };
  });
}

/** Moves a report from one state to the next, with the row's version checked. */
async function step(
  ctx: ServiceContext,
  program: string,
  id: string,
  input: unknown,
  move: {
    action: string;
    from: readonly ReportStatus[];
    to: ReportStatus;
    set: (row: Awaited<ReturnType<typeof loadReportRow>>) => Promise<Record<string, unknown>>;
    payload?: Record<string, unknown>;
  },
) {
  requirePermission(ctx, 'report.write', program);
  const { version } = validate(stepSchema, input);
  const row = await loadReportRow(ctx, program, id);
  if (!move.from.includes(row.status))
    throw new AppError('conflict', 'errors.report_state', { id, status: row.status, action: move.action });
  // The step applies to the row as read; the update below holds it to that version, so nothing
  // that happens in between (a return, a new review) can slip under it.
  if (row.version !== version) throw staleVersion('report', id, version);
  const values = await move.set(row);
  return write(ctx, async (trx, audit) => {
    const programId = (await requireProgram(trx, program)).id;
    const updated = await trx
      .updateTable('reports')
      .set({ ...values, status: move.to, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', 'in', [...move.from])
      .returning('version')
      .executeTakeFirst();
    if (!updated) throw staleVersion('report', id, version);
    audit({
      action: move.action,
      entityType: 'report',
      entityId: id,
      entityCode: row.directive_code,
      programId,
      payload: {
        from: row.status,
        to: move.to,
        ...(typeof values.model_sha256 === 'string' ? { model: values.model_sha256 } : {}),
        ...(move.to === 'approved' ? { model: row.model_sha256 } : {}),
        ...(move.to === 'in_review'
          ? {
              template:
                values.template_version === null
                  ? null
                  : { version: values.template_version, sha256: values.template_sha256 },
            }
          : {}),
        ...(move.payload ?? {}),
      },
    });
    return { id, status: move.to, version: updated.version };
  });
}

export const sendReportForReview = (ctx: ServiceContext, program: string, id: string, input: unknown) =>
  step(ctx, program, id, input, {
    action: 'report.sent_for_review',
    from: ['draft'],
    to: 'in_review',
    set: async (row) => {
      const model = await reportModelOf(ctx, program, row.directive_code, { asOf: row.as_of });
      // The layout is frozen with the content: what is approved is laid out as it will be sent.
      const template = await activeReportTemplate(ctx, program);
      return {
        model: JSON.stringify(model),
        model_sha256: modelHash(model),
        template_version: template?.version ?? null,
        template_sha256: template?.sha256 ?? null,
        reviewed_by: ctx.actor.id,
        reviewed_at: nowOf(ctx),
      };
    },
  });

export const returnReportToDraft = (ctx: ServiceContext, program: string, id: string, input: unknown) =>
  step(ctx, program, id, input, {
    action: 'report.returned',
    from: ['in_review', 'approved'],
    to: 'draft',
    set: async () => ({
      model: null,
      model_sha256: null,
      reviewed_by: null,
      reviewed_at: null,
      approved_by: null,
      approved_at: null,
      template_version: null,
      template_sha256: null,
    }),
  });

export const approveReport = (ctx: ServiceContext, program: string, id: string, input: unknown) => {
  requirePermission(ctx, 'report.approve', program);
  return step(ctx, program, id, input, {
    action: 'report.approved',
    from: ['in_review'],
    to: 'approved',
    set: async (row) => {
      if (ctx.actor.id === row.created_by || ctx.actor.id === row.reviewed_by)
        throw new AppError('forbidden', 'errors.report_second_person', { id });
      assertFrozen(row);
      return { approved_by: ctx.actor.id, approved_at: nowOf(ctx) };
    },
  });
};

/**
 * Submits an approved report: every format in both languages rendered from the frozen model,
 * stored with its hash, and the latest signed checkpoint of the audit log (signed now, when a
 * signer is at hand) kept with it.
 */
export async function submitReport(
  ctx: ServiceContext,
  program: string,
  id: string,
  input: unknown,
  signer?: LogSigner,
) {
  requirePermission(ctx, 'report.write', program);
  const { version } = validate(stepSchema, input);
  const row = await loadReportRow(ctx, program, id);
  if (row.status !== 'approved')
    throw new AppError('conflict', 'errors.report_state', {
      id,
      status: row.status,
      action: 'report.submitted',
    });
  if (row.version !== version) throw staleVersion('report', id, version);
  assertFrozen(row);
  const model = row.model as ReportModel;
  const submittedAt = nowOf(ctx);
  // The DOCX is laid out with the template version frozen at review (kept for good), or the built-in layout.
  const template = await layoutTemplate(ctx, program, row.template_version);
  const files: Array<{ format: ReportFormat; lang: Language; bytes: Buffer }> = [];
  for (const format of REPORT_FORMATS)
    for (const lang of LANGUAGES)
      files.push({
        format,
        lang,
        bytes: await renderReport(model, format, { lang, generatedAt: submittedAt, template }),
      });
  if (signer) await checkpointNow(ctx.db, signer);
  const checkpoint = await latestCheckpoint(ctx.db);
  return write(ctx, async (trx, audit) => {
    const programId = (await requireProgram(trx, program)).id;
    const hashes = files.map((f) => ({
      format: f.format,
      lang: f.lang,
      sha256: sha256Of(f.bytes),
      size: f.bytes.length,
    }));
    // Held until commit: a second submit, or a return, waits here and then finds the report moved on.
    const locked = await trx
      .selectFrom('reports')
      .select(['version', 'status'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked || locked.version !== version || locked.status !== 'approved')
      throw staleVersion('report', id, version);
    // The files first: once the report is submitted, the database takes none.
    await trx
      .insertInto('report_files')
      .values(
        files.map((f, i) => ({
          report_id: id,
          format: f.format,
          lang: f.lang,
          sha256: hashes[i]!.sha256,
          size: f.bytes.length,
          media_type: MEDIA_TYPES[f.format],
          bytes: f.bytes,
        })),
      )
      .execute();
    const updated = await trx
      .updateTable('reports')
      .set({
        status: 'submitted',
        submitted_by: ctx.actor.id,
        submitted_at: submittedAt,
        checkpoint_size: checkpoint?.size ?? null,
        checkpoint_note: checkpoint?.note ?? null,
        version: version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'approved')
      .returning('version')
      .executeTakeFirst();
    if (!updated) throw staleVersion('report', id, version);
    audit({
      action: 'report.submitted',
      entityType: 'report',
      entityId: id,
      entityCode: row.directive_code,
      programId,
      payload: {
        asOf: row.as_of,
        model: row.model_sha256,
        files: hashes,
        checkpoint: checkpoint?.size ?? null,
        template:
          row.template_version === null
            ? null
            : { version: row.template_version, sha256: row.template_sha256 },
      },
    });
    return { id, status: 'submitted' as const, version: updated.version, files: hashes };
  });
}

/** A submitted report's file, re-hashed against the recorded SHA-256 on the way out. */
export async function reportFile(reader: Reader, program: string, id: string, format: string, lang: string) {
  const row = await loadReportRow(reader, program, id);
  if (row.status !== 'submitted') throw notFound('report file', `${format}/${lang}`);
  const file = await reader.db
    .selectFrom('report_files')
    .selectAll()
    .where('report_id', '=', id)
    .where('format', '=', format)
    .where('lang', '=', lang)
    .executeTakeFirst();
  if (!file) throw notFound('report file', `${format}/${lang}`.slice(0, 80));
  const bytes = Buffer.from(file.bytes);
  if (sha256Of(bytes) !== file.sha256)
    throw new AppError('conflict', 'errors.evidence_altered', { sha: file.sha256 });
  return { bytes, mediaType: file.media_type, sha256: file.sha256, format, lang };
}
