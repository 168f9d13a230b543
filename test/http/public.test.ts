/**
 * The public progress page never shows anything internal. Canaries: every free-text field of the
 * demo that is not classified public is replaced by a unique marker; the public page, in both
 * languages, must hold none of them — nor any record's code — while an internal page shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { createApp } from '../../src/http/app.ts';
import { importProgram } from '../../src/services/program-file.service.ts';
import { createTestUsers } from '../support/api.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT } from '../support/builders.ts';

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
      return key === 'title' || (path.includes('items') && ['text', 'textJa', 'label'].includes(key));
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

    beforeAll(async () => {
      t = await backend.create();
      await importProgram(t.ctx, file);
      tokens = await createTestUsers(t);
      app = createApp({ database: t });
    });
    afterAll(async () => t?.close());

    it('shows, without signing in, no internal field and no record code, in either language', async () => {
      expect(markers.length).toBeGreaterThan(200);
      for (const lang of ['en', 'ja']) {
        const res = await app.request(`/public/LY-2024?lang=${lang}`);
        expect(res.status).toBe(200);
        const html = await res.text();
        expect(html.match(/CANARY\d+X/g) ?? [], lang).toEqual([]);
        for (const code of codesOf(file)) expect(html, code).not.toContain(code);
        expect(html).not.toMatch(/<script/);
      }
      // What is public is there.
      const ja = await (await app.request('/public/LY-2024?lang=ja')).text();
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

    it('answers a program without a public name, or none, as not found', async () => {
      expect((await app.request('/public/NOPE')).status).toBe(404);
      expect((await app.request('/public/%3Cscript%3E')).status).toBe(400);
    });
  });
}
