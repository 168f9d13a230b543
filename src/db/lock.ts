/**
 * An exclusive lock file beside a PGlite data directory: two processes opening one data
 * directory would corrupt it silently. The file holds the owner's pid; a lock whose process is
 * gone is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { sql } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { Database } from './connection.ts';

export interface Lock {
  path: string;
  release(): void;
}

export function acquireLock(path: string): Lock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          try {
            if (ownerOf(path) === process.pid) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = ownerOf(path);
      if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
        throw new AppError('locked', 'errors.data_dir_locked', { path, pid });
      }
      if (pid === process.pid) throw new AppError('locked', 'errors.data_dir_locked', { path, pid });
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new AppError('locked', 'errors.data_dir_locked', { path, pid: ownerOf(path) ?? '?' });
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The advisory lock key under which server processes start (migrate, seed, prepare the log). */
const STARTUP_LOCK = 0x6f76_7273; // "ovrs"

/**
 * Runs `fn` while no other process starting on the same PostgreSQL database runs it: a
 * session-level advisory lock held on a connection of its own, released when `fn` ends. On the
 * embedded database the lock file already keeps every other process out.
 */
export async function whileStarting<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  if (database.backend !== 'postgres') return fn();
  return database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${STARTUP_LOCK})`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${STARTUP_LOCK})`.execute(conn);
    }
  });
}
