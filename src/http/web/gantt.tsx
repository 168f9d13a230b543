/** @jsxImportSource hono/jsx */
/**
 * A milestone Gantt as server-rendered SVG: per milestone its baseline, current plan and actual
 * date, the shift between baseline and plan, today and the deadlines as vertical lines. The same
 * SVG can go into PDF reports.
 */
import { addMonths, type CalendarDate, daysBetween } from '../../domain/dates.ts';
import { formatDate } from '../../i18n/format.ts';
import type { Language } from '../../i18n/index.ts';

export interface GanttRow {
  code: string;
  title: string;
  baseline: CalendarDate | null;
  planned: CalendarDate | null;
  actual: CalendarDate | null;
  late: boolean;
}

export interface GanttLine {
  label: string;
  date: CalendarDate;
}

const WIDTH = 1000;
const LABEL = 250;
const ROW = 30;
const TOP = 34;

export function Gantt(props: {
  lang: Language;
  rows: GanttRow[];
  today: CalendarDate;
  deadlines: GanttLine[];
  title: string;
  legend: { baseline: string; planned: string; actual: string; today: string };
}) {
  const dates = [
    props.today,
    ...props.deadlines.map((d) => d.date),
    ...props.rows.flatMap((r) => [r.baseline, r.planned, r.actual]),
  ].filter((d): d is string => d !== null);
  const sorted = [...dates].sort();
  const start = `${addMonths(sorted[0]!, -1).slice(0, 7)}-01`;
  const end = `${addMonths(sorted.at(-1)!, 2).slice(0, 7)}-01`;
  const span = Math.max(1, daysBetween(start, end));
  const x = (d: CalendarDate) => LABEL + ((WIDTH - LABEL - 20) * daysBetween(start, d)) / span;
  const rowsEnd = TOP + props.rows.length * ROW;
  const height = rowsEnd + props.deadlines.length * 14 + 50;
  const ticks: CalendarDate[] = [];
  const stepMonths = span > 1100 ? 6 : span > 500 ? 3 : 1;
  for (let m = start; m <= end; m = addMonths(m, stepMonths)) ticks.push(m);
  const tickLabel = (d: CalendarDate) =>
    props.lang === 'ja' ? `${d.slice(0, 4)}/${Number(d.slice(5, 7))}` : d.slice(0, 7);
  const diamond = (cx: number, cy: number, r: number) =>
    `${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}`;
  return (
    <svg
      class="gantt"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={props.title}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title>{props.title}</title>
      {ticks.map((d) => (
        <g>
          <line x1={x(d)} x2={x(d)} y1={TOP - 8} y2={height - 40} stroke="#e5e8ec" />
          {/* A label that would run past the right edge is left out; its line still shows. */}
          {x(d) + 48 <= WIDTH ? (
            <text x={x(d) + 3} y={TOP - 14} font-size="11" fill="#5b6673">
              {tickLabel(d)}
            </text>
          ) : null}
        </g>
      ))}
      {props.rows.map((r, i) => {
        const y = TOP + i * ROW + ROW / 2;
        const colour = r.actual ? '#1a7f37' : r.late ? '#b42318' : '#0b5cad';
        return (
          <g>
            <text x={8} y={y + 4} font-size="12" fill="#1b1f24">
              <title>{r.title}</title>
              {`${r.code}`}
            </text>
            {r.baseline && r.planned && r.baseline !== r.planned ? (
              <line
                x1={x(r.baseline)}
                x2={x(r.planned)}
                y1={y}
                y2={y}
                stroke="#8c959f"
                stroke-width="2"
                stroke-dasharray="4 3"
              />
            ) : null}
            {r.baseline ? (
              <polygon
                points={diamond(x(r.baseline), y, 6)}
                fill="#fff"
                stroke="#8c959f"
                stroke-width="1.5"
              />
            ) : null}
            {r.planned ? <polygon points={diamond(x(r.planned), y, 7)} fill={colour} /> : null}
            {r.actual ? (
              <circle cx={x(r.actual)} cy={y} r="5" fill="#1a7f37" stroke="#fff" stroke-width="1.5" />
            ) : null}
          </g>
        );
      })}
      {props.deadlines.map((d, i) => (
        <g>
          <line
            x1={x(d.date)}
            x2={x(d.date)}
            y1={TOP - 6}
            y2={rowsEnd + 6 + i * 14}
            stroke="#7c3aed"
            stroke-dasharray="6 4"
          />
          <text x={x(d.date) + 4} y={rowsEnd + 16 + i * 14} font-size="10" fill="#7c3aed">
            {`${d.label} (${formatDate(props.lang, d.date)})`}
          </text>
        </g>
      ))}
      <line
        x1={x(props.today)}
        x2={x(props.today)}
        y1={TOP - 8}
        y2={height - 40}
        stroke="#d97706"
        stroke-width="2"
      />
      <g transform={`translate(${LABEL}, ${height - 22})`} font-size="11" fill="#1b1f24">
        <polygon points={diamond(6, 0, 6)} fill="#fff" stroke="#8c959f" stroke-width="1.5" />
        <text x={16} y={4}>
          {props.legend.baseline}
        </text>
        <polygon points={diamond(136, 0, 7)} fill="#0b5cad" />
        <text x={148} y={4}>
          {props.legend.planned}
        </text>
        <circle cx={266} cy={0} r="5" fill="#1a7f37" />
        <text x={276} y={4}>
          {props.legend.actual}
        </text>
        <line x1={390} x2={390} y1={-7} y2={7} stroke="#d97706" stroke-width="2" />
        <text x={398} y={4}>
          {props.legend.today}
        </text>
      </g>
    </svg>
  );
}
