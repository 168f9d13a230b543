import { type Kysely, sql } from 'kysely';

/**
 * An authenticator being enrolled belongs to the session that started it: its secret waits on the
 * session, so another session of the same user (someone who learned the password) never sees it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('alter table sessions add column totp_pending text').execute(db);
}
