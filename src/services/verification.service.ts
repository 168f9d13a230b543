/** Verifications: checks that a measure works (effective, partly effective, ineffective). */
import { insertVerification } from '../db/program-writer.ts';
import { verificationIssues } from '../domain/program-file/check.ts';
import { verificationSchema } from '../domain/program-file/schema.ts';
import {
  createRecord,
  nextPosition,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireRecord,
  updateRecord,
} from './common.ts';
import type { ServiceContext } from './context.ts';

/** Adds a verification to a measure, at the end of its list. */
export const createVerification = (
  ctx: ServiceContext,
  programCode: string,
  measureCode: string,
  input: unknown,
) =>
  createRecord(
    ctx,
    'verification',
    programCode,
    verificationSchema,
    input,
    async (trx, programId, v, resolve) => {
      rejectIssues(verificationIssues(v), '');
      const measure = await requireRecord(trx, 'measure', programId, measureCode);
      const position = await nextPosition(trx, 'verifications', { column: 'measure_id', value: measure.id });
      return insertVerification(trx, programId, measure.id, v, position, resolve, '');
    },
    { measure: measureCode },
  );

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
