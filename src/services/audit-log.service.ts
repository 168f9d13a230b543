/**
 * The audit log as a Merkle log: signed checkpoints of its head, inclusion and consistency proofs,
 * and verification — the tree recomputed from the events, every checkpoint's signature and root,
 * and every record rebuilt from the events and compared with the tables, so an event edited,
 * deleted or moved, a checkpoint swapped, a wrong key or a row changed without an event is found
 * and named.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type Kysely, sql, type Transaction } from 'kysely';
import { frontierOf, loggedEventOf, storedFrontier } from '../db/audit-log.ts';
import { readProgram } from '../db/program-reader.ts';
import type { DB } from '../db/schema.ts';
import { eventLeafHash, type LoggedEvent } from '../domain/audit-event.ts';
import { applyState, type EventState, firstDifference } from '../domain/audit-state.ts';
import { openCheckpoint, signCheckpoint } from '../domain/checkpoint.ts';
import { AppError } from '../domain/errors.ts';
import {
  appendLeaf,
  consistencyProof,
  type Frontier,
  frontierRoot,
  type Hash,
  inclusionProof,
} from '../domain/merkle.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { systemActor, write } from './context.ts';
import type { LogSigner } from './log-key.ts';

type Db = Kysely<DB>;

/** Reads the events in order, a page at a time: millions fit through without being held at once. */
async function* events(db: Db): AsyncGenerator<LoggedEvent & { storedLeaf: string | null }> {
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_events')
      .select([
        'seq',
        'occurred_at',
        'actor',
        'action',
        'entity_type',
        'entity_id',
        'entity_code',
        'program_id',
        'payload',
        'state',
        'leaf_hash',
      ])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(5_000)
      .execute();
    for (const r of page) yield { ...loggedEventOf(r), storedLeaf: r.leaf_hash };
    if (page.length < 5_000) return;
    after = Number(page.at(-1)!.seq);
  }
}

