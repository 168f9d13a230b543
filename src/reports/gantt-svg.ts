/**
 * The dated plan of a report as a standalone SVG: one row per milestone, grouped under its measure,
 * on a time axis of months and years. Each row shows the baseline (hollow diamond), the current plan
 * (filled diamond, red when late), the actual date (green disc with a check) and, when the plan moved
 * from the baseline, a line between them (red when later, green when earlier); vertical lines mark
 * the day the report speaks for and the day it is due. Pure and independent of any output format:
 * the PDF draws it as vectors, the HTML report inlines it. Inline attributes only (no class, no
 * style sheet, no script), so it looks the same wherever it goes.
 */
import { addMonths, type CalendarDate, daysBetween } from '../domain/dates.ts';
import type { ReportModel } from './model.ts';
import type { ReportText } from './text.ts';
import { escapeXml } from './xml.ts';

/** Width of a text in SVG units, for cutting labels; the PDF passes its font's exact metrics. */
export type MeasureText = (text: string, fontSize: number, bold: boolean) => number;

export interface GanttOptions {
  /** Width of the drawing in SVG units (1000 by default); the height follows from the rows. */
  width?: number;
  /** The `width` attribute (the size it is shown at; the drawing scales to it). `width` by default. */
  displayWidth?: number;
  /** Share of the width given to the labels (0.36 by default). */
  labelShare?: number;
  measure?: MeasureText;
  /** Draw the title above the chart (the `<title>` element is always there). */
  heading?: boolean;
}

export interface GanttPageOptions extends GanttOptions {
  /** The most height (SVG units) the n-th part may take; parts after the first repeat the axis. */
  maxHeight: (part: number) => number;
}

export const GANTT_FONT = "'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', Meiryo, sans-serif";

const ROW = 20;
const AXIS = 38;
const HEADING = 22;
const LEGEND_LINE = 18;
const PAD = 10;
const FONT = 10.5;
const SMALL = 9.5;

const COLOUR = {
  text: '#1b1f24',
  muted: '#5b6673',
  grid: '#e5e8ec',
  year: '#aeb6bf',
  band: '#f3f5f7',
  baseline: '#6e7781',
  planned: '#0b5cad',
  late: '#b42318',
  earlier: '#1a7f37',
  done: '#1a7f37',
  asOf: '#d97706',
  due: '#7c3aed',
};

interface Row {
  kind: 'measure' | 'milestone';
  label: string;
  baseline: CalendarDate | null;
  planned: CalendarDate | null;
  actual: CalendarDate | null;
  late: boolean;
}

