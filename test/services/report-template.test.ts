/**
 * A program's report layout on both backends: uploads become audited versions (nothing stored when
 * one is refused), a version can be put back in use and the built-in layout restored, cover texts
 * are kept per directive — and the demo's 1 July 2024 report, submitted, is laid out with the
 * program's own template and stays reproducible from the version it names.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/domain/access.ts';
import { renderReport } from '../../src/reports/render.ts';
import { checkpointNow, verifyAuditLog } from '../../src/services/audit-log.service.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { systemActor } from '../../src/services/context.ts';
import { ephemeralSigner } from '../../src/services/log-key.ts';
import { importProgramText } from '../../src/services/program-file.service.ts';
import { reportModelOf } from '../../src/services/report.service.ts';
import {
  activateReportTemplate,
  layoutTemplate,
  readReportTemplate,
  reportLayoutOf,
  setReportCover,
  uploadReportTemplate,
  useBuiltInReportLayout,
} from '../../src/services/report-template.service.ts';
import {
  approveReport,
  createReport,
  getReport,
  reportFile,
  sendReportForReview,
  submitReport,
} from '../../src/services/report-workflow.service.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT } from '../support/builders.ts';
import { docxText, LETTERHEAD, programTemplate, templateWith } from '../support/templates.ts';

const P = 'LY-2024';
const D = 'MIC-2024-04-16';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

for (const backend of backends()) {
  describe(`report templates (${backend.name})`, () => {
    let t: TestDatabase;
    let template: Buffer;
    const as = (id: string): ServiceContext => ({ db: t.db, actor: systemActor(id) });
    const manager = () => as('user:manager');
    const user = (role: 'measure_owner' | 'auditor'): ServiceContext => {
      const principal: Principal = {
        kind: 'user',
        id: '00000000-0000-4000-8000-000000000001',
        username: role,
        assignments: [{ role, program: P, owner: 'Network engineering' }],
        via: 'session',
      };
      return { db: t.db, actor: { id: `user:${role}`, principal } };
    };
    const stored = async () => ({
      versions: Number(
        (
          await t.db
            .selectFrom('report_templates')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      events: Number(
        (
          await t.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    });
    const events = (action: string) =>
      t.db
        .selectFrom('audit_events')
        .select(['payload', 'actor'])
        .where('action', '=', action)
        .orderBy('seq')
        .execute();

    beforeAll(async () => {
      t = await backend.create();
      await importProgramText(t.ctx, DEMO_TEXT);
      template = await programTemplate();
    });
    afterAll(async () => t?.close());

    it('keeps an upload as version 1, in use, with its hash, name, size and placeholders, and audits it', async () => {
      const r = await uploadReportTemplate(manager(), P, {
        name: 'C:\\office\\ly-report.docx',
        bytes: template,
      });
      expect(r).toMatchObject({
        version: 1,
        sha256: sha256(template),
        filename: 'ly-report.docx',
        size: template.length,
      });
      const layout = await reportLayoutOf(manager(), P);
      expect(layout.active).toBe(1);
      expect(layout.versions).toHaveLength(1);
      expect(layout.versions[0]).toMatchObject({ version: 1, sha256: sha256(template), by: 'user:manager' });
      expect(layout.versions[0]!.placeholders).toEqual(
        expect.arrayContaining(['cover', 'measures', 'milestones']),
      );
      const [event] = await events('report_template.uploaded');
      expect(event!.actor).toBe('user:manager');
      expect(event!.payload).toMatchObject({
        version: 1,
        sha256: sha256(template),
        filename: 'ly-report.docx',
        active: 1,
      });
      expect(Buffer.from((await readReportTemplate(manager(), P, 1)).bytes).equals(template)).toBe(true);
    });

    it('refuses a template with an unknown placeholder by its name, and stores nothing', async () => {
      const before = await stored();
      const bad = await templateWith('Budget for this quarter: {budget}');
      await expect(
        uploadReportTemplate(manager(), P, { name: 'bad.docx', bytes: bad }),
      ).rejects.toMatchObject({
        code: 'validation',
        issues: [
          {
            path: 'file',
            key: 'validation.template_unknown_placeholder',
            params: { tag: '{budget}', where: 'word/document.xml' },
          },
        ],
      });
      expect(await stored()).toEqual(before);
      expect((await reportLayoutOf(manager(), P)).active).toBe(1);
    });

    it('refuses a file that is not a Word document, a broken loop, or no file at all, and stores nothing', async () => {
      const before = await stored();
      await expect(
        uploadReportTemplate(manager(), P, {
          name: 'report.docx',
          bytes: Buffer.from('%PDF-1.7 not a docx'),
        }),
      ).rejects.toMatchObject({ code: 'validation', issues: [{ key: 'validation.template_not_docx' }] });
      await expect(
        uploadReportTemplate(manager(), P, {
          name: 'loop.docx',
          bytes: await templateWith('{#measures}{code}'),
        }),
      ).rejects.toMatchObject({
        code: 'validation',
        issues: expect.arrayContaining([
          expect.objectContaining({
            key: 'validation.template_unclosed_loop',
            params: expect.objectContaining({ tag: 'measures' }),
          }),
        ]),
      });
      await expect(uploadReportTemplate(manager(), P, undefined)).rejects.toMatchObject({
        code: 'validation',
        issues: [{ key: 'validation.required' }],
      });
      expect(await stored()).toEqual(before);
    });

    it('lets only the program’s managers change the layout', async () => {
      const before = await stored();
      for (const role of ['measure_owner', 'auditor'] as const)
        await expect(
          uploadReportTemplate(user(role), P, { name: 'x.docx', bytes: template }),
        ).rejects.toMatchObject({
          code: 'forbidden',
        });
      await expect(
        setReportCover(user('measure_owner'), P, D, { en: 'x', version: 0 }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      expect(await stored()).toEqual(before);
      // Reading is for the program's members.
      expect((await reportLayoutOf(user('auditor'), P)).active).toBe(1);
    });

    it('keeps a second upload as version 2, puts version 1 back, goes back to the built-in layout, refusing stale versions', async () => {
      const second = await templateWith('Second edition', '{title}');
      const r = await uploadReportTemplate(manager(), P, { name: 'v2.docx', bytes: second });
      expect(r.version).toBe(2);
      let layout = await reportLayoutOf(manager(), P);
      expect(layout.active).toBe(2);
      expect(layout.versions.map((v) => v.version)).toEqual([2, 1]);
      expect(layout.versions[0]!.sha256).toBe(sha256(second));
      await expect(
        activateReportTemplate(manager(), P, { template: 1, version: layout.version - 1 }),
      ).rejects.toMatchObject({
        code: 'conflict',
        key: 'errors.stale_version',
      });
      await expect(
        activateReportTemplate(manager(), P, { template: 9, version: layout.version }),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
      await activateReportTemplate(manager(), P, { template: 1, version: layout.version });
      layout = await reportLayoutOf(manager(), P);
      expect(layout.active).toBe(1);
      expect((await events('report_template.activated')).at(-1)!.payload).toEqual({
        version: 1,
        sha256: sha256(template),
      });
      await useBuiltInReportLayout(manager(), P, { version: layout.version });
      expect((await reportLayoutOf(manager(), P)).active).toBeNull();
      expect(await layoutTemplate(manager(), P)).toBeUndefined();
      expect((await events('report_template.built_in')).at(-1)!.payload).toEqual({
        version: null,
        previous: 1,
      });
      // The versions stay, and cannot be changed or deleted by any path.
      expect((await reportLayoutOf(manager(), P)).versions).toHaveLength(2);
      await expect(sql`delete from report_templates`.execute(t.db)).rejects.toThrow(
        /cannot be changed or deleted/,
      );
      await expect(sql`update report_templates set filename = 'x'`.execute(t.db)).rejects.toThrow(
        /cannot be changed or deleted/,
      );
      await activateReportTemplate(manager(), P, {
        template: 1,
        version: (await reportLayoutOf(manager(), P)).version,
      });
    });

    it('keeps a cover text per directive in English and Japanese, and the report model carries it', async () => {
      await expect(setReportCover(manager(), P, 'NOPE', { en: 'x', version: 0 })).rejects.toMatchObject({
        code: 'not_found',
      });
      const before = new Date();
      await new Promise((r) => setTimeout(r, 5));
      const set = await setReportCover(manager(), P, D, {
        en: 'To the Minister for Internal Affairs and Communications',
        ja: '総務大臣 殿\r\n下記のとおり報告します。',
        version: 0,
      });
      expect(set.version).toBe(1);
      await expect(setReportCover(manager(), P, D, { en: 'late edit', version: 0 })).rejects.toMatchObject({
        code: 'conflict',
      });
      const model = await reportModelOf(manager(), P, D, { asOf: '2024-07-01' });
      expect(model.cover).toEqual({
        en: 'To the Minister for Internal Affairs and Communications',
        ja: '総務大臣 殿\n下記のとおり報告します。',
      });
      const [event] = await events('report_cover.set');
      expect(event!.payload).toMatchObject({
        program: P,
        directive: D,
        ja: '総務大臣 殿\n下記のとおり報告します。',
      });
      // Looking back to an instant, the cover text the log held then.
      expect(
        (await reportModelOf(manager(), P, D, { asOf: '2024-07-01', at: before })).cover,
      ).toBeUndefined();
      expect((await reportModelOf(manager(), P, D, { asOf: '2024-07-01', at: new Date() })).cover?.en).toBe(
        'To the Minister for Internal Affairs and Communications',
      );
      // Another directive has none.
      expect(
        (await reportModelOf(manager(), P, 'MIC-2024-03-05', { asOf: '2024-04-01' })).cover,
      ).toBeUndefined();
    });

    it('lays out the submitted 1 July report with the program’s template, and keeps it reproducible from the version it names', async () => {
      const { id } = await createReport(as('user:author'), P, { directive: D, asOf: '2024-07-01' });
      expect((await getReport(manager(), P, id)).template).toEqual({ version: 1, sha256: sha256(template) });
      const reviewed = await sendReportForReview(as('user:author'), P, id, { version: 1 });
      // Uploaded after the review froze the report: it does not change how the report is laid out.
      await uploadReportTemplate(manager(), P, {
        name: 'v3.docx',
        bytes: await templateWith('Third edition', '{title}'),
      });
      const approved = await approveReport(as('user:approver'), P, id, { version: reviewed.version });
      await submitReport(as('user:author'), P, id, { version: approved.version });
      const report = await getReport(manager(), P, id);
      expect(report.template).toEqual({ version: 1, sha256: sha256(template) });
      const [submitted] = await events('report.submitted');
      expect(submitted!.payload).toMatchObject({ template: { version: 1, sha256: sha256(template) } });

      const ja = await reportFile(manager(), P, id, 'docx', 'ja');
      const text = docxText(ja.bytes);
      expect(text).toContain(LETTERHEAD);
      expect(text).not.toContain('Third edition');
      expect(text).toContain('総務大臣 殿\n下記のとおり報告します。');
      expect(text).toContain('M-NETSEP  LINEとNAVER Cloudのデータセンター間ネットワークの分離');
      expect(text).toMatch(/MS-NETSEP\n[^\n]+\n2026年6月30日\n2026年3月31日/);
      const en = docxText((await reportFile(manager(), P, id, 'docx', 'en')).bytes);
      expect(en).toContain('To the Minister for Internal Affairs and Communications');
      expect(en).toMatch(/MS-NETSEP-FW\n[^\n]+\n31 Aug 2024\n31 Aug 2024/);

      // The version the report names lays its frozen model out again byte for byte.
      const again = await renderReport(report.model, 'docx', {
        lang: 'ja',
        generatedAt: new Date(),
        template: await layoutTemplate(manager(), P, report.template!.version),
      });
      expect(again.equals(ja.bytes)).toBe(true);
      // The other formats keep their layout: the PDF does not come from the template.
      expect((await reportFile(manager(), P, id, 'pdf', 'ja')).bytes.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('leaves an audit log that verifies, template and cover events included', async () => {
      const signer = ephemeralSigner();
      await checkpointNow(t.db, signer);
      const v = await verifyAuditLog(t.db, { name: signer.name, publicKey: signer.publicKey });
      expect(v.problems).toEqual([]);
      expect(v.ok).toBe(true);
    });
  });
}
