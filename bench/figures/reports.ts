/**
 * The report to the regulator for a generated program of 1,000 measures (5,000 milestones): HTML
 * and PDF in Japanese against their targets, the other formats for context. In memory: a report
 * is rendered from its model, which no database is needed to build.
 */
import { programAsOf } from '../../src/domain/as-of.ts';
import { runLint } from '../../src/domain/lint/index.ts';
import { buildReportModel } from '../../src/reports/model.ts';
import { REPORT_FORMATS, renderReport } from '../../src/reports/render.ts';
import { largeProgram } from '../../test/support/builders.ts';
import { type Row, time } from '../support.ts';

const MEASURES = Number(process.env.BENCH_MEASURES ?? 1_000);
const TARGETS: Record<string, number> = { html: 1_000, pdf: 5_000 };

export async function reportFigures(): Promise<Row[]> {
  const file = largeProgram({
    code: 'BENCH-REPORT',
    measures: MEASURES,
    milestonesPerMeasure: 5,
    relationships: 100,
    systems: 100,
  });
  const asOf = '2024-07-01';
  const [model, modelMs] = await time(() =>
    buildReportModel({
      file,
      directive: 'D1',
      asOf,
      findings: runLint(file, asOf, asOf).findings,
      previous: {
        basis: { kind: 'due', asOf: '2024-04-01', directive: 'D1' },
        view: programAsOf(file, '2024-04-01'),
      },
    }),
  );
  const rows: Row[] = [
    {
      figure: `report model, ${MEASURES.toLocaleString('en')} measures`,
      backend: 'in memory',
      value: modelMs,
      unit: 'ms',
    },
  ];
  // One render first, so that the fonts and modules each format loads once are not counted.
  await renderReport(model, 'pdf', { lang: 'ja', generatedAt: new Date('2024-07-01T09:00:00Z') });
  for (const format of REPORT_FORMATS) {
    const [, ms] = await time(() =>
      renderReport(model, format, { lang: 'ja', generatedAt: new Date('2024-07-01T09:00:00Z') }),
    );
    const target = TARGETS[format];
    rows.push({
      figure: `report ${format.toUpperCase()} (ja), ${MEASURES.toLocaleString('en')} measures`,
      backend: 'in memory',
      value: ms,
      unit: 'ms',
      ...(target ? { target: { text: `< ${target / 1000} s`, met: ms < target } } : {}),
    });
  }
  return rows;
}
