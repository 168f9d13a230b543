import { type Kysely, sql } from 'kysely';

/**
 * Public progress updates: written in Japanese and English, draft → approved by a second person →
 * published. A published update is never changed: a correction is a new update that names the one
 * it corrects and says what changed. Keyed by program code, like reports, so they outlive a
 * re-import. A trigger refuses changing, deleting or truncating what was published.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create table disclosures (
      id uuid primary key default gen_random_uuid(),
      program_code text not null,
      number integer not null check (number > 0),
      corrects uuid references disclosures(id) on delete restrict,
      correction_note_ja text,
      correction_note_en text,
      title_ja text not null,
      title_en text not null,
      body_ja text not null,
      body_en text not null,
      status text not null default 'draft' check (status in ('draft', 'approved', 'published')),
      created_by text not null,
      created_at timestamptz not null default now(),
      approved_by text,
      approved_at timestamptz,
      published_by text,
      published_at timestamptz,
      sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
      version integer not null default 1,
      unique (program_code, number),
      check (corrects is null or (correction_note_ja is not null and correction_note_en is not null)),
      check (status <> 'published' or (published_at is not null and sha256 is not null and approved_by is not null))
    )`,
    `create function disclosures_frozen() returns trigger language plpgsql as $$
     begin
       if tg_op = 'TRUNCATE' then
         raise exception 'published updates cannot be truncated' using errcode = 'P0001';
       end if;
       if old.status = 'published' then
         raise exception 'published update % cannot be changed', old.id using errcode = 'P0001';
       end if;
       if tg_op = 'DELETE' then return old; end if;
       return new;
     end $$`,
    `create trigger disclosures_frozen before update or delete on disclosures
       for each row execute function disclosures_frozen()`,
    `create trigger disclosures_no_truncate before truncate on disclosures
       for each statement execute function disclosures_frozen()`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
