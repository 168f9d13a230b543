/**
 * Charts as SVG rendered on the server by ECharts (no browser, no script on the page), so the
 * same SVG can go into PDF reports: exposure over time and the burn-up of milestones.
 */
import * as echarts from 'echarts';
import type { CalendarDate } from '../../domain/dates.ts';
import type { ExposureTimeline } from '../../domain/exposure.ts';
import type { MilestoneSchedule } from '../../domain/schedule-analysis.ts';

const FONT = 'system-ui, "Hiragino Sans", "Yu Gothic UI", Meiryo, "Noto Sans JP", "IPAGothic", sans-serif';

function render(option: echarts.EChartsOption, width = 560, height = 260): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

const month = (d: CalendarDate) => d.slice(0, 7);

/** Critical systems of the group reachable from outside, summed over organizations: as done, as planned, as baselined. */
export function exposureChart(
  timeline: ExposureTimeline,
  labels: { actual: string; planned: string; baseline: string },
): string {
  const sum = (view: 'actual' | 'planned' | 'baseline') =>
    timeline.months.map((_, i) => timeline.series.reduce((n, s) => n + (s[view][i] ?? 0), 0));
  return render({
    grid: { left: 36, right: 16, top: 36, bottom: 28 },
    legend: { top: 4, data: [labels.actual, labels.planned, labels.baseline] },
    xAxis: { type: 'category', data: timeline.months.map(month), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: labels.actual,
        type: 'line',
        step: 'end',
        data: sum('actual'),
        color: '#b42318',
        symbol: 'none',
      },
      {
        name: labels.planned,
        type: 'line',
        step: 'end',
        data: sum('planned'),
        color: '#0b5cad',
        symbol: 'none',
      },
      {
        name: labels.baseline,
        type: 'line',
        step: 'end',
        data: sum('baseline'),
        color: '#5b6673',
        symbol: 'none',
        lineStyle: { type: 'dashed' },
      },
    ],
  });
}

/**
 * For each day, how many of the dates fall on or before it: binary search in the sorted dates, not
 * a pass over every date per day (15,000 milestones × 60 months at ten times the case).
 */
export function countsUpTo(
  dates: ReadonlyArray<CalendarDate | null>,
  days: readonly CalendarDate[],
): number[] {
  const sorted = dates.filter((d): d is CalendarDate => d !== null).sort();
  return days.map((day) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}

/** Milestones planned to be reached by each month's end, against those reached. */
export function burnUpChart(
  milestones: readonly MilestoneSchedule[],
  months: readonly CalendarDate[],
  today: CalendarDate,
  labels: { planned: string; done: string },
): string {
  const planned = countsUpTo(
    milestones.map((r) => r.planned),
    months,
  );
  const done = countsUpTo(
    milestones.map((r) => r.actual),
    months.filter((m) => month(m) <= month(today)),
  );
  return render({
    grid: { left: 36, right: 16, top: 36, bottom: 28 },
    legend: { top: 4, data: [labels.planned, labels.done] },
    xAxis: { type: 'category', data: months.map(month), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: labels.planned, type: 'line', data: planned, color: '#0b5cad', symbol: 'none' },
      {
        name: labels.done,
        type: 'line',
        data: done,
        color: '#11652a',
        symbol: 'none',
        areaStyle: { opacity: 0.12 },
      },
    ],
  });
}
