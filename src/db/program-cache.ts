/**
 * The last snapshot of each program this process read, kept while the audit log has not grown.
 * Every change to a program appends to the log in the change's own transaction (one write path),
 * so the log's size names a state of every program: a reader that sees the same size may share the
 * snapshot read at that size, in this process or, on PostgreSQL, across processes (each process
 * asks the database for the size, so a write by another server is seen at once).
 *
 * Measured on a generated program ten times the reference case (docs/performance.md): reading it
 * whole takes about a second on PGlite, and every page needs it. Snapshots are frozen, so a caller
 * that changed one by mistake fails loudly instead of changing what others read.
 */
import type { Kysely } from 'kysely';
import { type ProgramSnapshot, readProgram } from './program-reader.ts';
import type { DB } from './schema.ts';

interface Entry {
  size: number;
  snapshot: Promise<ProgramSnapshot | undefined>;
}

/** Per database handle, per program code: the snapshot at a log size. */
const cache = new WeakMap<Kysely<DB>, Map<string, Entry>>();

/** How many programs a process keeps; the least recently read goes first. */
const KEEP = 8;

/** The program as the tables hold it now; shared with other readers while the log has not grown. */
export async function readProgramCached(
  db: Kysely<DB>,
  programCode: string,
): Promise<ProgramSnapshot | undefined> {
  // Inside a transaction the caller may have changed the program already: read it afresh.
  if (db.isTransaction) return readProgram(db, programCode);
  const size = await logSize(db);
  let programs = cache.get(db);
  if (!programs) {
    programs = new Map();
    cache.set(db, programs);
  }
  const hit = programs.get(programCode);
  if (hit && hit.size === size) {
    programs.delete(programCode);
    programs.set(programCode, hit);
    return hit.snapshot;
  }
  // One read for every request that arrives while it runs.
  const snapshot = readProgram(db, programCode).then((s) => (s ? deepFreeze(s) : s));
  programs.set(programCode, { size, snapshot });
  snapshot.catch(() => {
    if (programs.get(programCode)?.snapshot === snapshot) programs.delete(programCode);
  });
  while (programs.size > KEEP) programs.delete(programs.keys().next().value!);
  return snapshot;
}

async function logSize(db: Kysely<DB>): Promise<number> {
  const head = await db.selectFrom('audit_log_head').select('size').where('id', '=', 1).executeTakeFirst();
  return Number(head?.size ?? 0);
}

/** Freezes an object and everything it holds (a Map's values too). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (value instanceof Map) {
    for (const v of value.values()) deepFreeze(v);
  } else {
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return Object.freeze(value);
}
