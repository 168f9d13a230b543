/**
 * The verification gate, on both backends. A measure is closed only when its latest verification
 * found it effective and has evidence attached: closing without that is refused with a clear
 * message in the API and the program-file import alike (the web form: e2e/verification-gate.test.ts),
 * and nothing changes. An
 * ineffective result reopens a completed measure and the lint asks for the additional measure; a
 * recurring verification falls due again. Attachments travel with the program file and are checked
 * against the evidence store on import.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { addDays, todayIn } from '../../src/domain/dates.ts';
import { createApp } from '../../src/http/app.ts';
import { lintProgram } from '../../src/services/analysis.service.ts';
import { verifyAuditLog } from '../../src/services/audit-log.service.ts';
import { attachEvidence } from '../../src/services/evidence.service.ts';
import { diskEvidenceStore, type EvidenceStore } from '../../src/services/evidence-store.ts';
import { ephemeralSigner } from '../../src/services/log-key.ts';
import {
  exportProgram,
  importProgramText,
  renderProgramFile,
} from '../../src/services/program-file.service.ts';
import { createVerification, updateVerification } from '../../src/services/verification.service.ts';
import { type Doc, useDemoApi } from '../support/api.ts';
import { backends, userContext } from '../support/backends.ts';

const P = 'LY-2024';
const M = 'M-2FA'; // completed in the demo; its verification V-2FA is planned, not yet performed
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

for (const backend of backends()) {
  describe(`the verification gate (${backend.name})`, () => {
    const api = useDemoApi(backend);
    let store: EvidenceStore;
    let app: ReturnType<typeof createApp>;
    beforeAll(() => {
      store = diskEvidenceStore(mkdtempSync(join(tmpdir(), 'oversight-gate-')));
      app = createApp({ database: api.t, evidence: store });
    });

    const measure = () =>
      api.t.db
        .selectFrom('measures')
        .select(['status', 'version'])
        .where('code', '=', M)
        .executeTakeFirstOrThrow();
    const versionOf = async (code: string) =>
      (
        await api.t.db
          .selectFrom('verifications')
          .select('version')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).version;
    /** Sets the measure's status through the JSON API, as the program manager. */
    const patchStatus = async (status: string) => {
      const { version } = await measure();
      return app.request(`/api/v1/programs/${P}/measures/${M}`, {
        method: 'PATCH',
        headers: { ...api.as('manager'), 'content-type': 'application/json', 'accept-language': 'en' },
        body: JSON.stringify({ version, status }),
      });
    };
    const auditCount = async () =>
      Number(
        (
          await api.t.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('refuses to close a measure no verification has found effective, and changes nothing (the web form: e2e/verification-gate.test.ts)', async () => {
      const before = await measure();
      const events = await auditCount();
      const res = await patchStatus('closed');
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Doc;
      expect(problem.errors).toEqual([
        {
          path: 'status',
          message: `measure ${M} cannot be closed: no verification has been performed. Close a measure once a verification found it effective and its evidence is attached`,
        },
      ]);
      expect(await measure()).toEqual(before);
      expect(await auditCount()).toBe(events);
    });

    it('refuses while the latest result is only partly effective, then while its evidence is missing', async () => {
      const ctx = api.t.ctx;
      await updateVerification(ctx, P, 'V-2FA', {
        version: await versionOf('V-2FA'),
        performedOn: '2024-06-30',
        result: 'partly_effective',
      });
      expect((await measure()).status).toBe('completed');
      let problem = (await (await patchStatus('closed')).json()) as Doc;
      expect(problem.errors[0].message).toBe(
        `measure ${M} cannot be closed: its latest verification V-2FA (2024-06-30) found it partly effective, not effective`,
      );
      // A later check finds it effective: the latest result now counts, but it has no evidence.
      await createVerification(ctx, P, M, {
        code: 'V-2FA-2',
        method: 'Sign-in log review, repeated after the rollout to contractors',
        performedOn: '2024-09-30',
        result: 'effective',
        recurrence: 'quarterly',
      });
      problem = (await (await patchStatus('closed')).json()) as Doc;
      expect(problem.errors[0].message).toContain(
        'its latest verification V-2FA-2 (2024-09-30) found it effective, but no evidence is attached to it',
      );
      // Naming files in the record does not attach them: they are uploaded.
      await expect(
        createVerification(ctx, P, M, {
          code: 'V-FAKE',
          method: 'Claimed',
          attachments: [
            {
              sha256: 'a'.repeat(64),
              filename: 'x.pdf',
              mediaType: 'application/pdf',
              size: 1,
              attachedBy: 'user:x',
              attachedAt: '2024-09-30T00:00:00Z',
            },
          ],
        }),
      ).rejects.toMatchObject({ issues: [{ path: 'attachments', key: 'validation.attachments_by_upload' }] });
    });

    it('refuses a verification performed after today: it would count as proof ahead of time', async () => {
      const tomorrow = addDays(todayIn('Asia/Tokyo'), 1);
      await expect(
        createVerification(api.t.ctx, P, M, {
          code: 'V-2FA-LATER',
          method: 'Claimed in advance',
          performedOn: tomorrow,
          result: 'effective',
        }),
      ).rejects.toMatchObject({ issues: [{ path: 'performedOn', key: 'validation.performed_in_future' }] });
      await expect(
        updateVerification(api.t.ctx, P, 'V-2FA-2', {
          version: await versionOf('V-2FA-2'),
          performedOn: tomorrow,
        }),
      ).rejects.toMatchObject({ issues: [{ path: 'performedOn', key: 'validation.performed_in_future' }] });
    });

    it('closes the measure once the evidence of its effective verification is attached', async () => {
      await attachEvidence(
        api.t.ctx,
        store,
        P,
        { kind: 'verification', code: 'V-2FA-2', description: 'Sign-in log extract' },
        { name: 'signin-review.pdf', type: 'application/pdf', bytes: PDF },
      );
      const res = await patchStatus('closed');
      expect(res.status).toBe(200);
      expect((await measure()).status).toBe('closed');
      // The derived status agrees: every milestone done, the latest check effective.
      const m = (await (
        await app.request(`/api/v1/programs/${P}/measures/${M}`, { headers: api.as('auditor') })
      ).json()) as Doc;
      expect(m.status).toBe('closed');
    });

    it('an ineffective result reopens the measure, the lint asks for an additional measure until one is named', async () => {
      const ctx = api.t.ctx;
      await createVerification(ctx, P, M, {
        code: 'V-2FA-3',
        method: 'Red-team phishing exercise against contractor accounts',
        performedOn: '2024-12-15',
        result: 'ineffective',
      });
      expect((await measure()).status).toBe('in_progress');
      const reopened = await api.t.db
        .selectFrom('audit_events')
        .select(['payload', 'entity_code'])
        .where('action', '=', 'measure.reopened')
        .execute();
      expect(reopened).toEqual([
        { entity_code: M, payload: { from: 'closed', to: 'in_progress', verification: 'V-2FA-3' } },
      ]);
      const asks = async () =>
        (await lintProgram(ctx, P)).findings.filter(
          (f) => f.rule === 'ineffective-without-follow-up' && f.code === 'V-2FA-3',
        );
      expect(await asks()).toHaveLength(1);
      // The measure page says so and offers to name the additional measure.
      const page = await (
        await app.request(`/programs/${P}/measures/${M}?lang=en`, { headers: api.as('manager') })
      ).text();
      expect(page).toContain('Verification V-2FA-3 found the measure ineffective, so it is open again.');
      expect(page).toContain(`/programs/${P}/verifications/V-2FA-3/edit`);
      await updateVerification(ctx, P, 'V-2FA-3', {
        version: await versionOf('V-2FA-3'),
        followUpMeasure: 'M-CONTRACTOR-PC',
      });
      expect(await asks()).toHaveLength(0);
      // Closing is refused again: the latest result is ineffective.
      const problem = (await (await patchStatus('closed')).json()) as Doc;
      expect(problem.errors[0].message).toContain('found it ineffective, not effective');
    });

    it('a recurring verification falls due again: the lint says so once the day has passed', async () => {
      const due = (await lintProgram(api.t.ctx, P)).findings.filter((f) => f.rule === 'reverification-due');
      // V-AUTHSEP (annual, performed 2025-06-30) is past due today; V-2FA-3 recurs never.
      expect(due.map((f) => [f.code, f.params.due])).toContainEqual(['V-AUTHSEP', '2026-06-30']);
      expect(due.map((f) => f.code)).not.toContain('V-2FA-3');
    });

    it('a program file carries the attachments; importing checks the store and the gate', async () => {
      // Reopen the proof: the latest check effective again, so the measure can be closed.
      await createVerification(api.t.ctx, P, M, {
        code: 'V-2FA-4',
        method: 'Phishing exercise repeated after the additional measure',
        performedOn: '2025-03-31',
        result: 'effective',
      });
      await attachEvidence(
        api.t.ctx,
        store,
        P,
        { kind: 'verification', code: 'V-2FA-4' },
        { name: 'exercise.pdf', type: 'application/pdf', bytes: PDF },
      );
      expect((await patchStatus('closed')).status).toBe(200);
      const exported = renderProgramFile(await exportProgram(api.t.ctx, P), 'yaml');
      const doc = parse(exported) as Doc;
      const i = doc.measures.findIndex((m: Doc) => m.code === M);
      const v4 = doc.measures[i].verifications.find((v: Doc) => v.code === 'V-2FA-4');
      expect(v4.attachments).toEqual([
        expect.objectContaining({ filename: 'exercise.pdf', mediaType: 'application/pdf', size: PDF.length }),
      ]);
      // Re-imported with the store: the same program, attachments included, and a log that still verifies
      // (each attachment written is logged as an upload is).
      await importProgramText(api.t.ctx, exported, { replace: true, evidence: store });
      expect(renderProgramFile(await exportProgram(api.t.ctx, P), 'yaml')).toBe(exported);
      const signer = ephemeralSigner();
      expect(
        await verifyAuditLog(api.t.db, { name: signer.name, publicKey: signer.publicKey }),
      ).toMatchObject({
        ok: true,
        problems: [],
      });

      // A program manager replacing the program keeps the attachments it had, but cannot attach a
      // stored file by naming its hash (a hash can be read off a report): refused at the attachment.
      const manager = await userContext(api.t, 'manager');
      await importProgramText(manager, exported, { replace: true, evidence: store });
      const borrowed = parse(exported) as Doc;
      const k = borrowed.measures.findIndex((m: Doc) => m.code === 'M-SOC');
      borrowed.measures[k].attachments = [{ ...v4.attachments[0], attachedBy: 'user:manager' }];
      await expect(
        importProgramText(manager, stringify(borrowed), { replace: true, evidence: store }),
      ).rejects.toMatchObject({
        issues: [{ path: `measures[${k}].attachments[0].sha256`, key: 'validation.evidence_not_had' }],
      });
      // Nor at another size than the file stored.
      borrowed.measures[k].attachments = [{ ...v4.attachments[0], size: 1 }];
      await expect(
        importProgramText(api.t.ctx, stringify(borrowed), { replace: true, evidence: store }),
      ).rejects.toMatchObject({
        issues: [{ path: `measures[${k}].attachments[0].size`, key: 'validation.evidence_size' }],
      });
      expect(renderProgramFile(await exportProgram(api.t.ctx, P), 'yaml')).toBe(exported);

      // Without the file in the store: refused at the attachment, nothing changes.
      const elsewhere = diskEvidenceStore(mkdtempSync(join(tmpdir(), 'oversight-gate-empty-')));
      const vs = doc.measures[i].verifications.map((v: Doc) => v.code);
      await expect(
        importProgramText(api.t.ctx, exported, { replace: true, evidence: elsewhere }),
      ).rejects.toMatchObject({
        issues: ['V-2FA-2', 'V-2FA-4'].map((code) => ({
          key: 'validation.evidence_not_stored',
          path: `measures[${i}].verifications[${vs.indexOf(code)}].attachments[0].sha256`,
        })),
      });
      // Closed without the attachment: refused at the measure's status, with the same message as the API.
      const j = doc.measures[i].verifications.indexOf(v4);
      delete doc.measures[i].verifications[j].attachments;
      const res = await app.request(`/api/v1/programs?replace=true`, {
        method: 'POST',
        headers: { ...api.as('admin'), 'content-type': 'application/yaml', 'accept-language': 'en' },
        body: stringify(doc),
      });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Doc;
      expect(problem.errors).toEqual([
        expect.objectContaining({
          path: `measures[${i}].status`,
          message: `measure ${M} cannot be closed: its latest verification V-2FA-4 (2025-03-31) found it effective, but no evidence is attached to it. Attach the evidence first`,
        }),
      ]);
      expect(renderProgramFile(await exportProgram(api.t.ctx, P), 'yaml')).toBe(exported);
    });
  });
}
