/**
 * Public progress updates (disclosures): written in Japanese and English, approved by a second
 * person, then published — after which nothing changes them. A correction is a new update that
 * names the published one it corrects and says, in both languages, what changed; the public pages
 * show both. Publishing records the update's SHA-256 (RFC 8785 JSON of what is shown) in the audit
 * log, so anyone can check the text against a signed checkpoint.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { todayIn } from '../domain/dates.ts';
import { AppError, notFound, staleVersion } from '../domain/errors.ts';
import { requirePermission } from './authorize.ts';
import { requireProgram } from './common.ts';
import { type Reader, type ServiceContext, validate, write } from './context.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const draftSchema = z.strictObject({
  titleJa: text(300),
  titleEn: text(300),
  bodyJa: text(50_000),
  bodyEn: text(50_000),
});
const correctionSchema = draftSchema.extend({
  correctionNoteJa: text(2_000),
  correctionNoteEn: text(2_000),
});
const stepSchema = z.strictObject({ version: z.number().int().min(1).max(2_147_483_647) });

export interface Disclosure {
  id: string;
  program: string;
  number: number;
  status: 'draft' | 'approved' | 'published';
  version: number;
  titleJa: string;
  titleEn: string;
  bodyJa: string;
  bodyEn: string;
  corrects: { id: string; number: number } | null;
  correctionNoteJa: string | null;
  correctionNoteEn: string | null;
  createdBy: string;
  approvedBy: string | null;
  publishedAt: string | null;
  sha256: string | null;
}

type Row = Awaited<ReturnType<typeof rowsOf>>[number];

async function rowsOf(reader: Pick<Reader, 'db'>, program: string) {
  return reader.db
    .selectFrom('disclosures as d')
    .leftJoin('disclosures as c', 'c.id', 'd.corrects')
    .selectAll('d')
    .select('c.number as corrects_number')
    .where('d.program_code', '=', program)
    .orderBy('d.number', 'desc')
    .execute();
}

const viewOf = (r: Row): Disclosure => ({
  id: r.id,
  program: r.program_code,
  number: r.number,
  status: r.status,
  version: r.version,
  titleJa: r.title_ja,
  titleEn: r.title_en,
  bodyJa: r.body_ja,
  bodyEn: r.body_en,
  corrects: r.corrects ? { id: r.corrects, number: Number(r.corrects_number) } : null,
  correctionNoteJa: r.correction_note_ja,
  correctionNoteEn: r.correction_note_en,
  createdBy: r.created_by,
  approvedBy: r.approved_by,
  publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
  sha256: r.sha256,
});

/** What a published update shows, and therefore what its SHA-256 covers. */
export function publishedContent(d: Disclosure) {
  return {
    program: d.program,
    number: d.number,
    publishedAt: d.publishedAt,
    title: { ja: d.titleJa, en: d.titleEn },
    body: { ja: d.bodyJa, en: d.bodyEn },
    corrects: d.corrects?.number ?? null,
    correctionNote: d.corrects ? { ja: d.correctionNoteJa, en: d.correctionNoteEn } : null,
  };
}

export const contentHash = (d: Disclosure) =>
  createHash('sha256')
    .update(canonicalize(publishedContent(d))!)
    .digest('hex');

/** Every update of a program, newest first (staff: drafts too). */
export async function listDisclosures(reader: Reader, program: string): Promise<Disclosure[]> {
  requirePermission(reader, 'program.read', program);
  return (await rowsOf(reader, program)).map(viewOf);
}

/** The published updates, newest first: what the public pages show. No sign-in. */
export async function publishedDisclosures(
  reader: Pick<Reader, 'db'>,
  program: string,
): Promise<Disclosure[]> {
  return (await rowsOf(reader, program)).filter((r) => r.status === 'published').map(viewOf);
}

/** The day of the last published update, for the cadence rule of the lint. */
export async function lastDisclosureOn(
  reader: Pick<Reader, 'db'>,
  program: string,
  timeZone: string,
  upTo?: string,
): Promise<string | undefined> {
  const days = (await publishedDisclosures(reader, program))
    .map((d) => todayIn(timeZone, new Date(d.publishedAt!)))
    .filter((day) => upTo === undefined || day <= upTo)
    .sort();
  return days.at(-1);
}

