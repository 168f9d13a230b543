/**
 * The report as a PDF (A4), for submission: a cover, a table of contents with page numbers, then
 * the sections in the order of `text.sections`. All text is set in Noto Sans JP (embedded, subset)
 * in both languages; tables wrap their cells and carry on over pages with their header repeated;
 * the dated plan is the Gantt of gantt-svg.ts drawn as vectors. The same model gives the same bytes:
 * the document's dates are the report's day, never the time of rendering.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Font } from 'fontkit';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { Language } from '../i18n/index.ts';
import { exposureSvg } from './exposure-svg.ts';
import { ganttSvgParts } from './gantt-svg.ts';
import type { ReportMeasure, ReportModel } from './model.ts';
import { type ReportText, reportText } from './text.ts';

const MM = 72 / 25.4;
const MARGIN = 20 * MM;
/** Room kept under the text for the footer. */
const FOOTER = 16;
const REGULAR = 'NotoSansJP';
const BOLD = 'NotoSansJP-Bold';
const BODY = 9;
const SMALL = 8;
const LINE_GAP = 1.6;

const COLOUR = {
  text: '#1b1f24',
  muted: '#5b6673',
  rule: '#c9d1d9',
  header: '#eef1f4',
  accent: '#0b5cad',
  late: '#b42318',
  warn: '#9a6700',
  good: '#1a7f37',
};

/** The fonts, parsed once per process: parsing a CJK font is most of a small report's time. */
let fontCache: { regular: Font; bold: Font } | undefined;

/** The folder of Noto Sans JP in @embedpdf/fonts-jp, found through module resolution (not the cwd). */
export function fontDirectory(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@embedpdf/fonts-jp'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === '@embedpdf/fonts-jp')
      return join(dir, 'fonts');
    const up = dirname(dir);
    if (up === dir) throw new Error('the package @embedpdf/fonts-jp has no package.json above its main file');
    dir = up;
  }
}

function fonts() {
  if (!fontCache) {
    const dir = fontDirectory();
    const open = (file: string) => fontkit.create(readFileSync(join(dir, file)));
    fontCache = { regular: open('NotoSansJP-Regular.otf'), bold: open('NotoSansJP-Bold.otf') };
  }
  return fontCache;
}

interface Cell {
  text: string;
  bold?: boolean;
  color?: string;
  /** A second, smaller line (a title under a code, a reason under a sentence). */
  sub?: string;
  subColor?: string;
}
type CellInput = Cell | string;

interface Column {
  header: string;
  /** Sized to its widest cell (dates, statuses); the others share the rest by weight. */
  fit?: boolean;
  /** Texts a fitted column is at least as wide as, so that tables of one kind line up. */
  samples?: string[];
  weight?: number;
  align?: 'left' | 'right';
}

interface TableOptions {
  /** Draw the header row (repeated on every page the table runs onto). */
  header?: boolean;
  indent?: number;
  size?: number;
  rules?: boolean;
}

const CELL_PAD = 4;

const dateOr = (text: ReportText, d: string | null | undefined) => (d ? text.date(d) : '—');

/** A cursor over pdfkit pages: what fits, where, and when to turn the page. */
class Layout {
  readonly doc: PDFKit.PDFDocument;
  readonly text: ReportText;
  readonly left = MARGIN;
  readonly width: number;
  readonly top = MARGIN;
  readonly bottom: number;
  /** The indent of the table being drawn. */
  private tableIndent = 0;

  constructor(doc: PDFKit.PDFDocument, text: ReportText) {
    this.doc = doc;
    this.text = text;
    this.width = doc.page.width - 2 * MARGIN;
    this.bottom = doc.page.height - MARGIN - FOOTER;
  }

  get y() {
    return this.doc.y;
  }
  set y(v: number) {
    this.doc.y = v;
  }
  /** The 1-based number of the page being written. */
  get page() {
    return this.doc.bufferedPageRange().count;
  }

  newPage() {
    this.doc.addPage();
    this.y = this.top;
  }
  /** Turns the page unless `height` still fits (a block taller than a page starts on a fresh one). */
  ensure(height: number) {
    if (this.y + height > this.bottom && this.y > this.top + 0.5) this.newPage();
  }
  space(h: number) {
    this.y = Math.min(this.y + h, this.bottom);
  }

  font(bold: boolean, size: number) {
    this.doc.font(bold ? BOLD : REGULAR).fontSize(size);
  }

