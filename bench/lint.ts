/**
 * `npm run bench` (part): the readiness lint, schedule analysis and traceability of a generated
 * program with 10,000 measures and 50,000 milestones, computed in memory from the program file.
 */
import { performance } from 'node:perf_hooks';
import { analyzeProgram, runLint } from '../src/domain/lint/index.ts';
import { largeProgram } from '../test/support/builders.ts';

const measures = Number(process.env.BENCH_MEASURES ?? 10_000);
const perMeasure = 5;

const t0 = performance.now();
const file = largeProgram({
  code: 'BENCH-LINT',
  measures,
  milestonesPerMeasure: perMeasure,
  relationships: 400,
  systems: 300,
});
const t1 = performance.now();
const analysis = analyzeProgram(file, '2025-01-15');
const t2 = performance.now();
const result = runLint(file, '2025-01-15', '2025-01-15', analysis);
const t3 = performance.now();

console.log(`\nlint of ${measures} measures, ${measures * perMeasure} milestones`);
console.log(`  generate             ${(t1 - t0).toFixed(0).padStart(7)} ms`);
console.log(`  as-of view, schedule ${(t2 - t1).toFixed(0).padStart(7)} ms`);
console.log(`  lint rules           ${(t3 - t2).toFixed(0).padStart(7)} ms`);
console.log(
  `  findings             ${String(result.findings.length).padStart(7)} (${result.counts.error} errors)`,
);
