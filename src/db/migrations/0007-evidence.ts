import { type Kysely, sql } from 'kysely';

/**
 * Evidence: files attached to measures, milestones and verifications. The bytes are kept outside
 * the database, stored by their SHA-256 (the same file twice is stored once); the database keeps
 * what each attachment is, and the audit log records its hash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create table evidence (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      entity_type text not null check (entity_type in ('measure','milestone','verification')),
      entity_code text not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size bigint not null check (size > 0),
      media_type text not null,
      filename text not null,
      description text,
      created_by text not null,
      created_at timestamptz not null default now()
    )`,
    `create index evidence_entity on evidence(program_id, entity_type, entity_code)`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
