/**
 * The files of evidence a program file lists as attached. A file travels as its SHA-256, so an
 * import is careful with it: the evidence store must hold the file, at the size listed; and since a
 * hash can be read off a report, only an admin (or the CLI, on the machine itself) may attach a file
 * by naming it — a program manager replacing a program keeps attachments the program already had,
 * exactly as they were. Each attachment written is logged as `evidence.attached`, as an upload is.
 */
import { insertAttachments, type Trx } from '../db/program-writer.ts';
import { isAdmin } from '../domain/access.ts';
import type { FieldIssue } from '../domain/errors.ts';
import type { AttachmentInput, ProgramFile } from '../domain/program-file/schema.ts';
import type { Audit, ServiceContext } from './context.ts';
import type { EvidenceStore } from './evidence-store.ts';

type Kind = 'measure' | 'milestone' | 'verification';

interface Listed {
  kind: Kind;
  code: string;
  attachment: AttachmentInput;
  /** Where it is in the file, e.g. `measures[2].verifications[0].attachments[1]`. */
  path: string;
}

export function listedAttachments(file: ProgramFile): Listed[] {
  const out: Listed[] = [];
  const add = (kind: Kind, code: string, list: readonly AttachmentInput[], path: string) =>
    list.forEach((attachment, k) => out.push({ kind, code, attachment, path: `${path}.attachments[${k}]` }));
  file.measures.forEach((m, i) => {
    add('measure', m.code, m.attachments, `measures[${i}]`);
    m.milestones.forEach((ms, j) =>
      add('milestone', ms.code, ms.attachments, `measures[${i}].milestones[${j}]`),
    );
    m.verifications.forEach((v, j) =>
      add('verification', v.code, v.attachments, `measures[${i}].verifications[${j}]`),
    );
  });
  return out;
}

/** The attachments whose file the store does not hold, or holds at another size. */
export function unstoredAttachments(
  listed: readonly Listed[],
  store: Pick<EvidenceStore, 'sizeOf'> | undefined,
): FieldIssue[] {
  return listed.flatMap(({ attachment: a, path }): FieldIssue[] => {
    const size = store?.sizeOf(a.sha256);
    if (size === undefined)
      return [
        {
          path: `${path}.sha256`,
          key: 'validation.evidence_not_stored',
          params: { sha: a.sha256, filename: a.filename },
        },
      ];
    if (size !== a.size)
      return [
        { path: `${path}.size`, key: 'validation.evidence_size', params: { size, filename: a.filename } },
      ];
    return [];
  });
}

/**
 * For anyone but an admin: the attachments that the program being replaced did not already have,
 * with the same file, record, uploader and instant.
 */
export async function unprovenAttachments(
  trx: Trx,
  ctx: ServiceContext,
  listed: readonly Listed[],
  existingProgramId: string | undefined,
): Promise<FieldIssue[]> {
  if (listed.length === 0 || isAdmin(ctx.actor.principal)) return [];
  const rows = existingProgramId
    ? await trx
        .selectFrom('evidence')
        .select(['entity_type', 'entity_code', 'sha256', 'created_by', 'created_at'])
        .where('program_id', '=', existingProgramId)
        .execute()
    : [];
  const key = (kind: string, code: string, sha: string, by: string, at: number) =>
    `${kind}\u0000${code}\u0000${sha}\u0000${by}\u0000${at}`;
  const had = new Set(
    rows.map((r) =>
      key(r.entity_type, r.entity_code, r.sha256, r.created_by, new Date(r.created_at).getTime()),
    ),
  );
  return listed
    .filter(
      ({ kind, code, attachment: a }) =>
        !had.has(key(kind, code, a.sha256, a.attachedBy, new Date(a.attachedAt).getTime())),
    )
    .map(({ path, attachment: a }) => ({
      path: `${path}.sha256`,
      key: 'validation.evidence_not_had',
      params: { filename: a.filename },
    }));
}

/** Writes the listed attachments of a program just written, each logged as an upload is. */
export async function attachListed(
  trx: Trx,
  programId: string,
  listed: readonly Listed[],
  audit: Audit,
): Promise<void> {
  for (const { kind, code, attachment: a } of listed) {
    const [id] = await insertAttachments(trx, programId, kind, code, [a]);
    audit({
      action: 'evidence.attached',
      entityType: kind,
      entityCode: code,
      programId,
      payload: {
        evidence: id,
        sha256: a.sha256,
        size: a.size,
        mediaType: a.mediaType,
        filename: a.filename,
        imported: true,
      },
    });
  }
}
