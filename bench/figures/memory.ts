/**
 * The server's resident memory with the generated program at scale 10 loaded: the real server
 * (`src/main.ts`) in a process of its own, after it has served the dashboard and the main pages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { systemActor } from '../../src/services/context.ts';
import { importProgramText } from '../../src/services/program-file.service.ts';
import { adminToken, BENCH_BACKENDS, met, type Row, SCALE, scaledProgram } from '../support.ts';
import { programPages } from './analysis.ts';

const root = new URL('../..', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function startedServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), OVERSIGHT_SEED_DEMO: 'false', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`:${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the server stopped (${code}): ${out}`)));
  });
  return { child, port };
}

export async function memoryFigures(): Promise<Row[]> {
  const rows: Row[] = [];
  const { json } = scaledProgram();
  for (const backend of BENCH_BACKENDS) {
    // The server's own key, pin and evidence in a directory of this run: a key left by an earlier
    // run would pin a log this fresh database does not have, and the server would refuse to start.
    const dir = mkdtempSync(join(tmpdir(), 'oversight-bench-'));
    const files = {
      OVERSIGHT_LOG_KEY: join(dir, 'log-key.pem'),
      OVERSIGHT_EVIDENCE_DIR: join(dir, 'evidence'),
    };
    let env: Record<string, string>;
    let token: string;
    let code: string;
    let cleanup: () => Promise<void>;
    if (backend.name === 'pglite') {
      const database = await openDatabase({ dataDir: join(dir, 'data') });
      await migrateToLatest(database.db);
      const ctx = { db: database.db, actor: systemActor('bench') };
      code = (await importProgramText(ctx, json)).code;
      token = await adminToken(ctx);
      await database.close();
      env = { ...files, OVERSIGHT_DATA_DIR: join(dir, 'data') };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const t = await backend.create();
      code = (await importProgramText(t.ctx, json)).code;
      token = await adminToken(t.ctx);
      env = { ...files, DATABASE_URL: t.url! };
      cleanup = async () => {
        await t.close();
        rmSync(dir, { recursive: true, force: true });
      };
    }
    const { child, port } = await startedServer(env);
    try {
      const headers = { authorization: `Bearer ${token}` };
      const paths = [`/api/v1/programs/${code}/dashboard`, ...programPages(code)];
      for (let round = 0; round < 3; round++)
        for (const path of paths) {
          const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
          await res.arrayBuffer();
        }
      const rss = rssOf(child.pid!);
      rows.push({
        figure: `server memory, scale ${SCALE} loaded and served`,
        backend: backend.name,
        value: rss,
        unit: 'MB',
        target: met(rss, 300, '< 300 MB RSS'),
      });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await cleanup();
    }
  }
  return rows;
}
