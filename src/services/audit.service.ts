/** The audit log of a program, newest first, for an auditor or an admin. */
import { sql } from 'kysely';
import { z } from 'zod';
import { programIdsOfCode } from '../db/audit-log.ts';
import { notFound } from '../domain/errors.ts';
import { consistencyProofOf, inclusionProofOf } from './audit-log.service.ts';
import { requirePermission } from './authorize.ts';
import { type Reader, validate } from './context.ts';

export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Only events with a smaller sequence number (the next page)'),
  actor: z.string().max(200).optional().describe('Only events of this actor, e.g. user:manager'),
  action: z
    .string()
    .max(100)
    .optional()
    .describe('Only events whose action starts with this, e.g. measure. or login.'),
  code: z.string().max(64).optional().describe('Only events about the record with this code'),
});

export async function listAuditEvents(reader: Reader, programCode: string, query: unknown) {
  requirePermission(reader, 'audit.read', programCode);
  const q = validate(auditQuerySchema, query);
  const ids = await lineageOf(reader, programCode);
  let rows = reader.db
    .selectFrom('audit_events')
    .select(['seq', 'occurred_at', 'actor', 'action', 'entity_type', 'entity_code', 'payload'])
    .where('program_id', 'in', ids)
    .orderBy('seq', 'desc')
    .limit(q.limit);
  if (q.before !== undefined) rows = rows.where('seq', '<', q.before);
  if (q.actor) rows = rows.where('actor', '=', q.actor);
  // A prefix, with LIKE's own wildcards taken literally.
  if (q.action) rows = rows.where('action', 'like', `${q.action.replace(/[\\%_]/g, '\\$&')}%`);
  if (q.code)
    rows = rows.where((eb) =>
      eb.or([eb('entity_code', '=', q.code!), sql<boolean>`state->>'code' = ${q.code!}`]),
    );
  return (await rows.execute()).map((r) => ({
    id: Number(r.seq),
    at: new Date(r.occurred_at as unknown as string).toISOString(),
    actor: r.actor,
    action: r.action,
    entity: r.entity_type,
    code: r.entity_code,
    payload: r.payload,
  }));
}

/**
 * The ids a program has had (an import that replaces it gives it a new one): its events under
 * every one of them are its history. Not found when no program has the code now.
 */
async function lineageOf(reader: Reader, programCode: string): Promise<string[]> {
  const program = await reader.db
    .selectFrom('programs')
    .select('id')
    .where('code', '=', programCode)
    .executeTakeFirst();
  if (!program) throw notFound('program', programCode);
  return [...new Set([program.id, ...(await programIdsOfCode(reader.db, programCode))])];
}

/** An event of a program with its inclusion proof in the latest signed checkpoint (and a consistency proof from an earlier size). */
export async function programEventProof(reader: Reader, programCode: string, seq: number, from?: number) {
  requirePermission(reader, 'audit.read', programCode);
  const ids = await lineageOf(reader, programCode);
  const event = await reader.db
    .selectFrom('audit_events')
    .select('program_id')
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (!event?.program_id || !ids.includes(event.program_id)) throw notFound('event', String(seq));
  const proof = await inclusionProofOf(reader.db, seq);
  const consistency =
    from === undefined ? undefined : await consistencyProofOf(reader.db, from, proof.treeSize);
  return { ...proof, ...(consistency ? { consistency } : {}) };
}

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  /** What changed, field by field: the state before this event and after it (JSON, shortened). */
  changes: Array<{ field: string; before: string; after: string }>;
}

const shown = (v: unknown) => {
  if (v === undefined) return '—';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

/**
 * The history of one record (a unit of the audit log: a measure with its milestones, a
 * relationship with its decisions…): who changed what, when, before → after, oldest first.
 */
export async function recordHistory(
  reader: Reader,
  programCode: string,
  unit: string,
  code: string,
): Promise<HistoryEntry[]> {
  requirePermission(reader, 'program.read', programCode);
  const ids = await lineageOf(reader, programCode);
  const rows = await reader.db
    .selectFrom('audit_events')
    .select(['seq', 'occurred_at', 'actor', 'action'])
    .select(sql<string>`state->>'unit'`.as('unit'))
    // An import records the whole program: the database picks out this record, so megabytes of
    // program are not sent and parsed for each view of one record's history.
    .select(
      sql<Record<string, unknown> | null>`case when state->>'unit' = 'file'
        then jsonb_path_query_first(state->'value'->${unit}, '$[*] ? (@.code == $code)', jsonb_build_object('code', ${code}::text))
        else state->'value' end`.as('after'),
    )
    .where('program_id', 'in', ids)
    .where((eb) =>
      eb.or([
        eb.and([sql<boolean>`state->>'unit' = ${unit}`, sql<boolean>`state->>'code' = ${code}`]),
        sql<boolean>`state->>'unit' = 'file'`,
      ]),
    )
    .orderBy('seq')
    .execute();
  const out: HistoryEntry[] = [];
  let before: Record<string, unknown> | undefined;
  for (const r of rows) {
    const after = r.after ?? undefined;
    const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
    const changes = keys
      .filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]))
      .map((field) => ({ field, before: shown(before?.[field]), after: shown(after?.[field]) }));
    if (changes.length > 0 || r.unit !== 'file')
      out.push({
        seq: Number(r.seq),
        at: new Date(r.occurred_at).toISOString(),
        actor: r.actor,
        action: r.action,
        changes: before ? changes : [],
      });
    before = after;
  }
  return out;
}
