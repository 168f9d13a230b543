/**
 * `npm run bench`: every performance figure of issue 10 on embedded PGlite and, when
 * TEST_DATABASE_URL is set, on PostgreSQL; prints one table (figure, backend, value, target, the
 * ceiling measured in the same run and the ratio to it). Asserts nothing: the suite has no timed
 * tests. Options:
 *   --only import,analysis,load,memory,exposure,reports,audit   some groups only
 *   --write docs/performance.md   also put the table, with the machine, date and commit, between
 *                                 the file's `<!-- bench -->` and `<!-- /bench -->` lines
 * BENCH_SCALE (10), BENCH_EVENTS (1,000,000), BENCH_LOAD_SECONDS (10) make a quicker run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { analysisFigures } from './figures/analysis.ts';
import { auditFigures } from './figures/audit.ts';
import { exposureFigures } from './figures/exposure.ts';
import { importFigures } from './figures/import.ts';
import { loadFigures } from './figures/load.ts';
import { memoryFigures } from './figures/memory.ts';
import { reportFigures } from './figures/reports.ts';
import { BENCH_BACKENDS, type Row } from './support.ts';

const GROUPS = {
  import: () => importFigures(),
  analysis: analysisFigures,
  load: loadFigures,
  memory: () => memoryFigures(),
  exposure: () => exposureFigures(),
  reports: () => reportFigures(),
  audit: auditFigures,
} satisfies Record<string, (detail: (line: string) => void) => Promise<Row[]>>;
type Group = keyof typeof GROUPS;

const { values } = parseArgs({
  options: { only: { type: 'string' }, write: { type: 'string' } },
});
const chosen = (values.only?.split(',') ?? Object.keys(GROUPS)) as Group[];
for (const g of chosen)
  if (!(g in GROUPS)) {
    console.error(`unknown group "${g}"; the groups are ${Object.keys(GROUPS).join(', ')}`);
    process.exit(2);
  }

const details: string[] = [];
const detail = (line: string) => {
  details.push(line);
  console.log(line);
};
console.log(`backends: ${BENCH_BACKENDS.map((b) => b.name).join(', ')}`);
const rows: Row[] = [];
for (const group of chosen) {
  const started = Date.now();
  process.stdout.write(`\n[${group}] `);
  const got = await GROUPS[group](detail);
  rows.push(...got);
  console.log(`\n[${group}] ${got.length} figures in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const number = (v: number, unit: Row['unit']) =>
  unit === 's'
    ? v.toFixed(2)
    : unit === 'ms'
      ? v < 10
        ? v.toFixed(1)
        : Math.round(v).toLocaleString('en')
      : Math.round(v).toLocaleString('en');

const header = ['figure', 'backend', 'value', 'target', 'met', 'ceiling (same run)', 'ratio'];
const table = rows.map((r) => [
  r.figure,
  r.backend,
  `${number(r.value, r.unit)} ${r.unit}`,
  r.target?.text ?? '—',
  r.target ? (r.target.met ? 'yes' : '**no**') : '—',
  r.ceiling ? `${number(r.ceiling.value, r.unit)} ${r.unit} (${r.ceiling.label})` : '—',
  r.ratio
    ? `${(r.ratio.value * 100).toFixed(0)} %${r.ratio.atLeast ? ` (≥ ${r.ratio.atLeast * 100} %)` : ''}`
    : '—',
]);
const markdown = [
  `| ${header.join(' | ')} |`,
  `| ${header.map((_, i) => (i >= 2 && i !== 3 && i !== 5 ? '---:' : '---')).join(' | ')} |`,
  ...table.map((cells) => `| ${cells.join(' | ')} |`),
].join('\n');
console.log(`\n${markdown}`);
const missed = rows.filter((r) => r.target && !r.target.met);
console.log(
  `\n${rows.filter((r) => r.target).length - missed.length} of ${rows.filter((r) => r.target).length} targets met${
    missed.length ? `; not met: ${missed.map((r) => `${r.figure} (${r.backend})`).join('; ')}` : ''
  }`,
);

if (values.write) {
  const commit = (() => {
    try {
      const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
      const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
      return dirty ? `${sha} with uncommitted changes` : sha;
    } catch {
      return 'unknown';
    }
  })();
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${process.platform}`;
  const block = [
    '<!-- bench -->',
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}, on ${machine}; backends: ${BENCH_BACKENDS.map((b) => b.name).join(', ')}.`,
    '',
    markdown,
    '',
    '<details><summary>Detail printed by the run</summary>',
    '',
    '```text',
    ...details.flatMap((d) => d.split('\n')).filter((l) => l !== ''),
    '```',
    '',
    '</details>',
    '<!-- /bench -->',
  ].join('\n');
  const doc = readFileSync(values.write, 'utf8');
  const at = /<!-- bench -->[\s\S]*<!-- \/bench -->/;
  if (!at.test(doc)) {
    console.error(`${values.write} has no <!-- bench --> … <!-- /bench --> block to fill`);
    process.exit(1);
  }
  writeFileSync(values.write, doc.replace(at, block));
  console.log(`wrote the table into ${values.write}`);
}
