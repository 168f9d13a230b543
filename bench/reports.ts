/**
 * `npm run bench` (part): the report to the regulator for a generated program of 1,000 measures
 * (5,000 milestones): the model, then HTML and PDF in Japanese (targets < 1 s and < 5 s), and the
 * other formats for comparison.
 */
import { performance } from 'node:perf_hooks';
import { programAsOf } from '../src/domain/as-of.ts';
import { runLint } from '../src/domain/lint/index.ts';
import { buildReportModel } from '../src/reports/model.ts';
import { REPORT_FORMATS, renderReport } from '../src/reports/render.ts';
import { largeProgram } from '../test/support/builders.ts';

const measures = Number(process.env.BENCH_MEASURES ?? 1_000);
const file = largeProgram({
  code: 'BENCH-REPORT',
  measures,
  milestonesPerMeasure: 5,
  relationships: 100,
  systems: 100,
});
const asOf = '2024-07-01';

const t0 = performance.now();
const model = buildReportModel({
  file,
  directive: 'D1',
  asOf,
  findings: runLint(file, asOf, asOf).findings,
  previous: {
    basis: { kind: 'due', asOf: '2024-04-01', directive: 'D1' },
    view: programAsOf(file, '2024-04-01'),
  },
});
const t1 = performance.now();
console.log(
  `\nreport of ${model.measures.length} measures, ${model.measures.reduce((n, m) => n + m.milestones.length, 0)} milestones`,
);
console.log(`  model                ${(t1 - t0).toFixed(0).padStart(7)} ms`);
const targets: Record<string, number> = { html: 1_000, pdf: 5_000 };
for (const format of REPORT_FORMATS) {
  const start = performance.now();
  const bytes = await renderReport(model, format, {
    lang: 'ja',
    generatedAt: new Date('2024-07-01T09:00:00Z'),
  });
  const ms = performance.now() - start;
  const target = targets[format];
  console.log(
    `  ${format.padEnd(20)} ${ms.toFixed(0).padStart(7)} ms  ${(bytes.length / 1024).toFixed(0).padStart(6)} KB${
      target ? `  target < ${target} ms: ${ms < target ? 'met' : 'NOT met'}` : ''
    }`,
  );
}
