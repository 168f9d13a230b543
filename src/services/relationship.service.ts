/**
 * Outsourcing relationships: who provides what to whom, on which systems, and the decision —
 * reduce, terminate, maintain or undecided — with its reason and target date. Every decision is
 * kept; the last one holds.
 */
import { z } from 'zod';
import {
  insertDecision,
  insertRelationship,
  setRelationshipMeasures,
  setRelationshipSystems,
} from '../db/program-writer.ts';
import { updateVersioned } from '../db/versioned.ts';
import { todayIn } from '../domain/dates.ts';
import { staleVersion } from '../domain/errors.ts';
import { decisionIssues, relationshipIssues } from '../domain/program-file/check.ts';
import { dateSchema, relationshipSchema } from '../domain/program-file/schema.ts';
import { DECISIONS } from '../domain/vocab.ts';
import { requireWriteRole } from './authorize.ts';
import {
  createRecord,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireProgram,
  requireRecord,
  updateRecord,
  versionSchema,
} from './common.ts';
import { type ServiceContext, validate, write } from './context.ts';

export const createRelationship = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(
    ctx,
    'relationship',
    programCode,
    relationshipSchema,
    input,
    (trx, programId, r, resolve) => insertRelationship(trx, programId, r, resolve, ''),
    {},
    (r) => [
      ...relationshipIssues(r),
      ...r.decisions.flatMap((d, k) =>
        decisionIssues(d, r.decisions[k - 1]).map((i) => ({ ...i, path: ['decisions', k, ...i.path] })),
      ),
    ],
  );

export const updateRelationship = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'relationship',
      schema: relationshipSchema,
      columns: {
        title: { column: 'title' },
        customer: { column: 'customer_org_id', ref: 'organization' },
        provider: { column: 'provider_org_id', ref: 'organization' },
        scope: { column: 'scope' },
        startedOn: { column: 'started_on' },
        description: { column: 'description' },
        ...PROVENANCE_COLUMNS,
      },
      links: {
        systems: (trx, id, codes: string[], resolve) =>
          setRelationshipSystems(trx, id, codes, resolve, 'systems'),
        measures: (trx, id, codes: string[], resolve) =>
          setRelationshipMeasures(trx, id, codes, resolve, 'measures'),
      },
      after: async (trx, id) => {
        const row = await trx
          .selectFrom('outsourcing_relationships as r')
          .innerJoin('organizations as c', 'c.id', 'r.customer_org_id')
          .innerJoin('organizations as p', 'p.id', 'r.provider_org_id')
          .select(['c.code as customer', 'p.code as provider'])
          .where('r.id', '=', id)
          .executeTakeFirstOrThrow();
        rejectIssues(relationshipIssues(row), '');
      },
    },
    programCode,
    code,
    input,
  );

export const decideSchema = z.strictObject({
  version: versionSchema,
  decision: z.enum(DECISIONS),
  targetDate: dateSchema.optional(),
  reason: z.string().trim().min(1, { error: 'validation.required' }).max(5_000),
  on: dateSchema.optional().describe("Date of the decision; defaults to today in the program's time zone"),
  by: z.string().max(200).optional(),
});

/** Records a decision on an outsourcing relationship: reduce, terminate or maintain, by when, and why. */
export async function decideRelationship(
  ctx: ServiceContext,
  programCode: string,
  code: string,
  input: unknown,
) {
  // The decision on an outsourcing relationship is the program office's, not the contractor's.
  requireWriteRole(ctx, 'program', programCode);
  const d = validate(decideSchema, input);
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const row = await requireRecord(trx, 'relationship', program.id, code);
    const on = d.on ?? todayIn(program.time_zone);
    const last = await trx
      .selectFrom('relationship_decisions')
      .select(['seq', 'decided_on'])
      .where('relationship_id', '=', row.id)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    rejectIssues(decisionIssues({ ...d, on }, last ? { on: last.decided_on } : undefined), '');
    const next = await updateVersioned(trx, 'outsourcing_relationships', row.id, d.version, {});
    if (next === undefined) throw staleVersion('relationship', code, d.version);
    const decision = {
      on,
      decision: d.decision,
      targetDate: d.targetDate,
      reason: d.reason,
      by: d.by ?? ctx.actor.id,
    };
    await insertDecision(trx, row.id, decision, (last?.seq ?? -1) + 1);
    audit({
      action: 'relationship.decided',
      entityType: 'relationship',
      entityId: row.id,
      entityCode: code,
      programId: program.id,
      payload: decision,
    });
    return { id: row.id, code, version: next, decision };
  });
}
