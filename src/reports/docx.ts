/**
 * The report as a Word document (DOCX), for ministries that work in Word: real styles (Title,
 * Heading 1–3 with outline levels, a table style), so Word's navigation pane and table of contents
 * work; a table of contents field, written with its entries and filled in (page numbers) by Word
 * when it opens the file; page numbers in the footer; A4 with 20 mm margins. Every word comes from
 * `reportText`; this file only lays them out.
 *
 * Fonts: the document's default run fonts are Yu Gothic — "Yu Gothic" for Latin text and
 * "游ゴシック" (the same face, by its Japanese name) for Japanese. Windows has shipped it since 8.1
 * and Office for Mac since 2016, so a ministry's Word renders it without substitution; the font
 * table tells Word, where it is missing, that it is a Japanese (Shift-JIS) proportional sans serif,
 * which Word replaces with MS PGothic or the like.
 *
 * Deterministic: the same model gives the same bytes. docx stamps the core properties and every
 * zip entry with the time of packing, and numbers bookmarks from a counter shared by every document
 * of the process; here the core properties carry the report's day, the zip entries are dated to it
 * after packing, and the bookmarks are numbered per document.
 */
import {
  AlignmentType,
  BookmarkEnd,
  BookmarkStart,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  InternalHyperlink,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Language } from '../i18n/index.ts';
import type { ReportMeasure, ReportModel } from './model.ts';
import { type ReportText, reportText } from './text.ts';

/** A4 in twips, 20 mm margins. */
export const PAGE = { width: 11906, height: 16838, margin: 1134 } as const;
export const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** Indentation per level of a directive's items, in twips. */
const INDENT = 360;

export const FONT_LATIN = 'Yu Gothic';
export const FONT_JAPANESE = '游ゴシック';
const FONT_CODE = 'Consolas';
const TABLE_STYLE = 'ReportTable';
const BULLETS = 'report-bullets';
export const HEADER_FILL = 'E7ECF2';
const GROUP_FILL = 'F3F5F8';
export const MUTED = '595959';
/** The headings' colour. */
export const NAVY = '1F3864';
/** The paragraph style of text in table cells: smaller, without spacing between paragraphs. */
export const TABLE_TEXT_STYLE = {
  id: 'TableText',
  name: 'Table Text',
  basedOn: 'Normal',
  quickFormat: true,
  run: { size: 18 },
  paragraph: { spacing: { before: 0, after: 0, line: 260 } },
};

/** Characters XML 1.0 cannot hold (a control character typed into a title would make the file unreadable). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const clean = (s: string) => s.replace(NOT_XML, '');

interface RunStyle {
  bold?: boolean;
  size?: number;
  color?: string;
  font?: string;
}

/** Runs of a text, its line breaks kept as breaks. */
function runs(text: string, style: RunStyle = {}): TextRun[] {
  return clean(text)
    .split(/\r?\n/)
    .map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}), ...style }));
}

interface ParagraphOptions {
  heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel];
  style?: string;
  indent?: number;
  keepNext?: boolean;
  pageBreakBefore?: boolean;
  alignment?: (typeof AlignmentType)[keyof typeof AlignmentType];
  bullet?: number;
  spacingAfter?: number;
  spacingBefore?: number;
}

function para(content: string | ParagraphChild[], o: ParagraphOptions = {}): Paragraph {
  return new Paragraph({
    children: typeof content === 'string' ? runs(content) : content,
    ...(o.heading ? { heading: o.heading } : {}),
    ...(o.style ? { style: o.style } : {}),
    ...(o.indent ? { indent: { left: o.indent } } : {}),
    ...(o.keepNext ? { keepNext: true } : {}),
    ...(o.pageBreakBefore ? { pageBreakBefore: true } : {}),
    ...(o.alignment ? { alignment: o.alignment } : {}),
    ...(o.bullet !== undefined ? { numbering: { reference: BULLETS, level: o.bullet } } : {}),
    ...(o.spacingAfter !== undefined || o.spacingBefore !== undefined
      ? {
          spacing: {
            ...(o.spacingBefore !== undefined ? { before: o.spacingBefore } : {}),
            ...(o.spacingAfter !== undefined ? { after: o.spacingAfter } : {}),
          },
        }
      : {}),
  });
}

