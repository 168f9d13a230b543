/**
 * The storage backends every storage test runs on: embedded PGlite always, and a PostgreSQL
 * server when TEST_DATABASE_URL is set. Each test file gets a fresh database of its own.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { assignmentsOf } from '../../src/services/account.service.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { systemActor } from '../../src/services/context.ts';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated database; call `close` when done (it also drops a server database). */
  create(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  ctx: ServiceContext;
  /** Connection string of a server database, for tests that open a second connection. */
  url?: string;
}

const serverUrl = process.env.TEST_DATABASE_URL;
let announced = false;

export function backends(): Backend[] {
  const list: Backend[] = [{ name: 'pglite', create: () => fresh(openDatabase({ dataDir: 'memory' })) }];
  if (serverUrl) list.push({ name: 'postgres', create: createServerDatabase });
  else if (process.env.OVERSIGHT_TEST_STRICT)
    throw new Error('TEST_DATABASE_URL must be set when OVERSIGHT_TEST_STRICT is');
  else if (!announced) {
    announced = true;
    console.warn('TEST_DATABASE_URL is not set: the PostgreSQL runs of the storage tests are skipped.');
  }
  return list;
}

async function fresh(opening: Promise<Database>, url?: string): Promise<TestDatabase> {
  const database = await opening;
  await migrateToLatest(database.db);
  return {
    ...database,
    ctx: { db: database.db, actor: systemActor('test:runner') },
    ...(url ? { url } : {}),
  };
}

async function createServerDatabase(): Promise<TestDatabase> {
  const name = `oversight_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const database = await fresh(openDatabase({ url: url.toString() }), url.toString());
  return {
    ...database,
    async close() {
      await database.close();
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      try {
        await drop.query(`drop database if exists ${name} with (force)`);
      } finally {
        await drop.end();
      }
    },
  };
}

/** The context of an existing user signed in through a browser session, with their roles as stored. */
export async function userContext(t: TestDatabase, username: string): Promise<ServiceContext> {
  const row = await t.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  const assignments = await assignmentsOf(t.db, row.id);
  return {
    db: t.db,
    actor: {
      id: `user:${username}`,
      principal: { kind: 'user', id: row.id, username, assignments, via: 'session' },
    },
  };
}
