/**
 * `audit verify` over 1,000,000 events (BENCH_EVENTS to change) on each backend, beside this
 * machine's raw SHA-256 rate over the same canonical event bytes, measured in the same run.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { storedFrontier } from '../../src/db/audit-log.ts';
import { canonicalEvent, type LoggedEvent } from '../../src/domain/audit-event.ts';
import { appendLeaf, type Frontier, leafHash } from '../../src/domain/merkle.ts';
import { checkpointNow, verifyAuditLog } from '../../src/services/audit-log.service.ts';
import { ephemeralSigner } from '../../src/services/log-key.ts';
import { BENCH_BACKENDS, type Row } from '../support.ts';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);

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

/** SHA-256 per second over the same canonical bytes the verifier hashes, on this machine, now. */
function rawRate(): number {
  const sample = Array.from({ length: 10_000 }, (_, i) => canonicalEvent(eventAt(i + 1)));
  const start = performance.now();
  for (let i = 0; i < TOTAL; i++)
    createHash('sha256')
      .update(sample[i % sample.length]!)
      .digest();
  return TOTAL / ((performance.now() - start) / 1000);
}

export async function auditFigures(detail: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const backend of BENCH_BACKENDS) {
    const t = await backend.create();
    try {
      const frontier: Frontier = [];
      const started = performance.now();
      for (let start = 1; start <= TOTAL; start += 5_000) {
        const batch = [];
        for (let seq = start; seq < Math.min(start + 5_000, TOTAL + 1); seq++) {
          const e = eventAt(seq);
          const leaf = leafHash(canonicalEvent(e));
          appendLeaf(frontier, leaf);
          batch.push({
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
        await t.db.insertInto('audit_events').values(batch).execute();
      }
      await t.db
        .updateTable('audit_log_head')
        .set({ size: TOTAL, frontier: JSON.stringify(storedFrontier(frontier)) })
        .where('id', '=', 1)
        .execute();
      const signer = ephemeralSigner();
      await checkpointNow(t.db, signer);
      const written = (performance.now() - started) / 1000;
      const result = await verifyAuditLog(t.db, { name: signer.name, publicKey: signer.publicKey });
      if (!result.ok)
        throw new Error(`the generated log does not verify: ${JSON.stringify(result.problems.slice(0, 3))}`);
      const raw = rawRate();
      detail(
        `\naudit log of ${TOTAL.toLocaleString('en')} events on ${backend.name}: written in ${written.toFixed(1)} s, verified in ${(result.events / result.rate).toFixed(1)} s`,
      );
      rows.push({
        figure: `audit verify, ${TOTAL.toLocaleString('en')} events`,
        backend: backend.name,
        value: result.rate,
        unit: 'events/s',
        target: { text: '≥ 50 % of raw SHA-256', met: result.rate >= 0.5 * raw },
        ceiling: { value: raw, label: 'node:crypto SHA-256, same bytes' },
        ratio: { value: result.rate / raw, atLeast: 0.5 },
      });
    } finally {
      await t.close();
    }
  }
  return rows;
}
