/**
 * The report as a Word document: the demo's 1 July 2024 report, in Japanese and English, read back
 * from the zip file — its text, styles, table of contents, tables, footer — and the same bytes every
 * time it is rendered.
 */
import { inflateRawSync } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import { renderDocx } from '../../src/reports/docx.ts';
import { buildReportModel, type ReportModel } from '../../src/reports/model.ts';
import { reportText } from '../../src/reports/text.ts';
import { DEMO_TEXT, demoJulyReport, largeProgram } from '../support/builders.ts';

const parsed = parseProgramText(DEMO_TEXT);
if (!parsed.ok) throw new Error('the demo does not parse');
const _demo = parsed.file;

const SHA = 'a3f1c09e5b7d2e4f6a8b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f7';

function july(): ReportModel {
  return demoJulyReport([
    { kind: 'milestone', code: 'MS-NETSEP-FW', filename: 'firewall-plan.pdf', sha256: SHA },
  ]);
}

// --- the zip file, read with node:zlib (independently of the zip writer docx uses) ---------------

interface ZipEntry {
  data: Buffer;
  /** The DOS date and time of the entry in its central directory record. */
  dosDate: number;
  dosTime: number;
}

function unzip(zip: Buffer): Map<string, ZipEntry> {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  expect(eocd).toBeGreaterThanOrEqual(0);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    out.set(name, {
      data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw),
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

// --- XML, parsed by a real parser (saxes) into a small tree; a malformed part fails the test -----

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser();
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    const node: XmlNode = {
      name: tag.name,
      attrs: { ...(tag.attributes as Record<string, string>) },
      children: [],
      text: '',
    };
    stack.at(-1)!.children.push(node);
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (t) => {
    stack.at(-1)!.text += t;
  });
  parser.write(xml).close();
  return root;
}

function* descendants(node: XmlNode, name: string): Generator<XmlNode> {
  for (const child of node.children) {
    if (child.name === name) yield child;
    yield* descendants(child, name);
  }
}
const all = (node: XmlNode, name: string) => [...descendants(node, name)];
const first = (node: XmlNode, name: string) => all(node, name)[0];
/** A paragraph's (or a cell's) text, its runs concatenated, as Word may split a text across runs. */
const textOf = (node: XmlNode) =>
  all(node, 'w:t')
    .map((t) => t.text)
    .join('');
const styleOf = (p: XmlNode) => first(p, 'w:pStyle')?.attrs['w:val'] ?? null;

interface Rendered {
  model: ReportModel;
  bytes: Buffer;
  parts: Map<string, ZipEntry>;
  document: XmlNode;
  paragraphs: Array<{ style: string | null; text: string }>;
}

async function render(lang: 'ja' | 'en', model = july()): Promise<Rendered> {
  const bytes = await renderDocx(model, lang);
  const parts = unzip(bytes);
  const document = parseXml(parts.get('word/document.xml')!.data.toString('utf8'));
  const paragraphs = all(document, 'w:p').map((p) => ({ style: styleOf(p), text: textOf(p) }));
  return { model, bytes, parts, document, paragraphs };
}

const part = (r: Rendered, path: string) => {
  const entry = r.parts.get(path);
  expect(entry, path).toBeDefined();
  return entry!.data.toString('utf8');
};

