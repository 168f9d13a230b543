/** Verifications: checks that a measure works (effective, partly effective, ineffective). */
import { insertVerification } from '../db/program-writer.ts';
import { databaseResolver } from '../db/resolver.ts';
import { verificationIssues } from '../domain/program-file/check.ts';
import { verificationSchema } from '../domain/program-file/schema.ts';
import {
  nextPosition,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireProgram,
  requireRecord,
  updateRecord,
} from './common.ts';
import { type ServiceContext, validate, write } from './context.ts';

export async function createVerification(
  ctx: ServiceContext,
  programCode: string,
  measureCode: string,
  input: unknown,
) {
  const v = validate(verificationSchema, input);
  rejectIssues(verificationIssues(v), '');
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const measure = await requireRecord(trx, 'measure', program.id, measureCode);
    const position = await nextPosition(trx, 'verifications', { column: 'measure_id', value: measure.id });
    const id = await insertVerification(
      trx,
      program.id,
      measure.id,
      v,
      position,
      databaseResolver(trx, program.id),
      '',
    );
    audit({
      action: 'verification.created',
      entityType: 'verification',
      entityId: id,
      entityCode: v.code,
      programId: program.id,
      payload: { measure: measureCode, ...v },
    });
    return { id, code: v.code, version: 1 };
  });
}

export const updateVerification = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'verification',
      schema: verificationSchema,
      columns: {
        method: { column: 'method' },
        plannedOn: { column: 'planned_on' },
        performedOn: { column: 'performed_on' },
        result: { column: 'result' },
        evidence: { column: 'evidence_note' },
        recurrence: { column: 'recurrence' },
        followUpMeasure: { column: 'follow_up_measure_id', ref: 'measure' },
        notes: { column: 'notes' },
        ...PROVENANCE_COLUMNS,
      },
      after: async (trx, id) => {
        const row = await trx
          .selectFrom('verifications')
          .select(['result', 'performed_on'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        rejectIssues(verificationIssues({ result: row.result, performedOn: row.performed_on }), '');
      },
    },
    programCode,
    code,
    input,
  );
