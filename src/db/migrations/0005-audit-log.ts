import { type Kysely, sql } from 'kysely';

/**
 * The audit log as a Merkle log: each event gets a sequence number without gaps (assigned under a
 * lock on the log's head, so the order of the tree is the order of commits), the state of the
 * record it changed, and its leaf hash; the head keeps the tree's size and the roots of its
 * perfect subtrees; checkpoints are signed notes of (size, root). Events written before this
 * migration are numbered and hashed by the application on its next start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `alter table audit_events add column seq bigint unique`,
    `alter table audit_events add column state jsonb`,
    `alter table audit_events add column leaf_hash text`,
    `create table audit_log_head (
      id smallint primary key check (id = 1),
      size bigint not null,
      frontier jsonb not null
    )`,
    `insert into audit_log_head (id, size, frontier) values (1, 0, '[]')`,
    `create table audit_checkpoints (
      size bigint primary key,
      root_hash text not null,
      note text not null,
      created_at timestamptz not null default now()
    )`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
