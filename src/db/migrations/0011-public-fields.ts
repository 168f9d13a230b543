import { type Kysely, sql } from 'kysely';

/**
 * What may reach the public: every field is internal unless it is one of these. A program's public
 * name and its disclosure cadence; a measure's public title; whether a directive (its items) and an
 * incident (its figures and secondary damage) are public.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `alter table programs add column public_name text`,
    `alter table programs add column public_name_ja text`,
    `alter table programs add column disclosure_cadence_months integer
       check (disclosure_cadence_months between 1 and 24)`,
    `alter table measures add column public_title text`,
    `alter table measures add column public_title_ja text`,
    `alter table directives add column is_public boolean not null default false`,
    `alter table incidents add column is_public boolean not null default false`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
