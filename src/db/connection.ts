/**
 * Opens the database: embedded PGlite in a data directory (the default), or a PostgreSQL server
 * when a URL is given. Both get the same type parsers, so a `date` column is a `YYYY-MM-DD`
 * string, `int8` and `numeric` are numbers, on either backend.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../domain/errors.ts';
import { acquireLock, type Lock } from './lock.ts';
import type { DB } from './schema.ts';

export type Backend = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  backend: Backend;
  /** Where the data lives: a data directory, `memory`, or the server URL without its password. */
  location: string;
  close(): Promise<void>;
}

const OID = { int8: 20, date: 1082, numeric: 1700 } as const;
const parseDate = (v: string) => v;
const parseNumber = (v: string) => Number(v);

export interface OpenOptions {
  /** PostgreSQL connection string; when absent the embedded database is used. */
  url?: string | undefined;
  /** PGlite data directory, or `memory` for a throw-away database. */
  dataDir?: string;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url);
  return openPGlite(options.dataDir ?? './.oversight');
}

async function openPostgres(url: string): Promise<Database> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === OID.date) return parseDate;
      if (oid === OID.int8 || oid === OID.numeric) return parseNumber;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new AppError('internal', 'errors.database_unreachable', { location: redact(url) }, [], { cause });
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, backend: 'postgres', location: redact(url), close: () => db.destroy() };
}

async function openPGlite(dataDir: string): Promise<Database> {
  const memory = dataDir === 'memory';
  let lock: Lock | undefined;
  let dir = dataDir;
  if (!memory) {
    dir = resolve(dataDir);
    mkdirSync(dirname(dir), { recursive: true });
    lock = acquireLock(`${dir}.lock`);
  }
  try {
    const pglite = await PGlite.create(memory ? undefined : dir, {
      parsers: { [OID.date]: parseDate, [OID.int8]: parseNumber, [OID.numeric]: parseNumber },
    });
    const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
    return {
      db,
      backend: 'pglite',
      location: memory ? 'memory' : dir,
      async close() {
        await db.destroy(); // closes PGlite, which checkpoints its WAL
        lock?.release();
      },
    };
  } catch (cause) {
    lock?.release();
    throw new AppError('internal', 'errors.database_open_failed', { location: dir }, [], { cause });
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
