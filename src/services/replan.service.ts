/**
 * Re-plans: the only way a milestone's planned date moves. Each records from, to, reason, who and
 * when. A milestone the regulator has been told about — one that appeared in a submitted report — is
 * committed: moving it needs a second person with authority over its measure. Until then the
 * re-plan is pending: visible beside the milestone, but the plan, the lint, the reports and the
 * public page go on with the date as it was. An approved re-plan enters the plan's history with who
 * approved it; a refused one stays in the history with who refused it and why. A program may let
 * accelerations (a date moved earlier) through without approval.
 */

import { sql } from 'kysely';
import { z } from 'zod';
import type { Trx } from '../db/program-writer.ts';
import { updateVersioned } from '../db/versioned.ts';
import { todayIn } from '../domain/dates.ts';
import { AppError, staleVersion } from '../domain/errors.ts';
import type { CheckedIssue } from '../domain/program-file/check.ts';
import { dateSchema } from '../domain/program-file/schema.ts';
import { authorizeWrite, requireWriteRole } from './authorize.ts';
import { rejectIssues, requireProgram, requireRecord, versionSchema } from './common.ts';
import { type ServiceContext, validate, write } from './context.ts';
import { committedMilestones } from './import-replans.ts';

export const replanSchema = z.strictObject({
  version: versionSchema,
  to: dateSchema.nullable().describe('The new planned date (null: no longer dated)'),
  reason: z.string().trim().min(1, { error: 'validation.required' }).max(5_000),
  on: dateSchema
    .optional()
    .describe("Date the re-plan was made; defaults to today in the program's time zone"),
  by: z.string().max(200).optional().describe('Who made it; defaults to the acting user'),
});

export const replanDecisionSchema = z.strictObject({
  version: versionSchema.describe("The milestone's version as read"),
  note: z.string().trim().max(5_000).optional().describe('Why (required to refuse)'),
});

export interface ReplanResult {
  id: string;
  code: string;
  /** The milestone's version after the step (unchanged while a re-plan is pending). */
  version: number;
  from: string | null;
  to: string | null;
  on: string;
  /** approved: the plan changed; pending: it waits for a second person. */
  status: 'approved' | 'pending' | 'refused';
}

/** Whether the milestone appeared in a report submitted to the regulator: then it is committed. */
export async function isCommitted(trx: Trx, programCode: string, milestoneCode: string): Promise<boolean> {
  return (await committedMilestones(trx, programCode)).has(milestoneCode);
}

async function milestoneOf(trx: Trx, ctx: ServiceContext, programCode: string, code: string) {
  const program = await requireProgram(trx, programCode);
  const row = await requireRecord(trx, 'milestone', program.id, code);
  await authorizeWrite(trx, ctx, { id: program.id, code: programCode }, { kind: 'milestone', rowId: row.id });
  const ms = await trx
    .selectFrom('milestones')
    .select(['committed_on', 'baseline_date', 'planned_date', 'actual_date', 'version'])
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow();
  const settings = await trx
    .selectFrom('programs')
    .select('accelerations_need_approval')
    .where('id', '=', program.id)
    .executeTakeFirstOrThrow();
  return { program, id: row.id, ms, accelerationsNeedApproval: settings.accelerations_need_approval ?? true };
}

