/**
 * The public progress page never shows anything internal. Canaries: every free-text field of the
 * demo that is not classified public is replaced by a unique marker; the public page, in both
 * languages, must hold none of them — nor any record's code — while an internal page shows them.
 */

import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/domain/checkpoint.ts';
import { addMonths } from '../../src/domain/dates.ts';
import { verifyInclusion } from '../../src/domain/merkle.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { createApp } from '../../src/http/app.ts';
import { renderPublicSite } from '../../src/reports/public-site.tsx';
import { lintProgram } from '../../src/services/analysis.service.ts';
import { checkpointNow } from '../../src/services/audit-log.service.ts';
import { systemActor } from '../../src/services/context.ts';
import {
  approveDisclosure,
  draftDisclosure,
  publishDisclosure,
} from '../../src/services/disclosure.service.ts';
import { ephemeralSigner } from '../../src/services/log-key.ts';
import { importProgram } from '../../src/services/program-file.service.ts';
import { publicSiteOf } from '../../src/services/public.service.ts';
import { createTestUsers } from '../support/api.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT } from '../support/builders.ts';

const UPDATE = {
  titleJa: '再発防止策の進捗（2024年7月）',
  titleEn: 'Progress of our measures (July 2024)',
  bodyJa: 'ネットワークの分離を2026年3月までに完了する計画です。\n\n業務委託の見直しを進めています。',
  bodyEn: 'We plan to complete the network separation by March 2026.\n\nWe are reviewing our outsourcing.',
};
const CORRECTION = {
  correctionNoteJa: '完了時期の表記を訂正しました。',
  correctionNoteEn: 'The completion date was corrected.',
};

/** Keys of free text, wherever they occur (a measure's `category` is a closed list, a record's is text). */
const FREE = new Set([
  'title',
  'titleJa',
  'name',
  'nameJa',
  'description',
  'notes',
  'note',
  'source',
  'owner',
  'reason',
  'summary',
  'text',
  'textJa',
  'method',
  'evidence',
  'label',
  'by',
  'reference',
]);

/** Fills every internal free-text field with a marker; returns the program and the markers. */
function withCanaries(file: ProgramFile): { file: ProgramFile; markers: string[] } {
  const copy = structuredClone(file);
  const publicDirectives = new Set(copy.directives.filter((d) => d.public).map((d) => d.code));
  const publicIssuers = new Set(copy.directives.filter((d) => d.public).map((d) => d.issuer));
  const markers: string[] = [];
  const isPublic = (path: Array<string | number>, key: string): boolean => {
    const [top, index] = path;
    if (top === 'directives' && publicDirectives.has(copy.directives[index as number]!.code))
      return (
        key === 'title' ||
        (path.length === 2 && key === 'titleJa') ||
        (path.includes('items') && ['text', 'textJa', 'label'].includes(key))
      );
    if (top === 'organizations' && publicIssuers.has(copy.organizations[index as number]!.code))
      return key === 'name' || key === 'nameJa';
    if (top === 'incidents' && copy.incidents[index as number]!.public)
      return (path.length === 2 && key === 'title') || (path.includes('records') && key === 'category');
    return false;
  };
  const walk = (node: unknown, path: Array<string | number>) => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, i]));
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        // An ownership's or a system's `owner` is an organization's code; a measure's is a team's name.
        const free =
          (FREE.has(key) && (key !== 'owner' || path[0] === 'measures')) ||
          (key === 'category' && path.includes('records'));
        if (typeof value === 'string' && free && !isPublic(path, key)) {
          const marker = `CANARY${markers.length}X`;
          markers.push(marker);
          (node as Record<string, unknown>)[key] = marker;
        } else walk(value, [...path, key]);
      }
  };
  walk(copy, []);
  return { file: copy, markers };
}

/** The codes of records (an organization's code is its short name, which public texts may well use). */
const codesOf = (file: ProgramFile) => [
  ...file.measures.flatMap((m) => [
    m.code,
    ...m.milestones.map((x) => x.code),
    ...m.verifications.map((x) => x.code),
  ]),
  ...file.relationships.map((r) => r.code),
  ...file.systems.map((s) => s.code),
];

