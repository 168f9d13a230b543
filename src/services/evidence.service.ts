/**
 * Evidence attached to a measure, a milestone or a verification: checked (size, a media type the
 * bytes bear out), stored by SHA-256, listed with the record, downloaded only after its hash is
 * checked again. Attaching is a change like any other: the owner of the measure (or the program
 * office) may, and the audit log records the file's hash.
 */
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { codeSchema } from '../domain/program-file/schema.ts';
import { authorizeWrite, requirePermission, requireWriteRole } from './authorize.ts';
import { requireProgram, requireRecord } from './common.ts';
import { type Reader, type ServiceContext, validate, write } from './context.ts';
import type { EvidenceStore } from './evidence-store.ts';

export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
export const EVIDENCE_KINDS = ['measure', 'milestone', 'verification'] as const;

/** The media types accepted, and how their first bytes must look (text has no signature). */
const MEDIA: Record<string, { magic?: number[]; text?: true }> = {
  'application/pdf': { magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  'image/png': { magic: [0x89, 0x50, 0x4e, 0x47] },
  'image/jpeg': { magic: [0xff, 0xd8, 0xff] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { magic: [0x50, 0x4b, 0x03, 0x04] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
  'text/plain': { text: true },
  'text/csv': { text: true },
};
export const EVIDENCE_MEDIA_TYPES = Object.keys(MEDIA);

const attachSchema = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  code: codeSchema,
  description: z.string().trim().max(2_000).optional(),
});

export interface EvidenceFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Whether the bytes are what the media type says: its signature, or UTF-8 text without NULs. */
function bytesMatch(type: string, bytes: Uint8Array): boolean {
  const m = MEDIA[type];
  if (!m) return false;
  if (m.magic) return m.magic.every((b, i) => bytes[i] === b);
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const fileIssue = (key: string, params: Record<string, unknown> = {}) =>
  new AppError('validation', 'errors.validation', { count: 1 }, [{ path: 'file', key, params }]);

export async function attachEvidence(
  ctx: ServiceContext,
  store: EvidenceStore,
  programCode: string,
  input: unknown,
  file: EvidenceFile | undefined,
) {
  const a = validate(attachSchema, input);
  requireWriteRole(ctx, a.kind, programCode);
  if (!file || file.bytes.length === 0) throw fileIssue('validation.required');
  if (file.bytes.length > MAX_EVIDENCE_BYTES)
    throw fileIssue('validation.file_too_big', { limit: MAX_EVIDENCE_BYTES });
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  if (!MEDIA[type])
    throw fileIssue('validation.media_type', { allowed: EVIDENCE_MEDIA_TYPES.join(', '), input: type });
  if (!bytesMatch(type, file.bytes)) throw fileIssue('validation.media_mismatch', { input: type });
  // Control and format characters (bidi overrides among them) go; the name is cut by characters, not halves of them.
  const filename =
    [...(file.name.split(/[\\/]/).pop() ?? 'file').replace(/[\p{Cc}\p{Cf}]/gu, '')].slice(0, 200).join('') ||
    'file';
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const row = await requireRecord(trx, a.kind, program.id, a.code);
    await authorizeWrite(trx, ctx, { id: program.id, code: programCode }, { kind: a.kind, rowId: row.id });
    // The bytes are stored before the row is committed; a failed write leaves an unreferenced file, never a row without its file.
    const sha256 = store.put(file.bytes);
    const { id } = await trx
      .insertInto('evidence')
      .values({
        program_id: program.id,
        entity_type: a.kind,
        entity_code: a.code,
        sha256,
        size: file.bytes.length,
        media_type: type,
        filename,
        description: a.description ?? null,
        created_by: ctx.actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({
      action: 'evidence.attached',
      entityType: a.kind,
      entityId: row.id,
      entityCode: a.code,
      programId: program.id,
      payload: { evidence: id, sha256, size: file.bytes.length, mediaType: type, filename },
    });
    return { id, sha256, size: file.bytes.length };
  });
}

export interface EvidenceView {
  id: string;
  kind: string;
  code: string;
  sha256: string;
  size: number;
  mediaType: string;
  filename: string;
  description: string | null;
  by: string;
  at: Date;
}

/** The evidence of a program's records (those of one measure and its milestones and checks, when given). */
export async function listEvidence(
  reader: Reader,
  programCode: string,
  codes?: readonly string[],
): Promise<EvidenceView[]> {
  requirePermission(reader, 'program.read', programCode);
  let q = reader.db
    .selectFrom('evidence as e')
    .innerJoin('programs as p', 'p.id', 'e.program_id')
    .select([
      'e.id',
      'e.entity_type',
      'e.entity_code',
      'e.sha256',
      'e.size',
      'e.media_type',
      'e.filename',
      'e.description',
      'e.created_by',
      'e.created_at',
    ])
    .where('p.code', '=', programCode);
  if (codes) q = q.where('e.entity_code', 'in', codes.length > 0 ? [...codes] : ['']);
  const rows = await q.orderBy('e.created_at').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.entity_type,
    code: r.entity_code,
    sha256: r.sha256,
    size: Number(r.size),
    mediaType: r.media_type,
    filename: r.filename,
    description: r.description,
    by: r.created_by,
    at: new Date(r.created_at),
  }));
}

/** A file of evidence of the program, its hash checked again on the way out. */
export async function readEvidence(reader: Reader, store: EvidenceStore, programCode: string, id: string) {
  requirePermission(reader, 'program.read', programCode);
  if (!z.uuid().safeParse(id).success)
    throw new AppError('not_found', 'errors.not_found', { entity: 'evidence', code: id.slice(0, 80) });
  const row = await reader.db
    .selectFrom('evidence as e')
    .innerJoin('programs as p', 'p.id', 'e.program_id')
    .select(['e.sha256', 'e.media_type', 'e.filename'])
    .where('p.code', '=', programCode)
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'errors.not_found', { entity: 'evidence', code: id });
  return {
    bytes: store.get(row.sha256),
    mediaType: row.media_type,
    filename: row.filename,
    sha256: row.sha256,
  };
}