async function head(db: Db): Promise<{ size: number; frontier: Frontier }> {
  const row = await db.selectFrom('audit_log_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return { size: Number(row.size), frontier: frontierOf(row.frontier) };
}

/** The note of the last checkpoint a signer signed, kept outside the database; undefined before the first. */
export const keptCheckpoint = (signer: LogSigner): string | undefined => readPin(signer)?.note;

/** The last checkpoint a signer signed, as it keeps it outside the database. */
interface Pin {
  size: number;
  frontier: ReturnType<typeof storedFrontier>;
  note: string;
}

const pins = new Map<LogSigner, Pin>();

function readPin(signer: LogSigner): Pin | undefined {
  if (!signer.pinPath) return pins.get(signer);
  if (!existsSync(signer.pinPath)) return undefined;
  return JSON.parse(readFileSync(signer.pinPath, 'utf8')) as Pin;
}

function writePin(signer: LogSigner, pin: Pin): void {
  if (!signer.pinPath) {
    pins.set(signer, pin);
    return;
  }
  // A file of this process's own, renamed into place: another server process may pin at once.
  const partial = `${signer.pinPath}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(pin), { mode: 0o600 });
  renameSync(partial, signer.pinPath);
}

/**
 * Signs the log's head as a checkpoint, unless the latest checkpoint already covers it. The head
 * must extend the last checkpoint this signer signed (kept outside the database): its frontier,
 * with the leaves of the events since appended, must give the head's root. A log rewritten
 * underneath — even with its checkpoints deleted — is refused, never signed.
 */
export async function checkpointNow(db: Db, signer: LogSigner): Promise<{ size: number; note: string }> {
  const { size, frontier } = await head(db);
  const pin = readPin(signer);
  const extended: Frontier = pin ? frontierOf(pin.frontier) : [];
  if (pin) {
    if (size < pin.size) throw new AppError('conflict', 'errors.log_diverged', { size: pin.size });
    if (size === pin.size) {
      if (!frontierRoot(frontier).equals(frontierRoot(extended)))
        throw new AppError('conflict', 'errors.log_diverged', { size: pin.size });
      return { size, note: pin.note };
    }
  }
  const since = pin?.size ?? 0;
  const rows = await db
    .selectFrom('audit_events')
    .select(['seq', 'leaf_hash'])
    .where('seq', '>', since)
    // Events written after the head was read (by a concurrent change) wait for the next checkpoint.
    .where('seq', '<=', size)
    .orderBy('seq')
    .execute();
  rows.forEach((r, i) => {
    if (Number(r.seq) !== since + i + 1)
      throw new AppError('conflict', 'errors.log_diverged', { size: since });
    appendLeaf(extended, Buffer.from(r.leaf_hash ?? '', 'hex'));
  });
  const root = frontierRoot(extended);
  if (since + rows.length !== size || !root.equals(frontierRoot(frontier)))
    throw new AppError('conflict', 'errors.log_diverged', { size: since });
  const note = signCheckpoint({ origin: signer.origin, size, root }, signer.name, signer.privateKey);
  await db
    .insertInto('audit_checkpoints')
    .values({ size, root_hash: root.toString('hex'), note })
    .onConflict((oc) => oc.column('size').doNothing())
    .execute();
  writePin(signer, { size, frontier: storedFrontier(extended), note });
  return { size, note };
}

export async function latestCheckpoint(db: Db): Promise<{ size: number; note: string } | undefined> {
  const last = await db
    .selectFrom('audit_checkpoints')
    .select(['size', 'note'])
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? { size: Number(last.size), note: last.note } : undefined;
}

/** All leaf hashes as stored, in order (for proofs). */
async function storedLeaves(db: Db): Promise<Hash[]> {
  const out: Hash[] = [];
  for await (const e of events(db)) out.push(Buffer.from(e.storedLeaf ?? '', 'hex'));
  return out;
}

/** The event at a sequence number with its inclusion proof in the tree of the latest checkpoint. */
export async function inclusionProofOf(db: Db, seq: number) {
  const checkpoint = await latestCheckpoint(db);
  if (!checkpoint || seq < 1 || seq > checkpoint.size)
    throw new AppError('not_found', 'errors.not_found', { entity: 'event', code: String(seq) });
  const leaves = (await storedLeaves(db)).slice(0, checkpoint.size);
  const event = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  return {
    seq,
    leafIndex: seq - 1,
    treeSize: checkpoint.size,
    leafHash: leaves[seq - 1]!.toString('base64'),
    proof: inclusionProof(leaves, seq - 1).map((h) => h.toString('base64')),
    checkpoint: checkpoint.note,
    event: loggedEventOf(event),
  };
}

/** A consistency proof between the trees of two sizes. */
export async function consistencyProofOf(db: Db, from: number, to: number) {
  const leaves = await storedLeaves(db);
  if (from < 0 || to < from || to > leaves.length)
    throw new AppError('bad_request', 'errors.validation', { count: 1 }, [
      {
        path: 'size',
        key: 'validation.invalid_value',
        params: { allowed: `0…${leaves.length}`, input: `${from}…${to}` },
      },
    ]);
  return { from, to, proof: consistencyProof(leaves, from, to).map((h) => h.toString('base64')) };
}

export type Problem =
  | { kind: 'missing_event'; seq: number }
  | { kind: 'altered_event'; seq: number }
  | { kind: 'time_reversed'; seq: number }
  | { kind: 'head'; size: number }
  | { kind: 'checkpoint_signature'; size: number }
  | { kind: 'checkpoint_root'; size: number; firstSuspect: number }
  | { kind: 'checkpoint_beyond_log'; size: number }
  | { kind: 'record'; program: string; record: string; lastEvent: number | null }
  | { kind: 'program_missing'; program: string; lastEvent: number }
  | { kind: 'unsealed_event' }
  | { kind: 'evidence'; id: string }
  | { kind: 'outside_checkpoint'; size: number };

export interface Verification {
  ok: boolean;
  events: number;
  checkpoints: number;
  root: string;
  problems: Problem[];
  /** Events verified per second, for the bench. */
  rate: number;
}

/**
 * Verifies the log against a checkpoint key (raw Ed25519 public key and name): the events'
 * sequence and leaf hashes, every checkpoint's signature and root, the head, and the state of
 * every record rebuilt from the events against the tables.
 */
export async function verifyAuditLog(
  db: Db,
  key: { name: string; publicKey: Buffer },
  /** Checkpoints kept outside the database (the signer's own, a witness's copy): the log must still hold them. */
  outside: readonly string[] = [],
): Promise<Verification> {
  // One snapshot for every read: writes going on meanwhile are neither half seen nor taken for tampering.
  if (!db.isTransaction)
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute((trx) => verifyAuditLog(trx, key, outside));
  const started = performance.now();
  const problems: Problem[] = [];
  const checkpoints = (
    await db.selectFrom('audit_checkpoints').select(['size', 'root_hash', 'note']).orderBy('size').execute()
  ).map((c) => ({
    size: Number(c.size),
    note: c.note,
  }));
  // Each checkpoint, opened with the key: its signed size and root.
  const signed = new Map<number, Hash>();
  // Those kept outside, too.
  const kept = new Map<number, Hash>();
  for (const note of outside) {
    const opened = openCheckpoint(note, key.name, key.publicKey);
    if (!opened.ok) problems.push({ kind: 'outside_checkpoint', size: -1 });
    else kept.set(opened.checkpoint.size, opened.checkpoint.root);
  }
  for (const c of checkpoints) {
    const opened = openCheckpoint(c.note, key.name, key.publicKey);
    if (!opened.ok || opened.checkpoint.size !== c.size)
      problems.push({ kind: 'checkpoint_signature', size: c.size });
    else signed.set(c.size, opened.checkpoint.root);
  }
  const frontier: Frontier = [];
  // A checkpoint signed while the log was still empty (a server started on a fresh database).
  const empty = frontierRoot(frontier);
  const keptEmpty = kept.get(0);
  if (keptEmpty && !keptEmpty.equals(empty)) problems.push({ kind: 'outside_checkpoint', size: 0 });
  kept.delete(0);
  const signedEmpty = signed.get(0);
  if (signedEmpty && !signedEmpty.equals(empty))
    problems.push({ kind: 'checkpoint_root', size: 0, firstSuspect: 1 });
  const attached = new Map<
    string,
    { sha256: string; kind: string; code: string; programId: string | null }
  >();
  const programs = new Map<string, ProgramFile | undefined>();
  const lastTouch = new Map<string, number>();
  let expected = 1;
  let lastGood = 0;
  let lastAt = '';
  let size = 0;
  for await (const e of events(db)) {
    if (e.seq !== expected) {
      problems.push({ kind: 'missing_event', seq: expected });
      expected = e.seq;
    }
    expected++;
    const leaf = eventLeafHash(e);
    if (e.storedLeaf !== leaf.toString('hex')) problems.push({ kind: 'altered_event', seq: e.seq });
    // Instants never go back (the log refuses it), so "as of an instant" is a prefix of the log.
    if (e.at < lastAt) problems.push({ kind: 'time_reversed', seq: e.seq });
    lastAt = e.at;
    appendLeaf(frontier, leaf);
    size = e.seq;
    const outsideRoot = kept.get(size);
    if (outsideRoot && !frontierRoot(frontier).equals(outsideRoot))
      problems.push({ kind: 'outside_checkpoint', size });
    kept.delete(size);
    const root = signed.get(size);
    if (root) {
      if (!frontierRoot(frontier).equals(root))
        problems.push({ kind: 'checkpoint_root', size, firstSuspect: lastGood + 1 });
      else lastGood = size;
    }
    if (e.programId && e.state) {
      programs.set(e.programId, applyState(programs.get(e.programId), e.state as EventState));
      lastTouch.set(e.programId, e.seq);
    }
    // A program replaced by an import ends there; its successor has an id of its own.
    const replaced = (e.payload as { replacedId?: unknown } | null)?.replacedId;
    if (e.action === 'program.replaced' && typeof replaced === 'string') {
      programs.delete(replaced);
      for (const [id, a] of attached) if (a.programId === replaced) attached.delete(id);
    }
    if (e.action === 'evidence.attached') {
      const p = e.payload as { evidence?: string; sha256?: string };
      if (p.evidence)
        attached.set(p.evidence, {
          sha256: p.sha256 ?? '',
          kind: e.entityType,
          code: e.entityCode ?? '',
          programId: e.programId,
        });
    }
  }
  for (const c of checkpoints)
    if (c.size > size) problems.push({ kind: 'checkpoint_beyond_log', size: c.size });
  // A checkpoint kept outside for a size the log never reached: the log lost events.
  for (const lost of kept.keys()) problems.push({ kind: 'outside_checkpoint', size: lost });
  const h = await head(db);
  if (h.size !== size || !frontierRoot(h.frontier).equals(frontierRoot(frontier)))
    problems.push({ kind: 'head', size: h.size });
  const unsealed = await db
    .selectFrom('audit_events')
    .select('id')
    .where('seq', 'is', null)
    .limit(1)
    .execute();
  if (unsealed.length > 0) problems.push({ kind: 'unsealed_event' });
  // Every program now in the tables, against the one its events rebuild; and none gone without an event.
  const present = await db.selectFrom('programs').select(['id', 'code']).orderBy('code').execute();
  for (const [id, file] of programs)
    if (file && !present.some((p) => p.id === id))
      problems.push({
        kind: 'program_missing',
        program: file.program.code,
        lastEvent: lastTouch.get(id) ?? 0,
      });
  // Every evidence row as its event recorded it, and no attached evidence gone.
  const rows = await db
    .selectFrom('evidence')
    .select(['id', 'sha256', 'entity_type', 'entity_code', 'program_id'])
    .execute();
  for (const r of rows) {
    const logged = attached.get(r.id);
    if (
      !logged ||
      logged.sha256 !== r.sha256 ||
      logged.kind !== r.entity_type ||
      logged.code !== r.entity_code
    )
      problems.push({ kind: 'evidence', id: r.id });
  }
  for (const id of attached.keys())
    if (!rows.some((r) => r.id === id)) problems.push({ kind: 'evidence', id });
  for (const p of present) {
    const rebuilt = programs.get(p.id);
    const actual = (await readProgram(db, p.code))!.file;
    const differs = rebuilt ? firstDifference(rebuilt, actual) : 'program';
    if (differs)
      problems.push({
        kind: 'record',
        program: p.code,
        record: differs,
        lastEvent: lastTouch.get(p.id) ?? null,
      });
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    ok: problems.length === 0,
    events: size,
    checkpoints: checkpoints.length,
    root: frontierRoot(frontier).toString('hex'),
    problems,
    rate: size / Math.max(seconds, 1e-6),
  };
}

/**
 * Brings the log up to date after an upgrade: events written before the Merkle log get their
 * sequence numbers and leaf hashes (in the order they were written), and every program whose
 * events do not rebuild it from the start gets a baseline event holding it whole.
 */
export async function prepareAuditLog(db: Db): Promise<void> {
  await write({ db, actor: systemActor('system:audit') }, async (trx, audit) => {
    // Events of before the Merkle log are sealed once, on the first start after the upgrade; a row
    // without a number appearing later is not sealed but reported by verification.
    const sealed = await trx
      .selectFrom('app_meta')
      .select('value')
      .where('key', '=', SEALED)
      .executeTakeFirst();
    if (!sealed) {
      const legacy = await trx
        .selectFrom('audit_events')
        .select('id')
        .where('seq', 'is', null)
        .orderBy('id')
        .execute();
      if (legacy.length > 0)
        await sealLegacy(
          trx,
          legacy.map((r) => Number(r.id)),
        );
      await trx.insertInto('app_meta').values({ key: SEALED, value: new Date().toISOString() }).execute();
    }
    const programs = await trx.selectFrom('programs').select(['id', 'code']).execute();
    for (const p of programs) {
      const whole = await trx
        .selectFrom('audit_events')
        .select('seq')
        .where('program_id', '=', p.id)
        .where(sql<boolean>`state->>'unit' = 'file'`)
        .limit(1)
        .executeTakeFirst();
      if (!whole)
        audit({
          action: 'program.baselined',
          entityType: 'program',
          entityId: p.id,
          entityCode: p.code,
          programId: p.id,
        });
    }
  });
}

const SEALED = 'audit_log_sealed';

async function sealLegacy(trx: Transaction<DB>, ids: number[]): Promise<void> {
  const row = await trx
    .selectFrom('audit_log_head')
    .selectAll()
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const frontier = frontierOf(row.frontier);
  let size = Number(row.size);
  for (const id of ids) {
    const e = await trx.selectFrom('audit_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // Events of before the log recorded no state.
    const logged = { ...loggedEventOf(e, ++size), state: null };
    const leaf = eventLeafHash(logged);
    appendLeaf(frontier, leaf);
    // The stored instant is truncated to the milliseconds that were hashed.
    await trx
      .updateTable('audit_events')
      .set({ seq: logged.seq, leaf_hash: leaf.toString('hex'), occurred_at: new Date(logged.at) })
      .where('id', '=', id)
      .execute();
  }
  await trx
    .updateTable('audit_log_head')
    .set({
      size,
      frontier: JSON.stringify(storedFrontier(frontier)),
    })
    .where('id', '=', 1)
    .execute();
}
