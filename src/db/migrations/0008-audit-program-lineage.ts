import { type Kysely, sql } from 'kysely';

/**
 * Time travel and per-program views of the log find a program's events by the code it held (an
 * import that replaces a program gives it a new id): an index on the code recorded by the events
 * that hold a program's own fields, and one on (program, seq) for reading a program's events in
 * order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create index audit_events_program_code on audit_events ((state->'value'->'program'->>'code'))
       where state->>'unit' in ('file', 'program')`,
    `create index audit_events_program_seq on audit_events(program_id, seq)`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