  private widthCache = new Map<string, number>();
  private lineCache = new Map<number, number>();
  /** The width of a one-line text (remembered: tables repeat their dates and words). */
  textWidth(s: string, bold: boolean, size: number): number {
    const key = `${bold ? 'b' : 'r'}${size}|${s}`;
    let w = this.widthCache.get(key);
    if (w === undefined) {
      this.font(bold, size);
      w = this.doc.widthOfString(s);
      if (s.length <= 80) this.widthCache.set(key, w);
    }
    return w;
  }
  /** The height of one line of text, gap included (both weights share their metrics). */
  lineHeight(size: number): number {
    let h = this.lineCache.get(size);
    if (h === undefined) {
      this.font(false, size);
      h = this.doc.currentLineHeight(true) + LINE_GAP;
      this.lineCache.set(size, h);
    }
    return h;
  }
  /** Whether a text sits on one line of `width` (then it is measured and drawn without the wrapper). */
  oneLine(s: string, width: number, bold: boolean, size: number): boolean {
    return !s.includes('\n') && this.textWidth(s, bold, size) <= width - 0.5;
  }
  height(s: string, width: number, bold = false, size = BODY) {
    if (this.oneLine(s, width, bold, size)) return this.lineHeight(size);
    this.font(bold, size);
    return this.doc.heightOfString(s, { width, lineGap: LINE_GAP });
  }

  /** A paragraph; it may run onto the next page when longer than what is left. */
  paragraph(
    s: string,
    opts: { size?: number; bold?: boolean; color?: string; indent?: number; after?: number } = {},
  ) {
    const size = opts.size ?? BODY;
    const indent = opts.indent ?? 0;
    const width = this.width - indent;
    const h = this.height(s, width, opts.bold, size);
    this.ensure(Math.min(h, 3 * size * 1.5));
    this.font(opts.bold ?? false, size);
    this.doc.fillColor(opts.color ?? COLOUR.text);
    this.doc.text(s, this.left + indent, this.y, { width, lineGap: LINE_GAP });
    this.space(opts.after ?? 2);
  }

  /** A line with a hanging label: the label at `indent`, the text beside it. */
  hanging(
    label: string,
    s: string,
    opts: { indent: number; size?: number; bold?: boolean; labelBold?: boolean; keep?: number },
  ) {
    const size = opts.size ?? BODY;
    this.font(opts.labelBold ?? true, size);
    const labelWidth = Math.max(14, this.doc.widthOfString(label) + 5);
    const width = this.width - opts.indent - labelWidth;
    const h = this.height(s, width, opts.bold, size);
    this.ensure(Math.min(h, 8 * size * 1.5) + (opts.keep ?? 0));
    const y = this.y;
    this.font(opts.labelBold ?? true, size);
    this.doc
      .fillColor(COLOUR.text)
      .text(label, this.left + opts.indent, y, { width: labelWidth, lineGap: LINE_GAP });
    this.font(opts.bold ?? false, size);
    this.doc.text(s, this.left + opts.indent + labelWidth, y, { width, lineGap: LINE_GAP });
    this.space(2);
  }

  /** One paragraph in several styles (a bold code, then plain text), wrapping as one. */
  runs(
    parts: Array<{ text: string; bold?: boolean; color?: string }>,
    opts: { indent: number; size?: number },
  ) {
    const size = opts.size ?? BODY;
    const width = this.width - opts.indent;
    const h = this.height(parts.map((p) => p.text).join(''), width, false, size);
    this.ensure(Math.min(h, 8 * size * 1.5));
    parts.forEach((p, i) => {
      this.font(p.bold ?? false, size);
      this.doc.fillColor(p.color ?? COLOUR.text);
      const options = { width, lineGap: LINE_GAP, continued: i < parts.length - 1 };
      if (i === 0) this.doc.text(p.text, this.left + opts.indent, this.y, options);
      else this.doc.text(p.text, options);
    });
    this.doc.x = this.left;
    this.space(2);
  }

  heading(s: string, level: 1 | 2 | 3, indent = 0) {
    const size = level === 1 ? 14 : level === 2 ? 10.5 : 9;
    const h = this.height(s, this.width - indent, true, size);
    // Keep a heading with what follows it.
    this.ensure(h + (level === 1 ? 80 : level === 2 ? 50 : 56));
    if (this.y > this.top + 0.5) this.space(level === 1 ? 6 : level === 2 ? 5 : 3);
    this.font(true, size);
    this.doc.fillColor(level === 1 ? COLOUR.accent : COLOUR.text);
    this.doc.text(s, this.left + indent, this.y, { width: this.width - indent, lineGap: LINE_GAP });
    if (level === 1) {
      this.doc
        .moveTo(this.left, this.y + 1)
        .lineTo(this.left + this.width, this.y + 1)
        .lineWidth(0.8)
        .strokeColor(COLOUR.accent)
        .stroke();
      this.space(6);
    } else this.space(2);
  }

