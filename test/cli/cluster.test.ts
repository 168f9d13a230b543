/**
 * Two server processes behind one port on one PostgreSQL (`serve --workers 2`) behave as one:
 * started together on an empty database, they migrate once; a session opened on one is honoured by
 * the other; and with one worker killed in the middle of a stream of writes, every write the client
 * made is stored exactly once (a write cut off is retried: it either had not happened, or answers
 * that it has), the audit log holds one event per write and verifies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { MIGRATIONS } from '../../src/db/migrate.ts';
import { assignmentsOf, createUser } from '../../src/services/account.service.ts';
import { systemActor } from '../../src/services/context.ts';
import { importProgram } from '../../src/services/program-file.service.ts';
import { createApiToken } from '../../src/services/session.service.ts';
import { minimalProgram } from '../support/builders.ts';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin/oversight');
const serverUrl = process.env.TEST_DATABASE_URL;
const WRITES = 160;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The pids of a process's children, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!serverUrl)('two server processes on one PostgreSQL', () => {
  it('migrate once, share sessions, and lose or double no write when one is killed mid-load', async () => {
    const name = `oversight_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    const work = mkdtempSync(join(tmpdir(), 'oversight-cluster-'));
    const port = await freePort();
    let out = '';
    const primary: ChildProcess = spawn(
      bin,
      ['serve', '--workers', '2', '--port', String(port), '--host', '127.0.0.1', '--no-seed'],
      {
        cwd: work,
        env: {
          ...process.env,
          DATABASE_URL: url.toString(),
          LANG: 'C',
          OVERSIGHT_LANG: 'en',
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    primary.stdout!.on('data', (d) => (out += d));
    primary.stderr!.on('data', (d) => (out += d));
    const database = await openDatabase({ url: url.toString() });
    try {
      // Both workers up, on the one port, on a database neither had seen.
      await until('two workers serving', () => out.split(`:${port}`).length - 1 >= 2);
      const migrations = await sql<{
        name: string;
      }>`select name from schema_migrations order by name`.execute(database.db);
      expect(migrations.rows.map((m) => m.name)).toEqual(Object.keys(MIGRATIONS));
      expect(out.match(/Applied migrations:/g)).toHaveLength(1);

      // A program, a manager with a password, and a token for the writes.
      const ctx = { db: database.db, actor: systemActor('test:cluster') };
      await importProgram(ctx, minimalProgram('TWO'));
      const password = 'correct horse battery staple 42';
      const { id } = await createUser(ctx, {
        username: 'manager',
        password,
        assignments: [{ role: 'program_manager', program: 'TWO' }],
      });
      const roles = await assignmentsOf(database.db, id);
      const { token } = await createApiToken(
        {
          db: database.db,
          actor: {
            id: 'user:manager',
            principal: { kind: 'user', id, username: 'manager', assignments: roles, via: 'session' },
          },
        },
        { name: 'cluster', expiresInDays: 1, assignments: roles.map((r) => r.id) },
      );
      const base = `http://127.0.0.1:${port}`;

      // A session opened through one worker is known to both: every request lands signed in.
      const login = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
        body: new URLSearchParams({ username: 'manager', password, next: '/' }).toString(),
      });
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${base}/programs/TWO`, { redirect: 'manual', headers: { cookie } });
        expect(res.headers.get('location') ?? '', `request ${i}`).not.toMatch(/\/login/);
      }

      // A stream of writes; one worker is killed a third of the way through.
      const workers = childrenOf(primary.pid!);
      expect(workers).toHaveLength(2);
      const outcome = new Map<string, 'created' | 'was there'>();
      let retried = 0;
      const write = async (i: number) => {
        const code = `M-W${String(i).padStart(4, '0')}`;
        for (let attempt = 0; ; attempt++) {
          if (attempt > 50) throw new Error(`${code}: gave up`);
          try {
            const res = await fetch(`${base}/api/v1/programs/TWO/measures`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ code, title: `Write ${i}`, category: 'governance', kind: 'permanent' }),
            });
            await res.arrayBuffer();
            if (res.status === 201) return outcome.set(code, 'created');
            // A retry of a write whose answer was lost: it was stored the first time.
            if (res.status === 409 && attempt > 0) return outcome.set(code, 'was there');
            if (res.status < 500) throw new Error(`${code}: ${res.status}`);
          } catch (err) {
            if (err instanceof Error && err.message.startsWith(code)) throw err;
          }
          retried++;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      let next = 0;
      let killed = false;
      const lane = async () => {
        while (next < WRITES) {
          const i = next++;
          if (!killed && i === Math.floor(WRITES / 3)) {
            killed = true;
            process.kill(workers[0]!, 'SIGKILL');
          }
          await write(i);
        }
      };
      await Promise.all(Array.from({ length: 8 }, lane));
      expect(killed).toBe(true);
      expect(outcome.size).toBe(WRITES);

      // Each write stored once, with one event in the log; a new worker replaced the killed one.
      const stored = await database.db
        .selectFrom('measures')
        .innerJoin('programs', 'programs.id', 'measures.program_id')
        .select('measures.code')
        .where('programs.code', '=', 'TWO')
        .where('measures.code', 'like', 'M-W%')
        .execute();
      expect(stored.map((r) => r.code).sort()).toEqual([...outcome.keys()].sort());
      const events = await database.db
        .selectFrom('audit_events')
        .select(['entity_code'])
        .where('action', '=', 'measure.created')
        .where('entity_code', 'like', 'M-W%')
        .execute();
      expect(events).toHaveLength(WRITES);
      expect(new Set(events.map((e) => e.entity_code)).size).toBe(WRITES);
      await until('a replacement worker', () => childrenOf(primary.pid!).length === 2);
      expect(out).toMatch(new RegExp(`worker ${workers[0]} exited \\(SIGKILL\\); starting another`));
      console.log(
        `cluster: ${WRITES} writes, ${retried} retries, ${[...outcome.values()].filter((o) => o === 'was there').length} found already stored`,
      );

      // The log, written by three processes, verifies end to end.
      const verify = spawn(bin, ['audit', 'verify'], {
        cwd: work,
        env: { ...process.env, DATABASE_URL: url.toString(), LANG: 'C', OVERSIGHT_LANG: 'en' },
      });
      let verified = '';
      verify.stdout.on('data', (d) => (verified += d));
      verify.stderr.on('data', (d) => (verified += d));
      const code = await new Promise<number>((resolve) => verify.on('close', (c) => resolve(c ?? -1)));
      expect(code, verified).toBe(0);
    } finally {
      primary.kill('SIGTERM');
      await new Promise((resolve) =>
        primary.exitCode !== null ? resolve(null) : primary.once('exit', resolve),
      );
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