describe('the report as a Word document', () => {
  it('is a zip of well-formed WordprocessingML parts', async () => {
    const r = await render('ja');
    for (const path of [
      '[Content_Types].xml',
      'word/document.xml',
      'word/styles.xml',
      'word/settings.xml',
      'word/numbering.xml',
      'word/fontTable.xml',
      'docProps/core.xml',
    ])
      expect(r.parts.has(path), path).toBe(true);
    for (const [path, entry] of r.parts)
      if (path.endsWith('.xml') || path.endsWith('.rels'))
        expect(() => parseXml(entry.data.toString('utf8')), path).not.toThrow();
  });

  it('answers the directive item by item in Japanese, with the measures in Japanese', async () => {
    const r = await render('ja');
    const texts = r.paragraphs.map((p) => p.text);
    // The item's text intact, as a Heading 2 and as an entry of the table of contents.
    const item = r.paragraphs.filter((p) =>
      p.text.includes('本事案を踏まえた安全管理措置及び委託先管理の抜本的な見直し・強化の加速'),
    );
    expect(item).toEqual([
      { style: 'TOC2', text: '(1) 本事案を踏まえた安全管理措置及び委託先管理の抜本的な見直し・強化の加速' },
      {
        style: 'Heading2',
        text: '(1) 本事案を踏まえた安全管理措置及び委託先管理の抜本的な見直し・強化の加速',
      },
    ]);
    // Every bullet of the directive is a Heading 3, in the directive's order.
    const bullets = r.paragraphs.filter((p) => p.style === 'Heading3').map((p) => p.text);
    expect(bullets).toEqual(r.model.items.filter((i) => i.depth === 1).map((i) => `${i.label} ${i.textJa}`));
    expect(texts).toContain('M-NETSEP  LINEとNAVER Cloudのデータセンター間ネットワークの分離');
    for (const m of r.model.measures.filter((x) => r.model.items.some((i) => i.measures.includes(x.code))))
      expect(
        texts.some((t) => t.includes(`${m.code}  ${m.titleJa ?? m.title}`)),
        m.code,
      ).toBe(true);
    // The re-plan since the previous report, with its reason; the evidence file with its hash.
    expect(
      texts.some((t) =>
        t.startsWith('MS-NETSEP  2024年7月1日: 2026年6月30日 → 2026年3月31日（91日前倒し）。理由: '),
      ),
    ).toBe(true);
    expect(texts).toContain(`firewall-plan.pdf  ${SHA.slice(0, 12)}`);
    expect(texts.some((t) => t.includes(SHA.slice(0, 13)))).toBe(false);
  });

  it('says the same in English', async () => {
    const r = await render('en');
    const texts = r.paragraphs.map((p) => p.text);
    expect(texts.some((t) => t.includes('Separate the networks'))).toBe(true);
    expect(texts).toContain(
      '(1) Acceleration of the fundamental review and strengthening of safety management measures and contractor management based on this case',
    );
    expect(texts.some((t) => /[\u3040-\u30ff]/.test(t))).toBe(false);
  });

  it('has a Heading 1 for every section, in order, and a table of contents field listing them', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const r = await render(lang);
      const text = reportText(r.model, lang);
      expect(r.paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual(
        text.sections.map((s) => s.title),
      );
      expect(r.paragraphs.find((p) => p.style === 'Title')?.text).toBe(text.t('rpt.title'));
      const instructions = all(r.document, 'w:instrText').map((i) => i.text);
      expect(instructions).toContain('TOC \\h \\o "1-2"');
      const gallery = first(r.document, 'w:docPartGallery');
      expect(gallery?.attrs['w:val']).toBe('Table of Contents');
      // The entries link to bookmarks on the headings (Word fills in the page numbers on opening).
      const toc = r.paragraphs.filter((p) => p.style === 'TOC1').map((p) => p.text);
      expect(toc).toEqual(text.sections.map((s) => s.title));
      const anchors = all(r.document, 'w:hyperlink').map((h) => h.attrs['w:anchor']);
      const bookmarks = new Set(all(r.document, 'w:bookmarkStart').map((b) => b.attrs['w:name']));
      for (const a of anchors) expect(bookmarks.has(a!), a).toBe(true);
      expect(part(r, 'word/settings.xml')).toContain('<w:updateFields/>');
    }
  });

  it('uses real styles: Title, Heading 1–3 with outline levels, a table style; Japanese fonts by default', async () => {
    const r = await render('ja');
    const styles = parseXml(part(r, 'word/styles.xml'));
    const byId = new Map(all(styles, 'w:style').map((s) => [s.attrs['w:styleId'], s]));
    for (const [id, name, level] of [
      ['Heading1', 'Heading 1', '0'],
      ['Heading2', 'Heading 2', '1'],
      ['Heading3', 'Heading 3', '2'],
    ] as const) {
      expect(first(byId.get(id)!, 'w:name')?.attrs['w:val']).toBe(name);
      expect(first(byId.get(id)!, 'w:outlineLvl')?.attrs['w:val']).toBe(level);
    }
    expect(byId.has('Title')).toBe(true);
    expect(byId.get('ReportTable')?.attrs['w:type']).toBe('table');
    const fonts = first(first(styles, 'w:docDefaults')!, 'w:rFonts')!.attrs;
    expect(fonts).toMatchObject({
      'w:ascii': 'Yu Gothic',
      'w:hAnsi': 'Yu Gothic',
      'w:eastAsia': '游ゴシック',
    });
    const fontTable = parseXml(part(r, 'word/fontTable.xml'));
    const yu = all(fontTable, 'w:font').find((f) => f.attrs['w:name'] === '游ゴシック')!;
    expect(first(yu, 'w:charset')?.attrs['w:val']).toBe('80');
    // A4, 20 mm margins.
    const sectPr = all(r.document, 'w:sectPr').at(-1)!;
    expect(first(sectPr, 'w:pgSz')?.attrs).toMatchObject({ 'w:w': '11906', 'w:h': '16838' });
    expect(first(sectPr, 'w:pgMar')?.attrs).toMatchObject({
      'w:top': '1134',
      'w:right': '1134',
      'w:bottom': '1134',
      'w:left': '1134',
    });
  });

  it('tabulates the outsourcing relationships with their decisions, header rows repeated on every page', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const r = await render(lang);
      const text = reportText(r.model, lang);
      const tables = all(r.document, 'w:tbl');
      expect(tables.length).toBeGreaterThan(0);
      for (const table of tables) {
        const header = first(table, 'w:tr')!;
        expect(first(header, 'w:tblHeader'), 'every table repeats its header row').toBeDefined();
        expect(first(table, 'w:tblStyle')?.attrs['w:val']).toBe('ReportTable');
      }
      const rows = tables.flatMap((t) => all(t, 'w:tr').map((tr) => all(tr, 'w:tc').map(textOf)));
      const naver = rows.find((cells) => cells[0]!.startsWith('R-NAVER-CLOUD-INFRA'));
      expect(naver).toEqual([
        'R-NAVER-CLOUD-INFRAInternal system and network operation by NAVER Cloud',
        'NAVER Cloud Corporation',
        text.t('scope.internal_system_operation'),
        text.t('decision.terminate'),
        text.date('2024-07-01'),
        text.date('2025-12-31'),
        expect.stringContaining('item (2)'),
      ]);
      expect(rows).toContainEqual(
        expect.arrayContaining([text.t('rpt.relationship'), text.t('rpt.decision'), text.t('rpt.byWhen')]),
      );
    }
  });

  it('lists the changes since the previous report, the dated plan, the damage and the open findings', async () => {
    const r = await render('ja');
    const text = reportText(r.model, 'ja');
    const texts = r.paragraphs.map((p) => p.text);
    expect(texts).toContain(text.t('rpt.previousDue', { directive: 'MIC-2024-03-05', date: '2024年4月1日' }));
    for (const c of r.model.changes) expect(texts, c.kind).toContain(text.change(c));
    const cells = all(r.document, 'w:tc').map(textOf);
    // Every milestone is in the dated plan (and some also under the items): its code starts a cell.
    for (const m of r.model.measures)
      for (const ms of m.milestones)
        expect(
          cells.some((c) => c.startsWith(`${ms.code}${ms.title}`)),
          ms.code,
        ).toBe(true);
    expect(cells).toContain('302,569');
    expect(cells).toContain('2023年11月');
    expect(r.model.findings.length).toBeGreaterThan(0);
    for (const f of r.model.findings) expect(cells).toContain(`${f.code}${text.finding(f)}`);
  });

  it('says when there is no previous report and no finding', async () => {
    const model = { ...july(), previous: null, changes: [], findings: [] };
    const r = await render('en', model);
    const text = reportText(model, 'en');
    const texts = r.paragraphs.map((p) => p.text);
    expect(texts).toContain(text.t('rpt.noPrevious'));
    expect(texts).toContain(text.t('rpt.noFindings'));
  });

  it('keeps any text a user typed: markup characters, line breaks; control characters are left out', async () => {
    const base = july();
    const model: ReportModel = {
      ...base,
      measures: base.measures.map((m) =>
        m.code === 'M-NETSEP' ? { ...m, titleJa: 'A & B <c> "d"\u0007 e', owner: 'line one\nline two' } : m,
      ),
    };
    const r = await render('ja', model);
    expect(r.paragraphs.map((p) => p.text)).toContain('M-NETSEP  A & B <c> "d" e');
    const breaks = all(r.document, 'w:p').filter((p) => textOf(p).includes('line oneline two'));
    expect(breaks.length).toBeGreaterThan(0);
    expect(first(breaks[0]!, 'w:br')).toBeDefined();
  });

  it('numbers the pages in the footer in the words of the report', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const r = await render(lang);
      const footers = [...r.parts.keys()].filter((p) => /^word\/footer\d+\.xml$/.test(p));
      expect(footers.length).toBeGreaterThan(0);
      const footer = parseXml(part(r, footers[0]!));
      expect(all(footer, 'w:instrText').map((i) => i.text.trim())).toEqual(['PAGE', 'NUMPAGES']);
      const words = reportText(r.model, lang).t('rpt.page', { page: '|', pages: '|' });
      expect(textOf(footer)).toBe(words.replaceAll('|', ''));
    }
  });

  it('is the same file every time: core properties and zip entries dated by the report, not the clock', async () => {
    const model = july();
    const a = await renderDocx(model, 'ja');
    await renderDocx(model, 'en'); // other documents in between draw on docx's shared counters
    const b = await renderDocx(model, 'ja');
    expect(b.equals(a)).toBe(true);
    const parts = unzip(a);
    const core = parseXml(parts.get('docProps/core.xml')!.data.toString('utf8'));
    const value = (name: string) => first(core, name)?.text;
    expect(value('dcterms:created')).toBe('2024-07-01T00:00:00Z');
    expect(value('dcterms:modified')).toBe('2024-07-01T00:00:00Z');
    expect(value('dc:creator')).toBe('LINEヤフー株式会社');
    expect(value('dc:subject')).toBe('MIC-2024-04-16');
    expect(value('dc:title')).toBe(reportText(model, 'ja').t('rpt.title'));
    const july1 = ((2024 - 1980) << 9) | (7 << 5) | 1;
    for (const [path, entry] of parts)
      expect({ path, date: entry.dosDate, time: entry.dosTime }).toEqual({ path, date: july1, time: 0 });
  });

  it('renders a report of 1,000 measures in seconds', async () => {
    const file = largeProgram({ measures: 1000 });
    const model = buildReportModel({ file, directive: 'D1', asOf: '2024-07-01', findings: [] });
    expect(model.measures.length).toBe(1000);
    const started = performance.now();
    const bytes = await renderDocx(model, 'en');
    const elapsed = performance.now() - started;
    const document = unzip(bytes).get('word/document.xml')!.data.toString('utf8');
    expect(document.split('<w:tbl>').length - 1).toBeGreaterThan(1000);
    // Generous for a shared machine; about 2–4 s here. Quadratic work would take minutes.
    expect(elapsed).toBeLessThan(30_000);
  });
});