async function nextNumber(trx: Parameters<Parameters<typeof write>[1]>[0], program: string) {
  const row = await trx
    .selectFrom('disclosures')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('program_code', '=', program)
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

export async function draftDisclosure(
  ctx: ServiceContext,
  program: string,
  input: unknown,
  corrects?: string,
) {
  requirePermission(ctx, 'disclosure.write', program);
  const d = corrects === undefined ? validate(draftSchema, input) : validate(correctionSchema, input);
  return write(ctx, async (trx, audit) => {
    const p = await requireProgram(trx, program);
    if (corrects !== undefined) {
      const target = z.uuid().safeParse(corrects).success
        ? await trx
            .selectFrom('disclosures')
            .select(['status'])
            .where('id', '=', corrects)
            .where('program_code', '=', program)
            .executeTakeFirst()
        : undefined;
      if (!target) throw notFound('update', corrects.slice(0, 80));
      if (target.status !== 'published')
        throw new AppError('conflict', 'errors.disclosure_state', {
          status: target.status,
          action: 'correct',
        });
    }
    const number = await nextNumber(trx, program);
    const note = 'correctionNoteJa' in d ? (d as z.output<typeof correctionSchema>) : undefined;
    const { id } = await trx
      .insertInto('disclosures')
      .values({
        program_code: program,
        number,
        corrects: corrects ?? null,
        correction_note_ja: note?.correctionNoteJa ?? null,
        correction_note_en: note?.correctionNoteEn ?? null,
        title_ja: d.titleJa,
        title_en: d.titleEn,
        body_ja: d.bodyJa,
        body_en: d.bodyEn,
        created_by: ctx.actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({
      action: corrects ? 'disclosure.correction_drafted' : 'disclosure.drafted',
      entityType: 'disclosure',
      entityId: id,
      entityCode: String(number),
      programId: p.id,
      payload: { number, ...(corrects ? { corrects } : {}) },
    });
    return { id, number, version: 1 };
  });
}

async function loadRow(ctx: Reader, program: string, id: string) {
  if (!z.uuid().safeParse(id).success) throw notFound('update', id.slice(0, 80));
  const row = (await rowsOf(ctx, program)).find((r) => r.id === id);
  if (!row) throw notFound('update', id);
  return row;
}

export async function approveDisclosure(ctx: ServiceContext, program: string, id: string, input: unknown) {
  requirePermission(ctx, 'disclosure.approve', program);
  const { version } = validate(stepSchema, input);
  const row = await loadRow(ctx, program, id);
  if (row.status !== 'draft')
    throw new AppError('conflict', 'errors.disclosure_state', { status: row.status });
  if (row.version !== version) throw staleVersion('update', String(row.number), version);
  if (row.created_by === ctx.actor.id) throw new AppError('forbidden', 'errors.disclosure_second_person', {});
  return write(ctx, async (trx, audit) => {
    const p = await requireProgram(trx, program);
    const done = await trx
      .updateTable('disclosures')
      .set({
        status: 'approved',
        approved_by: ctx.actor.id,
        approved_at: ctx.clock?.() ?? new Date(),
        version: version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'draft')
      .returning('version')
      .executeTakeFirst();
    if (!done) throw staleVersion('update', String(row.number), version);
    audit({
      action: 'disclosure.approved',
      entityType: 'disclosure',
      entityId: id,
      entityCode: String(row.number),
      programId: p.id,
      payload: { number: row.number },
    });
    return { id, status: 'approved' as const, version: done.version };
  });
}

export async function publishDisclosure(ctx: ServiceContext, program: string, id: string, input: unknown) {
  requirePermission(ctx, 'disclosure.write', program);
  const { version } = validate(stepSchema, input);
  const row = await loadRow(ctx, program, id);
  if (row.status !== 'approved')
    throw new AppError('conflict', 'errors.disclosure_state', { status: row.status });
  if (row.version !== version) throw staleVersion('update', String(row.number), version);
  const publishedAt = ctx.clock?.() ?? new Date(Math.floor(Date.now()));
  const sha256 = contentHash({ ...viewOf(row), publishedAt: publishedAt.toISOString() });
  return write(ctx, async (trx, audit) => {
    const p = await requireProgram(trx, program);
    const done = await trx
      .updateTable('disclosures')
      .set({
        status: 'published',
        published_by: ctx.actor.id,
        published_at: publishedAt,
        sha256,
        version: version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'approved')
      .returning('version')
      .executeTakeFirst();
    if (!done) throw staleVersion('update', String(row.number), version);
    audit({
      action: 'disclosure.published',
      entityType: 'disclosure',
      entityId: id,
      entityCode: String(row.number),
      programId: p.id,
      payload: { number: row.number, sha256, ...(row.corrects ? { corrects: row.corrects } : {}) },
    });
    return { id, status: 'published' as const, version: done.version, sha256 };
  });
}
