/**
 * On the generated program at scale 10, loaded into each backend: the lint (first call, which
 * reads the program, then with the program in memory) and every page's server time.
 */
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { lintProgram } from '../../src/services/analysis.service.ts';
import { BENCH_BACKENDS, loadedDatabase, median, met, type Row, SCALE, time } from '../support.ts';

/**
 * The pages of a program a person opens, with the codes of records of the generated program. The
 * group page is left out: it lays out its diagrams with dagre, which at scale 10 takes far longer
 * than the rest of the run together (docs/performance.md).
 */
export function programPages(code: string): string[] {
  const p = `/programs/${code}`;
  return [
    '/',
    p,
    `${p}/measures`,
    `${p}/measures/M-00001`,
    `${p}/measures/M-00001/edit`,
    `${p}/directives`,
    `${p}/directives/D-1`,
    `${p}/milestones?sort=planned&dir=desc`,
    `${p}/relationships?decision=terminate`,
    `${p}/relationships/R-00001/edit`,
    `${p}/systems`,
    `${p}/access`,
    `${p}/incidents`,
    `${p}/findings`,
    `${p}/reports`,
    `${p}/audit`,
  ];
}

export async function analysisFigures(detail: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const backend of BENCH_BACKENDS) {
    const { t, code, token } = await loadedDatabase(backend);
    try {
      const [, cold] = await time(() => lintProgram(t.ctx, code));
      const warm = await median(5, () => lintProgram(t.ctx, code));
      rows.push(
        {
          figure: `lint, scale ${SCALE} (program in memory)`,
          backend: backend.name,
          value: warm,
          unit: 'ms',
          target: met(warm, 200, '< 200 ms'),
        },
        {
          figure: `lint, scale ${SCALE} (first, reading the program)`,
          backend: backend.name,
          value: cold,
          unit: 'ms',
        },
      );
      const app = createApp({ database: t, logger: createLogger('error') });
      const headers = { authorization: `Bearer ${token}` };
      let slowest = { path: '', ms: 0 };
      detail(
        `\nserver time per page, scale ${SCALE}, ${backend.name} (median of 5 after a first request, ms)`,
      );
      for (const path of programPages(code)) {
        const get = async () => {
          const res = await app.request(path, { headers });
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          await res.arrayBuffer();
        };
        const [, first] = await time(get);
        const ms = await median(5, get);
        detail(`  ${path.padEnd(56)} ${ms.toFixed(1).padStart(8)}   first ${first.toFixed(0).padStart(6)}`);
        if (ms > slowest.ms) slowest = { path, ms };
      }
      rows.push({
        figure: `slowest page's server time, scale ${SCALE} (${slowest.path.replace(`/programs/${code}`, '…')})`,
        backend: backend.name,
        value: slowest.ms,
        unit: 'ms',
        target: met(slowest.ms, 100, '< 100 ms'),
      });
    } finally {
      await t.close();
    }
  }
  return rows;
}
