import { type Kysely, sql } from 'kysely';

/**
 * A directive item's text in Japanese beside the text it was given in: a Japanese regulator's
 * guidance is read, and answered, in Japanese; reports in Japanese quote the items in it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('alter table directive_items add column text_ja text').execute(db);
}
