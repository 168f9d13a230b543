import { type Kysely, sql } from 'kysely';

/**
 * Reports to the regulator: draft → in review → approved → submitted. From review on, the report's
 * model is frozen (what is approved is what is sent); submitting stores the rendered files with
 * their SHA-256 and the audit checkpoint of that moment. Reports name their program by code, so
 * they outlive a re-import of the program. A trigger refuses any change to a submitted report or
 * its files, any file added to it, any deletion or truncation, and any change to or deletion of a
 * regulator's finding — whatever path the change comes by. A report's model is frozen with its
 * SHA-256 (RFC 8785 JSON), which the review, approval and submission events record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create table reports (
      id uuid primary key default gen_random_uuid(),
      program_code text not null,
      directive_code text not null,
      as_of date not null,
      status text not null default 'draft' check (status in ('draft', 'in_review', 'approved', 'submitted')),
      model jsonb,
      model_sha256 text check (model_sha256 ~ '^[0-9a-f]{64}$'),
      created_by text not null,
      created_at timestamptz not null default now(),
      reviewed_by text,
      reviewed_at timestamptz,
      approved_by text,
      approved_at timestamptz,
      submitted_by text,
      submitted_at timestamptz,
      checkpoint_size bigint,
      checkpoint_note text,
      version integer not null default 1,
      check (status = 'draft' or (model is not null and model_sha256 is not null)),
      check (status <> 'submitted' or (submitted_at is not null and approved_by is not null))
    )`,
    `create index reports_program on reports(program_code, directive_code, as_of)`,
    `create table report_files (
      report_id uuid not null references reports(id) on delete restrict,
      format text not null,
      lang text not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size bigint not null,
      media_type text not null,
      bytes bytea not null,
      primary key (report_id, format, lang)
    )`,
    `create table report_findings (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references reports(id) on delete restrict,
      item_code text not null,
      refers_to text,
      text text not null,
      created_by text not null,
      created_at timestamptz not null default now()
    )`,
    `create function reports_frozen() returns trigger language plpgsql as $$
     begin
       if tg_op = 'TRUNCATE' then
         raise exception 'reports, their files and findings cannot be truncated' using errcode = 'P0001';
       end if;
       if tg_table_name = 'report_findings' then
         raise exception 'a regulator''s finding cannot be changed or deleted' using errcode = 'P0001';
       end if;
       if tg_op = 'INSERT' then
         if exists (select 1 from reports r where r.id = new.report_id and r.status = 'submitted') then
           raise exception 'no file can be added to submitted report %', new.report_id using errcode = 'P0001';
         end if;
         return new;
       end if;
       if tg_table_name = 'reports' then
         if old.status = 'submitted' then
           raise exception 'report % was submitted and cannot be changed', old.id using errcode = 'P0001';
         end if;
       elsif exists (select 1 from reports r where r.id = old.report_id and r.status = 'submitted') then
         raise exception 'the files of submitted report % cannot be changed', old.report_id using errcode = 'P0001';
       end if;
       if tg_op = 'DELETE' then return old; end if;
       return new;
     end $$`,
    `create trigger reports_frozen before update or delete on reports
       for each row execute function reports_frozen()`,
    `create trigger report_files_frozen before insert or update or delete on report_files
       for each row execute function reports_frozen()`,
    `create trigger report_findings_frozen before update or delete on report_findings
       for each row execute function reports_frozen()`,
    ...['reports', 'report_files', 'report_findings'].map(
      (t) =>
        `create trigger ${t}_no_truncate before truncate on ${t} for each statement execute function reports_frozen()`,
    ),
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
