/**
 * A program's own DOCX template, without a database: the starter template passes its own check and
 * lays out the demo's 1 July 2024 report in both languages; the check refuses what is not a Word
 * document, what does not parse, and every placeholder the vocabulary does not name — by name and
 * place; the vocabulary and the data the renderer fills agree name for name; the docs list it.
 */
import { readFileSync } from 'node:fs';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { renderDocx } from '../../src/reports/docx.ts';
import { checkTemplate, MAX_TEMPLATE_UNPACKED, renderTemplate } from '../../src/reports/docx-template.ts';
import { renderHtml } from '../../src/reports/html.tsx';
import { renderMarkdown } from '../../src/reports/markdown.ts';
import { starterTemplate } from '../../src/reports/starter-template.ts';
import { templateData } from '../../src/reports/template-data.ts';
import { vocabularyMarkdown } from '../../src/reports/template-docs.ts';
import { REPORT, type Scope } from '../../src/reports/template-vocabulary.ts';
import { demoJulyReport } from '../support/builders.ts';
import { docxText, LETTERHEAD, programTemplate, templateWith } from '../support/templates.ts';

/** The issues a refused template is refused with. */
function refusal(bytes: Uint8Array): Array<{ key: string; params: Record<string, unknown> }> {
  try {
    checkTemplate(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation');
    return (err as AppError).issues.map((i) => {
      expect(i.path).toBe('file');
      return { key: i.key, params: i.params ?? {} };
    });
  }
  throw new Error('the template was accepted');
}

const july = () => ({
  ...demoJulyReport(),
  cover: {
    en: 'To the Minister for Internal Affairs and Communications',
    ja: '総務大臣 殿\n下記のとおり報告します。',
  },
});

describe('a DOCX template', () => {
  it('the starter template is the same bytes every time and passes its own check, every section used', async () => {
    const a = await starterTemplate();
    expect((await starterTemplate()).equals(a)).toBe(true);
    const { placeholders } = checkTemplate(a);
    for (const name of [
      'cover',
      'summary',
      'items',
      'measures',
      'milestones',
      'changes',
      'relationships',
      'governance',
      'damage',
      'findings',
    ])
      expect(placeholders).toContain(name);
  });

  it('lays out the demo’s 1 July report: the template’s own words, the cover text and the report’s data, in Japanese and in English', async () => {
    const template = await programTemplate();
    const model = july();
    const ja = docxText(renderTemplate(template, model, 'ja'));
    expect(ja).toContain(LETTERHEAD);
    expect(ja).toContain('総務大臣 殿\n下記のとおり報告します。');
    expect(ja).toContain('M-NETSEP  LINEとNAVER Cloudのデータセンター間ネットワークの分離');
    expect(ja).toContain('前倒し: M-NETSEP の MS-NETSEP、2026年6月30日 → 2026年3月31日（91日前倒し）');
    // MS-NETSEP was brought forward from 30 June 2026 to 31 March 2026, as of 1 July 2024.
    expect(ja).toMatch(/MS-NETSEP\n[^\n]+\n2026年6月30日\n2026年3月31日/);
    expect(ja).toContain('2. 前回報告からの変更');
    const en = docxText(renderTemplate(template, model, 'en'));
    expect(en).toContain(LETTERHEAD);
    expect(en).toContain('To the Minister for Internal Affairs and Communications');
    expect(en).toContain(
      'M-NETSEP  Separate the networks of the LINE and NAVER Cloud data centers; control outbound traffic',
    );
    expect(en).toMatch(/MS-NETSEP\n[^\n]+\n30 Jun 2026\n31 Mar 2026/);
    expect(en).toContain(
      'Brought forward: MS-NETSEP of M-NETSEP, 30 Jun 2026 → 31 Mar 2026 (91 days earlier)',
    );
    expect(en).not.toMatch(/\{[#/^]?[A-Za-z]+\}/);
    // The same template and model give the same bytes.
    expect(renderTemplate(template, model, 'en').equals(renderTemplate(template, model, 'en'))).toBe(true);
  });

  it('refuses an unknown placeholder by its name and where it is, with every other one found', async () => {
    const issues = refusal(await templateWith('Budget: {budget}', 'Also {#measures}{cost}{/measures}'));
    expect(issues).toEqual([
      {
        key: 'validation.template_unknown_placeholder',
        params: { tag: '{budget}', where: 'word/document.xml' },
      },
      {
        key: 'validation.template_unknown_placeholder',
        params: { tag: '{cost}', where: 'word/document.xml › {#measures}' },
      },
    ]);
  });

  it('refuses names every object has (constructor, __proto__, toString) as unknown placeholders', async () => {
    const issues = refusal(
      await templateWith('{#constructor}x{/constructor}', '{toString}', '{#measures}{__proto__}{/measures}'),
    );
    expect(issues.map((i) => [i.key, i.params.tag])).toEqual([
      ['validation.template_unknown_placeholder', '{#constructor}'],
      ['validation.template_unknown_placeholder', '{toString}'],
      ['validation.template_unknown_placeholder', '{__proto__}'],
    ]);
  });

  it('reads the content of an inverted list in the scope around it, where the list is empty', async () => {
    expect(refusal(await templateWith('{^findings}{severity}{/findings}'))).toEqual([
      {
        key: 'validation.template_unknown_placeholder',
        params: { tag: '{severity}', where: 'word/document.xml' },
      },
    ]);
  });

  it('refuses a name used as another kind, and raw XML', async () => {
    expect(refusal(await templateWith('{#title}x{/title}', '{measures}', '{@cover}'))).toEqual([
      { key: 'validation.template_not_a_list', params: { tag: '{#title}', where: 'word/document.xml' } },
      { key: 'validation.template_not_a_text', params: { tag: '{measures}', where: 'word/document.xml' } },
      { key: 'validation.template_tag_kind', params: { tag: '{@cover}', where: 'word/document.xml' } },
    ]);
  });

  it('refuses a loop never closed and a tag never ended, saying which', async () => {
    expect(refusal(await templateWith('{#findings}{code}'))).toContainEqual({
      key: 'validation.template_unclosed_loop',
      params: { tag: 'findings', where: 'word/document.xml' },
    });
    expect(refusal(await templateWith('{title'))).toContainEqual({
      key: 'validation.template_unclosed_tag',
      params: { tag: 'title', where: 'word/document.xml' },
    });
    expect(refusal(await templateWith('{#items}{/measures}'))[0]!.key).toMatch(
      /^validation\.template_(loop_mismatch|unopened_loop|unclosed_loop)$/,
    );
  });

  it('refuses what is not a Word document: bytes that are no zip, an empty file, a zip without word/document.xml', () => {
    expect(refusal(Buffer.from('not a zip at all'))).toEqual([
      { key: 'validation.template_not_docx', params: {} },
    ]);
    expect(refusal(new Uint8Array())).toEqual([{ key: 'validation.required', params: {} }]);
    const zip = new PizZip();
    zip.file('hello.txt', 'hello');
    expect(refusal(zip.generate({ type: 'uint8array' }))).toEqual([
      { key: 'validation.template_not_docx', params: {} },
    ]);
  });

  it('refuses a template without placeholders, and one that unpacks to more than the limit', async () => {
    const zip = new PizZip(await starterTemplate());
    const document = zip.file('word/document.xml')!.asText();
    zip.file('word/document.xml', document.replace(/\{[^}]*\}/g, ''));
    zip.file(
      'docProps/core.xml',
      zip
        .file('docProps/core.xml')!
        .asText()
        .replace(/\{[^}]*\}/g, ''),
    );
    zip.file(
      'word/header1.xml',
      zip
        .file('word/header1.xml')!
        .asText()
        .replace(/\{[^}]*\}/g, ''),
    );
    expect(refusal(zip.generate({ type: 'uint8array', compression: 'DEFLATE' }))).toEqual([
      { key: 'validation.template_empty', params: {} },
    ]);
    const bomb = new PizZip(await starterTemplate());
    bomb.file('word/media/padding.bin', Buffer.alloc(MAX_TEMPLATE_UNPACKED + 1));
    const packed = bomb.generate({ type: 'uint8array', compression: 'DEFLATE' });
    expect(packed.length).toBeLessThan(1024 * 1024);
    expect(refusal(packed)).toEqual([
      { key: 'validation.template_unpacked_too_big', params: { limit: MAX_TEMPLATE_UNPACKED } },
    ]);
  });

  it('fills every name of the vocabulary, of the kind it says, and nothing else', () => {
    const data = templateData(july(), 'en');
    const walk = (scope: Scope, value: Record<string, unknown>, where: string) => {
      expect(Object.keys(value).sort(), where).toEqual(Object.keys(scope.slots).sort());
      for (const [name, slot] of Object.entries(scope.slots)) {
        const v = value[name];
        if (slot.kind === 'text') expect(typeof v, `${where}.${name}`).toBe('string');
        if (slot.kind === 'flag') expect(typeof v, `${where}.${name}`).toBe('boolean');
        if (slot.kind === 'list') {
          expect(Array.isArray(v), `${where}.${name}`).toBe(true);
          const list = v as Array<Record<string, unknown>>;
          // The demo fills every list of the vocabulary at least once somewhere.
          for (const [i, element] of list.slice(0, 3).entries())
            walk(slot.of, element, `${where}.${name}[${i}]`);
        }
      }
    };
    walk(REPORT, data, 'report');
    expect((data.items as unknown[]).length).toBeGreaterThan(0);
    expect((data.measures as Array<{ replans: unknown[] }>).some((m) => m.replans.length > 0)).toBe(true);
  });

  it('shows the cover text in the built-in formats too, in the report’s language or, failing it, the other', async () => {
    const model = july();
    expect(renderMarkdown(model, 'ja')).toContain('総務大臣 殿  \n下記のとおり報告します。');
    expect(renderHtml(model, 'en')).toContain(
      '<p class="cover-text">To the Minister for Internal Affairs and Communications</p>',
    );
    expect(docxText(await renderDocx(model, 'ja'))).toContain('総務大臣 殿\n下記のとおり報告します。');
    expect(renderMarkdown({ ...model, cover: { en: 'Only in English', ja: null } }, 'ja')).toContain(
      'Only in English',
    );
    expect(renderHtml(demoJulyReport(), 'en')).not.toContain('cover-text"');
  });

  it('is described in docs/report-templates.md as the vocabulary says (npm run template-docs)', () => {
    // Tables compared cell by cell: the formatter lines their columns up.
    const cells = (s: string) =>
      s
        .split('\n')
        .map((l) => (l.startsWith('|') ? l.replace(/ *\| */g, '|').replace(/-{3,}/g, '---') : l))
        .join('\n');
    const docs = readFileSync(new URL('../../docs/report-templates.md', import.meta.url), 'utf8');
    expect(cells(docs)).toContain(cells(vocabularyMarkdown()));
  });
});