async function pendingOf(trx: Trx, milestoneId: string) {
  return trx
    .selectFrom('milestone_replans')
    .selectAll()
    .where('milestone_id', '=', milestoneId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

/**
 * Moves a milestone's planned date, keeping the old date, the reason, who and when — or, for a
 * committed milestone, asks a second person to (the re-plan is pending until approved).
 */
export async function replanMilestone(
  ctx: ServiceContext,
  programCode: string,
  code: string,
  input: unknown,
): Promise<ReplanResult> {
  requireWriteRole(ctx, 'milestone', programCode);
  const r = validate(replanSchema, input);
  return write(ctx, async (trx, audit) => {
    const { program, id, ms, accelerationsNeedApproval } = await milestoneOf(trx, ctx, programCode, code);
    if (ms.version !== r.version) throw staleVersion('milestone', code, r.version);
    const on = r.on ?? todayIn(program.time_zone);
    const last = await trx
      .selectFrom('milestone_replans')
      .select(['seq', 'made_on'])
      .where('milestone_id', '=', id)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const waiting = await pendingOf(trx, id);
    if (waiting)
      throw new AppError('conflict', 'errors.replan_pending', { code, to: waiting.to_date ?? '—' });
    const problems: CheckedIssue[] = [];
    if (ms.actual_date !== null)
      problems.push({ path: ['to'], key: 'validation.already_completed', params: { code } });
    if (r.to === ms.planned_date) problems.push({ path: ['to'], key: 'validation.replan_no_change' });
    if (on < ms.committed_on)
      problems.push({
        path: ['on'],
        key: 'validation.date_before',
        params: { field: 'committedOn', date: ms.committed_on },
      });
    if (last && on < last.made_on)
      problems.push({ path: ['on'], key: 'validation.history_order', params: { previous: last.made_on } });
    rejectIssues(problems, '');

    const accelerating = r.to !== null && ms.planned_date !== null && r.to < ms.planned_date;
    const needsApproval =
      (await isCommitted(trx, programCode, code)) && (accelerationsNeedApproval || !accelerating);
    const by = r.by ?? ctx.actor.id;
    await trx
      .insertInto('milestone_replans')
      .values({
        milestone_id: id,
        seq: (last?.seq ?? -1) + 1,
        made_on: on,
        from_date: ms.planned_date,
        to_date: r.to,
        reason: r.reason,
        made_by: by,
        requested_by: ctx.actor.id,
        status: needsApproval ? 'pending' : 'approved',
      })
      .execute();
    const payload = { on, from: ms.planned_date, to: r.to, reason: r.reason, by };
    if (needsApproval) {
      audit({
        action: 'milestone.replan_requested',
        entityType: 'milestone',
        entityId: id,
        entityCode: code,
        programId: program.id,
        payload,
      });
      return { id, code, version: ms.version, from: ms.planned_date, to: r.to, on, status: 'pending' };
    }
    const next = await updateVersioned(trx, 'milestones', id, r.version, {
      planned_date: r.to,
      ...(ms.baseline_date === null && r.to !== null ? { baseline_date: r.to } : {}),
    });
    if (next === undefined) throw staleVersion('milestone', code, r.version);
    audit({
      action: 'milestone.replanned',
      entityType: 'milestone',
      entityId: id,
      entityCode: code,
      programId: program.id,
      payload,
    });
    return { id, code, version: next, from: ms.planned_date, to: r.to, on, status: 'approved' };
  });
}

/**
 * Approves or refuses the re-plan that waits on a milestone. The person who asked for it may do
 * neither's approving half: a second person with authority over the measure decides. Refusing
 * needs a reason; it may also be the asker withdrawing their own request.
 */
async function decideReplan(
  ctx: ServiceContext,
  programCode: string,
  code: string,
  input: unknown,
  decision: 'approved' | 'refused',
): Promise<ReplanResult> {
  requireWriteRole(ctx, 'milestone', programCode);
  const d = validate(replanDecisionSchema, input);
  if (decision === 'refused' && !d.note) rejectIssues([{ path: ['note'], key: 'validation.required' }], '');
  return write(ctx, async (trx, audit) => {
    const { program, id, ms } = await milestoneOf(trx, ctx, programCode, code);
    if (ms.version !== d.version) throw staleVersion('milestone', code, d.version);
    const request = await pendingOf(trx, id);
    if (!request) throw new AppError('not_found', 'errors.no_pending_replan', { code });
    if (decision === 'approved' && request.requested_by === ctx.actor.id)
      throw new AppError('forbidden', 'errors.replan_second_person', { code });
    if (decision === 'approved' && ms.actual_date !== null)
      rejectIssues([{ path: [], key: 'validation.already_completed', params: { code } }], '');
    const today = todayIn(program.time_zone);
    let version = ms.version;
    if (decision === 'approved') {
      const next = await updateVersioned(trx, 'milestones', id, d.version, {
        planned_date: request.to_date,
        ...(ms.baseline_date === null && request.to_date !== null ? { baseline_date: request.to_date } : {}),
      });
      if (next === undefined) throw staleVersion('milestone', code, d.version);
      version = next;
    }
    await trx
      .updateTable('milestone_replans')
      .set({
        status: decision,
        decided_by: ctx.actor.id,
        decided_on: today,
        decided_at: sql<Date>`now()`,
        decision_note: d.note ?? null,
        // The plan moves from where it is now (it cannot have moved while this waited).
        from_date: ms.planned_date,
      })
      .where('id', '=', request.id)
      .execute();
    audit({
      action: decision === 'approved' ? 'milestone.replan_approved' : 'milestone.replan_refused',
      entityType: 'milestone',
      entityId: id,
      entityCode: code,
      programId: program.id,
      payload: {
        on: request.made_on,
        from: ms.planned_date,
        to: request.to_date,
        reason: request.reason,
        requestedBy: request.requested_by,
        decidedOn: today,
        ...(d.note ? { note: d.note } : {}),
      },
    });
    return {
      id,
      code,
      version,
      from: ms.planned_date,
      to: request.to_date,
      on: request.made_on,
      status: decision,
    };
  });
}

export const approveReplan = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  decideReplan(ctx, programCode, code, input, 'approved');

export const refuseReplan = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  decideReplan(ctx, programCode, code, input, 'refused');
