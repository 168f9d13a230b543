/**
 * The audit log cannot be rewritten unseen: an untouched demo verifies clean, and each kind of
 * tampering — an event edited (with or without its leaf hash recomputed), deleted, or two
 * reordered, a record changed without an event, a checkpoint swapped, a wrong key — is found and
 * named. Each tampering happens in a transaction that is rolled back afterwards.
 */

import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedEventOf, storedFrontier } from '../../src/db/audit-log.ts';
import type { DB } from '../../src/db/schema.ts';
import { eventLeafHash } from '../../src/domain/audit-event.ts';
import { openCheckpoint } from '../../src/domain/checkpoint.ts';
import { appendLeaf, type Frontier, verifyConsistency, verifyInclusion } from '../../src/domain/merkle.ts';
import {
  checkpointNow,
  consistencyProofOf,
  inclusionProofOf,
  keptCheckpoint,
  type Problem,
  verifyAuditLog,
} from '../../src/services/audit-log.service.ts';
import { attachEvidence } from '../../src/services/evidence.service.ts';
import { diskEvidenceStore, sha256Of } from '../../src/services/evidence-store.ts';
import { ephemeralSigner } from '../../src/services/log-key.ts';
import { updateMeasure } from '../../src/services/measure.service.ts';
import { importProgramText } from '../../src/services/program-file.service.ts';
import { decideRelationship } from '../../src/services/relationship.service.ts';
import { replanMilestone } from '../../src/services/replan.service.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT } from '../support/builders.ts';

class Rollback extends Error {}