  /** Column widths: fitted columns to their widest cell, the rest shared by weight. */
  private widths(columns: Column[], rows: Cell[][], total: number, size: number): number[] {
    const fitted = columns.map((c, i) => {
      if (!c.fit) return 0;
      let w = 0;
      for (const sample of c.samples ?? []) w = Math.max(w, this.textWidth(sample, false, size));
      for (const row of rows) {
        const cell = row[i];
        if (!cell) continue;
        w = Math.max(w, this.textWidth(cell.text, cell.bold ?? false, size));
        if (cell.sub) w = Math.max(w, this.textWidth(cell.sub, false, size - 1));
      }
      w = Math.max(w, this.textWidth(c.header, true, size));
      return Math.min(w + 2 * CELL_PAD + 0.5, total * 0.3);
    });
    let fixed = fitted.reduce((a, b) => a + b, 0);
    const flex = columns.filter((c) => !c.fit);
    const min = flex.length * 60;
    if (fixed > total - min && fixed > 0) {
      const k = Math.max(0.3, (total - min) / fixed);
      for (let i = 0; i < fitted.length; i++) fitted[i] = fitted[i]! * k;
      fixed = fitted.reduce((a, b) => a + b, 0);
    }
    const weights = flex.reduce((a, c) => a + (c.weight ?? 1), 0) || 1;
    return columns.map((c, i) => (c.fit ? fitted[i]! : ((total - fixed) * (c.weight ?? 1)) / weights));
  }

  private cellHeight(cell: Cell, width: number, size: number) {
    let h = this.height(cell.text, width, cell.bold, size);
    if (cell.sub) h += this.height(cell.sub, width, false, size - 1);
    return h;
  }

  private drawRow(cells: Cell[], widths: number[], columns: Column[], y: number, h: number, size: number) {
    let x = this.left + this.tableIndent;
    for (let i = 0; i < columns.length; i++) {
      const cell = cells[i] ?? { text: '' };
      const w = widths[i]! - 2 * CELL_PAD;
      const align = columns[i]!.align ?? 'left';
      const put = (s: string, bold: boolean, fontSize: number, top: number, room: number) => {
        if (!s) return top;
        this.font(bold, fontSize);
        if (this.oneLine(s, w, bold, fontSize)) {
          const shift = align === 'right' ? w - this.textWidth(s, bold, fontSize) : 0;
          this.doc.text(s, x + CELL_PAD + shift, top, { lineBreak: false, lineGap: LINE_GAP });
          return top + this.lineHeight(fontSize);
        }
        this.doc.text(s, x + CELL_PAD, top, {
          width: w,
          lineGap: LINE_GAP,
          align,
          height: room,
          ellipsis: true,
        });
        return this.doc.y;
      };
      this.doc.fillColor(cell.color ?? COLOUR.text);
      const below = put(cell.text, cell.bold ?? false, size, y + CELL_PAD, h + 1);
      if (cell.sub) {
        this.doc.fillColor(cell.subColor ?? COLOUR.muted);
        put(cell.sub, false, size - 1, below, Math.max(1, y + CELL_PAD + h - below + 1));
      }
      x += widths[i]!;
    }
  }

