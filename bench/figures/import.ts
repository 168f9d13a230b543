/** Import of the generated program at scale 10: JSON on both backends, YAML (slower to parse) for context. */
import { stringify } from 'yaml';
import { importProgramText } from '../../src/services/program-file.service.ts';
import { BENCH_BACKENDS, met, type Row, SCALE, scaledProgram, time } from '../support.ts';

export async function importFigures(): Promise<Row[]> {
  const rows: Row[] = [];
  const { json } = scaledProgram();
  for (const backend of BENCH_BACKENDS) {
    const t = await backend.create();
    try {
      const [, ms] = await time(() => importProgramText(t.ctx, json));
      const limit = backend.name === 'pglite' ? 10 : 5;
      rows.push({
        figure: `import, scale ${SCALE} (JSON, ${(json.length / 1e6).toFixed(1)} MB)`,
        backend: backend.name,
        value: ms / 1000,
        unit: 's',
        target: met(ms / 1000, limit, `< ${limit} s`),
      });
    } finally {
      await t.close();
    }
  }
  const yaml = stringify(JSON.parse(json));
  const t = await BENCH_BACKENDS[0]!.create();
  try {
    const [, ms] = await time(() => importProgramText(t.ctx, yaml));
    rows.push({
      figure: `import, scale ${SCALE} (YAML, ${(yaml.length / 1e6).toFixed(1)} MB)`,
      backend: 'pglite',
      value: ms / 1000,
      unit: 's',
    });
  } finally {
    await t.close();
  }
  return rows;
}