for (const backend of backends()) {
  it(`verifies a log first signed while empty, and after it has grown (${backend.name})`, async () => {
    const t = await backend.create();
    try {
      const signer = ephemeralSigner();
      const key = { name: signer.name, publicKey: signer.publicKey };
      await checkpointNow(t.db, signer);
      const atStart = keptCheckpoint(signer)!;
      expect(atStart).toMatch(/\n0\n/);
      expect(await verifyAuditLog(t.db, key, [atStart])).toMatchObject({ ok: true, problems: [] });
      await importProgramText(t.ctx, DEMO_TEXT);
      await checkpointNow(t.db, signer);
      expect(await verifyAuditLog(t.db, key, [atStart, keptCheckpoint(signer)!])).toMatchObject({
        ok: true,
        problems: [],
      });
    } finally {
      await t.close();
    }
  });

  describe(`audit log verification (${backend.name})`, () => {
    let t: TestDatabase;
    const signer = ephemeralSigner();
    const key = { name: signer.name, publicKey: signer.publicKey };
    const store = diskEvidenceStore(undefined);

    beforeAll(async () => {
      t = await backend.create();
      await importProgramText(t.ctx, DEMO_TEXT);
      await checkpointNow(t.db, signer);
      const m = await t.db
        .selectFrom('measures')
        .select('version')
        .where('code', '=', 'M-NETSEP')
        .executeTakeFirstOrThrow();
      await updateMeasure(t.ctx, 'LY-2024', 'M-NETSEP', { version: m.version, owner: 'Network team' });
      await checkpointNow(t.db, signer);
      const ms = await t.db
        .selectFrom('milestones')
        .select('version')
        .where('code', '=', 'MS-NETSEP')
        .executeTakeFirstOrThrow();
      await replanMilestone(t.ctx, 'LY-2024', 'MS-NETSEP', {
        version: ms.version,
        to: '2026-12-31',
        reason: 'Vendor slipped',
        on: '2026-11-01',
      });
      const r = await t.db
        .selectFrom('outsourcing_relationships')
        .select('version')
        .where('code', '=', 'R-JP-SOC')
        .executeTakeFirstOrThrow();
      await attachEvidence(
        t.ctx,
        store,
        'LY-2024',
        { kind: 'measure', code: 'M-NETSEP' },
        {
          name: 'firewall.txt',
          type: 'text/plain',
          bytes: Buffer.from('Rules reviewed.\n'),
        },
      );
      await decideRelationship(t.ctx, 'LY-2024', 'R-JP-SOC', {
        version: r.version,
        decision: 'maintain',
        reason: 'Japanese provider',
        on: '2026-11-02',
      });
      await checkpointNow(t.db, signer);
    });
    afterAll(async () => t?.close());

    /** Verifies the log after a change made in a transaction that is then undone. */
    async function tampered(
      change: (trx: Transaction<DB>) => Promise<void>,
      withKey = key,
    ): Promise<Problem[]> {
      let problems: Problem[] = [];
      await t.db
        .transaction()
        .execute(async (trx) => {
          await change(trx);
          problems = (await verifyAuditLog(trx, withKey)).problems;
          throw new Rollback();
        })
        .catch((err) => {
          if (!(err instanceof Rollback)) throw err;
        });
      return problems;
    }

    it('verifies an untouched log clean: the tree, three signed checkpoints and every record', async () => {
      const v = await verifyAuditLog(t.db, key);
      expect(v.problems).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.events).toBe(5);
      expect(v.checkpoints).toBe(3);
    });

    it('names an edited event', async () => {
      const problems = await tampered(async (trx) => {
        await trx.updateTable('audit_events').set({ actor: 'someone-else' }).where('seq', '=', 2).execute();
      });
      expect(problems).toContainEqual({ kind: 'altered_event', seq: 2 });
    });

    it('finds an edited event whose leaf hash was recomputed too, by the signed checkpoint', async () => {
      const problems = await tampered(async (trx) => {
        const e = await trx
          .selectFrom('audit_events')
          .selectAll()
          .where('seq', '=', 3)
          .executeTakeFirstOrThrow();
        const forged = { ...loggedEventOf(e), payload: { forged: true } };
        await trx
          .updateTable('audit_events')
          .set({ payload: JSON.stringify(forged.payload), leaf_hash: eventLeafHash(forged).toString('hex') })
          .where('seq', '=', 3)
          .execute();
      });
      expect(problems).toContainEqual({ kind: 'checkpoint_root', size: 5, firstSuspect: 3 });
    });

    it('names a deleted event', async () => {
      const problems = await tampered(async (trx) => {
        await trx.deleteFrom('audit_events').where('seq', '=', 3).execute();
      });
      expect(problems).toContainEqual({ kind: 'missing_event', seq: 3 });
    });

    it('names two events swapped', async () => {
      const problems = await tampered(async (trx) => {
        // Every column but the sequence number changes places.
        await sql`update audit_events a set actor = b.actor, action = b.action, entity_type = b.entity_type,
          entity_id = b.entity_id, entity_code = b.entity_code, payload = b.payload, state = b.state,
          leaf_hash = b.leaf_hash, occurred_at = b.occurred_at
          from audit_events b where (a.seq, b.seq) in ((3, 4), (4, 3))`.execute(trx);
      });
      expect(problems).toContainEqual({ kind: 'altered_event', seq: 3 });
      expect(problems).toContainEqual({ kind: 'altered_event', seq: 4 });
    });

    it('names an event moved back in time, even with its leaf hash recomputed', async () => {
      const problems = await tampered(async (trx) => {
        const e = await trx
          .selectFrom('audit_events')
          .selectAll()
          .where('seq', '=', 4)
          .executeTakeFirstOrThrow();
        const at = new Date('2024-03-01T00:00:00Z');
        const forged = { ...loggedEventOf(e), at: at.toISOString() };
        await trx
          .updateTable('audit_events')
          .set({ occurred_at: at, leaf_hash: eventLeafHash(forged).toString('hex') })
          .where('seq', '=', 4)
          .execute();
      });
      expect(problems).toContainEqual({ kind: 'time_reversed', seq: 4 });
    });

    it('names a record changed in the tables without an event', async () => {
      const problems = await tampered(async (trx) => {
        await trx
          .updateTable('measures')
          .set({ title: 'Quietly renamed' })
          .where('code', '=', 'M-2FA')
          .execute();
      });
      expect(problems).toEqual([
        { kind: 'record', program: 'LY-2024', record: 'measures/M-2FA', lastEvent: 5 },
      ]);
    });

    it('names a program deleted from the tables, evidence swapped for another file, and a row slipped into the log', async () => {
      expect(
        await tampered(async (trx) => {
          await trx.deleteFrom('programs').where('code', '=', 'LY-2024').execute();
        }),
      ).toContainEqual({ kind: 'program_missing', program: 'LY-2024', lastEvent: 5 });
      const swapped = await tampered(async (trx) => {
        const other = Buffer.from('Rules never reviewed.\n');
        store.put(other);
        await trx
          .updateTable('evidence')
          .set({ sha256: sha256Of(other) })
          .execute();
      });
      // The file no longer matches the hash the log recorded when it was attached, and the record
      // that lists it as attached no longer matches the state the log holds for it.
      expect(swapped.map((p) => p.kind)).toEqual(['evidence', 'record']);
      const slipped = await tampered(async (trx) => {
        await trx
          .insertInto('audit_events')
          .values({
            occurred_at: new Date('2024-01-01'),
            actor: 'user:ciso',
            action: 'measure.approved',
            entity_type: 'measure',
            payload: '{}',
            state: null,
          })
          .execute();
      });
      expect(slipped).toContainEqual({ kind: 'unsealed_event' });
    });

    it('refuses to sign a log rewritten underneath, even with its leaves, head and checkpoints forged to match', async () => {
      await t.db
        .transaction()
        .execute(async (trx) => {
          // Rewrite event 2, recompute every leaf and the head, and delete the checkpoints that would tell.
          await trx.updateTable('audit_events').set({ actor: 'someone-else' }).where('seq', '=', 2).execute();
          const frontier: Frontier = [];
          for (const e of await trx.selectFrom('audit_events').selectAll().orderBy('seq').execute()) {
            const leaf = eventLeafHash(loggedEventOf(e));
            await trx
              .updateTable('audit_events')
              .set({ leaf_hash: leaf.toString('hex') })
              .where('seq', '=', e.seq)
              .execute();
            appendLeaf(frontier, leaf);
          }
          await trx
            .updateTable('audit_log_head')
            .set({
              frontier: JSON.stringify(storedFrontier(frontier)),
            })
            .execute();
          await trx.deleteFrom('audit_checkpoints').execute();
          // The tables alone now look consistent; the signer, which kept its last checkpoint, does not sign.
          expect((await verifyAuditLog(trx, key)).problems).toEqual([]);
          // With the checkpoint the signer kept outside, verification sees through it.
          expect((await verifyAuditLog(trx, key, [keptCheckpoint(signer)!])).problems).toContainEqual({
            kind: 'outside_checkpoint',
            size: 5,
          });
          await expect(checkpointNow(trx, signer)).rejects.toMatchObject({
            code: 'conflict',
            key: 'errors.log_diverged',
          });
          throw new Rollback();
        })
        .catch((err) => {
          if (!(err instanceof Rollback)) throw err;
        });
    });

    it('names a swapped checkpoint', async () => {
      const problems = await tampered(async (trx) => {
        const latest = await trx
          .selectFrom('audit_checkpoints')
          .select('note')
          .orderBy('size', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        const first = await trx
          .selectFrom('audit_checkpoints')
          .select('size')
          .orderBy('size')
          .limit(1)
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('audit_checkpoints')
          .set({ note: latest.note })
          .where('size', '=', first.size)
          .execute();
      });
      expect(problems).toContainEqual({ kind: 'checkpoint_signature', size: 1 });
    });

    it('refuses every checkpoint under a wrong key', async () => {
      const other = ephemeralSigner();
      const problems = await tampered(async () => {}, { name: other.name, publicKey: other.publicKey });
      expect(
        problems.filter((p) => p.kind === 'checkpoint_signature').map((p) => (p as { size: number }).size),
      ).toEqual([1, 2, 5]);
    });

    it('gives proofs a third party can check with the published key alone', async () => {
      const proof = await inclusionProofOf(t.db, 2);
      const note = openCheckpoint(proof.checkpoint, signer.name, signer.publicKey);
      expect(note.ok).toBe(true);
      if (!note.ok) return;
      const leaf = eventLeafHash(proof.event);
      expect(leaf.toString('base64')).toBe(proof.leafHash);
      expect(
        verifyInclusion(
          proof.leafIndex,
          proof.treeSize,
          leaf,
          proof.proof.map((p) => Buffer.from(p, 'base64')),
          note.checkpoint.root,
        ),
      ).toBe(true);
      const first = await t.db
        .selectFrom('audit_checkpoints')
        .select(['size', 'root_hash'])
        .orderBy('size')
        .limit(1)
        .executeTakeFirstOrThrow();
      const c = await consistencyProofOf(t.db, Number(first.size), note.checkpoint.size);
      expect(
        verifyConsistency(
          c.from,
          c.to,
          c.proof.map((p) => Buffer.from(p, 'base64')),
          Buffer.from(first.root_hash, 'hex'),
          note.checkpoint.root,
        ),
      ).toBe(true);
    });
  });
}
