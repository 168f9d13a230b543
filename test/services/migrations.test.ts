import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateToLatest } from '../../src/db/migrate.ts';
import type { DB } from '../../src/db/schema.ts';
import { backends, type TestDatabase } from '../support/backends.ts';

const tableExists = async (db: Kysely<DB>, name: string) =>
  (
    await sql<{ n: number }>`select count(*) as n from information_schema.tables
      where table_schema = current_schema() and table_name = ${name}`.execute(db)
  ).rows[0]!.n > 0;

describe.each(backends())('migrations on $name', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await backend.create();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('applies each migration once', async () => {
    expect(await migrateToLatest(t.db)).toEqual([]);
    const applied = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(
      t.db,
    );
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
  });

  it('leaves the database as it was when a migration fails halfway', async () => {
    const failing = {
      ...MIGRATIONS,
      '9999-half-done': {
        async up(db: Kysely<unknown>) {
          await sql`create table half_done (id integer primary key)`.execute(db);
          await sql`insert into half_done values (1)`.execute(db);
          await sql`alter table programs add column not_there_yet text`.execute(db);
          await sql`select * from a_table_that_does_not_exist`.execute(db);
        },
      },
    };
    await expect(migrateToLatest(t.db, failing)).rejects.toMatchObject({
      code: 'internal',
      key: 'errors.migration_failed',
      params: { migration: '9999-half-done' },
    });
    expect(await tableExists(t.db, 'half_done')).toBe(false);
    const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'programs'`.execute(t.db);
    expect(columns.rows.map((c) => c.column_name)).not.toContain('not_there_yet');
    const applied = await sql<{ name: string }>`select name from schema_migrations`.execute(t.db);
    expect(applied.rows.map((r) => r.name)).not.toContain('9999-half-done');
  });
});
