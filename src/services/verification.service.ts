/** Verifications: checks that a measure works (effective, partly effective, ineffective). */
import { insertVerification, type Trx } from '../db/program-writer.ts';
import { updateVersioned } from '../db/versioned.ts';
import { todayIn } from '../domain/dates.ts';
import { staleVersion } from '../domain/errors.ts';
import { verificationIssues } from '../domain/program-file/check.ts';
import { verificationSchema } from '../domain/program-file/schema.ts';
import { closingIssue, type GateVerification, settledStatus } from '../domain/verification-gate.ts';
import {
  createRecord,
  nextPosition,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireRecord,
  updateRecord,
} from './common.ts';
import type { Audit, ServiceContext } from './context.ts';

/** A measure's status and its verifications as the gate reads them, with the files attached to each. */
async function gateInput(trx: Trx, measureId: string, concerns: (status: string) => boolean) {
  const measure = await trx
    .selectFrom('measures')
    .select(['id', 'code', 'status', 'program_id', 'version'])
    .where('id', '=', measureId)
    .executeTakeFirstOrThrow();
  // Most changes leave the gate nothing to judge: the verifications and files are read only when it has.
  if (!concerns(measure.status)) return undefined;
  const rows = await trx
    .selectFrom('verifications')
    .select(['code', 'performed_on', 'result', 'recurrence'])
    .where('measure_id', '=', measureId)
    .orderBy('position')
    .execute();
  const counts = await trx
    .selectFrom('evidence')
    .select(['entity_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('program_id', '=', measure.program_id)
    .where('entity_type', '=', 'verification')
    .where('entity_code', 'in', rows.map((r) => r.code).concat(['']))
    .groupBy('entity_code')
    .execute();
  const attached = new Map(counts.map((c) => [c.entity_code, Number(c.n)]));
  const verifications: GateVerification[] = rows.map((r) => ({
    code: r.code,
    performedOn: r.performed_on,
    result: r.result,
    recurrence: r.recurrence,
    attached: attached.get(r.code) ?? 0,
  }));
  return { measure, verifications };
}

/** Refuses a measure set to `closed` without an effective latest verification with evidence attached. */
export async function assertClosable(trx: Trx, measureId: string): Promise<void> {
  const gate = await gateInput(trx, measureId, (status) => status === 'closed');
  const issue = gate && closingIssue(gate.measure.status, gate.verifications, gate.measure.code);
  if (issue) rejectIssues([issue], '');
}

/**
 * After a measure's verifications change: an ineffective latest result reopens it, a closed measure
 * whose proof no longer holds goes back to completed. The change is the measure's own, audited.
 */
async function settleMeasure(trx: Trx, measureId: string, audit: Audit, verification: string) {
  const gate = await gateInput(trx, measureId, (status) => status === 'completed' || status === 'closed');
  if (!gate) return;
  const { measure, verifications } = gate;
  const next = settledStatus(measure.status, verifications);
  if (next === undefined) return;
  if ((await updateVersioned(trx, 'measures', measureId, measure.version, { status: next })) === undefined)
    throw staleVersion('measure', measure.code, measure.version);
  audit({
    // Reopened: found ineffective, work to do again; unclosed: implemented, but no longer proven.
    action: next === 'in_progress' ? 'measure.reopened' : 'measure.unclosed',
    entityType: 'measure',
    entityId: measureId,
    entityCode: measure.code,
    programId: measure.program_id,
    payload: { from: measure.status, to: next, verification },
  });
}

/** A check is performed by today (in the program's time zone): a later date would count as proof ahead of time. */
async function refuseFuturePerformance(
  trx: Trx,
  ctx: ServiceContext,
  programId: string,
  performedOn: string | null | undefined,
) {
  if (!performedOn) return;
  const { time_zone } = await trx
    .selectFrom('programs')
    .select('time_zone')
    .where('id', '=', programId)
    .executeTakeFirstOrThrow();
  const today = todayIn(time_zone, ctx.clock?.());
  if (performedOn > today)
    rejectIssues([{ path: ['performedOn'], key: 'validation.performed_in_future', params: { today } }], '');
}

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
    async (trx, programId, v, resolve, audit) => {
      rejectIssues(verificationIssues(v), '');
      const measure = await requireRecord(trx, 'measure', programId, measureCode);
      const position = await nextPosition(trx, 'verifications', { column: 'measure_id', value: measure.id });
      await refuseFuturePerformance(trx, ctx, programId, v.performedOn);
      const id = await insertVerification(trx, programId, measure.id, v, position, resolve, '');
      await settleMeasure(trx, measure.id, audit, v.code);
      return id;
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
      after: async (trx, id, audit, programId) => {
        const row = await trx
          .selectFrom('verifications')
          .select(['code', 'result', 'performed_on', 'measure_id'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        rejectIssues(verificationIssues({ result: row.result, performedOn: row.performed_on }), '');
        await refuseFuturePerformance(trx, ctx, programId, row.performed_on);
        await settleMeasure(trx, row.measure_id, audit, row.code);
      },
    },
    programCode,
    code,
    input,
  );