  /**
   * A table whose cells wrap; rows never split, and a table that runs past the page carries on on
   * the next one under its header again. A row taller than a whole page is cut with an ellipsis.
   */
  table(columns: Column[], input: CellInput[][], opts: TableOptions = {}) {
    const size = opts.size ?? SMALL;
    const header = opts.header ?? true;
    const rules = opts.rules ?? true;
    this.tableIndent = opts.indent ?? 0;
    const total = this.width - this.tableIndent;
    const rows = input.map((r) => r.map((c) => (typeof c === 'string' ? { text: c } : c)));
    const widths = this.widths(columns, rows, total, size);
    const heightOf = (cells: Cell[]) => {
      let h = 0;
      for (let i = 0; i < columns.length; i++) {
        const cell = cells[i];
        if (cell && (cell.text || cell.sub))
          h = Math.max(h, this.cellHeight(cell, widths[i]! - 2 * CELL_PAD, size));
      }
      return h || size * 1.2;
    };
    const headCells = columns.map((c) => ({ text: c.header, bold: true }));
    const headH = header ? heightOf(headCells) : 0;
    const room = this.bottom - this.top - (header ? headH + 2 * CELL_PAD : 0) - 2 * CELL_PAD;
    const left = this.left + this.tableIndent;
    const drawHeader = () => {
      if (!header) return;
      const h = headH + 2 * CELL_PAD;
      const y = this.y;
      this.doc.rect(left, y, total, h).fill(COLOUR.header);
      this.drawRow(headCells, widths, columns, y, headH, size);
      this.y = y + h;
      this.doc
        .moveTo(left, this.y)
        .lineTo(left + total, this.y)
        .lineWidth(0.6)
        .strokeColor(COLOUR.muted)
        .stroke();
    };
    const first = rows[0] ? Math.min(heightOf(rows[0]), room) : 0;
    this.ensure((header ? headH + 2 * CELL_PAD : 0) + first + 2 * CELL_PAD);
    drawHeader();
    for (const cells of rows) {
      const h = Math.min(heightOf(cells), room);
      if (this.y + h + 2 * CELL_PAD > this.bottom) {
        this.newPage();
        drawHeader();
      }
      const y = this.y;
      this.drawRow(cells, widths, columns, y, h, size);
      this.y = y + h + 2 * CELL_PAD;
      if (rules)
        this.doc
          .moveTo(left, this.y)
          .lineTo(left + total, this.y)
          .lineWidth(0.4)
          .strokeColor(COLOUR.rule)
          .stroke();
    }
    this.doc.x = this.left;
    this.tableIndent = 0;
    this.space(4);
  }
}

function statusColour(derived: ReportMeasure['derived']) {
  return derived === 'late'
    ? COLOUR.late
    : derived === 'at_risk'
      ? COLOUR.warn
      : derived === 'done' || derived === 'verified'
        ? COLOUR.good
        : COLOUR.text;
}

function cover(l: Layout, model: ReportModel) {
  const { doc, text } = l;
  const d = model.directive;
  l.y = l.top + 150;
  l.font(true, 20);
  doc
    .fillColor(COLOUR.text)
    .text(text.t('rpt.title'), l.left, l.y, { width: l.width, align: 'center', lineGap: 4 });
  l.space(18);
  l.font(true, 13);
  doc.text(text.t('rpt.submittedBy', { organization: text.name(model.organization) }), l.left, l.y, {
    width: l.width,
    align: 'center',
  });
  l.space(28);
  const line = (s: string, size = 10.5, color: string = COLOUR.text) => {
    l.font(false, size);
    doc
      .fillColor(color)
      .text(s, l.left + 30, l.y, { width: l.width - 60, align: 'center', lineGap: LINE_GAP });
    l.space(6);
  };
  line(
    text.t('rpt.subtitle', {
      directive: d.code,
      issuer: text.name(d.issuer),
      issuedOn: text.date(d.issuedOn),
    }),
  );
  line(text.directiveTitle, 9.5, COLOUR.muted);
  if (d.reference) line(text.t('rpt.reference', { reference: d.reference }));
  l.space(20);
  line(text.t('rpt.asOf', { date: text.date(model.asOf) }), 12);
  if (d.reportDue) line(text.t('rpt.due', { date: text.date(d.reportDue) }), 10.5);
  // The program's own cover text, as written (a salutation, a covering note), left-aligned.
  if (text.cover) {
    l.space(24);
    l.font(false, 10.5);
    doc.fillColor(COLOUR.text).text(text.cover, l.left + 30, l.y, { width: l.width - 60, lineGap: LINE_GAP });
  }
  l.y = l.bottom - 40;
  line(
    text.t('rpt.generated', {
      program: model.program.code,
      date: text.date(model.asOf),
    }),
    8,
    COLOUR.muted,
  );
}

/** A rough height of a measure's block, to keep a short one on one page. */
function measureEstimate(m: ReportMeasure): number {
  const replans = m.milestones.reduce((a, ms) => a + ms.replansSince.length, 0);
  return (
    20 +
    56 +
    (m.milestones.length > 0 ? 22 + 36 * m.milestones.length : 0) +
    (replans > 0 ? 20 + 40 * replans : 0) +
    (m.verifications.length > 0 ? 42 + 34 * m.verifications.length : 0) +
    (m.evidence.length > 0 ? 20 + 14 * m.evidence.length : 0)
  );
}

/** The room a measure's block asks for before it starts. */
function keepOf(l: Layout, m: ReportMeasure) {
  // A short block stays whole; a longer one starts once its heading, states and first rows fit.
  return Math.min(measureEstimate(m), 200, (l.bottom - l.top) * 0.5);
}

