/**
 * `npm run bench`: how long import, export and the whole-program read take for programs of
 * growing size, on embedded PGlite (and on PostgreSQL when BENCH_DATABASE_URL is set).
 * Prints a table; asserts nothing (targets live in the issues, not in timed tests).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { readProgram } from '../src/db/program-reader.ts';
import { systemActor } from '../src/services/context.ts';
import { exportProgram, importProgram, renderProgramFile } from '../src/services/program-file.service.ts';
import { largeProgram } from '../test/support/builders.ts';

const sizes = [50, 200, 500];
const url = process.env.BENCH_DATABASE_URL;

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

for (const backend of url ? ['pglite', 'postgres'] : ['pglite']) {
  console.log(`\n${backend}`);
  console.log('measures  milestones  import ms  read ms  export ms  file kB');
  for (const measures of sizes) {
    const database = await openDatabase(backend === 'postgres' ? { url } : { dataDir: 'memory' });
    await migrateToLatest(database.db);
    const ctx = { db: database.db, actor: systemActor('bench') };
    const code = `BENCH-${measures}-${Date.now()}`;
    const file = largeProgram({ code, measures });
    const [, importMs] = await time(() => importProgram(ctx, file));
    const [, readMs] = await time(() => readProgram(database.db, code));
    const [text, exportMs] = await time(async () =>
      renderProgramFile(await exportProgram(ctx, code), 'yaml'),
    );
    console.log(
      [measures, measures * 4, importMs, readMs, exportMs, text.length / 1024]
        .map((n, i) => (i < 2 ? String(n) : n.toFixed(0)).padStart(i === 0 ? 8 : 10))
        .join(''),
    );
    if (backend === 'postgres') await database.db.deleteFrom('programs').where('code', '=', code).execute();
    await database.close();
  }
}
