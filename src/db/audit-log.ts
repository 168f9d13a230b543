/**
 * Appends audit events to the Merkle log inside the transaction of their change: the log's head is
 * locked first, so sequence numbers follow the order of commits without gaps; each event carries
 * the state of the unit it changed (read back after the change) and its leaf hash; the head keeps
 * the size and the frontier of the tree.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { eventLeafHash, type LoggedEvent } from '../domain/audit-event.ts';
import { applyState, type EventState, stateOf } from '../domain/audit-state.ts';
import { appendLeaf, type Frontier } from '../domain/merkle.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { readProgram } from './program-reader.ts';
import type { DB } from './schema.ts';

export interface NewEvent {
  action: string;
  entityType: string;
  entityId?: string | null | undefined;
  entityCode?: string | null | undefined;
  programId?: string | null | undefined;
  payload?: Record<string, unknown> | undefined;
}

type StoredFrontier = Array<{ hash: string; height: number }>;

export const frontierOf = (stored: unknown): Frontier =>
  ((stored ?? []) as StoredFrontier).map((n) => ({ hash: Buffer.from(n.hash, 'hex'), height: n.height }));
export const storedFrontier = (f: Frontier): StoredFrontier =>
  f.map((n) => ({ hash: n.hash.toString('hex'), height: n.height }));

/** A stored row of the log as the event it hashes; `seq` for a row that has no number yet. */
export function loggedEventOf(
  row: {
    seq: number | null;
    occurred_at: Date | string;
    actor: string;
    action: string;
    entity_type: string;
    entity_id: string | null;
    entity_code: string | null;
    program_id: string | null;
    payload: unknown;
    state: unknown;
  },
  seq = Number(row.seq),
): LoggedEvent {
  return {
    seq,
    at: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    entityCode: row.entity_code,
    programId: row.program_id,
    payload: row.payload,
    state: row.state ?? null,
  };
}

/** The states the events of one transaction record: the program read back once after the change. */
async function statesOf(
  trx: Transaction<DB>,
  events: readonly NewEvent[],
): Promise<Array<EventState | null>> {
  const programIds = [...new Set(events.map((e) => e.programId).filter((id): id is string => Boolean(id)))];
  const files = new Map<string, Awaited<ReturnType<typeof readProgram>>>();
  for (const id of programIds) {
    const row = await trx.selectFrom('programs').select('code').where('id', '=', id).executeTakeFirst();
    if (row) files.set(id, await readProgram(trx, row.code));
  }
  return events.map((e) => {
    const snapshot = e.programId ? files.get(e.programId) : undefined;
    if (!snapshot) return null;
    if (e.entityType === 'program' && /\.(imported|replaced|baselined)$/.test(e.action))
      return { unit: 'file', value: snapshot.file };
    return stateOf(snapshot.file, e.entityType, e.entityCode ?? null) ?? null;
  });
}

/** Appends the events of a transaction to the log; returns their sequence numbers. */
export async function appendEvents(
  trx: Transaction<DB>,
  actor: string,
  events: readonly NewEvent[],
  /** The instant to record; the clock's when absent. */
  requested?: Date,
): Promise<number[]> {
  if (events.length === 0) return [];
  const head = await trx
    .selectFrom('audit_log_head')
    .selectAll()
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const frontier = frontierOf(head.frontier);
  const states = await statesOf(trx, events);
  // Time never runs backwards in the log, so the state at an instant is the state after a prefix.
  const last = await trx
    .selectFrom('audit_events')
    .select('occurred_at')
    .where('seq', '=', Number(head.size))
    .executeTakeFirst();
  const previous = last ? new Date(last.occurred_at).getTime() : Number.NEGATIVE_INFINITY;
  if (requested && requested.getTime() < previous)
    throw new Error(
      `audit log: ${requested.toISOString()} is earlier than the last event (${new Date(previous).toISOString()})`,
    );
  // Milliseconds: the instant hashed is the instant stored, on every backend. A server clock set
  // back keeps the last event's instant.
  const at = new Date(Math.max(Math.floor((requested ?? new Date()).getTime()), previous));
  let size = Number(head.size);
  const rows = events.map((e, i) => {
    const logged: LoggedEvent = {
      seq: ++size,
      at: at.toISOString(),
      actor,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      entityCode: e.entityCode ?? null,
      programId: e.programId ?? null,
      payload: e.payload ?? {},
      state: states[i] ?? null,
    };
    const leaf = eventLeafHash(logged);
    appendLeaf(frontier, leaf);
    return {
      seq: logged.seq,
      occurred_at: at,
      actor,
      action: logged.action,
      entity_type: logged.entityType,
      entity_id: logged.entityId,
      entity_code: logged.entityCode,
      program_id: logged.programId,
      payload: JSON.stringify(logged.payload),
      state: logged.state === null ? null : JSON.stringify(logged.state),
      leaf_hash: leaf.toString('hex'),
    };
  });
  await trx.insertInto('audit_events').values(rows).execute();
  await trx
    .updateTable('audit_log_head')
    .set({ size, frontier: JSON.stringify(storedFrontier(frontier)) })
    .where('id', '=', 1)
    .execute();
  return rows.map((r) => r.seq);
}

/** The ids of every program that held a code (up to an instant), as the log recorded them. */
export async function programIdsOfCode(db: Kysely<DB>, code: string, until?: Date): Promise<string[]> {
  let q = db
    .selectFrom('audit_events')
    .select('program_id')
    .distinct()
    .where('program_id', 'is not', null)
    .where(sql<boolean>`state->>'unit' in ('file', 'program')`)
    .where(sql<boolean>`state->'value'->'program'->>'code' = ${code}`);
  if (until) q = q.where('occurred_at', '<=', until);
  return (await q.execute()).map((h) => h.program_id!);
}

/**
 * A program as its events rebuild it at an instant: the events up to it, in order, of every
 * program that held the code (an import that replaced one ends the one before). Undefined when no
 * program had the code then. `seq` is the last event folded in.
 */
export async function programFromLog(
  db: Kysely<DB>,
  code: string,
  instant: Date,
): Promise<{ file: ProgramFile; seq: number } | undefined> {
  const ids = await programIdsOfCode(db, code, instant);
  if (ids.length === 0) return undefined;
  const programs = new Map<string, { file: ProgramFile | undefined; seq: number }>();
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_events')
      .select(['seq', 'action', 'program_id', 'payload', 'state'])
      .where('program_id', 'in', ids)
      .where('occurred_at', '<=', instant)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(5_000)
      .execute();
    for (const e of page) {
      const id = e.program_id!;
      if (e.state)
        programs.set(id, {
          file: applyState(programs.get(id)?.file, e.state as EventState),
          seq: Number(e.seq),
        });
      const replaced = (e.payload as { replacedId?: unknown } | null)?.replacedId;
      if (e.action === 'program.replaced' && typeof replaced === 'string') programs.delete(replaced);
    }
    if (page.length < 5_000) break;
    after = Number(page.at(-1)!.seq);
  }
  let found: { file: ProgramFile; seq: number } | undefined;
  for (const p of programs.values())
    if (p.file?.program.code === code && (!found || p.seq > found.seq)) found = { file: p.file, seq: p.seq };
  return found;
}

/** Whether the log holds no event yet. */
export async function logIsEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('audit_events').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