/** A measure in full; returns the page its heading is on. */
function measureBlock(l: Layout, m: ReportMeasure, indent: number): number {
  const { text } = l;
  l.ensure(keepOf(l, m));
  const title = text.measureTitle(m);
  const titled = `${m.code}  ${m.illustrative ? text.t('rpt.pdf.withNote', { title, note: text.t('rpt.illustrative') }) : title}`;
  l.heading(titled, 3, indent);
  const page = l.page;
  const kv = (label: string) => ({ text: label, color: COLOUR.muted });
  const dates = [text.date('2000-12-30'), text.t('rpt.undated'), text.t('rpt.notYet')];
  l.table(
    [
      { header: '', fit: true, samples: [text.t('rpt.owner'), text.t('rpt.category')] },
      { header: '' },
      { header: '', fit: true, samples: [text.t('rpt.derived'), text.t('rpt.committed')] },
      { header: '' },
    ],
    [
      [
        kv(text.t('rpt.declared')),
        text.t(`status.${m.declared}`),
        kv(text.t('rpt.derived')),
        { text: text.t(`status.${m.derived}`), color: statusColour(m.derived), bold: true },
      ],
      [kv(text.t('rpt.owner')), m.owner ?? '—', kv(text.t('rpt.committed')), dateOr(text, m.committed)],
      [
        kv(text.t('rpt.category')),
        text.t(`category.${m.category}`),
        kv(text.t('rpt.kind')),
        text.t(`kind.${m.kind}`),
      ],
    ],
    { header: false, indent, rules: false },
  );
  if (m.milestones.length > 0)
    l.table(
      [
        { header: text.t('rpt.milestone'), weight: 1 },
        { header: text.t('rpt.baseline'), fit: true, samples: dates },
        { header: text.t('rpt.planned'), fit: true, samples: dates },
        { header: text.t('rpt.actual'), fit: true, samples: dates },
        { header: text.t('rpt.slip'), fit: true, samples: [text.shift(-999)] },
      ],
      m.milestones.map((ms) => [
        { text: ms.code, bold: true, sub: ms.title },
        ms.baseline ? text.date(ms.baseline) : text.t('rpt.undated'),
        {
          text: ms.planned ? text.date(ms.planned) : text.t('rpt.undated'),
          ...(ms.late && !ms.actual
            ? { color: COLOUR.late, sub: text.t('rpt.late'), subColor: COLOUR.late }
            : {}),
        },
        { text: dateOr(text, ms.actual), ...(ms.actual ? { color: COLOUR.good } : {}) },
        {
          text: ms.slipDays ? text.shift(ms.slipDays) : '—',
          ...(ms.slipDays ? { color: ms.slipDays > 0 ? COLOUR.late : COLOUR.good } : {}),
        },
      ]),
      { indent },
    );
  const replans = m.milestones.flatMap((ms) => ms.replansSince.map((r) => ({ ms, r })));
  if (replans.length > 0) {
    l.heading(text.t('rpt.replans'), 3, indent);
    for (const { ms, r } of replans)
      l.runs(
        [
          { text: `${ms.code}  `, bold: true },
          {
            text: text.t('rpt.replan', {
              on: text.date(r.on),
              from: text.date(r.from),
              to: text.date(r.to),
              days: text.shift(r.days),
              reason: r.reason,
            }),
          },
        ],
        { indent, size: SMALL },
      );
  }
  if (m.verifications.length > 0) {
    l.heading(text.t('rpt.verifications'), 3, indent);
    l.table(
      [
        { header: text.t('rpt.method'), weight: 1 },
        { header: text.t('rpt.performed'), fit: true, samples: dates },
        { header: text.t('rpt.result'), weight: 0.45 },
      ],
      m.verifications.map((v) => [
        { text: v.code, bold: true, sub: v.method },
        v.performedOn ? text.date(v.performedOn) : text.t('rpt.notYet'),
        {
          text: v.result ? text.t(`result.${v.result}`) : text.t('rpt.notYet'),
          ...(v.result === 'effective' ? { color: COLOUR.good } : v.result ? { color: COLOUR.late } : {}),
          ...(v.followUpMeasure ? { sub: text.t('rpt.followUp', { measure: v.followUpMeasure }) } : {}),
        },
      ]),
      { indent },
    );
  }
  if (m.evidence.length > 0) {
    l.heading(text.t('rpt.evidence'), 3, indent);
    for (const e of m.evidence)
      l.runs(
        [
          { text: `${e.code}  `, bold: true },
          { text: text.t('rpt.pdf.evidenceFile', { filename: e.filename, hash: e.sha256.slice(0, 12) }) },
        ],
        { indent, size: SMALL },
      );
  }
  l.space(4);
  return page;
}

