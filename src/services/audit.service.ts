/** The audit log of a program, newest first, for an auditor or an admin. */
import { z } from 'zod';
import { notFound } from '../domain/errors.ts';
import { requirePermission } from './authorize.ts';
import { type Reader, validate } from './context.ts';

export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  before: z.coerce.number().int().min(1).optional().describe('Only events with a smaller id (the next page)'),
});

export async function listAuditEvents(reader: Reader, programCode: string, query: unknown) {
  requirePermission(reader, 'audit.read', programCode);
  const q = validate(auditQuerySchema, query);
  const program = await reader.db
    .selectFrom('programs')
    .select('id')
    .where('code', '=', programCode)
    .executeTakeFirst();
  if (!program) throw notFound('program', programCode);
  let rows = reader.db
    .selectFrom('audit_events')
    .select(['id', 'occurred_at', 'actor', 'action', 'entity_type', 'entity_code', 'payload'])
    .where('program_id', '=', program.id)
    .orderBy('id', 'desc')
    .limit(q.limit);
  if (q.before !== undefined) rows = rows.where('id', '<', q.before);
  return (await rows.execute()).map((r) => ({
    id: Number(r.id),
    at: new Date(r.occurred_at as unknown as string).toISOString(),
    actor: r.actor,
    action: r.action,
    entity: r.entity_type,
    code: r.entity_code,
    payload: r.payload,
  }));
}
