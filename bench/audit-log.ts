/**
 * `npm run bench` (part): `audit verify` over 1,000,000 events (BENCH_EVENTS to change), as events
 * verified per second, beside this machine's raw SHA-256 rate over the same canonical event bytes
 * measured in the same run; their ratio says how much of verification is hashing.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { storedFrontier } from '../src/db/audit-log.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { canonicalEvent, type LoggedEvent } from '../src/domain/audit-event.ts';
import { appendLeaf, type Frontier, leafHash } from '../src/domain/merkle.ts';
import { checkpointNow, verifyAuditLog } from '../src/services/audit-log.service.ts';
import { ephemeralSigner } from '../src/services/log-key.ts';

const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const database = await openDatabase({ dataDir: 'memory' });
await migrateToLatest(database.db);
const db = database.db;

/** An event like the ones a program office writes: a milestone re-planned, with a small payload. */
const eventAt = (seq: number): LoggedEvent => ({
  seq,
  at: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
  actor: `user:owner${seq % 17}`,
  action: 'milestone.replanned',
  entityType: 'milestone',
  entityId: null,
  entityCode: `MS-${seq % 5000}`,
  programId: null,
  payload: { from: '2026-03-31', to: '2026-06-30', reason: `Vendor slipped (${seq})`, version: seq % 9 },
  state: null,
});

const t0 = performance.now();
const frontier: Frontier = [];
for (let start = 1; start <= total; start += 5_000) {
  const rows = [];
  for (let seq = start; seq < Math.min(start + 5_000, total + 1); seq++) {
    const e = eventAt(seq);
    const leaf = leafHash(canonicalEvent(e));
    appendLeaf(frontier, leaf);
    rows.push({
      seq,
      occurred_at: new Date(e.at),
      actor: e.actor,
      action: e.action,
      entity_type: e.entityType,
      entity_id: null,
      entity_code: e.entityCode,
      program_id: null,
      payload: JSON.stringify(e.payload),
      state: null,
      leaf_hash: leaf.toString('hex'),
    });
  }
  await db.insertInto('audit_events').values(rows).execute();
}
await db
  .updateTable('audit_log_head')
  .set({
    size: total,
    frontier: JSON.stringify(storedFrontier(frontier)),
  })
  .where('id', '=', 1)
  .execute();
const signer = ephemeralSigner();
await checkpointNow(db, signer);
const t1 = performance.now();

const result = await verifyAuditLog(db, { name: signer.name, publicKey: signer.publicKey });
if (!result.ok)
  throw new Error(`the generated log does not verify: ${JSON.stringify(result.problems.slice(0, 3))}`);

// The raw rate: SHA-256 over the same canonical bytes, on this machine, now.
const sample = Array.from({ length: 10_000 }, (_, i) => canonicalEvent(eventAt(i + 1)));
const t2 = performance.now();
for (let i = 0; i < total; i++)
  createHash('sha256')
    .update(sample[i % sample.length]!)
    .digest();
const raw = total / ((performance.now() - t2) / 1000);

console.log(`\naudit log of ${total.toLocaleString('en')} events`);
console.log(`  write (generate, hash, insert) ${((t1 - t0) / 1000).toFixed(1).padStart(7)} s`);
console.log(`  verify                         ${(result.events / result.rate).toFixed(1).padStart(7)} s`);
console.log(`  events verified per second     ${Math.round(result.rate).toLocaleString('en').padStart(9)}`);
console.log(`  raw SHA-256 per second, same bytes ${Math.round(raw).toLocaleString('en').padStart(9)}`);
console.log(`  ratio verified / raw           ${(result.rate / raw).toFixed(3).padStart(7)}`);
await database.close();
