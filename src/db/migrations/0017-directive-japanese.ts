import { type Kysely, sql } from 'kysely';

/**
 * A directive's title in Japanese beside the title it was given in: the reports in Japanese, their
 * covers and the pages name the guidance as a Japanese reader knows it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('alter table directives add column title_ja text').execute(db);
}
