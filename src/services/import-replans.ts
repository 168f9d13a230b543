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
    .select(['m.code', 'r.status', 'r.made_on', 'r.from_date', 'r.to_date', 'r.made_by'])
    .where('m.program_id', '=', existingProgramId)
    .orderBy('r.seq')
    .execute();
  // Approved re-plans by their dates; requests (pending, refused) also by who asked — a request
  // typed into a file in someone else's name could otherwise be approved by its real author.
  const step = (status: string, on: string, from: string | null, to: string | null, by?: string | null) =>
    `${status}/${on}/${from ?? '-'}/${to ?? '-'}${status === 'approved' ? '' : `/${by ?? '-'}`}`;
  const had = new Map<string, string[]>();
  for (const r of rows)
    had.set(r.code, [
      ...(had.get(r.code) ?? []),
      step(r.status, r.made_on, r.from_date, r.to_date, r.made_by),
    ]);
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
      const before = [...(had.get(ms.code) ?? [])].sort();
      const now = [
        ...ms.replans.map((r) => step('approved', r.on, r.from, r.to)),
        ...ms.replanRequests.map((r) => step(r.status, r.on, r.from, r.to, r.by)),
      ].sort();
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
