/**
 * A committed milestone (one a submitted report showed the regulator) moves only by a re-plan a
 * second person approved (replan.service.ts). Replacing a program by a file must not be a way
 * around that: for anyone but an admin, the plan history of every committed milestone in the file
 * must be the one the program already has — a new or rewritten re-plan goes through the re-plan
 * form and its approval instead.
 */
import { sql } from 'kysely';
import type { Trx } from '../db/program-writer.ts';
import { isAdmin } from '../domain/access.ts';
import type { FieldIssue } from '../domain/errors.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import type { ServiceContext } from './context.ts';

/** The codes of the milestones that reports submitted to the regulator have shown. */
export async function committedMilestones(trx: Trx, programCode: string): Promise<Set<string>> {
  const rows = await sql<{ code: string }>`
    select distinct ms->>'code' as code from reports r,
      jsonb_array_elements(coalesce(r.model->'measures', '[]'::jsonb)) m,
      jsonb_array_elements(coalesce(m->'milestones', '[]'::jsonb)) ms
    where r.program_code = ${programCode} and r.status = 'submitted'`.execute(trx);
  return new Set(rows.rows.map((r) => r.code));
}

export async function unapprovedReplans(
  trx: Trx,
  ctx: ServiceContext,
  file: ProgramFile,
  existingProgramId: string | undefined,
): Promise<FieldIssue[]> {
  if (!existingProgramId || isAdmin(ctx.actor.principal)) return [];
  const committed = await committedMilestones(trx, file.program.code);
  if (committed.size === 0) return [];
  const rows = await trx
    .selectFrom('milestone_replans as r')
    .innerJoin('milestones as m', 'm.id', 'r.milestone_id')
    .select(['m.code', 'r.made_on', 'r.from_date', 'r.to_date', 'm.planned_date'])
    .where('m.program_id', '=', existingProgramId)
    .where('r.status', '=', 'approved')
    .orderBy('r.seq')
    .execute();
  const step = (on: string, from: string | null, to: string | null) => `${on}/${from ?? '-'}/${to ?? '-'}`;
  const had = new Map<string, string[]>();
  for (const r of rows)
    had.set(r.code, [...(had.get(r.code) ?? []), step(r.made_on, r.from_date, r.to_date)]);
  const plannedNow = await trx
    .selectFrom('milestones')
    .select(['code', 'planned_date'])
    .where('program_id', '=', existingProgramId)
    .execute();
  const planned = new Map(plannedNow.map((r) => [r.code, r.planned_date]));
  const out: FieldIssue[] = [];
  file.measures.forEach((m, i) =>
    m.milestones.forEach((ms, j) => {
      if (!committed.has(ms.code) || !planned.has(ms.code)) return;
      const before = had.get(ms.code) ?? [];
      const now = ms.replans.map((r) => step(r.on, r.from, r.to));
      if (now.join('|') === before.join('|') && ms.planned === planned.get(ms.code)) return;
      out.push({
        path: `measures[${i}].milestones[${j}].replans`,
        key: 'validation.replan_by_import',
        params: { code: ms.code },
      });
    }),
  );
  return out;
}