function itemsSection(l: Layout, model: ReportModel) {
  const { text } = l;
  const byCode = new Map(model.measures.map((m) => [m.code, m]));
  const shownOn = new Map<string, number>();
  model.items.forEach((i, index) => {
    const indent = Math.min(i.depth, 4) * 14;
    const parent = (model.items[index + 1]?.depth ?? -1) > i.depth;
    // Keep the item with the start of its first measure (or its first bullet).
    const first = i.measures[0] === undefined ? undefined : byCode.get(i.measures[0]);
    const keep = first && !shownOn.has(first.code) ? keepOf(l, first) : parent ? 120 : first ? 30 : 0;
    l.hanging(i.label ?? '', text.itemText(i), { indent, bold: i.depth === 0, keep });
    const inner = indent + 14;
    if (i.measures.length === 0) {
      if (!parent) l.paragraph(text.t('rpt.noMeasures'), { indent: inner, color: COLOUR.muted, size: SMALL });
      l.space(4);
      return;
    }
    for (const code of i.measures) {
      const m = byCode.get(code);
      if (!m) continue;
      const page = shownOn.get(code);
      if (page !== undefined)
        l.paragraph(text.t('rpt.pdf.seeAbove', { measure: m.code, title: text.measureTitle(m), page }), {
          indent: inner,
          size: SMALL,
          color: COLOUR.muted,
          after: 4,
        });
      else shownOn.set(code, measureBlock(l, m, inner));
    }
    l.space(4);
  });
}

function changesSection(l: Layout, model: ReportModel) {
  const { text } = l;
  const p = model.previous;
  l.paragraph(
    p === null
      ? text.t('rpt.noPrevious')
      : text.t(p.kind === 'due' ? 'rpt.previousDue' : 'rpt.previousReport', {
          directive: p.directive,
          date: text.date(p.asOf),
        }),
    { after: 6 },
  );
  if (p !== null && model.changes.length === 0) {
    l.paragraph(text.t('rpt.noChanges'), { color: COLOUR.muted });
    return;
  }
  const colour = (kind: string) =>
    kind === 'slipped' || kind === 'undated'
      ? COLOUR.late
      : kind === 'brought_forward' || kind.endsWith('_done') || kind === 'measure_completed'
        ? COLOUR.good
        : COLOUR.accent;
  l.table(
    [
      { header: '', fit: true },
      { header: '', weight: 1 },
    ],
    model.changes.map((c) => {
      const reasons =
        'reasons' in c && c.reasons.length > 0
          ? c.reasons
              .map((r) => text.t('rpt.pdf.labelled', { label: text.t('rpt.reason'), value: r }))
              .join('\n')
          : c.kind === 'decision' && c.reason
            ? text.t('rpt.pdf.labelled', { label: text.t('rpt.reason'), value: c.reason })
            : undefined;
      return [
        { text: text.t(`rpt.changeKind.${c.kind}`), bold: true, color: colour(c.kind) },
        { text: text.change(c), ...(reasons ? { sub: reasons } : {}) },
      ];
    }),
    { header: false, size: BODY - 0.5 },
  );
}

function planSection(l: Layout, model: ReportModel) {
  const { doc, text } = l;
  const unitWidth = 720;
  const scale = l.width / unitWidth;
  const measure = (s: string, size: number, bold: boolean) => l.textWidth(s, bold, size);
  const firstRoom = l.bottom - l.y;
  const parts = ganttSvgParts(model, text, {
    width: unitWidth,
    labelShare: 0.42,
    displayWidth: l.width,
    measure,
    maxHeight: (part) => (part === 0 ? firstRoom : l.bottom - l.top) / scale,
  });
  parts.forEach((part, i) => {
    if (i > 0) l.newPage();
    SVGtoPDF(doc, part.svg, l.left, l.y, {
      width: part.width,
      height: part.height,
      assumePt: true,
      preserveAspectRatio: 'xMinYMin meet',
      fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
    });
    l.y += part.height;
  });
  l.space(6);
  const exposure = exposureSvg(model, text);
  if (exposure) {
    const height = (l.width * 260) / 720;
    if (l.y + height + 40 > l.bottom) l.newPage();
    l.heading(text.t('rpt.sectionExposure'), 3);
    SVGtoPDF(doc, exposure, l.left, l.y, {
      width: l.width,
      height,
      assumePt: true,
      preserveAspectRatio: 'xMinYMin meet',
      fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
    });
    l.y += height;
    l.paragraph(text.t('rpt.exposureCaption'), { color: COLOUR.muted });
  }
}