/** A table of contents entry of a heading, linked to the bookmark around it. */
interface TocEntry {
  title: string;
  level: number;
  href: string;
}

/**
 * The document's bookmarks: on the headings of levels 1 and 2 (each with an entry of the table of
 * contents) and on the first account of each measure, which later mentions link to. They are
 * numbered here, from 1 in each document, rather than from docx's counter that every document of
 * the process shares, so the same model gives the same file.
 */
class Marks {
  readonly toc: TocEntry[] = [];
  /** The bookmark on the first account of each measure, by its code. */
  readonly measures = new Map<string, string>();
  private next = 1;

  /** Runs wrapped in a new bookmark; its name. */
  wrap(children: ParagraphChild[], prefix: string): { children: ParagraphChild[]; name: string } {
    const id = this.next++;
    const name = `${prefix}${id}`;
    // BookmarkStart and BookmarkEnd are written as they are; docx's Bookmark would take its id from its counter.
    const mark = (c: BookmarkStart | BookmarkEnd) => c as unknown as ParagraphChild;
    return { children: [mark(new BookmarkStart(name, id)), ...children, mark(new BookmarkEnd(id))], name };
  }

  /** A heading (Heading 1–3); those of levels 1 and 2 are in the table of contents. */
  heading(
    title: string,
    level: 1 | 2 | 3,
    o: Pick<ParagraphOptions, 'indent' | 'pageBreakBefore'> = {},
  ): Paragraph {
    const heading = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3][level - 1];
    if (level === 3) return para(title, { heading, ...o });
    const { children, name } = this.wrap(runs(title), '_Toc');
    this.toc.push({ title: clean(title).replace(/\s+/g, ' '), level, href: name });
    return para(children, { heading, ...o });
  }
}

type CellContent = string | TextRun[];

function cell(content: CellContent, width: number, o: { fill?: string; span?: number; bold?: boolean } = {}) {
  return new TableCell({
    children: [
      new Paragraph({
        children: typeof content === 'string' ? runs(content, o.bold ? { bold: true } : {}) : content,
        style: 'TableText',
      }),
    ],
    width: { size: width, type: WidthType.DXA },
    ...(o.span ? { columnSpan: o.span } : {}),
    ...(o.fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: o.fill } } : {}),
  });
}

/** A row spanning the whole table, such as a measure above its milestones. */
type Row = CellContent[] | { group: CellContent };

/**
 * A table of the page's width (less an indent) in the report's table style: its header row repeats
 * on every page and every cell wraps (a long row may break across pages). Widths are given as weights.
 */
function table(headers: string[], weights: number[], rows: Row[], indent = 0): Table {
  const total = weights.reduce((a, b) => a + b, 0);
  const width = TEXT_WIDTH - indent;
  const widths = weights.map((w) => Math.floor((w / total) * width));
  const used = widths.reduce((a, b) => a + b, 0);
  widths[widths.length - 1]! += width - used;
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: headers.map((h, i) => cell(h, widths[i]!, { fill: HEADER_FILL, bold: true })),
  });
  const body = rows.map(
    (r) =>
      new TableRow({
        children: Array.isArray(r)
          ? r.map((c, i) => cell(c, widths[i]!))
          : [cell(r.group, width, { fill: GROUP_FILL, span: widths.length })],
      }),
  );
  return new Table({
    rows: [header, ...body],
    style: TABLE_STYLE,
    width: { size: width, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    ...(indent ? { indent: { size: indent, type: WidthType.DXA } } : {}),
  });
}

/** The report's table style: thin grey grid, the first row bold and shaded (also set on the cells). */
const TABLE_STYLE_XML = `<w:style w:type="table" w:styleId="${TABLE_STYLE}" w:customStyle="1"><w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="8C96A0"/><w:left w:val="single" w:sz="4" w:space="0" w:color="8C96A0"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="8C96A0"/><w:right w:val="single" w:sz="4" w:space="0" w:color="8C96A0"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="8C96A0"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="8C96A0"/></w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="${HEADER_FILL}"/></w:tcPr></w:tblStylePr></w:style>`;

/**
 * Styles docx has no options for (a table style), given as "external" styles: docx adds its own
 * defaults and the styles given in the options to them.
 */
