/**
 * A report's way to the regulator: a draft is live, review freezes it, a second person approves,
 * submission stores every format with its hash and the checkpoint — and then nothing, by any path,
 * changes it. A regulator's finding becomes a directive item that the lint tracks.
 */

import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintProgram } from '../../src/services/analysis.service.ts';
import { checkpointNow } from '../../src/services/audit-log.service.ts';
import { type ServiceContext, systemActor } from '../../src/services/context.ts';
import { ephemeralSigner } from '../../src/services/log-key.ts';
import { importProgramText } from '../../src/services/program-file.service.ts';
import { replanMilestone } from '../../src/services/replan.service.ts';
import { recordReportFinding } from '../../src/services/report-finding.service.ts';
import {
  approveReport,
  createReport,
  getReport,
  reportFile,
  returnReportToDraft,
  sendReportForReview,
  submitReport,
} from '../../src/services/report-workflow.service.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT } from '../support/builders.ts';

const P = 'LY-2024';

for (const backend of backends()) {
  describe(`the report workflow (${backend.name})`, () => {
    let t: TestDatabase;
    const as = (id: string): ServiceContext => ({ db: t.db, actor: systemActor(id) });
    const signer = ephemeralSigner();
    let id: string;

    beforeAll(async () => {
      t = await backend.create();
      await importProgramText(t.ctx, DEMO_TEXT);
      await checkpointNow(t.db, signer);
      ({ id } = await createReport(as('user:author'), P, {
        directive: 'MIC-2024-04-16',
        asOf: '2024-07-01',
      }));
    });
    afterAll(async () => t?.close());

    it('refuses a report on a directive not yet issued on its day, or unknown', async () => {
      await expect(
        createReport(as('user:author'), P, { directive: 'MIC-2024-04-16', asOf: '2024-04-01' }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        createReport(as('user:author'), P, { directive: 'NOPE', asOf: '2024-07-01' }),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(
        createReport(as('user:author'), P, { directive: 'MIC-2024-04-16', asOf: '2024-13-01' }),
      ).rejects.toMatchObject({
        code: 'validation',
      });
    });

    it('keeps a draft live, freezes it for review, and needs a second person to approve it', async () => {
      const draft = await getReport(as('user:author'), P, id);
      expect(draft.status).toBe('draft');
      expect(draft.model.directive.code).toBe('MIC-2024-04-16');
      const reviewed = await sendReportForReview(as('user:author'), P, id, { version: draft.version });
      expect(reviewed.status).toBe('in_review');
      // The program changes after the review began: the frozen report does not.
      const ms = await t.db
        .selectFrom('milestones')
        .select('version')
        .where('code', '=', 'MS-NETSEP')
        .executeTakeFirstOrThrow();
      await replanMilestone(t.ctx, P, 'MS-NETSEP', {
        version: ms.version,
        to: '2026-06-30',
        reason: 'Vendor slipped',
        on: '2026-11-20',
      });
      const frozen = await getReport(as('user:author'), P, id);
      const netsep = frozen.model.measures.find((m) => m.code === 'M-NETSEP')!;
      expect(netsep.milestones.find((m) => m.code === 'MS-NETSEP')!.planned).toBe('2026-03-31');
      await expect(
        approveReport(as('user:author'), P, id, { version: reviewed.version }),
      ).rejects.toMatchObject({
        code: 'forbidden',
        key: 'errors.report_second_person',
      });
      // A stale version changes nothing, and neither does one from the future: a step applies to the row as read.
      await expect(approveReport(as('user:approver'), P, id, { version: 1 })).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(
        approveReport(as('user:approver'), P, id, { version: reviewed.version + 2 }),
      ).rejects.toMatchObject({
        code: 'conflict',
        key: 'errors.stale_version',
      });
      // The frozen content carries its hash; content changed behind the service is refused.
      const frozenRow = await t.db
        .selectFrom('reports')
        .select(['model_sha256'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(frozenRow.model_sha256).toMatch(/^[0-9a-f]{64}$/);
      await sql`update reports set model = jsonb_set(model, '{directive,title}', '"TAMPERED"') where id = ${id}`.execute(
        t.db,
      );
      await expect(
        approveReport(as('user:approver'), P, id, { version: reviewed.version }),
      ).rejects.toMatchObject({
        code: 'conflict',
        key: 'errors.report_model_changed',
      });
      await sql`update reports set model = jsonb_set(model, '{directive,title}', ${JSON.stringify(frozen.model.directive.title)}::jsonb) where id = ${id}`.execute(
        t.db,
      );
      const approved = await approveReport(as('user:approver'), P, id, { version: reviewed.version });
      expect(approved.status).toBe('approved');
      await expect(
        sendReportForReview(as('user:author'), P, id, { version: approved.version }),
      ).rejects.toMatchObject({
        code: 'conflict',
        key: 'errors.report_state',
      });
    });

    it('submits every format in both languages, each re-hashing to its recorded SHA-256, with the checkpoint', async () => {
      const before = await getReport(as('user:author'), P, id);
      const submitted = await submitReport(as('user:author'), P, id, { version: before.version }, signer);
      expect(submitted.files.map((f) => `${f.format}/${f.lang}`).sort()).toEqual(
        ['docx', 'html', 'md', 'oscal', 'pdf'].flatMap((f) => [`${f}/en`, `${f}/ja`]).sort(),
      );
      for (const f of submitted.files) {
        const file = await reportFile(as('user:auditor'), P, id, f.format, f.lang);
        expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(f.sha256);
      }
      const after = await getReport(as('user:author'), P, id);
      expect(after.status).toBe('submitted');
      expect(after.checkpoint?.note).toMatch(/^oversight/);
      const event = await t.db
        .selectFrom('audit_events')
        .select('payload')
        .where('action', '=', 'report.submitted')
        .executeTakeFirstOrThrow();
      expect((event.payload as { files: unknown[] }).files).toEqual(submitted.files);
    });

    it('compares the next report with the one submitted, as the log held the program when it was sent', async () => {
      const { id: next } = await createReport(as('user:author'), P, {
        directive: 'MIC-2024-04-16',
        asOf: '2024-10-01',
      });
      const r = await getReport(as('user:author'), P, next);
      expect(r.model.previous).toEqual({
        kind: 'report',
        asOf: '2024-07-01',
        directive: 'MIC-2024-04-16',
        reportId: id,
      });
      expect(r.model.changes.some((c) => c.kind === 'directive_issued')).toBe(false);
    });

    it('refuses any change to a submitted report: by the services, and by SQL behind their back', async () => {
      const r = await getReport(as('user:author'), P, id);
      await expect(
        returnReportToDraft(as('user:author'), P, id, { version: r.version }),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(submitReport(as('user:author'), P, id, { version: r.version })).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(
        sql`update reports set as_of = '2024-06-30' where id = ${id}`.execute(t.db),
      ).rejects.toThrow(/submitted and cannot be changed/);
      await expect(sql`delete from reports where id = ${id}`.execute(t.db)).rejects.toThrow(
        /cannot be changed/,
      );
      await expect(
        sql`update report_files set bytes = '\\x00' where report_id = ${id}`.execute(t.db),
      ).rejects.toThrow(/cannot be changed/);
      await expect(sql`delete from report_files where report_id = ${id}`.execute(t.db)).rejects.toThrow(
        /cannot be changed/,
      );
      await expect(
        sql`insert into report_files (report_id, format, lang, sha256, size, media_type, bytes)
            values (${id}, 'html', 'fr', ${'0'.repeat(64)}, 1, 'text/html', '\\x00')`.execute(t.db),
      ).rejects.toThrow(/no file can be added/);
      for (const table of ['reports', 'report_files', 'report_findings'])
        await expect(sql.raw(`truncate ${table} cascade`).execute(t.db)).rejects.toThrow(
          /cannot be truncated/,
        );
      // A re-import of the program leaves its reports as they were.
      await importProgramText(t.ctx, DEMO_TEXT, { replace: true });
      expect((await getReport(as('user:auditor'), P, id)).status).toBe('submitted');
    });

    it("turns a regulator's finding into a directive item that the lint tracks until a measure answers it", async () => {
      const f = await recordReportFinding(as('user:mic'), P, id, {
        text: 'Show the dated plan for ending the use of NAVER systems by overseas subsidiaries.',
        refersTo: 'G2-2b',
      });
      expect(f.item).toBe('MIC-2024-04-16:F1');
      const lint = await lintProgram(t.ctx, P);
      expect(lint.findings).toContainEqual(
        expect.objectContaining({ rule: 'item-unanswered', code: 'MIC-2024-04-16:F1' }),
      );
      await expect(recordReportFinding(as('user:mic'), P, id, { text: '' })).rejects.toMatchObject({
        code: 'validation',
      });
      // A finding is about an item of the report's own directive.
      await expect(
        recordReportFinding(as('user:mic'), P, id, { text: 'Elsewhere', refersTo: 'P-1' }),
      ).rejects.toMatchObject({
        code: 'validation',
        issues: [{ path: 'refersTo', key: 'validation.parent_elsewhere' }],
      });
      // Findings stay as the regulator recorded them.
      await expect(sql`update report_findings set text = 'softer'`.execute(t.db)).rejects.toThrow(
        /cannot be changed/,
      );
      await expect(sql`delete from report_findings`.execute(t.db)).rejects.toThrow(/cannot be changed/);
    });
  });
}