function relationshipsSection(l: Layout, model: ReportModel) {
  const { text } = l;
  if (model.relationships.length === 0) {
    l.paragraph(text.t('rpt.noRelationships'), { color: COLOUR.muted });
    return;
  }
  l.table(
    [
      { header: text.t('rpt.relationship'), weight: 1.45 },
      { header: text.t('rpt.provider'), weight: 0.85 },
      { header: text.t('rpt.scope'), weight: 0.8 },
      { header: text.t('rpt.decision'), fit: true },
      { header: text.t('rpt.decidedOn'), fit: true },
      { header: text.t('rpt.byWhen'), fit: true },
      { header: text.t('rpt.reason'), weight: 1.25 },
    ],
    model.relationships.map((r) => [
      { text: r.code, bold: true, sub: r.title },
      text.name(r.provider),
      text.t(`scope.${r.scope}`),
      {
        text: text.t(`decision.${r.decision}`),
        bold: true,
        color: r.decision === 'undecided' ? COLOUR.warn : COLOUR.text,
      },
      dateOr(text, r.decidedOn),
      dateOr(text, r.targetDate),
      r.reason ?? '—',
    ]),
    { size: 7.5 },
  );
}

function governanceSection(l: Layout, model: ReportModel) {
  const { text } = l;
  const byCode = new Map(model.measures.map((m) => [m.code, m]));
  const rows = model.governance.flatMap((code) => {
    const m = byCode.get(code);
    return m
      ? [
          [
            { text: m.code, bold: true, sub: text.measureTitle(m) },
            text.t(`status.${m.declared}`),
            { text: text.t(`status.${m.derived}`), color: statusColour(m.derived), bold: true },
            dateOr(text, m.committed),
          ],
        ]
      : [];
  });
  if (rows.length === 0) {
    l.paragraph(text.t('rpt.noGovernance'), { color: COLOUR.muted });
    return;
  }
  l.table(
    [
      { header: text.t('rpt.measure'), weight: 1 },
      { header: text.t('rpt.declared'), fit: true },
      { header: text.t('rpt.derived'), fit: true },
      { header: text.t('rpt.committed'), fit: true },
    ],
    rows,
  );
}