const EXTERNAL_STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${TABLE_STYLE_XML}</w:styles>`;

/**
 * The font table, which docx leaves empty: what Word needs to substitute a font it does not have —
 * Yu Gothic is a Japanese (Shift-JIS, charset 80) proportional sans serif, so Word falls back to
 * MS PGothic/MS Gothic; the two names of Yu Gothic are each other's alternative.
 */
const FONT_TABLE = (() => {
  const font = (
    name: string,
    alt: string | null,
    panose: string,
    charset: string,
    family: string,
    pitch: string,
  ) =>
    `<w:font w:name="${name}">${alt ? `<w:altName w:val="${alt}"/>` : ''}<w:panose1 w:val="${panose}"/>` +
    `<w:charset w:val="${charset}"/><w:family w:val="${family}"/><w:pitch w:val="${pitch}"/></w:font>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    font(FONT_LATIN, FONT_JAPANESE, '020B0400000000000000', '80', 'swiss', 'variable') +
    font(FONT_JAPANESE, FONT_LATIN, '020B0400000000000000', '80', 'swiss', 'variable') +
    font(FONT_CODE, null, '020B0609020204030204', '00', 'modern', 'fixed') +
    '</w:fonts>'
  );
})();

function escapeXml(s: string): string {
  return clean(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** docProps/core.xml with the report's day as created and modified, rather than the time of packing. */
function coreProperties(o: {
  title: string;
  subject: string;
  creator: string;
  language: string;
  at: string;
}) {
  const dc = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    dc('dc:title', o.title) +
    dc('dc:subject', o.subject) +
    dc('dc:creator', o.creator) +
    dc('cp:lastModifiedBy', o.creator) +
    dc('dc:language', o.language) +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${o.at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${o.at}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * Sets the modification time of every entry of a zip file (local header and central directory) to
 * midnight of a day. The times are not covered by the entries' checksums, so nothing else changes.
 */
export function stampZip(zip: Buffer, day: string): Buffer {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const year = Math.min(Math.max(y, 1980), 2107);
  const dosDate = ((year - 1980) << 9) | (m << 5) | d;
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('a zip central directory entry is malformed');
    zip.writeUInt16LE(0, at + 12);
    zip.writeUInt16LE(dosDate, at + 14);
    const local = zip.readUInt32LE(at + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('a zip local header is malformed');
    zip.writeUInt16LE(0, local + 10);
    zip.writeUInt16LE(dosDate, local + 12);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return zip;
}

/** The footer's words around the page numbers: "Page {{page}} of {{pages}}" → runs with PAGE and NUMPAGES fields. */
function pageNumberRuns(text: ReportText): TextRun[] {
  const PAGE_MARK = '\uE000';
  const PAGES_MARK = '\uE001';
  const words = text.t('rpt.page', { page: PAGE_MARK, pages: PAGES_MARK });
  return words
    .split(/(\uE000|\uE001)/)
    .filter((part) => part !== '')
    .map((part) =>
      part === PAGE_MARK
        ? new TextRun({ children: [PageNumber.CURRENT] })
        : part === PAGES_MARK
          ? new TextRun({ children: [PageNumber.TOTAL_PAGES] })
          : new TextRun(part),
    );
}

function cover(model: ReportModel, text: ReportText): Paragraph[] {
  const { t, date, name } = text;
  const d = model.directive;
  const out = [
    para(t('rpt.title'), { style: 'Title', alignment: AlignmentType.CENTER }),
    para(runs(t('rpt.submittedBy', { organization: name(model.organization) }), { bold: true, size: 26 }), {
      alignment: AlignmentType.CENTER,
      spacingAfter: 360,
    }),
    para(t('rpt.subtitle', { directive: d.code, issuer: name(d.issuer), issuedOn: date(d.issuedOn) }), {
      alignment: AlignmentType.CENTER,
    }),
    para(runs(text.directiveTitle, { color: MUTED }), { alignment: AlignmentType.CENTER, spacingAfter: 240 }),
  ];
  if (d.reference)
    out.push(para(t('rpt.reference', { reference: d.reference }), { alignment: AlignmentType.CENTER }));
  out.push(para(t('rpt.asOf', { date: date(model.asOf) }), { alignment: AlignmentType.CENTER }));
  if (d.reportDue)
    out.push(para(t('rpt.due', { date: date(d.reportDue) }), { alignment: AlignmentType.CENTER }));
  // The program's own cover text (docs/report-templates.md), as written: a salutation, a covering note.
  if (text.cover) out.push(para(text.cover, { spacingBefore: 480 }));
  out.push(
    para(
      runs(t('rpt.generated', { program: model.program.code, date: date(model.asOf) }), {
        size: 16,
        color: MUTED,
      }),
      {
        alignment: AlignmentType.CENTER,
        spacingBefore: 480,
      },
    ),
  );
  return out;
}

type Block = Paragraph | Table | TableOfContents;

/**
 * A measure under an item it answers: its title and status, then — the first time it appears — its
 * milestones, the re-plans since the previous report, its verifications and evidence. A measure
 * answering several items is told in full once; later mentions link back to it.
 */
function measureBlock(
  m: ReportMeasure,
  text: ReportText,
  measures: Map<string, ReportMeasure>,
  marks: Marks,
  indent: number,
): Block[] {
  const { t, date, shift } = text;
  const title = `${m.code}  ${text.measureTitle(m)}${m.illustrative ? ` (${t('rpt.illustrative')})` : ''}`;
  const first = marks.measures.get(m.code);
  const heading = first === undefined ? marks.wrap(runs(title, { bold: true }), '_Ref') : null;
  if (heading) marks.measures.set(m.code, heading.name);
  const out: Block[] = [
    para(heading ? heading.children : runs(title, { bold: true }), {
      indent,
      keepNext: true,
      spacingBefore: 200,
      spacingAfter: 80,
    }),
    para(
      runs(
        t('rpt.docx.measureStatus', {
          declared: t(`status.${m.declared}`),
          derived: t(`status.${m.derived}`),
          owner: m.owner ?? '—',
          committed: date(m.committed),
        }),
        { size: 19 },
      ),
      { indent, keepNext: m.milestones.length > 0, spacingAfter: 80 },
    ),
  ];
  if (first !== undefined) {
    out.push(
      para(
        [
          new InternalHyperlink({
            anchor: first,
            children: runs(t('rpt.docx.detailsAbove', { measure: m.code }), { color: MUTED }),
          }),
        ],
        { indent, spacingBefore: 60 },
      ),
    );
    return out;
  }
  if (m.milestones.length > 0) {
    out.push(
      table(
        [t('rpt.milestone'), t('rpt.baseline'), t('rpt.planned'), t('rpt.actual'), t('rpt.slip')],
        [4, 1.4, 1.4, 1.4, 1.4],
        m.milestones.map((ms) => [
          `${ms.code}\n${ms.title}`,
          date(ms.baseline),
          date(ms.planned),
          ms.actual ? date(ms.actual) : '—',
          shift(ms.slipDays),
        ]),
        indent,
      ),
    );
  }
  const replans = m.milestones.flatMap((ms) => ms.replansSince.map((r) => ({ ms: ms.code, r })));
  if (replans.length > 0) {
    out.push(para(runs(t('rpt.replans'), { bold: true }), { indent, keepNext: true, spacingBefore: 120 }));
    for (const { ms, r } of replans)
      out.push(
        para(
          `${ms}  ${t('rpt.replan', { on: date(r.on), from: date(r.from), to: date(r.to), days: shift(r.days), reason: r.reason })}`,
          { bullet: 0, indent: indent + INDENT },
        ),
      );
  }
  if (m.verifications.length > 0) {
    const followUp = (code: string) => {
      const f = measures.get(code);
      return t('rpt.followUp', { measure: f ? `${code} ${text.measureTitle(f)}` : code });
    };
    out.push(
      para(runs(t('rpt.verifications'), { bold: true }), { indent, keepNext: true, spacingBefore: 120 }),
      table(
        [t('rpt.method'), t('rpt.performed'), t('rpt.result')],
        [4, 1.4, 2.4],
        m.verifications.map((v) => [
          v.evidence ? `${v.method}\n${t('rpt.evidence')}: ${v.evidence}` : v.method,
          v.performedOn ? date(v.performedOn) : t('rpt.notYet'),
          [
            v.result ? t(`result.${v.result}`) : t('rpt.notYet'),
            v.followUpMeasure ? followUp(v.followUpMeasure) : '',
          ]
            .filter((s) => s !== '')
            .join('\n'),
        ]),
        indent,
      ),
    );
  }
  if (m.evidence.length > 0) {
    out.push(para(runs(t('rpt.evidence'), { bold: true }), { indent, keepNext: true, spacingBefore: 120 }));
    for (const e of m.evidence)
      out.push(
        para(
          [...runs(`${e.filename}  `), ...runs(e.sha256.slice(0, 12), { font: FONT_CODE, color: MUTED })],
          {
            bullet: 0,
            indent: indent + INDENT,
          },
        ),
      );
  }
  return out;
}

function itemsSection(
  model: ReportModel,
  text: ReportText,
  measures: Map<string, ReportMeasure>,
  marks: Marks,
): Block[] {
  const out: Block[] = [];
  model.items.forEach((item, index) => {
    const indent = item.depth * INDENT;
    const words = text.itemText(item);
    out.push(
      marks.heading(item.label ? `${item.label} ${words}` : words, item.depth === 0 ? 2 : 3, { indent }),
    );
    const answering = item.measures
      .map((c) => measures.get(c))
      .filter((m): m is ReportMeasure => m !== undefined);
    for (const m of answering) out.push(...measureBlock(m, text, measures, marks, indent));
    // An item with bullets is answered under its bullets.
    const hasBullets = (model.items[index + 1]?.depth ?? -1) > item.depth;
    if (answering.length === 0 && !hasBullets)
      out.push(para(runs(text.t('rpt.noMeasures'), { color: MUTED }), { indent }));
  });
  return out;
}

function changesSection(model: ReportModel, text: ReportText): Block[] {
  const { t, date } = text;
  const p = model.previous;
  const basis = !p
    ? t('rpt.noPrevious')
    : t(p.kind === 'report' ? 'rpt.previousReport' : 'rpt.previousDue', {
        directive: p.directive,
        date: date(p.asOf),
      });
  const out: Block[] = [para(basis)];
  if (p && model.changes.length === 0) out.push(para(runs(t('rpt.noChanges'), { color: MUTED })));
  for (const c of model.changes) {
    out.push(para(text.change(c), { bullet: 0 }));
    const reasons = 'reasons' in c ? c.reasons : c.kind === 'decision' && c.reason ? [c.reason] : [];
    for (const r of reasons) out.push(para(`${t('rpt.reason')}: ${r}`, { bullet: 1 }));
  }
  return out;
}

function planSection(model: ReportModel, text: ReportText): Block[] {
  const { t, date, shift } = text;
  const rows: Row[] = [];
  for (const m of model.measures) {
    rows.push({ group: runs(`${m.code}  ${text.measureTitle(m)}`, { bold: true }) });
    for (const ms of m.milestones)
      rows.push([
        `${ms.code}\n${ms.title}`,
        date(ms.baseline),
        date(ms.planned),
        ms.actual ? date(ms.actual) : '—',
        shift(ms.slipDays),
        ms.late ? runs(t('rpt.late'), { bold: true, color: 'B00020' }) : '',
      ]);
  }
  return [
    table(
      [
        t('rpt.milestone'),
        t('rpt.baseline'),
        t('rpt.planned'),
        t('rpt.actual'),
        t('rpt.slip'),
        t('rpt.late'),
      ],
      [4, 1.4, 1.4, 1.4, 1.4, 0.8],
      rows,
    ),
  ];
}

function relationshipsSection(model: ReportModel, text: ReportText): Block[] {
  const { t, date, name } = text;
  if (model.relationships.length === 0) return [para(runs(t('rpt.noRelationships'), { color: MUTED }))];
  return [
    table(
      [
        t('rpt.relationship'),
        t('rpt.provider'),
        t('rpt.scope'),
        t('rpt.decision'),
        t('rpt.decidedOn'),
        t('rpt.byWhen'),
        t('rpt.reason'),
      ],
      [2.6, 1.6, 1.4, 1, 1.3, 1.3, 2.6],
      model.relationships.map((r) => [
        `${r.code}\n${r.title}`,
        name(r.provider),
        t(`scope.${r.scope}`),
        runs(t(`decision.${r.decision}`), { bold: true }),
        r.decidedOn ? date(r.decidedOn) : '—',
        r.targetDate ? date(r.targetDate) : '—',
        r.reason ?? '—',
      ]),
    ),
  ];
}

function governanceSection(
  model: ReportModel,
  text: ReportText,
  measures: Map<string, ReportMeasure>,
): Block[] {
  const { t, date } = text;
  const rows = model.governance
    .map((c) => measures.get(c))
    .filter((m): m is ReportMeasure => m !== undefined)
    .map((m) => [
      `${m.code}\n${text.measureTitle(m)}`,
      t(`status.${m.declared}`),
      t(`status.${m.derived}`),
      date(m.committed),
    ]);
  if (rows.length === 0) return [para(runs(t('rpt.noGovernance'), { color: MUTED }))];
  return [
    table(
      [t('rpt.measure'), t('rpt.declared'), t('rpt.derived'), t('rpt.committed')],
      [5, 1.4, 1.6, 1.6],
      rows,
    ),
  ];
}

function damageSection(model: ReportModel, text: ReportText, marks: Marks): Block[] {
  const { t, date } = text;
  const locale = text.lang === 'ja' ? 'ja-JP' : 'en-GB';
  const number = new Intl.NumberFormat(locale);
  const monthFormat = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: text.lang === 'ja' ? 'long' : 'short',
  });
  const month = (ym: string) => {
    const [y, m] = ym.split('-').map(Number) as [number, number];
    return monthFormat.format(new Date(Date.UTC(y, m - 1, 1)));
  };
  const shown = model.damage.filter((d) => d.records.length > 0 || d.monthly.length > 0);
  if (shown.length === 0) return [para(runs(t('rpt.noDamage'), { color: MUTED }))];
  const out: Block[] = [];
  for (const d of shown) {
    out.push(marks.heading(`${d.incident}  ${d.title}`, 2));
    if (d.records.length > 0)
      out.push(
        table(
          [t('rpt.category'), t('rpt.count'), t('rpt.status'), t('rpt.countedOn')],
          [4, 1.5, 1.5, 1.6],
          d.records.map((r) => [
            r.category,
            number.format(r.count),
            t(`recordStatus.${r.status}`),
            date(r.asOf),
          ]),
        ),
      );
    if (d.monthly.length > 0)
      out.push(
        para('', { spacingAfter: 0 }),
        table(
          [t('rpt.month'), t('rpt.kind'), t('rpt.reports'), t('rpt.count')],
          [1.6, 3, 1.5, 1.5],
          d.monthly.map((r) => [
            month(r.month),
            t(`damage.${r.kind}`),
            number.format(r.reports),
            r.count === null ? '—' : number.format(r.count),
          ]),
        ),
      );
  }
  return out;
}

function findingsSection(model: ReportModel, text: ReportText): Block[] {
  const { t } = text;
  if (model.findings.length === 0) return [para(runs(t('rpt.noFindings'), { color: MUTED }))];
  return [
    table(
      [t('rpt.severity'), t('rpt.finding')],
      [1.2, 8],
      model.findings.map((f) => [
        runs(t(`severity.${f.severity}`), { bold: f.severity === 'error' }),
        `${f.code}\n${text.finding(f)}`,
      ]),
    ),
  ];
}

/** The same words, with the messages without parameters (labels, vocabularies) looked up once per document. */
function memoized(text: ReportText): ReportText {
  const labels = new Map<string, string>();
  const t = (key: string, params?: Record<string, unknown>) => {
    if (params) return text.t(key, params);
    const known = labels.get(key);
    if (known !== undefined) return known;
    const s = text.t(key);
    labels.set(key, s);
    return s;
  };
  return { ...text, t };
}

export async function renderDocx(model: ReportModel, lang: Language): Promise<Buffer> {
  const text = memoized(reportText(model, lang));
  const { t, date, name } = text;
  const measures = new Map(model.measures.map((m) => [m.code, m]));

  const marks = new Marks();
  const sections: Record<string, () => Block[]> = {
    items: () => itemsSection(model, text, measures, marks),
    changes: () => changesSection(model, text),
    plan: () => planSection(model, text),
    relationships: () => relationshipsSection(model, text),
    governance: () => governanceSection(model, text, measures),
    damage: () => damageSection(model, text, marks),
    findings: () => findingsSection(model, text),
  };
  const content: Block[] = [];
  text.sections.forEach((s, i) => {
    content.push(marks.heading(s.title, 1, { pageBreakBefore: i === 0 }));
    content.push(...(sections[s.id]?.() ?? []));
  });
  const body: Block[] = [
    ...cover(model, text),
    para(t('rpt.contents'), { style: 'TOCHeading', pageBreakBefore: true }),
    // Written with its entries (no page numbers yet); Word fills in the pages when it updates the fields on opening.
    new TableOfContents(t('rpt.contents'), {
      hyperlink: true,
      headingStyleRange: '1-2',
      cachedEntries: marks.toc,
    }),
    ...content,
  ];

  const title = t('rpt.title');
  const organization = name(model.organization);
  const doc = new Document({
    title,
    subject: model.directive.code,
    creator: organization,
    features: { updateFields: true },
    externalStyles: EXTERNAL_STYLES,
    numbering: {
      config: [
        {
          reference: BULLETS,
          levels: [0, 1, 2].map((level) => ({
            level,
            format: LevelFormat.BULLET,
            text: level === 0 ? '\u2022' : '\u2013',
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: INDENT * (level + 1), hanging: INDENT } } },
          })),
        },
      ],
    },
    styles: {
      default: {
        document: {
          run: {
            font: { ascii: FONT_LATIN, hAnsi: FONT_LATIN, eastAsia: FONT_JAPANESE, cs: FONT_LATIN },
            size: 21,
            language: { value: lang === 'ja' ? 'ja-JP' : 'en-US', eastAsia: 'ja-JP' },
          },
          paragraph: { spacing: { after: 80, line: 300 } },
        },
        title: {
          run: { size: 36, bold: true, color: NAVY },
          paragraph: { spacing: { before: 2400, after: 480 }, alignment: AlignmentType.CENTER },
        },
        heading1: {
          run: { size: 30, bold: true, color: NAVY },
          paragraph: {
            outlineLevel: 0,
            spacing: { before: 480, after: 200 },
            keepNext: true,
            keepLines: true,
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: NAVY, space: 2 } },
          },
        },
        heading2: {
          run: { size: 24, bold: true, color: NAVY },
          paragraph: {
            outlineLevel: 1,
            spacing: { before: 320, after: 120 },
            keepNext: true,
            keepLines: true,
          },
        },
        heading3: {
          run: { size: 21, bold: true, color: '2F5496' },
          paragraph: {
            outlineLevel: 2,
            spacing: { before: 240, after: 100 },
            keepNext: true,
            keepLines: true,
          },
        },
      },
      characterStyles: [{ id: 'IndexLink', name: 'Index Link', basedOn: 'DefaultParagraphFont' }],
      paragraphStyles: [
        {
          id: 'TOCHeading',
          name: 'TOC Heading',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { size: 30, bold: true, color: NAVY },
          paragraph: { spacing: { after: 240 } },
        },
        TABLE_TEXT_STYLE,
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: {
              top: PAGE.margin,
              right: PAGE.margin,
              bottom: PAGE.margin,
              left: PAGE.margin,
              header: 567,
              footer: 567,
            },
          },
        },
        headers: {
          default: new Header({
            children: [
              para(
                runs(
                  `${organization} — ${model.directive.code} — ${t('rpt.asOf', { date: date(model.asOf) })}`,
                  {
                    size: 16,
                    color: MUTED,
                  },
                ),
                { alignment: AlignmentType.RIGHT },
              ),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: pageNumberRuns(text) })],
          }),
        },
        children: body,
      },
    ],
  });

  const at = `${model.asOf}T00:00:00Z`;
  const packed = await Packer.toBuffer(doc, false, [
    { path: 'word/fontTable.xml', data: FONT_TABLE },
    {
      path: 'docProps/core.xml',
      data: coreProperties({
        title,
        subject: model.directive.code,
        creator: organization,
        language: lang === 'ja' ? 'ja-JP' : 'en-US',
        at,
      }),
    },
  ]);
  return stampZip(Buffer.from(packed), model.asOf);
}
