import { type Kysely, sql } from 'kysely';

/**
 * A program's own DOCX template for its reports, and its own cover text per directive
 * (docs/report-templates.md). Each upload is a new version, kept for good with its bytes, SHA-256
 * and the placeholders it uses: a trigger refuses changing or deleting one, so a report rendered
 * with a version can be rendered with it again. Which version is in use is a row per program (none:
 * the built-in layout). A report records, from review on, the template version it is laid out with.
 * Everything names its program by code, as reports do, so it outlives a re-import of the program.
 *
 * The bytes live in the database (bytea), not in the evidence store: a template is small (5 MB at
 * most), it is written in the same transaction as its audit event and its version number, and it
 * is backed up, copied and restored with the reports that were laid out with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create table report_templates (
      program_code text not null,
      template_version integer not null check (template_version > 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      filename text not null,
      size integer not null check (size > 0),
      placeholders jsonb not null,
      bytes bytea not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (program_code, template_version)
    )`,
    `create function report_templates_kept() returns trigger language plpgsql as $$
     begin
       raise exception 'a version of a report template cannot be changed or deleted' using errcode = 'P0001';
     end $$`,
    `create trigger report_templates_kept before update or delete on report_templates
       for each row execute function report_templates_kept()`,
    `create trigger report_templates_no_truncate before truncate on report_templates
       for each statement execute function report_templates_kept()`,
    `create table report_template_settings (
      program_code text primary key,
      active_version integer,
      version integer not null default 1,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      foreign key (program_code, active_version) references report_templates(program_code, template_version)
    )`,
    `create table report_covers (
      program_code text not null,
      directive_code text not null,
      text_en text,
      text_ja text,
      version integer not null default 1,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      primary key (program_code, directive_code)
    )`,
    `alter table reports
      add column template_version integer,
      add column template_sha256 text check (template_sha256 ~ '^[0-9a-f]{64}$')`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