/** A rough width for the HTML, where the browser's font is unknown: full-width characters 1 em, others less. */
export const estimateText: MeasureText = (text, fontSize, bold) => {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3))) em += 1;
    else if (c >= 0xf900 && c <= 0xfaff) em += 1;
    else if (c >= 0xfe30 && c <= 0xfe4f) em += 1;
    else if (c >= 0xff00 && c <= 0xff60) em += 1;
    else if (c >= 0xffe0 && c <= 0xffe6) em += 1;
    else if (c >= 0x20000) em += 1;
    else if (ch === ' ') em += 0.25;
    else if (/[A-Z0-9@#%&]/.test(ch)) em += 0.66;
    else if (/[iljtfr.,:;'!|()[\]-]/.test(ch)) em += 0.32;
    else em += 0.56;
  }
  return em * fontSize * (bold ? 1.05 : 1);
};

/**
 * The text, cut with an ellipsis to fit `max`: summed widths of its characters (remembered per
 * font) find the cut, and one measure of the result confirms it (kerning may take a character more).
 */
export function fitText(text: string, max: number, fontSize: number, bold: boolean, measure: MeasureText) {
  if (measure(text, fontSize, bold) <= max) return text;
  const chars = [...text];
  const widthOf = charWidths(measure, fontSize, bold);
  const room = max - widthOf('…');
  let used = 0;
  let cut = 0;
  while (cut < chars.length && used + widthOf(chars[cut]!) <= room) used += widthOf(chars[cut++]!);
  let out = `${chars.slice(0, cut).join('').trimEnd()}…`;
  while (cut > 0 && measure(out, fontSize, bold) > max) out = `${chars.slice(0, --cut).join('').trimEnd()}…`;
  return out;
}

const charCache = new WeakMap<MeasureText, Map<string, Map<string, number>>>();
function charWidths(measure: MeasureText, fontSize: number, bold: boolean) {
  let byFont = charCache.get(measure);
  if (!byFont) {
    byFont = new Map();
    charCache.set(measure, byFont);
  }
  const key = `${bold ? 'b' : 'r'}${fontSize}`;
  let widths = byFont.get(key);
  if (!widths) {
    widths = new Map();
    byFont.set(key, widths);
  }
  const cache = widths;
  return (ch: string) => {
    let w = cache.get(ch);
    if (w === undefined) {
      w = measure(ch, fontSize, bold);
      cache.set(ch, w);
    }
    return w;
  };
}

const n = (v: number) => String(Math.round(v * 100) / 100);

function rowsOf(model: ReportModel, text: ReportText): Row[] {
  const rows: Row[] = [];
  for (const m of model.measures) {
    rows.push({
      kind: 'measure',
      label: `${m.code} ${text.measureTitle(m)}`,
      baseline: null,
      planned: null,
      actual: null,
      late: false,
    });
    for (const ms of m.milestones)
      rows.push({
        kind: 'milestone',
        label: `${ms.code} ${ms.title}`,
        baseline: ms.baseline,
        planned: ms.planned,
        actual: ms.actual,
        late: ms.late,
      });
  }
  return rows;
}

interface Frame {
  width: number;
  label: number;
  start: CalendarDate;
  span: number;
  ticks: Array<{ date: CalendarDate; month: number; year: number }>;
  monthStep: number;
  x: (d: CalendarDate) => number;
  legend: string;
  legendHeight: number;
  heading: string;
  headingHeight: number;
  title: string;
  measure: MeasureText;
}

function frameOf(model: ReportModel, text: ReportText, rows: Row[], opts: GanttOptions): Frame {
  const width = opts.width ?? 1000;
  const label = Math.round(width * (opts.labelShare ?? 0.36));
  const measure = opts.measure ?? estimateText;
  let min: CalendarDate = model.asOf;
  let max: CalendarDate = model.asOf;
  const see = (d: CalendarDate | null) => {
    if (d === null) return;
    if (d < min) min = d;
    if (d > max) max = d;
  };
  see(model.directive.reportDue);
  for (const r of rows) {
    see(r.baseline);
    see(r.planned);
    see(r.actual);
  }
  const start = `${min.slice(0, 7)}-01`;
  const end = `${addMonths(`${max.slice(0, 7)}-01`, 1)}`;
  const span = Math.max(1, daysBetween(start, end));
  const plot = width - label - PAD;
  const x = (d: CalendarDate) => label + (plot * daysBetween(start, d)) / span;
  const ticks: Frame['ticks'] = [];
  for (let d = start; d <= end; d = addMonths(d, 1))
    ticks.push({ date: d, month: Number(d.slice(5, 7)), year: Number(d.slice(0, 4)) });
  const perMonth = plot / Math.max(1, ticks.length - 1);
  const monthStep = [1, 2, 3, 6, 12].find((s) => perMonth * s >= 16) ?? 12;
  const title = text.t('rpt.ganttTitle');
  const heading = opts.heading
    ? `<text x="0" y="15" font-size="13" font-weight="bold" fill="${COLOUR.text}">${escapeXml(title)}</text>`
    : '';
  const legendOut = legendOf(model, text, width, measure);
  return {
    width,
    label,
    start,
    span,
    ticks,
    monthStep,
    x,
    legend: legendOut.svg,
    legendHeight: legendOut.height,
    heading,
    headingHeight: opts.heading ? HEADING : 0,
    title,
    measure,
  };
}

const diamond = (cx: number, cy: number, r: number) =>
  `${n(cx)},${n(cy - r)} ${n(cx + r)},${n(cy)} ${n(cx)},${n(cy + r)} ${n(cx - r)},${n(cy)}`;

function baselineMark(cx: number, cy: number) {
  return `<polygon points="${diamond(cx, cy, 5.5)}" fill="#ffffff" stroke="${COLOUR.baseline}" stroke-width="1.5"/>`;
}
function plannedMark(cx: number, cy: number, late: boolean) {
  return `<polygon points="${diamond(cx, cy, 6)}" fill="${late ? COLOUR.late : COLOUR.planned}"/>`;
}
function doneMark(cx: number, cy: number) {
  return (
    `<circle cx="${n(cx)}" cy="${n(cy)}" r="5.5" fill="${COLOUR.done}"/>` +
    `<path d="M ${n(cx - 2.8)} ${n(cy + 0.2)} L ${n(cx - 0.8)} ${n(cy + 2.3)} L ${n(cx + 3)} ${n(cy - 2.2)}" fill="none" stroke="#ffffff" stroke-width="1.6"/>`
  );
}

/** The key under the chart, flowing onto as many lines as the width needs. */
function legendOf(model: ReportModel, text: ReportText, width: number, measure: MeasureText) {
  const entries: Array<{ symbol: (x: number, y: number) => string; label: string }> = [
    { symbol: baselineMark, label: text.t('rpt.baseline') },
    { symbol: (x, y) => plannedMark(x, y, false), label: text.t('rpt.planned') },
    { symbol: (x, y) => plannedMark(x, y, true), label: text.t('rpt.late') },
    { symbol: doneMark, label: text.t('rpt.actual') },
    {
      symbol: (x, y) =>
        `<line x1="${n(x - 8)}" x2="${n(x + 8)}" y1="${n(y)}" y2="${n(y)}" stroke="${COLOUR.late}" stroke-width="2"/>`,
      label: text.t('rpt.changeKind.slipped'),
    },
    {
      symbol: (x, y) =>
        `<line x1="${n(x - 8)}" x2="${n(x + 8)}" y1="${n(y)}" y2="${n(y)}" stroke="${COLOUR.earlier}" stroke-width="2"/>`,
      label: text.t('rpt.changeKind.brought_forward'),
    },
    {
      symbol: (x, y) =>
        `<line x1="${n(x)}" x2="${n(x)}" y1="${n(y - 7)}" y2="${n(y + 7)}" stroke="${COLOUR.asOf}" stroke-width="2"/>`,
      label: text.t('rpt.asOf', { date: text.date(model.asOf) }),
    },
  ];
  if (model.directive.reportDue)
    entries.push({
      symbol: (x, y) =>
        `<line x1="${n(x)}" x2="${n(x)}" y1="${n(y - 7)}" y2="${n(y + 7)}" stroke="${COLOUR.due}" stroke-width="1.5" stroke-dasharray="3 2"/>`,
      label: text.t('rpt.due', { date: text.date(model.directive.reportDue) }),
    });
  // Entries a language words alike (ja: late and slipped are both 遅延) share one label.
  const merged: Array<{ symbols: Array<(x: number, y: number) => string>; label: string }> = [];
  for (const e of entries) {
    const same = merged.find((m) => m.label === e.label);
    if (same) same.symbols.push(e.symbol);
    else merged.push({ symbols: [e.symbol], label: e.label });
  }
  const parts: string[] = [];
  let x = 0;
  let line = 0;
  for (const e of merged) {
    const lead = 20 * e.symbols.length + 2;
    const w = lead + measure(e.label, SMALL, false) + 16;
    if (x > 0 && x + w > width) {
      x = 0;
      line += 1;
    }
    const y = LEGEND_LINE * line + LEGEND_LINE / 2;
    e.symbols.forEach((symbol, i) => {
      parts.push(symbol(x + 9 + 20 * i, y));
    });
    parts.push(
      `<text x="${n(x + lead)}" y="${n(y + 3.5)}" font-size="${SMALL}" fill="${COLOUR.text}">${escapeXml(e.label)}</text>`,
    );
    x += w;
  }
  return { svg: parts.join(''), height: LEGEND_LINE * (line + 1) };
}

function axisOf(f: Frame, top: number, bottom: number): string {
  const out: string[] = [];
  const yearY = top + 13;
  const monthY = top + 30;
  // Month grid (one path for the months, one for the years) and labels.
  const months: string[] = [];
  const years: string[] = [];
  for (let i = 0; i < f.ticks.length; i++) {
    const t = f.ticks[i]!;
    const x = f.x(t.date);
    if (t.month === 1) years.push(`M${n(x)} ${n(top + 2)}V${n(bottom)}`);
    else months.push(`M${n(x)} ${n(top + 19)}V${n(bottom)}`);
    const next = f.ticks[i + 1];
    if (next && (t.month - 1) % f.monthStep === 0) {
      const mid = (x + f.x(next.date)) / 2;
      out.push(
        `<text x="${n(f.monthStep === 1 ? mid : x + 2)}" y="${n(monthY)}" font-size="${SMALL}" fill="${COLOUR.muted}" text-anchor="${f.monthStep === 1 ? 'middle' : 'start'}">${t.month}</text>`,
      );
    }
  }
  if (months.length > 0)
    out.unshift(`<path d="${months.join('')}" fill="none" stroke="${COLOUR.grid}" stroke-width="0.75"/>`);
  if (years.length > 0)
    out.unshift(`<path d="${years.join('')}" fill="none" stroke="${COLOUR.year}" stroke-width="1"/>`);
  // Years: the label at the start of each year's stretch, when it has room.
  for (let i = 0; i < f.ticks.length - 1; i++) {
    const t = f.ticks[i]!;
    if (i > 0 && t.month !== 1) continue;
    let j = i + 1;
    while (j < f.ticks.length - 1 && f.ticks[j]!.month !== 1) j++;
    const x0 = f.x(t.date);
    const room = f.x(f.ticks[j]!.date) - x0;
    const label = String(t.year);
    if (room >= f.measure(label, FONT, true) + 4)
      out.push(
        `<text x="${n(x0 + 3)}" y="${n(yearY)}" font-size="${FONT}" font-weight="bold" fill="${COLOUR.text}">${label}</text>`,
      );
  }
  out.push(
    `<line x1="${n(f.label)}" x2="${n(f.width - PAD)}" y1="${n(top + AXIS - 2)}" y2="${n(top + AXIS - 2)}" stroke="${COLOUR.year}" stroke-width="0.75"/>`,
  );
  return out.join('');
}

function rowSvg(f: Frame, r: Row, y: number, undated: string): string {
  const mid = y + ROW / 2;
  const out: string[] = [];
  if (r.kind === 'measure') {
    out.push(
      `<rect x="0" y="${n(y + 1)}" width="${n(f.width - PAD)}" height="${ROW - 2}" fill="${COLOUR.band}" fill-opacity="0.85"/>`,
      `<text x="4" y="${n(mid + 3.8)}" font-size="${FONT}" font-weight="bold" fill="${COLOUR.text}">${escapeXml(
        fitText(r.label, f.width - PAD - 8, FONT, true, f.measure),
      )}</text>`,
    );
    return out.join('');
  }
  out.push(
    `<text x="16" y="${n(mid + 3.5)}" font-size="${SMALL}" fill="${COLOUR.text}">${escapeXml(
      fitText(r.label, f.label - 22, SMALL, false, f.measure),
    )}</text>`,
  );
  if (!r.baseline && !r.planned && !r.actual) {
    out.push(
      `<text x="${n(f.label + 6)}" y="${n(mid + 3.5)}" font-size="${SMALL}" fill="${COLOUR.muted}">${escapeXml(undated)}</text>`,
    );
    return out.join('');
  }
  if (r.baseline && r.planned && r.baseline !== r.planned) {
    const later = r.planned > r.baseline;
    out.push(
      `<line x1="${n(f.x(r.baseline))}" x2="${n(f.x(r.planned))}" y1="${n(mid)}" y2="${n(mid)}" stroke="${later ? COLOUR.late : COLOUR.earlier}" stroke-width="2"/>`,
    );
  }
  if (r.baseline) out.push(baselineMark(f.x(r.baseline), mid));
  if (r.planned) out.push(plannedMark(f.x(r.planned), mid, r.late && !r.actual));
  if (r.actual) out.push(doneMark(f.x(r.actual), mid));
  return out.join('');
}

export interface GanttPart {
  svg: string;
  /** The size it is shown at (its `width` and `height` attributes). */
  width: number;
  height: number;
}

function partSvg(model: ReportModel, text: ReportText, f: Frame, rows: Row[], shown: number): GanttPart {
  const top = f.headingHeight;
  const rowsTop = top + AXIS;
  const rowsEnd = rowsTop + rows.length * ROW;
  const height = rowsEnd + 12 + f.legendHeight;
  const undated = text.t('rpt.undated');
  const body: string[] = [];
  for (let i = 0; i < rows.length; i++) body.push(rowSvg(f, rows[i]!, rowsTop + i * ROW, undated));
  const vertical = (d: CalendarDate, colour: string, extra: string) =>
    `<line x1="${n(f.x(d))}" x2="${n(f.x(d))}" y1="${n(top + 2)}" y2="${n(rowsEnd)}" stroke="${colour}" ${extra}/>`;
  const lines = [vertical(model.asOf, COLOUR.asOf, 'stroke-width="2"')];
  if (model.directive.reportDue)
    lines.push(vertical(model.directive.reportDue, COLOUR.due, 'stroke-width="1.5" stroke-dasharray="3 2"'));
  const k = shown / f.width;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(shown)}" height="${n(height * k)}" viewBox="0 0 ${n(f.width)} ${n(height)}" role="img" aria-label="${escapeXml(f.title)}" font-family="${escapeXml(GANTT_FONT)}">`,
    `<title>${escapeXml(f.title)}</title>`,
    f.heading,
    axisOf(f, top, rowsEnd),
    ...lines,
    ...body,
    `<g transform="translate(0 ${n(rowsEnd + 12)})">${f.legend}</g>`,
    '</svg>',
  ].join('');
  return { svg, width: Number(n(shown)), height: Number(n(height * k)) };
}

/**
 * The chart cut into parts that each fit their height, for paged output; every part repeats the
 * axis and the key, over the same time span. A measure's heading row never ends a part.
 */
export function ganttSvgParts(model: ReportModel, text: ReportText, opts: GanttPageOptions): GanttPart[] {
  const rows = rowsOf(model, text);
  const f = frameOf(model, text, rows, opts);
  const shown = opts.displayWidth ?? f.width;
  const fixed = f.headingHeight + AXIS + 12 + f.legendHeight;
  const parts: GanttPart[] = [];
  let i = 0;
  do {
    const capacity = Math.max(2, Math.floor((opts.maxHeight(parts.length) - fixed) / ROW));
    let end = Math.min(rows.length, i + capacity);
    if (end < rows.length && end - 1 > i && rows[end - 1]!.kind === 'measure') end -= 1;
    parts.push(partSvg(model, text, f, rows.slice(i, end), shown));
    i = end;
  } while (i < rows.length);
  return parts;
}

/** The whole chart as one SVG. */
export function ganttSvg(model: ReportModel, text: ReportText, opts: GanttOptions = {}): string {
  return ganttSvgParts(model, text, { ...opts, maxHeight: () => Number.POSITIVE_INFINITY })[0]!.svg;
}