function damageSection(l: Layout, model: ReportModel) {
  const { text } = l;
  const number = new Intl.NumberFormat(text.lang === 'ja' ? 'ja-JP' : 'en-GB');
  const month = new Intl.DateTimeFormat(text.lang === 'ja' ? 'ja-JP' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  const shown = model.damage.filter((d) => d.records.length > 0 || d.monthly.length > 0);
  if (shown.length === 0) {
    l.paragraph(text.t('rpt.noDamage'), { color: COLOUR.muted });
    return;
  }
  for (const d of shown) {
    l.heading(`${d.incident}  ${d.title}`, 2);
    if (d.records.length > 0)
      l.table(
        [
          { header: text.t('rpt.category'), weight: 1 },
          { header: text.t('rpt.count'), fit: true, align: 'right' },
          { header: text.t('rpt.status'), fit: true },
          { header: text.t('rpt.countedOn'), fit: true },
        ],
        d.records.map((r) => [
          r.category,
          number.format(r.count),
          text.t(`recordStatus.${r.status}`),
          dateOr(text, r.asOf),
        ]),
      );
    if (d.monthly.length > 0)
      l.table(
        [
          { header: text.t('rpt.month'), fit: true },
          { header: text.t('rpt.kind'), weight: 1 },
          { header: text.t('rpt.reports'), fit: true, align: 'right' },
          { header: text.t('rpt.count'), fit: true, align: 'right' },
        ],
        d.monthly.map((r) => [
          month.format(new Date(`${r.month}-01T00:00:00Z`)),
          text.t(`damage.${r.kind}`),
          number.format(r.reports),
          r.count === null ? '—' : number.format(r.count),
        ]),
      );
  }
}

function findingsSection(l: Layout, model: ReportModel) {
  const { text } = l;
  if (model.findings.length === 0) {
    l.paragraph(text.t('rpt.noFindings'), { color: COLOUR.muted });
    return;
  }
  l.table(
    [
      { header: text.t('rpt.severity'), fit: true },
      { header: text.t('rpt.finding'), weight: 1 },
    ],
    model.findings.map((f) => [
      {
        text: text.t(`severity.${f.severity}`),
        bold: true,
        color: f.severity === 'error' ? COLOUR.late : COLOUR.warn,
      },
      { text: text.finding(f), sub: f.code },
    ]),
  );
}

const SECTIONS: Record<string, (l: Layout, model: ReportModel) => void> = {
  items: itemsSection,
  changes: changesSection,
  plan: planSection,
  relationships: relationshipsSection,
  governance: governanceSection,
  damage: damageSection,
  findings: findingsSection,
};

function contents(l: Layout, sections: Array<{ id: string; title: string; page: number }>) {
  const { doc, text } = l;
  l.y = l.top;
  l.heading(text.t('rpt.contents'), 1);
  l.space(6);
  for (const s of sections) {
    const y = l.y;
    l.font(false, 10.5);
    const pageText = String(s.page);
    const numberWidth = doc.widthOfString(pageText);
    const titleWidth = l.width - 40;
    doc.fillColor(COLOUR.text).text(s.title, l.left, y, { width: titleWidth, lineGap: LINE_GAP, goTo: s.id });
    const after = doc.y;
    const titleEnd = l.left + Math.min(titleWidth, doc.widthOfString(s.title)) + 4;
    const baseline = after - 5;
    doc
      .moveTo(titleEnd, baseline)
      .lineTo(l.left + l.width - numberWidth - 4, baseline)
      .dash(0.6, { space: 2.4 })
      .lineWidth(0.6)
      .strokeColor(COLOUR.muted)
      .stroke()
      .undash();
    doc.text(pageText, l.left + l.width - numberWidth, after - l.height(pageText, 40, false, 10.5), {
      width: numberWidth + 1,
      lineBreak: false,
      goTo: s.id,
    });
    l.y = after + 7;
  }
}

function footers(l: Layout) {
  const { doc, text } = l;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    l.font(false, 7.5);
    const y = doc.page.height - MARGIN + 6;
    doc
      .moveTo(l.left, y - 4)
      .lineTo(l.left + l.width, y - 4)
      .lineWidth(0.4)
      .strokeColor(COLOUR.rule)
      .stroke();
    doc.fillColor(COLOUR.muted).text(text.t('rpt.page', { page: i + 1, pages: range.count }), l.left, y, {
      width: l.width,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins = margins;
  }
}

/** The words of the report, with the messages and dates it repeats on every measure remembered. */
function remembering(text: ReportText): ReportText {
  const labels = new Map<string, string>();
  const dates = new Map<string, string>();
  return {
    ...text,
    t: (key, params) => {
      if (params) return text.t(key, params);
      let v = labels.get(key);
      if (v === undefined) {
        v = text.t(key);
        labels.set(key, v);
      }
      return v;
    },
    date: (d) => {
      const key = d ?? '';
      let v = dates.get(key);
      if (v === undefined) {
        v = text.date(d);
        dates.set(key, v);
      }
      return v;
    },
  };
}

/** The report as an A4 PDF in Japanese or English. */
export function renderPdf(model: ReportModel, lang: Language): Promise<Buffer> {
  const text = remembering(reportText(model, lang));
  const { regular, bold } = fonts();
  const day = new Date(`${model.asOf}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    // The bottom margin keeps the footer's room, so that text pdfkit flows on stops above it too.
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: '1.7',
    lang: lang === 'ja' ? 'ja-JP' : 'en',
    displayTitle: true,
    info: {
      Title: text.t('rpt.title'),
      Author: text.name(model.organization),
      Subject: `${model.directive.code} ${text.directiveTitle}`,
      Keywords: `${model.program.code} ${model.directive.code} ${model.asOf}`,
      Creator: 'Oversight',
      CreationDate: day,
      ModDate: day,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes a parsed fontkit font as it takes a file (PDFFontFactory: anything with layout()).
  doc.registerFont(REGULAR, regular as unknown as Buffer);
  doc.registerFont(BOLD, bold as unknown as Buffer);
  doc.addPage();
  const l = new Layout(doc, text);
  cover(l, model);
  l.newPage(); // the table of contents, filled in at the end
  const tocPage = l.page - 1;
  const placed: Array<{ id: string; title: string; page: number }> = [];
  for (const s of text.sections) {
    const draw = SECTIONS[s.id];
    if (!draw) continue;
    // The items start the body; the plan is a drawing that wants a page of its own.
    if (placed.length === 0 || s.id === 'plan') l.newPage();
    l.heading(s.title, 1);
    placed.push({ ...s, page: l.page });
    doc.addNamedDestination(s.id);
    doc.outline.addItem(s.title);
    draw(l, model);
  }
  doc.switchToPage(tocPage);
  contents(l, placed);
  footers(l);
  doc.end();
  return done;
}
