import { type Kysely, sql } from 'kysely';

/**
 * Re-plans that wait for approval: moving a milestone that a submitted report has shown needs a
 * second person's approval, so a re-plan is now a request with a state. An approved one is the plan's
 * history (as every re-plan was until now); a pending one is visible and changes nothing; a refused
 * one stays, with who refused it and why. Whoever asked is kept apart from `made_by` (which an import
 * may name freely), so that the asker cannot also approve. A program may let accelerations (a date
 * moved earlier) through without approval.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `alter table milestone_replans
      add column status text not null default 'approved' check (status in ('pending', 'approved', 'refused')),
      add column requested_by text,
      add column decided_by text,
      add column decided_on date,
      add column decided_at timestamptz,
      add column decision_note text`,
    `create unique index milestone_replans_one_pending on milestone_replans(milestone_id) where status = 'pending'`,
    `alter table programs add column accelerations_need_approval boolean`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
