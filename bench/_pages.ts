import { performance } from 'node:perf_hooks';
import { createApp } from '../src/http/app.ts';
import { createLogger } from '../src/logger.ts';
import { BENCH_BACKENDS, loadedDatabase } from './support.ts';
const { t, code, token } = await loadedDatabase(BENCH_BACKENDS[0]!);
const app = createApp({ database: t, logger: createLogger('error') });
const headers = { authorization: `Bearer ${token}` };
const paths = process.argv.slice(2).map((p) => p.replace('CODE', code));
for (const path of paths) await (await app.request(path, { headers })).arrayBuffer();
for (const path of paths) {
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) await (await app.request(path, { headers })).arrayBuffer();
  console.log(path, ((performance.now() - t0) / 3).toFixed(0), 'ms');
}
await t.close();
