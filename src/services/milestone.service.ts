/**
 * Milestones: the dated steps of a measure. The planned date changes only through a re-plan,
 * which records from, to, reason, who and when; baseline and slippage are derived from that history.
 */
import { z } from 'zod';
import type { Trx } from '../db/program-writer.ts';
import { insertMilestone, setMilestoneDependencies } from '../db/program-writer.ts';
import { updateVersioned } from '../db/versioned.ts';
import { todayIn } from '../domain/dates.ts';
import { staleVersion } from '../domain/errors.ts';
import { findCycles } from '../domain/graph.ts';
import { type CheckedIssue, milestoneIssues } from '../domain/program-file/check.ts';
import { dateSchema, milestoneSchema } from '../domain/program-file/schema.ts';
import { authorizeWrite, requireWriteRole } from './authorize.ts';
import {
  createRecord,
  nextPosition,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireProgram,
  requireRecord,
  updateRecord,
  versionSchema,
} from './common.ts';
import { type ServiceContext, validate, write } from './context.ts';

/** Adds a milestone to a measure, at the end of its list. */
export const createMilestone = (
  ctx: ServiceContext,
  programCode: string,
  measureCode: string,
  input: unknown,
) =>
  createRecord(
    ctx,
    'milestone',
    programCode,
    milestoneSchema,
    input,
    async (trx, programId, ms, resolve) => {
      rejectIssues(milestoneIssues(ms), '');
      const measure = await requireRecord(trx, 'measure', programId, measureCode);
      const position = await nextPosition(trx, 'milestones', { column: 'measure_id', value: measure.id });
      const id = await insertMilestone(trx, programId, measure.id, ms, position);
      if (ms.dependsOn.length > 0) {
        await setMilestoneDependencies(trx, id, ms.dependsOn, resolve, 'dependsOn');
        await assertNoDependencyCycle(trx, programId, 'dependsOn');
      }
      return id;
    },
    { measure: measureCode },
  );

export const updateMilestone = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'milestone',
      schema: milestoneSchema,
      columns: { title: { column: 'title' }, actual: { column: 'actual_date' }, ...PROVENANCE_COLUMNS },
      links: {
        dependsOn: async (trx, id, codes: string[], resolve, programId) => {
          await setMilestoneDependencies(trx, id, codes, resolve, 'dependsOn');
          await assertNoDependencyCycle(trx, programId, 'dependsOn');
        },
      },
    },
    programCode,
    code,
    input,
  );

/** Fails the transaction when the program's milestone dependencies contain a cycle. */
export async function assertNoDependencyCycle(trx: Trx, programId: string, path: string): Promise<void> {
  const rows = await trx
    .selectFrom('milestone_dependencies as d')
    .innerJoin('milestones as a', 'a.id', 'd.milestone_id')
    .innerJoin('milestones as b', 'b.id', 'd.depends_on_id')
    .select(['a.code as from', 'b.code as to'])
    .where('a.program_id', '=', programId)
    .execute();
  const edges = new Map<string, string[]>();
  for (const r of rows) edges.set(r.from, [...(edges.get(r.from) ?? []), r.to]);
  const cycles = findCycles(edges);
  if (cycles.length > 0) {
    const cycle = cycles[0]!;
    rejectIssues(
      [{ path: [], key: 'validation.dependency_cycle', params: { cycle: [...cycle, cycle[0]].join(' → ') } }],
      path,
    );
  }
}

export const replanSchema = z.strictObject({
  version: versionSchema,
  to: dateSchema.nullable().describe('The new planned date (null: no longer dated)'),
  reason: z.string().trim().min(1, { error: 'validation.required' }).max(5_000),
  on: dateSchema
    .optional()
    .describe("Date the re-plan was made; defaults to today in the program's time zone"),
  by: z.string().max(200).optional().describe('Who made it; defaults to the acting user'),
});

/** Moves a milestone's planned date, keeping the old date, the reason, who and when. */
export async function replanMilestone(
  ctx: ServiceContext,
  programCode: string,
  code: string,
  input: unknown,
) {
  requireWriteRole(ctx, 'milestone', programCode);
  const r = validate(replanSchema, input);
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const row = await requireRecord(trx, 'milestone', program.id, code);
    await authorizeWrite(
      trx,
      ctx,
      { id: program.id, code: programCode },
      { kind: 'milestone', rowId: row.id },
    );
    const ms = await trx
      .selectFrom('milestones')
      .select(['committed_on', 'baseline_date', 'planned_date', 'actual_date', 'version'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    if (ms.version !== r.version) throw staleVersion('milestone', code, r.version);
    const on = r.on ?? todayIn(program.time_zone);
    const last = await trx
      .selectFrom('milestone_replans')
      .select(['seq', 'made_on'])
      .where('milestone_id', '=', row.id)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
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
    const next = await updateVersioned(trx, 'milestones', row.id, r.version, {
      planned_date: r.to,
      ...(ms.baseline_date === null && r.to !== null ? { baseline_date: r.to } : {}),
    });
    if (next === undefined) throw staleVersion('milestone', code, r.version);
    await trx
      .insertInto('milestone_replans')
      .values({
        milestone_id: row.id,
        seq: (last?.seq ?? -1) + 1,
        made_on: on,
        from_date: ms.planned_date,
        to_date: r.to,
        reason: r.reason,
        made_by: r.by ?? ctx.actor.id,
      })
      .execute();
    audit({
      action: 'milestone.replanned',
      entityType: 'milestone',
      entityId: row.id,
      entityCode: code,
      programId: program.id,
      payload: { on, from: ms.planned_date, to: r.to, reason: r.reason, by: r.by ?? ctx.actor.id },
    });
    return { id: row.id, code, version: next, from: ms.planned_date, to: r.to, on };
  });
}