for (const backend of backends()) {
  describe(`the public progress page (${backend.name})`, () => {
    let t: TestDatabase;
    let app: ReturnType<typeof createApp>;
    let tokens: Record<string, string>;
    const parsed = parseProgramText(DEMO_TEXT);
    if (!parsed.ok) throw new Error('the demo does not parse');
    const { file, markers } = withCanaries(parsed.file);

    const signer = ephemeralSigner();
    let first: { id: string; number: number };
    let correction: { id: string; number: number };

    beforeAll(async () => {
      t = await backend.create();
      await importProgram(t.ctx, file);
      tokens = await createTestUsers(t);
      app = createApp({ database: t, log: signer });
      // Two updates published, the second correcting the first; a draft that must stay unseen.
      const author = { db: t.db, actor: systemActor('user:author') };
      const approver = { db: t.db, actor: systemActor('user:approver') };
      const publish = async (d: { id: string; number: number; version: number }) => {
        const a = await approveDisclosure(approver, 'LY-2024', d.id, { version: d.version });
        await publishDisclosure(author, 'LY-2024', d.id, { version: a.version });
      };
      const d1 = await draftDisclosure(author, 'LY-2024', UPDATE);
      await publish(d1);
      first = d1;
      const d2 = await draftDisclosure(author, 'LY-2024', { ...UPDATE, ...CORRECTION }, d1.id);
      await publish(d2);
      correction = d2;
      await draftDisclosure(author, 'LY-2024', {
        ...UPDATE,
        titleEn: 'DRAFT-NOT-PUBLISHED',
        titleJa: 'DRAFT-NOT-PUBLISHED',
      });
      await checkpointNow(t.db, signer);
    });
    afterAll(async () => t?.close());

    it('shows, without signing in, no internal field and no record code, on any page, file or feed', async () => {
      expect(markers.length).toBeGreaterThan(200);
      const site = renderPublicSite(await publicSiteOf(t, 'LY-2024'), 'LY-2024', signer.verifierKey);
      expect(site.size).toBeGreaterThan(12);
      for (const [path, body] of site) {
        // The server answers every file of the site with the same bytes.
        const res = await app.request(`/public/LY-2024/${path}`);
        expect(res.status, path).toBe(200);
        expect(await res.text(), path).toBe(body);
        expect(body.match(/CANARY\d+X/g) ?? [], path).toEqual([]);
        expect(body, path).not.toContain('DRAFT-NOT-PUBLISHED');
        for (const code of codesOf(file)) expect(body, `${path}: ${code}`).not.toContain(code);
        expect(body).not.toMatch(/<script/);
      }
      // What is public is there.
      const ja = await (await app.request('/public/LY-2024/ja/')).text();
      expect(ja).toContain('LINEヤフー株式会社 再発防止策の進捗');
      expect(ja).toContain('本事案を踏まえた安全管理措置及び委託先管理の抜本的な見直し・強化の加速');
      expect(ja).toContain(file.measures.find((m) => m.code === 'M-NETSEP')!.publicTitleJa!);
    });

    it('has canaries an internal page does show, so the test can fail', async () => {
      const res = await app.request('/programs/LY-2024/measures/M-NETSEP', {
        headers: { authorization: `Bearer ${tokens.manager}` },
      });
      expect(await res.text()).toMatch(/CANARY\d+X/);
    });

    it('shows each published update with its SHA-256 and a proof against the signed checkpoint; a correction shows both', async () => {
      const en = await (await app.request(`/public/LY-2024/en/updates/${correction.number}.html`)).text();
      expect(en).toContain('Correction of update 1');
      expect(en).toContain(CORRECTION.correctionNoteEn);
      const original = await (await app.request(`/public/LY-2024/en/updates/${first.number}.html`)).text();
      expect(original).toContain('Corrected by update');
      expect(original).toContain(UPDATE.titleEn);
      const content = await (await app.request(`/public/LY-2024/en/updates/${first.number}.json`)).text();
      const sha = createHash('sha256')
        .update(canonicalize(JSON.parse(content))!)
        .digest('hex');
      expect(original).toContain(sha);
      const proof = (await (
        await app.request(`/public/LY-2024/en/updates/${first.number}.proof.json`)
      ).json()) as {
        event: { payload: { sha256: string } };
        leafHash: string;
        proof: string[];
        treeSize: number;
        leafIndex: number;
        checkpoint: string;
      };
      expect(proof.event.payload.sha256).toBe(sha);
      const opened = openCheckpoint(proof.checkpoint, signer.name, signer.publicKey);
      expect(opened.ok).toBe(true);
      if (opened.ok)
        expect(
          verifyInclusion(
            proof.leafIndex,
            proof.treeSize,
            Buffer.from(proof.leafHash, 'base64'),
            proof.proof.map((h) => Buffer.from(h, 'base64')),
            opened.checkpoint.root,
          ),
        ).toBe(true);
      const atom = await app.request('/public/LY-2024/ja/feed.atom');
      expect(atom.headers.get('content-type')).toContain('application/atom+xml');
      expect(await atom.text()).toContain(
        `<link rel="alternate" type="text/html" href="updates/${first.number}.html"/>`,
      );
    });

    it('never changes a published update: not through the services, not behind their back', async () => {
      const author = { db: t.db, actor: systemActor('user:author') };
      const approver = { db: t.db, actor: systemActor('user:approver') };
      await expect(approveDisclosure(approver, 'LY-2024', first.id, { version: 3 })).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(publishDisclosure(author, 'LY-2024', first.id, { version: 3 })).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(
        sql`update disclosures set body_en = 'rewritten' where id = ${first.id}`.execute(t.db),
      ).rejects.toThrow(/cannot be changed/);
      await expect(sql`delete from disclosures where id = ${first.id}`.execute(t.db)).rejects.toThrow(
        /cannot be changed/,
      );
      // A draft needs a second person to approve it, and a correction says what changed.
      const d = await draftDisclosure(author, 'LY-2024', UPDATE);
      await expect(approveDisclosure(author, 'LY-2024', d.id, { version: 1 })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(draftDisclosure(author, 'LY-2024', UPDATE, first.id)).rejects.toMatchObject({
        code: 'validation',
      });
    });

    it('finds an update overdue once the cadence has passed since the last one, and not before', async () => {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
      const now = await lintProgram(t.ctx, 'LY-2024');
      expect(now.findings.filter((f) => f.rule === 'disclosure-overdue')).toEqual([]);
      const later = await lintProgram(t.ctx, 'LY-2024', { asOf: addMonths(today, 4) });
      expect(later.findings).toContainEqual(
        expect.objectContaining({ rule: 'disclosure-overdue', code: 'LY-2024', severity: 'warning' }),
      );
      // Before the first update was published, it was overdue already: due three months after the guidance.
      const before = await lintProgram(t.ctx, 'LY-2024', { asOf: '2024-09-01' });
      expect(before.findings.some((f) => f.rule === 'disclosure-overdue')).toBe(true);
    });

    it('keeps the public API responses free of program data too', async () => {
      for (const path of ['/api/v1/audit/key', '/api/v1/audit/checkpoint']) {
        const res = await app.request(path);
        expect(res.status, path).toBe(200);
        expect(await res.text(), path).not.toMatch(/CANARY\d+X/);
      }
    });

    it('answers a program without a public name, or none, as not found', async () => {
      expect((await app.request('/public/NOPE')).status).toBe(404);
      for (const path of [
        '/public/LY-2024/%E0%A4%A',
        '/public/LY-2024/ja/../../etc/passwd',
        '/public/LY-2024/fr/',
        '/public/LY-2024/ja/updates/99.html',
      ])
        expect((await app.request(path)).status, path).toBe(404);
      expect((await app.request('/public/%3Cscript%3E')).status).toBe(400);
    });
  });
}
