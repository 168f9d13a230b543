/** Optimistic locking: an update names the version it read; a stale one changes nothing. */
import { sql } from 'kysely';
import type { Trx } from './program-writer.ts';
import type { DB } from './schema.ts';

type VersionedTable = {
  [T in keyof DB]: DB[T] extends { version: unknown; id: unknown; updated_at: unknown } ? T : never;
}[keyof DB];

/** Sets columns on one row if its version is still `version`; returns the new version, or undefined when stale. */
export async function updateVersioned(
  trx: Trx,
  table: VersionedTable,
  id: string,
  version: number,
  set: Record<string, unknown>,
): Promise<number | undefined> {
  const row = await trx
    .updateTable(table)
    .set({ ...(set as object), version: sql`version + 1`, updated_at: sql`now()` } as never)
    .where('id', '=', id as never)
    .where('version', '=', version as never)
    .returning('version')
    .executeTakeFirst();
  return (row as { version: number } | undefined)?.version;
}

export type { VersionedTable };
