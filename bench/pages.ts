/**
 * `npm run bench` (part): server time of each main page on the demo program (embedded database),
 * median of repeated requests. The target (issue 5) is under 100 ms each.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createApp } from '../src/http/app.ts';
import { systemActor } from '../src/services/context.ts';
import { importProgramText } from '../src/services/program-file.service.ts';

const database = await openDatabase({ dataDir: 'memory' });
await migrateToLatest(database.db);
await importProgramText(
  { db: database.db, actor: systemActor('bench') },
  readFileSync(new URL('../examples/ly-2024.yaml', import.meta.url), 'utf8'),
);
const app = createApp({ database });
const pages = [
  '/',
  '/programs/LY-2024',
  '/programs/LY-2024/measures',
  '/programs/LY-2024/measures/M-NETSEP',
  '/programs/LY-2024/directives/MIC-2024-04-16',
  '/programs/LY-2024/directives',
  '/programs/LY-2024/milestones?sort=planned&dir=desc',
  '/programs/LY-2024/relationships?decision=terminate',
  '/programs/LY-2024/relationships?format=csv',
  '/programs/LY-2024/systems',
  '/programs/LY-2024/access',
  '/programs/LY-2024/incidents',
  '/programs/LY-2024/findings',
  '/programs/LY-2024/group',
  '/programs/LY-2024/measures/M-NETSEP/edit',
  '/programs/LY-2024/relationships/R-NAVER-CLOUD-INFRA/edit',
];
console.log('\nserver time per page on the demo (median of 15, ms)');
for (const path of pages) {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const res = await app.request(`${path}${path.includes('?') ? '&' : '?'}lang=ja`);
    await res.text();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`  ${path.padEnd(48)} ${times[7]!.toFixed(1).padStart(7)}`);
}
await database.close();
