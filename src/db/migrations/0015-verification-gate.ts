import { type Kysely, sql } from 'kysely';

/**
 * The verification gate: a measure may now be `closed` — implemented and proven effective by its
 * latest verification, with evidence attached (the rule is in src/domain/verification-gate.ts and is
 * checked by the services and the import; the database only admits the value). `completed` keeps
 * its meaning: implemented, not yet proven.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `alter table measures drop constraint measures_status_check`,
    `alter table measures add constraint measures_status_check
      check (status in ('planned', 'in_progress', 'completed', 'closed', 'cancelled'))`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
