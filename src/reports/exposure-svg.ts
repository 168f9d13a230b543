/**
 * The exposure of a report as a standalone SVG: month by month, how many of the group's critical
 * systems outside organizations can reach — as first planned (dashed), as now planned, and as done
 * up to the report's day — as step lines on one axis. Inline attributes only, like the Gantt, so
 * the HTML inlines it and the PDF draws it as vectors.
 */

import { GANTT_FONT } from './gantt-svg.ts';
import type { ReportModel } from './model.ts';
import type { ReportText } from './text.ts';
import { escapeXml } from './xml.ts';

const W = 720;
const H = 260;
const LEFT = 44;
const RIGHT = 16;
const TOP = 16;
const BOTTOM = 64;

export function exposureSvg(model: ReportModel, text: ReportText): string | undefined {
  const { months, actual, planned, baseline } = model.exposure;
  if (months.length === 0) return undefined;
  const max = Math.max(1, ...planned, ...baseline, ...actual);
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const step = plotW / months.length;
  const x = (i: number) => LEFT + i * step;
  const tick = Math.max(1, Math.ceil(max / 5));
  const top = Math.ceil(max / tick) * tick;
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  const line = (values: number[]) =>
    values
      .map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)} H${x(i + 1).toFixed(1)}`)
      .join(' ');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" font-family="${escapeXml(GANTT_FONT)}">`,
    `<title>${escapeXml(text.t('rpt.sectionExposure'))}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
  ];
  for (let v = 0; v <= top; v += tick)
    parts.push(
      `<line x1="${LEFT}" y1="${y(v).toFixed(1)}" x2="${W - RIGHT}" y2="${y(v).toFixed(1)}" stroke="#e5e8ec" stroke-width="1"/>`,
      `<text x="${LEFT - 6}" y="${(y(v) + 3.5).toFixed(1)}" font-size="10" text-anchor="end" fill="#5b6673">${v}</text>`,
    );
  // A label every few months, so they never overlap: January shows the year.
  const every = Math.max(1, Math.ceil(months.length / 14));
  let year = '';
  months.forEach((m, i) => {
    if (i % every !== 0) return;
    // The first label of each year carries the year.
    const label = m.slice(0, 4) !== year ? `${m.slice(0, 4)}-${m.slice(5, 7)}` : m.slice(5, 7);
    year = m.slice(0, 4);
    parts.push(
      `<text x="${(x(i) + step / 2).toFixed(1)}" y="${TOP + plotH + 14}" font-size="9.5" text-anchor="middle" fill="#5b6673">${label}</text>`,
    );
  });
  const asOfIndex = months.findIndex((m) => m >= model.asOf);
  if (asOfIndex >= 0)
    parts.push(
      `<line x1="${x(asOfIndex).toFixed(1)}" y1="${TOP}" x2="${x(asOfIndex).toFixed(1)}" y2="${TOP + plotH}" stroke="#d97706" stroke-width="1.5"/>`,
    );
  parts.push(
    `<path d="${line(baseline)}" fill="none" stroke="#6e7781" stroke-width="1.5" stroke-dasharray="5 3"/>`,
    `<path d="${line(planned)}" fill="none" stroke="#0b5cad" stroke-width="2"/>`,
  );
  if (actual.length > 0)
    parts.push(`<path d="${line(actual)}" fill="none" stroke="#1b1f24" stroke-width="2.5"/>`);
  const legend: Array<[string, string, string]> = [
    [text.t('rpt.baseline'), '#6e7781', '5 3'],
    [text.t('rpt.planned'), '#0b5cad', ''],
    [text.t('rpt.actual'), '#1b1f24', ''],
    [text.t('rpt.asOf', { date: text.date(model.asOf) }), '#d97706', ''],
  ];
  let lx = LEFT;
  const ly = H - 18;
  for (const [label, colour, dash] of legend) {
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      `<text x="${lx + 27}" y="${ly + 3.5}" font-size="10" fill="#1b1f24">${escapeXml(label)}</text>`,
    );
    lx += 40 + label.length * ([...label].some((ch) => ch.charCodeAt(0) > 0xff) ? 10 : 5.6);
  }
  parts.push('</svg>');
  return parts.join('');
}
